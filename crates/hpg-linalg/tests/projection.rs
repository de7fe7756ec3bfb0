//! Bregman projections on dual eigenvalues, checked against the ball
//! definitions and against minimizers computed here without the crate's
//! threshold search.

mod common;

use common::{rebuild, SplitMix64};
use faer::{Mat, MatRef};
use hpg_linalg::{
    bregman_divergence, nuclear_threshold, soft_threshold, spectral_potential, symmetric_eigen,
    Ball, Error, Euclidean, Hypentropy, MirrorMap, Scope,
};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// Relative slack allowed on the ball constraint.
const BALL_SLACK: f64 = 1e-9;

type Blocks = Vec<Vec<f64>>;

/// 1 to 4 blocks of 1 to 6 dual values in `[-8, 8]`.
fn blocks() -> impl Strategy<Value = Blocks> {
    proptest::collection::vec(proptest::collection::vec(-8.0..=8.0_f64, 1..=6), 1..=4)
}

/// Dual values drawn from a few magnitudes, so that ties and zeros occur.
fn tied_duals() -> impl Strategy<Value = Vec<f64>> {
    let value = prop_oneof![
        Just(0.0),
        Just(0.5),
        Just(-0.5),
        Just(2.0),
        Just(-2.0),
        Just(3.0),
    ];
    proptest::collection::vec(value, 1..=24)
}

fn beta() -> impl Strategy<Value = f64> {
    0.05..=5.0_f64
}

fn radius() -> impl Strategy<Value = f64> {
    0.1..=20.0_f64
}

/// Nuclear norm `sum |(f')^{-1}(u)|` of the primal values of some duals.
fn nuclear(map: &impl MirrorMap, duals: &[f64]) -> f64 {
    duals.iter().map(|&u| map.grad_inverse(u).abs()).sum()
}

/// Projects a copy of `blocks` and returns it with the threshold.
fn project(ball: Ball, map: &impl MirrorMap, blocks: &Blocks) -> (Blocks, f64) {
    let mut projected = blocks.clone();
    let mut slices: Vec<&mut [f64]> = projected.iter_mut().map(|b| b.as_mut_slice()).collect();
    let nu = ball.project(map, &mut slices);
    (projected, nu)
}

/// Minimizes `D_f(l, target) + nu |l|` over `l` by bisection on the
/// derivative `f'(l) - f'(target) + nu sign(l)`, using only `f'`.
///
/// The minimizer lies between 0 and `target`, where `sign(l)` is the sign
/// of `target`. It is 0 when the derivative just off 0, in the direction of
/// `target`, is already non-negative.
fn shrink_primal(map: &impl MirrorMap, target: f64, nu: f64) -> f64 {
    if target == 0.0 {
        return 0.0;
    }
    let sign = target.signum();
    let target_grad = map.grad(target);
    let derivative = |l: f64| map.grad(l) - target_grad + nu * sign;
    if sign * derivative(0.0) >= 0.0 {
        return 0.0;
    }

    let (mut low, mut high) = if sign > 0.0 {
        (0.0, target)
    } else {
        (target, 0.0)
    };
    for _ in 0..200 {
        let middle = 0.5 * (low + high);
        if middle == low || middle == high {
            break;
        }
        if derivative(middle) > 0.0 {
            high = middle;
        } else {
            low = middle;
        }
    }
    0.5 * (low + high)
}

/// Minimizes `sum_i D_f(l_i, targets_i)` subject to `sum_i |l_i| <= radius`
/// by bisection on the Lagrange multiplier `nu`, each coordinate solved by
/// [`shrink_primal`].
fn brute_force_nuclear(map: &impl MirrorMap, targets: &[f64], radius: f64) -> Vec<f64> {
    let total: f64 = targets.iter().map(|t| t.abs()).sum();
    if total <= radius {
        return targets.to_vec();
    }

    let solve =
        |nu: f64| -> Vec<f64> { targets.iter().map(|&t| shrink_primal(map, t, nu)).collect() };
    let mass = |nu: f64| -> f64 { solve(nu).iter().map(|l| l.abs()).sum() };
    // At nu = max |f'(target)| every coordinate is 0, because f'(0) = 0.
    let mut low = 0.0;
    let mut high = targets
        .iter()
        .map(|&t| map.grad(t).abs())
        .fold(0.0, f64::max);
    for _ in 0..200 {
        let middle = 0.5 * (low + high);
        if middle == low || middle == high {
            break;
        }
        if mass(middle) > radius {
            low = middle;
        } else {
            high = middle;
        }
    }
    solve(high)
}

