//! Online ridge regression with a Sherman-Morrison inverse.

use crate::error::invalid;
use crate::{Error, Result};

/// Default ridge penalty `lambda`.
///
/// The features have norm at most 1, so `lambda = 1` makes the prior at
/// least as strong as one observation along any direction. It damps the
/// first estimates and is outweighed after a few rewards.
pub const DEFAULT_LAMBDA: f64 = 1.0;

/// Online ridge regression of a reward on a feature vector `z` of length
/// `d`.
///
/// It represents `A = lambda I + sum z z^T` by its inverse and keeps
/// `b = sum r z` and the weights `theta = A^{-1} b`. Each
/// [`update`](Ridge::update) changes `A^{-1}` by the Sherman-Morrison
/// formula in `O(d^2)` time, [`predict`](Ridge::predict) takes `O(d)` and
/// [`width`](Ridge::width) `O(d^2)`. Storage is `d (d + 1) / 2 + 3d`
/// numbers, because only the upper triangle of the symmetric `A^{-1}` is
/// kept.
///
/// # Examples
/// ```
/// use hpg_core::baselines::Ridge;
///
/// let mut ridge = Ridge::new(2, 1.0)?;
/// let before = ridge.width(&[1.0, 0.0])?;
/// for _ in 0..100 {
///     ridge.update(&[1.0, 0.0], 0.8)?;
/// }
/// assert!((ridge.predict(&[1.0, 0.0])? - 0.8).abs() < 0.01);
/// assert!(ridge.width(&[1.0, 0.0])? < before);
/// # Ok::<(), hpg_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Ridge {
    gram: InverseGram,
    rhs: Vec<f64>,
    weights: Vec<f64>,
}

impl Ridge {
    /// Creates the regression for features of length `dim` with penalty
    /// `lambda`, before any data: `A = lambda I` and `b = 0`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `dim` is 0, when `lambda` is not a
    /// finite number above 0, or when the `dim x dim` inverse cannot be
    /// allocated.
    pub fn new(dim: usize, lambda: f64) -> Result<Self> {
        Ok(Self {
            gram: InverseGram::new(dim, lambda)?,
            rhs: vec![0.0; dim],
            weights: vec![0.0; dim],
        })
    }

    /// Length `d` of the feature vectors.
    pub fn dim(&self) -> usize {
        self.gram.dim
    }

    /// Number of updates so far.
    pub fn count(&self) -> u64 {
        self.gram.count
    }

    /// Returns the weights `theta = A^{-1} b`.
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Returns `b = sum r z`.
    pub fn rhs(&self) -> &[f64] {
        &self.rhs
    }

    /// Returns `A^{-1}` as a new row-major `d x d` matrix. It is
    /// symmetric, because only its upper triangle is stored.
    pub fn inverse(&self) -> Vec<f64> {
        self.gram.to_dense()
    }

    /// Returns the predicted reward `theta^T z`.
    ///
    /// # Errors
    /// A feature error for a wrong length or a non-finite entry of `z`.
    pub fn predict(&self, z: &[f64]) -> Result<f64> {
        hpg_policy::check_features(z, self.dim())?;
        Ok(dot(&self.weights, z))
    }

    /// Returns the confidence width `sqrt(z^T A^{-1} z)`, which shrinks as
    /// data along `z` accumulates.
    ///
    /// # Errors
    /// A feature error for a wrong length or a non-finite entry of `z`.
    pub fn width(&self, z: &[f64]) -> Result<f64> {
        hpg_policy::check_features(z, self.dim())?;
        Ok(self.gram.width(z))
    }

    /// Adds the observation `(z, reward)`: `A += z z^T`, `b += reward z`,
    /// and updates `A^{-1}` and `theta` to match.
    ///
    /// # Errors
    /// A feature error for a wrong length or a non-finite entry of `z`, and
    /// [`Error::InvalidParameter`] for a non-finite `reward`. The
    /// regression is unchanged on error.
    pub fn update(&mut self, z: &[f64], reward: f64) -> Result<()> {
        hpg_policy::check_features(z, self.dim())?;
        if !reward.is_finite() {
            return Err(invalid(
                "reward",
                reward.to_string(),
                "a finite reward to regress on",
            ));
        }

        self.update_unchecked(z, reward);
        Ok(())
    }

