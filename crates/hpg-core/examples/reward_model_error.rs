//! Measures how well the doubly robust estimator's ridge reward model
//! predicts a replayed reward table, against the running means that
//! REINFORCE could use as baseline.
//!
//! ```text
//! cargo run --release -p hpg-core --example reward_model_error -- \
//!     data/retrieval/typos/router_features_qpp.f16.npy \
//!     data/retrieval/typos/rewards.tsv mrr@10 1
//! ```
//!
//! Arguments: features, rewards, metric, passes. Each round draws a query
//! and a model uniformly at random (seed 0), scores the predictions before
//! the update (prequential squared error) and then updates. The features
//! go through the learner's default feature map, so `z` is what the
//! learner passes to the estimator.

use std::error::Error;
use std::path::Path;

use hpg_estimators::{DoublyRobust, Estimator, Feedback};
use hpg_policy::{FeatureMap, Normalized};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const RIDGES: [f64; 5] = [0.001, 0.01, 0.1, 1.0, 10.0];

/// Sums of squared errors of the three predictors over the scored rounds.
#[derive(Debug, Default)]
struct Errors {
    ridge: f64,
    global_mean: f64,
    model_mean: f64,
    rounds: f64,
}

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [features_path, rewards_path, metric, passes] = args.as_slice() else {
        return Err("usage: reward_model_error FEATURES REWARDS METRIC PASSES".into());
    };
    let passes: usize = passes.parse()?;
    let features = hpg_io::load_features(Path::new(features_path))?;
    let table = hpg_io::load_rewards(Path::new(rewards_path), Some(metric))?;
    let dim = features.cols();
    let models = table.models.len();
    let raw = features.into_data();
    let rewards = table.rewards.into_data();

    let map = Normalized::new(dim, 1.0)?;
    let policy_features = raw
        .chunks_exact(dim)
        .map(|x| map.map(x))
        .collect::<Result<Vec<_>, _>>()?;

    println!("ridge    ridge MSE  global-mean MSE  per-model-mean MSE");
    for ridge in RIDGES {
        let errors = replay(&policy_features, &rewards, models, passes, ridge)?;
        println!(
            "{ridge:<8} {:>9.4} {:>16.4} {:>19.4}",
            errors.ridge / errors.rounds,
            errors.global_mean / errors.rounds,
            errors.model_mean / errors.rounds
        );
    }
    Ok(())
}

/// Replays `passes * rows` uniformly drawn (query, model) pairs and
/// returns the prequential squared errors.
fn replay(
    policy_features: &[Vec<f64>],
    rewards: &[f64],
    models: usize,
    passes: usize,
    ridge: f64,
) -> Result<Errors, Box<dyn Error>> {
    let rows = policy_features.len();
    let dim = policy_features.first().map_or(0, Vec::len);
    let mut estimator = DoublyRobust::with_parameters(models, dim, ridge, 0.0)?;
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let uniform = vec![1.0 / models as f64; models];
    let mut coefficients = vec![0.0; models];

    let mut errors = Errors::default();
    let (mut total, mut count) = (0.0, 0.0);
    let mut model_totals = vec![0.0; models];
    let mut model_counts = vec![0.0; models];
    for _ in 0..passes * rows {
        let row = rng.random_range(0..rows);
        let model = rng.random_range(0..models);
        let z = &policy_features[row];
        let reward = rewards[row * models + model];

        let predicted = estimator.predict_rewards(z)?[model];
        let global_mean = if count > 0.0 { total / count } else { 0.0 };
        let model_mean = if model_counts[model] > 0.0 {
            model_totals[model] / model_counts[model]
        } else {
            0.0
        };
        errors.ridge += (reward - predicted).powi(2);
        errors.global_mean += (reward - global_mean).powi(2);
        errors.model_mean += (reward - model_mean).powi(2);
        errors.rounds += 1.0;

        total += reward;
        count += 1.0;
        model_totals[model] += reward;
        model_counts[model] += 1.0;
        let feedback = Feedback {
            model,
            reward,
            propensity: 1.0 / models as f64,
            policy: &uniform,
            all_rewards: None,
            features: Some(z),
        };
        estimator.estimate(&feedback, &mut coefficients)?;
    }
    Ok(errors)
}
