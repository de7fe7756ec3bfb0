//! Checkpoints of the radius ensemble and of the `hpg` router in each of
//! its forms: exact resume, typed errors for damaged and edited files, and
//! files of one loader rejected by the others.

#![cfg(all(feature = "io", feature = "estimators"))]
use std::path::Path;

use hpg_core::env::{Environment, Round, SyntheticBuilder};
use hpg_core::{
    Decision, Error, EstimatorChoice, ExpectedConfig, Hpg, HpgRouter, LearnerBuilder,
    Path as UpdatePath, Radius, RadiusEnsemble, Router, RouterOptions, Ticket,
};
use serde_json::{json, Value};

/// The ensemble with REINFORCE, named so that its functions need no type
/// annotation.
type Ensemble = RadiusEnsemble;

const DIM: usize = 6;
const MODELS: usize = 3;
const ROUNDS: usize = 100;
const RADII: [f64; 3] = [6.0, 24.0, 96.0];
const PROBE: [f64; DIM] = [0.3, -0.1, 0.5, 0.2, -0.4, 0.05];
const EXPECTED: ExpectedConfig = ExpectedConfig {
    models: MODELS,
    input_dim: DIM,
};

/// Builds an ensemble whose copies update in mini-batches of 3, so
/// observations wait in the batches at a save.
fn ensemble(path: UpdatePath) -> RadiusEnsemble {
    let builder = LearnerBuilder::new(DIM, MODELS).path(path).batch_size(3);
    RadiusEnsemble::new(&builder, &RADII, 11).expect("valid parameters")
}

/// Draws the rounds of a small synthetic environment.
fn rounds() -> Vec<Round> {
    let mut env = SyntheticBuilder::new()
        .dim(DIM)
        .models(MODELS)
        .rank(2)
        .rounds(ROUNDS)
        .seed(4)
        .build()
        .expect("valid environment");
    std::iter::from_fn(|| env.next_round()).collect()
}

/// One step of the trace: the decision and the probe's probabilities.
#[derive(Debug, PartialEq)]
struct Step {
    decision: Decision,
    probabilities: Vec<u64>,
}

/// Plays `rounds` and records each decision and the probe's probabilities
/// after it. Every fifth round also decides on the probe and returns that
/// reward one round later, through `late`, so a decision is pending when
/// round 50 ends.
fn play(
    router: &mut dyn Router,
    rounds: &[Round],
    start: usize,
    late: &mut Option<Ticket>,
) -> Vec<Step> {
    let mut trace = Vec::new();
    for (offset, round) in rounds.iter().enumerate() {
        if let Some(ticket) = late.take() {
            router.observe(ticket, 0.5, None).expect("pending ticket");
        }
        let decision = router.decide(&round.features).expect("valid features");
        router
            .observe(decision.ticket, round.rewards[decision.model], None)
            .expect("valid reward");
        trace.push(step(router, decision));
        if (start + offset) % 5 == 4 {
            let probe = router.decide(&PROBE).expect("valid probe");
            *late = Some(probe.ticket);
            trace.push(step(router, probe));
        }
    }
    trace
}

fn step(router: &dyn Router, decision: Decision) -> Step {
    let probabilities = router
        .probabilities(&PROBE)
        .expect("valid probe")
        .iter()
        .map(|p| p.to_bits())
        .collect();
    Step {
        decision,
        probabilities,
    }
}

fn bits(values: &[f64]) -> Vec<u64> {
    values.iter().map(|v| v.to_bits()).collect()
}

fn encoded<T: serde::Serialize>(state: &T) -> Vec<u8> {
    hpg_io::encode_checkpoint(state).expect("encodable state")
}

/// Trains an ensemble on 20 rounds and leaves two decisions pending: the
/// probe of round 19 and one more.
fn trained_with_two_pending() -> RadiusEnsemble {
    let mut trained = ensemble(UpdatePath::LowRank);
    let mut late = None;
    play(&mut trained, &rounds()[..20], 0, &mut late);
    assert!(late.is_some(), "the probe of round 19 is pending");
    trained
        .decide(&rounds()[20].features)
        .expect("valid features");
    assert_eq!(trained.pending(), 2);
    trained
}

