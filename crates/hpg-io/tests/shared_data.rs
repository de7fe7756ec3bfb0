//! Reads the retrieval reward tables and features that the project keeps in
//! `shared/data/retrieval`, three directories above this crate.
//!
//! These files are not part of the repository. When the directory is
//! missing, each test prints a note to stderr and returns without checking
//! anything. When it exists, every file that a test names must load.

use std::path::PathBuf;

use hpg_io::{check_row_counts, load_features, load_rewards};

const MODELS: [&str; 7] = [
    "minilm_l6",
    "paraphrase_minilm_l3",
    "m2v_minilm_l6",
    "glove50_mean",
    "lsa256",
    "bm25",
    "tfidf_char",
];

/// Returns the data directory, or `None` after printing a note.
fn data_dir() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/retrieval");
    if dir.is_dir() {
        return Some(dir);
    }
    eprintln!(
        "note: {} not found, so the shared-data test checked nothing",
        dir.display()
    );
    None
}

#[test]
fn typos_rewards_and_qpp_features() {
    let Some(dir) = data_dir() else {
        return;
    };

    let rewards_path = dir.join("typos/rewards.tsv");
    let table = load_rewards(&rewards_path, Some("mrr@10")).unwrap();
    assert_eq!(table.metric, "mrr@10");
    assert_eq!(table.models, MODELS);
    assert_eq!(table.rewards.rows(), 8442);
    assert_eq!(table.rewards.cols(), 7);

    let features_path = dir.join("typos/router_features_qpp.npy");
    let features = load_features(&features_path).unwrap();
    assert_eq!(features.rows(), 8442);
    assert_eq!(features.cols(), 392);

    check_row_counts(
        "router_features_qpp.npy",
        features.rows(),
        "rewards.tsv",
        table.rewards.rows(),
    )
    .unwrap();
}

#[test]
fn titles_rewards_default_metric() {
    let Some(dir) = data_dir() else {
        return;
    };

    let table = load_rewards(&dir.join("titles/rewards.tsv"), None).unwrap();
    assert_eq!(table.metric, "mrr@10");
    assert_eq!(table.models, MODELS);
    assert_eq!(table.rewards.rows(), 8442);
}

#[test]
fn judged_rewards_with_ndcg() {
    let Some(dir) = data_dir() else {
        return;
    };

    let table = load_rewards(&dir.join("rewards.tsv"), Some("ndcg@10")).unwrap();
    assert_eq!(table.models, MODELS);
    assert_eq!(table.rewards.rows(), 511);
    assert_eq!(table.rewards.cols(), 7);

    let features = load_features(&dir.join("router_features.npy")).unwrap();
    assert_eq!(features.rows(), 511);

    let error = load_rewards(&dir.join("rewards.tsv"), Some("mrr@10")).unwrap_err();
    assert!(error.to_string().contains("ndcg@10"), "{error}");
}
