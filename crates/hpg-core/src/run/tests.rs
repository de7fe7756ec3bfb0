use super::*;
use crate::env::{Order, ReplayBuilder, SyntheticBuilder};
use crate::{build_router, Decision, Ticket};

/// A router that always chooses the same model.
#[derive(Debug)]
struct Fixed {
    model: usize,
    models: usize,
    next_ticket: u64,
}

impl Fixed {
    fn boxed(model: usize, models: usize) -> Box<dyn Router> {
        Box::new(Self {
            model,
            models,
            next_ticket: 0,
        })
    }
}

impl Router for Fixed {
    fn name(&self) -> &str {
        "fixed"
    }

    fn models(&self) -> usize {
        self.models
    }

    fn decide(&mut self, _x: &[f64]) -> Result<Decision> {
        self.next_ticket += 1;
        Ok(Decision {
            model: self.model,
            probability: 1.0,
            ticket: Ticket(self.next_ticket),
        })
    }

    fn observe(&mut self, _ticket: Ticket, _reward: f64, _all: Option<&[f64]>) -> Result<()> {
        Ok(())
    }

    fn probabilities(&self, _x: &[f64]) -> Result<Vec<f64>> {
        let mut pi = vec![0.0; self.models];
        pi[self.model] = 1.0;
        Ok(pi)
    }
}

/// Four queries, two models: model 0 earns 1, 0, 1, 1 and model 1 earns
/// 0, 1, 0, 0.5.
fn four_rows(holdout: f64) -> crate::env::Replay {
    let features = vec![0.0, 1.0, 2.0, 3.0];
    let rewards = vec![1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.5];
    ReplayBuilder::new(features, 1, rewards, 2)
        .order(Order::File)
        .holdout(holdout)
        .build()
        .unwrap()
}

#[test]
fn run_measures_fixed_routers_exactly() {
    let mut env = four_rows(0.0);
    let mut routers = vec![Fixed::boxed(0, 2), Fixed::boxed(1, 2)];
    let report = run(&mut env, &mut routers, &mut |_, _| {}).unwrap();

    assert_eq!(report.rounds, 4);
    assert_eq!(report.oracle_avg_reward, 1.0);
    assert_eq!(report.best_fixed.model, 0);
    assert_eq!(report.best_fixed.avg_reward, 0.75);

    let first = &report.routers[0];
    assert_eq!(first.avg_reward, 0.75);
    assert_eq!(first.gap, 0.25);
    assert_eq!(first.regret_best_fixed, 0.0);

    let second = &report.routers[1];
    assert_eq!(second.avg_reward, 0.375);
    assert_eq!(second.gap, 0.625);
    assert_eq!(second.regret_best_fixed, 0.375);
    assert!(second.us_per_round >= 0.0);
    assert!(second.holdout.is_none());
}

#[test]
fn run_curve_ends_at_final_gap() {
    let mut env = SyntheticBuilder::new()
        .dim(4)
        .models(2)
        .rounds(1001)
        .build()
        .unwrap();
    let mut routers = vec![build_router("uniform", 4, 2, 0).unwrap()];
    let report = run(&mut env, &mut routers, &mut |_, _| {}).unwrap();

    let curve = &report.routers[0].curve;
    assert_eq!(curve.len(), 200);
    assert!(curve.windows(2).all(|w| w[0].round < w[1].round));
    let last = curve.last().unwrap();
    assert_eq!(last.round, 1001);
    assert_eq!(curve[0].round, 6);
    assert!((last.avg_gap - report.routers[0].gap).abs() < 1e-12);
}

#[test]
fn run_curve_short_run_has_every_round() {
    let mut env = four_rows(0.0);
    let mut routers = vec![Fixed::boxed(1, 2)];
    let report = run(&mut env, &mut routers, &mut |_, _| {}).unwrap();
    let rounds: Vec<usize> = report.routers[0].curve.iter().map(|p| p.round).collect();
    assert_eq!(rounds, [1, 2, 3, 4]);
    assert_eq!(report.routers[0].curve[0].avg_gap, 1.0);
}

#[test]
fn run_reports_progress_to_the_end() {
    let mut env = four_rows(0.0);
    let mut routers = vec![Fixed::boxed(0, 2)];
    let mut calls = Vec::new();
    run(&mut env, &mut routers, &mut |done, total| {
        calls.push((done, total))
    })
    .unwrap();
    assert_eq!(calls.first(), Some(&(1, 4)));
    assert_eq!(calls.last(), Some(&(4, 4)));
}