/// Finds the smallest `nu >= 0` with
/// `sum_i (f')^{-1}((|u_i| - nu)_+) <= radius` by plain bisection on `nu`.
fn bisect_threshold(map: &impl MirrorMap, duals: &[f64], radius: f64) -> f64 {
    let mass = |nu: f64| -> f64 {
        duals
            .iter()
            .map(|&u| map.grad_inverse((u.abs() - nu).max(0.0)))
            .sum()
    };
    if mass(0.0) <= radius {
        return 0.0;
    }
    let mut low = 0.0;
    let mut high = duals.iter().map(|u| u.abs()).fold(0.0, f64::max);
    for _ in 0..200 {
        let middle = 0.5 * (low + high);
        if middle == low || middle == high {
            break;
        }
        if mass(middle) > radius {
            low = middle;
        } else {
            high = middle;
        }
    }
    0.5 * (low + high)
}

/// Hypentropy without its closed-form `solve_segment`, so that the trait's
/// default bisection runs.
#[derive(Debug, Clone)]
struct DefaultSegment(Hypentropy);

impl MirrorMap for DefaultSegment {
    fn potential(&self, primal: f64) -> f64 {
        self.0.potential(primal)
    }

    fn grad(&self, primal: f64) -> f64 {
        self.0.grad(primal)
    }

    fn grad_inverse(&self, dual: f64) -> f64 {
        self.0.grad_inverse(dual)
    }
}

fn check_lands_in_ball(
    map: &impl MirrorMap,
    blocks: &Blocks,
    radius: f64,
) -> Result<(), TestCaseError> {
    let limit = radius * (1.0 + BALL_SLACK);

    let joint = Ball::Nuclear {
        radius,
        scope: Scope::Joint,
    };
    let (projected, _) = project(joint, map, blocks);
    let total: f64 = projected.iter().map(|b| nuclear(map, b)).sum();
    prop_assert!(
        total <= limit,
        "{map:?}: joint nuclear norm {total} > radius {radius}"
    );

    let per_block = Ball::Nuclear {
        radius,
        scope: Scope::PerBlock,
    };
    let (projected, _) = project(per_block, map, blocks);
    for (index, block) in projected.iter().enumerate() {
        let norm = nuclear(map, block);
        prop_assert!(
            norm <= limit,
            "{map:?}: block {index} nuclear norm {norm} > radius {radius}"
        );
    }

    let operator = Ball::Operator { radius };
    let (projected, _) = project(operator, map, blocks);
    for &u in projected.iter().flatten() {
        let primal = map.grad_inverse(u);
        prop_assert!(
            primal.abs() <= limit,
            "{map:?}: |{primal}| > operator radius {radius}"
        );
    }
    Ok(())
}

fn check_tight_when_moved(
    map: &impl MirrorMap,
    blocks: &Blocks,
    radius: f64,
) -> Result<(), TestCaseError> {
    let joint = Ball::Nuclear {
        radius,
        scope: Scope::Joint,
    };
    let before: f64 = blocks.iter().map(|b| nuclear(map, b)).sum();
    let (projected, nu) = project(joint, map, blocks);
    let after: f64 = projected.iter().map(|b| nuclear(map, b)).sum();
    if before > radius {
        prop_assert!(
            (after - radius).abs() <= BALL_SLACK * radius,
            "{map:?}: joint norm {before} moved to {after}, expected radius {radius}"
        );
        prop_assert!(
            nu > 0.0,
            "{map:?}: joint projection moved but returned nu = {nu}"
        );
    } else {
        prop_assert!(
            &projected == blocks,
            "{map:?}: inside the ball but changed to {projected:?}"
        );
        prop_assert!(nu == 0.0, "{map:?}: inside the ball but returned nu = {nu}");
    }

    let per_block = Ball::Nuclear {
        radius,
        scope: Scope::PerBlock,
    };
    let (projected, _) = project(per_block, map, blocks);
    for (index, (input, output)) in blocks.iter().zip(&projected).enumerate() {
        let before = nuclear(map, input);
        let after = nuclear(map, output);
        if before > radius {
            prop_assert!(
                (after - radius).abs() <= BALL_SLACK * radius,
                "{map:?}: block {index} norm {before} moved to {after}, expected radius {radius}"
            );
        } else {
            prop_assert!(
                input == output,
                "{map:?}: block {index} inside the ball but changed"
            );
        }
    }
    Ok(())
}

