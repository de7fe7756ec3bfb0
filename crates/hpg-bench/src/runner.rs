//! Running one experiment: plan the points, run every seed, aggregate and
//! write the files.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::config::{Config, Experiment};
use crate::learners::{all_learners, default_synthetic_learners, parse_learners, LearnerSpec};
use crate::output::csv::{write_rows, write_sensitivity, write_slopes};
use crate::point::Point;
use crate::sensitivity::SensitivitySummary;
use crate::summary::{aggregate, fit_slopes, Row, SlopeRow};
use crate::trial::{run_point, Measurement};
use crate::{figures, pool, real, sensitivity, sweeps, Error, Result};

/// Results and output files of one experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The experiment.
    pub experiment: Experiment,
    /// One row per learner (and reference) and point.
    pub rows: Vec<Row>,
    /// Log-log slopes, for the experiments that sweep a size.
    pub slopes: Vec<SlopeRow>,
    /// Defaults against the best grid point, for `sensitivity`.
    pub sensitivity: Vec<SensitivitySummary>,
    /// Files written, in order.
    pub files: Vec<PathBuf>,
    /// Things the caller should tell the user, such as a skipped table.
    pub notices: Vec<String>,
    /// Wall time of the runs and the files, in seconds.
    pub seconds: f64,
}

/// Runs `experiment` with `config` and writes its files into
/// `config.out_dir`.
///
/// `progress(done, total)` receives the work done so far in learner-rounds:
/// one learner playing one round, or the reference fitting on one round.
/// The worker threads call it.
///
/// # Errors
/// Invalid options or learner names (checked before any run), a missing
/// table, the first failing run in point and seed order, and write errors.
pub fn run_experiment(
    experiment: Experiment,
    config: &Config,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Outcome> {
    config.validate()?;
    let started = Instant::now();
    let learners = resolve_learners(experiment, config)?;
    let mut notices = Vec::new();
    let points = plan(experiment, config, &learners, &mut notices)?;
    tracing::info!(
        experiment = experiment.name(),
        points = points.len(),
        seeds = config.seeds,
        "experiment started"
    );

    let per_point = run_points(&points, config, progress)?;
    let rows: Vec<Row> = points
        .iter()
        .zip(&per_point)
        .flat_map(|(point, seeds)| aggregate(experiment.name(), point, seeds))
        .collect();
    let slopes = if experiment.has_slopes() {
        fit_slopes(&rows)
    } else {
        Vec::new()
    };
    for slope in slopes.iter().filter(|s| s.fit.is_none()) {
        notices.push(format!(
            "{}: no slope for {} ({} points skipped for a regret <= 0; a fit needs 3 positive points)",
            experiment.name(),
            slope.learner,
            slope.skipped
        ));
    }
    let summaries = match experiment {
        Experiment::Sensitivity => sensitivity::summarize(&rows),
        _ => Vec::new(),
    };

    let files = write_files(experiment, config, &rows, &slopes, &summaries)?;
    let seconds = started.elapsed().as_secs_f64();
    tracing::info!(
        experiment = experiment.name(),
        seconds,
        "experiment finished"
    );
    Ok(Outcome {
        experiment,
        rows,
        slopes,
        sensitivity: summaries,
        files,
        notices,
        seconds,
    })
}

fn resolve_learners(experiment: Experiment, config: &Config) -> Result<Vec<LearnerSpec>> {
    match (experiment, &config.learners) {
        (Experiment::Sensitivity, Some(names)) => Err(Error::InvalidOption {
            option: "--learners",
            value: names.join(","),
            expected: "no learner list: sensitivity varies the hpg learner only",
        }),
        (Experiment::Sensitivity, None) => Ok(Vec::new()),
        (_, Some(names)) => parse_learners(names),
        (Experiment::Real, None) => parse_learners(&all_learners()),
        (_, None) => parse_learners(&default_synthetic_learners()),
    }
}

fn plan(
    experiment: Experiment,
    config: &Config,
    learners: &[LearnerSpec],
    notices: &mut Vec<String>,
) -> Result<Vec<Point>> {
    let profile = config.profile;
    Ok(match experiment {
        Experiment::Dimension => sweeps::dimension(profile, learners),
        Experiment::Horizon => sweeps::horizon(profile, learners),
        Experiment::Rank => sweeps::rank(profile, learners),
        Experiment::Models => sweeps::models(profile, learners),
        Experiment::Drift => sweeps::drift(profile, learners),
        Experiment::Sensitivity => sensitivity::points(profile, &config.data_dir)?,
        Experiment::Real => {
            if config.titles_dir.is_none() {
                notices.push(
                    "real: title-search table skipped; pass --titles DIR to include it".to_owned(),
                );
            }
            real::points(
                profile,
                &config.data_dir,
                config.titles_dir.as_deref(),
                learners,
            )?
        }
    })
}

/// Runs every seed of every point on the worker threads and returns the
/// measurements per point, seeds in order.
fn run_points(
    points: &[Point],
    config: &Config,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> Result<Vec<Vec<Vec<Measurement>>>> {
    let seeds = config.seeds as u64;
    let tasks: Vec<(usize, u64)> = (0..points.len())
        .flat_map(|p| (0..seeds).map(move |s| (p, s)))
        .collect();
    let total: u64 = points.iter().map(Point::work).sum::<u64>() * seeds;
    let done = AtomicU64::new(0);
    let report = |units: u64| {
        let now = done.fetch_add(units, Ordering::Relaxed) + units;
        progress(now.min(total), total);
    };

    let results = pool::map_ordered(&tasks, config.threads, |&(p, seed)| {
        run_point(&points[p], seed, &report)
    });

    let mut per_point: Vec<Vec<Vec<Measurement>>> = vec![Vec::new(); points.len()];
    for (&(p, _), result) in tasks.iter().zip(results) {
        per_point[p].push(result?);
    }
    Ok(per_point)
}

fn write_files(
    experiment: Experiment,
    config: &Config,
    rows: &[Row],
    slopes: &[SlopeRow],
    summaries: &[SensitivitySummary],
) -> Result<Vec<PathBuf>> {
    let out = &config.out_dir;
    std::fs::create_dir_all(out).map_err(|source| Error::Write {
        path: out.clone(),
        source,
    })?;
    let name = experiment.name();
    let mut files = Vec::new();

    let rows_path = out.join(format!("{name}.csv"));
    write_rows(&rows_path, rows)?;
    files.push(rows_path);
    if experiment.has_slopes() {
        let path = out.join(format!("{name}_slopes.csv"));
        write_slopes(&path, slopes)?;
        files.push(path);
    }
    if experiment == Experiment::Sensitivity {
        let path = out.join("sensitivity_summary.csv");
        write_sensitivity(&path, summaries)?;
        files.push(path);
    }

    let plot_path = out.join(format!("{name}.svg"));
    figures::draw(experiment, &plot_path, rows, slopes)?;
    files.push(plot_path);
    Ok(files)
}
