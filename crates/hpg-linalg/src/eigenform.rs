//! Symmetric matrices kept in eigen form `Q diag(values) Q^T`, with
//! low-rank updates.
//!
//! `Q` is `n x r` with orthonormal columns. Adding `sum_j c_j v_j v_j^T`
//! costs `O(n (r + k)^2 + (r + k)^3)` for `k` vectors: project the vectors
//! on `Q`, extend `Q` by an orthonormal basis of the residuals, solve the
//! small `(r + k') x (r + k')` eigenproblem and rotate the basis.

use faer::{Mat, MatRef};

use crate::check;
use crate::{symmetric_eigen, Error, Result};

/// Residual norm, relative to the vector's norm, below which a direction
/// already lies in the span of the basis.
const SPAN_TOLERANCE: f64 = 1e-12;

/// A symmetric `n x n` matrix stored as `Q diag(values) Q^T`.
#[derive(Debug, Clone, PartialEq)]
pub struct EigenForm {
    basis: Mat<f64>,
    values: Vec<f64>,
}

impl EigenForm {
    /// Creates the zero matrix of dimension `n` (rank 0).
    pub fn zeros(n: usize) -> Self {
        Self {
            basis: Mat::zeros(n, 0),
            values: Vec::new(),
        }
    }

    /// Builds the eigen form from a basis and its eigenvalues.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `values.len() != basis.ncols()` and
    /// [`Error::NonFinite`] for non-finite entries. Orthonormality of the
    /// columns is the caller's contract.
    pub fn from_parts(basis: Mat<f64>, values: Vec<f64>) -> Result<Self> {
        if basis.ncols() != values.len() {
            return Err(Error::DimensionMismatch {
                what: "EigenForm values",
                expected: format!("{} values, one per basis column", basis.ncols()),
                found: format!("{} values", values.len()),
            });
        }
        check::finite("EigenForm basis", basis.as_ref())?;
        let column = MatRef::from_column_major_slice(&values, values.len(), 1);
        check::finite("EigenForm values", column)?;
        Ok(Self { basis, values })
    }

    /// Dimension `n` of the matrix.
    pub fn dim(&self) -> usize {
        self.basis.nrows()
    }

    /// Number of stored eigenpairs `r`.
    pub fn rank(&self) -> usize {
        self.values.len()
    }