fn check_idempotent(
    map: &impl MirrorMap,
    blocks: &Blocks,
    radius: f64,
) -> Result<(), TestCaseError> {
    let balls = [
        Ball::Nuclear {
            radius,
            scope: Scope::Joint,
        },
        Ball::Nuclear {
            radius,
            scope: Scope::PerBlock,
        },
        Ball::Operator { radius },
        Ball::Unconstrained,
    ];
    for ball in balls {
        let (once, _) = project(ball, map, blocks);
        let (twice, _) = project(ball, map, &once);
        for (&first, &second) in once.iter().flatten().zip(twice.iter().flatten()) {
            prop_assert!(
                (first - second).abs() <= 1e-12 * first.abs().max(1.0),
                "{map:?}, {ball:?}: second projection moved {first} to {second}"
            );
        }
    }
    Ok(())
}

/// Compares projected primal values with the brute-force minimizer, to
/// `1e-6` relative with an absolute floor of `1e-12`.
fn check_primal_matches(
    map: &impl MirrorMap,
    projected: &[f64],
    expected: &[f64],
    case: &str,
) -> Result<(), TestCaseError> {
    for (index, (&u, &want)) in projected.iter().zip(expected).enumerate() {
        let got = map.grad_inverse(u);
        prop_assert!(
            (got - want).abs() <= 1e-6 * want.abs().max(1e-6),
            "{map:?}, {case}: primal value {index} is {got}, brute force gives {want}"
        );
    }
    Ok(())
}

