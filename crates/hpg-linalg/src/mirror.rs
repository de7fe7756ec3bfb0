//! Scalar mirror maps, applied to eigenvalues by the spectral functions.
//!
//! A mirror map here is a strictly convex, even potential `f` on the real
//! line. Its derivative `f'` sends a primal eigenvalue `l` to a dual value
//! `u`, and `(f')^{-1}` sends it back. Applied to every eigenvalue of a
//! symmetric matrix (same eigenvectors), they give the spectral maps
//! `grad Phi` and `grad Phi*` of `Phi(Theta) = sum_i f(lambda_i(Theta))`.

use crate::{Error, Result};

/// Largest dual magnitude that [`Hypentropy`] accepts before clamping (the
/// default of [`MirrorMap::dual_limit`]).
///
/// `sinh(700)` is about `5e303`, so `beta * sinh(u)` stays finite for
/// every `beta <= 1e4`.
pub const DUAL_LIMIT: f64 = 700.0;

/// A scalar mirror map acting on eigenvalues.
pub trait MirrorMap: std::fmt::Debug + Clone + Send + Sync {
    /// Evaluates the potential `f(l)`.
    fn potential(&self, primal: f64) -> f64;

    /// Evaluates the gradient `f'(l)`: primal eigenvalue to dual value.
    fn grad(&self, primal: f64) -> f64;

    /// Evaluates the inverse gradient `(f')^{-1}(u)`: dual value to primal eigenvalue.
    ///
    /// The dual value is clamped to `[-dual_limit(), dual_limit()]` first,
    /// so the result is finite for every finite input.
    fn grad_inverse(&self, dual: f64) -> f64;

    /// Largest dual magnitude that [`MirrorMap::grad_inverse`] maps without
    /// clamping. [`crate::Ball::project`] clamps dual values to it, so maps
    /// that never overflow return infinity and are not clamped.
    fn dual_limit(&self) -> f64 {
        DUAL_LIMIT
    }

    /// Solves `sum_i grad_inverse(shifted[i] + delta) = radius` for `delta`
    /// in `[0, max_delta]`, where every `shifted[i] >= 0`.
    ///
    /// The nuclear-norm projection calls this on the segment between two
    /// sorted dual magnitudes. The default bisects; maps with a closed
    /// form override it.
    fn solve_segment(&self, shifted: &[f64], radius: f64, max_delta: f64) -> f64 {
        let total =
            |delta: f64| -> f64 { shifted.iter().map(|&a| self.grad_inverse(a + delta)).sum() };
        let (mut low, mut high) = (0.0, max_delta);
        for _ in 0..200 {
            let middle = 0.5 * (low + high);
            if total(middle) > radius {
                high = middle;
            } else {
                low = middle;
            }
        }
        0.5 * (low + high)
    }

    /// Solves `f'(l) + 2 lambda l = dual` for the primal value `l`, with
    /// `lambda >= 0`.
    ///
    /// This is the Bregman projection of one coordinate under a quadratic
    /// penalty, which the Frobenius-ball projection needs. The root has the
    /// sign of `dual` and at most the magnitude of `grad_inverse(dual)`, so
    /// the default bisects on that interval. Maps with a closed form
    /// override it.
    fn solve_penalized(&self, dual: f64, lambda: f64) -> f64 {
        let magnitude = dual.abs();
        let residual = |l: f64| self.grad(l) + 2.0 * lambda * l - magnitude;
        let (mut low, mut high) = (0.0, self.grad_inverse(magnitude));
        for _ in 0..100 {
            let middle = 0.5 * (low + high);
            if residual(middle) > 0.0 {
                high = middle;
            } else {
                low = middle;
            }
        }
        dual.signum() * 0.5 * (low + high)
    }

    /// Bregman divergence `f(p) - f(q) - f'(q) (p - q)` of two scalars.
    fn divergence(&self, p: f64, q: f64) -> f64 {
        self.potential(p) - self.potential(q) - self.grad(q) * (p - q)
    }
}

/// Hypentropy with scale `beta > 0`.
///
/// `f(l) = l asinh(l / beta) - sqrt(l^2 + beta^2)`, so `f'(l) = asinh(l /
/// beta)` and `(f')^{-1}(u) = beta sinh(u)`. For `|l| << beta` it behaves
/// like the squared Euclidean norm scaled by `1 / (2 beta)`; for `|l| >>
/// beta` like the entropy `|l| log |l|`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Hypentropy {
    beta: f64,
}

impl Hypentropy {
    /// Creates the map with scale `beta`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `0 < beta <= 1e4` and finite.
    ///
    /// # Examples
    /// ```
    /// use hpg_linalg::{Hypentropy, MirrorMap};
    /// let map = Hypentropy::new(0.5).unwrap();
    /// let dual = map.grad(2.0);
    /// assert!((map.grad_inverse(dual) - 2.0).abs() < 1e-12);
    /// ```
    pub fn new(beta: f64) -> Result<Self> {
        if !(beta.is_finite() && beta > 0.0 && beta <= 1e4) {
            return Err(Error::InvalidParameter {
                name: "beta",
                value: beta,
                expected: "a finite scale in (0, 1e4]",
            });
        }
        Ok(Self { beta })
    }

    /// Returns the scale `beta`.
    pub fn beta(&self) -> f64 {
        self.beta
    }
}

impl MirrorMap for Hypentropy {
    fn potential(&self, primal: f64) -> f64 {
        primal * (primal / self.beta).asinh() - primal.hypot(self.beta)
    }

    fn grad(&self, primal: f64) -> f64 {
        (primal / self.beta).asinh()
    }

    fn grad_inverse(&self, dual: f64) -> f64 {
        self.beta * dual.clamp(-DUAL_LIMIT, DUAL_LIMIT).sinh()
    }

    /// Closed form: with `y = e^delta`, `A = sum e^a`, `B = sum e^-a`, the
    /// equation `beta / 2 (A y - B / y) = radius` is a quadratic in `y`.
    fn solve_segment(&self, shifted: &[f64], radius: f64, max_delta: f64) -> f64 {
        let a: f64 = shifted.iter().map(|&s| s.exp()).sum();
        let b: f64 = shifted.iter().map(|&s| (-s).exp()).sum();
        let c = 2.0 * radius / self.beta;
        let root = (c * c + 4.0 * a * b).sqrt();
        let y = (c + root) / (2.0 * a);
        y.ln().clamp(0.0, max_delta)
    }
}

/// The Euclidean map `f(l) = l^2 / 2`, under which mirror ascent is plain
/// projected gradient ascent.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Euclidean;

impl MirrorMap for Euclidean {
    fn potential(&self, primal: f64) -> f64 {
        0.5 * primal * primal
    }

    fn grad(&self, primal: f64) -> f64 {
        primal
    }

    fn grad_inverse(&self, dual: f64) -> f64 {
        dual
    }

    /// Infinite: the identity cannot overflow, so no dual value is clamped.
    fn dual_limit(&self) -> f64 {
        f64::INFINITY
    }

    fn solve_penalized(&self, dual: f64, lambda: f64) -> f64 {
        dual / (1.0 + 2.0 * lambda)
    }

    fn solve_segment(&self, shifted: &[f64], radius: f64, max_delta: f64) -> f64 {
        let sum: f64 = shifted.iter().sum();
        let count = shifted.len().max(1) as f64;
        ((radius - sum) / count).clamp(0.0, max_delta)
    }
}
