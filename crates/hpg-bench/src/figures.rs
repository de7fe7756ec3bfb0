//! Selection of the plotted values of each experiment.

use std::path::Path;

use crate::config::Experiment;
use crate::output::plot::{write_categories, write_log_log, Labels, PlotPoint, PlotX};
use crate::reference::REFERENCE_NAME;
use crate::summary::{Row, SlopeRow};
use crate::trial::BEST_FIXED_NAME;
use crate::{sensitivity, Result};

/// Vertical axis title of the gap plots.
const GAP_AXIS: &str = "mean gap to the per-query oracle (bars: 1 standard error)";

/// Draws the plot of `experiment` into `path`.
///
/// The sweeps plot the cumulative regret of each learner and of the best
/// fixed model against the best-in-class reference on log-log axes, with
/// the fitted power laws.
/// Points whose mean regret is not positive have no logarithm, so they are
/// left out, as in the fit. The other experiments plot the gap of each
/// learner per point.
///
/// # Errors
/// A missing font or a failed write.
pub fn draw(experiment: Experiment, path: &Path, rows: &[Row], slopes: &[SlopeRow]) -> Result<()> {
    if experiment.has_slopes() {
        return draw_sweep(experiment, path, rows, slopes);
    }

    let points: Vec<PlotPoint> = rows
        .iter()
        .filter(|r| r.is_learner() || r.learner == BEST_FIXED_NAME || r.learner == REFERENCE_NAME)
        .filter(|r| experiment != Experiment::Sensitivity || r.is_learner())
        .map(|r| PlotPoint {
            series: series_of(experiment, r),
            x: PlotX::Category(category_of(experiment, r)),
            y: r.gap,
        })
        .collect();
    let caption = format!("{}: suboptimality gap per point", experiment.name());
    let labels = Labels {
        caption: &caption,
        x: "",
        y: GAP_AXIS,
    };
    write_categories(path, labels, &points)
}

fn draw_sweep(
    experiment: Experiment,
    path: &Path,
    rows: &[Row],
    slopes: &[SlopeRow],
) -> Result<()> {
    let points: Vec<PlotPoint> = rows
        .iter()
        .filter(|r| !r.is_best_in_class())
        .filter_map(|r| {
            Some(PlotPoint {
                series: r.learner.clone(),
                x: PlotX::Value(r.value),
                y: r.cumulative_regret_best_in_class?,
            })
        })
        .collect();
    let fits: Vec<_> = slopes
        .iter()
        .filter_map(|s| Some((s.learner.clone(), s.fit?)))
        .collect();
    let parameter = rows.first().map_or("value", |r| r.parameter);
    let caption = format!(
        "{}: cumulative regret against the best-in-class policy",
        experiment.name()
    );
    let labels = Labels {
        caption: &caption,
        x: parameter,
        y: "cumulative regret (bars: 1 standard error; lines: fit)",
    };
    write_log_log(path, labels, &points, &fits)
}

/// Returns the series of a row: the learner, except that all sensitivity
/// grid points form one series beside the `hpg` router's.
fn series_of(experiment: Experiment, row: &Row) -> String {
    match experiment {
        Experiment::Sensitivity if row.learner != sensitivity::ROUTER_NAME => {
            "hpg, fixed radius".to_owned()
        }
        _ => row.learner.clone(),
    }
}

fn category_of(experiment: Experiment, row: &Row) -> String {
    match (experiment, row.parameter2) {
        (Experiment::Sensitivity, Some((_, step))) => {
            format!("{} radius x{} step x{step}", row.setting, row.value)
        }
        (Experiment::Real, _) => row.setting.clone(),
        _ => format!("{} {}={}", row.setting, row.parameter, row.value),
    }
}