fn check_brute_force(
    map: &impl MirrorMap,
    blocks: &Blocks,
    radius: f64,
) -> Result<(), TestCaseError> {
    let targets: Vec<Vec<f64>> = blocks
        .iter()
        .map(|b| b.iter().map(|&u| map.grad_inverse(u)).collect())
        .collect();

    let joint = Ball::Nuclear {
        radius,
        scope: Scope::Joint,
    };
    let (projected, _) = project(joint, map, blocks);
    let all_targets: Vec<f64> = targets.concat();
    let expected = brute_force_nuclear(map, &all_targets, radius);
    check_primal_matches(map, &projected.concat(), &expected, "joint")?;

    let per_block = Ball::Nuclear {
        radius,
        scope: Scope::PerBlock,
    };
    let (projected, _) = project(per_block, map, blocks);
    for (block, target) in projected.iter().zip(&targets) {
        let expected = brute_force_nuclear(map, target, radius);
        check_primal_matches(map, block, &expected, "per block")?;
    }

    // The operator ball decouples into intervals, where the minimizer of a
    // convex divergence is the clipped target.
    let operator = Ball::Operator { radius };
    let (projected, _) = project(operator, map, blocks);
    let clipped: Vec<f64> = all_targets
        .iter()
        .map(|t| t.clamp(-radius, radius))
        .collect();
    check_primal_matches(map, &projected.concat(), &clipped, "operator")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn projection_lands_in_ball(blocks in blocks(), beta in beta(), radius in radius()) {
        check_lands_in_ball(&Hypentropy::new(beta).unwrap(), &blocks, radius)?;
        check_lands_in_ball(&Euclidean, &blocks, radius)?;
    }

    #[test]
    fn nuclear_tight_when_moved(blocks in blocks(), beta in beta(), radius in radius()) {
        check_tight_when_moved(&Hypentropy::new(beta).unwrap(), &blocks, radius)?;
        check_tight_when_moved(&Euclidean, &blocks, radius)?;
    }

    #[test]
    fn projection_idempotent(blocks in blocks(), beta in beta(), radius in radius()) {
        check_idempotent(&Hypentropy::new(beta).unwrap(), &blocks, radius)?;
        check_idempotent(&Euclidean, &blocks, radius)?;
    }

    #[test]
    fn projection_matches_brute_force(blocks in blocks(), beta in beta(), radius in radius()) {
        check_brute_force(&Hypentropy::new(beta).unwrap(), &blocks, radius)?;
        check_brute_force(&Euclidean, &blocks, radius)?;
    }

    #[test]
    fn threshold_matches_bisection(
        duals in proptest::collection::vec(-8.0..=8.0_f64, 0..=24),
        beta in beta(),
        radius in radius(),
    ) {
        let map = Hypentropy::new(beta).unwrap();
        let exact = nuclear_threshold(&map, radius, duals.iter());
        let bisected = bisect_threshold(&map, &duals, radius);
        prop_assert!(
            (exact - bisected).abs() <= 1e-9 * bisected.max(1.0),
            "hypentropy beta {beta}: nuclear_threshold {exact}, bisection {bisected}"
        );

        let exact = nuclear_threshold(&Euclidean, radius, duals.iter());
        let bisected = bisect_threshold(&Euclidean, &duals, radius);
        prop_assert!(
            (exact - bisected).abs() <= 1e-9 * bisected.max(1.0),
            "euclidean: nuclear_threshold {exact}, bisection {bisected}"
        );
    }

    #[test]
    fn threshold_handles_ties(duals in tied_duals(), beta in beta(), radius in radius()) {
        let map = Hypentropy::new(beta).unwrap();
        let exact = nuclear_threshold(&map, radius, duals.iter());
        let bisected = bisect_threshold(&map, &duals, radius);
        prop_assert!(
            (exact - bisected).abs() <= 1e-9 * bisected.max(1.0),
            "hypentropy beta {beta}: nuclear_threshold {exact}, bisection {bisected}"
        );

        let exact = nuclear_threshold(&Euclidean, radius, duals.iter());
        let bisected = bisect_threshold(&Euclidean, &duals, radius);
        prop_assert!(
            (exact - bisected).abs() <= 1e-9 * bisected.max(1.0),
            "euclidean: nuclear_threshold {exact}, bisection {bisected}"
        );
    }

    #[test]
    fn solve_segment_finds_known_root(
        shifted in proptest::collection::vec(0.0..=3.0_f64, 1..=8),
        delta in 0.0..=2.0_f64,
        extra in 0.0..=2.0_f64,
        beta in beta(),
    ) {
        // Build the equation from a known root `delta`, then solve it.
        let map = Hypentropy::new(beta).unwrap();
        let radius: f64 = shifted.iter().map(|&a| map.grad_inverse(a + delta)).sum();
        let max_delta = delta + extra;

        let closed_form = map.solve_segment(&shifted, radius, max_delta);
        prop_assert!(
            (closed_form - delta).abs() <= 1e-9,
            "hypentropy beta {beta}: closed form {closed_form}, root {delta}"
        );
        let bisected = DefaultSegment(map).solve_segment(&shifted, radius, max_delta);
        prop_assert!(
            (bisected - delta).abs() <= 1e-9,
            "default bisection {bisected}, root {delta}"
        );

        let radius: f64 = shifted.iter().map(|&a| a + delta).sum();
        let euclidean = Euclidean.solve_segment(&shifted, radius, max_delta);
        prop_assert!(
            (euclidean - delta).abs() <= 1e-9 * delta.max(1.0),
            "euclidean: closed form {euclidean}, root {delta}"
        );
    }

    #[test]
    fn default_segment_projection_agrees(blocks in blocks(), beta in beta(), radius in radius()) {
        let map = Hypentropy::new(beta).unwrap();
        let ball = Ball::Nuclear { radius, scope: Scope::Joint };
        let (closed_form, _) = project(ball, &map, &blocks);
        let (bisected, _) = project(ball, &DefaultSegment(map), &blocks);
        for (&first, &second) in closed_form.iter().flatten().zip(bisected.iter().flatten()) {
            prop_assert!(
                (first - second).abs() <= 1e-9 * first.abs().max(1.0),
                "beta {beta}: closed form gives dual {first}, default bisection {second}"
            );
        }
    }
}

