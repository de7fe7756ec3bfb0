//! Symmetric eigendecomposition on faer, with input checks and scaling.

use faer::diag::Diag;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::evd::{self, ComputeEigenvectors, EvdError};
use faer::{Mat, MatRef, Par};

use crate::check;
use crate::{Error, Result};

/// Eigendecomposition `A = V diag(values) V^T` of a symmetric matrix.
///
/// `values` are sorted in ascending order and column `i` of `vectors` is a
/// unit eigenvector for `values[i]`.
#[derive(Debug, Clone)]
pub struct SymmetricEigen {
    /// Eigenvalues, ascending.
    pub values: Vec<f64>,
    /// Orthonormal eigenvectors, one per column.
    pub vectors: Mat<f64>,
}

impl SymmetricEigen {
    /// Rebuilds `V diag(values) V^T`.
    pub fn reconstruct(&self) -> Mat<f64> {
        let n = self.vectors.nrows();
        let scaled = Mat::from_fn(n, self.values.len(), |i, j| {
            self.vectors[(i, j)] * self.values[j]
        });
        &scaled * self.vectors.transpose()
    }
}

/// Decomposes the symmetric matrix `a`, reading only its lower triangle.
///
/// The input is scaled by its largest entry before it is passed to faer, so
/// entries near `f64::MAX` decompose without overflow inside the solver.
/// The computation runs on one thread, so the result is the same on every
/// run.
///
/// # Errors
/// [`Error::DimensionMismatch`] for a non-square matrix,
/// [`Error::NonFinite`] for NaN or infinite entries (checked before faer is
/// called), [`Error::NoConvergence`] when faer's solver fails, and
/// [`Error::Overflow`] when an eigenvalue exceeds `f64::MAX`.
///
/// # Examples
/// ```
/// use faer::mat;
/// let a = mat![[2.0, 1.0], [1.0, 2.0]];
/// let eig = hpg_linalg::symmetric_eigen(a.as_ref()).unwrap();
/// assert!((eig.values[0] - 1.0).abs() < 1e-12);
/// assert!((eig.values[1] - 3.0).abs() < 1e-12);
/// ```
pub fn symmetric_eigen(a: MatRef<'_, f64>) -> Result<SymmetricEigen> {
    check::square("symmetric_eigen input", a)?;
    check::finite("symmetric_eigen input", a)?;

    let n = a.nrows();
    let scale = check::max_abs(a);
    if n == 0 || scale == 0.0 {
        return Ok(SymmetricEigen {
            values: vec![0.0; n],
            vectors: Mat::identity(n, n),
        });
    }

    let scaled = Mat::from_fn(n, n, |i, j| a[(i, j)] / scale);
    let (values, vectors) = decompose(scaled.as_ref())?;
    let values: Vec<f64> = values.iter().map(|v| v * scale).collect();
    if values.iter().any(|v| !v.is_finite()) {
        return Err(Error::Overflow {
            what: "symmetric_eigen",
        });
    }

    let eig = SymmetricEigen { values, vectors };
    debug_assert!(residual_ok(a, &eig, scale));
    Ok(eig)
}

/// Calls faer on a scaled, finite, square matrix and sorts the result.
fn decompose(a: MatRef<'_, f64>) -> Result<(Vec<f64>, Mat<f64>)> {
    let n = a.nrows();
    let par = Par::Seq;
    let params = Default::default();
    let mut s = Diag::<f64>::zeros(n);
    let mut u = Mat::<f64>::zeros(n, n);
    let scratch = evd::self_adjoint_evd_scratch::<f64>(n, ComputeEigenvectors::Yes, par, params);
    let mut buffer = MemBuffer::new(scratch);
    let stack = MemStack::new(&mut buffer);

    evd::self_adjoint_evd(a, s.as_mut(), Some(u.as_mut()), par, stack, params).map_err(
        |error| match error {
            EvdError::NoConvergence => Error::NoConvergence {
                what: "symmetric eigendecomposition",
            },
        },
    )?;

    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| s[i].total_cmp(&s[j]));
    let values = order.iter().map(|&i| s[i]).collect();
    let vectors = Mat::from_fn(n, n, |row, column| u[(row, order[column])]);
    Ok((values, vectors))
}

/// Debug check: reconstruction residual and orthogonality, relative to `scale`.
///
/// The reconstruction runs on the eigenvalues divided by `scale`, because
/// rebuilding eigenvalues near `f64::MAX` can overflow.
fn residual_ok(a: MatRef<'_, f64>, eig: &SymmetricEigen, scale: f64) -> bool {
    let n = a.nrows();
    let tolerance = 1e-10 * (n.max(1) as f64);
    let unit = SymmetricEigen {
        values: eig.values.iter().map(|v| v / scale).collect(),
        vectors: eig.vectors.clone(),
    };
    let rebuilt = unit.reconstruct();
    let gram = eig.vectors.transpose() * &eig.vectors;
    for i in 0..n {
        for j in 0..=i {
            let symmetric = if i >= j { a[(i, j)] } else { a[(j, i)] };
            if (rebuilt[(i, j)] - symmetric / scale).abs() > tolerance {
                return false;
            }
            let identity = if i == j { 1.0 } else { 0.0 };
            if (gram[(i, j)] - identity).abs() > tolerance {
                return false;
            }
        }
    }
    true
}
