//! The doubly robust estimator: importance weighting around a learned
//! reward model.

mod ridge;

use ridge::OnlineRidge;

use crate::estimator::check_out;
use crate::{Error, Estimator, Feedback, Result};

/// Default ridge penalty `lambda` of the reward models.
pub const DEFAULT_RIDGE: f64 = 1.0;

/// Doubly robust (DR) gradient estimate, with one online ridge regression
/// per model as the reward model.
///
/// # Estimate
/// Let `q_m = clip(rhat_m(z), 0, 1)` be the reward model's prediction for
/// model `m` on the policy features `z`, `m_t` the drawn model and `p` its
/// sampling probability (the feedback's `propensity`). The DR estimate of
/// every model's reward is
///
/// `rtilde_m = q_m + 1[m = m_t] (r - q_m) / (p + gamma_ix)`,
///
/// and the coefficients are `c_m = pi(m) (rtilde_m - sum_k pi(k) rtilde_k)`,
/// the exact gradient `pi(m) (r_m - V)` with `rtilde` in place of the
/// rewards.
///
/// # Bias and variance
/// The reward models are updated only after the estimate, so `q` does not
/// depend on the current draw. If `m_t` is drawn with probability
/// `p(m) > 0` for every model and `gamma_ix = 0`, then
/// `E[rtilde_m] = q_m + p(m) (r_m - q_m) / p(m) = r_m` for any `q`. Since
/// `c` is linear in `rtilde`, `E[c_m] = pi(m) (r_m - V)`: the estimate is
/// unbiased whatever the reward model. Its error is
/// `rtilde_m - r_m = (r_m - q_m) (1[m = m_t] / p(m) - 1)`, so
/// `Var[rtilde_m] = (r_m - q_m)^2 (1 - p(m)) / p(m)`, which falls to 0 as
/// `q` approaches `r`. With `gamma_ix > 0` (implicit exploration),
/// `E[rtilde_m] = q_m + p(m) / (p(m) + gamma_ix) (r_m - q_m)`, which is
/// biased towards the reward model and has lower variance.
///
/// # Reward model
/// For each model, ridge regression of the observed reward on `z` with
/// penalty `lambda` ([`DEFAULT_RIDGE`] unless set). Only the drawn model's
/// regression takes `(z, r)`, after each estimate. Predictions are clipped
/// to `[0, 1]`, the range of the rewards.
///
/// # Cost
/// The state is one `d x d` inverse per model: `8 M d^2` bytes, about
/// 134 MB for `M = 16` models and `d = 1025`, and 8.6 MB for `M = 7`,
/// `d = 393`. Checkpoints that contain the estimator grow by the same
/// amount. An estimate costs `O(M d)` for the predictions plus `O(d^2)`
/// for the Sherman–Morrison update of one model. A clone shares the
/// inverses, and an update then copies only the drawn model's inverse.
///
/// # Examples
/// ```
/// use hpg_estimators::{DoublyRobust, Estimator, Feedback};
///
/// let mut estimator = DoublyRobust::new(2, 2)?;
/// let z = [0.6, 0.8];
/// let policy = [0.5, 0.5];
/// let feedback = Feedback {
///     model: 0,
///     reward: 1.0,
///     propensity: 0.5,
///     policy: &policy,
///     all_rewards: None,
///     features: Some(&z),
/// };
/// let mut coefficients = [0.0; 2];
///
/// // Before any observation q = 0: rtilde = [1 / 0.5, 0] and V = 1.
/// estimator.estimate(&feedback, &mut coefficients)?;
/// assert_eq!(coefficients, [0.5, -0.5]);
///
/// // Model 0's regression took (z, 1): q_0 = 0.5 now, so
/// // rtilde = [0.5 + 0.5 / 0.5, 0] = [1.5, 0] and V = 0.75.
/// let predictions = estimator.predict_rewards(&z)?;
/// assert!((predictions[0] - 0.5).abs() < 1e-12);
/// assert_eq!(predictions[1], 0.0);
/// estimator.estimate(&feedback, &mut coefficients)?;
/// assert!((coefficients[0] - 0.375).abs() < 1e-12);
/// assert!((coefficients[1] + 0.375).abs() < 1e-12);
/// # Ok::<(), hpg_estimators::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct DoublyRobust {
    dim: usize,
    ridge: f64,
    implicit_exploration: f64,
    reward_models: Vec<OnlineRidge>,
}

impl DoublyRobust {
    /// Creates the estimator for `models` models and policy features of
    /// length `dim`, with ridge penalty [`DEFAULT_RIDGE`] and no implicit
    /// exploration.
    ///
    /// # Errors
    /// As [`DoublyRobust::with_parameters`].
    pub fn new(models: usize, dim: usize) -> Result<Self> {
        Self::with_parameters(models, dim, DEFAULT_RIDGE, 0.0)
    }

