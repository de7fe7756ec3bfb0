//! `hpg replay --checkpoint` and `--resume` end to end. A run with a
//! checkpoint makes the decisions of a run without, and a second process
//! resumes each form of the hpg learner exactly. A mismatch with the data
//! or the form exits with code 2, and checkpoints stay valid when the
//! writer is killed.

#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use hpg_core::{ExpectedConfig, HpgRouter};
use hpg_io::{Matrix, NpyDtype};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const DIM: usize = 4;
const MODELS: usize = 3;

/// Writes `rows` rows of features and rewards, starting at row `first` of
/// a fixed table, and returns the two paths.
fn write_rows(dir: &Path, tag: &str, first: usize, rows: usize, dim: usize) -> (PathBuf, PathBuf) {
    let features: Vec<f64> = (first * dim..(first + rows) * dim)
        .map(|i| ((i * 7 % 13) as f64 - 6.0) / 6.0)
        .collect();
    let rewards: Vec<f64> = (first..first + rows)
        .flat_map(|i| {
            [
                (i % 3) as f64 / 2.0,
                0.25,
                if i % 2 == 0 { 1.0 } else { 0.0 },
            ]
        })
        .collect();
    let features_path = dir.join(format!("{tag}_features.npy"));
    let rewards_path = dir.join(format!("{tag}_rewards.npy"));
    let features = Matrix::new(rows, dim, features).unwrap();
    let rewards = Matrix::new(rows, MODELS, rewards).unwrap();
    hpg_io::write_npy(&features_path, &features, NpyDtype::F64).unwrap();
    hpg_io::write_npy(&rewards_path, &rewards, NpyDtype::F64).unwrap();
    (features_path, rewards_path)
}

/// The form of the hpg learner: `--path`, `--radius` and `--estimator`.
#[derive(Debug, Clone, Copy)]
struct Form {
    path: &'static str,
    radius: &'static str,
    estimator: &'static str,
}

impl Form {
    const fn new(path: &'static str, radius: &'static str, estimator: &'static str) -> Self {
        Self {
            path,
            radius,
            estimator,
        }
    }
}

/// The default form: a radius ensemble with REINFORCE.
const AUTO: Form = Form::new("lowrank", "auto", "reinforce");

/// Builds `hpg replay` on the files in file order, with the hpg learner
/// only, in `form`.
fn replay_without_checkpoint(files: &(PathBuf, PathBuf), form: Form) -> Command {
    let mut command = Command::cargo_bin("hpg").unwrap();
    command
        .arg("replay")
        .arg("--features")
        .arg(&files.0)
        .arg("--rewards")
        .arg(&files.1)
        .args(["--order", "file", "--learners", "hpg", "--json"])
        .args(["--path", form.path])
        .args(["--radius", form.radius])
        .args(["--estimator", form.estimator]);
    command
}

/// As [`replay_without_checkpoint`], with the learner's state written to
/// `checkpoint` every 7 rounds.
fn replay(files: &(PathBuf, PathBuf), checkpoint: &Path, form: Form) -> Command {
    let mut command = replay_without_checkpoint(files, form);
    command
        .args(["--checkpoint-every", "7", "--checkpoint"])
        .arg(checkpoint);
    command
}

fn stdout_json(output: &std::process::Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn resume_in_second_process_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let all = write_rows(dir.path(), "all", 0, 100, DIM);
    let first = write_rows(dir.path(), "first", 0, 50, DIM);
    let second = write_rows(dir.path(), "second", 50, 50, DIM);
    let expected = ExpectedConfig {
        models: MODELS,
        input_dim: DIM,
    };
    let forms = [
        AUTO,
        Form::new("dense", "auto", "reinforce"),
        Form::new("lowrank", "default", "reinforce"),
        Form::new("dense", "default", "reinforce"),
        Form::new("lowrank", "auto", "ix"),
        Form::new("lowrank", "24", "ix"),
        Form::new("lowrank", "auto", "dr"),
        Form::new("lowrank", "default", "dr"),
    ];

    for form in forms {
        let straight = dir.path().join("straight.ckpt");
        let half = dir.path().join("half.ckpt");
        let resumed = dir.path().join("resumed.ckpt");

        replay(&all, &straight, form).assert().success();
        replay(&first, &half, form).assert().success();
        replay(&second, &resumed, form)
            .arg("--resume")
            .arg(&half)
            .assert()
            .success();

        let learner = HpgRouter::load(&resumed, &expected).unwrap();
        assert_eq!(learner.observed(), 100, "{form:?}");
        assert_eq!(learner.is_ensemble(), form.radius == "auto", "{form:?}");
        let straight_bytes = std::fs::read(&straight).unwrap();
        let resumed_bytes = std::fs::read(&resumed).unwrap();
        assert!(
            straight_bytes == resumed_bytes,
            "{form:?}: final checkpoints differ"
        );
    }
}

