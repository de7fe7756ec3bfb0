//! Thin singular value decomposition on faer, with input checks and scaling.

use faer::diag::Diag;
use faer::dyn_stack::{MemBuffer, MemStack};
use faer::linalg::svd::{self, ComputeSvdVectors, SvdError};
use faer::{Mat, MatRef, Par};

use crate::check;
use crate::{Error, Result};

/// Thin decomposition `A = U diag(singular_values) V^T`.
///
/// `singular_values` are non-negative and sorted in descending order; `u`
/// is `m x k` and `v` is `n x k` with `k = min(m, n)`.
#[derive(Debug, Clone)]
pub struct Svd {
    /// Left singular vectors, one per column.
    pub u: Mat<f64>,
    /// Singular values, descending.
    pub singular_values: Vec<f64>,
    /// Right singular vectors, one per column.
    pub v: Mat<f64>,
}

impl Svd {
    /// Rebuilds `U diag(s) V^T`.
    pub fn reconstruct(&self) -> Mat<f64> {
        let scaled = Mat::from_fn(self.u.nrows(), self.singular_values.len(), |i, j| {
            self.u[(i, j)] * self.singular_values[j]
        });
        &scaled * self.v.transpose()
    }
}

/// Computes the thin SVD of `a` on one thread.
///
/// # Errors
/// [`Error::NonFinite`] for NaN or infinite entries (checked before faer is
/// called), [`Error::NoConvergence`] when faer's solver fails, and
/// [`Error::Overflow`] when a singular value exceeds `f64::MAX`.
///
/// # Examples
/// ```
/// use faer::mat;
/// let a = mat![[3.0, 0.0], [0.0, -2.0], [0.0, 0.0]];
/// let svd = hpg_linalg::svd(a.as_ref()).unwrap();
/// assert!((svd.singular_values[0] - 3.0).abs() < 1e-12);
/// assert!((svd.singular_values[1] - 2.0).abs() < 1e-12);
/// ```
pub fn svd(a: MatRef<'_, f64>) -> Result<Svd> {
    check::finite("svd input", a)?;

    let (m, n) = a.shape();
    let k = m.min(n);
    let scale = check::max_abs(a);
    if k == 0 || scale == 0.0 {
        return Ok(Svd {
            u: Mat::identity(m, k),
            singular_values: vec![0.0; k],
            v: Mat::identity(n, k),
        });
    }

    let scaled = Mat::from_fn(m, n, |i, j| a[(i, j)] / scale);
    let mut svd = decompose(scaled.as_ref())?;
    for value in &mut svd.singular_values {
        *value *= scale;
    }
    if svd.singular_values.iter().any(|v| !v.is_finite()) {
        return Err(Error::Overflow { what: "svd" });
    }
    Ok(svd)
}

/// Calls faer on a scaled, finite matrix.
fn decompose(a: MatRef<'_, f64>) -> Result<Svd> {
    let (m, n) = a.shape();
    let k = m.min(n);
    let par = Par::Seq;
    let params = Default::default();
    let mut s = Diag::<f64>::zeros(k);
    let mut u = Mat::<f64>::zeros(m, k);
    let mut v = Mat::<f64>::zeros(n, k);
    let thin = ComputeSvdVectors::Thin;
    let scratch = svd::svd_scratch::<f64>(m, n, thin, thin, par, params);
    let mut buffer = MemBuffer::new(scratch);
    let stack = MemStack::new(&mut buffer);

    svd::svd(
        a,
        s.as_mut(),
        Some(u.as_mut()),
        Some(v.as_mut()),
        par,
        stack,
        params,
    )
    .map_err(|error| match error {
        SvdError::NoConvergence => Error::NoConvergence {
            what: "singular value decomposition",
        },
    })?;

    let singular_values = (0..k).map(|i| s[i]).collect();
    Ok(Svd {
        u,
        singular_values,
        v,
    })
}
