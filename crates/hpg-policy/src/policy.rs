//! The policy trait shared by the log-quadratic, log-linear and constant
//! classes.

use crate::{softmax, Result};

/// A parametric routing policy `pi(m | z) = softmax(logits(z))_m`, trained
/// by mirror ascent.
///
/// The gradient of every objective that the estimators produce has the same
/// shape: for round `j` of a mini-batch and model `m`, a scalar coefficient
/// `c_jm` times a direction built from the policy features `z_j` (`z z^T`
/// for the log-quadratic class, `z` for the log-linear class, 1 for the
/// constant class). So an ascent step takes the coefficients, already
/// multiplied by the step size, and the features.
pub trait Policy: std::fmt::Debug + Clone + Send + Sync {
    /// Number of models `M`.
    fn models(&self) -> usize;

    /// Length `n` of the policy features `z`.
    fn dim(&self) -> usize;

    /// Writes the `M` logits for features `z` into `out`.
    ///
    /// # Errors
    /// A length error when `z.len() != n` or `out.len() != M`.
    fn logits(&self, z: &[f64], out: &mut [f64]) -> Result<()>;

    /// Takes one mirror-ascent step on a mini-batch of `k` rounds: adds
    /// `coefficients[j * M + m]` times the direction of `features[j]` to the
    /// dual of model `m`, for every `j < k`, then projects.
    ///
    /// # Errors
    /// Length errors, and linear-algebra failures. On error the policy is
    /// unchanged.
    fn ascend(&mut self, coefficients: &[f64], features: &[&[f64]]) -> Result<()>;

    /// Operator norm of the direction for features `z`, used to scale step
    /// sizes: `||z||^2` for `z z^T`, `||z||` for `z`, 1 for a constant.
    fn direction_norm(&self, z: &[f64]) -> f64;

    /// Total number of stored eigenpairs or coordinates over all models.
    fn rank(&self) -> usize;

    /// Checks that the parameters agree with each other: sizes, finite
    /// values, a valid constraint and mirror map. Call it on a policy
    /// restored with serde, which bypasses the constructors' checks. The
    /// default accepts every state.
    ///
    /// # Errors
    /// [`crate::Error::InvalidState`] naming the first inconsistency.
    fn check_state(&self) -> Result<()> {
        Ok(())
    }

    /// Writes the probabilities `pi(. | z)` into `out`.
    ///
    /// # Errors
    /// As [`Policy::logits`].
    fn probabilities(&self, z: &[f64], out: &mut [f64]) -> Result<()> {
        self.logits(z, out)?;
        let logits = out.to_vec();
        softmax(&logits, out);
        Ok(())
    }
}

/// Checks the shapes of an ascent step.
pub(crate) fn check_batch(
    coefficients: &[f64],
    features: &[&[f64]],
    models: usize,
    dim: usize,
) -> Result<()> {
    let expected = features.len() * models;
    if coefficients.len() != expected {
        return Err(crate::Error::InvalidParameter {
            name: "coefficients length",
            value: coefficients.len() as f64,
            expected: "one coefficient per model and round",
        });
    }
    for z in features {
        crate::check_features(z, dim)?;
    }
    if let Some(value) = coefficients.iter().find(|c| !c.is_finite()) {
        return Err(crate::Error::InvalidParameter {
            name: "gradient coefficient",
            value: *value,
            expected: "a finite number",
        });
    }
    Ok(())
}

/// Checks the length of a logits output slice.
/// Builds [`crate::Error::InvalidState`].
pub(crate) fn invalid_state(reason: impl Into<String>) -> crate::Error {
    crate::Error::InvalidState {
        reason: reason.into(),
    }
}

/// Checks that a mirror map restored from a file is usable: its inverse
/// gradient maps 1 to a finite positive value and its gradient maps 1 to a
/// finite value. This rejects a hypentropy scale that is zero, negative or
/// NaN without knowing the map's type.
pub(crate) fn check_map<M: hpg_linalg::MirrorMap>(map: &M) -> Result<()> {
    let primal = map.grad_inverse(1.0);
    let dual = map.grad(1.0);
    if !(primal.is_finite() && primal > 0.0 && dual.is_finite()) {
        return Err(invalid_state(format!(
            "the mirror map sends 1 to {primal} and back to {dual}, so its scale is invalid"
        )));
    }
    Ok(())
}

/// Checks a restored constraint set.
pub(crate) fn check_ball(ball: &hpg_linalg::Ball) -> Result<()> {
    ball.validate()
        .map_err(|error| invalid_state(format!("the constraint set is invalid: {error}")))
}

pub(crate) fn check_output(out: &[f64], models: usize) -> Result<()> {
    if out.len() != models {
        return Err(crate::Error::FeatureLength {
            expected: models,
            found: out.len(),
        });
    }
    Ok(())
}
