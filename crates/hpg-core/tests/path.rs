//! `hpg replay --path lowrank` against `--path dense` on a small table
//! written here.

#![cfg(feature = "cli")]

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

const ROWS: usize = 40;
const DIM: usize = 6;
const MODELS: usize = 3;

const PASSES: usize = 3;

/// Largest allowed difference of a log-quadratic learner's average reward
/// between the two paths, over `ROWS * PASSES = 120` rounds.
///
/// Both runs use the same seed, so they shuffle the rows and draw the
/// sampling uniforms identically, and a decision differs only where the
/// policies differ. The dense path keeps every eigenpair, and the low-rank
/// path drops those whose primal eigenvalue is at most the default drop
/// tolerance (0.01 beta = 0.02 logit units), so its logits can drift from
/// the dense ones by a few hundredths. The rank cap (16) does not bind
/// because the features have length 7 after the bias coordinate. A drift
/// that small can flip a draw that lands near a bin edge. A flipped round
/// moves the average by at most 1 / 120, and afterwards the two learners
/// update on different observations, so later draws may differ too. With
/// this table the largest difference over seeds 0 to 30 is 0.011 (about
/// 1.3 rounds), and 0.03 (3.6 rounds) leaves room for platform rounding.
const TOLERANCE: f64 = 0.03;

/// Run seeds tried. Some give identical decisions on both paths and some
/// flip a draw.
const SEEDS: std::ops::Range<u64> = 0..16;

/// Writes a little-endian float32 .npy file (format version 1.0).
fn write_npy(path: &Path, rows: usize, cols: usize, values: &[f32]) {
    assert_eq!(values.len(), rows * cols);
    let dict = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {cols}), }}");
    // Magic, version and header length take 10 bytes; the header ends in a
    // newline and pads the total to a multiple of 64 bytes.
    let padding = (64 - (10 + dict.len() + 1) % 64) % 64;
    let header = format!("{dict}{}\n", " ".repeat(padding));

    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    for value in values {
        bytes.extend_from_slice(&value.to_le_bytes());
    }
    std::fs::write(path, bytes).unwrap();
}

/// Generates row-major features in [-1, 1] from a fixed linear
/// congruential sequence, so the test needs no random-number crate.
fn features() -> Vec<f32> {
    let mut state: u32 = 12_345;
    (0..ROWS * DIM)
        .map(|_| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            ((state >> 8) as f32 / (1u32 << 24) as f32) * 2.0 - 1.0
        })
        .collect()
}

/// Formats rewards that depend on the features: model 0 is best when the
/// first feature is large, model 1 when the second is, and model 2 earns a
/// constant 0.4.
fn rewards_tsv(features: &[f32]) -> String {
    let mut text = String::from("query_id\tm0.mrr@10\tm1.mrr@10\tm2.mrr@10\n");
    for (i, row) in features.chunks(DIM).enumerate() {
        let first = f64::from(row[0].clamp(0.0, 1.0));
        let second = f64::from(row[1].clamp(0.0, 1.0));
        text.push_str(&format!("q{i}\t{first:.6}\t{second:.6}\t0.4\n"));
    }
    text
}

/// Runs `hpg replay --json` with the given `--path` and seed and returns
/// the JSON.
fn replay_json(features: &Path, rewards: &Path, path: &str, seed: u64) -> Value {
    let output = Command::cargo_bin("hpg")
        .unwrap()
        .arg("replay")
        .arg("--features")
        .arg(features)
        .arg("--rewards")
        .arg(rewards)
        .args(["--passes", &PASSES.to_string()])
        .args(["--seed", &seed.to_string(), "--json"])
        .args(["--learners", "hpg,unconstrained,uniform"])
        .args(["--path", path])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "--path {path} --seed {seed} failed: {stderr}"
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn learner_reward(json: &Value, name: &str) -> f64 {
    let learners = json["learners"].as_array().unwrap();
    let learner = learners.iter().find(|l| l["name"] == name).unwrap();
    learner["avg_reward"].as_f64().unwrap()
}

#[test]
fn replay_paths_agree() {
    let dir = tempfile::tempdir().unwrap();
    let features_path = dir.path().join("features.npy");
    let rewards_path = dir.path().join("rewards.tsv");
    let values = features();
    write_npy(&features_path, ROWS, DIM, &values);
    std::fs::write(&rewards_path, rewards_tsv(&values)).unwrap();

    for seed in SEEDS {
        let low_rank = replay_json(&features_path, &rewards_path, "lowrank", seed);
        let dense = replay_json(&features_path, &rewards_path, "dense", seed);

        assert_eq!(low_rank["rounds"], ROWS * PASSES, "seed {seed}");
        assert_eq!(dense["rounds"], ROWS * PASSES, "seed {seed}");
        assert_eq!(low_rank["models"].as_array().unwrap().len(), MODELS);
        for name in ["hpg", "unconstrained"] {
            let low_rank_reward = learner_reward(&low_rank, name);
            let dense_reward = learner_reward(&dense, name);
            let difference = (low_rank_reward - dense_reward).abs();
            assert!(
                difference <= TOLERANCE,
                "{name}, seed {seed}: lowrank avg_reward {low_rank_reward}, \
                 dense {dense_reward}, difference {difference} > {TOLERANCE}"
            );
        }
        // The uniform router ignores --path, so its numbers match exactly.
        assert_eq!(
            learner_reward(&low_rank, "uniform"),
            learner_reward(&dense, "uniform"),
            "seed {seed}"
        );
    }
}

#[test]
fn replay_rejects_unknown_path() {
    let output = Command::cargo_bin("hpg")
        .unwrap()
        .args(["simulate", "--rounds", "10", "--path", "sparse"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("sparse"), "{stderr}");
    assert!(stderr.contains("lowrank"), "{stderr}");
}
