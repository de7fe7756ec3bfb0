//! Disjoint LinUCB: one ridge regression per model and an upper
//! confidence bound on each prediction.

use super::features::Regressors;
use super::ridge::Ridge;
use super::tickets::TicketBook;
use super::{argmax, check_models, check_non_negative, one_hot, BaselineOptions};
use crate::router::Router;
use crate::{Decision, Result, Ticket};

/// Default weight `alpha` of the confidence bonus.
///
/// The rewards lie in `[0, 1]` and `||z|| <= 1`, so a prediction and its
/// width `sqrt(z^T A^{-1} z)` (at most `1 / sqrt(lambda)`) are on the same
/// scale. With `lambda = 1`, `alpha = 1` gives an untried model a bonus
/// of `||z||`, between 0.7 and 1, close to the whole reward range. It is a
/// common untuned choice.
pub const DEFAULT_ALPHA: f64 = 1.0;

/// Disjoint LinUCB router (`linucb`): each model `m` has its own ridge
/// regression [`Ridge`] of the reward on `z`, and a query goes to the model
/// with the largest `theta_m^T z + alpha sqrt(z^T A_m^{-1} z)`, the lowest
/// index among ties.
///
/// Decisions are deterministic, so each [`Decision::probability`] is 1.
/// [`Router::probabilities`] returns the greedy choice by
/// `theta_m^T z` alone, without the bonus, because that is the policy one
/// would deploy once learning stops. A decision costs `O(M d^2)` time for
/// the `M` widths and an observation `O(d^2)`, with `d` the length of `z`.
///
/// # Examples
/// ```
/// use hpg_core::baselines::LinUcb;
/// use hpg_core::Router;
///
/// let mut router = LinUcb::new(1, 2)?;
/// for round in 0..200 {
///     let x = [if round % 2 == 0 { 1.0 } else { -1.0 }];
///     let decision = router.decide(&x)?;
///     // Model 0 is right for positive x, model 1 for negative x.
///     let right = usize::from(x[0] < 0.0);
///     router.observe(decision.ticket, f64::from(decision.model == right), None)?;
/// }
/// assert_eq!(router.probabilities(&[1.0])?, [1.0, 0.0]);
/// assert_eq!(router.probabilities(&[-1.0])?, [0.0, 1.0]);
/// # Ok::<(), hpg_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct LinUcb {
    regressors: Regressors,
    ridges: Vec<Ridge>,
    alpha: f64,
    tickets: TicketBook,
}

impl LinUcb {
    /// Creates the router for router features of length `input_dim` and
    /// `models` models, with [`DEFAULT_ALPHA`] and
    /// [`DEFAULT_LAMBDA`](super::DEFAULT_LAMBDA).
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when `input_dim` or `models` is 0, or the
    /// regressions cannot be allocated.
    pub fn new(input_dim: usize, models: usize) -> Result<Self> {
        Self::with_options(input_dim, models, &BaselineOptions::default())
    }

    /// Creates the router with `options.alpha` and `options.lambda`.
    ///
    /// # Errors
    /// As [`LinUcb::new`], and [`crate::Error::InvalidParameter`] for a negative
    /// or non-finite `alpha` or an invalid `lambda`.
    pub fn with_options(
        input_dim: usize,
        models: usize,
        options: &BaselineOptions,
    ) -> Result<Self> {
        check_models(models)?;
        check_non_negative("alpha", options.alpha)?;

        let regressors = Regressors::linear(input_dim)?;
        let ridges = (0..models)
            .map(|_| Ridge::new(regressors.output_dim(), options.lambda))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            regressors,
            ridges,
            alpha: options.alpha,
            tickets: TicketBook::default(),
        })
    }

    /// Weight of the confidence bonus.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Returns each model's regression, in model order.
    pub fn ridges(&self) -> &[Ridge] {
        &self.ridges
    }

    /// Number of decisions still waiting for their reward.
    pub fn pending(&self) -> usize {
        self.tickets.open()
    }

    /// Returns each model's upper confidence bound
    /// `theta_m^T z + alpha sqrt(z^T A_m^{-1} z)` for router features `x`.
    ///
    /// # Errors
    /// A feature error for a wrong length or a non-finite feature.
    pub fn scores(&self, x: &[f64]) -> Result<Vec<f64>> {
        let z = self.regressors.compute_new(x)?;
        let alpha = self.alpha;
        Ok(self
            .ridges
            .iter()
            .map(|ridge| upper_bound(ridge, &z, alpha))
            .collect())
    }
}

impl Router for LinUcb {
    fn name(&self) -> &str {
        "linucb"
    }

    fn models(&self) -> usize {
        self.ridges.len()
    }

    fn decide(&mut self, x: &[f64]) -> Result<Decision> {
        let z = self.regressors.compute(x)?;
        let alpha = self.alpha;
        let model = argmax(self.ridges.iter().map(|ridge| upper_bound(ridge, z, alpha)));

        let ticket = self.tickets.issue(model, z);
        Ok(Decision {
            model,
            probability: 1.0,
            ticket,
        })
    }

    fn observe(&mut self, ticket: Ticket, reward: f64, _all_rewards: Option<&[f64]>) -> Result<()> {
        let (model, z) = self.tickets.get(ticket)?;
        hpg_estimators::check_reward(model, reward)?;
        let models = self.ridges.len();
        let ridge = self
            .ridges
            .get_mut(model)
            .ok_or(hpg_policy::Error::ModelIndex {
                index: model,
                models,
            })?;

        ridge.update_unchecked(z, reward);
        self.tickets.close(ticket);
        Ok(())
    }

    fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>> {
        let z = self.regressors.compute_new(x)?;
        let greedy = argmax(self.ridges.iter().map(|ridge| ridge.predict_unchecked(&z)));
        Ok(one_hot(self.ridges.len(), greedy))
    }
}

/// Returns `theta^T z + alpha sqrt(z^T A^{-1} z)` for a checked `z`.
fn upper_bound(ridge: &Ridge, z: &[f64], alpha: f64) -> f64 {
    ridge.predict_unchecked(z) + alpha * ridge.width_unchecked(z)
}
