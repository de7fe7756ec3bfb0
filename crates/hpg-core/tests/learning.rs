//! Learning on the synthetic low-rank environment: HPG with its default
//! parameters must close most of the uniform policy's gap to the per-query
//! oracle, beat the log-linear learner, and never collapse onto one model.

use hpg_core::env::{Environment, Round, SyntheticBuilder};
use hpg_core::{Learner, LearnerBuilder};
use hpg_estimators::Estimator;
use hpg_policy::{FeatureMap, Policy};

const MODELS: usize = 4;
const DIM: usize = 32;
const ROUNDS: usize = 20_000;

/// Returns all rounds of the synthetic environment: `M = 4`, rank 2, `d = 32`,
/// noise 0.3, i.i.d. query types.
fn synthetic_rounds(seed: u64) -> Vec<Round> {
    let mut env = SyntheticBuilder::new()
        .models(MODELS)
        .rank(2)
        .dim(DIM)
        .noise(0.3)
        .rounds(ROUNDS)
        .seed(seed)
        .build()
        .expect("valid environment");
    assert_eq!(env.rounds(), ROUNDS, "rounds of the environment");
    std::iter::from_fn(|| env.next_round()).collect()
}

/// Plays every round and returns the average gap `max_m r_t(m) - r_t(m_t)`
/// of a learner that observes only the chosen model's reward.
fn learner_gap<F: FeatureMap, P: Policy, E: Estimator>(
    learner: &mut Learner<F, P, E>,
    rounds: &[Round],
) -> f64 {
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

/// Returns the expected average gap of the uniform policy on the rounds.
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

fn hpg_gap(rounds: &[Round], seed: u64) -> f64 {
    let mut learner = LearnerBuilder::new(DIM, MODELS)
        .seed(seed)
        .build()
        .expect("default parameters");
    learner_gap(&mut learner, rounds)
}

#[test]
fn hpg_beats_uniform_and_linear() {
    let rounds = synthetic_rounds(0);
    let uniform = uniform_gap(&rounds);
    assert!(
        uniform > 0.0,
        "uniform gap {uniform}: the models never differ"
    );

    let hpg = hpg_gap(&rounds, 0);
    let mut linear = LearnerBuilder::new(DIM, MODELS)
        .seed(0)
        .build_log_linear()
        .expect("default parameters");
    let log_linear = learner_gap(&mut linear, &rounds);

    assert!(
        hpg < 0.5 * uniform,
        "HPG gap {hpg} not below half the uniform gap {uniform}"
    );
    assert!(
        hpg < log_linear,
        "HPG gap {hpg} not below the log-linear gap {log_linear} (uniform {uniform})"
    );
}

#[test]
fn hpg_no_collapse_over_seeds() {
    for seed in 1..=5 {
        let rounds = synthetic_rounds(seed);
        let uniform = uniform_gap(&rounds);
        let hpg = hpg_gap(&rounds, 100 + seed);
        assert!(
            hpg < 0.5 * uniform,
            "seed {seed}: HPG gap {hpg} not below half the uniform gap {uniform}"
        );
    }
}