    /// Returns the orthonormal basis `Q` (`n x r`).
    pub fn basis(&self) -> MatRef<'_, f64> {
        self.basis.as_ref()
    }

    /// Returns the eigenvalues, one per basis column.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// Returns the eigenvalues for in-place changes that keep the eigenvectors
    /// (for example a projection).
    pub fn values_mut(&mut self) -> &mut [f64] {
        &mut self.values
    }

    /// Computes the coordinates `Q^T z` of a vector of length `n`.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `z.len() != n`.
    pub fn coordinates(&self, z: &[f64]) -> Result<Vec<f64>> {
        self.check_length(z.len())?;
        let coordinates = (0..self.rank())
            .map(|j| dot(self.basis.col_as_slice(j), z))
            .collect();
        Ok(coordinates)
    }

    /// The quadratic form `z^T g(A) z = sum_i g(values_i) (q_i^T z)^2` of the
    /// spectral function `g`, in `O(n r)`.
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] when `z.len() != n`.
    pub fn quadratic_form(&self, z: &[f64], g: impl Fn(f64) -> f64) -> Result<f64> {
        let coordinates = self.coordinates(z)?;
        let form = coordinates
            .iter()
            .zip(&self.values)
            .map(|(p, &value)| g(value) * p * p)
            .sum();
        Ok(form)
    }

    /// Builds the dense matrix `Q diag(values) Q^T`.
    pub fn to_dense(&self) -> Mat<f64> {
        let n = self.dim();
        let scaled = Mat::from_fn(n, self.rank(), |i, j| self.basis[(i, j)] * self.values[j]);
        &scaled * self.basis.transpose()
    }

    /// Removes the eigenpairs for which `keep(value)` is false.
    pub fn retain(&mut self, keep: impl Fn(f64) -> bool) {
        let kept: Vec<usize> = (0..self.rank()).filter(|&j| keep(self.values[j])).collect();
        if kept.len() == self.rank() {
            return;
        }
        self.basis = select_columns(self.basis.as_ref(), &kept);
        self.values = kept.iter().map(|&j| self.values[j]).collect();
    }

    /// Keeps the `max_rank` eigenpairs of largest `|value|` and removes the
    /// rest; ties keep the earlier column.
    pub fn truncate(&mut self, max_rank: usize) {
        if self.rank() <= max_rank {
            return;
        }
        let mut order: Vec<usize> = (0..self.rank()).collect();
        order.sort_by(|&i, &j| {
            self.values[j]
                .abs()
                .total_cmp(&self.values[i].abs())
                .then(i.cmp(&j))
        });
        let mut kept = order[..max_rank].to_vec();
        kept.sort_unstable();
        self.basis = select_columns(self.basis.as_ref(), &kept);
        self.values = kept.iter().map(|&j| self.values[j]).collect();
    }

    /// Adds `sum_j coefficients[j] v_j v_j^T`, where `v_j` is column `j` of
    /// `vectors` (`n x k`).
    ///
    /// # Errors
    /// [`Error::DimensionMismatch`] for a wrong number of rows or
    /// coefficients, [`Error::NonFinite`] for non-finite input, and the
    /// errors of [`symmetric_eigen`] for the small eigenproblem. On error
    /// the matrix is unchanged.
    pub fn add_low_rank(&mut self, coefficients: &[f64], vectors: MatRef<'_, f64>) -> Result<()> {
        self.check_update(coefficients, vectors)?;

        // Two passes of classical Gram-Schmidt: the second removes the
        // components along the basis that rounding left in the first, which
        // dominate a residual much shorter than its vector.
        let mut projections = self.basis.transpose() * vectors;
        let mut residuals = vectors - &self.basis * &projections;
        let correction = self.basis.transpose() * &residuals;
        residuals -= &self.basis * &correction;
        projections += &correction;
        let (extension, residual_coordinates) =
            orthonormalize(residuals.as_ref(), vectors, self.basis.as_ref());

        let small = self.small_matrix(coefficients, projections.as_ref(), &residual_coordinates);
        let eig = symmetric_eigen(small.as_ref())?;

        let r = self.rank();
        let width = r + extension.ncols();
        let mut extended = Mat::<f64>::zeros(self.dim(), width);
        extended.as_mut().get_mut(.., ..r).copy_from(&self.basis);
        extended.as_mut().get_mut(.., r..).copy_from(&extension);
        self.basis = &extended * &eig.vectors;
        self.values = eig.values;
        Ok(())
    }

    /// Adds `coefficient z z^T`.
    ///
    /// # Errors
    /// As [`EigenForm::add_low_rank`].
    pub fn add_rank_one(&mut self, coefficient: f64, z: &[f64]) -> Result<()> {
        let column = MatRef::from_column_major_slice(z, z.len(), 1);
        self.add_low_rank(&[coefficient], column)
    }

    /// Largest entry of `|Q^T Q - I|`, the loss of orthogonality.
    pub fn orthogonality_error(&self) -> f64 {
        let gram = self.basis.transpose() * &self.basis;
        let mut error = 0.0_f64;
        for j in 0..self.rank() {
            for i in 0..self.rank() {
                let identity = if i == j { 1.0 } else { 0.0 };
                error = error.max((gram[(i, j)] - identity).abs());
            }
        }
        error
    }

    /// Restores an orthonormal basis without changing the matrix (up to
    /// rounding), in `O(n r^2 + r^3)`.
    ///
    /// # Errors
    /// As [`symmetric_eigen`] on the small `r x r` problem.
    pub fn reorthonormalize(&mut self) -> Result<()> {
        let zero = Mat::<f64>::zeros(self.dim(), 0);
        let (basis, triangle) = orthonormalize(self.basis.as_ref(), zero.as_ref(), zero.as_ref());
        let r = basis.ncols();
        let middle = Mat::from_fn(r, self.rank(), |i, j| triangle[(i, j)] * self.values[j]);
        let small = &middle * triangle.transpose();
        let eig = symmetric_eigen(small.as_ref())?;
        self.basis = &basis * &eig.vectors;
        self.values = eig.values;
        Ok(())
    }

    fn check_length(&self, length: usize) -> Result<()> {
        if length != self.dim() {
            return Err(Error::DimensionMismatch {
                what: "vector",
                expected: format!("length {}", self.dim()),
                found: format!("length {length}"),
            });
        }
        Ok(())
    }

    fn check_update(&self, coefficients: &[f64], vectors: MatRef<'_, f64>) -> Result<()> {
        self.check_length(vectors.nrows())?;
        if coefficients.len() != vectors.ncols() {
            return Err(Error::DimensionMismatch {
                what: "coefficients",
                expected: format!("{} coefficients, one per vector", vectors.ncols()),
                found: format!("{}", coefficients.len()),
            });
        }
        check::finite("update vectors", vectors)?;
        let column = MatRef::from_column_major_slice(coefficients, coefficients.len(), 1);
        check::finite("update coefficients", column)
    }

    /// Builds the matrix `[diag(values) 0; 0 0] + W C W^T` in the extended basis,
    /// where `W = [P; S]` stacks the coordinates of the update vectors.
    fn small_matrix(
        &self,
        coefficients: &[f64],
        projections: MatRef<'_, f64>,
        residual: &Mat<f64>,
    ) -> Mat<f64> {
        let r = self.rank();
        let width = r + residual.nrows();
        let stacked = Mat::from_fn(width, coefficients.len(), |i, j| {
            if i < r {
                projections[(i, j)]
            } else {
                residual[(i - r, j)]
            }
        });
        let weighted = Mat::from_fn(width, coefficients.len(), |i, j| {
            stacked[(i, j)] * coefficients[j]
        });
        let mut small = &weighted * stacked.transpose();
        for (j, &value) in self.values.iter().enumerate() {
            small[(j, j)] += value;
        }
        small
    }
}

