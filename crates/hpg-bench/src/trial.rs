//! One seed of one point: run the learners, fit the reference, measure.

use hpg_core::env::Environment;
use hpg_core::{RouterReport, RunReport};

use crate::point::{Point, Scoring};
use crate::reference::{fit_reference, PolicyScore, Reference, REFERENCE_NAME};
use crate::{Error, Result};

/// Name under which the best fixed model appears in reports.
pub const BEST_FIXED_NAME: &str = "best-fixed";

/// Result of one learner (or reference) at one seed of one point.
/// Regrets are per round and positive when the learner earns less.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurement {
    /// The learner's label, or [`BEST_FIXED_NAME`] or [`REFERENCE_NAME`].
    pub learner: String,
    /// Number of training rounds played.
    pub rounds: usize,
    /// Mean gap to the per-query oracle.
    pub gap: f64,
    /// Mean reward of the best fixed model minus the learner's.
    pub regret_best_fixed: f64,
    /// Mean expected reward of the best-in-class reference minus the
    /// learner's, when the point fits a reference.
    pub regret_best_in_class: Option<f64>,
}

/// Runs `point` at `seed`. `progress(work)` is called with learner-rounds
/// as they are done.
///
/// # Errors
/// A failure to build an environment or learner, a failed run, and
/// [`Error::InvalidOption`] when a point scored on held-out queries has
/// none.
pub fn run_point(point: &Point, seed: u64, progress: &dyn Fn(u64)) -> Result<Vec<Measurement>> {
    let groups = point.groups();
    let mut measurements = Vec::new();

    for group in &groups {
        let mut env = point.env.build(seed)?;
        let (dim, models) = (env.dim(), env.models());
        let mut routers = group
            .iter()
            .map(|spec| spec.build(dim, models, seed))
            .collect::<Result<Vec<_>>>()?;

        let learners = routers.len() as u64;
        let mut last = 0;
        let report = hpg_core::run(&mut env, &mut routers, &mut |done, _| {
            progress((done - last) as u64 * learners);
            last = done;
        })?;

        let reference = if point.reference {
            let holdout = env.holdout();
            let mut on_pass = |rounds: usize| progress(rounds as u64);
            let fitted = fit_reference(env.played(), &holdout, dim, models, seed, &mut on_pass)?;
            Some(fitted)
        } else {
            None
        };

        let suffix = match group.as_slice() {
            [only] if groups.len() > 1 => format!("[{}]", only.label()),
            _ => String::new(),
        };
        let scores = Scores::collect(&report, reference.as_ref(), point.scoring)?;
        measurements.extend(scores.measurements(&report, &suffix)?);
    }
    Ok(measurements)
}

/// The comparison scores of one run under one scoring.
struct Scores {
    scoring: Scoring,
    best_fixed: PolicyScore,
    reference: Option<PolicyScore>,
}

impl Scores {
    fn collect(
        report: &RunReport,
        reference: Option<&Reference>,
        scoring: Scoring,
    ) -> Result<Self> {
        let best_fixed = match scoring {
            Scoring::Training => PolicyScore {
                avg_reward: report.best_fixed.avg_reward,
                gap: report.oracle_avg_reward - report.best_fixed.avg_reward,
            },
            Scoring::Holdout => {
                let score = report.best_fixed.holdout.ok_or_else(no_holdout)?;
                PolicyScore {
                    avg_reward: score.avg_reward,
                    gap: score.gap,
                }
            }
        };
        let reference = match (reference, scoring) {
            (None, _) => None,
            (Some(r), Scoring::Training) => Some(r.training),
            (Some(r), Scoring::Holdout) => Some(r.holdout.ok_or_else(no_holdout)?),
        };
        Ok(Self {
            scoring,
            best_fixed,
            reference,
        })
    }

    fn learner_score(&self, router: &RouterReport) -> Result<PolicyScore> {
        match self.scoring {
            Scoring::Training => Ok(PolicyScore {
                avg_reward: router.avg_reward,
                gap: router.gap,
            }),
            Scoring::Holdout => {
                let score = router.holdout.ok_or_else(no_holdout)?;
                Ok(PolicyScore {
                    avg_reward: score.avg_reward,
                    gap: score.gap,
                })
            }
        }
    }

    fn measure(&self, learner: String, rounds: usize, score: PolicyScore) -> Measurement {
        Measurement {
            learner,
            rounds,
            gap: score.gap,
            regret_best_fixed: self.best_fixed.avg_reward - score.avg_reward,
            regret_best_in_class: self.reference.map(|r| r.avg_reward - score.avg_reward),
        }
    }

    /// Returns one measurement per router, then the best fixed model and
    /// the reference, whose names get `suffix`.
    fn measurements(&self, report: &RunReport, suffix: &str) -> Result<Vec<Measurement>> {
        let rounds = report.rounds;
        let mut out = Vec::with_capacity(report.routers.len() + 2);
        for router in &report.routers {
            out.push(self.measure(router.name.clone(), rounds, self.learner_score(router)?));
        }
        let best_fixed_name = format!("{BEST_FIXED_NAME}{suffix}");
        out.push(self.measure(best_fixed_name, rounds, self.best_fixed));
        if let Some(reference) = self.reference {
            let name = format!("{REFERENCE_NAME}{suffix}");
            out.push(self.measure(name, rounds, reference));
        }
        Ok(out)
    }
}

fn no_holdout() -> Error {
    Error::InvalidOption {
        option: "holdout",
        value: "0".to_owned(),
        expected: "a positive held-out fraction for a point scored on held-out queries",
    }
}
