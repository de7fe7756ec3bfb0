//! Running several routers side by side on the same rounds.

mod report;

use std::time::{Duration, Instant};

pub use report::{BestFixed, CurvePoint, HoldoutScore, RouterReport, RunReport};

use crate::env::{Environment, Round};
use crate::{Error, Result, Router};

/// Approximate number of points of each running gap curve.
const CURVE_POINTS: usize = 200;

/// Approximate number of progress callbacks per run.
const PROGRESS_UPDATES: usize = 1000;

/// Plays every round of `env` with every router and measures them.
///
/// In each round every router decides on the same features and observes
/// only the reward of the model it chose (bandit feedback, so
/// `all_rewards` is `None`), except that a router whose
/// [`Router::full_information`] is `true` also gets every model's reward.
/// The reward of the first router is reported to
/// the environment with [`Environment::record_reward`], which an adaptive
/// schedule uses. After the last round, each final policy is scored on the
/// environment's held-out queries, if any. `progress(done, total)` is
/// called about a thousand times, and once at the end.
///
/// # Errors
/// [`Error::LengthMismatch`] when a router's or a round's model count
/// differs from the environment's, [`Error::InvalidParameter`] when the
/// environment returns no round, and the first error of a router.
///
/// # Examples
/// ```
/// use hpg_core::env::{Environment, SyntheticBuilder};
///
/// let mut env = SyntheticBuilder::new().dim(8).models(3).rounds(300).build().unwrap();
/// let mut routers = vec![
///     hpg_core::build_router("hpg", 8, 3, 0).unwrap(),
///     hpg_core::build_router("uniform", 8, 3, 0).unwrap(),
/// ];
/// let report = hpg_core::run(&mut env, &mut routers, &mut |_, _| {}).unwrap();
/// assert_eq!(report.rounds, 300);
/// assert!(report.routers.iter().all(|r| r.gap >= 0.0));
/// ```
pub fn run(
    env: &mut dyn Environment,
    routers: &mut [Box<dyn Router>],
    progress: &mut dyn FnMut(usize, usize),
) -> Result<RunReport> {
    let models = env.models();
    check_routers(routers, models)?;

    let total = env.rounds();
    let names: Vec<&str> = routers.iter().map(|r| r.name()).collect();
    tracing::info!(rounds = total, models, dim = env.dim(), routers = ?names, "run started");
    let started = Instant::now();

    let mut totals = Totals::new(models, routers.len());
    let mut curve_schedule = CurveSchedule::new(total);
    let progress_stride = (total / PROGRESS_UPDATES).max(1);

    while let Some(round) = env.next_round() {
        check_round(&round, models)?;
        totals.add_round(&round);
        let played = totals.rounds;

        for (index, router) in routers.iter_mut().enumerate() {
            let reward = totals.play(index, router.as_mut(), &round)?;
            if index == 0 {
                env.record_reward(reward);
            }
        }

        if curve_schedule.is_due(played) {
            totals.sample_curves();
        }
        if played % progress_stride == 0 {
            progress(played, total);
        }
    }

    if totals.rounds == 0 {
        return Err(Error::InvalidParameter {
            name: "rounds",
            value: "0".to_owned(),
            expected: "an environment with at least 1 round",
        });
    }
    totals.finish_curves();
    progress(totals.rounds, total);

    let report = totals.report(env, routers)?;
    tracing::info!(
        rounds = report.rounds,
        seconds = started.elapsed().as_secs_f64(),
        "run finished"
    );
    Ok(report)
}

fn check_routers(routers: &[Box<dyn Router>], models: usize) -> Result<()> {
    for router in routers {
        if router.models() != models {
            return Err(Error::LengthMismatch {
                what: "a router's model list",
                expected: models,
                found: router.models(),
                unit: "model of the environment",
            });
        }
    }
    Ok(())
}

fn check_round(round: &Round, models: usize) -> Result<()> {
    if round.rewards.len() != models {
        return Err(Error::LengthMismatch {
            what: "a round's rewards",
            expected: models,
            found: round.rewards.len(),
            unit: "model",
        });
    }
    Ok(())
}

/// The rounds `ceil(k T / 200)`, `k = 1..=200`, at which the curves are
/// sampled; fewer when `T < 200`.
#[derive(Debug)]
struct CurveSchedule {
    total: usize,
    next_point: usize,
}

impl CurveSchedule {
    fn new(total: usize) -> Self {
        Self {
            total,
            next_point: 1,
        }
    }

    fn point_round(&self, point: usize) -> usize {
        point.saturating_mul(self.total).div_ceil(CURVE_POINTS)
    }

    /// Returns whether round `played` is a sample point, and moves past it
    /// if so.
    fn is_due(&mut self, played: usize) -> bool {
        if self.next_point > CURVE_POINTS || played < self.point_round(self.next_point) {
            return false;
        }
        while self.next_point <= CURVE_POINTS && self.point_round(self.next_point) <= played {
            self.next_point += 1;
        }
        true
    }
}

/// Running sums of one router.
#[derive(Debug, Clone, Default)]
struct RouterTotals {
    reward: f64,
    gap: f64,
    time: Duration,
    curve: Vec<CurvePoint>,
}

