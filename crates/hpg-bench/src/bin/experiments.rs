//! `experiments`: runs the regret experiments of hpg and writes their CSV
//! tables and SVG plots.
//!
//! ```sh
//! cargo run --release -p hpg-bench --bin experiments -- dimension --quick --out results
//! ```

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use hpg_bench::{default_data_dir, run_experiment, Config, Experiment, Outcome, Profile};
use indicatif::{ProgressBar, ProgressStyle};
use tracing_subscriber::EnvFilter;

/// Runs regret experiments of hpg's learners and writes `<out>/<name>.csv`,
/// `<out>/<name>.svg` and, for the size sweeps, `<out>/<name>_slopes.csv`.
#[derive(Debug, Parser)]
#[command(name = "experiments", version)]
struct Args {
    /// Experiment to run: dimension, horizon, rank, models, drift,
    /// sensitivity, real, or all of them in that order with `all`.
    name: String,

    /// Use the quick profile: fewer rounds and seeds, under 2 minutes per
    /// experiment on 2 cores with the default learners.
    #[arg(long)]
    quick: bool,

    /// Seeds per point (at least 2); default 5, or 2 with --quick.
    #[arg(long, value_name = "K")]
    seeds: Option<usize>,

    /// Folder for the output files; created if missing.
    #[arg(long, value_name = "DIR", default_value = "results")]
    out: PathBuf,

    /// Comma-separated learner names; default: every learner except
    /// `uniform` for the synthetic experiments, every learner for `real`.
    #[arg(long, value_name = "A,B,C", value_delimiter = ',')]
    learners: Option<Vec<String>>,

    /// Folder of the title-search table (rewards.tsv and
    /// router_features.npy); `real` skips the table without it.
    #[arg(long, value_name = "DIR")]
    titles: Option<PathBuf>,

    /// Folder that contains the bundled `typos/` and `judged/` tables;
    /// default: data/retrieval of the repository this binary was built from.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,

    /// Worker threads over seeds and points; results do not depend on it.
    #[arg(long, value_name = "N", default_value_t = 2)]
    threads: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();

    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> hpg_bench::Result<()> {
    let experiments = Experiment::parse_list(&args.name)?;
    let profile = if args.quick {
        Profile::Quick
    } else {
        Profile::Full
    };

    let mut config = Config::new(profile, &args.out);
    config.seeds = args.seeds.unwrap_or(profile.default_seeds());
    config.learners = args.learners.clone();
    config.titles_dir = args.titles.clone();
    config.data_dir = args.data.clone().unwrap_or_else(default_data_dir);
    config.threads = args.threads;

    for experiment in experiments {
        let outcome = run_with_bar(experiment, &config)?;
        print_outcome(&outcome);
    }
    Ok(())
}

fn run_with_bar(experiment: Experiment, config: &Config) -> hpg_bench::Result<Outcome> {
    let bar = ProgressBar::new(0);
    let template = "{prefix} {bar:40} {percent:>3}% {elapsed_precise} elapsed, {eta} left";
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style);
    }
    bar.set_prefix(experiment.name());
    let result = run_experiment(experiment, config, &|done, total| {
        bar.set_length(total);
        bar.set_position(done);
    });
    bar.finish_and_clear();
    result
}

fn print_outcome(outcome: &Outcome) {
    let name = outcome.experiment.name();
    println!("{name}: finished in {:.1} s", outcome.seconds);
    for notice in &outcome.notices {
        println!("  note: {notice}");
    }
    for slope in &outcome.slopes {
        match slope.fit {
            Some(fit) => println!(
                "  {} [{}]: slope {:.3} (95% CI {:.3} to {:.3}, {} points, {} skipped)",
                slope.learner,
                slope.setting,
                fit.slope,
                fit.ci_low,
                fit.ci_high,
                fit.points,
                slope.skipped
            ),
            None => println!("  {} [{}]: no slope", slope.learner, slope.setting),
        }
    }
    for summary in &outcome.sensitivity {
        println!(
            "  {}: default gap {:.4}, best gap {:.4} at radius x{} step x{}, ratio {:.3}; hpg router gap {:.4}, ratio {:.3}",
            summary.setting,
            summary.default_gap,
            summary.best_gap,
            summary.best_radius_factor,
            summary.best_step_factor,
            summary.ratio,
            summary.router_gap,
            summary.router_ratio
        );
    }
    for file in &outcome.files {
        println!("  wrote {}", file.display());
    }
}
