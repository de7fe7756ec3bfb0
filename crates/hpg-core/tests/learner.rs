//! The learner's contract: edge inputs and typed errors that leave it
//! unchanged, late and out-of-order rewards, mini-batches, builder
//! validation and seeded determinism.

use hpg_core::env::{Environment, SyntheticBuilder};
use hpg_core::{Error, Hpg, LearnerBuilder, Ticket};

const DIM: usize = 5;
const MODELS: usize = 3;
const PROBE: [f64; DIM] = [0.3, -0.1, 0.5, 0.2, -0.4];

fn untrained() -> Hpg {
    LearnerBuilder::new(DIM, MODELS)
        .seed(7)
        .build()
        .expect("valid parameters")
}

/// Returns a learner that has already learned from 30 rounds, so its
/// probabilities on the probe are not uniform.
fn trained() -> Hpg {
    let mut learner = untrained();
    for round in 0..30 {
        let x: Vec<f64> = (0..DIM)
            .map(|i| ((round * DIM + i) as f64 * 0.7).sin())
            .collect();
        let decision = learner.decide(&x).expect("valid features");
        let reward = if decision.model == 0 { 0.9 } else { 0.1 };
        learner
            .observe(decision.ticket, reward)
            .expect("valid reward");
    }
    learner
}

/// Bit patterns of the probabilities on the probe, and the pending and
/// observed counts: what a rejected call must leave unchanged.
#[derive(Debug, PartialEq)]
struct Snapshot {
    probabilities: Vec<u64>,
    pending: usize,
    observed: u64,
}

fn snapshot(learner: &Hpg) -> Snapshot {
    let probabilities = learner
        .probabilities(&PROBE)
        .expect("valid probe")
        .iter()
        .map(|p| p.to_bits())
        .collect();
    Snapshot {
        probabilities,
        pending: learner.pending(),
        observed: learner.observed(),
    }
}

fn probe_probabilities(learner: &Hpg) -> Vec<f64> {
    learner.probabilities(&PROBE).expect("valid probe")
}

#[test]
fn learner_initial_uniform() {
    let learner = LearnerBuilder::new(4, 2).build().expect("valid parameters");
    let p = learner
        .probabilities(&[0.1, 0.2, 0.3, 0.4])
        .expect("valid features");
    assert_eq!(p, vec![0.5, 0.5], "probabilities before any update");

    let three = untrained();
    for (m, &value) in probe_probabilities(&three).iter().enumerate() {
        assert!(
            (value - 1.0 / 3.0).abs() < 1e-15,
            "p[{m}] = {value} before any update"
        );
    }
}

#[test]
fn learner_zero_features_valid() {
    let mut learner = trained();
    let zero = [0.0; DIM];
    let p = learner.probabilities(&zero).expect("zero vector is valid");
    let total: f64 = p.iter().sum();
    assert!(
        (total - 1.0).abs() < 1e-12,
        "probabilities {p:?} sum to {total}"
    );
    let decision = learner.decide(&zero).expect("zero vector is valid");
    assert!(
        decision.model < MODELS,
        "model {} out of range",
        decision.model
    );
    learner
        .observe(decision.ticket, 0.5)
        .expect("reward for a zero-feature decision");
}

#[test]
fn learner_trained_not_uniform() {
    // Guards the snapshots below: a rejected call on a uniform learner
    // would show no change even if it had corrupted the parameters.
    let p = probe_probabilities(&trained());
    let spread = p.iter().fold(0.0_f64, |m, v| m.max((v - 1.0 / 3.0).abs()));
    assert!(spread > 1e-3, "probabilities {p:?} after 30 updates");
}

