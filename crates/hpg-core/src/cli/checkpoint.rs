//! `--checkpoint` and `--resume`: the hpg learner of a run, saved to a
//! file every few rounds or started from one.

use std::path::{Path, PathBuf};

use hpg_core::env::Environment;
use hpg_core::{
    derive_seed, Decision, EstimatorChoice, ExpectedConfig, HpgRouter, Radius, Result, Router,
    RouterOptions, Ticket,
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

    /// Checks, before any round runs, that `--checkpoint` can be written
    /// and does not name one of the `inputs`.
    pub fn validate_output(
        &self,
        inputs: &[&std::path::Path],
    ) -> std::result::Result<(), CliError> {
        let Some(file) = &self.path else {
            return Ok(());
        };
        if file.is_dir() {
            return Err(CliError::usage(format!(
                "--checkpoint {} is a directory; pass a file name",
                file.display()
            )));
        }
        let parent = match file.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !parent.is_dir() {
            return Err(CliError::usage(format!(
                "the directory of --checkpoint {} does not exist; create it first",
                file.display()
            )));
        }
        let target = std::fs::canonicalize(file).ok();
        for input in inputs {
            if target.is_some() && std::fs::canonicalize(input).ok() == target {
                return Err(CliError::usage(format!(
                    "--checkpoint {} is also an input file; pass another file name",
                    file.display()
                )));
            }
        }
        Ok(())
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

/// Builds the hpg learner in the form that `router_options` select, from
/// `options.resume` when set, wrapped so that it writes `options.path`
/// every `options.every` rounds and after the environment's last round.
///
/// A resumed learner keeps the radius and update path it was saved with,
/// whatever `router_options` set.
///
/// # Errors
/// The errors of [`HpgRouter::load`], among them a checkpoint whose models
/// or feature dimension differ from the environment's, and a usage error
/// when the checkpoint contains another form of the learner than
/// `--radius` and `--estimator` select.
pub fn build_hpg(
    options: &CheckpointOptions,
    env: &dyn Environment,
    seed: u64,
    router_options: &RouterOptions,
) -> std::result::Result<Box<dyn Router>, CliError> {
    let router = match &options.resume {
        Some(file) => resume(file, env, router_options)?,
        // The construction of `build_router_with`, so a run with
        // --checkpoint draws the same decisions as one without.
        None => HpgRouter::new(
            env.dim(),
            env.models(),
            derive_seed(seed, CHECKPOINTED_LEARNER),
            router_options,
        )?,
    };
    Ok(Box::new(Checkpointing {
        router,
        file: options.path.clone(),
        every: options.every.max(1),
        total_rounds: env.rounds(),
        rounds: 0,
    }))
}

/// Loads the hpg learner from `file` and checks that it has the form that
/// `router_options` select.
fn resume(
    file: &Path,
    env: &dyn Environment,
    router_options: &RouterOptions,
) -> std::result::Result<HpgRouter, CliError> {
    let expected = ExpectedConfig {
        models: env.models(),
        input_dim: env.dim(),
    };
    let router = HpgRouter::load(file, &expected)?;
    check_form(file, &router, router_options)?;
    tracing::info!(
        file = %file.display(),
        ensemble = router.is_ensemble(),
        estimator = estimator_flag(router.estimator()),
        observed = router.observed(),
        "resumed the hpg learner"
    );
    Ok(router)
}

/// Checks that `router`, loaded from `file`, is a radius ensemble exactly
/// when `--radius` is `auto`, and has the estimator of `--estimator`.
fn check_form(
    file: &Path,
    router: &HpgRouter,
    router_options: &RouterOptions,
) -> std::result::Result<(), CliError> {
    let file = file.display();
    let radius = radius_flag(router_options.radius);
    let expects_ensemble = router_options.radius == Radius::Auto;
    if router.is_ensemble() && !expects_ensemble {
        return Err(CliError::usage(format!(
            "{file} contains a radius ensemble of hpg learners, but --radius {radius} builds a single learner; pass --radius auto to resume it"
        )));
    }
    if !router.is_ensemble() && expects_ensemble {
        return Err(CliError::usage(format!(
            "{file} contains a single hpg learner, but --radius auto builds a radius ensemble; pass --radius default or a number to resume it (the learner keeps its saved radius)"
        )));
    }

    let saved = estimator_flag(router.estimator());
    let requested = estimator_flag(router_options.estimator);
    if saved != requested {
        return Err(CliError::usage(format!(
            "{file} contains an hpg learner trained with --estimator {saved}, but this run passes --estimator {requested}; pass --estimator {saved} to resume it"
        )));
    }
    Ok(())
}

/// Formats a radius as `--radius` takes it.
fn radius_flag(radius: Radius) -> String {
    match radius {
        Radius::Auto => "auto".to_owned(),
        Radius::Default => "default".to_owned(),
        Radius::Fixed(value) => value.to_string(),
    }
}

/// Returns the `--estimator` value of an estimator.
fn estimator_flag(estimator: EstimatorChoice) -> &'static str {
    match estimator {
        EstimatorChoice::Reinforce => "reinforce",
        EstimatorChoice::ImplicitExploration => "ix",
        EstimatorChoice::DoublyRobust => "dr",
    }
}

/// The hpg learner, saved after every `every`-th observed round and after
/// round `total_rounds`.
#[derive(Debug)]
struct Checkpointing {
    router: HpgRouter,
    file: Option<PathBuf>,
    every: usize,
    total_rounds: usize,
    rounds: usize,
}

impl Router for Checkpointing {
    fn name(&self) -> &str {
        self.router.name()
    }

    fn models(&self) -> usize {
        self.router.models()
    }

    fn decide(&mut self, x: &[f64]) -> Result<Decision> {
        self.router.decide(x)
    }

    fn observe(&mut self, ticket: Ticket, reward: f64, all_rewards: Option<&[f64]>) -> Result<()> {
        self.router.observe(ticket, reward, all_rewards)?;
        self.rounds += 1;
        if let Some(file) = &self.file {
            if self.rounds % self.every == 0 || self.rounds == self.total_rounds {
                self.router.save(file)?;
            }
        }
        Ok(())
    }

    fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>> {
        self.router.probabilities(x)
    }

    fn full_information(&self) -> bool {
        self.router.full_information()
    }
}
