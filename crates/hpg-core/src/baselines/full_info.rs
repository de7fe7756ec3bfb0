//! The full-information reference: ridge regressions trained on every
//! model's reward.

use super::features::Regressors;
use super::ridge::{axpy, dot, zeros, InverseGram};
use super::tickets::TicketBook;
use super::{argmax, check_models, one_hot, BaselineOptions};
use crate::error::invalid;
use crate::router::Router;
use crate::{Decision, Error, Result, Ticket};

/// Full-information reference router (`full-info`): a ridge regression of
/// each model's reward on `z`, trained in every round on the rewards of
/// all models, with greedy decisions (the lowest index among ties).
///
/// It is not a bandit algorithm, because it needs the reward of every
/// model, which a deployed router does not observe. It shows what the
/// regression class reaches without the cost of exploration.
/// [`Router::full_information`] returns `true`, so [`crate::run()`] passes it
/// every reward.
///
/// All `M` regressions see the same `z` in every round, so they share one
/// Gram matrix `A = lambda I + sum z z^T` and differ only in
/// `b_m = sum r_m z`. An observation thus costs `O(d^2 + M d)` time, not
/// `O(M d^2)`, and a decision `O(M d)`. Decisions are deterministic, so
/// each [`Decision::probability`] is 1.
///
/// # Examples
/// ```
/// use hpg_core::baselines::FullInformationRidge;
/// use hpg_core::Router;
///
/// let mut router = FullInformationRidge::new(1, 2)?;
/// for round in 0..100 {
///     let x = [if round % 2 == 0 { 1.0 } else { -1.0 }];
///     let decision = router.decide(&x)?;
///     // Model 0 is right for positive x, model 1 for negative x.
///     let rewards = if x[0] > 0.0 { [1.0, 0.0] } else { [0.0, 1.0] };
///     router.observe(decision.ticket, rewards[decision.model], Some(&rewards))?;
/// }
/// assert_eq!(router.probabilities(&[1.0])?, [1.0, 0.0]);
/// let decision = router.decide(&[1.0])?;
/// assert!(router.observe(decision.ticket, 1.0, None).is_err());
/// # Ok::<(), hpg_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct FullInformationRidge {
    regressors: Regressors,
    gram: InverseGram,
    models: usize,
    /// `theta_m = A^{-1} b_m` for each model, as rows of an `M x d` matrix.
    weights: Vec<f64>,
    /// `r_m - theta_m^T z` of the current observation.
    residuals: Vec<f64>,
    tickets: TicketBook,
}

impl FullInformationRidge {
    /// Creates the router for router features of length `input_dim` and
    /// `models` models, with [`DEFAULT_LAMBDA`](super::DEFAULT_LAMBDA).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `input_dim` or `models` is 0, or the
    /// regressions cannot be allocated.
    pub fn new(input_dim: usize, models: usize) -> Result<Self> {
        Self::with_options(input_dim, models, &BaselineOptions::default())
    }

    /// Creates the router with `options.lambda`.
    ///
    /// # Errors
    /// As [`FullInformationRidge::new`], and [`Error::InvalidParameter`]
    /// for an invalid `lambda`.
    pub fn with_options(
        input_dim: usize,
        models: usize,
        options: &BaselineOptions,
    ) -> Result<Self> {
        check_models(models)?;
        let regressors = Regressors::linear(input_dim)?;
        let dim = regressors.output_dim();

        Ok(Self {
            gram: InverseGram::new(dim, options.lambda)?,
            weights: zeros(models, dim)?,
            residuals: vec![0.0; models],
            regressors,
            models,
            tickets: TicketBook::default(),
        })
    }

    /// Returns the weights `theta_m` of model `model`, or `None` when
    /// `model` is out of range.
    pub fn weights(&self, model: usize) -> Option<&[f64]> {
        self.weights
            .chunks_exact(self.regressors.output_dim())
            .nth(model)
    }

    /// Number of decisions still waiting for their reward.
    pub fn pending(&self) -> usize {
        self.tickets.open()
    }

    /// Checks that `all_rewards` has one reward in `[0, 1]` per model.
    fn check_rewards<'a>(&self, all_rewards: Option<&'a [f64]>) -> Result<&'a [f64]> {
        let rewards = all_rewards.ok_or_else(|| {
            invalid(
                "all_rewards",
                "None".to_owned(),
                "every model's reward in each observe, because full-info is a \
                 full-information reference; use a bandit router where only the chosen \
                 model's reward is known",
            )
        })?;
        if rewards.len() != self.models {
            return Err(Error::LengthMismatch {
                what: "all_rewards",
                expected: self.models,
                found: rewards.len(),
                unit: "model",
            });
        }
        for (model, &reward) in rewards.iter().enumerate() {
            hpg_estimators::check_reward(model, reward)?;
        }
        Ok(rewards)
    }
}

impl Router for FullInformationRidge {
    fn name(&self) -> &str {
        "full-info"
    }

    fn models(&self) -> usize {
        self.models
    }

    fn decide(&mut self, x: &[f64]) -> Result<Decision> {
        let z = self.regressors.compute(x)?;
        let dim = z.len();
        let model = argmax(self.weights.chunks_exact(dim).map(|theta| dot(theta, z)));

        let ticket = self.tickets.issue(model, z);
        Ok(Decision {
            model,
            probability: 1.0,
            ticket,
        })
    }

    /// Learns from every reward in `all_rewards`. `reward` is only checked
    /// to lie in `[0, 1]`.
    fn observe(&mut self, ticket: Ticket, reward: f64, all_rewards: Option<&[f64]>) -> Result<()> {
        let (model, z) = self.tickets.get(ticket)?;
        hpg_estimators::check_reward(model, reward)?;
        let rewards = self.check_rewards(all_rewards)?;
        let dim = z.len();

        // Residuals use the weights before the update, as in recursive
        // least squares: theta_m' = theta_m + A'^{-1} z (r_m - theta_m^T z).
        let rows = self.weights.chunks_exact(dim);
        for ((residual, &r), theta) in self.residuals.iter_mut().zip(rewards).zip(rows) {
            *residual = r - dot(theta, z);
        }

        let gain = self.gram.update(z);
        let rows = self.weights.chunks_exact_mut(dim);
        for (theta, &residual) in rows.zip(&self.residuals) {
            axpy(residual, gain, theta);
        }
        self.tickets.close(ticket);
        Ok(())
    }

    fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>> {
        let z = self.regressors.compute_new(x)?;
        let model = argmax(
            self.weights
                .chunks_exact(z.len())
                .map(|theta| dot(theta, &z)),
        );
        Ok(one_hot(self.models, model))
    }

    fn full_information(&self) -> bool {
        true
    }
}