#[test]
fn ensemble_round_trip_keeps_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ensemble.ckpt");
    let original = trained_with_two_pending();
    original.save(&path).unwrap();

    let loaded = Ensemble::load(&path, &EXPECTED).unwrap();
    assert_eq!(encoded(&loaded), encoded(&original));
    assert_eq!(loaded.observed(), original.observed());
    assert_eq!(loaded.pending(), 2);
    assert_eq!(bits(&loaded.weights()), bits(&original.weights()));
    assert_eq!(bits(loaded.radii()), bits(original.radii()));
}

/// Runs 100 rounds straight and 50 + save + load + 50, and compares the
/// traces, the weights and the final checkpoints.
fn check_ensemble_exact_resume(path: UpdatePath) {
    let dir = tempfile::tempdir().unwrap();
    let all = rounds();
    let half = ROUNDS / 2;

    let mut straight = ensemble(path);
    let straight_trace = play(&mut straight, &all, 0, &mut None);

    let mut first = ensemble(path);
    let mut late = None;
    let mut resumed_trace = play(&mut first, &all[..half], 0, &mut late);
    assert_eq!(first.pending(), 1, "a decision is pending at the save");
    first.save(&dir.path().join("half.ckpt")).unwrap();
    drop(first);
    let mut resumed = Ensemble::load(&dir.path().join("half.ckpt"), &EXPECTED).unwrap();
    resumed_trace.extend(play(&mut resumed, &all[half..], half, &mut late));

    assert_eq!(resumed_trace.len(), straight_trace.len());
    for (index, (a, b)) in straight_trace.iter().zip(&resumed_trace).enumerate() {
        assert_eq!(a, b, "{path:?}: step {index} differs");
    }
    assert_eq!(bits(&resumed.weights()), bits(&straight.weights()));
    assert!(
        encoded(&resumed) == encoded(&straight),
        "{path:?}: final states differ"
    );
}

#[test]
fn ensemble_exact_resume_low_rank() {
    check_ensemble_exact_resume(UpdatePath::LowRank);
}

#[test]
fn ensemble_exact_resume_dense() {
    check_ensemble_exact_resume(UpdatePath::Dense);
}

#[test]
fn ensemble_truncated_file_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cut.ckpt");
    trained_with_two_pending().save(&path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 10]).unwrap();

    let error = Ensemble::load(&path, &EXPECTED).unwrap_err();
    assert!(
        matches!(error, Error::Io(hpg_io::Error::CheckpointTruncated { .. })),
        "{error}"
    );
    assert!(error.to_string().contains("cut.ckpt"), "{error}");
}

#[test]
fn ensemble_flipped_byte_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("flipped.ckpt");
    trained_with_two_pending().save(&path).unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();

    let error = Ensemble::load(&path, &EXPECTED).unwrap_err();
    assert!(
        matches!(error, Error::Io(hpg_io::Error::ChecksumMismatch { .. })),
        "{error}"
    );
}

#[test]
fn ensemble_mismatched_models_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("three.ckpt");
    ensemble(UpdatePath::LowRank).save(&path).unwrap();

    let wrong_models = ExpectedConfig {
        models: MODELS + 1,
        input_dim: DIM,
    };
    let error = Ensemble::load(&path, &wrong_models).unwrap_err();
    let Error::Io(hpg_io::Error::CheckpointMismatch { field, .. }) = &error else {
        panic!("expected a configuration mismatch, got {error}");
    };
    assert_eq!(*field, "models");

    let wrong_dim = ExpectedConfig {
        models: MODELS,
        input_dim: DIM + 1,
    };
    let error = Ensemble::load(&path, &wrong_dim).unwrap_err();
    assert!(error.to_string().contains("input dim = 6"), "{error}");
}

/// Returns the keys of the two pending rounds, in ticket order.
fn pending_keys(state: &Value) -> (String, String) {
    let mut keys: Vec<u64> = state["pending"]
        .as_object()
        .unwrap()
        .keys()
        .map(|key| key.parse().unwrap())
        .collect();
    keys.sort_unstable();
    assert_eq!(keys.len(), 2);
    (keys[0].to_string(), keys[1].to_string())
}

