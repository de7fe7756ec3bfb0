//! The online learner: decide, observe, update.

mod builder;
#[cfg(feature = "io")]
mod checkpoint;
pub mod defaults;
mod step;
mod ticket;

use std::collections::BTreeMap;

use hpg_estimators::{Estimator, Feedback};
use hpg_policy::{mix_uniform, sample, FeatureMap, Policy};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

#[cfg(feature = "estimators")]
pub use builder::HpgDoublyRobust;
pub use builder::{Bias, EuclideanPg, Hpg, LearnerBuilder};
#[cfg(feature = "io")]
pub use checkpoint::ExpectedConfig;
pub use step::AdaGradNorm;
use ticket::Pending;
pub use ticket::{Decision, Ticket};

use crate::{Error, Result};

/// An online router trained by mirror ascent from bandit feedback.
///
/// Generic over the feature map `F`, the policy class `P` (which carries
/// the mirror map and the constraint) and the gradient estimator `E`.
/// Build one with [`LearnerBuilder`]. With the `io` feature,
/// [`Learner::save`] and [`Learner::load`] keep it in a checkpoint file.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Learner<F: FeatureMap, P: Policy, E: Estimator> {
    pub(crate) features: F,
    pub(crate) policy: P,
    pub(crate) estimator: E,
    pub(crate) step: AdaGradNorm,
    pub(crate) exploration: f64,
    pub(crate) batch_size: usize,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) next_ticket: u64,
    pub(crate) pending: BTreeMap<u64, Pending>,
    pub(crate) batch: Vec<(Vec<f64>, Vec<f64>)>,
    pub(crate) observed: u64,
}

impl<F: FeatureMap, P: Policy, E: Estimator> Learner<F, P, E> {
    pub(crate) fn assemble(
        features: F,
        policy: P,
        estimator: E,
        step: AdaGradNorm,
        exploration: f64,
        batch_size: usize,
        seed: u64,
    ) -> Self {
        Self {
            features,
            policy,
            estimator,
            step,
            exploration,
            batch_size,
            rng: ChaCha8Rng::seed_from_u64(seed),
            next_ticket: 0,
            pending: BTreeMap::new(),
            batch: Vec::new(),
            observed: 0,
        }
    }

    /// Number of models.
    pub fn models(&self) -> usize {
        self.policy.models()
    }

    /// Length of the router features `x`.
    pub fn input_dim(&self) -> usize {
        self.features.input_dim()
    }

    /// Returns the policy being trained.
    pub fn policy(&self) -> &P {
        &self.policy
    }

    /// Number of rewards observed so far.
    pub fn observed(&self) -> u64 {
        self.observed
    }

    /// Decisions still waiting for their reward.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Computes the policy's probabilities `pi(. | x)`, without exploration and
    /// without drawing.
    ///
    /// # Errors
    /// [`Error::Policy`] for a wrong length or a non-finite feature.
    pub fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>> {
        let z = self.features.map(x)?;
        let mut pi = vec![0.0; self.models()];
        self.policy.probabilities(&z, &mut pi)?;
        Ok(pi)
    }

    /// Draws the model that should serve a query with router features `x`.
    ///
    /// # Errors
    /// [`Error::Policy`] for a wrong length or a non-finite feature; the
    /// learner is unchanged then.
    pub fn decide(&mut self, x: &[f64]) -> Result<Decision> {
        let (z, policy) = self.evaluate(x)?;
        let mut sampling = policy.clone();
        mix_uniform(&mut sampling, self.exploration);

        let (model, probability) =
            sample(&sampling, &mut self.rng).ok_or(Error::InvalidParameter {
                name: "models",
                value: "0".to_owned(),
                expected: "at least one model",
            })?;
        let ticket = self.register(z, policy, model, probability);
        Ok(Decision {
            model,
            probability,
            ticket,
        })
    }

