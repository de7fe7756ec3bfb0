//! Aggregation of the seeds of each point into report rows, and the
//! log-log slopes across points.

use crate::point::{Point, Scoring};
use crate::reference::REFERENCE_NAME;
use crate::slope::{fit_power_law, SlopeFit};
use crate::stats::Estimate;
use crate::trial::{Measurement, BEST_FIXED_NAME};

/// One learner at one point, over all seeds.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Name of the experiment.
    pub experiment: &'static str,
    /// Fixed context of the point.
    pub setting: String,
    /// The learner's label, or a reference name.
    pub learner: String,
    /// Name of the swept parameter.
    pub parameter: &'static str,
    /// Its value at this point.
    pub value: f64,
    /// Second swept parameter and its value, for two-way grids.
    pub parameter2: Option<(&'static str, f64)>,
    /// Number of seeds.
    pub seeds: usize,
    /// Training rounds per seed.
    pub rounds: usize,
    /// Mean gap to the per-query oracle, per round.
    pub gap: Estimate,
    /// Regret against the best fixed model, per round.
    pub regret_best_fixed: Estimate,
    /// Regret against the best-in-class reference, per round, where the
    /// point fits one.
    pub regret_best_in_class: Option<Estimate>,
    /// The same regret summed over the training rounds, where the point
    /// fits a reference and is scored on its training rounds.
    pub cumulative_regret_best_in_class: Option<Estimate>,
}

impl Row {
    /// Returns whether the row describes a learner rather than a reference.
    pub fn is_learner(&self) -> bool {
        !(self.learner.starts_with(BEST_FIXED_NAME) || self.is_best_in_class())
    }

    /// Returns whether the row describes the best-in-class reference, whose
    /// regret against itself is 0.
    pub fn is_best_in_class(&self) -> bool {
        self.learner.starts_with(REFERENCE_NAME)
    }
}

/// Combines the measurements of every seed of `point` into one row per
/// learner, in the order of the first seed.
pub fn aggregate(experiment: &'static str, point: &Point, seeds: &[Vec<Measurement>]) -> Vec<Row> {
    let Some(first) = seeds.first() else {
        return Vec::new();
    };
    first
        .iter()
        .map(|head| {
            let same: Vec<&Measurement> = seeds
                .iter()
                .flat_map(|seed| seed.iter().filter(|m| m.learner == head.learner))
                .collect();
            summarize(experiment, point, head, &same)
        })
        .collect()
}

fn summarize(
    experiment: &'static str,
    point: &Point,
    head: &Measurement,
    same: &[&Measurement],
) -> Row {
    let estimate = |values: Vec<f64>| {
        Estimate::of(&values).unwrap_or(Estimate {
            mean: f64::NAN,
            stderr: f64::NAN,
        })
    };
    let gap = estimate(same.iter().map(|m| m.gap).collect());
    let regret_best_fixed = estimate(same.iter().map(|m| m.regret_best_fixed).collect());

    let per_round: Option<Vec<f64>> = same.iter().map(|m| m.regret_best_in_class).collect();
    let cumulative: Option<Vec<f64>> = match point.scoring {
        Scoring::Training => same
            .iter()
            .map(|m| m.regret_best_in_class.map(|r| r * m.rounds as f64))
            .collect(),
        Scoring::Holdout => None,
    };

    Row {
        experiment,
        setting: point.setting.clone(),
        learner: head.learner.clone(),
        parameter: point.parameter,
        value: point.value,
        parameter2: point.parameter2,
        seeds: same.len(),
        rounds: head.rounds,
        gap,
        regret_best_fixed,
        regret_best_in_class: per_round.map(estimate),
        cumulative_regret_best_in_class: cumulative.map(estimate),
    }
}

/// The slope of one learner's cumulative regret against the swept
/// parameter, in log-log axes.
#[derive(Debug, Clone, PartialEq)]
pub struct SlopeRow {
    /// Name of the experiment.
    pub experiment: &'static str,
    /// Fixed context of the points.
    pub setting: String,
    /// The learner's label.
    pub learner: String,
    /// Name of the swept parameter.
    pub parameter: &'static str,
    /// The fit, `None` when fewer than 3 points have a positive mean.
    pub fit: Option<SlopeFit>,
    /// Points left out because their mean regret is not positive, which a
    /// logarithm cannot take.
    pub skipped: usize,
}

/// Fits, for every learner and setting, `ln R = a + b ln value` where `R`
/// is the mean over seeds of the cumulative regret against the
/// best-in-class reference. Rows without that regret are ignored.
///
/// The best fixed model gets a slope too. Its regret measures how far
/// apart the models' rewards are, so the difference between a learner's
/// slope and its slope removes a change of reward scale along the sweep.
pub fn fit_slopes(rows: &[Row]) -> Vec<SlopeRow> {
    let mut keys: Vec<(&str, &str)> = Vec::new();
    for row in rows.iter().filter(|r| !r.is_best_in_class()) {
        let key = (row.setting.as_str(), row.learner.as_str());
        if row.cumulative_regret_best_in_class.is_some() && !keys.contains(&key) {
            keys.push(key);
        }
    }

    keys.into_iter()
        .filter_map(|(setting, learner)| {
            let group: Vec<&Row> = rows
                .iter()
                .filter(|r| r.setting == setting && r.learner == learner)
                .collect();
            let head = group.first()?;
            let points: Vec<(f64, f64)> = group
                .iter()
                .filter_map(|r| r.cumulative_regret_best_in_class.map(|c| (r.value, c.mean)))
                .collect();
            let positive: Vec<(f64, f64)> = points.iter().copied().filter(|p| p.1 > 0.0).collect();
            Some(SlopeRow {
                experiment: head.experiment,
                setting: setting.to_owned(),
                learner: learner.to_owned(),
                parameter: head.parameter,
                fit: fit_power_law(&positive),
                skipped: points.len() - positive.len(),
            })
        })
        .collect()
}
