//! Saving a learner to a checkpoint file and resuming from it.

use std::path::Path;

use hpg_estimators::Estimator;
use hpg_policy::{FeatureMap, Policy};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Learner;
use crate::Result;

/// The configuration that a caller expects a loaded checkpoint to have.
///
/// [`Learner::load`] compares each field with the checkpoint and fails on
/// the first that differs, so a learner saved for other data is never
/// resumed by mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpectedConfig {
    /// Number of models.
    pub models: usize,
    /// Length of the router features `x`.
    pub input_dim: usize,
}

impl<F: FeatureMap, P: Policy, E: Estimator> Learner<F, P, E> {
    /// Saves the complete learner to `path` as a checkpoint.
    ///
    /// The file contains the configuration: feature map, policy class,
    /// mirror map, constraint, step scale, exploration and batch size. It
    /// also contains the state: duals, step accumulator, baseline, random
    /// stream, pending decisions, current mini-batch and counters. A
    /// learner loaded from it makes the same decisions as this one. The write is
    /// atomic: a reader sees the old file or the new one, never a part.
    ///
    /// # Errors
    /// [`crate::Error::Io`] with [`hpg_io::Error::Io`] when the file cannot
    /// be written.
    ///
    /// # Examples
    /// ```
    /// use hpg_core::{ExpectedConfig, Hpg, LearnerBuilder};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("router.ckpt");
    /// let mut router = LearnerBuilder::new(3, 2).seed(5).build()?;
    /// let decision = router.decide(&[0.5, 0.0, -0.5])?;
    /// router.observe(decision.ticket, 1.0)?;
    /// router.save(&path)?;
    ///
    /// let expected = ExpectedConfig { models: 2, input_dim: 3 };
    /// let mut resumed = Hpg::load(&path, &expected)?;
    /// assert_eq!(resumed.observed(), 1);
    /// let query = [0.1, 0.2, 0.3];
    /// assert_eq!(resumed.probabilities(&query)?, router.probabilities(&query)?);
    /// assert_eq!(resumed.decide(&query)?, router.decide(&query)?);
    /// # Ok::<(), hpg_core::Error>(())
    /// ```
    pub fn save(&self, path: &Path) -> Result<()>
    where
        Self: Serialize,
    {
        Ok(hpg_io::save_checkpoint(path, self)?)
    }

    /// Loads a learner saved by [`Learner::save`] and checks it against
    /// `expected` and against itself.
    ///
    /// # Errors
    /// [`crate::Error::Io`] wrapping the [`hpg_io::Error`] that names the
    /// file: [`hpg_io::Error::CheckpointMismatch`] naming the first field
    /// of `expected` that differs, [`hpg_io::Error::CheckpointInvalid`]
    /// for a state whose parts disagree, and the errors of
    /// [`hpg_io::load_checkpoint`] for a file that is missing, damaged or
    /// not a checkpoint.
    pub fn load(path: &Path, expected: &ExpectedConfig) -> Result<Self>
    where
        Self: DeserializeOwned,
    {
        let learner: Self = hpg_io::load_checkpoint(path)?;
        learner.check_loaded(&path.display().to_string(), expected)?;
        Ok(learner)
    }

    /// Checks a learner decoded from `file` against `expected` and against
    /// itself.
    ///
    /// # Errors
    /// [`hpg_io::Error::CheckpointMismatch`] naming the first field of
    /// `expected` that differs, and [`hpg_io::Error::CheckpointInvalid`]
    /// for a state whose parts disagree.
    pub(crate) fn check_loaded(&self, file: &str, expected: &ExpectedConfig) -> hpg_io::Result<()> {
        hpg_io::check_checkpoint_field(file, "models", &expected.models, &self.models())?;
        hpg_io::check_checkpoint_field(file, "input dim", &expected.input_dim, &self.input_dim())?;
        self.check_state()
            .map_err(|reason| hpg_io::Error::CheckpointInvalid {
                file: file.to_owned(),
                reason,
            })
    }

    /// Checks that the parts of a deserialized learner agree with each
    /// other, so that no later call can panic on them. Returns the first
    /// inconsistency in words.
    // NOTE: the estimator's state (baseline, implicit exploration) is not
    // checked. A forged non-finite value there makes later updates return
    // errors, because the policy rejects non-finite coefficients.
    fn check_state(&self) -> std::result::Result<(), String> {
        self.policy
            .check_state()
            .map_err(|error| error.to_string())?;
        let dim = self.features.output_dim();
        let models = self.policy.models();
        if self.policy.dim() != dim {
            return Err(format!(
                "the policy has dimension {} but the feature map outputs {dim}",
                self.policy.dim()
            ));
        }
        let probe = self
            .features
            .map(&vec![0.0; self.features.input_dim()])
            .map_err(|error| format!("the feature map fails on zeros: {error}"))?;
        if probe.iter().any(|z| !z.is_finite()) {
            return Err("the feature map outputs non-finite values".to_owned());
        }
        if !(0.0..1.0).contains(&self.exploration) {
            return Err(format!(
                "exploration {} is outside [0, 1)",
                self.exploration
            ));
        }
        if !self.step.is_valid() {
            return Err(format!("the step size {:?} is invalid", self.step));
        }
        if self.batch_size == 0 || self.batch.len() >= self.batch_size {
            return Err(format!(
                "{} observations wait in a mini-batch of size {}",
                self.batch.len(),
                self.batch_size
            ));
        }
        // `decide` and `observe` add 1 to these counters, which must not
        // overflow.
        let accounted = self.observed.checked_add(self.pending.len() as u64);
        if self.next_ticket == u64::MAX || accounted.is_none_or(|count| count > self.next_ticket) {
            return Err(format!(
                "{} observed and {} pending decisions do not fit the ticket counter {}",
                self.observed,
                self.pending.len(),
                self.next_ticket
            ));
        }
        self.check_pending(dim, models)?;
        self.check_batch(dim, models)
    }

    /// Checks the decisions that wait for their reward.
    fn check_pending(&self, dim: usize, models: usize) -> std::result::Result<(), String> {
        for (&ticket, pending) in &self.pending {
            let valid = ticket < self.next_ticket
                && pending.features.len() == dim
                && pending.policy.len() == models
                && pending.model < models
                && pending.propensity > 0.0
                && pending.propensity <= 1.0
                && all_finite(&pending.features)
                && all_finite(&pending.policy);
            if !valid {
                return Err(format!("pending decision {ticket} is invalid"));
            }
        }
        Ok(())
    }

    /// Checks the observations collected in the current mini-batch.
    fn check_batch(&self, dim: usize, models: usize) -> std::result::Result<(), String> {
        for (index, (features, coefficients)) in self.batch.iter().enumerate() {
            let valid = features.len() == dim
                && coefficients.len() == models
                && all_finite(features)
                && all_finite(coefficients);
            if !valid {
                return Err(format!("mini-batch entry {index} is invalid"));
            }
        }
        Ok(())
    }
}

fn all_finite(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite())
}
