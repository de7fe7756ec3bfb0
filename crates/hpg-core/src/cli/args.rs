//! Command-line arguments.

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};
use hpg_core::Radius;

/// Learn online which embedding model should serve each query, and compare
/// routing strategies on synthetic or recorded rewards.
#[derive(Debug, Parser)]
#[command(name = "hpg", version, propagate_version = true)]
pub struct Cli {
    /// Log progress on stderr: -v for info, -vv for debug.
    #[arg(short, long, action = ArgAction::Count, global = true)]
    pub verbose: u8,

    /// The experiment to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The experiments.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run routers on the synthetic low-rank experts environment.
    Simulate(SimulateArgs),
    /// Replay a table of per-query rewards as a bandit problem.
    Replay(ReplayArgs),
}

/// Arguments of `hpg simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Dimension of the query features.
    #[arg(long, default_value_t = 64)]
    pub dim: usize,

    /// Number of models (at least 2).
    #[arg(long, default_value_t = 4)]
    pub models: usize,

    /// Rank of each model's subspace (1 to --dim).
    #[arg(long, default_value_t = 2)]
    pub rank: usize,

    /// Number of items the models retrieve from.
    #[arg(long, default_value_t = 200)]
    pub items: usize,

    /// Placement of the items: sphere (uniform on the unit sphere, so
    /// gaps shrink as --dim grows) or subspaces (each model's items in its
    /// own subspace, so gaps keep their size).
    #[arg(long, value_enum, default_value_t = PlacementArg::Sphere)]
    pub placement: PlacementArg,

    /// Standard deviation of the query noise (0 or more).
    #[arg(long, default_value_t = 0.3, allow_negative_numbers = true)]
    pub noise: f64,

    /// Number of rounds (queries).
    #[arg(long, default_value_t = 20_000)]
    pub rounds: usize,

    /// Order of the query types over the rounds.
    #[arg(long, value_enum, default_value_t = ScheduleArg::Iid)]
    pub schedule: ScheduleArg,

    /// Rounds per block with --schedule blocks.
    #[arg(long, default_value_t = 1000)]
    pub block_len: usize,

    /// Common options.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Arguments of `hpg replay`.
#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// Router features: a .npy matrix with one row per query.
    #[arg(long)]
    pub features: PathBuf,

    /// Rewards in [0, 1]: a .tsv or .csv table with `<model>.<metric>`
    /// columns, or a .npy queries x models matrix, in the row order of
    /// --features.
    #[arg(long)]
    pub rewards: PathBuf,

    /// Metric to read from a .tsv or .csv table, when it has several.
    #[arg(long)]
    pub metric: Option<String>,

    /// Number of passes over the training queries.
    #[arg(long, default_value_t = 1)]
    pub passes: usize,

    /// Order of the queries within a pass.
    #[arg(long, value_enum, default_value_t = OrderArg::Shuffled)]
    pub order: OrderArg,

    /// Fraction of the queries held out of training, in [0, 1). The final
    /// policies are scored on them.
    #[arg(long, default_value_t = 0.0, allow_negative_numbers = true)]
    pub holdout: f64,

    /// Write the hpg learner's complete state, in the form that --radius
    /// and --estimator select, to this checkpoint file every
    /// --checkpoint-every rounds and after the last round. Each write
    /// replaces the file atomically.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,

    /// Number of rounds between two checkpoint writes (at least 1).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1000,
        requires = "checkpoint"
    )]
    pub checkpoint_every: usize,

    /// Start the hpg learner from this checkpoint instead of untrained. The
    /// checkpoint must have the data's number of models and feature
    /// dimension, and the form that --radius and --estimator select: a
    /// radius ensemble for --radius auto, one learner for a number or
    /// default. The learner keeps the radius and update path it was saved
    /// with, and the other learners start untrained.
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,

    /// Common options.
    #[command(flatten)]
    pub common: CommonArgs,
}

/// Options shared by every experiment.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Seed of the run; each learner derives its own seed from it and its
    /// name.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,

    /// Comma-separated learners to compare: hpg, euclid-pg,
    /// unconstrained, log-linear, constant, linucb, eps-greedy,
    /// quad-eps-greedy, full-info, uniform. full-info learns from every
    /// model's reward and serves as a reference, not a bandit.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "hpg,euclid-pg,unconstrained,log-linear,constant,linucb,eps-greedy,quad-eps-greedy,full-info,uniform"
    )]
    pub learners: Vec<String>,

    /// Nuclear-norm radius of the hpg learner, in logit units: a number,
    /// `default` for 16 per model, or `auto` for copies at 4, 8, 16, 32 and
    /// 64 per model combined by exponential weights.
    #[arg(long, default_value = "auto", value_parser = parse_radius)]
    pub radius: Radius,

    /// Gradient estimator of the hpg learner: reinforce (with a
    /// running-mean baseline), ix (implicit exploration, gamma 0.05) or dr
    /// (doubly robust, with a ridge reward model per model).
    #[arg(long, value_enum, default_value_t = EstimatorArg::Reinforce)]
    pub estimator: EstimatorArg,

    /// Update path of the log-quadratic learners (hpg, unconstrained).
    /// lowrank updates each model's matrix in low-rank eigen form. dense
    /// recomputes a full eigendecomposition per update, which is slower and
    /// serves as the reference for checks.
    #[arg(long, value_enum, default_value_t = PathArg::LowRank)]
    pub path: PathArg,

    /// Print one JSON object on stdout instead of the table.
    #[arg(long)]
    pub json: bool,

    /// Write the running average gap of every learner to this .svg or .png
    /// file.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}

/// `--schedule` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScheduleArg {
    /// Each query type drawn independently and uniformly.
    Iid,
    /// Query types in turn, each for --block-len rounds.
    Blocks,
    /// The query type on which the first learner currently does worst.
    Adaptive,
}

/// `--placement` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PlacementArg {
    /// Uniform on the unit sphere.
    Sphere,
    /// Each model's items in its own subspace.
    Subspaces,
}

/// `--order` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OrderArg {
    /// A new random order for every pass.
    Shuffled,
    /// The order of the files.
    File,
}

/// `--estimator` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EstimatorArg {
    /// REINFORCE with a running-mean baseline.
    Reinforce,
    /// REINFORCE with implicit exploration.
    Ix,
    /// The doubly robust estimator.
    Dr,
}

/// `--path` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PathArg {
    /// Rank-one updates of each model's eigen form, with small eigenpairs
    /// dropped and the rank capped.
    #[value(name = "lowrank")]
    LowRank,
    /// A full eigendecomposition of each model's matrix per update.
    Dense,
}

/// Parses `--radius`: `auto`, `default` or a finite positive number.
fn parse_radius(text: &str) -> Result<Radius, String> {
    match text {
        "auto" => Ok(Radius::Auto),
        "default" => Ok(Radius::Default),
        _ => match text.parse::<f64>() {
            Ok(value) if value.is_finite() && value > 0.0 => Ok(Radius::Fixed(value)),
            _ => Err(format!(
                "{text:?} is not a radius; pass auto, default or a finite number > 0"
            )),
        },
    }
}
