//! Checkpoints of the learner: bit-exact round trips, exact resume on the
//! low-rank and dense paths, and typed errors for hostile files.

use std::path::Path;

use hpg_core::env::{Environment, Round, SyntheticBuilder};
use hpg_core::{Decision, Error, ExpectedConfig, Hpg, LearnerBuilder, Path as UpdatePath, Ticket};

const DIM: usize = 6;
const MODELS: usize = 3;
const ROUNDS: usize = 100;
const PROBE: [f64; DIM] = [0.3, -0.1, 0.5, 0.2, -0.4, 0.05];
const EXPECTED: ExpectedConfig = ExpectedConfig {
    models: MODELS,
    input_dim: DIM,
};

fn learner(path: UpdatePath) -> Hpg {
    LearnerBuilder::new(DIM, MODELS)
        .seed(11)
        .path(path)
        .batch_size(3)
        .build()
        .expect("valid parameters")
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

/// One step of the trace: the decision and the probabilities on the probe.
#[derive(Debug, PartialEq)]
struct Step {
    decision: Decision,
    probabilities: Vec<u64>,
}

/// Plays `rounds` and records each decision and the probe's probabilities
/// after it. Every fifth round also decides on the probe and returns that
/// reward one round later, through `late`, so a decision is pending when
/// round 50 ends.
fn play(learner: &mut Hpg, rounds: &[Round], start: usize, late: &mut Option<Ticket>) -> Vec<Step> {
    let mut trace = Vec::new();
    for (offset, round) in rounds.iter().enumerate() {
        if let Some(ticket) = late.take() {
            learner.observe(ticket, 0.5).expect("pending ticket");
        }
        let decision = learner.decide(&round.features).expect("valid features");
        learner
            .observe(decision.ticket, round.rewards[decision.model])
            .expect("valid reward");
        trace.push(step(learner, decision));
        if (start + offset) % 5 == 4 {
            let probe = learner.decide(&PROBE).expect("valid probe");
            *late = Some(probe.ticket);
            trace.push(step(learner, probe));
        }
    }
    trace
}

fn step(learner: &Hpg, decision: Decision) -> Step {
    let probabilities = learner
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

fn encoded(learner: &Hpg) -> Vec<u8> {
    hpg_io::encode_checkpoint(learner).expect("encodable learner")
}

fn save_and_load(learner: &Hpg, dir: &Path, name: &str) -> Hpg {
    let path = dir.join(name);
    learner.save(&path).expect("checkpoint written");
    Hpg::load(&path, &EXPECTED).expect("checkpoint loaded")
}

#[test]
fn round_trip_before_updates() {
    let dir = tempfile::tempdir().unwrap();
    let original = learner(UpdatePath::LowRank);
    let loaded = save_and_load(&original, dir.path(), "fresh.ckpt");
    assert_eq!(encoded(&loaded), encoded(&original));
    assert_eq!(
        loaded.probabilities(&PROBE).unwrap(),
        original.probabilities(&PROBE).unwrap()
    );
}

#[test]
fn round_trip_after_updates() {
    let dir = tempfile::tempdir().unwrap();
    let all = rounds();
    for path in [UpdatePath::LowRank, UpdatePath::Dense] {
        let mut original = learner(path);
        play(&mut original, &all[..40], 0, &mut None);
        let mut loaded = save_and_load(&original, dir.path(), "trained.ckpt");
        assert_eq!(encoded(&loaded), encoded(&original), "{path:?}");
        assert_eq!(loaded.observed(), original.observed(), "{path:?}");
        assert_eq!(loaded.pending(), original.pending(), "{path:?}");
        assert_eq!(
            loaded.decide(&PROBE).unwrap(),
            original.decide(&PROBE).unwrap(),
            "{path:?}"
        );
    }
}

/// Runs 100 rounds straight and 50 + save + load + 50, and compares the
/// traces and the final checkpoints. The batch size 3 leaves observations
/// in the mini-batch at the save.
fn check_exact_resume(path: UpdatePath) {
    let dir = tempfile::tempdir().unwrap();
    let all = rounds();
    let half = ROUNDS / 2;

    let mut straight = learner(path);
    let straight_trace = play(&mut straight, &all, 0, &mut None);

    let mut first = learner(path);
    let mut late = None;
    let mut resumed_trace = play(&mut first, &all[..half], 0, &mut late);
    assert_eq!(first.pending(), 1, "a decision is pending at the save");
    let mut resumed = save_and_load(&first, dir.path(), "half.ckpt");
    drop(first);
    resumed_trace.extend(play(&mut resumed, &all[half..], half, &mut late));

    assert_eq!(resumed_trace.len(), straight_trace.len());
    for (index, (a, b)) in straight_trace.iter().zip(&resumed_trace).enumerate() {
        assert_eq!(a, b, "{path:?}: step {index} differs");
    }
    straight.save(&dir.path().join("straight.ckpt")).unwrap();
    resumed.save(&dir.path().join("resumed.ckpt")).unwrap();
    let straight_bytes = std::fs::read(dir.path().join("straight.ckpt")).unwrap();
    let resumed_bytes = std::fs::read(dir.path().join("resumed.ckpt")).unwrap();
    assert!(
        straight_bytes == resumed_bytes,
        "{path:?}: final bytes differ"
    );
}

#[test]
fn exact_resume_low_rank() {
    check_exact_resume(UpdatePath::LowRank);
}

#[test]
fn exact_resume_dense() {
    check_exact_resume(UpdatePath::Dense);
}

#[test]
fn mismatched_models_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("run.ckpt");
    learner(UpdatePath::LowRank).save(&path).unwrap();

    let wrong_models = ExpectedConfig {
        models: MODELS + 1,
        input_dim: DIM,
    };
    let error = Hpg::load(&path, &wrong_models).unwrap_err();
    let Error::Io(hpg_io::Error::CheckpointMismatch { field, .. }) = &error else {
        panic!("expected a configuration mismatch, got {error}");
    };
    assert_eq!(*field, "models");
    assert!(error.to_string().contains("run.ckpt"), "{error}");

    let wrong_dim = ExpectedConfig {
        models: MODELS,
        input_dim: DIM - 1,
    };
    let error = Hpg::load(&path, &wrong_dim).unwrap_err();
    assert!(error.to_string().contains("input dim = 6"), "{error}");
}

#[test]
fn npy_file_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("features.npy");
    let matrix = hpg_io::Matrix::new(2, DIM, vec![0.5; 2 * DIM]).unwrap();
    hpg_io::write_npy(&path, &matrix, hpg_io::NpyDtype::F32).unwrap();
    let error = Hpg::load(&path, &EXPECTED).unwrap_err();
    assert!(
        matches!(error, Error::Io(hpg_io::Error::NotCheckpoint { .. })),
        "{error}"
    );
}

