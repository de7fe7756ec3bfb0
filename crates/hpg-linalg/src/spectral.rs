//! Spectral maps on dense symmetric matrices: `grad Phi`, `grad Phi*`,
//! `Phi` and the Bregman divergence, by applying a [`MirrorMap`] to the
//! eigenvalues.
//!
//! These dense versions are the definitions that the eigen-form code is
//! tested against; they cost a full eigendecomposition each.

use faer::{Mat, MatRef};

use crate::{symmetric_eigen, Error, MirrorMap, Result, SymmetricEigen};

/// Applies `map` to every eigenvalue of the symmetric `a`, keeping the
/// eigenvectors.
fn apply(a: MatRef<'_, f64>, map: impl Fn(f64) -> f64) -> Result<Mat<f64>> {
    let eig = symmetric_eigen(a)?;
    let values = eig.values.iter().map(|&v| map(v)).collect();
    Ok(SymmetricEigen {
        values,
        vectors: eig.vectors,
    }
    .reconstruct())
}

/// Computes the spectral gradient `grad Phi(Theta)`: primal matrix to dual matrix.
///
/// # Errors
/// As [`symmetric_eigen`].
pub fn spectral_grad<M: MirrorMap>(map: &M, primal: MatRef<'_, f64>) -> Result<Mat<f64>> {
    apply(primal, |l| map.grad(l))
}

/// Computes the spectral inverse gradient `grad Phi*(Y)`: dual matrix to primal
/// matrix.
///
/// # Errors
/// As [`symmetric_eigen`].
///
/// # Examples
/// ```
/// use faer::mat;
/// use hpg_linalg::{spectral_grad, spectral_grad_inverse, Hypentropy};
/// let map = Hypentropy::new(1.0).unwrap();
/// let theta = mat![[1.0, 0.5], [0.5, -2.0]];
/// let dual = spectral_grad(&map, theta.as_ref()).unwrap();
/// let back = spectral_grad_inverse(&map, dual.as_ref()).unwrap();
/// assert!((back[(0, 1)] - 0.5).abs() < 1e-12);
/// ```
pub fn spectral_grad_inverse<M: MirrorMap>(map: &M, dual: MatRef<'_, f64>) -> Result<Mat<f64>> {
    apply(dual, |u| map.grad_inverse(u))
}

/// Computes the potential `Phi(Theta) = sum_i f(lambda_i)`.
///
/// # Errors
/// As [`symmetric_eigen`].
pub fn spectral_potential<M: MirrorMap>(map: &M, primal: MatRef<'_, f64>) -> Result<f64> {
    let eig = symmetric_eigen(primal)?;
    Ok(eig.values.iter().map(|&l| map.potential(l)).sum())
}

/// Computes the Bregman divergence `Phi(P) - Phi(Q) - <grad Phi(Q), P - Q>`, with the
/// trace inner product.
///
/// # Errors
/// As [`symmetric_eigen`]; P and Q must have the same shape.
pub fn bregman_divergence<M: MirrorMap>(
    map: &M,
    p: MatRef<'_, f64>,
    q: MatRef<'_, f64>,
) -> Result<f64> {
    if p.shape() != q.shape() {
        return Err(Error::DimensionMismatch {
            what: "bregman_divergence arguments",
            expected: format!("{} x {}", p.nrows(), p.ncols()),
            found: format!("{} x {}", q.nrows(), q.ncols()),
        });
    }

    let gradient = spectral_grad(map, q)?;
    let difference = p - q;
    let mut inner = 0.0;
    for j in 0..p.ncols() {
        for i in 0..p.nrows() {
            inner += gradient[(i, j)] * difference[(i, j)];
        }
    }
    Ok(spectral_potential(map, p)? - spectral_potential(map, q)? - inner)
}