    /// Creates the estimator with ridge penalty `ridge` and implicit
    /// exploration `gamma_ix` (the drawn model's correction is divided by
    /// `p + gamma_ix`).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `models` or `dim` is 0, when
    /// `models * dim^2` floats cannot be allocated, when `ridge` is not
    /// finite and `> 0`, or when `gamma_ix` is not finite and `>= 0`.
    pub fn with_parameters(models: usize, dim: usize, ridge: f64, gamma_ix: f64) -> Result<Self> {
        at_least_one("models", models)?;
        at_least_one("dim", dim)?;
        check_ridge(ridge)?;
        check_implicit_exploration(gamma_ix)?;

        let mut reward_models = Vec::new();
        let too_large = Error::InvalidParameter {
            name: "dim",
            value: dim as f64,
            expected: "a dimension whose models x dim^2 reward-model floats fit in memory",
        };
        reward_models
            .try_reserve_exact(models)
            .map_err(|_| too_large.clone())?;
        for _ in 0..models {
            reward_models.push(OnlineRidge::new(dim, ridge).ok_or_else(|| too_large.clone())?);
        }
        Ok(Self {
            dim,
            ridge,
            implicit_exploration: gamma_ix,
            reward_models,
        })
    }

    /// Number of models.
    pub fn models(&self) -> usize {
        self.reward_models.len()
    }

    /// Length of the policy features `z`.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// Ridge penalty `lambda` of the reward models.
    pub fn ridge(&self) -> f64 {
        self.ridge
    }

    /// Implicit exploration `gamma_ix`.
    pub fn implicit_exploration(&self) -> f64 {
        self.implicit_exploration
    }

    /// Returns the number of rewards that model `model`'s regression has
    /// taken, or `None` for an index out of range.
    pub fn observations(&self, model: usize) -> Option<u64> {
        self.reward_models.get(model).map(OnlineRidge::observations)
    }

    /// Returns the reward model's predictions `q_m`, clipped to `[0, 1]`,
    /// for policy features `z`.
    ///
    /// # Errors
    /// [`Error::Shape`] when `z` does not have length [`DoublyRobust::dim`]
    /// or the state does not fit it (a damaged checkpoint), and
    /// [`Error::Feature`] for a non-finite feature.
    pub fn predict_rewards(&self, z: &[f64]) -> Result<Vec<f64>> {
        self.check_features(z)?;
        let mut predictions = vec![0.0; self.models()];
        self.fill_predictions(z, &mut predictions);
        Ok(predictions)
    }

    fn fill_predictions(&self, z: &[f64], out: &mut [f64]) {
        for (prediction, model) in out.iter_mut().zip(&self.reward_models) {
            *prediction = model.predict(z).clamp(0.0, 1.0);
        }
    }

    /// Checks `z` against the dimension, and the state against itself, so
    /// that a deserialized estimator with inconsistent parts fails here.
    fn check_features(&self, z: &[f64]) -> Result<()> {
        if z.len() != self.dim {
            return Err(Error::Shape {
                what: "policy features length",
                expected: self.dim,
                found: z.len(),
            });
        }
        if let Some((index, &value)) = z.iter().enumerate().find(|(_, v)| !v.is_finite()) {
            return Err(Error::Feature { index, value });
        }
        check_ridge(self.ridge)?;
        check_implicit_exploration(self.implicit_exploration)?;
        for model in &self.reward_models {
            model.check_dim(self.dim)?;
        }
        Ok(())
    }
}

impl Estimator for DoublyRobust {
    fn estimate(&mut self, feedback: &Feedback<'_>, out: &mut [f64]) -> Result<()> {
        feedback.validate()?;
        let models = self.models();
        if feedback.policy.len() != models {
            return Err(Error::Shape {
                what: "policy length",
                expected: models,
                found: feedback.policy.len(),
            });
        }
        check_out(out, models)?;
        let z = feedback.features.ok_or(Error::MissingFeatures)?;
        self.check_features(z)?;

        // `out` first contains the DR reward estimates rtilde.
        self.fill_predictions(z, out);
        let chosen = feedback.model;
        let correction =
            (feedback.reward - out[chosen]) / (feedback.propensity + self.implicit_exploration);
        out[chosen] += correction;

        let value: f64 = feedback
            .policy
            .iter()
            .zip(out.iter())
            .map(|(p, r)| p * r)
            .sum();
        for (c, &pi) in out.iter_mut().zip(feedback.policy) {
            *c = pi * (*c - value);
        }

        self.reward_models[chosen].update(z, feedback.reward);
        Ok(())
    }
}

fn at_least_one(name: &'static str, value: usize) -> Result<()> {
    if value == 0 {
        return Err(Error::InvalidParameter {
            name,
            value: 0.0,
            expected: "at least 1",
        });
    }
    Ok(())
}

fn check_ridge(ridge: f64) -> Result<()> {
    if !(ridge.is_finite() && ridge > 0.0) {
        return Err(Error::InvalidParameter {
            name: "ridge",
            value: ridge,
            expected: "a finite value > 0",
        });
    }
    Ok(())
}

fn check_implicit_exploration(gamma_ix: f64) -> Result<()> {
    if !(gamma_ix.is_finite() && gamma_ix >= 0.0) {
        return Err(Error::InvalidParameter {
            name: "gamma_ix",
            value: gamma_ix,
            expected: "a finite value >= 0",
        });
    }
    Ok(())
}
