//! Loading of features and rewards with validation, by file extension.

use std::path::Path;

use crate::error::{Error, Result};
use crate::matrix::Matrix;
use crate::npy::read_npy;
use crate::table::{lowercase_extension, read_reward_table, RewardTable};
use crate::validate::{check_features, check_rewards};

/// Metric name given to the rewards of a .npy file.
pub const NPY_REWARD_METRIC: &str = "reward";

/// Loads and validates a reward table from a `.tsv`, `.csv` or `.npy` file.
///
/// A `.tsv` or `.csv` file is read by [`read_reward_table`] with `metric`.
/// A `.npy` file contains a queries x models matrix. Its models are named
/// `model0`, `model1`, ... and its metric is [`NPY_REWARD_METRIC`], so
/// `metric` must be `None` for it. All rewards must be finite and lie in
/// [0, 1].
///
/// # Errors
/// [`Error::UnsupportedExtension`] for other extensions,
/// [`Error::MetricWithNpy`] when a metric is passed with a `.npy` file, the
/// errors of [`read_reward_table`] and [`read_npy`](crate::read_npy), and
/// those of [`check_rewards`].
///
/// # Examples
/// ```
/// use hpg_io::{load_rewards, write_npy, Matrix, NpyDtype};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("rewards.npy");
/// let m = Matrix::new(2, 2, vec![0.0, 1.0, 0.5, 0.25]).unwrap();
/// write_npy(&path, &m, NpyDtype::F64).unwrap();
///
/// let table = load_rewards(&path, None).unwrap();
/// assert_eq!(table.models, ["model0", "model1"]);
/// assert_eq!(table.metric, "reward");
/// assert_eq!(table.rewards, m);
/// assert!(load_rewards(&path, Some("ndcg@10")).is_err());
/// ```
pub fn load_rewards(path: &Path, metric: Option<&str>) -> Result<RewardTable> {
    let file = path.display().to_string();
    let table = match lowercase_extension(path).as_str() {
        "tsv" | "csv" => read_reward_table(path, metric)?,
        "npy" => read_npy_rewards(path, &file, metric)?,
        other => {
            return Err(Error::UnsupportedExtension {
                file,
                extension: other.to_string(),
                supported: ".tsv, .csv and .npy reward files",
            })
        }
    };

    check_rewards(&table.rewards, &file)?;
    Ok(table)
}

fn read_npy_rewards(path: &Path, file: &str, metric: Option<&str>) -> Result<RewardTable> {
    if let Some(metric) = metric {
        return Err(Error::MetricWithNpy {
            file: file.to_string(),
            metric: metric.to_string(),
        });
    }

    let rewards = read_npy(path)?;
    let models = (0..rewards.cols()).map(|j| format!("model{j}")).collect();
    Ok(RewardTable {
        models,
        metric: NPY_REWARD_METRIC.to_string(),
        rewards,
    })
}

/// Loads a feature matrix from a `.npy` file and checks that it is
/// non-empty and finite.
///
/// # Errors
/// The errors of [`read_npy`](crate::read_npy) and [`check_features`].
///
/// # Examples
/// ```
/// use hpg_io::{load_features, write_npy, Error, Matrix, NpyDtype};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("x.npy");
/// let m = Matrix::new(1, 2, vec![0.5, f64::INFINITY]).unwrap();
/// write_npy(&path, &m, NpyDtype::F32).unwrap();
/// assert!(matches!(load_features(&path), Err(Error::NonFinite { column: 1, .. })));
/// ```
pub fn load_features(path: &Path) -> Result<Matrix> {
    let features = read_npy(path)?;
    check_features(&features, &path.display().to_string())?;
    Ok(features)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::npy::{write_npy, NpyDtype};

    fn write_matrix(
        dir: &Path,
        name: &str,
        rows: usize,
        cols: usize,
        data: &[f64],
    ) -> std::path::PathBuf {
        let path = dir.join(name);
        let m = Matrix::new(rows, cols, data.to_vec()).unwrap();
        write_npy(&path, &m, NpyDtype::F64).unwrap();
        path
    }

    #[test]
    fn npy_rewards_get_model_names() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_matrix(dir.path(), "r.npy", 2, 3, &[0.0, 0.5, 1.0, 1.0, 0.5, 0.0]);
        let table = load_rewards(&path, None).unwrap();
        assert_eq!(table.models, ["model0", "model1", "model2"]);
        assert_eq!(table.metric, NPY_REWARD_METRIC);
        assert_eq!(table.rewards.get(1, 0), Some(1.0));
    }

    #[test]
    fn npy_rewards_reject_a_metric() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_matrix(dir.path(), "r.npy", 1, 1, &[0.5]);
        let error = load_rewards(&path, Some("ndcg@10")).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::MetricWithNpy { .. }));
        assert!(message.contains("one reward column per model"), "{message}");
        assert!(message.contains("omit the metric"), "{message}");
    }

    #[test]
    fn npy_rewards_are_range_checked() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_matrix(dir.path(), "r.npy", 2, 1, &[0.5, 2.0]);
        let error = load_rewards(&path, None).unwrap_err();
        assert!(matches!(
            error,
            Error::RewardOutOfRange {
                row: 1,
                column: 0,
                ..
            }
        ));
        assert!(error.to_string().contains("r.npy"));
    }

    #[test]
    fn npy_rewards_must_not_be_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = write_matrix(dir.path(), "r.npy", 0, 2, &[]);
        let error = load_rewards(&path, None).unwrap_err();
        assert!(matches!(error, Error::EmptyMatrix { .. }));
    }

    #[test]
    fn table_rewards_dispatch_by_extension() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.csv");
        std::fs::write(&path, "id,a.ndcg@10,a.hit@1\n1,0.25,1\n").unwrap();
        let table = load_rewards(&path, Some("ndcg@10")).unwrap();
        assert_eq!(table.models, ["a"]);
        assert_eq!(table.rewards.get(0, 0), Some(0.25));
    }

    #[test]
    fn unknown_extension_lists_supported_ones() {
        let error = load_rewards(Path::new("rewards.parquet"), None).unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, Error::UnsupportedExtension { ref extension, .. } if extension == "parquet")
        );
        assert!(message.contains(".npy"), "{message}");
    }

    #[test]
    fn features_are_checked_after_reading() {
        let dir = tempfile::tempdir().unwrap();
        let good = write_matrix(dir.path(), "x.npy", 2, 2, &[1.0, -2.0, 3.0, 1e9]);
        assert_eq!(load_features(&good).unwrap().rows(), 2);

        let bad = write_matrix(dir.path(), "nan.npy", 1, 2, &[1.0, f64::NAN]);
        let error = load_features(&bad).unwrap_err();
        assert!(matches!(
            error,
            Error::NonFinite {
                row: 0,
                column: 1,
                ..
            }
        ));
        assert!(error.to_string().contains("nan.npy"));

        let empty = write_matrix(dir.path(), "empty.npy", 0, 4, &[]);
        assert!(matches!(
            load_features(&empty),
            Err(Error::EmptyMatrix { .. })
        ));
    }
}