/// Running sums of a run.
#[derive(Debug)]
struct Totals {
    rounds: usize,
    oracle: f64,
    /// Total reward of each fixed model.
    per_model: Vec<f64>,
    routers: Vec<RouterTotals>,
}

impl Totals {
    fn new(models: usize, routers: usize) -> Self {
        Self {
            rounds: 0,
            oracle: 0.0,
            per_model: vec![0.0; models],
            routers: vec![RouterTotals::default(); routers],
        }
    }

    fn add_round(&mut self, round: &Round) {
        self.rounds += 1;
        self.oracle += round.best_reward();
        self.per_model
            .iter_mut()
            .zip(&round.rewards)
            .for_each(|(sum, r)| *sum += r);
    }

    /// Lets router `index` decide and observe; returns its reward.
    fn play(&mut self, index: usize, router: &mut dyn Router, round: &Round) -> Result<f64> {
        let started = Instant::now();
        let decision = router.decide(&round.features)?;
        let reward = *round
            .rewards
            .get(decision.model)
            .ok_or(hpg_policy::Error::ModelIndex {
                index: decision.model,
                models: round.rewards.len(),
            })?;
        let all_rewards = router
            .full_information()
            .then_some(round.rewards.as_slice());
        router.observe(decision.ticket, reward, all_rewards)?;
        let elapsed = started.elapsed();

        let totals = &mut self.routers[index];
        totals.time += elapsed;
        totals.reward += reward;
        totals.gap += round.best_reward() - reward;
        Ok(reward)
    }

    fn sample_curves(&mut self) {
        let rounds = self.rounds;
        for totals in &mut self.routers {
            let avg_gap = totals.gap / rounds as f64;
            totals.curve.push(CurvePoint {
                round: rounds,
                avg_gap,
            });
        }
    }

    /// Adds the last round to the curves unless it is already there.
    fn finish_curves(&mut self) {
        let sampled = self
            .routers
            .first()
            .and_then(|t| t.curve.last())
            .map(|p| p.round);
        if sampled != Some(self.rounds) {
            self.sample_curves();
        }
    }

    fn report(self, env: &dyn Environment, routers: &[Box<dyn Router>]) -> Result<RunReport> {
        let rounds = self.rounds as f64;
        let names = env.model_names();
        let holdout = env.holdout();
        let best_fixed = best_fixed(&self.per_model, &names, rounds, &holdout);

        let mut reports = Vec::with_capacity(routers.len());
        for (router, totals) in routers.iter().zip(self.routers) {
            let avg_reward = totals.reward / rounds;
            reports.push(RouterReport {
                name: router.name().to_owned(),
                avg_reward,
                gap: totals.gap / rounds,
                regret_best_fixed: best_fixed.avg_reward - avg_reward,
                us_per_round: totals.time.as_secs_f64() * 1e6 / rounds,
                curve: totals.curve,
                holdout: score_policy(router.as_ref(), &holdout)?,
            });
        }

        Ok(RunReport {
            rounds: self.rounds,
            model_names: names,
            oracle_avg_reward: self.oracle / rounds,
            best_fixed,
            routers: reports,
            holdout_rows: holdout.len(),
        })
    }
}

/// Finds the model with the largest total reward (the lowest index among
/// ties).
fn best_fixed(per_model: &[f64], names: &[String], rounds: f64, holdout: &[Round]) -> BestFixed {
    let mut model = 0;
    for (m, total) in per_model.iter().enumerate() {
        if *total > per_model[model] {
            model = m;
        }
    }
    let name = names
        .get(model)
        .cloned()
        .unwrap_or_else(|| format!("model{model}"));
    let avg_reward = per_model.get(model).copied().unwrap_or(0.0) / rounds;
    BestFixed {
        model,
        name,
        avg_reward,
        holdout: score_fixed(model, holdout),
    }
}

/// Scores always choosing `model` on the held-out rows.
fn score_fixed(model: usize, rows: &[Round]) -> Option<HoldoutScore> {
    if rows.is_empty() {
        return None;
    }
    let count = rows.len() as f64;
    let reward: f64 = rows
        .iter()
        .map(|row| row.rewards.get(model).copied().unwrap_or(0.0))
        .sum();
    let best: f64 = rows.iter().map(Round::best_reward).sum();
    Some(HoldoutScore {
        avg_reward: reward / count,
        gap: (best - reward) / count,
    })
}

/// Scores a router's current policy by its expected reward
/// `sum_m pi(m | x) r(m)` on `rows`; `None` for no rows.
///
/// # Errors
/// The router's feature errors, for rows of the wrong length.
pub fn score_policy(router: &dyn Router, rows: &[Round]) -> Result<Option<HoldoutScore>> {
    if rows.is_empty() {
        return Ok(None);
    }

    let mut reward = 0.0;
    let mut gap = 0.0;
    for row in rows {
        let probabilities = router.probabilities(&row.features)?;
        let expected: f64 = probabilities
            .iter()
            .zip(&row.rewards)
            .map(|(p, r)| p * r)
            .sum();
        reward += expected;
        gap += row.best_reward() - expected;
    }

    let count = rows.len() as f64;
    Ok(Some(HoldoutScore {
        avg_reward: reward / count,
        gap: gap / count,
    }))
}

#[cfg(test)]
mod tests;
