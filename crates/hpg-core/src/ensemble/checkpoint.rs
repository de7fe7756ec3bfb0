//! Saving a radius ensemble to a checkpoint file and resuming from it.

use std::collections::BTreeSet;
use std::path::Path;

use hpg_estimators::Estimator;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{PendingRound, RadiusEnsemble};
use crate::{ExpectedConfig, Result};

impl<E: Estimator> RadiusEnsemble<E> {
    /// Saves the complete ensemble to `path` as a checkpoint.
    ///
    /// The file contains every copy as [`crate::Learner::save`] writes
    /// it, the radii, the copies' cumulative losses, the weights' learning
    /// rate, the random stream, the counters and the rounds that wait for
    /// their reward. An ensemble loaded from it makes the same decisions as
    /// this one. The write is atomic: a reader sees the old file or the new
    /// one, never a part.
    ///
    /// # Errors
    /// [`crate::Error::Io`] with [`hpg_io::Error::Io`] when the file cannot
    /// be written.
    ///
    /// # Examples
    /// ```
    /// use hpg_core::{ExpectedConfig, LearnerBuilder, RadiusEnsemble, Router};
    ///
    /// let dir = tempfile::tempdir().unwrap();
    /// let path = dir.path().join("ensemble.ckpt");
    /// let builder = LearnerBuilder::new(3, 2);
    /// let mut router = RadiusEnsemble::new(&builder, &[8.0, 32.0], 5)?;
    /// let decision = router.decide(&[0.5, 0.0, -0.5])?;
    /// router.observe(decision.ticket, 1.0, None)?;
    /// router.save(&path)?;
    ///
    /// let expected = ExpectedConfig { models: 2, input_dim: 3 };
    /// let mut resumed: RadiusEnsemble = RadiusEnsemble::load(&path, &expected)?;
    /// assert_eq!(resumed.observed(), 1);
    /// assert_eq!(resumed.weights(), router.weights());
    /// let query = [0.1, 0.2, 0.3];
    /// assert_eq!(resumed.decide(&query)?, router.decide(&query)?);
    /// # Ok::<(), hpg_core::Error>(())
    /// ```
    pub fn save(&self, path: &Path) -> Result<()>
    where
        Self: Serialize,
    {
        Ok(hpg_io::save_checkpoint(path, self)?)
    }

    /// Loads an ensemble saved by [`RadiusEnsemble::save`] and checks it
    /// against `expected` and against itself.
    ///
    /// # Errors
    /// [`crate::Error::Io`] wrapping the [`hpg_io::Error`] that names the
    /// file: [`hpg_io::Error::CheckpointMismatch`] when a copy's models or
    /// input dim differ from `expected`,
    /// [`hpg_io::Error::CheckpointInvalid`] for a state whose parts
    /// disagree, and the errors of [`hpg_io::load_checkpoint`] for a file
    /// that is missing, damaged or not a checkpoint.
    pub fn load(path: &Path, expected: &ExpectedConfig) -> Result<Self>
    where
        Self: DeserializeOwned,
    {
        let ensemble: Self = hpg_io::load_checkpoint(path)?;
        ensemble.check_loaded(&path.display().to_string(), expected)?;
        Ok(ensemble)
    }

    /// Checks an ensemble decoded from `file` against `expected` and
    /// against itself, so that no later call can panic on it.
    ///
    /// # Errors
    /// [`hpg_io::Error::CheckpointMismatch`] when a copy's models or input
    /// dim differ from `expected`, and [`hpg_io::Error::CheckpointInvalid`]
    /// with the first inconsistency in words.
    pub(crate) fn check_loaded(&self, file: &str, expected: &ExpectedConfig) -> hpg_io::Result<()> {
        for (index, copy) in self.copies.iter().enumerate() {
            copy.check_loaded(file, expected)
                .map_err(|error| match error {
                    hpg_io::Error::CheckpointInvalid { file, reason } => {
                        hpg_io::Error::CheckpointInvalid {
                            file,
                            reason: format!("copy {index}: {reason}"),
                        }
                    }
                    other => other,
                })?;
        }
        self.check_state(expected.models)
            .map_err(|reason| hpg_io::Error::CheckpointInvalid {
                file: file.to_owned(),
                reason,
            })
    }

