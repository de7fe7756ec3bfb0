//! Environments that produce the rounds of a routing experiment.
//!
//! An environment returns, for every round, the router features of a query
//! and the reward of every model on it. A runner shows the features to the
//! routers and reveals to each only the reward of the model it chose. The
//! other rewards serve to measure the gap to the per-query best model.

pub(crate) mod linalg;
mod replay;
mod synthetic;

pub use replay::{Order, Replay, ReplayBuilder};
pub use synthetic::{ItemPlacement, Schedule, Synthetic, SyntheticBuilder};

/// One round: a query's router features and every model's reward on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Router features `x` of the query, of length [`Environment::dim`].
    pub features: Vec<f64>,
    /// Reward in `[0, 1]` of each model, of length [`Environment::models`].
    pub rewards: Vec<f64>,
}

impl Round {
    /// Returns the largest reward of the round, which the per-query oracle earns.
    pub fn best_reward(&self) -> f64 {
        self.rewards
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// A source of training rounds, plus optional held-out queries.
pub trait Environment: std::fmt::Debug {
    /// Number of models `M`.
    fn models(&self) -> usize;

    /// Length `d` of the router features.
    fn dim(&self) -> usize;

    /// Number of training rounds that [`Environment::next_round`] returns
    /// before it returns `None`.
    fn rounds(&self) -> usize;

    /// Returns the next training round, or `None` after the last one.
    fn next_round(&mut self) -> Option<Round>;

    /// Names of the models, `model0`, `model1`, ... unless the environment
    /// has real names.
    fn model_names(&self) -> Vec<String> {
        (0..self.models()).map(|m| format!("model{m}")).collect()
    }

    /// Receives the reward that the lead router got in the last round.
    /// Environments whose queries react to the router (an adaptive
    /// schedule) use it, and the others ignore it.
    fn record_reward(&mut self, reward: f64) {
        let _ = reward;
    }

    /// Queries that never appear in training rounds, for scoring the final
    /// policy. Empty unless the environment keeps some out of training.
    fn holdout(&self) -> Vec<Round> {
        Vec::new()
    }
}
