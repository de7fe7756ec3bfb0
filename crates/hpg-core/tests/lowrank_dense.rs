//! The low-rank path against the dense reference over long runs: with no
//! eigenpair dropped and no rank cap, both paths must give the same
//! probabilities (to rounding) and the same decisions for the same seed.

use hpg_core::env::{Environment, Round, SyntheticBuilder};
use hpg_core::{Hpg, LearnerBuilder, Path};

const UPDATES: usize = 500;

/// Probabilities may differ by rounding only.
const PROBABILITY_TOLERANCE: f64 = 1e-9;

fn rounds(dim: usize, models: usize, seed: u64) -> Vec<Round> {
    let mut env = SyntheticBuilder::new()
        .dim(dim)
        .models(models)
        .rank(2.min(dim))
        .items(50)
        .rounds(UPDATES)
        .seed(seed)
        .build()
        .expect("valid environment");
    std::iter::from_fn(|| env.next_round()).collect()
}

fn learner(dim: usize, models: usize, seed: u64, path: Path) -> Hpg {
    LearnerBuilder::new(dim, models)
        .seed(seed)
        .path(path)
        .drop_tolerance(0.0)
        .max_rank(dim + 1)
        .build()
        .expect("valid learner")
}

/// Plays the rounds with both paths side by side and returns the largest
/// probability difference seen before any decision.
fn compare(dim: usize, models: usize, seed: u64) -> f64 {
    let mut low_rank = learner(dim, models, seed, Path::LowRank);
    let mut dense = learner(dim, models, seed, Path::Dense);
    let mut largest = 0.0_f64;

    for (t, round) in rounds(dim, models, seed).iter().enumerate() {
        let p_low = low_rank
            .probabilities(&round.features)
            .expect("valid features");
        let p_dense = dense
            .probabilities(&round.features)
            .expect("valid features");
        for (a, b) in p_low.iter().zip(&p_dense) {
            largest = largest.max((a - b).abs());
        }

        let d_low = low_rank.decide(&round.features).expect("valid features");
        let d_dense = dense.decide(&round.features).expect("valid features");
        assert_eq!(
            d_low.model, d_dense.model,
            "decision of round {t} (dim {dim}, models {models}, seed {seed})"
        );

        let reward = round.rewards[d_low.model];
        low_rank
            .observe(d_low.ticket, reward)
            .expect("valid reward");
        dense.observe(d_dense.ticket, reward).expect("valid reward");
    }
    largest
}

#[test]
fn paths_agree_small_problems() {
    let cases = [(3, 2, 0), (8, 3, 1), (17, 5, 2), (40, 4, 3)];
    for (dim, models, seed) in cases {
        let largest = compare(dim, models, seed);
        assert!(
            largest <= PROBABILITY_TOLERANCE,
            "dim {dim}, models {models}: probabilities differ by {largest:e}"
        );
    }
}

#[test]
fn paths_agree_large_problem() {
    let largest = compare(127, 8, 4);
    assert!(
        largest <= PROBABILITY_TOLERANCE,
        "dim 127, models 8: probabilities differ by {largest:e}"
    );
}