#[test]
fn decide_wrong_length_error() {
    let mut learner = trained();
    let before = snapshot(&learner);
    for length in [0, DIM - 1, DIM + 1] {
        let error = learner
            .decide(&vec![0.1; length])
            .expect_err("wrong length");
        assert!(
            matches!(
                error,
                Error::Policy(hpg_policy::Error::FeatureLength { expected: DIM, found })
                    if found == length
            ),
            "length {length}: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains(&format!("length {length}")),
            "message: {message}"
        );
        assert!(
            message.contains(&format!("expected {DIM}")),
            "message: {message}"
        );
        assert_eq!(
            snapshot(&learner),
            before,
            "state after a vector of length {length}"
        );
    }

    let error = learner.probabilities(&[]).expect_err("empty vector");
    assert!(
        matches!(
            error,
            Error::Policy(hpg_policy::Error::FeatureLength { found: 0, .. })
        ),
        "probabilities of an empty vector: {error:?}"
    );
}

#[test]
fn decide_non_finite_error() {
    let mut learner = trained();
    let before = snapshot(&learner);
    for (bad, word) in [
        (f64::NAN, "NaN"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
    ] {
        let mut x = PROBE;
        x[2] = bad;
        let error = learner.decide(&x).expect_err("non-finite feature");
        assert!(
            matches!(
                error,
                Error::Policy(hpg_policy::Error::NonFiniteFeature { index: 2, .. })
            ),
            "feature {bad}: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains(&format!("feature 2 is {word}")),
            "message: {message}"
        );
        assert!(message.contains("finite"), "message: {message}");
        assert_eq!(snapshot(&learner), before, "state after feature {bad}");
    }
}

#[test]
fn decide_error_keeps_sampling_stream() {
    let mut clean = trained();
    let mut failed = clean.clone();
    failed.decide(&[f64::NAN; DIM]).expect_err("NaN features");
    for round in 0..20 {
        let a = clean.decide(&PROBE).expect("valid features");
        let b = failed.decide(&PROBE).expect("valid features");
        assert_eq!(a, b, "decision {round} after a rejected call");
    }
}

#[test]
fn observe_invalid_reward_error() {
    let mut learner = trained();
    let decision = learner.decide(&PROBE).expect("valid features");
    let before = snapshot(&learner);
    assert_eq!(before.pending, 1, "pending after one decision");

    for (reward, text) in [
        (f64::NAN, "NaN"),
        (-0.1, "-0.1"),
        (1.1, "1.1"),
        (f64::INFINITY, "inf"),
    ] {
        let error = learner
            .observe(decision.ticket, reward)
            .expect_err("invalid reward");
        assert!(
            matches!(
                error,
                Error::Estimator(hpg_estimators::Error::Reward { model, .. })
                    if model == decision.model
            ),
            "reward {reward}: {error:?}"
        );
        let message = error.to_string();
        assert!(
            message.contains(&format!("reward {text}")),
            "message: {message}"
        );
        assert!(message.contains("[0, 1]"), "message: {message}");
        assert_eq!(snapshot(&learner), before, "state after reward {reward}");
    }

    // The ticket stayed pending, so a valid reward is still accepted.
    learner
        .observe(decision.ticket, 0.7)
        .expect("valid reward after rejected ones");
    assert_eq!(learner.pending(), 0, "pending after the valid reward");
    assert_eq!(
        learner.observed(),
        before.observed + 1,
        "observed after the valid reward"
    );
}

#[test]
fn observe_unknown_ticket_error() {
    let mut learner = trained();
    let _pending = learner.decide(&PROBE).expect("valid features");
    let before = snapshot(&learner);
    let error = learner
        .observe(Ticket(999), 0.5)
        .expect_err("ticket never issued");
    assert!(
        matches!(error, Error::UnknownTicket { ticket: 999 }),
        "ticket 999: {error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("unknown ticket 999"), "message: {message}");
    assert!(message.contains("never issued"), "message: {message}");
    assert_eq!(snapshot(&learner), before, "state after an unknown ticket");
}

#[test]
fn observe_twice_error() {
    let mut learner = trained();
    let decision = learner.decide(&PROBE).expect("valid features");
    learner.observe(decision.ticket, 0.4).expect("first reward");
    let before = snapshot(&learner);

    let error = learner
        .observe(decision.ticket, 0.4)
        .expect_err("second reward for one ticket");
    assert!(
        matches!(error, Error::UnknownTicket { ticket } if ticket == decision.ticket.0),
        "second observation: {error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("already observed"), "message: {message}");
    assert_eq!(snapshot(&learner), before, "state after a repeated ticket");
}

#[test]
fn late_rewards_reverse_order() {
    let mut learner = untrained();
    let decisions: Vec<_> = (0..10)
        .map(|round| {
            let x: Vec<f64> = PROBE
                .iter()
                .map(|v| v * (1.0 + round as f64 / 10.0))
                .collect();
            learner.decide(&x).expect("valid features")
        })
        .collect();
    assert_eq!(learner.pending(), 10, "pending after 10 decisions");

    let tickets: Vec<u64> = decisions.iter().map(|d| d.ticket.0).collect();
    let mut distinct = tickets.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 10, "tickets {tickets:?} are not distinct");

    for (done, decision) in decisions.iter().rev().enumerate() {
        let reward = if decision.model == 1 { 1.0 } else { 0.2 };
        learner
            .observe(decision.ticket, reward)
            .expect("late reward accepted");
        assert_eq!(
            learner.pending(),
            9 - done,
            "pending after {} rewards",
            done + 1
        );
    }
    assert_eq!(learner.observed(), 10, "observed after all rewards");
}

#[test]
fn late_rewards_interleaved() {
    let mut learner = untrained();
    let early = learner.decide(&PROBE).expect("valid features");
    let mut middle = Vec::new();
    for _ in 0..5 {
        let decision = learner.decide(&PROBE).expect("valid features");
        learner
            .observe(decision.ticket, 0.3)
            .expect("immediate reward");
        middle.push(decision);
    }
    let late = learner.decide(&PROBE).expect("valid features");
    learner
        .observe(late.ticket, 0.6)
        .expect("reward of the last decision");
    learner
        .observe(early.ticket, 0.9)
        .expect("reward of the first decision, six updates later");
    assert_eq!(learner.pending(), 0, "pending at the end");
    assert_eq!(learner.observed(), 7, "observed at the end");
}

#[test]
fn batch_updates_every_fourth() {
    let mut learner = LearnerBuilder::new(DIM, MODELS)
        .batch_size(4)
        .seed(3)
        .build()
        .expect("valid parameters");
    let initial = probe_probabilities(&learner);

    for cycle in 0..3 {
        let start = probe_probabilities(&learner);
        let decisions: Vec<_> = (0..4)
            .map(|_| learner.decide(&PROBE).expect("valid features"))
            .collect();
        for (index, decision) in decisions.iter().enumerate() {
            let reward = if decision.model == 0 { 1.0 } else { 0.0 };
            learner
                .observe(decision.ticket, reward)
                .expect("valid reward");
            let now = probe_probabilities(&learner);
            if index < 3 {
                assert_eq!(
                    now,
                    start,
                    "cycle {cycle}: changed after {} of 4 observations",
                    index + 1
                );
            } else {
                assert_ne!(
                    now, start,
                    "cycle {cycle}: unchanged after the 4th observation"
                );
            }
        }
    }
    assert_ne!(
        probe_probabilities(&learner),
        initial,
        "no change after 3 full batches"
    );
}

#[test]
fn batch_flush_applies_partial() {
    let mut learner = LearnerBuilder::new(DIM, MODELS)
        .batch_size(4)
        .seed(3)
        .build()
        .expect("valid parameters");
    learner.flush().expect("flush of an empty batch");
    let start = probe_probabilities(&learner);
    for _ in 0..2 {
        let decision = learner.decide(&PROBE).expect("valid features");
        learner.observe(decision.ticket, 1.0).expect("valid reward");
    }
    assert_eq!(
        probe_probabilities(&learner),
        start,
        "changed before the batch was full"
    );
    assert_eq!(
        learner.observed(),
        2,
        "observed counts partial-batch rewards"
    );

    learner.flush().expect("flush of a partial batch");
    let flushed = probe_probabilities(&learner);
    assert_ne!(flushed, start, "flush did not apply the partial batch");

    learner.flush().expect("second flush");
    assert_eq!(
        probe_probabilities(&learner),
        flushed,
        "a second flush changed the policy"
    );
}

#[test]
fn batch_one_equals_immediate() {
    // batch_size 1 applies each reward in observe, so flush has nothing to do.
    let mut learner = untrained();
    let decision = learner.decide(&PROBE).expect("valid features");
    learner.observe(decision.ticket, 1.0).expect("valid reward");
    let after = probe_probabilities(&learner);
    learner.flush().expect("flush of an empty batch");
    assert_eq!(
        probe_probabilities(&learner),
        after,
        "flush changed a batch-1 learner"
    );
    assert_ne!(
        after,
        vec![1.0 / 3.0; MODELS],
        "batch-1 learner did not update"
    );
}

#[test]
fn exploration_sets_propensity() {
    let gamma = 0.2;
    let mut learner = LearnerBuilder::new(DIM, MODELS)
        .exploration(gamma)
        .seed(5)
        .build()
        .expect("valid parameters");
    for round in 0..50 {
        let pi = probe_probabilities(&learner);
        let decision = learner.decide(&PROBE).expect("valid features");
        let expected = (1.0 - gamma) * pi[decision.model] + gamma / MODELS as f64;
        assert!(
            (decision.probability - expected).abs() < 1e-12,
            "round {round}: probability {}, expected {expected}",
            decision.probability
        );
        let reward = if decision.model == 2 { 1.0 } else { 0.0 };
        learner
            .observe(decision.ticket, reward)
            .expect("valid reward");
    }
}

/// Asserts that `builder` fails with `Error::InvalidParameter` naming
/// `name`, in every build method.
fn assert_invalid(builder: LearnerBuilder, name: &str, case: &str) {
    let results = [
        ("build", builder.build().err()),
        ("build_log_linear", builder.build_log_linear().err()),
        ("build_constant", builder.build_constant().err()),
        ("build_unconstrained", builder.build_unconstrained().err()),
    ];
    for (method, result) in results {
        let Some(error) = result else {
            panic!("{method} accepted {case}");
        };
        let message = error.to_string();
        match error {
            Error::InvalidParameter { name: found, .. } => {
                assert_eq!(found, name, "{method} with {case}: parameter named");
            }
            other => panic!("{method} with {case}: expected InvalidParameter, got {other:?}"),
        }
        assert!(
            message.contains(name),
            "{method} with {case}: message {message}"
        );
    }
}

#[test]
fn builder_rejects_invalid() {
    let base = || LearnerBuilder::new(DIM, MODELS);

    assert_invalid(LearnerBuilder::new(DIM, 0), "models", "0 models");
    assert_invalid(LearnerBuilder::new(DIM, 1), "models", "1 model");
    assert_invalid(LearnerBuilder::new(0, MODELS), "input_dim", "input_dim 0");

    for radius in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert_invalid(base().radius(radius), "radius", &format!("radius {radius}"));
    }

    for scale in [0.0, -0.5, f64::NAN, f64::INFINITY] {
        assert_invalid(
            base().step_scale(scale),
            "step_scale",
            &format!("step_scale {scale}"),
        );
    }

    for gamma in [-0.1, 1.0, 1.5, f64::NAN] {
        assert_invalid(
            base().exploration(gamma),
            "exploration",
            &format!("exploration {gamma}"),
        );
    }

    assert_invalid(base().batch_size(0), "batch_size", "batch_size 0");
    assert_invalid(base().max_rank(0), "max_rank", "max_rank 0");

    for tolerance in [-1e-6, f64::NAN, f64::INFINITY] {
        assert_invalid(
            base().drop_tolerance(tolerance),
            "drop_tolerance",
            &format!("drop_tolerance {tolerance}"),
        );
    }

    for gamma_ix in [-0.1, f64::NAN] {
        assert_invalid(
            base().implicit_exploration(gamma_ix),
            "implicit_exploration",
            &format!("implicit_exploration {gamma_ix}"),
        );
    }

    for beta in [0.0, -2.0, f64::NAN] {
        assert_invalid(base().beta(beta), "beta", &format!("beta {beta}"));
    }
}

#[test]
fn builder_accepts_edges() {
    let cases = [
        ("exploration 0", LearnerBuilder::new(1, 2).exploration(0.0)),
        (
            "exploration 0.99",
            LearnerBuilder::new(1, 2).exploration(0.99),
        ),
        (
            "drop_tolerance 0",
            LearnerBuilder::new(1, 2).drop_tolerance(0.0),
        ),
        ("max_rank 1", LearnerBuilder::new(1, 2).max_rank(1)),
        ("batch_size 1", LearnerBuilder::new(1, 2).batch_size(1)),
        ("tiny radius", LearnerBuilder::new(1, 2).radius(1e-9)),
    ];
    for (case, builder) in cases {
        let result = builder.build();
        assert!(result.is_ok(), "{case}: {:?}", result.err());
    }
}

#[test]
fn builder_message_names_value() {
    let error = LearnerBuilder::new(DIM, MODELS)
        .radius(-3.0)
        .build()
        .expect_err("negative radius");
    let message = error.to_string();
    assert!(message.contains("radius = -3"), "message: {message}");
    assert!(message.contains("> 0"), "message: {message}");
}

/// Plays 2,000 synthetic rounds and returns every decision's model and
/// probability bits, and the probability bits on each round's features.
fn trace(seed: u64) -> (Vec<(usize, u64)>, Vec<u64>) {
    let mut env = SyntheticBuilder::new()
        .dim(16)
        .models(4)
        .rank(2)
        .items(50)
        .rounds(2000)
        .seed(42)
        .build()
        .expect("valid environment");
    let mut learner = LearnerBuilder::new(16, 4)
        .seed(seed)
        .build()
        .expect("valid parameters");
    let mut decisions = Vec::with_capacity(2000);
    let mut probabilities = Vec::with_capacity(8000);
    while let Some(round) = env.next_round() {
        let p = learner
            .probabilities(&round.features)
            .expect("valid features");
        probabilities.extend(p.iter().map(|v| v.to_bits()));
        let decision = learner.decide(&round.features).expect("valid features");
        decisions.push((decision.model, decision.probability.to_bits()));
        learner
            .observe(decision.ticket, round.rewards[decision.model])
            .expect("valid reward");
    }
    (decisions, probabilities)
}

#[test]
fn determinism_same_seed() {
    let (decisions, probabilities) = trace(11);
    let (again, again_probabilities) = trace(11);
    assert_eq!(decisions.len(), 2000, "rounds played");
    for (round, (a, b)) in decisions.iter().zip(&again).enumerate() {
        assert_eq!(
            a, b,
            "decision of round {round} differs between equal seeds"
        );
    }
    for (index, (a, b)) in probabilities.iter().zip(&again_probabilities).enumerate() {
        assert_eq!(
            a,
            b,
            "probability {} of round {} differs between equal seeds",
            index % 4,
            index / 4
        );
    }
}

#[test]
fn determinism_different_seeds() {
    let (first, _) = trace(11);
    let (second, _) = trace(12);
    let models = |trace: &[(usize, u64)]| trace.iter().map(|d| d.0).collect::<Vec<_>>();
    let a = models(&first);
    let b = models(&second);
    let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    assert!(
        differing > 100,
        "only {differing} of 2000 decisions differ between seeds 11 and 12"
    );
}
