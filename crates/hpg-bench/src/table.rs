//! Real reward tables: the bundled typos and judged tables and the
//! optional title-search table.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::{Error, Result};

/// A reward table with its router features, loaded into memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Short name used in reports: `typos`, `judged` or `titles`.
    pub name: &'static str,
    /// Router features, row-major, `dim` values per query.
    pub features: Vec<f64>,
    /// Length of the router features.
    pub dim: usize,
    /// Rewards in `[0, 1]`, row-major, `models` values per query.
    pub rewards: Vec<f64>,
    /// Number of models (reward columns).
    pub models: usize,
    /// Model names, one per reward column.
    pub model_names: Vec<String>,
}

impl Table {
    /// Number of queries.
    pub fn rows(&self) -> usize {
        self.rewards.len() / self.models.max(1)
    }
}

/// Loads the typos table (`mrr@10`, 8,442 title queries, about half with
/// typos) from `<data_dir>/typos`.
///
/// # Errors
/// [`Error::MissingData`] when the folder is missing, and load errors.
pub fn load_typos(data_dir: &Path) -> Result<Arc<Table>> {
    let dir = data_dir.join("typos");
    let features = dir.join("router_features_qpp.f16.npy");
    load("typos", &dir, &features, "mrr@10")
}

/// Loads the judged table (`ndcg@10`, 511 queries with relevance
/// judgments) from `<data_dir>/judged`.
///
/// # Errors
/// As [`load_typos`].
pub fn load_judged(data_dir: &Path) -> Result<Arc<Table>> {
    let dir = data_dir.join("judged");
    let features = dir.join("router_features.npy");
    load("judged", &dir, &features, "ndcg@10")
}

/// Feature file names tried in a title-search folder, in order.
pub const TITLES_FEATURE_FILES: [&str; 2] = ["router_features.npy", "router_features.f16.npy"];

/// Loads the title-search table (`mrr@10`) from `dir`, which contains
/// `rewards.tsv` and one of [`TITLES_FEATURE_FILES`].
///
/// # Errors
/// As [`load_typos`].
pub fn load_titles(dir: &Path) -> Result<Arc<Table>> {
    let features = TITLES_FEATURE_FILES
        .iter()
        .map(|name| dir.join(name))
        .find(|path| path.is_file())
        .unwrap_or_else(|| dir.join(TITLES_FEATURE_FILES[0]));
    load("titles", dir, &features, "mrr@10")
}

fn load(name: &'static str, dir: &Path, features_path: &Path, metric: &str) -> Result<Arc<Table>> {
    if !dir.is_dir() {
        return Err(Error::MissingData {
            kind: "data folder",
            path: dir.to_path_buf(),
            fix: "pass the folder that contains the reward table (--data for the bundled tables, --titles for the title-search table)",
        });
    }
    let rewards_path: PathBuf = dir.join("rewards.tsv");
    for path in [features_path, rewards_path.as_path()] {
        if !path.is_file() {
            return Err(Error::MissingData {
                kind: "data file",
                path: path.to_path_buf(),
                fix: "the folder needs rewards.tsv and its router features .npy file",
            });
        }
    }

    let features = hpg_io::load_features(features_path)?;
    let table = hpg_io::load_rewards(&rewards_path, Some(metric))?;
    hpg_io::check_row_counts(
        &features_path.display().to_string(),
        features.rows(),
        &rewards_path.display().to_string(),
        table.rewards.rows(),
    )?;
    tracing::debug!(
        table = name,
        rows = features.rows(),
        dim = features.cols(),
        "table loaded"
    );

    let dim = features.cols();
    let models = table.rewards.cols();
    Ok(Arc::new(Table {
        name,
        features: features.into_data(),
        dim,
        rewards: table.rewards.into_data(),
        models,
        model_names: table.models,
    }))
}