#[test]
fn other_learner_type_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("linear.ckpt");
    let linear = LearnerBuilder::new(DIM, MODELS).build_log_linear().unwrap();
    linear.save(&path).unwrap();
    let error = Hpg::load(&path, &EXPECTED).unwrap_err();
    assert!(matches!(error, Error::Io(_)), "{error}");
}

#[test]
fn inconsistent_state_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("edited.ckpt");
    let mut trained = learner(UpdatePath::LowRank);
    play(&mut trained, &rounds()[..20], 0, &mut None);

    // Re-encode the learner with its exploration set to 2, which no
    // builder accepts, to stand for a forged file with a valid checksum.
    let mut value = serde_json::to_value(&trained).unwrap();
    value["exploration"] = serde_json::json!(2.0);
    let edited: Hpg = serde_json::from_value(value).unwrap();
    hpg_io::save_checkpoint(&path, &edited).unwrap();

    let error = Hpg::load(&path, &EXPECTED).unwrap_err();
    assert!(
        matches!(error, Error::Io(hpg_io::Error::CheckpointInvalid { .. })),
        "{error}"
    );
    assert!(error.to_string().contains("exploration"), "{error}");
}

#[test]
fn exhausted_ticket_counter_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("counter.ckpt");
    let mut trained = learner(UpdatePath::LowRank);
    play(&mut trained, &rounds()[..5], 0, &mut None);

    // `decide` would overflow this counter.
    let mut value = serde_json::to_value(&trained).unwrap();
    value["next_ticket"] = serde_json::json!(u64::MAX);
    let edited: Hpg = serde_json::from_value(value).unwrap();
    hpg_io::save_checkpoint(&path, &edited).unwrap();

    let error = Hpg::load(&path, &EXPECTED).unwrap_err();
    assert!(
        matches!(error, Error::Io(hpg_io::Error::CheckpointInvalid { .. })),
        "{error}"
    );
    assert!(error.to_string().contains("ticket counter"), "{error}");
}
