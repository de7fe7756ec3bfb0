//! Learning from rounds logged by another policy.

use crate::estimator::check_out;
use crate::{Estimator, Feedback, Reinforce, Result};

/// Smallest propensity used for reweighting: logged propensities below it
/// are raised to it, which caps each importance weight at `1 / floor`.
pub const PROPENSITY_FLOOR: f64 = 1e-3;

/// REINFORCE on logged data: `propensity` in the feedback is the logging
/// policy's recorded probability of the logged model.
///
/// A propensity of 0 is an error, because such a round cannot be
/// reweighted. Propensities below [`PROPENSITY_FLOOR`] are clipped to it,
/// which trades a small bias for bounded variance.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OffPolicy {
    inner: Reinforce,
}

impl OffPolicy {
    /// Off-policy REINFORCE with the running-mean baseline.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Estimator for OffPolicy {
    fn estimate(&mut self, feedback: &Feedback<'_>, out: &mut [f64]) -> Result<()> {
        feedback.validate()?;
        check_out(out, feedback.policy.len())?;
        let clipped = Feedback {
            propensity: feedback.propensity.max(PROPENSITY_FLOOR),
            ..*feedback
        };
        self.inner.estimate(&clipped, out)
    }
}
