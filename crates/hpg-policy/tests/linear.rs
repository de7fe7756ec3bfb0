//! The log-linear and constant policies: the uniform start, the l1 bound of
//! the nuclear-norm ball on their weights, known single steps, and errors
//! that leave the policy unchanged.

mod common;

use common::{
    check_errors_keep_policy, logits_of, probabilities_of, random_step, unit_ball_vector,
};
use hpg_linalg::{Ball, Euclidean, Hypentropy, MirrorMap, Scope};
use hpg_policy::{Constant, Error, LogLinear, Policy};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn joint_ball(radius: f64) -> Ball {
    Ball::Nuclear {
        radius,
        scope: Scope::Joint,
    }
}

fn log_linear(models: usize, dim: usize, radius: f64) -> LogLinear<Hypentropy> {
    let map = Hypentropy::new(0.5).expect("valid beta");
    LogLinear::new(models, dim, map, joint_ball(radius)).expect("valid policy")
}

fn constant(models: usize, dim: usize, radius: f64) -> Constant<Hypentropy> {
    let map = Hypentropy::new(0.5).expect("valid beta");
    Constant::new(models, dim, map, joint_ball(radius)).expect("valid policy")
}

/// Returns the sum of `|theta_mi|` over all weights of a log-linear policy.
fn l1_norm(policy: &LogLinear<Hypentropy>) -> f64 {
    (0..policy.models())
        .filter_map(|m| policy.weights(m))
        .flatten()
        .map(|t| t.abs())
        .sum()
}

#[test]
fn linear_initial_uniform() {
    let policy = log_linear(2, 3, 4.0);
    let z = [0.3, -0.4, 0.5];
    assert_eq!(
        logits_of(&policy, &z),
        vec![0.0, 0.0],
        "logits before any update"
    );
    assert_eq!(
        probabilities_of(&policy, &z),
        vec![0.5, 0.5],
        "probabilities before any update"
    );
    assert_eq!(policy.rank(), 0, "nonzero weights before any update");
}

#[test]
fn constant_initial_uniform() {
    let policy = constant(2, 3, 4.0);
    let z = [0.3, -0.4, 0.5];
    assert_eq!(
        logits_of(&policy, &z),
        vec![0.0, 0.0],
        "logits before any update"
    );
    assert_eq!(
        probabilities_of(&policy, &z),
        vec![0.5, 0.5],
        "probabilities before any update"
    );
}

#[test]
fn linear_single_step_euclidean() {
    // With the Euclidean map and no ball, one step adds c_m z to theta_m.
    let mut policy = LogLinear::new(2, 3, Euclidean, Ball::Unconstrained).expect("valid policy");
    let z = [0.5, -0.25, 1.0];
    policy
        .ascend(&[2.0, -1.0], &[&z])
        .expect("valid ascent step");
    let expected = [[1.0, -0.5, 2.0], [-0.5, 0.25, -1.0]];
    for (m, row) in expected.iter().enumerate() {
        let weights = policy.weights(m).expect("model in range");
        assert_eq!(weights, row.as_slice(), "weights of model {m}");
    }
    let probe = [1.0, 0.0, 0.0];
    let logits = logits_of(&policy, &probe);
    assert_eq!(logits, vec![1.0, -0.5], "logits on e_1");
}

#[test]
fn linear_step_uses_hypentropy() {
    let map = Hypentropy::new(0.5).expect("valid beta");
    let mut policy = LogLinear::new(2, 1, map, Ball::Unconstrained).expect("valid policy");
    policy
        .ascend(&[1.5, 0.0], &[&[1.0]])
        .expect("valid ascent step");
    let weight = policy.weights(0).expect("model in range")[0];
    let expected = map.grad_inverse(1.5);
    assert!(
        (weight - expected).abs() < 1e-15,
        "weight {weight}, expected beta sinh(1.5) = {expected}"
    );
    let untouched = policy.weights(1).expect("model in range")[0];
    assert_eq!(untouched, 0.0, "model with coefficient 0");
}

