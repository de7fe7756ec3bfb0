//! The log-quadratic policy: the uniform start, the nuclear-norm bound after
//! ascent, agreement of the low-rank path with the dense reference, and
//! errors that leave the policy unchanged.

mod common;

use common::{
    check_errors_keep_policy, logits_of, probabilities_of, random_step, unit_ball_vector,
};
use hpg_linalg::{Ball, Euclidean, Hypentropy, Scope};
use hpg_policy::{Error, LogQuadratic, Path, Policy};
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn joint_ball(radius: f64) -> Ball {
    Ball::Nuclear {
        radius,
        scope: Scope::Joint,
    }
}

fn hypentropy_policy(models: usize, n: usize, radius: f64, path: Path) -> LogQuadratic<Hypentropy> {
    let map = Hypentropy::new(0.5).expect("valid beta");
    LogQuadratic::new(models, n, map, joint_ball(radius), path, 0.0).expect("valid policy")
}

/// Returns the sum over models of the nuclear norm of the dense primal
/// matrix, computed by a full eigendecomposition.
fn dense_nuclear_norm(policy: &LogQuadratic<Hypentropy>) -> f64 {
    (0..policy.models())
        .map(|m| {
            let theta = policy.primal_dense(m).expect("model in range");
            let eig = hpg_linalg::symmetric_eigen(theta.as_ref()).expect("finite matrix");
            eig.values.iter().map(|l| l.abs()).sum::<f64>()
        })
        .sum()
}

#[test]
fn quadratic_initial_uniform() {
    for path in [Path::LowRank, Path::Dense] {
        let policy = hypentropy_policy(2, 3, 4.0, path);
        let z = [0.3, -0.4, 0.5];
        let logits = logits_of(&policy, &z);
        assert_eq!(logits, vec![0.0, 0.0], "{path:?}: logits before any update");
        let p = probabilities_of(&policy, &z);
        assert_eq!(
            p,
            vec![0.5, 0.5],
            "{path:?}: probabilities before any update"
        );
        assert_eq!(policy.rank(), 0, "{path:?}: rank before any update");
        assert_eq!(
            policy.nuclear_norm(),
            0.0,
            "{path:?}: nuclear norm before any update"
        );
    }
}

#[test]
fn quadratic_ascent_raises_model() {
    let mut policy = hypentropy_policy(3, 4, 8.0, Path::LowRank);
    let z = [0.5, 0.5, 0.0, 0.5];
    policy
        .ascend(&[1.0, -0.5, -0.5], &[&z])
        .expect("valid ascent step");
    let p = probabilities_of(&policy, &z);
    assert!(p[0] > 1.0 / 3.0, "p[0] = {} after raising model 0", p[0]);
    assert!(p[1] < 1.0 / 3.0, "p[1] = {} after lowering model 1", p[1]);

    // The logits of a query orthogonal to `z` stay 0.
    let orthogonal = [0.5, -0.5, 0.0, 0.0];
    let logits = logits_of(&policy, &orthogonal);
    for (m, logit) in logits.iter().enumerate() {
        assert!(
            logit.abs() < 1e-12,
            "logit {m} = {logit} on an orthogonal query"
        );
    }
}