    /// Checks the ensemble's own fields. The caller has checked the copies.
    fn check_state(&self, models: usize) -> std::result::Result<(), String> {
        let count = self.copies.len();
        if count == 0 {
            return Err("the ensemble has no copies".to_owned());
        }
        if self.radii.len() != count || self.losses.len() != count {
            return Err(format!(
                "the ensemble has {count} copies but {} radii and {} losses",
                self.radii.len(),
                self.losses.len()
            ));
        }
        if let Some((index, radius)) = find_invalid(&self.radii, |r| r > 0.0) {
            return Err(format!(
                "the radius of copy {index} is {radius}, not a finite value > 0"
            ));
        }
        if let Some((index, loss)) = find_invalid(&self.losses, |l| l >= 0.0) {
            return Err(format!(
                "the loss of copy {index} is {loss}, not a finite value >= 0"
            ));
        }
        if !(self.weight_rate.is_finite() && self.weight_rate > 0.0) {
            return Err(format!(
                "the weight rate is {}, not a finite value > 0",
                self.weight_rate
            ));
        }

        // `decide` and `observe` add 1 to these counters, which must not
        // overflow.
        let accounted = self.observed.checked_add(self.pending.len() as u64);
        if self.next_ticket == u64::MAX || accounted.is_none_or(|total| total > self.next_ticket) {
            return Err(format!(
                "{} observed and {} pending rounds do not fit the ticket counter {}",
                self.observed,
                self.pending.len(),
                self.next_ticket
            ));
        }

        self.check_distinct_tickets()?;
        for (&ticket, round) in &self.pending {
            self.check_round(ticket, round, models)?;
        }
        Ok(())
    }

    /// Checks one round that waits for its reward against the copies.
    fn check_round(
        &self,
        ticket: u64,
        round: &PendingRound,
        models: usize,
    ) -> std::result::Result<(), String> {
        let count = self.copies.len();
        if ticket >= self.next_ticket {
            return Err(format!(
                "pending round {ticket} was never issued, because the next ticket is {}",
                self.next_ticket
            ));
        }
        if round.model >= models {
            return Err(format!(
                "pending round {ticket} drew model {} of {models}",
                round.model
            ));
        }
        if round.tickets.len() != count || round.ratios.len() != count {
            return Err(format!(
                "pending round {ticket} has {} copy tickets and {} ratios for {count} copies",
                round.tickets.len(),
                round.ratios.len()
            ));
        }
        if let Some((index, ratio)) = find_invalid(&round.ratios, |r| r >= 0.0) {
            return Err(format!(
                "pending round {ticket}: the ratio of copy {index} is {ratio}, not a finite value >= 0"
            ));
        }

        let copy_tickets = self.copies.iter().zip(&round.tickets).enumerate();
        for (index, (copy, copy_ticket)) in copy_tickets {
            let Some(decision) = copy.pending.get(&copy_ticket.0) else {
                return Err(format!(
                    "pending round {ticket}: copy {index} has no pending decision {}",
                    copy_ticket.0
                ));
            };
            if decision.model != round.model {
                return Err(format!(
                    "pending round {ticket} drew model {}, but copy {index} recorded model {}",
                    round.model, decision.model
                ));
            }
        }
        Ok(())
    }

    /// Checks that no two pending rounds share a copy's ticket, because
    /// observing the first would leave the second without a decision.
    fn check_distinct_tickets(&self) -> std::result::Result<(), String> {
        for index in 0..self.copies.len() {
            let mut seen = BTreeSet::new();
            for (&ticket, round) in &self.pending {
                let copy_ticket = round.tickets.get(index).map(|t| t.0);
                if !seen.insert(copy_ticket) {
                    return Err(format!(
                        "pending round {ticket} reuses a ticket of copy {index} that an earlier round holds"
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Returns the first value that is not finite or fails `valid`, with its
/// index.
fn find_invalid(values: &[f64], valid: impl Fn(f64) -> bool) -> Option<(usize, f64)> {
    values
        .iter()
        .copied()
        .enumerate()
        .find(|&(_, value)| !(value.is_finite() && valid(value)))
}