    /// Adds `(z, reward)` without checking `z`, which the caller has checked
    /// or built from checked features.
    pub(crate) fn update_unchecked(&mut self, z: &[f64], reward: f64) {
        // The residual uses the weights before the update, as in recursive
        // least squares: theta' = theta + A'^{-1} z (r - theta^T z).
        let residual = reward - dot(&self.weights, z);
        let gain = self.gram.update(z);
        axpy(residual, gain, &mut self.weights);
        axpy(reward, z, &mut self.rhs);
    }

    /// Returns `theta^T z` without checking `z`.
    pub(crate) fn predict_unchecked(&self, z: &[f64]) -> f64 {
        dot(&self.weights, z)
    }

    /// Returns `sqrt(z^T A^{-1} z)` without checking `z`.
    pub(crate) fn width_unchecked(&self, z: &[f64]) -> f64 {
        self.gram.width(z)
    }
}

/// The inverse `A^{-1}` of `A = lambda I + sum z z^T`, kept up to date by
/// Sherman-Morrison rank-one updates. Regressions that see the same `z`
/// sequence (one per model under full information) share one.
///
/// `A^{-1}` is symmetric, so only its upper triangle is stored, row by
/// row: row `i` contains `A^{-1}[i, i..d]`. That halves the memory and the
/// memory traffic of every pass, which bounds the speed at large `d`.
#[derive(Debug, Clone)]
pub(crate) struct InverseGram {
    dim: usize,
    count: u64,
    /// The upper triangle of `A^{-1}`, `d (d + 1) / 2` numbers.
    packed: Vec<f64>,
    /// `A^{-1} z` of the last update, before and after scaling.
    gain: Vec<f64>,
}

impl InverseGram {
    /// Creates `A^{-1} = I / lambda`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] as [`Ridge::new`].
    pub(crate) fn new(dim: usize, lambda: f64) -> Result<Self> {
        if dim == 0 {
            return Err(invalid(
                "dim",
                "0".to_owned(),
                "at least 1 regression feature",
            ));
        }
        if !(lambda.is_finite() && lambda > 0.0) {
            return Err(invalid(
                "lambda",
                lambda.to_string(),
                "a finite ridge penalty above 0, such as 1",
            ));
        }

        let packed_len = dim
            .checked_add(1)
            .and_then(|next| next.checked_mul(dim))
            .map(|len| len / 2);
        let mut gram = Self {
            dim,
            count: 0,
            packed: allocate_zeros(packed_len, || format!("{dim} x {dim}"))?,
            gain: vec![0.0; dim],
        };
        for row in gram.rows_mut() {
            if let Some(diagonal) = row.first_mut() {
                *diagonal = 1.0 / lambda;
            }
        }
        Ok(gram)
    }

    /// Returns the stored rows: row `i` is `A^{-1}[i, i..d]`.
    fn rows(&self) -> impl Iterator<Item = &[f64]> {
        let mut rest = self.packed.as_slice();
        (0..self.dim).map_while(move |i| {
            let (row, tail) = rest.split_at_checked(self.dim - i)?;
            rest = tail;
            Some(row)
        })
    }

    /// Returns the stored rows for writing.
    fn rows_mut(&mut self) -> impl Iterator<Item = &mut [f64]> {
        let dim = self.dim;
        let mut rest = self.packed.as_mut_slice();
        (0..dim).map_while(move |i| {
            let (row, tail) = std::mem::take(&mut rest).split_at_mut_checked(dim - i)?;
            rest = tail;
            Some(row)
        })
    }

    /// Returns `A^{-1}` as a full row-major `d x d` matrix.
    pub(crate) fn to_dense(&self) -> Vec<f64> {
        let dim = self.dim;
        let mut dense = vec![0.0; dim * dim];
        for (i, row) in self.rows().enumerate() {
            for (offset, &value) in row.iter().enumerate() {
                let j = i + offset;
                dense[i * dim + j] = value;
                dense[j * dim + i] = value;
            }
        }
        dense
    }

    /// Returns `sqrt(z^T A^{-1} z)` for a `z` of length `dim`.
    pub(crate) fn width(&self, z: &[f64]) -> f64 {
        // z^T A^{-1} z = sum_i z_i (A_ii z_i + 2 sum_{j > i} A_ij z_j).
        let quadratic: f64 = self
            .rows()
            .zip(z.iter().enumerate())
            .map(|(row, (i, &z_i))| {
                let (diagonal, right) = row.split_first().unwrap_or((&0.0, &[]));
                let right_z = z.get(i + 1..).unwrap_or_default();
                z_i * (diagonal * z_i + 2.0 * dot(right, right_z))
            })
            .sum();
        // Rounding can leave a tiny negative value where the exact one is
        // positive, because `A^{-1}` is positive definite.
        quadratic.max(0.0).sqrt()
    }

