//! The information an estimator receives about one observed round.

use crate::{Error, Result};

/// Outcome of one round, as passed to an estimator.
#[derive(Debug, Clone, Copy)]
pub struct Feedback<'a> {
    /// The model that served the query.
    pub model: usize,
    /// Its observed reward, in `[0, 1]`.
    pub reward: f64,
    /// The probability with which `model` was drawn: the sampling
    /// distribution's (after exploration mixing) or a logged propensity.
    pub propensity: f64,
    /// The policy `pi(. | x)` being trained, at the time of the decision.
    pub policy: &'a [f64],
    /// The reward of every model, when known (full information, benchmarks).
    pub all_rewards: Option<&'a [f64]>,
    /// The policy features `z` of the query: the normalized vector on
    /// which the policy computed `policy`. Estimators with a reward model
    /// (such as the doubly robust one) need them, the others ignore them.
    pub features: Option<&'a [f64]>,
}

impl Feedback<'_> {
    /// Checks the shapes and ranges of the feedback.
    ///
    /// # Errors
    /// [`Error::Shape`] when `model` is out of range or `all_rewards` has the
    /// wrong length, [`Error::Reward`] for a reward outside `[0, 1]`,
    /// [`Error::Propensity`] for a propensity outside `(0, 1]`, and
    /// [`Error::Feature`] for a non-finite policy feature.
    pub fn validate(&self) -> Result<()> {
        let models = self.policy.len();
        if self.model >= models {
            return Err(Error::Shape {
                what: "chosen model index",
                expected: models,
                found: self.model,
            });
        }
        check_reward(self.model, self.reward)?;
        if !(self.propensity > 0.0 && self.propensity <= 1.0) {
            return Err(Error::Propensity {
                value: self.propensity,
            });
        }
        if let Some(all) = self.all_rewards {
            if all.len() != models {
                return Err(Error::Shape {
                    what: "all_rewards length",
                    expected: models,
                    found: all.len(),
                });
            }
            for (model, &value) in all.iter().enumerate() {
                check_reward(model, value)?;
            }
        }
        if let Some(features) = self.features {
            if let Some((index, &value)) = features.iter().enumerate().find(|(_, v)| !v.is_finite())
            {
                return Err(Error::Feature { index, value });
            }
        }
        Ok(())
    }
}

/// Checks that a reward lies in `[0, 1]` (NaN fails).
///
/// # Errors
/// [`Error::Reward`].
pub fn check_reward(model: usize, value: f64) -> Result<()> {
    if !(0.0..=1.0).contains(&value) {
        return Err(Error::Reward { model, value });
    }
    Ok(())
}
