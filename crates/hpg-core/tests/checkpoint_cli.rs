//! `hpg replay --checkpoint` and `--resume` end to end: exact resume in a
//! second process, a mismatch with the data, and checkpoints that stay
//! valid when the writer is killed.

#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use hpg_core::{ExpectedConfig, Hpg};
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

/// Builds `hpg replay` on the files in file order, with the hpg learner
/// only and its state written to `checkpoint`.
fn replay(files: &(PathBuf, PathBuf), checkpoint: &Path, path: &str) -> Command {
    let mut command = Command::cargo_bin("hpg").unwrap();
    command
        .arg("replay")
        .arg("--features")
        .arg(&files.0)
        .arg("--rewards")
        .arg(&files.1)
        .args([
            "--order",
            "file",
            "--learners",
            "hpg",
            "--json",
            "--path",
            path,
        ])
        .args(["--checkpoint-every", "7", "--checkpoint"])
        .arg(checkpoint);
    command
}

#[test]
fn resume_in_second_process_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    for path in ["lowrank", "dense"] {
        let all = write_rows(dir.path(), "all", 0, 100, DIM);
        let first = write_rows(dir.path(), "first", 0, 50, DIM);
        let second = write_rows(dir.path(), "second", 50, 50, DIM);
        let straight = dir.path().join("straight.ckpt");
        let half = dir.path().join("half.ckpt");
        let resumed = dir.path().join("resumed.ckpt");

        replay(&all, &straight, path).assert().success();
        replay(&first, &half, path).assert().success();
        replay(&second, &resumed, path)
            .arg("--resume")
            .arg(&half)
            .assert()
            .success();

        let expected = ExpectedConfig {
            models: MODELS,
            input_dim: DIM,
        };
        let learner = Hpg::load(&resumed, &expected).unwrap();
        assert_eq!(learner.observed(), 100, "{path}");
        let straight_bytes = std::fs::read(&straight).unwrap();
        let resumed_bytes = std::fs::read(&resumed).unwrap();
        assert!(
            straight_bytes == resumed_bytes,
            "{path}: final checkpoints differ"
        );
    }
}

#[test]
fn resume_with_other_dim_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let files = write_rows(dir.path(), "four", 0, 20, DIM);
    let saved = dir.path().join("four.ckpt");
    replay(&files, &saved, "lowrank").assert().success();

    let wider = write_rows(dir.path(), "five", 0, 20, DIM + 1);
    let output = replay(&wider, &dir.path().join("five.ckpt"), "lowrank")
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

        let learner = Hpg::load(&checkpoint, &expected)
            .unwrap_or_else(|error| panic!("attempt {attempt}: {error}"));
        assert!(learner.observed() > 0, "attempt {attempt}");
    }
}
