//! End-to-end tests of the `hpg` binary on small files written here.

#![cfg(feature = "cli")]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// Writes a float32 .npy file (format version 1.0) of shape `rows x cols`.
fn write_npy(path: &Path, rows: usize, cols: usize, values: &[f32]) {
    assert_eq!(values.len(), rows * cols);
    let dict = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}");

    // Magic (6 bytes), version (2), header length (2), then the header,
    // padded with spaces and ended by a newline to a multiple of 64 bytes.
    let unpadded = 10 + dict.len() + 1;
    let padding = (64 - unpadded % 64) % 64;
    let header = format!("{dict}{}\n", " ".repeat(padding));

    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    for value in values {
        bytes.extend_from_slice(&value.to_le_bytes());
    }
    std::fs::write(path, bytes).unwrap();
}

/// Generates the features of `rows` queries, 4 features each.
fn features(rows: usize) -> Vec<f32> {
    (0..rows * 4)
        .map(|i| ((i * 7 % 13) as f32 - 6.0) / 6.0)
        .collect()
}

/// Formats a TSV table of `rows` queries and three models m0, m1, m2.
fn rewards_tsv(rows: usize) -> String {
    let mut text = String::from("query_id\tm0.ndcg@10\tm1.ndcg@10\tm2.ndcg@10\n");
    for i in 0..rows {
        let row = [
            (i % 3) as f64 / 2.0,
            0.25,
            if i % 2 == 0 { 1.0 } else { 0.0 },
        ];
        text.push_str(&format!("q{i}\t{}\t{}\t{}\n", row[0], row[1], row[2]));
    }
    text
}

/// Writes matching features and rewards files and returns their paths.
fn replay_files(dir: &Path, rows: usize) -> (PathBuf, PathBuf) {
    let features_path = dir.join("features.npy");
    let rewards_path = dir.join("rewards.tsv");
    write_npy(&features_path, rows, 4, &features(rows));
    std::fs::write(&rewards_path, rewards_tsv(rows)).unwrap();
    (features_path, rewards_path)
}

fn hpg() -> Command {
    Command::cargo_bin("hpg").unwrap()
}

fn replay(features: &Path, rewards: &Path) -> Command {
    let mut command = hpg();
    command
        .arg("replay")
        .arg("--features")
        .arg(features)
        .arg("--rewards")
        .arg(rewards);
    command
}

fn stdout_json(output: &std::process::Output) -> Value {
    let text = String::from_utf8(output.stdout.clone()).unwrap();
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("stdout is not one JSON object ({error}):\n{text}"))
}

