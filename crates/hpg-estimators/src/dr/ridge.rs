//! Online ridge regression, the reward model of the doubly robust
//! estimator.

use std::sync::Arc;

use crate::{Error, Result};

/// Ridge regression of a reward on the features `z`, updated one
/// observation at a time.
///
/// With `A = lambda I + sum_t z_t z_t^T` and `b = sum_t r_t z_t`, it keeps
/// the weights `w = A^{-1} b` and the inverse `A^{-1}` (row-major,
/// `d x d`). Each update applies the Sherman–Morrison formula, which costs
/// `O(d^2)` and keeps `A^{-1}` exactly symmetric.
///
/// The inverse sits behind an [`Arc`], so a clone shares it until one of
/// the copies updates. The learner clones its estimator on every
/// observation (to roll back on error), and this keeps that clone cheap.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub(crate) struct OnlineRidge {
    weights: Vec<f64>,
    inverse: Arc<Vec<f64>>,
    observations: u64,
}

impl OnlineRidge {
    /// Creates the model with no observations: `w = 0`, `A^{-1} = I / ridge`.
    /// Returns `None` when the `dim^2` entries cannot be allocated.
    pub(crate) fn new(dim: usize, ridge: f64) -> Option<Self> {
        let entries = dim.checked_mul(dim)?;
        let mut inverse = Vec::new();
        inverse.try_reserve_exact(entries).ok()?;
        inverse.resize(entries, 0.0);
        for diagonal in inverse.iter_mut().step_by(dim + 1) {
            *diagonal = 1.0 / ridge;
        }
        Some(Self {
            weights: vec![0.0; dim],
            inverse: Arc::new(inverse),
            observations: 0,
        })
    }

    /// Returns the unclipped prediction `w^T z`.
    pub(crate) fn predict(&self, z: &[f64]) -> f64 {
        dot(&self.weights, z)
    }

    /// Returns the number of observations taken so far.
    pub(crate) fn observations(&self) -> u64 {
        self.observations
    }

    /// Checks that the weights and the inverse have the sizes of dimension
    /// `dim`, which a deserialized model need not have.
    ///
    /// # Errors
    /// [`Error::Shape`] naming the part of the wrong size.
    pub(crate) fn check_dim(&self, dim: usize) -> Result<()> {
        if self.weights.len() != dim {
            return Err(Error::Shape {
                what: "reward model weights",
                expected: dim,
                found: self.weights.len(),
            });
        }
        let entries = dim.saturating_mul(dim);
        if self.inverse.len() != entries {
            return Err(Error::Shape {
                what: "reward model inverse entries",
                expected: entries,
                found: self.inverse.len(),
            });
        }
        Ok(())
    }

    /// Adds the observation `(z, reward)`.
    ///
    /// With `u = A^{-1} z` and `s = 1 + z^T u`, the new inverse is
    /// `A^{-1} - u u^T / s` and the new weights are
    /// `w + u (reward - w^T z) / s`. Because `A^{-1}` is positive definite,
    /// `s >= 1` in exact arithmetic, so the division is safe for finite
    /// inputs.
    pub(crate) fn update(&mut self, z: &[f64], reward: f64) {
        let dim = self.weights.len();
        if dim == 0 {
            self.observations += 1;
            return;
        }
        let inverse = Arc::make_mut(&mut self.inverse);
        let u: Vec<f64> = inverse.chunks_exact(dim).map(|row| dot(row, z)).collect();
        let inverse_s = 1.0 / (1.0 + dot(z, &u));
        let residual = reward - dot(&self.weights, z);

        for (weight, &ui) in self.weights.iter_mut().zip(&u) {
            *weight += ui * residual * inverse_s;
        }
        // `(u_i * u_j) * inverse_s` is the same number for (i, j) and
        // (j, i), so the inverse stays exactly symmetric.
        for (row, &ui) in inverse.chunks_exact_mut(dim).zip(&u) {
            for (entry, &uj) in row.iter_mut().zip(&u) {
                *entry -= ui * uj * inverse_s;
            }
        }
        self.observations += 1;
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn update_matches_batch_ridge_solution() {
        let ridge = 0.5;
        let samples = [
            ([0.3, -0.1, 0.5], 0.2),
            ([0.0, 0.7, 0.1], 0.9),
            ([-0.4, 0.2, 0.2], 0.4),
            ([0.6, 0.6, -0.3], 0.7),
        ];
        let mut model = OnlineRidge::new(3, ridge).expect("small allocation");
        let mut a = [[0.0; 3]; 3];
        let mut b = [0.0; 3];
        for (i, row) in a.iter_mut().enumerate() {
            row[i] = ridge;
        }
        for (z, r) in samples {
            model.update(&z, r);
            for i in 0..3 {
                b[i] += r * z[i];
                for j in 0..3 {
                    a[i][j] += z[i] * z[j];
                }
            }
        }

        // The weights solve A w = b and the stored inverse is A^{-1}.
        for i in 0..3 {
            let a_w: f64 = (0..3).map(|j| a[i][j] * model.weights[j]).sum();
            assert!(
                (a_w - b[i]).abs() < 1e-12,
                "row {i}: (A w) = {a_w}, b = {}",
                b[i]
            );
            for j in 0..3 {
                let product: f64 = (0..3).map(|k| a[i][k] * model.inverse[k * 3 + j]).sum();
                let identity = if i == j { 1.0 } else { 0.0 };
                assert!(
                    (product - identity).abs() < 1e-12,
                    "(A A^-1)[{i}][{j}] = {product}"
                );
            }
        }
        assert_eq!(model.observations(), 4);
    }

    #[test]
    fn update_keeps_inverse_symmetric() {
        let mut model = OnlineRidge::new(4, 1.0).expect("small allocation");
        for t in 0..50 {
            let angle = t as f64 * 0.37;
            let z = [angle.sin(), angle.cos(), 0.5 * (2.0 * angle).sin(), 0.5];
            model.update(&z, (t % 3) as f64 / 2.0);
        }
        for i in 0..4 {
            for j in 0..4 {
                assert_eq!(
                    model.inverse[i * 4 + j],
                    model.inverse[j * 4 + i],
                    "({i}, {j})"
                );
            }
        }
    }

    #[test]
    fn clone_shares_inverse_until_update() {
        let mut model = OnlineRidge::new(2, 1.0).expect("small allocation");
        model.update(&[0.5, 0.5], 1.0);
        let mut copy = model.clone();
        assert!(Arc::ptr_eq(&model.inverse, &copy.inverse));
        copy.update(&[1.0, 0.0], 0.0);
        assert!(!Arc::ptr_eq(&model.inverse, &copy.inverse));
        assert_eq!(model.observations(), 1);
        assert_eq!(copy.observations(), 2);
    }
}
