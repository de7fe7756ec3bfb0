//! The regression baselines: learning, input checks, reproducibility and
//! runs through the runner.

use hpg_core::baselines::{EpsilonGreedy, FullInformationRidge, LinUcb, RANDOM_FEATURES};
use hpg_core::env::{Order, ReplayBuilder, SyntheticBuilder};
use hpg_core::{build_router, Error, Router, Ticket};
use hpg_policy::{FeatureMap, Normalized};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const BASELINES: [&str; 4] = ["linucb", "eps-greedy", "quad-eps-greedy", "full-info"];

/// Router features in `[-1, 1]^dim`.
fn random_query(rng: &mut ChaCha8Rng, dim: usize) -> Vec<f64> {
    (0..dim).map(|_| rng.random_range(-1.0..1.0)).collect()
}

/// Two models: model 0 earns 1 when `x[0] > 0`, model 1 otherwise.
fn sign_rewards(x: &[f64]) -> Vec<f64> {
    if x[0] > 0.0 {
        vec![1.0, 0.0]
    } else {
        vec![0.0, 1.0]
    }
}

/// An easy routing problem: how queries are drawn and every model's reward
/// on a query.
#[derive(Clone, Copy)]
struct Problem {
    dim: usize,
    query: fn(&mut ChaCha8Rng, usize) -> Vec<f64>,
    rewards: fn(&[f64]) -> Vec<f64>,
}

const SIGN: Problem = Problem {
    dim: 3,
    query: random_query,
    rewards: sign_rewards,
};

/// Plays `rounds` rounds of `problem` and returns the average reward of the
/// last half.
fn late_reward(router: &mut dyn Router, problem: Problem, rounds: usize, seed: u64) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut total = 0.0;
    for round in 0..rounds {
        let x = (problem.query)(&mut rng, problem.dim);
        let all = (problem.rewards)(&x);
        let decision = router.decide(&x).unwrap();
        let reward = all[decision.model];
        let full = router.full_information().then_some(all.as_slice());
        router.observe(decision.ticket, reward, full).unwrap();
        if round >= rounds / 2 {
            total += reward;
        }
    }
    total / (rounds - rounds / 2) as f64
}

/// Fraction of fresh queries on which the greedy policy picks the best
/// model.
fn greedy_accuracy(router: &dyn Router, problem: Problem) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(999);
    let queries = 500;
    let mut correct = 0;
    for _ in 0..queries {
        let x = (problem.query)(&mut rng, problem.dim);
        let all = (problem.rewards)(&x);
        let pi = router.probabilities(&x).unwrap();
        let expected: f64 = pi.iter().zip(&all).map(|(p, r)| p * r).sum();
        if expected == 1.0 {
            correct += 1;
        }
    }
    correct as f64 / queries as f64
}

#[test]
fn baselines_learn_sign_problem() {
    for name in BASELINES {
        let mut router = build_router(name, SIGN.dim, 2, 0).unwrap();
        let late = late_reward(router.as_mut(), SIGN, 2000, 1);
        let accuracy = greedy_accuracy(router.as_ref(), SIGN);
        // Uniform routing earns 0.5 here.
        assert!(late > 0.8, "{name}: late reward {late}");
        assert!(accuracy > 0.9, "{name}: greedy accuracy {accuracy}");
    }
}

/// Queries with `x[0]` and `x[1]` in `[-1, 1]` and every other feature
/// in `[-0.05, 0.05]`.
fn planar_query(rng: &mut ChaCha8Rng, dim: usize) -> Vec<f64> {
    (0..dim)
        .map(|i| {
            let range = if i < 2 { 1.0 } else { 0.05 };
            rng.random_range(-range..range)
        })
        .collect()
}

/// Two models: model 0 earns 1 when `x[0] x[1] > 0`, model 1 otherwise.
fn xor_rewards(x: &[f64]) -> Vec<f64> {
    if x[0] * x[1] > 0.0 {
        vec![1.0, 0.0]
    } else {
        vec![0.0, 1.0]
    }
}

#[test]
fn quad_eps_greedy_random_features_learn_xor() {
    // 40 router features give z of length 41, whose 861 exact products
    // exceed the cap, so the quadratic router uses random products.
    let xor = Problem {
        dim: 40,
        query: planar_query,
        rewards: xor_rewards,
    };
    let mut quadratic = EpsilonGreedy::quadratic(xor.dim, 2, 4).unwrap();
    let mut linear = EpsilonGreedy::new(xor.dim, 2, 4).unwrap();
    assert_eq!(quadratic.regression_dim(), xor.dim + 1 + RANDOM_FEATURES);

    let quadratic_reward = late_reward(&mut quadratic, xor, 3000, 5);
    let linear_reward = late_reward(&mut linear, xor, 3000, 5);

    // The product x[0] x[1] decides the reward, which the quadratic
    // features contain and a linear score in z cannot represent.
    assert!(quadratic_reward > 0.85, "quadratic {quadratic_reward}");
    assert!(
        quadratic_reward > linear_reward + 0.2,
        "quadratic {quadratic_reward}, linear {linear_reward}"
    );
}