#[test]
fn linear_l1_within_radius() {
    for seed in 0..20 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let radius = 0.5 + seed as f64;
        let mut policy = log_linear(3, 5, radius);
        for step in 0..40 {
            random_step(&mut policy, &mut rng, 5.0);
            let total = l1_norm(&policy);
            assert!(
                total <= radius * (1.0 + 1e-9),
                "seed {seed}, step {step}: l1 norm {total} > radius {radius}"
            );
        }
    }
}

#[test]
fn linear_logits_bounded_by_radius() {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let radius = 3.0;
    let mut policy = log_linear(4, 6, radius);
    for _ in 0..100 {
        random_step(&mut policy, &mut rng, 10.0);
    }
    for _ in 0..50 {
        let z = unit_ball_vector(&mut rng, 6);
        for (m, logit) in logits_of(&policy, &z).iter().enumerate() {
            assert!(
                logit.abs() <= radius * (1.0 + 1e-9),
                "logit {m} = {logit} beyond radius {radius}"
            );
        }
    }
}

#[test]
fn linear_operator_ball_clips() {
    let map = Hypentropy::new(0.5).expect("valid beta");
    let mut policy =
        LogLinear::new(2, 2, map, Ball::Operator { radius: 0.75 }).expect("valid policy");
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    for _ in 0..50 {
        random_step(&mut policy, &mut rng, 10.0);
    }
    for m in 0..2 {
        for (i, t) in policy
            .weights(m)
            .expect("model in range")
            .iter()
            .enumerate()
        {
            assert!(
                t.abs() <= 0.75 * (1.0 + 1e-12),
                "theta[{m}][{i}] = {t} beyond 0.75"
            );
        }
    }
}

#[test]
fn linear_invalid_parameters() {
    let map = Hypentropy::new(0.5).expect("valid beta");
    let zero = LogLinear::new(0, 3, map, joint_ball(1.0));
    assert!(
        matches!(zero, Err(Error::InvalidParameter { name: "models", .. })),
        "zero models: {zero:?}"
    );
    let bad_ball = LogLinear::new(2, 3, map, joint_ball(f64::NAN));
    assert!(
        matches!(bad_ball, Err(Error::Linalg(_))),
        "radius NaN: {bad_ball:?}"
    );
    let zero_constant = Constant::new(0, 3, map, joint_ball(1.0));
    assert!(
        matches!(
            zero_constant,
            Err(Error::InvalidParameter { name: "models", .. })
        ),
        "constant with zero models: {zero_constant:?}"
    );
}

#[test]
fn linear_errors_keep_policy() {
    check_errors_keep_policy(log_linear(3, 4, 6.0), "log-linear");
}

#[test]
fn constant_errors_keep_policy() {
    check_errors_keep_policy(constant(3, 4, 6.0), "constant");
}

#[test]
fn constant_ignores_features() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let mut policy = constant(3, 4, 5.0);
    for _ in 0..20 {
        random_step(&mut policy, &mut rng, 2.0);
    }
    let first = probabilities_of(&policy, &[0.0; 4]);
    assert!(
        first.iter().any(|p| (p - 1.0 / 3.0).abs() > 1e-6),
        "probabilities {first:?} still uniform after 20 steps"
    );
    for _ in 0..10 {
        let z = unit_ball_vector(&mut rng, 4);
        let p = probabilities_of(&policy, &z);
        assert_eq!(p, first, "probabilities on {z:?}");
    }
}

#[test]
fn constant_step_raises_model() {
    let mut policy = constant(2, 3, 5.0);
    policy
        .ascend(&[1.0, -1.0], &[&[0.0, 0.0, 0.0]])
        .expect("valid ascent step");
    let p = probabilities_of(&policy, &[0.1, 0.2, 0.3]);
    assert!(p[0] > 0.5, "p[0] = {} after raising model 0", p[0]);
    assert_eq!(
        policy.direction_norm(&[0.1, 0.2, 0.3]),
        1.0,
        "direction norm of a constant"
    );
}

#[test]
fn linear_direction_norm() {
    let policy = log_linear(2, 2, 1.0);
    let norm = policy.direction_norm(&[0.3, 0.4]);
    assert!(
        (norm - 0.5).abs() < 1e-15,
        "direction norm {norm}, expected ||z|| = 0.5"
    );
}
