//! Scalar mirror maps: inverse pairs, potential against its derivative,
//! Bregman divergence and the dual clamp.

use hpg_linalg::{Error, Euclidean, Hypentropy, MirrorMap, DUAL_LIMIT};
use proptest::prelude::*;

/// Scale `beta`, log-uniform in `[1e-3, 1e3]`.
fn beta() -> impl Strategy<Value = f64> {
    (-3.0..=3.0_f64).prop_map(|exponent| 10f64.powf(exponent))
}

/// Primal value in `[-1e4, 1e4]`: half uniform, half log-uniform in
/// magnitude so that values far below `beta` are drawn too.
fn primal() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e4..=1e4_f64,
        (-9.0..=4.0_f64, any::<bool>()).prop_map(|(exponent, negative)| {
            let magnitude = 10f64.powf(exponent);
            if negative {
                -magnitude
            } else {
                magnitude
            }
        }),
        Just(0.0),
    ]
}

/// Central difference of the potential at `primal` with step `step`.
fn central_difference(map: &impl MirrorMap, primal: f64, step: f64) -> f64 {
    (map.potential(primal + step) - map.potential(primal - step)) / (2.0 * step)
}

/// Rounding allowance for `divergence(p, q)`: the terms it subtracts.
fn divergence_rounding(map: &impl MirrorMap, p: f64, q: f64) -> f64 {
    let terms = map.potential(p).abs() + map.potential(q).abs() + (map.grad(q) * (p - q)).abs();
    1e-12 * terms
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn hypentropy_grad_inverse_undoes_grad(beta in beta(), l in primal()) {
        let map = Hypentropy::new(beta).unwrap();
        let back = map.grad_inverse(map.grad(l));
        let tolerance = 1e-12 * l.abs().max(beta);
        prop_assert!(
            (back - l).abs() <= tolerance,
            "beta {beta}, l {l}: grad_inverse(grad(l)) = {back}, error {} > {tolerance}",
            (back - l).abs()
        );
    }

    #[test]
    fn hypentropy_grad_undoes_grad_inverse(beta in beta(), u in -30.0..=30.0_f64) {
        let map = Hypentropy::new(beta).unwrap();
        let back = map.grad(map.grad_inverse(u));
        let tolerance = 1e-12 * u.abs().max(1.0);
        prop_assert!(
            (back - u).abs() <= tolerance,
            "beta {beta}, u {u}: grad(grad_inverse(u)) = {back}, error {} > {tolerance}",
            (back - u).abs()
        );
    }

    #[test]
    fn hypentropy_potential_derivative_is_grad(beta in beta(), l in primal()) {
        let map = Hypentropy::new(beta).unwrap();
        let step = 1e-5 * l.abs().max(beta);
        let numerical = central_difference(&map, l, step);
        let grad = map.grad(l);
        let tolerance = 1e-8 * grad.abs().max(1.0);
        prop_assert!(
            (numerical - grad).abs() <= tolerance,
            "beta {beta}, l {l}: central difference {numerical}, grad {grad}"
        );
    }

    #[test]
    fn hypentropy_divergence_nonnegative(beta in beta(), p in primal(), q in primal()) {
        let map = Hypentropy::new(beta).unwrap();
        let divergence = map.divergence(p, q);
        let rounding = divergence_rounding(&map, p, q);
        prop_assert!(
            divergence >= -rounding,
            "beta {beta}: D({p}, {q}) = {divergence} < -{rounding}"
        );
    }

    #[test]
    fn hypentropy_divergence_zero_at_equal(beta in beta(), p in primal()) {
        let map = Hypentropy::new(beta).unwrap();
        let divergence = map.divergence(p, p);
        prop_assert!(divergence == 0.0, "beta {beta}: D({p}, {p}) = {divergence}");
    }

    #[test]
    fn hypentropy_quadratic_near_zero(beta in beta(), fraction in -1e-3..=1e-3_f64) {
        // For |l| << beta, f(l) = -beta + l^2 / (2 beta) - l^4 / (24 beta^3) + ...
        let map = Hypentropy::new(beta).unwrap();
        let l = fraction * beta;
        let quadratic = -beta + l * l / (2.0 * beta);
        let potential = map.potential(l);
        let tolerance = l.powi(4) / (12.0 * beta.powi(3)) + 4.0 * f64::EPSILON * beta;
        prop_assert!(
            (potential - quadratic).abs() <= tolerance,
            "beta {beta}, l {l}: f(l) = {potential}, quadratic model {quadratic}"
        );
    }

    #[test]
    fn euclidean_grad_inverse_undoes_grad(l in primal()) {
        let back = Euclidean.grad_inverse(Euclidean.grad(l));
        prop_assert!(back == l, "grad_inverse(grad({l})) = {back}");
    }

    #[test]
    fn euclidean_grad_undoes_grad_inverse(u in -30.0..=30.0_f64) {
        let back = Euclidean.grad(Euclidean.grad_inverse(u));
        prop_assert!(back == u, "grad(grad_inverse({u})) = {back}");
    }

    #[test]
    fn euclidean_potential_derivative_is_grad(l in primal()) {
        let step = 1e-5 * l.abs().max(1.0);
        let numerical = central_difference(&Euclidean, l, step);
        let grad = Euclidean.grad(l);
        let tolerance = 1e-8 * grad.abs().max(1.0);
        prop_assert!(
            (numerical - grad).abs() <= tolerance,
            "l {l}: central difference {numerical}, grad {grad}"
        );
    }

    #[test]
    fn euclidean_divergence_is_half_square(p in primal(), q in primal()) {
        let divergence = Euclidean.divergence(p, q);
        let expected = 0.5 * (p - q) * (p - q);
        let rounding = divergence_rounding(&Euclidean, p, q);
        prop_assert!(
            divergence >= -rounding,
            "D({p}, {q}) = {divergence} < -{rounding}"
        );
        prop_assert!(
            (divergence - expected).abs() <= rounding + 1e-12 * expected,
            "D({p}, {q}) = {divergence}, expected (p - q)^2 / 2 = {expected}"
        );
    }

    #[test]
    fn euclidean_divergence_zero_at_equal(p in primal()) {
        let divergence = Euclidean.divergence(p, p);
        prop_assert!(divergence == 0.0, "D({p}, {p}) = {divergence}");
    }
}

