//! Feature maps from router features `x` to policy features `z`.

use crate::{Error, Result};

/// A map `psi` from router features `x` (length `input_dim`) to policy
/// features `z` (length `output_dim`) with `||z||_2 <= 1`.
pub trait FeatureMap: std::fmt::Debug + Clone + Send + Sync {
    /// Length of `x`.
    fn input_dim(&self) -> usize;

    /// Length of `z`.
    fn output_dim(&self) -> usize;

    /// Writes `z = psi(x)` into `out` (length `output_dim`).
    ///
    /// # Errors
    /// [`Error::FeatureLength`] for a wrong length of `x` and
    /// [`Error::NonFiniteFeature`] for NaN or infinite entries.
    fn map_into(&self, x: &[f64], out: &mut [f64]) -> Result<()>;

    /// Returns `psi(x)` in a new vector.
    ///
    /// # Errors
    /// As [`FeatureMap::map_into`].
    fn map(&self, x: &[f64]) -> Result<Vec<f64>> {
        let mut out = vec![0.0; self.output_dim()];
        self.map_into(x, &mut out)?;
        Ok(out)
    }
}

/// The default map `psi(x) = [x / max(1, ||x||), c] / sqrt(1 + c^2)`.
///
/// With the constant `c = 1` the quadratic form `z^T Theta z` contains
/// quadratic, linear and bias terms of `x`; with `c = 0` only the quadratic
/// terms (and `z` has length `d` instead of `d + 1`). `||z|| <= 1` always.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Normalized {
    input_dim: usize,
    constant: f64,
}

impl Normalized {
    /// Creates the map for `input_dim` router features and the constant
    /// coordinate `constant` (`c` above; 0 drops the coordinate).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `constant` is negative or not finite.
    ///
    /// # Examples
    /// ```
    /// use hpg_policy::{FeatureMap, Normalized};
    /// let psi = Normalized::new(2, 1.0).unwrap();
    /// let z = psi.map(&[3.0, 4.0]).unwrap();
    /// let expected = [0.6, 0.8, 1.0].map(|v| v / 2f64.sqrt());
    /// assert!(z.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-15));
    /// ```
    pub fn new(input_dim: usize, constant: f64) -> Result<Self> {
        if !(constant.is_finite() && constant >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "constant",
                value: constant,
                expected: "a finite value >= 0",
            });
        }
        Ok(Self {
            input_dim,
            constant,
        })
    }

    /// Returns the weight `c` of the constant coordinate.
    pub fn constant(&self) -> f64 {
        self.constant
    }
}

impl FeatureMap for Normalized {
    fn input_dim(&self) -> usize {
        self.input_dim
    }

    fn output_dim(&self) -> usize {
        self.input_dim + usize::from(self.constant > 0.0)
    }

    fn map_into(&self, x: &[f64], out: &mut [f64]) -> Result<()> {
        check_features(x, self.input_dim)?;
        if out.len() != self.output_dim() {
            return Err(Error::FeatureLength {
                expected: self.output_dim(),
                found: out.len(),
            });
        }

        let bias_scale = (1.0 + self.constant * self.constant).sqrt();
        let (largest, root) = scaled_norm(x);
        let norm = largest * root;
        if norm.is_finite() {
            let scale = 1.0 / (norm.max(1.0) * bias_scale);
            for (z, &value) in out.iter_mut().zip(x) {
                *z = value * scale;
            }
        } else {
            // `||x||` overflows for entries near `f64::MAX`, so divide by
            // the largest magnitude first to keep the direction of `x`.
            let scale = 1.0 / (root * bias_scale);
            for (z, &value) in out.iter_mut().zip(x) {
                *z = value / largest * scale;
            }
        }
        if let Some(last) = out.get_mut(self.input_dim) {
            *last = self.constant / (1.0 + self.constant * self.constant).sqrt();
        }
        Ok(())
    }
}

/// Checks the length and finiteness of a router feature vector.
///
/// # Errors
/// [`Error::FeatureLength`] and [`Error::NonFiniteFeature`].
pub fn check_features(x: &[f64], expected: usize) -> Result<()> {
    if x.len() != expected {
        return Err(Error::FeatureLength {
            expected,
            found: x.len(),
        });
    }
    if let Some((index, &value)) = x.iter().enumerate().find(|(_, v)| !v.is_finite()) {
        return Err(Error::NonFiniteFeature { index, value });
    }
    Ok(())
}

/// Splits the Euclidean norm as `||x|| = largest * root`, where `largest`
/// is the largest magnitude and `root` the norm of `x / largest`, so that
/// no square of a large finite entry overflows. Returns `(0, 0)` for zero.
fn scaled_norm(x: &[f64]) -> (f64, f64) {
    let largest = x.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
    if largest == 0.0 {
        return (0.0, 0.0);
    }
    let sum: f64 = x.iter().map(|v| (v / largest) * (v / largest)).sum();
    (largest, sum.sqrt())
}