#[test]
fn checkpoint_keeps_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_rows(dir.path(), "data", 0, 120, DIM);
    let checkpoint = dir.path().join("run.ckpt");
    for radius in ["auto", "default"] {
        for estimator in ["reinforce", "ix", "dr"] {
            let form = Form::new("lowrank", radius, estimator);
            // The holdout score depends on every probability of the final
            // policy, so it differs when any decision before it differs.
            let plain = replay_without_checkpoint(&files, form)
                .args(["--holdout", "0.25"])
                .output()
                .unwrap();
            let saved = replay(&files, &checkpoint, form)
                .args(["--holdout", "0.25"])
                .output()
                .unwrap();

            let plain = &stdout_json(&plain)["learners"][0];
            let saved = &stdout_json(&saved)["learners"][0];
            assert_eq!(saved["name"], "hpg", "{form:?}");
            for key in ["gap", "avg_reward", "regret_best_fixed"] {
                assert!(plain[key].is_f64(), "{form:?}: {key} = {}", plain[key]);
                assert_eq!(saved[key], plain[key], "{form:?}: {key}");
            }
            assert!(plain["holdout"]["gap"].is_f64(), "{form:?}");
            assert_eq!(saved["holdout"], plain["holdout"], "{form:?}");
        }
    }
}

#[test]
fn resume_other_form_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_rows(dir.path(), "data", 0, 20, DIM);
    // The form a checkpoint is saved in, the form of the resuming run and
    // the phrases of the error.
    let cases = [
        (
            AUTO,
            Form::new("lowrank", "default", "reinforce"),
            ["contains a radius ensemble", "pass --radius auto"],
        ),
        (
            Form::new("lowrank", "32", "reinforce"),
            AUTO,
            ["contains a single hpg learner", "pass --radius default"],
        ),
        (
            Form::new("lowrank", "auto", "dr"),
            AUTO,
            ["--estimator dr, but", "pass --estimator dr"],
        ),
        (
            Form::new("lowrank", "default", "reinforce"),
            Form::new("lowrank", "default", "ix"),
            ["--estimator reinforce, but", "pass --estimator reinforce"],
        ),
    ];

    for (saved_form, resumed_form, phrases) in cases {
        let saved = dir.path().join("saved.ckpt");
        replay(&files, &saved, saved_form).assert().success();
        let output = replay(&files, &dir.path().join("next.ckpt"), resumed_form)
            .arg("--resume")
            .arg(&saved)
            .output()
            .unwrap();

        assert_eq!(output.status.code(), Some(2), "{saved_form:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("saved.ckpt"), "{stderr}");
        for phrase in phrases {
            assert!(stderr.contains(phrase), "{saved_form:?}: {stderr}");
        }
    }
}

#[test]
fn resume_with_other_dim_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_rows(dir.path(), "four", 0, 20, DIM);
    let saved = dir.path().join("four.ckpt");
    replay(&files, &saved, AUTO).assert().success();

    let wider = write_rows(dir.path(), "five", 0, 20, DIM + 1);
    let output = replay(&wider, &dir.path().join("five.ckpt"), AUTO)
        .arg("--resume")
        .arg(&saved)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("input dim = 4"), "{stderr}");
    assert!(stderr.contains("four.ckpt"), "{stderr}");
}

#[test]
fn checkpoint_without_hpg_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_rows(dir.path(), "data", 0, 10, DIM);
    let output = Command::cargo_bin("hpg")
        .unwrap()
        .arg("replay")
        .arg("--features")
        .arg(&files.0)
        .arg("--rewards")
        .arg(&files.1)
        .args(["--learners", "uniform", "--checkpoint"])
        .arg(dir.path().join("x.ckpt"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("add hpg to --learners"), "{stderr}");
}

#[test]
fn killed_writer_leaves_valid_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_rows(dir.path(), "data", 0, 100, DIM);
    let checkpoint = dir.path().join("live.ckpt");
    let expected = ExpectedConfig {
        models: MODELS,
        input_dim: DIM,
    };
    let binary = assert_cmd::cargo::cargo_bin("hpg");
    let mut rng = ChaCha8Rng::seed_from_u64(3);

    for attempt in 0..5 {
        let _ = std::fs::remove_file(&checkpoint);
        // 1000 passes of 100 rows with a write every round: the child is
        // still writing when it is killed.
        let mut child = std::process::Command::new(&binary)
            .arg("replay")
            .arg("--features")
            .arg(&files.0)
            .arg("--rewards")
            .arg(&files.1)
            .args([
                "--learners",
                "hpg",
                "--passes",
                "1000",
                "--checkpoint-every",
                "1",
            ])
            .arg("--checkpoint")
            .arg(&checkpoint)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();

        let started = Instant::now();
        while !checkpoint.exists() {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "attempt {attempt}: no checkpoint after 30 s"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        std::thread::sleep(Duration::from_millis(rng.random_range(5..200)));
        // `Child::kill` sends SIGKILL on Unix, so the writer gets no chance
        // to finish a write.
        child.kill().unwrap();
        let status = child.wait().unwrap();
        assert!(
            !status.success(),
            "attempt {attempt}: the child finished early"
        );

        let learner = HpgRouter::load(&checkpoint, &expected)
            .unwrap_or_else(|error| panic!("attempt {attempt}: {error}"));
        assert!(learner.observed() > 0, "attempt {attempt}");
    }
}

#[test]
fn checkpoint_bad_path_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let (features, rewards) = write_rows(dir.path(), "data", 0, 10, DIM);

    let missing_dir = dir.path().join("missing").join("run.ckpt");
    for target in [features.clone(), dir.path().to_path_buf(), missing_dir] {
        let output = Command::cargo_bin("hpg")
            .unwrap()
            .arg("replay")
            .arg("--features")
            .arg(&features)
            .arg("--rewards")
            .arg(&rewards)
            .args(["--learners", "hpg", "--checkpoint"])
            .arg(&target)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{}", target.display());
    }
    assert!(std::fs::read(&features).unwrap().starts_with(b"\x93NUMPY"));
}
