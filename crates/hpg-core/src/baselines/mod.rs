//! Regression baselines for the routers: each model's reward is predicted
//! by online ridge regression, and a router acts on the predictions.
//!
//! | router | name | exploration |
//! | --- | --- | --- |
//! | [`LinUcb`] | `linucb` | upper confidence bound, deterministic |
//! | [`EpsilonGreedy::new`] | `eps-greedy` | `epsilon_t = min(1, c t^(-1/3))` |
//! | [`EpsilonGreedy::quadratic`] | `quad-eps-greedy` | as `eps-greedy`, on [`QuadraticFeatures`] |
//! | [`FullInformationRidge`] | `full-info` | none; learns every model's reward |
//!
//! All of them regress on the HPG learner's policy features
//! `z = [x / max(1, ||x||), c] / sqrt(1 + c^2)` with `c = 1`, so they see
//! the same information as the policy. `full-info` is a reference, not a
//! bandit: it needs the reward of every model in each round.

mod eps_greedy;
mod features;
mod full_info;
mod linucb;
mod quadratic;
mod ridge;
mod tickets;

pub use eps_greedy::{EpsilonGreedy, DEFAULT_EPSILON_SCALE};
pub use full_info::FullInformationRidge;
pub use linucb::{LinUcb, DEFAULT_ALPHA};
pub use quadratic::{QuadraticFeatures, RANDOM_FEATURES};
pub use ridge::{Ridge, DEFAULT_LAMBDA};

use crate::error::invalid;
use crate::Result;

/// Parameters of the baseline routers. Each router reads only the fields
/// it uses, and the default sets every field to its `DEFAULT_` constant.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BaselineOptions {
    /// Ridge penalty `lambda` of every regression, above 0.
    pub lambda: f64,
    /// Weight `alpha` of LinUCB's confidence bonus, 0 or more.
    pub alpha: f64,
    /// Scale `c` of the exploration rate `min(1, c t^(-1/3))` of
    /// epsilon-greedy, 0 or more.
    pub epsilon_scale: f64,
}

impl Default for BaselineOptions {
    fn default() -> Self {
        Self {
            lambda: DEFAULT_LAMBDA,
            alpha: DEFAULT_ALPHA,
            epsilon_scale: DEFAULT_EPSILON_SCALE,
        }
    }
}

/// Checks that at least one model is routed to.
fn check_models(models: usize) -> Result<()> {
    if models == 0 {
        return Err(invalid("models", "0".to_owned(), "at least 1 model"));
    }
    Ok(())
}

/// Checks that `value` is finite and 0 or more.
fn check_non_negative(name: &'static str, value: f64) -> Result<()> {
    if !(value.is_finite() && value >= 0.0) {
        return Err(invalid(name, value.to_string(), "a finite value >= 0"));
    }
    Ok(())
}

/// Returns the index of the largest score, the lowest index among ties.
/// A NaN score never wins, and an empty or all-NaN list gives 0.
fn argmax(scores: impl Iterator<Item = f64>) -> usize {
    let mut best = 0;
    let mut best_score = f64::NEG_INFINITY;
    for (index, score) in scores.enumerate() {
        if score > best_score {
            best = index;
            best_score = score;
        }
    }
    best
}

/// Returns the distribution that puts all mass on `model`.
fn one_hot(models: usize, model: usize) -> Vec<f64> {
    let mut probabilities = vec![0.0; models];
    if let Some(slot) = probabilities.get_mut(model) {
        *slot = 1.0;
    }
    probabilities
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argmax_prefers_lowest_index_on_ties() {
        assert_eq!(argmax([0.5, 0.9, 0.9].into_iter()), 1);
        assert_eq!(argmax([0.0, 0.0].into_iter()), 0);
        assert_eq!(argmax([f64::NAN, 0.1].into_iter()), 1);
        assert_eq!(argmax([-3.0, -1.0, -2.0].into_iter()), 1);
    }

    #[test]
    fn one_hot_marks_one_model() {
        assert_eq!(one_hot(3, 2), [0.0, 0.0, 1.0]);
    }
}