#[test]
fn run_scores_holdout_by_expected_reward() {
    let mut env = four_rows(0.5);
    let held_out: Vec<usize> = env.held_out_rows().to_vec();
    let mut routers = vec![build_router("uniform", 1, 2, 0).unwrap()];
    let report = run(&mut env, &mut routers, &mut |_, _| {}).unwrap();

    let rewards = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.5]];
    let expected: f64 = held_out
        .iter()
        .map(|&i| (rewards[i][0] + rewards[i][1]) / 2.0)
        .sum::<f64>()
        / 2.0;
    let oracle: f64 = held_out
        .iter()
        .map(|&i| rewards[i][0].max(rewards[i][1]))
        .sum::<f64>()
        / 2.0;

    assert_eq!(report.rounds, 2);
    assert_eq!(report.holdout_rows, 2);
    let score = report.routers[0].holdout.unwrap();
    assert!((score.avg_reward - expected).abs() < 1e-12);
    assert!((score.gap - (oracle - expected)).abs() < 1e-12);
}

#[test]
fn run_rejects_router_with_other_model_count() {
    let mut env = four_rows(0.0);
    let mut routers = vec![Fixed::boxed(0, 3)];
    let result = run(&mut env, &mut routers, &mut |_, _| {});
    assert!(matches!(
        result,
        Err(Error::LengthMismatch {
            expected: 2,
            found: 3,
            ..
        })
    ));
}

#[test]
fn run_adds_router_without_changing_others() {
    let build = || {
        SyntheticBuilder::new()
            .dim(6)
            .models(3)
            .rounds(500)
            .seed(2)
            .build()
            .unwrap()
    };
    let mut alone = vec![build_router("hpg", 6, 3, 1).unwrap()];
    let mut together = vec![
        build_router("hpg", 6, 3, 1).unwrap(),
        build_router("constant", 6, 3, 1).unwrap(),
    ];

    let first = run(&mut build(), &mut alone, &mut |_, _| {}).unwrap();
    let second = run(&mut build(), &mut together, &mut |_, _| {}).unwrap();
    assert_eq!(
        first.routers[0].avg_reward.to_bits(),
        second.routers[0].avg_reward.to_bits()
    );
    assert_eq!(
        first.oracle_avg_reward.to_bits(),
        second.oracle_avg_reward.to_bits()
    );
}

#[test]
fn run_hpg_beats_uniform_on_synthetic() {
    let mut env = SyntheticBuilder::new()
        .dim(8)
        .models(3)
        .rank(2)
        .noise(0.1)
        .rounds(4000)
        .seed(3)
        .build()
        .unwrap();
    let mut routers = vec![
        build_router("hpg", 8, 3, 0).unwrap(),
        build_router("uniform", 8, 3, 0).unwrap(),
    ];
    let report = run(&mut env, &mut routers, &mut |_, _| {}).unwrap();
    let (hpg, uniform) = (&report.routers[0], &report.routers[1]);
    assert!(
        hpg.gap < uniform.gap,
        "hpg gap {} >= uniform gap {}",
        hpg.gap,
        uniform.gap
    );
}

/// The `all_rewards` argument of every `observe` call, in call order.
type Observed = std::sync::Arc<std::sync::Mutex<Vec<Option<Vec<f64>>>>>;

/// A router that always chooses model 0 and records the `all_rewards`
/// argument of each `observe` call.
#[derive(Debug)]
struct Recorder {
    full_information: bool,
    observed: Observed,
    next_ticket: u64,
}

impl Recorder {
    fn boxed(full_information: bool, observed: &Observed) -> Box<dyn Router> {
        Box::new(Self {
            full_information,
            observed: observed.clone(),
            next_ticket: 0,
        })
    }
}

impl Router for Recorder {
    fn name(&self) -> &str {
        "recorder"
    }

    fn models(&self) -> usize {
        2
    }

    fn decide(&mut self, _x: &[f64]) -> Result<Decision> {
        self.next_ticket += 1;
        Ok(Decision {
            model: 0,
            probability: 1.0,
            ticket: Ticket(self.next_ticket),
        })
    }

    fn observe(&mut self, _ticket: Ticket, _reward: f64, all: Option<&[f64]>) -> Result<()> {
        self.observed.lock().unwrap().push(all.map(<[f64]>::to_vec));
        Ok(())
    }

    fn probabilities(&self, _x: &[f64]) -> Result<Vec<f64>> {
        Ok(vec![1.0, 0.0])
    }

    fn full_information(&self) -> bool {
        self.full_information
    }
}

#[test]
fn run_passes_rewards_only_to_full_information() {
    let full = Observed::default();
    let bandit = Observed::default();
    let mut env = four_rows(0.0);
    let mut routers = vec![
        Recorder::boxed(true, &full),
        Recorder::boxed(false, &bandit),
    ];
    run(&mut env, &mut routers, &mut |_, _| {}).unwrap();

    let expected = [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 0.5]].map(|r| Some(r.to_vec()));
    assert_eq!(*full.lock().unwrap(), expected);
    assert_eq!(*bandit.lock().unwrap(), [None, None, None, None]);
}

/// full-info returns an error when `observe` gets no `all_rewards`.
#[test]
fn run_completes_with_full_info_router() {
    let mut env = four_rows(0.0);
    let mut routers = vec![build_router("full-info", 1, 2, 0).unwrap()];
    let report = run(&mut env, &mut routers, &mut |_, _| {}).unwrap();
    assert_eq!(report.rounds, 4);
}
