//! One point of an experiment: its environment, learners and labels.

use crate::environment::EnvSpec;
use crate::learners::LearnerSpec;

/// Rounds on which the learners are scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scoring {
    /// The training rounds, by the rewards the learners earned.
    Training,
    /// The held-out queries, by the final policy's expected reward.
    Holdout,
}

/// One point of an experiment, run once per seed.
#[derive(Debug, Clone)]
pub struct Point {
    /// Fixed context of the point, such as a schedule or a table name.
    pub setting: String,
    /// Name of the swept parameter.
    pub parameter: &'static str,
    /// Value of the swept parameter.
    pub value: f64,
    /// Second swept parameter and its value, for two-way grids.
    pub parameter2: Option<(&'static str, f64)>,
    /// The environment, rebuilt for every seed.
    pub env: EnvSpec,
    /// The learners, in report order.
    pub learners: Vec<LearnerSpec>,
    /// Whether to fit the best-in-class reference.
    pub reference: bool,
    /// Rounds on which the learners are scored.
    pub scoring: Scoring,
}

impl Point {
    /// Returns the groups of learners that share one environment: all of
    /// them, or one per learner when the environment reacts to the learner.
    pub fn groups(&self) -> Vec<Vec<LearnerSpec>> {
        if self.env.is_adaptive() {
            self.learners.iter().map(|l| vec![l.clone()]).collect()
        } else {
            vec![self.learners.clone()]
        }
    }

    /// Estimates the work of one seed in learner-rounds: every learner plays
    /// every round, and the reference makes its passes once per group.
    pub fn work(&self) -> u64 {
        let rounds = self.env.rounds() as u64;
        let groups = self.groups().len() as u64;
        let learners = self.learners.len() as u64;
        let reference = if self.reference {
            let fits = crate::reference::REFERENCE_FITS * crate::reference::REFERENCE_PASSES;
            groups * fits as u64
        } else {
            0
        };
        rounds * (learners + reference)
    }
}