fn stderr_text(output: &std::process::Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

fn assert_finite(value: &Value, key: &str) {
    let number = value[key]
        .as_f64()
        .unwrap_or_else(|| panic!("{key} is not a number: {value}"));
    assert!(number.is_finite(), "{key} = {number}");
}

/// Asserts the exit code 2 and one `error:` line that contains `expected`.
fn assert_usage_error(output: &std::process::Output, expected: &str) {
    let stderr = stderr_text(output);
    assert_eq!(output.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.starts_with("error:"), "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected {expected:?} in: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        output.stdout.is_empty(),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn replay_json_matches_schema() {
    let dir = tempfile::tempdir().unwrap();
    let (features, rewards) = replay_files(dir.path(), 40);
    let output = replay(&features, &rewards)
        .args([
            "--holdout",
            "0.25",
            "--passes",
            "2",
            "--learners",
            "hpg,constant,uniform",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "stderr: {}", stderr_text(&output));

    let json = stdout_json(&output);
    assert_eq!(json["command"], "replay");
    assert_eq!(json["rounds"], 60);
    assert_eq!(json["dim"], 4);
    assert_eq!(json["models"], serde_json::json!(["m0", "m1", "m2"]));
    assert_finite(&json["oracle"], "avg_reward");
    assert_finite(&json["best_fixed"], "avg_reward");
    assert!(json["best_fixed"]["model"].is_string());

    let learners = json["learners"].as_array().unwrap();
    let names: Vec<&str> = learners
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["hpg", "constant", "uniform"]);
    for learner in learners {
        for key in ["avg_reward", "gap", "regret_best_fixed", "us_per_round"] {
            assert_finite(learner, key);
        }
        assert_finite(&learner["holdout"], "avg_reward");
        assert_finite(&learner["holdout"], "gap");
    }
}

#[test]
fn replay_without_holdout_gives_null() {
    let dir = tempfile::tempdir().unwrap();
    let (features, rewards) = replay_files(dir.path(), 12);
    let output = replay(&features, &rewards)
        .args(["--learners", "uniform", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "stderr: {}", stderr_text(&output));
    assert!(stdout_json(&output)["learners"][0]["holdout"].is_null());
}

#[test]
fn replay_prints_table() {
    let dir = tempfile::tempdir().unwrap();
    let (features, rewards) = replay_files(dir.path(), 20);
    let output = replay(&features, &rewards)
        .args([
            "--holdout",
            "0.2",
            "--order",
            "file",
            "--learners",
            "log-linear,uniform",
        ])
        .output()
        .unwrap();
    assert!(output.status.success(), "stderr: {}", stderr_text(&output));

    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(stdout.contains("holdout gap"), "{stdout}");
    assert!(stdout.contains("log-linear"), "{stdout}");
    assert!(stdout.contains("oracle: avg reward"), "{stdout}");
    assert!(stdout.contains("best fixed: m"), "{stdout}");
}

#[test]
fn replay_reads_npy_rewards() {
    let dir = tempfile::tempdir().unwrap();
    let (features, _) = replay_files(dir.path(), 10);
    let rewards = dir.path().join("rewards.npy");
    let values: Vec<f32> = (0..20).map(|i| (i % 5) as f32 / 4.0).collect();
    write_npy(&rewards, 10, 2, &values);

    let output = replay(&features, &rewards)
        .args(["--learners", "hpg", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "stderr: {}", stderr_text(&output));
    assert_eq!(
        stdout_json(&output)["models"],
        serde_json::json!(["model0", "model1"])
    );
}

#[test]
fn replay_bad_reward_names_row() {
    let dir = tempfile::tempdir().unwrap();
    let (features, rewards) = replay_files(dir.path(), 5);
    let text = rewards_tsv(5).replace("q2\t1\t", "q2\t1.7\t");
    assert!(text.contains("1.7"), "{text}");
    std::fs::write(&rewards, text).unwrap();

    let output = replay(&features, &rewards).output().unwrap();
    assert_usage_error(&output, "rewards.tsv");
    assert_usage_error(&output, "row 2");
}

#[test]
fn replay_non_finite_feature_names_row() {
    let dir = tempfile::tempdir().unwrap();
    let (features, rewards) = replay_files(dir.path(), 5);
    let mut values = self::features(5);
    values[3 * 4 + 1] = f32::NAN;
    write_npy(&features, 5, 4, &values);

    let output = replay(&features, &rewards).output().unwrap();
    assert_usage_error(&output, "features.npy");
    assert_usage_error(&output, "row 3");
}

#[test]
fn replay_row_count_mismatch() {
    let dir = tempfile::tempdir().unwrap();
    let (features, rewards) = replay_files(dir.path(), 6);
    std::fs::write(&rewards, rewards_tsv(5)).unwrap();

    let output = replay(&features, &rewards).output().unwrap();
    assert_usage_error(&output, "6 rows");
}

#[test]
fn replay_truncated_npy_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let (features, rewards) = replay_files(dir.path(), 6);
    let bytes = std::fs::read(&features).unwrap();
    std::fs::write(&features, &bytes[..bytes.len() - 3]).unwrap();

    let output = replay(&features, &rewards).output().unwrap();
    assert_usage_error(&output, "truncated");
}

#[test]
fn replay_missing_file_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let (_, rewards) = replay_files(dir.path(), 6);
    let output = replay(&dir.path().join("absent.npy"), &rewards)
        .output()
        .unwrap();
    assert_usage_error(&output, "absent.npy");
}

#[test]
fn replay_rejects_invalid_holdout() {
    let dir = tempfile::tempdir().unwrap();
    let (features, rewards) = replay_files(dir.path(), 6);
    for fraction in ["1", "-0.5", "nan"] {
        let output = replay(&features, &rewards)
            .args(["--holdout", fraction])
            .output()
            .unwrap();
        assert_usage_error(&output, "holdout");
    }
}

#[test]
fn plot_writes_svg() {
    let dir = tempfile::tempdir().unwrap();
    let (features, rewards) = replay_files(dir.path(), 30);
    let plot = dir.path().join("gap.svg");
    let output = replay(&features, &rewards)
        .args(["--learners", "hpg,uniform", "--json", "--plot"])
        .arg(&plot)
        .output()
        .unwrap();
    assert!(output.status.success(), "stderr: {}", stderr_text(&output));
    stdout_json(&output);

    let svg = std::fs::read_to_string(&plot).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
    assert!(svg.contains("running average gap"));
    assert!(svg.contains("uniform"));
}

#[test]
fn plot_rejects_unknown_extension() {
    let output = hpg()
        .args(["simulate", "--rounds", "10", "--dim", "4", "--plot"])
        .arg("gap.pdf")
        .output()
        .unwrap();
    assert_usage_error(&output, ".svg or .png");
}

#[test]
fn unknown_learner_exits_2() {
    let output = hpg()
        .args(["simulate", "--rounds", "10", "--learners", "hpg,greedy"])
        .output()
        .unwrap();
    assert_usage_error(&output, "unknown learner \"greedy\"");
    assert_usage_error(&output, "log-linear");
}

#[test]
fn duplicate_learner_exits_2() {
    let output = hpg()
        .args([
            "simulate",
            "--rounds",
            "10",
            "--learners",
            "uniform,uniform",
        ])
        .output()
        .unwrap();
    assert_usage_error(&output, "listed twice");
}

#[test]
fn simulate_json_works() {
    let output = hpg()
        .args(["simulate", "--rounds", "2000", "--dim", "8", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "stderr: {}", stderr_text(&output));
    assert!(output.stderr.is_empty(), "stderr: {}", stderr_text(&output));

    let json = stdout_json(&output);
    assert_eq!(json["command"], "simulate");
    assert_eq!(json["rounds"], 2000);
    assert_eq!(json["dim"], 8);
    assert_eq!(json["models"].as_array().unwrap().len(), 4);
    assert_eq!(
        json["learners"].as_array().unwrap().len(),
        hpg_core::ROUTER_NAMES.len()
    );
    for learner in json["learners"].as_array().unwrap() {
        assert_finite(learner, "gap");
        assert!(learner["holdout"].is_null());
    }
}

#[test]
fn simulate_rejects_invalid_numbers() {
    let cases: [(&[&str], &str); 5] = [
        (&["--rank", "9", "--dim", "8"], "rank"),
        (&["--rounds", "0"], "rounds"),
        (&["--models", "1"], "models"),
        (&["--noise", "-1"], "noise"),
        (
            &["--schedule", "blocks", "--block-len", "0"],
            "block length",
        ),
    ];
    for (args, expected) in cases {
        let output = hpg().arg("simulate").args(args).output().unwrap();
        assert_usage_error(&output, expected);
    }
}

#[test]
fn bad_usage_exits_2() {
    let output = hpg()
        .args(["simulate", "--schedule", "random"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = hpg()
        .args(["replay", "--features", "x.npy"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn help_on_every_command() {
    for args in [
        &["--help"][..],
        &["simulate", "--help"],
        &["replay", "--help"],
    ] {
        let output = hpg().args(args).output().unwrap();
        assert!(output.status.success());
        assert!(String::from_utf8(output.stdout)
            .unwrap()
            .contains("Usage: hpg"));
    }
}