/// Orthonormalizes the columns of `residuals` by modified Gram-Schmidt
/// (twice, for stability), dropping columns that are numerically in the
/// span of the earlier ones or of the orthonormal columns of `fixed`.
///
/// Each pass also projects out the columns of `fixed`, because a column
/// that shrinks by cancellation keeps rounding errors of the size of the
/// original in every direction, including those of `fixed`.
///
/// Returns the basis `E` (`n x k'`) and the coordinates `S = E^T residuals`
/// (`k' x k`). `reference` scales the drop tolerance per column when it has
/// the same number of columns; otherwise the residual's own norm is used.
fn orthonormalize(
    residuals: MatRef<'_, f64>,
    reference: MatRef<'_, f64>,
    fixed: MatRef<'_, f64>,
) -> (Mat<f64>, Mat<f64>) {
    let n = residuals.nrows();
    let mut basis: Vec<Vec<f64>> = Vec::new();
    for j in 0..residuals.ncols() {
        let mut column = residuals.col(j).to_owned();
        let scale = if reference.ncols() == residuals.ncols() {
            reference.col(j).norm_l2()
        } else {
            column.norm_l2()
        };

        for _ in 0..2 {
            if fixed.ncols() > 0 {
                let projection = fixed.transpose() * &column;
                column -= fixed * &projection;
            }
            for q in &basis {
                let projection: f64 = (0..n).map(|i| q[i] * column[i]).sum();
                (0..n).for_each(|i| column[i] -= projection * q[i]);
            }
        }

        let length = column.norm_l2();
        if length > SPAN_TOLERANCE * scale && length > 0.0 {
            basis.push((0..n).map(|i| column[i] / length).collect());
        }
    }

    let extension = Mat::from_fn(n, basis.len(), |i, j| basis[j][i]);
    let coordinates = extension.transpose() * residuals;
    (extension, coordinates)
}

/// Copies the columns `kept` of `basis`, in that order.
fn select_columns(basis: MatRef<'_, f64>, kept: &[usize]) -> Mat<f64> {
    let mut selected = Mat::<f64>::zeros(basis.nrows(), kept.len());
    for (j, &column) in kept.iter().enumerate() {
        selected.as_mut().col_mut(j).copy_from(basis.col(column));
    }
    selected
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}