/// An edit of the serialized ensemble and a phrase of the error it causes.
type Edit = (&'static str, fn(&mut Value), &'static str);

const EDITS: [Edit; 15] = [
    ("no copies", |s| s["copies"] = json!([]), "no copies"),
    (
        "radius missing",
        |s| {
            s["radii"].as_array_mut().unwrap().pop();
        },
        "3 copies but 2 radii",
    ),
    (
        "negative radius",
        |s| s["radii"][0] = json!(-2.0),
        "radius of copy 0 is -2",
    ),
    (
        "negative loss",
        |s| s["losses"][1] = json!(-1.0),
        "loss of copy 1 is -1",
    ),
    (
        "zero weight rate",
        |s| s["weight_rate"] = json!(0.0),
        "weight rate is 0",
    ),
    (
        "exhausted ticket counter",
        |s| s["next_ticket"] = json!(u64::MAX),
        "ticket counter",
    ),
    (
        "more rounds than tickets",
        |s| s["observed"] = s["next_ticket"].clone(),
        "ticket counter",
    ),
    (
        "invalid copy",
        |s| s["copies"][1]["exploration"] = json!(2.0),
        "copy 1: exploration 2",
    ),
    (
        "model out of range",
        |s| {
            let (first, _) = pending_keys(s);
            s["pending"][&first]["model"] = json!(99);
        },
        "drew model 99 of 3",
    ),
    (
        "copy ticket missing",
        |s| {
            let (first, _) = pending_keys(s);
            s["pending"][&first]["tickets"]
                .as_array_mut()
                .unwrap()
                .pop();
        },
        "2 copy tickets and 3 ratios for 3 copies",
    ),
    (
        "negative ratio",
        |s| {
            let (first, _) = pending_keys(s);
            s["pending"][&first]["ratios"][0] = json!(-1.0);
        },
        "ratio of copy 0 is -1",
    ),
    (
        "unknown copy ticket",
        |s| {
            let (first, _) = pending_keys(s);
            s["pending"][&first]["tickets"][2] = json!(12345);
        },
        "copy 2 has no pending decision 12345",
    ),
    (
        "shared copy ticket",
        |s| {
            let (first, second) = pending_keys(s);
            s["pending"][&second]["tickets"] = s["pending"][&first]["tickets"].clone();
        },
        "reuses a ticket of copy 0",
    ),
    (
        "other model than the copies",
        |s| {
            let (first, _) = pending_keys(s);
            let model = s["pending"][&first]["model"].as_u64().unwrap();
            s["pending"][&first]["model"] = json!((model + 1) % MODELS as u64);
        },
        "but copy 0 recorded model",
    ),
    (
        "round never issued",
        |s| {
            let (first, _) = pending_keys(s);
            let pending = s["pending"].as_object_mut().unwrap();
            let round = pending.remove(&first).unwrap();
            pending.insert("999".to_owned(), round);
        },
        "pending round 999 was never issued",
    ),
];

#[test]
fn ensemble_edited_state_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.ckpt");
    let original = serde_json::to_value(trained_with_two_pending()).unwrap();
    // The unedited state passes, so each failure below comes from its edit.
    let unedited: RadiusEnsemble = serde_json::from_value(original.clone()).unwrap();
    hpg_io::save_checkpoint(&path, &unedited).unwrap();
    Ensemble::load(&path, &EXPECTED).unwrap();

    for (name, edit, phrase) in EDITS {
        let mut state = original.clone();
        edit(&mut state);
        let edited: RadiusEnsemble = serde_json::from_value(state).unwrap();
        hpg_io::save_checkpoint(&path, &edited).unwrap();

        let error = Ensemble::load(&path, &EXPECTED).unwrap_err();
        assert!(
            matches!(error, Error::Io(hpg_io::Error::CheckpointInvalid { .. })),
            "{name}: {error}"
        );
        let message = error.to_string();
        assert!(message.contains(phrase), "{name}: {message}");
        assert!(message.contains("edited.ckpt"), "{name}: {message}");
    }
}

