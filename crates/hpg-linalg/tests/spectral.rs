//! Spectral maps on dense symmetric matrices: inverse pairs, the potential
//! and the Bregman divergence.

mod common;

use common::{max_abs, max_abs_difference, symmetric_matrix};
use faer::Mat;
use hpg_linalg::{
    bregman_divergence, spectral_grad, spectral_grad_inverse, spectral_potential, Error, Euclidean,
    Hypentropy, MirrorMap,
};
use proptest::prelude::*;

fn beta() -> impl Strategy<Value = f64> {
    (-2.0..=1.0_f64).prop_map(|exponent| 10f64.powf(exponent))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn hypentropy_spectral_roundtrip(theta in symmetric_matrix(1..=8, 10.0), beta in beta()) {
        let map = Hypentropy::new(beta).unwrap();
        let dual = spectral_grad(&map, theta.as_ref()).unwrap();
        let back = spectral_grad_inverse(&map, dual.as_ref()).unwrap();
        let error = max_abs_difference(back.as_ref(), theta.as_ref());
        let tolerance = 1e-10 * max_abs(theta.as_ref()).max(1.0);
        prop_assert!(error <= tolerance, "beta {beta}, n {}: roundtrip error {error} > {tolerance}", theta.nrows());
    }

    #[test]
    fn euclidean_spectral_roundtrip(theta in symmetric_matrix(1..=8, 10.0)) {
        let dual = spectral_grad(&Euclidean, theta.as_ref()).unwrap();
        let back = spectral_grad_inverse(&Euclidean, dual.as_ref()).unwrap();
        let error = max_abs_difference(back.as_ref(), theta.as_ref());
        let tolerance = 1e-10 * max_abs(theta.as_ref()).max(1.0);
        prop_assert!(error <= tolerance, "n {}: roundtrip error {error} > {tolerance}", theta.nrows());
    }

    #[test]
    fn hypentropy_bregman_nonnegative(
        pair in (1..=6_usize).prop_flat_map(|n| (symmetric_matrix(n..=n, 5.0), symmetric_matrix(n..=n, 5.0))),
        beta in beta(),
    ) {
        let (p, q) = pair;
        let map = Hypentropy::new(beta).unwrap();
        let divergence = bregman_divergence(&map, p.as_ref(), q.as_ref()).unwrap();
        let scale = spectral_potential(&map, p.as_ref()).unwrap().abs()
            + spectral_potential(&map, q.as_ref()).unwrap().abs();
        prop_assert!(divergence >= -1e-12 * scale.max(1.0), "beta {beta}: D(P, Q) = {divergence}");

        let same = bregman_divergence(&map, p.as_ref(), p.as_ref()).unwrap();
        let potential = spectral_potential(&map, p.as_ref()).unwrap().abs();
        prop_assert!(same.abs() <= 1e-12 * potential.max(1.0), "beta {beta}: D(P, P) = {same}");
    }

    #[test]
    fn euclidean_bregman_half_frobenius(
        pair in (1..=6_usize).prop_flat_map(|n| (symmetric_matrix(n..=n, 5.0), symmetric_matrix(n..=n, 5.0))),
    ) {
        let (p, q) = pair;
        let divergence = bregman_divergence(&Euclidean, p.as_ref(), q.as_ref()).unwrap();
        let difference = &p - &q;
        let expected = 0.5 * difference.squared_norm_l2();
        let tolerance = 1e-10 * (1.0 + p.squared_norm_l2() + q.squared_norm_l2());
        prop_assert!(
            (divergence - expected).abs() <= tolerance,
            "D(P, Q) = {divergence}, expected |P - Q|_F^2 / 2 = {expected}"
        );
    }
}

#[test]
fn spectral_maps_act_on_diagonal() {
    let map = Hypentropy::new(0.3).unwrap();
    let diagonal = [-4.0, 0.0, 0.25, 9.0];
    let n = diagonal.len();
    let theta = Mat::from_fn(n, n, |i, j| if i == j { diagonal[i] } else { 0.0 });

    let dual = spectral_grad(&map, theta.as_ref()).unwrap();
    for (i, &l) in diagonal.iter().enumerate() {
        let want = map.grad(l);
        assert!(
            (dual[(i, i)] - want).abs() <= 1e-14,
            "grad entry {i}: {}, expected {want}",
            dual[(i, i)]
        );
    }
    let off_diagonal = (0..n)
        .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
        .map(|(i, j)| dual[(i, j)].abs())
        .fold(0.0, f64::max);
    assert!(
        off_diagonal == 0.0,
        "grad of a diagonal matrix has off-diagonal entry {off_diagonal}"
    );

    let potential = spectral_potential(&map, theta.as_ref()).unwrap();
    let want: f64 = diagonal.iter().map(|&l| map.potential(l)).sum();
    assert!(
        (potential - want).abs() <= 1e-12 * want.abs(),
        "potential {potential}, expected {want}"
    );
}

#[test]
fn bregman_rejects_shape_mismatch() {
    let p = Mat::<f64>::identity(3, 3);
    let q = Mat::<f64>::identity(2, 2);
    let result = bregman_divergence(&Euclidean, p.as_ref(), q.as_ref());
    assert!(
        matches!(result, Err(Error::DimensionMismatch { .. })),
        "3 x 3 and 2 x 2: {result:?}"
    );
}

#[test]
fn spectral_maps_reject_nan() {
    let mut theta = Mat::<f64>::identity(3, 3);
    theta[(2, 0)] = f64::NAN;
    let map = Hypentropy::new(1.0).unwrap();
    let result = spectral_grad(&map, theta.as_ref());
    assert!(
        matches!(
            result,
            Err(Error::NonFinite {
                row: 2,
                column: 0,
                ..
            })
        ),
        "grad: {result:?}"
    );
    let result = spectral_grad_inverse(&map, theta.as_ref());
    assert!(
        matches!(
            result,
            Err(Error::NonFinite {
                row: 2,
                column: 0,
                ..
            })
        ),
        "grad_inverse: {result:?}"
    );
}
