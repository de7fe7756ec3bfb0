//! `--checkpoint` and `--resume`: the hpg learner of a run, saved to a
//! file every few rounds or started from one.

use std::path::PathBuf;

use hpg_core::env::Environment;
use hpg_core::{
    derive_seed, Decision, ExpectedConfig, Hpg, LearnerBuilder, Path, Result, Router, Ticket,
};

use super::error::CliError;

/// The name of the learner that checkpoints apply to.
pub const CHECKPOINTED_LEARNER: &str = "hpg";

/// The checkpoint options of a run.
#[derive(Debug, Clone)]
pub struct CheckpointOptions {
    /// File to write the learner to, if any.
    pub path: Option<PathBuf>,
    /// Rounds between two writes (at least 1).
    pub every: usize,
    /// File to start the learner from, if any.
    pub resume: Option<PathBuf>,
}

impl CheckpointOptions {
    /// Returns the options of a run without checkpoints.
    pub fn none() -> Self {
        Self {
            path: None,
            every: 1,
            resume: None,
        }
    }

    /// Returns whether the hpg learner needs the checkpointing router.
    pub fn is_active(&self) -> bool {
        self.path.is_some() || self.resume.is_some()
    }

    /// Checks the options against the list of learners.
    pub fn validate(&self, learners: &[String]) -> std::result::Result<(), CliError> {
        if self.every == 0 {
            return Err(CliError::usage(
                "--checkpoint-every is 0; pass a number of rounds of at least 1",
            ));
        }
        let listed = learners
            .iter()
            .any(|name| name.trim() == CHECKPOINTED_LEARNER);
        if self.is_active() && !listed {
            return Err(CliError::usage(
                "--checkpoint and --resume apply to the hpg learner, which --learners does not list; add hpg to --learners",
            ));
        }
        Ok(())
    }
}

/// Builds the hpg learner, from `options.resume` when set, wrapped so that
/// it writes `options.path` every `options.every` rounds and after the
/// environment's last round.
///
/// A resumed learner keeps the update path it was saved with, whatever
/// `path` is.
///
/// # Errors
/// The errors of [`Hpg::load`], among them a checkpoint whose models or
/// feature dimension differ from the environment's.
pub fn build_hpg(
    options: &CheckpointOptions,
    env: &dyn Environment,
    seed: u64,
    path: Path,
) -> Result<Box<dyn Router>> {
    let learner = match &options.resume {
        Some(file) => {
            let expected = ExpectedConfig {
                models: env.models(),
                input_dim: env.dim(),
            };
            let learner = Hpg::load(file, &expected)?;
            tracing::info!(file = %file.display(), observed = learner.observed(), "resumed the hpg learner");
            learner
        }
        // The same construction as `build_router_with`, so a run with
        // --checkpoint draws the same decisions as one without.
        None => LearnerBuilder::new(env.dim(), env.models())
            .seed(derive_seed(seed, CHECKPOINTED_LEARNER))
            .path(path)
            .build()?,
    };
    Ok(Box::new(Checkpointing {
        learner,
        file: options.path.clone(),
        every: options.every.max(1),
        total_rounds: env.rounds(),
        rounds: 0,
    }))
}

/// The hpg learner, saved after every `every`-th observed round and after
/// round `total_rounds`.
#[derive(Debug)]
struct Checkpointing {
    learner: Hpg,
    file: Option<PathBuf>,
    every: usize,
    total_rounds: usize,
    rounds: usize,
}

impl Router for Checkpointing {
    fn name(&self) -> &str {
        CHECKPOINTED_LEARNER
    }

    fn models(&self) -> usize {
        self.learner.models()
    }

    fn decide(&mut self, x: &[f64]) -> Result<Decision> {
        self.learner.decide(x)
    }

    fn observe(&mut self, ticket: Ticket, reward: f64, all_rewards: Option<&[f64]>) -> Result<()> {
        self.learner.observe_with(ticket, reward, all_rewards)?;
        self.rounds += 1;
        if let Some(file) = &self.file {
            if self.rounds % self.every == 0 || self.rounds == self.total_rounds {
                self.learner.save(file)?;
            }
        }
        Ok(())
    }

    fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>> {
        self.learner.probabilities(x)
    }
}