#[test]
fn hypentropy_grad_inverse_clamps() {
    for beta in [1e-3, 1.0, 1e3, 1e4] {
        let map = Hypentropy::new(beta).unwrap();
        let at_limit = map.grad_inverse(DUAL_LIMIT);
        assert!(
            at_limit.is_finite(),
            "beta {beta}: grad_inverse(DUAL_LIMIT) = {at_limit}"
        );
        for dual in [1e6, f64::MAX, f64::INFINITY] {
            let high = map.grad_inverse(dual);
            let low = map.grad_inverse(-dual);
            assert!(
                high.is_finite(),
                "beta {beta}: grad_inverse({dual}) = {high}"
            );
            assert_eq!(
                high, at_limit,
                "beta {beta}: grad_inverse({dual}) is not clamped"
            );
            assert_eq!(
                low, -at_limit,
                "beta {beta}: grad_inverse(-{dual}) is not clamped"
            );
        }
    }
}

#[test]
fn euclidean_grad_inverse_finite() {
    for dual in [1e6, -1e6] {
        let primal = Euclidean.grad_inverse(dual);
        assert!(primal.is_finite(), "grad_inverse({dual}) = {primal}");
        assert_eq!(primal, dual, "the identity map changed {dual}");
    }
}

#[test]
fn dual_limits() {
    let map = Hypentropy::new(2.0).unwrap();
    assert_eq!(map.dual_limit(), DUAL_LIMIT, "hypentropy dual limit");
    let euclidean = Euclidean.dual_limit();
    assert!(
        euclidean == f64::INFINITY,
        "Euclidean dual limit {euclidean}, expected infinity"
    );
}

#[test]
fn hypentropy_new_rejects_invalid_beta() {
    for beta in [0.0, -1.0, 1e4 * (1.0 + 1e-12), f64::NAN, f64::INFINITY] {
        let result = Hypentropy::new(beta);
        assert!(
            matches!(result, Err(Error::InvalidParameter { name: "beta", .. })),
            "beta {beta}: {result:?}"
        );
    }
}

#[test]
fn hypentropy_new_accepts_range_ends() {
    for beta in [f64::MIN_POSITIVE, 1e4] {
        let map = Hypentropy::new(beta);
        assert_eq!(map.map(|map| map.beta()), Ok(beta), "beta {beta}");
    }
}
