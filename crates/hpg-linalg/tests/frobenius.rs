//! The Frobenius-ball projection and the penalized solve behind it,
//! checked against their optimality conditions and, for the Euclidean map,
//! against the closed-form rescaling.

use hpg_linalg::{Ball, Euclidean, Hypentropy, MirrorMap};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Relative slack allowed on the ball constraint.
const BALL_SLACK: f64 = 1e-9;

type Blocks = Vec<Vec<f64>>;

/// 1 to 4 blocks of 1 to 6 dual values in `[-6, 6]`.
fn blocks() -> impl Strategy<Value = Blocks> {
    proptest::collection::vec(proptest::collection::vec(-6.0..=6.0_f64, 1..=6), 1..=4)
}

fn project(ball: Ball, map: &impl MirrorMap, blocks: &Blocks) -> Blocks {
    let mut projected = blocks.clone();
    let mut slices: Vec<&mut [f64]> = projected.iter_mut().map(|b| b.as_mut_slice()).collect();
    ball.project(map, &mut slices);
    projected
}

/// Frobenius norm of the primal values of all blocks.
fn frobenius(map: &impl MirrorMap, blocks: &Blocks) -> f64 {
    blocks
        .iter()
        .flatten()
        .map(|&u| map.grad_inverse(u).powi(2))
        .sum::<f64>()
        .sqrt()
}

/// Checks the optimality conditions of the projection of `before` onto the
/// ball: inside the ball, unchanged when already inside, and otherwise on
/// the sphere with one multiplier `lambda >= 0` shared by every value.
fn check_projection(
    map: &impl MirrorMap,
    radius: f64,
    before: &Blocks,
) -> Result<(), TestCaseError> {
    let after = project(Ball::Frobenius { radius }, map, before);
    let norm_after = frobenius(map, &after);
    prop_assert!(
        norm_after <= radius * (1.0 + BALL_SLACK),
        "{norm_after} > {radius}"
    );

    if frobenius(map, before) <= radius {
        prop_assert_eq!(&after, before);
        return Ok(());
    }
    prop_assert!(
        (norm_after - radius).abs() <= 1e-7 * radius,
        "{norm_after} != {radius}"
    );

    let mut multipliers = Vec::new();
    for (&u, &v) in before.iter().flatten().zip(after.iter().flatten()) {
        let primal = map.grad_inverse(v);
        prop_assert!(primal * u >= 0.0, "sign of {u} changed to {primal}");
        if primal.abs() > 1e-3 {
            multipliers.push((u - map.grad(primal)) / (2.0 * primal));
        }
    }
    let (low, high) = multipliers
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &m| {
            (lo.min(m), hi.max(m))
        });
    if let Some(&first) = multipliers.first() {
        prop_assert!(first >= -1e-9, "negative multiplier {first}");
        prop_assert!(
            high - low <= 1e-6 * (1.0 + high.abs()),
            "multipliers {low}..{high}"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn penalized_solve_meets_definition(
        dual in -8.0..=8.0_f64,
        lambda in 0.0..=50.0_f64,
        beta in 0.05..=5.0_f64,
    ) {
        let map = Hypentropy::new(beta).unwrap();
        let primal = map.solve_penalized(dual, lambda);
        let residual = map.grad(primal) + 2.0 * lambda * primal - dual;
        prop_assert!(residual.abs() <= 1e-9 * (1.0 + dual.abs()), "residual {residual}");

        let euclidean = Euclidean.solve_penalized(dual, lambda);
        let residual = euclidean + 2.0 * lambda * euclidean - dual;
        prop_assert!(residual.abs() <= 1e-12 * (1.0 + dual.abs()), "residual {residual}");
    }

    #[test]
    fn euclidean_projection_rescales(blocks in blocks(), radius in 0.1..=20.0_f64) {
        let after = project(Ball::Frobenius { radius }, &Euclidean, &blocks);
        let norm = frobenius(&Euclidean, &blocks);
        let factor = (radius / norm).min(1.0);
        for (&u, &v) in blocks.iter().flatten().zip(after.iter().flatten()) {
            prop_assert!((v - factor * u).abs() <= 1e-9 * (1.0 + u.abs()), "{v} != {factor} * {u}");
        }
    }

    #[test]
    fn hypentropy_projection_is_optimal(
        blocks in blocks(),
        beta in 0.05..=5.0_f64,
        radius in 0.1..=20.0_f64,
    ) {
        let map = Hypentropy::new(beta).unwrap();
        check_projection(&map, radius, &blocks)?;
    }

    #[test]
    fn projection_idempotent(blocks in blocks(), beta in 0.05..=5.0_f64, radius in 0.1..=20.0_f64) {
        let map = Hypentropy::new(beta).unwrap();
        let ball = Ball::Frobenius { radius };
        let once = project(ball, &map, &blocks);
        let twice = project(ball, &map, &once);
        for (&a, &b) in once.iter().flatten().zip(twice.iter().flatten()) {
            prop_assert!((a - b).abs() <= 1e-7 * (1.0 + a.abs()), "{a} moved to {b}");
        }
    }
}

#[test]
fn frobenius_rejects_bad_radius() {
    for radius in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(Ball::Frobenius { radius }.validate().is_err(), "{radius}");
    }
    assert!(Ball::Frobenius { radius: 2.0 }.validate().is_ok());
}