/// Returns the six forms that `RouterOptions` select.
fn forms() -> Vec<RouterOptions> {
    let mut forms = Vec::new();
    for radius in [Radius::Auto, Radius::Default] {
        for estimator in [
            EstimatorChoice::Reinforce,
            EstimatorChoice::ImplicitExploration,
            EstimatorChoice::DoublyRobust,
        ] {
            forms.push(RouterOptions {
                radius,
                estimator,
                ..RouterOptions::default()
            });
        }
    }
    forms
}

#[test]
fn router_resumes_each_form_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("router.ckpt");
    let all = rounds();
    for options in forms() {
        let mut original = HpgRouter::new(DIM, MODELS, 21, &options).unwrap();
        assert_eq!(original.is_ensemble(), options.radius == Radius::Auto);
        assert_eq!(original.estimator(), options.estimator);

        let mut late = None;
        play(&mut original, &all[..30], 0, &mut late);
        original.save(&path).unwrap();
        let mut resumed = HpgRouter::load(&path, &EXPECTED).unwrap();
        assert_eq!(resumed.is_ensemble(), original.is_ensemble(), "{options:?}");
        assert_eq!(resumed.estimator(), options.estimator, "{options:?}");
        assert_eq!(resumed.observed(), original.observed(), "{options:?}");
        assert!(encoded(&resumed) == encoded(&original), "{options:?}");

        let mut resumed_late = late;
        let expected = play(&mut original, &all[30..60], 30, &mut late);
        let found = play(&mut resumed, &all[30..60], 30, &mut resumed_late);
        assert_eq!(found, expected, "{options:?}");
    }
}

#[test]
fn router_edited_ensemble_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("router.ckpt");
    let router = HpgRouter::Ensemble(trained_with_two_pending());
    let mut state = serde_json::to_value(&router).unwrap();
    state["Ensemble"]["losses"][2] = json!(-0.5);
    let edited: HpgRouter = serde_json::from_value(state).unwrap();
    hpg_io::save_checkpoint(&path, &edited).unwrap();

    let error = HpgRouter::load(&path, &EXPECTED).unwrap_err();
    assert!(
        matches!(error, Error::Io(hpg_io::Error::CheckpointInvalid { .. })),
        "{error}"
    );
    assert!(error.to_string().contains("loss of copy 2"), "{error}");
}

/// Saves with `save` and checks that `load` fails on the file with an
/// error that names it.
fn check_rejected<T>(
    dir: &Path,
    name: &str,
    save: impl Fn(&Path),
    load: impl Fn(&Path) -> Result<T, Error>,
) {
    let path = dir.join(name);
    save(&path);
    match load(&path) {
        Ok(_) => panic!("{name}: loaded a file of another kind"),
        Err(error) => {
            assert!(matches!(error, Error::Io(_)), "{name}: {error}");
            assert!(error.to_string().contains(name), "{name}: {error}");
        }
    }
}

#[test]
fn loaders_reject_other_kinds() {
    let dir = tempfile::tempdir().unwrap();
    let learner = LearnerBuilder::new(DIM, MODELS).seed(3).build().unwrap();
    let trained = trained_with_two_pending();
    let router = HpgRouter::new(DIM, MODELS, 3, &RouterOptions::default()).unwrap();

    check_rejected(
        dir.path(),
        "learner_as_router.ckpt",
        |path| learner.save(path).unwrap(),
        |path| HpgRouter::load(path, &EXPECTED),
    );
    check_rejected(
        dir.path(),
        "learner_as_ensemble.ckpt",
        |path| learner.save(path).unwrap(),
        |path| Ensemble::load(path, &EXPECTED),
    );
    check_rejected(
        dir.path(),
        "ensemble_as_learner.ckpt",
        |path| trained.save(path).unwrap(),
        |path| Hpg::load(path, &EXPECTED),
    );
    check_rejected(
        dir.path(),
        "router_as_ensemble.ckpt",
        |path| router.save(path).unwrap(),
        |path| Ensemble::load(path, &EXPECTED),
    );
    check_rejected(
        dir.path(),
        "router_as_learner.ckpt",
        |path| router.save(path).unwrap(),
        |path| Hpg::load(path, &EXPECTED),
    );
}
