//! The `sensitivity` experiment: HPG on a grid of radii and step scales
//! around its defaults, on synthetic data and on the bundled tables.

use std::path::Path;

use hpg_core::env::{Schedule, SyntheticBuilder};

use crate::config::Profile;
use crate::environment::{EnvSpec, ReplaySpec};
use crate::learners::LearnerSpec;
use crate::point::{Point, Scoring};
use crate::summary::Row;
use crate::table::{load_judged, load_typos};
use crate::Result;

/// Factors on the default radius.
pub const RADIUS_FACTORS: [f64; 5] = [0.25, 0.5, 1.0, 2.0, 4.0];

/// Factors on the default step scale.
pub const STEP_FACTORS: [f64; 3] = [0.5, 1.0, 2.0];

/// Sizes of one profile: synthetic rounds, the cap on typos rounds and
/// the judged passes (with an optional cap on its rounds).
struct Sizes {
    synthetic_rounds: usize,
    typos_rounds: Option<usize>,
    judged_passes: usize,
    judged_rounds: Option<usize>,
}

fn sizes(profile: Profile) -> Sizes {
    match profile {
        Profile::Tiny => Sizes {
            synthetic_rounds: 200,
            typos_rounds: Some(200),
            judged_passes: 1,
            judged_rounds: Some(200),
        },
        Profile::Quick => Sizes {
            synthetic_rounds: 3_000,
            typos_rounds: Some(2_000),
            judged_passes: 4,
            judged_rounds: None,
        },
        Profile::Full => Sizes {
            synthetic_rounds: 20_000,
            typos_rounds: None,
            judged_passes: 20,
            judged_rounds: None,
        },
    }
}

/// Name of the router that runs beside the defaults of the grid: `hpg` as
/// [`hpg_core::build_router`] builds it, whose radius may differ from the
/// builder's default (a radius ensemble, for example).
pub const ROUTER_NAME: &str = "hpg";

/// Returns the grid points: one point per setting (synthetic with
/// `n = 64`, `M = 4`, `s = 2`, then typos, then judged) and grid value,
/// each with one scaled HPG learner. The point at the defaults also runs
/// the [`ROUTER_NAME`] router, so the summary can compare it with the
/// grid.
///
/// # Errors
/// A failure to load the bundled tables from `data_dir`.
pub fn points(profile: Profile, data_dir: &Path) -> Result<Vec<Point>> {
    let sizes = sizes(profile);
    let synthetic = EnvSpec::Synthetic {
        builder: SyntheticBuilder::new(),
        schedule: Schedule::Iid,
        rounds: sizes.synthetic_rounds,
    };
    let typos = EnvSpec::Replay(ReplaySpec {
        table: load_typos(data_dir)?,
        passes: 1,
        holdout: 0.0,
        max_rounds: sizes.typos_rounds,
    });
    let judged = EnvSpec::Replay(ReplaySpec {
        table: load_judged(data_dir)?,
        passes: sizes.judged_passes,
        holdout: 0.0,
        max_rounds: sizes.judged_rounds,
    });

    let mut points = Vec::new();
    for (setting, env) in [
        ("synthetic", synthetic),
        ("typos", typos),
        ("judged", judged),
    ] {
        for radius_factor in RADIUS_FACTORS {
            for step_factor in STEP_FACTORS {
                points.push(Point {
                    setting: setting.to_owned(),
                    parameter: "radius_factor",
                    value: radius_factor,
                    parameter2: Some(("step_factor", step_factor)),
                    env: env.clone(),
                    learners: grid_learners(radius_factor, step_factor),
                    reference: false,
                    scoring: Scoring::Training,
                });
            }
        }
    }
    Ok(points)
}

fn grid_learners(radius_factor: f64, step_factor: f64) -> Vec<LearnerSpec> {
    let mut learners = vec![LearnerSpec::ScaledHpg {
        radius_factor,
        step_factor,
    }];
    if radius_factor == 1.0 && step_factor == 1.0 {
        learners.push(LearnerSpec::Named(ROUTER_NAME.to_owned()));
    }
    learners
}

/// Comparison of the defaults with the best grid point of one setting.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivitySummary {
    /// The setting: `synthetic`, `typos` or `judged`.
    pub setting: String,
    /// Mean gap of HPG at its defaults (both factors 1).
    pub default_gap: f64,
    /// Smallest mean gap over the grid.
    pub best_gap: f64,
    /// Radius factor of the best grid point.
    pub best_radius_factor: f64,
    /// Step factor of the best grid point.
    pub best_step_factor: f64,
    /// `default_gap / best_gap`; 1 when the defaults are the best point.
    pub ratio: f64,
    /// Mean gap of the [`ROUTER_NAME`] router with its default options.
    pub router_gap: f64,
    /// `router_gap / best_gap`.
    pub router_ratio: f64,
}

/// Summarizes each setting's learner rows: the defaults' gap against the
/// best grid gap. Settings without a default point are left out.
pub fn summarize(rows: &[Row]) -> Vec<SensitivitySummary> {
    let mut settings: Vec<&str> = Vec::new();
    for row in rows {
        if !settings.contains(&row.setting.as_str()) {
            settings.push(&row.setting);
        }
    }

    settings
        .into_iter()
        .filter_map(|setting| {
            let grid: Vec<&Row> = rows
                .iter()
                .filter(|r| r.setting == setting && r.is_learner())
                .filter(|r| r.learner != ROUTER_NAME)
                .collect();
            let router = rows
                .iter()
                .find(|r| r.setting == setting && r.learner == ROUTER_NAME)?;
            let step = |r: &Row| r.parameter2.map_or(f64::NAN, |p| p.1);
            let default = grid.iter().find(|r| r.value == 1.0 && step(r) == 1.0)?;
            let best = grid
                .iter()
                .min_by(|a, b| a.gap.mean.total_cmp(&b.gap.mean))?;
            Some(SensitivitySummary {
                setting: setting.to_owned(),
                default_gap: default.gap.mean,
                best_gap: best.gap.mean,
                best_radius_factor: best.value,
                best_step_factor: step(best),
                ratio: default.gap.mean / best.gap.mean,
                router_gap: router.gap.mean,
                router_ratio: router.gap.mean / best.gap.mean,
            })
        })
        .collect()
}