#[test]
fn baselines_reject_bad_features() {
    for name in BASELINES {
        let mut router = build_router(name, 3, 2, 0).unwrap();
        let wrong_length = router.decide(&[0.1, 0.2]).unwrap_err();
        let not_finite = router.decide(&[0.1, f64::NAN, 0.3]).unwrap_err();
        let probabilities = router.probabilities(&[0.1; 4]).unwrap_err();

        assert!(
            matches!(
                wrong_length,
                Error::Policy(hpg_policy::Error::FeatureLength {
                    expected: 3,
                    found: 2
                })
            ),
            "{name}: {wrong_length}"
        );
        assert!(
            matches!(
                not_finite,
                Error::Policy(hpg_policy::Error::NonFiniteFeature { index: 1, .. })
            ),
            "{name}: {not_finite}"
        );
        assert!(
            matches!(
                probabilities,
                Error::Policy(hpg_policy::Error::FeatureLength { .. })
            ),
            "{name}: {probabilities}"
        );
    }
}

#[test]
fn baselines_reject_bad_rewards_and_tickets() {
    let all = [0.5, 0.25];
    for name in BASELINES {
        let mut router = build_router(name, 3, 2, 0).unwrap();
        let decision = router.decide(&[0.1, 0.2, 0.3]).unwrap();
        let full = router.full_information().then_some(&all[..]);

        for reward in [1.5, -0.1, f64::NAN] {
            let error = router.observe(decision.ticket, reward, full).unwrap_err();
            assert!(
                matches!(error, Error::Estimator(_)),
                "{name}, reward {reward}: {error}"
            );
        }
        let unknown = router.observe(Ticket(77), 0.5, full).unwrap_err();
        assert!(
            matches!(unknown, Error::UnknownTicket { ticket: 77 }),
            "{name}: {unknown}"
        );

        // The failed calls leave the ticket open; it closes once.
        router.observe(decision.ticket, 0.5, full).unwrap();
        let again = router.observe(decision.ticket, 0.5, full).unwrap_err();
        assert!(
            matches!(again, Error::UnknownTicket { .. }),
            "{name}: {again}"
        );
    }
}

#[test]
fn full_info_rejects_missing_rewards() {
    let mut router = FullInformationRidge::new(2, 3).unwrap();
    let decision = router.decide(&[0.4, -0.2]).unwrap();

    let missing = router.observe(decision.ticket, 0.5, None).unwrap_err();
    let short = router
        .observe(decision.ticket, 0.5, Some(&[0.5, 0.5]))
        .unwrap_err();
    let out_of_range = router
        .observe(decision.ticket, 0.5, Some(&[0.5, 2.0, 0.5]))
        .unwrap_err();

    assert!(
        matches!(
            missing,
            Error::InvalidParameter {
                name: "all_rewards",
                ..
            }
        ),
        "{missing}"
    );
    assert!(missing.to_string().contains("every model's reward"));
    assert!(
        matches!(
            short,
            Error::LengthMismatch {
                expected: 3,
                found: 2,
                ..
            }
        ),
        "{short}"
    );
    assert!(
        matches!(out_of_range, Error::Estimator(_)),
        "{out_of_range}"
    );
    assert_eq!(router.pending(), 1);
    router
        .observe(decision.ticket, 0.5, Some(&[0.5, 1.0, 0.5]))
        .unwrap();
    assert_eq!(router.pending(), 0);
}

#[test]
fn baselines_reject_invalid_sizes() {
    for name in BASELINES {
        assert!(build_router(name, 0, 2, 0).is_err(), "{name}: input_dim 0");
        assert!(build_router(name, 3, 0, 0).is_err(), "{name}: models 0");
    }
}

/// Plays 300 rounds with random rewards and returns the model and the
/// propensity bits of each decision.
fn decision_trace(name: &str, seed: u64) -> Vec<(usize, u64)> {
    let mut router = build_router(name, 5, 3, seed).unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let mut trace = Vec::new();
    for _ in 0..300 {
        let x = random_query(&mut rng, 5);
        let all: Vec<f64> = (0..3).map(|_| rng.random_range(0.0..1.0)).collect();
        let decision = router.decide(&x).unwrap();
        let full = router.full_information().then_some(all.as_slice());
        router
            .observe(decision.ticket, all[decision.model], full)
            .unwrap();
        trace.push((decision.model, decision.probability.to_bits()));
    }
    trace
}

#[test]
fn baselines_repeat_with_same_seed() {
    for name in BASELINES {
        assert_eq!(decision_trace(name, 3), decision_trace(name, 3), "{name}");
    }
    assert_ne!(
        decision_trace("eps-greedy", 3),
        decision_trace("eps-greedy", 4)
    );
}

