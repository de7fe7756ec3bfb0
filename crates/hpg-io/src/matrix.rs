//! A dense row-major matrix of `f64` values.

use crate::error::{Error, Result};

/// Dense matrix stored in row-major order.
///
/// The constructor guarantees `data.len() == rows * cols`, so the accessors
/// never read out of bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    /// Creates a `rows x cols` matrix from values in row-major order.
    ///
    /// # Errors
    /// [`Error::ShapeMismatch`] when `data.len()` is not `rows * cols`.
    ///
    /// # Examples
    /// ```
    /// let m = hpg_io::Matrix::new(2, 3, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap();
    /// assert_eq!(m.get(1, 0), Some(4.0));
    /// assert!(hpg_io::Matrix::new(2, 2, vec![1.0]).is_err());
    /// ```
    pub fn new(rows: usize, cols: usize, data: Vec<f64>) -> Result<Self> {
        let len = data.len();
        if rows.checked_mul(cols) != Some(len) {
            return Err(Error::ShapeMismatch { rows, cols, len });
        }
        Ok(Self { rows, cols, data })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// Returns all values in row-major order.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// Consumes the matrix and returns its values in row-major order.
    pub fn into_data(self) -> Vec<f64> {
        self.data
    }

    /// Returns row `i`, or `None` when `i >= rows`.
    pub fn row(&self, i: usize) -> Option<&[f64]> {
        let start = i.checked_mul(self.cols)?;
        let end = start.checked_add(self.cols)?;
        if i >= self.rows {
            return None;
        }
        self.data.get(start..end)
    }

    /// Returns the value at row `i`, column `j`, or `None` when out of range.
    pub fn get(&self, i: usize, j: usize) -> Option<f64> {
        if j >= self.cols {
            return None;
        }
        self.row(i)?.get(j).copied()
    }

    /// Iterates over the rows in order.
    ///
    /// A matrix with zero columns yields `rows` empty slices.
    pub fn iter_rows(&self) -> impl Iterator<Item = &[f64]> + '_ {
        (0..self.rows).filter_map(move |i| self.row(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Matrix {
        Matrix::new(2, 3, vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]).unwrap()
    }

    #[test]
    fn new_rejects_wrong_length() {
        let error = Matrix::new(2, 3, vec![0.0; 5]).unwrap_err();
        assert!(matches!(
            error,
            Error::ShapeMismatch {
                rows: 2,
                cols: 3,
                len: 5
            }
        ));
        assert!(error.to_string().contains("needs 6 values"));
    }

    #[test]
    fn new_rejects_overflowing_shape() {
        let error = Matrix::new(usize::MAX, 2, Vec::new()).unwrap_err();
        assert!(matches!(error, Error::ShapeMismatch { .. }));
    }

    #[test]
    fn row_and_get_index_row_major() {
        let m = sample();
        assert_eq!(m.row(0), Some(&[1.0, 2.0, 3.0][..]));
        assert_eq!(m.row(1), Some(&[4.0, 5.0, 6.0][..]));
        assert_eq!(m.row(2), None);
        assert_eq!(m.get(0, 2), Some(3.0));
        assert_eq!(m.get(1, 1), Some(5.0));
        assert_eq!(m.get(0, 3), None);
        assert_eq!(m.get(2, 0), None);
    }

    #[test]
    fn zero_column_matrix_has_empty_rows() {
        let m = Matrix::new(3, 0, Vec::new()).unwrap();
        assert_eq!(m.row(2), Some(&[][..]));
        assert_eq!(m.row(3), None);
        assert_eq!(m.iter_rows().count(), 3);
    }

    #[test]
    fn iter_rows_and_into_data() {
        let m = sample();
        let sums: Vec<f64> = m.iter_rows().map(|r| r.iter().sum()).collect();
        assert_eq!(sums, vec![6.0, 15.0]);
        assert_eq!(m.rows(), 2);
        assert_eq!(m.cols(), 3);
        assert_eq!(m.data().len(), 6);
        assert_eq!(m.into_data(), vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    }
}