#[test]
fn quadratic_logit_matches_dense_form() {
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let mut policy = hypentropy_policy(3, 6, 10.0, Path::LowRank);
    for _ in 0..20 {
        random_step(&mut policy, &mut rng, 2.0);
    }
    for _ in 0..10 {
        let z = unit_ball_vector(&mut rng, 6);
        let logits = logits_of(&policy, &z);
        for (m, &logit) in logits.iter().enumerate() {
            let theta = policy.primal_dense(m).expect("model in range");
            let mut quadratic = 0.0;
            for i in 0..6 {
                for j in 0..6 {
                    quadratic += z[i] * theta[(i, j)] * z[j];
                }
            }
            assert!(
                (logit - quadratic).abs() < 1e-10,
                "model {m}: logit {logit}, z^T Theta z = {quadratic}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn quadratic_nuclear_norm_within_radius(
        seed in any::<u64>(),
        models in 2..=4_usize,
        n in 1..=8_usize,
        radius in 0.5..=20.0_f64,
        scale in 0.1..=20.0_f64,
        path in prop_oneof![Just(Path::LowRank), Just(Path::Dense)],
    ) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut policy = hypentropy_policy(models, n, radius, path);
        for step in 0..30 {
            random_step(&mut policy, &mut rng, scale);
            let total = policy.nuclear_norm();
            prop_assert!(total <= radius * (1.0 + 1e-9), "step {}: sum of nuclear norms {} > radius {}", step, total, radius);
        }
        let dense = dense_nuclear_norm(&policy);
        prop_assert!(dense <= radius * (1.0 + 1e-9), "nuclear norm of the dense primals {} > radius {}", dense, radius);
    }
}

#[test]
fn quadratic_per_block_ball() {
    let mut rng = ChaCha8Rng::seed_from_u64(17);
    let map = Hypentropy::new(0.5).expect("valid beta");
    let ball = Ball::Nuclear {
        radius: 3.0,
        scope: Scope::PerBlock,
    };
    let mut policy = LogQuadratic::new(3, 5, map, ball, Path::LowRank, 0.0).expect("valid policy");
    for _ in 0..50 {
        random_step(&mut policy, &mut rng, 10.0);
    }
    let total = policy.nuclear_norm();
    assert!(
        total > 3.0,
        "total nuclear norm {total}: steps this large should fill more than one block's radius"
    );
    for m in 0..3 {
        let theta = policy.primal_dense(m).expect("model in range");
        let eig = hpg_linalg::symmetric_eigen(theta.as_ref()).expect("finite matrix");
        let block: f64 = eig.values.iter().map(|l| l.abs()).sum();
        assert!(
            block <= 3.0 * (1.0 + 1e-9),
            "model {m}: nuclear norm {block} > 3"
        );
    }
}

#[test]
fn quadratic_low_rank_matches_dense() {
    let cases = [(2, 3), (3, 5), (4, 8), (2, 12), (4, 12), (3, 1)];
    for (case, &(models, n)) in cases.iter().enumerate() {
        let mut rng = ChaCha8Rng::seed_from_u64(1000 + case as u64);
        let radius = rng.random_range(2.0..=12.0);
        let mut low_rank = hypentropy_policy(models, n, radius, Path::LowRank);
        let mut dense = hypentropy_policy(models, n, radius, Path::Dense);

        for step in 0..200 {
            let scale = rng.random_range(0.01..=3.0);
            let mut step_rng = rng.clone();
            random_step(&mut low_rank, &mut step_rng, scale);
            random_step(&mut dense, &mut rng, scale);

            let probe = unit_ball_vector(&mut rng, n);
            let p = probabilities_of(&low_rank, &probe);
            let q = probabilities_of(&dense, &probe);
            for m in 0..models {
                let difference = (p[m] - q[m]).abs();
                assert!(
                    difference <= 1e-9,
                    "M = {models}, n = {n}, step {step}, model {m}: low-rank {}, dense {}",
                    p[m],
                    q[m]
                );
            }
        }

        let gap = (low_rank.nuclear_norm() - dense.nuclear_norm()).abs();
        assert!(
            gap <= 1e-9 * radius,
            "M = {models}, n = {n}: nuclear norms differ by {gap}"
        );
    }
}

#[test]
fn quadratic_low_rank_matches_dense_euclidean() {
    let mut rng = ChaCha8Rng::seed_from_u64(77);
    let (models, n) = (3, 7);
    let build = |path| {
        LogQuadratic::new(models, n, Euclidean, joint_ball(5.0), path, 0.0).expect("valid policy")
    };
    let mut low_rank = build(Path::LowRank);
    let mut dense = build(Path::Dense);
    for step in 0..200 {
        let mut step_rng = rng.clone();
        random_step(&mut low_rank, &mut step_rng, 1.0);
        random_step(&mut dense, &mut rng, 1.0);
        let probe = unit_ball_vector(&mut rng, n);
        let p = probabilities_of(&low_rank, &probe);
        let q = probabilities_of(&dense, &probe);
        for m in 0..models {
            assert!(
                (p[m] - q[m]).abs() <= 1e-9,
                "step {step}, model {m}: low-rank {}, dense {}",
                p[m],
                q[m]
            );
        }
    }
}

#[test]
fn quadratic_max_rank_caps_rank() {
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let policy = hypentropy_policy(2, 10, 50.0, Path::LowRank);
    let mut policy = policy.with_max_rank(2).expect("rank cap 2 is valid");
    for step in 0..40 {
        random_step(&mut policy, &mut rng, 1.0);
        let rank = policy.rank();
        assert!(
            rank <= 4,
            "step {step}: total rank {rank} above 2 models x cap 2"
        );
    }
}

#[test]
fn quadratic_invalid_parameters() {
    let map = Hypentropy::new(0.5).expect("valid beta");
    let zero_models = LogQuadratic::new(0, 3, map, joint_ball(1.0), Path::LowRank, 0.0);
    assert!(
        matches!(
            zero_models,
            Err(Error::InvalidParameter { name: "models", .. })
        ),
        "zero models: {zero_models:?}"
    );

    for tolerance in [-1e-3, f64::NAN, f64::INFINITY] {
        let result = LogQuadratic::new(2, 3, map, joint_ball(1.0), Path::LowRank, tolerance);
        assert!(
            matches!(
                result,
                Err(Error::InvalidParameter {
                    name: "drop_tolerance",
                    ..
                })
            ),
            "drop tolerance {tolerance}: {result:?}"
        );
    }

    let bad_ball = LogQuadratic::new(2, 3, map, joint_ball(0.0), Path::LowRank, 0.0);
    assert!(
        matches!(bad_ball, Err(Error::Linalg(_))),
        "radius 0: {bad_ball:?}"
    );

    let capped = hypentropy_policy(2, 3, 1.0, Path::LowRank).with_max_rank(0);
    assert!(
        matches!(
            capped,
            Err(Error::InvalidParameter {
                name: "max_rank",
                ..
            })
        ),
        "max rank 0: {capped:?}"
    );
}

#[test]
fn quadratic_model_index_error() {
    let policy = hypentropy_policy(2, 3, 1.0, Path::LowRank);
    let error = policy.primal_dense(2).expect_err("model 2 of 2");
    assert_eq!(
        error,
        Error::ModelIndex {
            index: 2,
            models: 2
        },
        "primal_dense(2)"
    );
}

#[test]
fn quadratic_errors_keep_policy() {
    check_errors_keep_policy(hypentropy_policy(3, 4, 6.0, Path::LowRank), "low-rank");
    check_errors_keep_policy(hypentropy_policy(3, 4, 6.0, Path::Dense), "dense");
}

#[test]
fn quadratic_direction_norm() {
    let policy = hypentropy_policy(2, 3, 1.0, Path::LowRank);
    let norm = policy.direction_norm(&[0.6, 0.0, 0.8]);
    assert!(
        (norm - 1.0).abs() < 1e-15,
        "direction norm {norm} of a unit vector"
    );
    let half = policy.direction_norm(&[0.3, 0.0, 0.4]);
    assert!(
        (half - 0.25).abs() < 1e-15,
        "direction norm {half}, expected ||z||^2 = 0.25"
    );
}

#[test]
fn quadratic_unconstrained_stays_finite() {
    let map = Hypentropy::new(1.0).expect("valid beta");
    let mut policy = LogQuadratic::new(2, 2, map, Ball::Unconstrained, Path::LowRank, 0.0)
        .expect("valid policy");
    let z = [0.6, 0.8];
    for _ in 0..10 {
        policy
            .ascend(&[500.0, -500.0], &[&z])
            .expect("valid ascent step");
    }
    let logits = logits_of(&policy, &z);
    for (m, logit) in logits.iter().enumerate() {
        assert!(
            logit.is_finite(),
            "logit {m} = {logit} after large unconstrained steps"
        );
    }
    let p = probabilities_of(&policy, &z);
    assert_eq!(
        p,
        vec![1.0, 0.0],
        "probabilities after large unconstrained steps"
    );
}