#[test]
fn linucb_width_shrinks_with_data() {
    let mut router = LinUcb::new(2, 2).unwrap();
    let x = [0.6, -0.3];
    let z = Normalized::new(2, 1.0).unwrap().map(&x).unwrap();

    let mut widths = vec![router.ridges()[0].width(&z).unwrap()];
    for _ in 0..100 {
        if router.ridges()[0].count() >= 20 {
            break;
        }
        let decision = router.decide(&x).unwrap();
        router.observe(decision.ticket, 0.5, None).unwrap();
        widths.push(router.ridges()[0].width(&z).unwrap());
    }

    // Both models earn the same, so the bonus sends LinUCB to each in
    // turn, and model 0's width changes only when it is chosen.
    assert_eq!(router.ridges()[0].count(), 20);
    assert!(router.ridges()[1].count() > 0);
    assert!(widths.windows(2).all(|w| w[1] <= w[0]), "{widths:?}");
    // After n observations of the same z with lambda = 1,
    // z^T A^{-1} z = ||z||^2 / (1 + n ||z||^2).
    let squared_norm: f64 = z.iter().map(|v| v * v).sum();
    let expected = (squared_norm / (1.0 + 20.0 * squared_norm)).sqrt();
    let last = widths[widths.len() - 1];
    assert!((last - expected).abs() < 1e-12, "{last} vs {expected}");
}

#[test]
fn linucb_probabilities_ignore_bonus() {
    let mut router = LinUcb::new(1, 2).unwrap();
    let x = [1.0];
    let first = router.decide(&x).unwrap();
    assert_eq!(first.model, 0);
    assert_eq!(first.probability, 1.0);
    router.observe(first.ticket, 0.2, None).unwrap();

    // Model 0 now predicts 0.1 with width sqrt(1/2), and model 1 predicts
    // 0 with width 1: the bound prefers model 1, the prediction model 0.
    let scores = router.scores(&x).unwrap();
    assert!(scores[1] > scores[0], "{scores:?}");
    assert_eq!(router.probabilities(&x).unwrap(), [1.0, 0.0]);
    assert_eq!(router.decide(&x).unwrap().model, 1);
}

#[test]
fn baselines_run_on_sign_replay() {
    let mut rng = ChaCha8Rng::seed_from_u64(6);
    let rows = 1500;
    let mut features = Vec::new();
    let mut rewards = Vec::new();
    for _ in 0..rows {
        let x = random_query(&mut rng, 3);
        rewards.extend(sign_rewards(&x));
        features.extend(x);
    }
    let mut env = ReplayBuilder::new(features, 3, rewards, 2)
        .order(Order::File)
        .holdout(0.2)
        .build()
        .unwrap();

    let mut names = BASELINES.to_vec();
    names.push("uniform");
    let mut routers: Vec<_> = names
        .iter()
        .map(|name| build_router(name, 3, 2, 0).unwrap())
        .collect();
    let report = hpg_core::run(&mut env, &mut routers, &mut |_, _| {}).unwrap();

    let uniform = report.routers[4].gap;
    for router in &report.routers[..4] {
        let holdout = router.holdout.unwrap();
        assert!(
            router.gap < 0.5 * uniform,
            "{}: gap {}",
            router.name,
            router.gap
        );
        assert!(
            holdout.gap < 0.1,
            "{}: holdout gap {}",
            router.name,
            holdout.gap
        );
    }
}

#[test]
fn baselines_run_on_synthetic() {
    let mut env = SyntheticBuilder::new()
        .dim(8)
        .models(3)
        .rank(2)
        .noise(0.1)
        .rounds(4000)
        .seed(3)
        .build()
        .unwrap();
    let mut names = BASELINES.to_vec();
    names.push("uniform");
    let mut routers: Vec<_> = names
        .iter()
        .map(|name| build_router(name, 8, 3, 0).unwrap())
        .collect();
    let report = hpg_core::run(&mut env, &mut routers, &mut |_, _| {}).unwrap();

    assert_eq!(report.rounds, 4000);
    for router in &report.routers {
        assert!(
            (0.0..=1.0).contains(&router.gap),
            "{}: gap {}",
            router.name,
            router.gap
        );
        assert!(router.us_per_round > 0.0, "{}", router.name);
    }
    // A query and its negation have the same best model here, which a
    // linear score in z cannot express, so the quadratic features help.
    let quadratic = &report.routers[2];
    let uniform = &report.routers[4];
    assert_eq!(quadratic.name, "quad-eps-greedy");
    assert!(
        quadratic.gap < 0.5 * uniform.gap,
        "quad-eps-greedy gap {} vs uniform {}",
        quadratic.gap,
        uniform.gap
    );
    for linear in [&report.routers[0], &report.routers[1], &report.routers[3]] {
        assert!(
            quadratic.gap < linear.gap,
            "quad-eps-greedy gap {} vs {} {}",
            quadratic.gap,
            linear.name,
            linear.gap
        );
    }
}