    /// Adds `z z^T` to `A` and returns the gain `A'^{-1} z` of the new
    /// inverse. `z` must have length `dim` and be finite.
    pub(crate) fn update(&mut self, z: &[f64]) -> &[f64] {
        self.multiply_into_gain(z);

        // A'^{-1} = A^{-1} - u u^T / (1 + z^T u) with u = A^{-1} z. With
        // w = u / sqrt(1 + z^T u) every entry changes by w_i w_j. z^T u >= 0
        // in exact arithmetic, so the clamp only removes rounding error.
        let denominator = 1.0 + dot(z, &self.gain).max(0.0);
        let scale = 1.0 / denominator.sqrt();
        self.gain.iter_mut().for_each(|u_i| *u_i *= scale);

        let mut gain = std::mem::take(&mut self.gain);
        for (i, row) in self.rows_mut().enumerate() {
            let w_i = gain.get(i).copied().unwrap_or(0.0);
            axpy(-w_i, gain.get(i..).unwrap_or_default(), row);
        }

        // A'^{-1} z = u / (1 + z^T u) = w / sqrt(1 + z^T u).
        gain.iter_mut().for_each(|w_i| *w_i *= scale);
        self.gain = gain;
        self.count += 1;
        &self.gain
    }

    /// Sets `gain = A^{-1} z` in one pass over the stored triangle: each
    /// off-diagonal entry `A_ij` (`j > i`) adds to both `u_i` and `u_j`.
    fn multiply_into_gain(&mut self, z: &[f64]) {
        let mut gain = std::mem::take(&mut self.gain);
        gain.iter_mut().for_each(|u_i| *u_i = 0.0);

        for ((i, row), &z_i) in self.rows().enumerate().zip(z) {
            let (diagonal, right) = row.split_first().unwrap_or((&0.0, &[]));
            let right_z = z.get(i + 1..).unwrap_or_default();
            let Some((head, tail)) = gain.split_at_mut_checked(i + 1) else {
                break;
            };
            if let Some(u_i) = head.last_mut() {
                *u_i += diagonal * z_i + dot(right, right_z);
            }
            axpy(z_i, right, tail);
        }
        self.gain = gain;
    }
}

/// Allocates a zero `rows x cols` matrix, with an error in place of an
/// abort when the size overflows or the memory is not available.
pub(crate) fn zeros(rows: usize, cols: usize) -> Result<Vec<f64>> {
    allocate_zeros(rows.checked_mul(cols), || format!("{rows} x {cols}"))
}

/// Allocates `len` zeros; `None` stands for a length that overflowed.
/// `shape` describes the matrix for the error message.
fn allocate_zeros(len: Option<usize>, shape: impl Fn() -> String) -> Result<Vec<f64>> {
    let too_large = || Error::InvalidParameter {
        name: "dim",
        value: shape(),
        expected: "a matrix size that fits in memory; reduce the feature dimension",
    };
    let len = len.ok_or_else(too_large)?;

    let mut values = Vec::new();
    values.try_reserve_exact(len).map_err(|_| too_large())?;
    values.resize(len, 0.0);
    Ok(values)
}

/// Dot product of two slices of equal length.
///
/// Four running sums let the compiler use SIMD. The order of the
/// additions is fixed, so the result is the same on every run.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    let mut sums = [0.0; 4];
    let a_chunks = a.chunks_exact(4);
    let b_chunks = b.chunks_exact(4);
    let mut tail = 0.0;
    for (x, y) in a_chunks.remainder().iter().zip(b_chunks.remainder()) {
        tail += x * y;
    }

    for (x, y) in a_chunks.zip(b_chunks) {
        if let (&[x0, x1, x2, x3], &[y0, y1, y2, y3]) = (x, y) {
            sums[0] += x0 * y0;
            sums[1] += x1 * y1;
            sums[2] += x2 * y2;
            sums[3] += x3 * y3;
        }
    }
    (sums[0] + sums[1]) + (sums[2] + sums[3]) + tail
}

/// `y += alpha x` over slices of equal length.
pub(crate) fn axpy(alpha: f64, x: &[f64], y: &mut [f64]) {
    for (y_i, x_i) in y.iter_mut().zip(x) {
        *y_i += alpha * x_i;
    }
}

#[cfg(test)]
mod tests;
