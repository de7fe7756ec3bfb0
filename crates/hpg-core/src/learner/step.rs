//! The adaptive step size.

/// AdaGrad-norm step size in dual units:
/// `eta_t = scale / sqrt(1 + sum_{tau <= t} ||g_tau||^2)`,
/// where `||g||` is the operator norm of the block-diagonal gradient
/// estimate, `max_m |c_m| * ||direction(z)||`.
///
/// The `1` in the denominator caps the first steps at `scale` dual units
/// per unit of gradient. Later steps shrink as `1 / sqrt(t)` while
/// gradients keep their size, and shrink less when gradients fade.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct AdaGradNorm {
    scale: f64,
    sum_squares: f64,
}

impl AdaGradNorm {
    /// Creates a step size with the given scale (dual units).
    pub fn new(scale: f64) -> Self {
        Self {
            scale,
            sum_squares: 0.0,
        }
    }

    /// Returns the scale.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// Records a gradient of operator norm `norm` and returns the step for it.
    pub fn next(&mut self, norm: f64) -> f64 {
        self.sum_squares += norm * norm;
        self.scale / (1.0 + self.sum_squares).sqrt()
    }

    /// Returns whether the scale is finite and positive and the sum of
    /// squares finite and non-negative, as [`AdaGradNorm::new`] and
    /// [`AdaGradNorm::next`] keep them for finite norms.
    pub fn is_valid(&self) -> bool {
        self.scale.is_finite()
            && self.scale > 0.0
            && self.sum_squares.is_finite()
            && self.sum_squares >= 0.0
    }

    /// Returns the step that a next gradient of norm 0 would get.
    pub fn current(&self) -> f64 {
        self.scale / (1.0 + self.sum_squares).sqrt()
    }
}
