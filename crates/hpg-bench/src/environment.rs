//! Environments of an experiment point, rebuilt for every seed, and a
//! wrapper that records the rounds a run plays.

use std::sync::Arc;

use hpg_core::env::{Environment, ReplayBuilder, Round, Schedule, SyntheticBuilder};

use crate::table::Table;
use crate::Result;

/// How to build the environment of a point for a given seed.
#[derive(Debug, Clone)]
pub enum EnvSpec {
    /// Synthetic low-rank experts with the given query schedule; the seed
    /// replaces the builder's.
    Synthetic {
        /// Sizes and noise of the environment.
        builder: SyntheticBuilder,
        /// Schedule of the query types.
        schedule: Schedule,
        /// Number of rounds.
        rounds: usize,
    },
    /// Replay of a real table.
    Replay(ReplaySpec),
}

/// Replay of a real table.
#[derive(Debug, Clone)]
pub struct ReplaySpec {
    /// The table.
    pub table: Arc<Table>,
    /// Shuffled passes over the training rows.
    pub passes: usize,
    /// Fraction of the queries held out of training.
    pub holdout: f64,
    /// Largest number of training rounds played, `None` for all. Smaller
    /// profiles use it to replay a shuffled prefix of a pass.
    pub max_rounds: Option<usize>,
}

impl EnvSpec {
    /// Whether the queries react to the learner (the adaptive schedule), so
    /// that each learner must face its own copy of the environment.
    pub fn is_adaptive(&self) -> bool {
        matches!(
            self,
            Self::Synthetic {
                schedule: Schedule::Adaptive,
                ..
            }
        )
    }

    /// Number of training rounds that a run of this environment plays.
    pub fn rounds(&self) -> usize {
        match self {
            Self::Synthetic { rounds, .. } => *rounds,
            Self::Replay(spec) => {
                let rows = spec.table.rows();
                let held_out = (spec.holdout * rows as f64).ceil() as usize;
                let all = rows.saturating_sub(held_out).saturating_mul(spec.passes);
                spec.max_rounds.map_or(all, |limit| limit.min(all))
            }
        }
    }

    /// Builds the environment for `seed`, recording the rounds it returns.
    ///
    /// # Errors
    /// The builder's error for an invalid parameter.
    pub fn build(&self, seed: u64) -> Result<Recorder> {
        match self {
            Self::Synthetic {
                builder,
                schedule,
                rounds,
            } => {
                let env = builder
                    .clone()
                    .schedule(*schedule)
                    .rounds(*rounds)
                    .seed(seed)
                    .build()?;
                Ok(Recorder::new(Box::new(env), None))
            }
            Self::Replay(spec) => {
                let table = &spec.table;
                let env = ReplayBuilder::new(
                    table.features.clone(),
                    table.dim,
                    table.rewards.clone(),
                    table.models,
                )
                .model_names(table.model_names.clone())
                .passes(spec.passes)
                .holdout(spec.holdout)
                .seed(seed)
                .build()?;
                Ok(Recorder::new(Box::new(env), spec.max_rounds))
            }
        }
    }
}

/// An environment wrapper that keeps a copy of every training round it
/// returns and can stop after `limit` rounds.
#[derive(Debug)]
pub struct Recorder {
    inner: Box<dyn Environment>,
    limit: usize,
    played: Vec<Round>,
}

impl Recorder {
    fn new(inner: Box<dyn Environment>, limit: Option<usize>) -> Self {
        let limit = limit.map_or(inner.rounds(), |l| l.min(inner.rounds()));
        Self {
            inner,
            limit,
            played: Vec::new(),
        }
    }

    /// Returns the rounds returned so far, in order.
    pub fn played(&self) -> &[Round] {
        &self.played
    }
}

impl Environment for Recorder {
    fn models(&self) -> usize {
        self.inner.models()
    }

    fn dim(&self) -> usize {
        self.inner.dim()
    }

    fn rounds(&self) -> usize {
        self.limit
    }

    fn next_round(&mut self) -> Option<Round> {
        if self.played.len() >= self.limit {
            return None;
        }
        let round = self.inner.next_round()?;
        self.played.push(round.clone());
        Some(round)
    }

    fn model_names(&self) -> Vec<String> {
        self.inner.model_names()
    }

    fn record_reward(&mut self, reward: f64) {
        self.inner.record_reward(reward);
    }

    fn holdout(&self) -> Vec<Round> {
        self.inner.holdout()
    }
}
