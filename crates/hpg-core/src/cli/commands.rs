//! The `simulate` and `replay` commands: set up the environment and the
//! learners, run them and write the results.

use std::collections::BTreeSet;

use hpg_core::env::{Environment, ItemPlacement, Order, ReplayBuilder, Schedule, SyntheticBuilder};
use hpg_core::{build_router_with, EstimatorChoice, Path, Router, RouterOptions, RunReport};

use super::args::{
    CommonArgs, EstimatorArg, OrderArg, PathArg, PlacementArg, ReplayArgs, ScheduleArg,
    SimulateArgs,
};
use super::checkpoint::{self, CheckpointOptions, CHECKPOINTED_LEARNER};
use super::error::CliError;
use super::{output, plot, progress};

/// Runs `hpg simulate`.
pub fn simulate(args: &SimulateArgs) -> Result<(), CliError> {
    let schedule = match args.schedule {
        ScheduleArg::Iid => Schedule::Iid,
        ScheduleArg::Blocks => Schedule::Blocks {
            len: args.block_len,
        },
        ScheduleArg::Adaptive => Schedule::Adaptive,
    };
    let mut env = SyntheticBuilder::new()
        .dim(args.dim)
        .models(args.models)
        .rank(args.rank)
        .items(args.items)
        .placement(match args.placement {
            PlacementArg::Sphere => ItemPlacement::Sphere,
            PlacementArg::Subspaces => ItemPlacement::Subspaces,
        })
        .noise(args.noise)
        .rounds(args.rounds)
        .schedule(schedule)
        .seed(args.common.seed)
        .build()?;

    execute(
        "simulate",
        &mut env,
        &args.common,
        &CheckpointOptions::none(),
    )
}

/// Runs `hpg replay`.
pub fn replay(args: &ReplayArgs) -> Result<(), CliError> {
    let checkpoints = CheckpointOptions {
        path: args.checkpoint.clone(),
        every: args.checkpoint_every,
        resume: args.resume.clone(),
    };
    checkpoints.validate(&args.common.learners)?;
    checkpoints.validate_output(&[&args.features, &args.rewards])?;

    let features = hpg_io::load_features(&args.features)?;
    let table = hpg_io::load_rewards(&args.rewards, args.metric.as_deref())?;
    hpg_io::check_row_counts(
        &args.features.display().to_string(),
        features.rows(),
        &args.rewards.display().to_string(),
        table.rewards.rows(),
    )?;

    let order = match args.order {
        OrderArg::Shuffled => Order::Shuffled,
        OrderArg::File => Order::File,
    };
    let dim = features.cols();
    let models = table.models.len();
    let mut env = ReplayBuilder::new(features.into_data(), dim, table.rewards.into_data(), models)
        .model_names(table.models)
        .order(order)
        .passes(args.passes)
        .holdout(args.holdout)
        .seed(args.common.seed)
        .build()?;

    execute("replay", &mut env, &args.common, &checkpoints)
}

/// Builds the learners, runs them on `env` and writes the table or JSON,
/// and the plot when one is requested.
fn execute(
    command: &str,
    env: &mut dyn Environment,
    common: &CommonArgs,
    checkpoints: &CheckpointOptions,
) -> Result<(), CliError> {
    let options = RouterOptions {
        path: match common.path {
            PathArg::LowRank => Path::LowRank,
            PathArg::Dense => Path::Dense,
        },
        radius: common.radius,
        estimator: match common.estimator {
            EstimatorArg::Reinforce => EstimatorChoice::Reinforce,
            EstimatorArg::Ix => EstimatorChoice::ImplicitExploration,
            EstimatorArg::Dr => EstimatorChoice::DoublyRobust,
        },
    };
    let mut routers = build_routers(&common.learners, env, common.seed, &options, checkpoints)?;
    let plot_setup = match &common.plot {
        Some(path) => Some(plot::prepare(path)?),
        None => None,
    };

    let total_steps = env.rounds().saturating_mul(routers.len());
    let mut bar = progress::Bar::start(env.rounds(), total_steps);
    let result = hpg_core::run(env, &mut routers, &mut |done, _| bar.update(done));
    bar.finish();
    let report = result.map_err(|error| CliError::failure(format!("run failed: {error}")))?;

    if let (Some(path), Some(setup)) = (&common.plot, plot_setup) {
        plot::write(path, setup, &report)?;
    }
    print_report(command, env, &report, common.json)
}

/// Builds each listed learner once, for the environment's sizes and with
/// `options`. The hpg learner goes through `checkpoints` when they are set.
fn build_routers(
    names: &[String],
    env: &dyn Environment,
    seed: u64,
    options: &RouterOptions,
    checkpoints: &CheckpointOptions,
) -> Result<Vec<Box<dyn Router>>, CliError> {
    if names.is_empty() {
        return Err(CliError::usage(
            "--learners is empty; name at least one learner",
        ));
    }

    let mut seen = BTreeSet::new();
    let mut routers = Vec::with_capacity(names.len());
    for name in names {
        let name = name.trim();
        if !seen.insert(name) {
            return Err(CliError::usage(format!(
                "learner {name:?} is listed twice in --learners; list each learner once"
            )));
        }
        if name == CHECKPOINTED_LEARNER && checkpoints.is_active() {
            routers.push(checkpoint::build_hpg(checkpoints, env, seed, options)?);
            continue;
        }
        routers.push(build_router_with(
            name,
            env.dim(),
            env.models(),
            seed,
            options,
        )?);
    }
    Ok(routers)
}

fn print_report(
    command: &str,
    env: &dyn Environment,
    report: &RunReport,
    json: bool,
) -> Result<(), CliError> {
    let text = if json {
        output::json(command, env.dim(), report)?
    } else {
        output::table(command, env.dim(), report)
    };
    output::print_stdout(&text)
}