    /// Registers a decision that another policy made, such as a logging
    /// system or an ensemble that contains this learner: `model` served a
    /// query with router features `x` and was drawn with probability
    /// `propensity`. [`Learner::observe`] on the returned ticket then
    /// learns from the reward with the importance weight
    /// `pi(model | x) / propensity`, which keeps REINFORCE unbiased for
    /// this learner's own policy. A propensity below
    /// [`defaults::MIN_PROPENSITY`] is raised to it, which biases the
    /// estimate on such rare decisions but keeps one of them from stalling
    /// the step size.
    ///
    /// # Errors
    /// [`Error::Policy`] for a wrong length or a non-finite feature, and
    /// [`Error::InvalidParameter`] for a model index out of range or a
    /// propensity outside `(0, 1]`. The learner is unchanged then.
    pub fn record(&mut self, x: &[f64], model: usize, propensity: f64) -> Result<Ticket> {
        if model >= self.models() {
            let value = format!("{model} (with {} models)", self.models());
            return Err(crate::error::invalid(
                "model",
                value,
                "an index below the model count",
            ));
        }
        if !(propensity > 0.0 && propensity <= 1.0) {
            let value = propensity.to_string();
            return Err(crate::error::invalid(
                "propensity",
                value,
                "a probability in (0, 1]",
            ));
        }

        let (z, policy) = self.evaluate(x)?;
        let propensity = propensity.max(defaults::MIN_PROPENSITY);
        Ok(self.register(z, policy, model, propensity))
    }

    /// Maps `x` to the policy features `z` and computes `pi(. | x)`.
    pub(crate) fn evaluate(&self, x: &[f64]) -> Result<(Vec<f64>, Vec<f64>)> {
        let z = self.features.map(x)?;
        let mut policy = vec![0.0; self.models()];
        self.policy.probabilities(&z, &mut policy)?;
        Ok((z, policy))
    }

    /// Stores a decision until its reward arrives; the caller has checked
    /// `model` and `propensity`.
    pub(crate) fn register(
        &mut self,
        features: Vec<f64>,
        policy: Vec<f64>,
        model: usize,
        propensity: f64,
    ) -> Ticket {
        let ticket = Ticket(self.next_ticket);
        self.next_ticket += 1;
        self.pending.insert(
            ticket.0,
            Pending {
                features,
                policy,
                model,
                propensity,
            },
        );
        ticket
    }

    /// Learns from the reward of the model chosen for `ticket`. Rewards may
    /// arrive late and in any order.
    ///
    /// # Errors
    /// [`Error::UnknownTicket`] for a ticket not pending, and
    /// [`Error::Estimator`] for a reward outside `[0, 1]` or NaN. On error
    /// the learner is unchanged and the ticket stays pending.
    pub fn observe(&mut self, ticket: Ticket, reward: f64) -> Result<()> {
        self.observe_with(ticket, reward, None)
    }

    /// As [`Learner::observe`], also passing every model's reward, for
    /// estimators that use them (the full-information reference). Every
    /// estimator also receives the policy features `z` of the decision.
    ///
    /// # Errors
    /// As [`Learner::observe`].
    pub fn observe_with(
        &mut self,
        ticket: Ticket,
        reward: f64,
        all_rewards: Option<&[f64]>,
    ) -> Result<()> {
        let pending = self
            .pending
            .get(&ticket.0)
            .ok_or(Error::UnknownTicket { ticket: ticket.0 })?;
        let feedback = Feedback {
            model: pending.model,
            reward,
            propensity: pending.propensity,
            policy: &pending.policy,
            all_rewards,
            features: Some(&pending.features),
        };
        let mut estimator = self.estimator.clone();
        let mut coefficients = vec![0.0; self.models()];
        estimator.estimate(&feedback, &mut coefficients)?;

        let mut step = self.step;
        let largest = coefficients.iter().fold(0.0_f64, |m, c| m.max(c.abs()));
        let eta = step.next(largest * self.policy.direction_norm(&pending.features));
        coefficients.iter_mut().for_each(|c| *c *= eta);

        self.batch.push((pending.features.clone(), coefficients));
        if self.batch.len() >= self.batch_size {
            if let Err(error) = self.flush() {
                self.batch.pop();
                return Err(error);
            }
        }

        self.estimator = estimator;
        self.step = step;
        self.pending.remove(&ticket.0);
        self.observed += 1;
        Ok(())
    }

    /// Applies the observations collected in the current mini-batch now.
    ///
    /// # Errors
    /// A linear-algebra failure; the batch is kept then.
    pub fn flush(&mut self) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let features: Vec<&[f64]> = self.batch.iter().map(|(z, _)| z.as_slice()).collect();
        let coefficients: Vec<f64> = self
            .batch
            .iter()
            .flat_map(|(_, c)| c.iter().copied())
            .collect();
        self.policy.ascend(&coefficients, &features)?;
        self.batch.clear();
        Ok(())
    }
}