/// Dense check: projects the dual matrix through its eigenvalues and
/// compares the divergence with random feasible matrices and with feasible
/// perturbations of the projection.
fn check_dense_minimizer(
    map: &impl MirrorMap,
    ball: Ball,
    dual: MatRef<'_, f64>,
    random: &mut SplitMix64,
) -> Result<(), TestCaseError> {
    let n = dual.nrows();
    let eig = symmetric_eigen(dual).unwrap();
    let target_values: Vec<f64> = eig.values.iter().map(|&u| map.grad_inverse(u)).collect();
    let target = rebuild(eig.vectors.as_ref(), &target_values);

    let mut projected_duals = eig.values.clone();
    ball.project(map, &mut [projected_duals.as_mut_slice()]);
    let projected_values: Vec<f64> = projected_duals
        .iter()
        .map(|&u| map.grad_inverse(u))
        .collect();
    let projected = rebuild(eig.vectors.as_ref(), &projected_values);

    let best = bregman_divergence(map, projected.as_ref(), target.as_ref()).unwrap();
    let scale = 1.0
        + spectral_potential(map, target.as_ref()).unwrap().abs()
        + spectral_potential(map, projected.as_ref()).unwrap().abs();
    let tolerance = 1e-10 * scale;

    let (radius, nuclear_ball) = match ball {
        Ball::Nuclear { radius, .. } => (radius, true),
        Ball::Operator { radius } => (radius, false),
        Ball::Frobenius { .. } | Ball::Unconstrained => {
            panic!("the dense check covers the nuclear and operator balls")
        }
    };
    let norm_of = |matrix: &Mat<f64>| -> f64 {
        let values = symmetric_eigen(matrix.as_ref()).unwrap().values;
        if nuclear_ball {
            values.iter().map(|v| v.abs()).sum()
        } else {
            values.iter().map(|v| v.abs()).fold(0.0, f64::max)
        }
    };
    let scaled =
        |matrix: &Mat<f64>, factor: f64| Mat::from_fn(n, n, |i, j| matrix[(i, j)] * factor);

    for trial in 0..200 {
        let candidate = random.symmetric(n, 1.0);
        let norm = norm_of(&candidate);
        if norm == 0.0 {
            continue;
        }
        let feasible = scaled(&candidate, radius * random.uniform(0.0, 1.0) / norm);
        let divergence = bregman_divergence(map, feasible.as_ref(), target.as_ref()).unwrap();
        prop_assert!(
            best <= divergence + tolerance,
            "{map:?}, {ball:?}: projection divergence {best} > {divergence} of random matrix {trial}"
        );
    }

    for trial in 0..200 {
        let step = [1e-1, 1e-2, 1e-3][trial % 3];
        let direction = random.symmetric(n, step);
        let perturbed = &projected + &direction;
        let norm = norm_of(&perturbed);
        let feasible = if norm > radius {
            scaled(&perturbed, radius / norm)
        } else {
            perturbed
        };
        let divergence = bregman_divergence(map, feasible.as_ref(), target.as_ref()).unwrap();
        prop_assert!(
            best <= divergence + tolerance,
            "{map:?}, {ball:?}: projection divergence {best} > {divergence} of perturbation {trial} (step {step})"
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn dense_projection_is_minimizer(
        n in 1..=4_usize,
        seed in any::<u64>(),
        beta in beta(),
        radius in radius(),
    ) {
        let mut random = SplitMix64::new(seed);
        let dual = random.symmetric(n, 3.0);
        let hypentropy = Hypentropy::new(beta).unwrap();
        for ball in [Ball::Nuclear { radius, scope: Scope::Joint }, Ball::Operator { radius }] {
            check_dense_minimizer(&hypentropy, ball, dual.as_ref(), &mut random)?;
            check_dense_minimizer(&Euclidean, ball, dual.as_ref(), &mut random)?;
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn euclidean_large_duals_match_brute_force(
        duals in proptest::collection::vec(-5000.0..=5000.0_f64, 1..=12),
        radius in 0.1..=1e4_f64,
    ) {
        // Under the Euclidean map the primal values are the duals, so no
        // clamp may apply before the threshold.
        let blocks = vec![duals.clone()];
        let ball = Ball::Nuclear { radius, scope: Scope::Joint };
        let (projected, _) = project(ball, &Euclidean, &blocks);
        let expected = brute_force_nuclear(&Euclidean, &duals, radius);
        check_primal_matches(&Euclidean, &projected[0], &expected, "large duals")?;
    }
}

#[test]
fn euclidean_projection_beyond_hypentropy_limit() {
    // Radius 1000 on (1000, 800): nu = 400, so the projection is (600, 400).
    let ball = Ball::Nuclear {
        radius: 1000.0,
        scope: Scope::Joint,
    };
    let mut duals = vec![1000.0, 800.0];
    let nu = ball.project(&Euclidean, &mut [duals.as_mut_slice()]);
    assert!((nu - 400.0).abs() <= 1e-9, "nu {nu}, expected 400");
    assert!(
        (duals[0] - 600.0).abs() <= 1e-9,
        "first value {}, expected 600",
        duals[0]
    );
    assert!(
        (duals[1] - 400.0).abs() <= 1e-9,
        "second value {}, expected 400",
        duals[1]
    );

    let mut duals = vec![1e6, -1e6];
    Ball::Unconstrained.project(&Euclidean, &mut [duals.as_mut_slice()]);
    assert_eq!(
        duals,
        vec![1e6, -1e6],
        "unconstrained Euclidean projection changed the duals"
    );
}

#[test]
fn unconstrained_keeps_primal_finite() {
    let map = Hypentropy::new(5.0).unwrap();
    let mut duals = vec![1e6, -1e6, 3.0];
    Ball::Unconstrained.project(&map, &mut [duals.as_mut_slice()]);
    for &u in &duals {
        let primal = map.grad_inverse(u);
        assert!(
            primal.is_finite(),
            "hypentropy: dual {u} gives primal {primal}"
        );
    }
    assert_eq!(
        duals[2], 3.0,
        "hypentropy: a dual value inside the limit changed"
    );

    let mut duals = vec![1e6, -1e6];
    Ball::Unconstrained.project(&Euclidean, &mut [duals.as_mut_slice()]);
    for &u in &duals {
        let primal = Euclidean.grad_inverse(u);
        assert!(
            primal.is_finite(),
            "euclidean: dual {u} gives primal {primal}"
        );
    }
}

#[test]
fn projection_handles_empty_blocks() {
    let map = Hypentropy::new(1.0).unwrap();
    let ball = Ball::Nuclear {
        radius: 1.0,
        scope: Scope::Joint,
    };
    let nu = ball.project(&map, &mut []);
    assert_eq!(nu, 0.0, "no blocks");

    let mut empty: Vec<f64> = Vec::new();
    let mut full = vec![4.0, -4.0];
    let nu = ball.project(&map, &mut [empty.as_mut_slice(), full.as_mut_slice()]);
    assert!(
        nu > 0.0,
        "an empty block next to a full one returned nu = {nu}"
    );
    let norm = nuclear(&map, &full);
    assert!(
        (norm - 1.0).abs() <= 1e-12,
        "nuclear norm {norm} after projection, expected 1"
    );
}

#[test]
fn threshold_zero_inside_ball() {
    let map = Hypentropy::new(1.0).unwrap();
    let empty: [f64; 0] = [];
    assert_eq!(
        nuclear_threshold(&map, 1.0, empty.iter()),
        0.0,
        "empty input"
    );
    let zeros = [0.0, -0.0, 0.0];
    assert_eq!(
        nuclear_threshold(&map, 1.0, zeros.iter()),
        0.0,
        "zero duals"
    );
    let inside = [0.1, -0.2];
    assert_eq!(
        nuclear_threshold(&map, 1.0, inside.iter()),
        0.0,
        "inside the ball"
    );
}

#[test]
fn soft_threshold_shrinks_to_zero() {
    let mut values = vec![3.0, -3.0, 0.5, -0.5, 0.0];
    soft_threshold(&mut values, 1.0);
    assert_eq!(values, vec![2.0, -2.0, 0.0, 0.0, 0.0], "threshold 1");
}

#[test]
fn validate_rejects_bad_radius() {
    for radius in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        let balls = [
            Ball::Nuclear {
                radius,
                scope: Scope::Joint,
            },
            Ball::Nuclear {
                radius,
                scope: Scope::PerBlock,
            },
            Ball::Operator { radius },
        ];
        for ball in balls {
            let result = ball.validate();
            assert!(
                matches!(result, Err(Error::InvalidParameter { name: "radius", .. })),
                "{ball:?}: {result:?}"
            );
        }
    }
    assert_eq!(Ball::Unconstrained.validate(), Ok(()), "unconstrained");
    assert_eq!(
        Ball::Operator { radius: 1e-300 }.validate(),
        Ok(()),
        "tiny radius"
    );
}
