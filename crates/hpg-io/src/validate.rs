//! Checks of loaded features and rewards before they reach a router.

use crate::error::{Error, Result};
use crate::matrix::Matrix;

/// Checks that a feature matrix is non-empty and every value is finite.
///
/// `source` names the file in error messages.
///
/// # Errors
/// [`Error::EmptyMatrix`] when the matrix has zero rows or zero columns, and
/// [`Error::NonFinite`] for the first NaN or infinite value in row-major
/// order.
///
/// # Examples
/// ```
/// use hpg_io::{check_features, Error, Matrix};
///
/// let good = Matrix::new(1, 2, vec![0.5, -3.0]).unwrap();
/// assert!(check_features(&good, "x.npy").is_ok());
/// let bad = Matrix::new(1, 2, vec![0.5, f64::NAN]).unwrap();
/// assert!(matches!(
///     check_features(&bad, "x.npy"),
///     Err(Error::NonFinite { row: 0, column: 1, .. })
/// ));
/// ```
pub fn check_features(m: &Matrix, source: &str) -> Result<()> {
    check_not_empty(m, source)?;

    match first_cell(m, |value| !value.is_finite()) {
        Some((row, column, value)) => Err(Error::NonFinite {
            file: source.to_string(),
            row,
            column,
            value,
        }),
        None => Ok(()),
    }
}

/// Checks that a reward matrix is non-empty and every value is finite and
/// lies in [0, 1].
///
/// # Errors
/// [`Error::EmptyMatrix`] when the matrix has zero rows or zero columns, and
/// [`Error::RewardOutOfRange`] for the first value that is NaN, infinite or
/// outside [0, 1], in row-major order.
///
/// # Examples
/// ```
/// use hpg_io::{check_rewards, Matrix};
///
/// let rewards = Matrix::new(2, 1, vec![0.0, 1.0]).unwrap();
/// assert!(check_rewards(&rewards, "r.npy").is_ok());
/// let rewards = Matrix::new(2, 1, vec![0.0, 1.5]).unwrap();
/// assert!(check_rewards(&rewards, "r.npy").is_err());
/// ```
pub fn check_rewards(m: &Matrix, source: &str) -> Result<()> {
    check_not_empty(m, source)?;

    match first_cell(m, |value| !(0.0..=1.0).contains(&value)) {
        Some((row, column, value)) => Err(Error::RewardOutOfRange {
            file: source.to_string(),
            row,
            column,
            value,
        }),
        None => Ok(()),
    }
}

/// Checks that the features and rewards have one row per query each.
///
/// # Errors
/// [`Error::RowCountMismatch`] naming both files and counts.
///
/// # Examples
/// ```
/// assert!(hpg_io::check_row_counts("x.npy", 3, "r.tsv", 3).is_ok());
/// assert!(hpg_io::check_row_counts("x.npy", 3, "r.tsv", 4).is_err());
/// ```
pub fn check_row_counts(
    features_source: &str,
    features_rows: usize,
    rewards_source: &str,
    rewards_rows: usize,
) -> Result<()> {
    if features_rows == rewards_rows {
        return Ok(());
    }
    Err(Error::RowCountMismatch {
        features_file: features_source.to_string(),
        features_rows,
        rewards_file: rewards_source.to_string(),
        rewards_rows,
    })
}

fn check_not_empty(m: &Matrix, source: &str) -> Result<()> {
    if m.rows() > 0 && m.cols() > 0 {
        return Ok(());
    }
    Err(Error::EmptyMatrix {
        file: source.to_string(),
        rows: m.rows(),
        cols: m.cols(),
    })
}

/// Returns the row, column and value of the first cell that matches.
fn first_cell(m: &Matrix, matches: impl Fn(f64) -> bool) -> Option<(usize, usize, f64)> {
    m.iter_rows().enumerate().find_map(|(row, values)| {
        let (column, value) = values.iter().enumerate().find(|(_, &v)| matches(v))?;
        Some((row, column, *value))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: usize, cols: usize, data: &[f64]) -> Matrix {
        Matrix::new(rows, cols, data.to_vec()).unwrap()
    }

    #[test]
    fn features_reject_first_non_finite_value() {
        let m = matrix(2, 3, &[0.0, 1e300, -5.0, 1.0, f64::NEG_INFINITY, f64::NAN]);
        let error = check_features(&m, "x.npy").unwrap_err();
        let message = error.to_string();
        assert!(matches!(
            error,
            Error::NonFinite {
                row: 1,
                column: 1,
                ..
            }
        ));
        assert!(message.contains("x.npy row 1, column 1"), "{message}");
        assert!(message.contains("-inf is not finite"), "{message}");
    }

    #[test]
    fn features_accept_any_finite_values() {
        let m = matrix(1, 3, &[-1e308, 0.0, 1e308]);
        assert!(check_features(&m, "x.npy").is_ok());
    }

    #[test]
    fn empty_matrices_are_rejected() {
        for (rows, cols) in [(0, 3), (3, 0), (0, 0)] {
            let m = Matrix::new(rows, cols, Vec::new()).unwrap();
            for error in [
                check_features(&m, "e.npy").unwrap_err(),
                check_rewards(&m, "e.npy").unwrap_err(),
            ] {
                let message = error.to_string();
                assert!(matches!(error, Error::EmptyMatrix { .. }));
                assert!(message.contains(&format!("{rows} x {cols}")), "{message}");
            }
        }
    }

    #[test]
    fn rewards_reject_out_of_range_and_nan() {
        for bad in [1.0 + 1e-12, -1e-12, f64::NAN, f64::INFINITY] {
            let m = matrix(2, 2, &[0.0, 1.0, 0.5, bad]);
            let error = check_rewards(&m, "r.npy").unwrap_err();
            let message = error.to_string();
            assert!(
                matches!(
                    error,
                    Error::RewardOutOfRange {
                        row: 1,
                        column: 1,
                        ..
                    }
                ),
                "{bad}"
            );
            assert!(message.contains("r.npy row 1, column 1"), "{message}");
            assert!(message.contains("rescale the metric"), "{message}");
        }
    }

    #[test]
    fn rewards_accept_bounds() {
        let m = matrix(1, 3, &[0.0, 0.5, 1.0]);
        assert!(check_rewards(&m, "r.npy").is_ok());
    }

    #[test]
    fn row_count_mismatch_names_both_files() {
        let error = check_row_counts("x.npy", 10, "r.tsv", 9).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::RowCountMismatch { .. }));
        assert!(message.contains("x.npy has 10 rows"), "{message}");
        assert!(message.contains("r.tsv has 9 rows"), "{message}");
    }
}
