//! The HPG learner with the doubly robust estimator: it learns on the
//! synthetic low-rank environment, is deterministic, and resumes exactly
//! from a checkpoint.

#![cfg(all(feature = "estimators", feature = "io"))]

use hpg_core::env::{Environment, Round, SyntheticBuilder};
use hpg_core::{ExpectedConfig, HpgDoublyRobust, LearnerBuilder};

const MODELS: usize = 4;
const DIM: usize = 32;
const ROUNDS: usize = 20_000;

/// Returns all rounds of the synthetic environment: rank 2, noise 0.3,
/// i.i.d. query types.
fn synthetic_rounds(rounds: usize, seed: u64) -> Vec<Round> {
    let mut env = SyntheticBuilder::new()
        .models(MODELS)
        .rank(2)
        .dim(DIM)
        .noise(0.3)
        .rounds(rounds)
        .seed(seed)
        .build()
        .expect("valid environment");
    std::iter::from_fn(|| env.next_round()).collect()
}

/// Plays `rounds` with bandit feedback and returns the average gap
/// `max_m r_t(m) - r_t(m_t)`.
fn play(learner: &mut HpgDoublyRobust, rounds: &[Round]) -> f64 {
    let mut total = 0.0;
    for round in rounds {
        let decision = learner.decide(&round.features).expect("valid features");
        let reward = round.rewards[decision.model];
        learner
            .observe(decision.ticket, reward)
            .expect("valid reward");
        total += round.best_reward() - reward;
    }
    total / rounds.len() as f64
}

fn uniform_gap(rounds: &[Round]) -> f64 {
    let total: f64 = rounds
        .iter()
        .map(|round| {
            let mean = round.rewards.iter().sum::<f64>() / round.rewards.len() as f64;
            round.best_reward() - mean
        })
        .sum();
    total / rounds.len() as f64
}

fn learner(seed: u64) -> HpgDoublyRobust {
    LearnerBuilder::new(DIM, MODELS)
        .seed(seed)
        .build_doubly_robust()
        .expect("default parameters")
}

#[test]
fn doubly_robust_learns_synthetic() {
    for seed in 0..3 {
        let rounds = synthetic_rounds(ROUNDS, seed);
        let uniform = uniform_gap(&rounds);
        let gap = play(&mut learner(seed), &rounds);
        assert!(
            gap < 0.5 * uniform,
            "seed {seed}: DR gap {gap} not below half the uniform gap {uniform}"
        );
    }
}

#[test]
fn doubly_robust_is_deterministic() {
    let rounds = synthetic_rounds(500, 9);
    let mut first = learner(2);
    let mut second = learner(2);
    let first_gap = play(&mut first, &rounds);
    let second_gap = play(&mut second, &rounds);
    assert_eq!(first_gap.to_bits(), second_gap.to_bits());
    for round in &rounds[..20] {
        let a = first
            .probabilities(&round.features)
            .expect("valid features");
        let b = second
            .probabilities(&round.features)
            .expect("valid features");
        assert_eq!(a, b);
    }
}

#[test]
fn doubly_robust_checkpoint_resumes_exactly() {
    let rounds = synthetic_rounds(400, 3);
    let (head, tail) = rounds.split_at(200);
    let mut original = learner(5);
    play(&mut original, head);

    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("dr.ckpt");
    original.save(&path).expect("save");
    let expected = ExpectedConfig {
        models: MODELS,
        input_dim: DIM,
    };
    let mut resumed = HpgDoublyRobust::load(&path, &expected).expect("load");
    assert_eq!(resumed.observed(), 200);

    // The coefficients of later rounds depend on the reward models, so an
    // estimator restored wrongly would make the policies drift apart.
    let original_gap = play(&mut original, tail);
    let resumed_gap = play(&mut resumed, tail);
    assert_eq!(original_gap.to_bits(), resumed_gap.to_bits());
    for round in &tail[..20] {
        let a = original
            .probabilities(&round.features)
            .expect("valid features");
        let b = resumed
            .probabilities(&round.features)
            .expect("valid features");
        assert_eq!(a, b);
    }
}

#[test]
fn doubly_robust_rejects_invalid_builder() {
    let error = LearnerBuilder::new(DIM, MODELS)
        .implicit_exploration(-1.0)
        .build_doubly_robust()
        .expect_err("negative implicit exploration");
    let message = error.to_string();
    assert!(message.contains("implicit_exploration"), "{message}");
}
