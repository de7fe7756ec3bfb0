//! The estimator trait and the score-function estimators.

use crate::{Error, Feedback, Result};

/// A bandit estimate of the policy-value gradient, in rank-one form.
///
/// For the log-quadratic class the gradient of `V(Theta) = sum_m pi(m)
/// r(m)` with respect to `Theta_m` is `pi(m) (r(m) - V) z z^T`, so every
/// estimate here is one coefficient per model times the shared direction
/// built from `z`. `estimate` writes those coefficients.
pub trait Estimator: std::fmt::Debug + Clone + Send + Sync {
    /// Writes one coefficient per model into `out` and updates any internal
    /// state (such as a running baseline).
    ///
    /// # Errors
    /// When the feedback fails [`Feedback::validate`] or lacks what the
    /// estimator needs. On error the state is unchanged.
    fn estimate(&mut self, feedback: &Feedback<'_>, out: &mut [f64]) -> Result<()>;
}

/// Running mean of the observed rewards, the default baseline.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct RunningMean {
    count: u64,
    mean: f64,
}

impl RunningMean {
    /// Returns the current mean (0 before any reward).
    pub fn value(&self) -> f64 {
        self.mean
    }

    /// Adds one reward.
    pub fn push(&mut self, reward: f64) {
        self.count += 1;
        self.mean += (reward - self.mean) / self.count as f64;
    }
}

/// REINFORCE with a baseline `b`, fixed before the model is drawn:
/// `w = (r - b) pi(m_t) / (p(m_t) + gamma_ix)` and
/// `c_m = w (1[m = m_t] - pi(m))`.
///
/// With `gamma_ix = 0` the estimate is unbiased for every baseline, because
/// the baseline term has mean zero. With `gamma_ix > 0` (implicit
/// exploration) it is biased towards zero and has smaller variance.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Reinforce {
    baseline: RunningMean,
    implicit_exploration: f64,
}

impl Reinforce {
    /// REINFORCE with the running-mean baseline.
    pub fn new() -> Self {
        Self::default()
    }

    /// Implicit exploration: divides by `p(m_t) + gamma_ix` instead of
    /// `p(m_t)`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `gamma_ix` is finite and `>= 0`.
    pub fn with_implicit_exploration(gamma_ix: f64) -> Result<Self> {
        if !(gamma_ix.is_finite() && gamma_ix >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "gamma_ix",
                value: gamma_ix,
                expected: "a finite value >= 0",
            });
        }
        Ok(Self {
            baseline: RunningMean::default(),
            implicit_exploration: gamma_ix,
        })
    }

    /// Returns the current baseline `b`.
    pub fn baseline(&self) -> f64 {
        self.baseline.value()
    }

    /// Returns the implicit exploration `gamma_ix` (0 without it).
    pub fn implicit_exploration(&self) -> f64 {
        self.implicit_exploration
    }
}

impl Estimator for Reinforce {
    fn estimate(&mut self, feedback: &Feedback<'_>, out: &mut [f64]) -> Result<()> {
        feedback.validate()?;
        check_out(out, feedback.policy.len())?;

        let chosen = feedback.model;
        let pi_chosen = feedback.policy[chosen];
        let weight = (feedback.reward - self.baseline.value()) * pi_chosen
            / (feedback.propensity + self.implicit_exploration);
        for (m, (c, &pi)) in out.iter_mut().zip(feedback.policy).enumerate() {
            let indicator = if m == chosen { 1.0 } else { 0.0 };
            *c = weight * (indicator - pi);
        }

        self.baseline.push(feedback.reward);
        Ok(())
    }
}

/// The exact gradient from the reward of every model:
/// `c_m = pi(m) (r(m) - V)`, with `V = sum_m pi(m) r(m)`. A reference for
/// benchmarks, not a bandit estimator.
#[cfg(feature = "full-information")]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FullInformation;

#[cfg(feature = "full-information")]
impl Estimator for FullInformation {
    fn estimate(&mut self, feedback: &Feedback<'_>, out: &mut [f64]) -> Result<()> {
        feedback.validate()?;
        check_out(out, feedback.policy.len())?;
        let rewards = feedback.all_rewards.ok_or(Error::MissingRewards)?;

        let value: f64 = feedback
            .policy
            .iter()
            .zip(rewards)
            .map(|(p, r)| p * r)
            .sum();
        for ((c, &pi), &r) in out.iter_mut().zip(feedback.policy).zip(rewards) {
            *c = pi * (r - value);
        }
        Ok(())
    }
}

pub(crate) fn check_out(out: &[f64], models: usize) -> Result<()> {
    if out.len() != models {
        return Err(Error::Shape {
            what: "output coefficients",
            expected: models,
            found: out.len(),
        });
    }
    Ok(())
}
