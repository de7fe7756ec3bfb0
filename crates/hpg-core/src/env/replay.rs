//! Replay of a reward table: the standard conversion of a supervised data
//! set (every model's reward on every query) into a bandit problem.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::{Environment, Round};
use crate::error::invalid;
use crate::{Error, Result};

/// Order of the training rows within a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// A new random permutation for every pass.
    Shuffled,
    /// The order of the file, the same in every pass.
    File,
}

/// Validated construction of a [`Replay`] environment.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplayBuilder {
    features: Vec<f64>,
    dim: usize,
    rewards: Vec<f64>,
    models: usize,
    model_names: Option<Vec<String>>,
    order: Order,
    passes: usize,
    holdout: f64,
    seed: u64,
}

impl ReplayBuilder {
    /// Starts a replay of `features` (row-major, `dim` values per query)
    /// and `rewards` (row-major, `models` values per query, same row
    /// order), shuffled, one pass, nothing held out, seed 0.
    pub fn new(features: Vec<f64>, dim: usize, rewards: Vec<f64>, models: usize) -> Self {
        Self {
            features,
            dim,
            rewards,
            models,
            model_names: None,
            order: Order::Shuffled,
            passes: 1,
            holdout: 0.0,
            seed: 0,
        }
    }

    /// Names of the models, one per reward column.
    pub fn model_names(mut self, names: Vec<String>) -> Self {
        self.model_names = Some(names);
        self
    }

    /// Order of the training rows within a pass.
    pub fn order(mut self, order: Order) -> Self {
        self.order = order;
        self
    }

    /// Number of passes over the training rows, at least 1.
    pub fn passes(mut self, passes: usize) -> Self {
        self.passes = passes;
        self
    }

    /// Fraction in `[0, 1)` of the queries held out of training. The count
    /// is rounded up, so any positive fraction holds out at least one row,
    /// and at least one row must remain for training.
    pub fn holdout(mut self, fraction: f64) -> Self {
        self.holdout = fraction;
        self
    }

    /// Seed of the holdout split and of the shuffling.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Checks the table and the options and splits off the held-out rows.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an option out of range,
    /// [`Error::LengthMismatch`] when the lengths do not fit the row count,
    /// and [`Error::InvalidValue`] naming the row and column of the first
    /// non-finite feature or of a reward outside `[0, 1]`.
    pub fn build(self) -> Result<Replay> {
        let rows = self.validate_shape()?;
        self.validate_values()?;
        self.validate_options(rows)?;

        let mut split_rng = ChaCha8Rng::seed_from_u64(self.seed);
        let mut permutation: Vec<usize> = (0..rows).collect();
        permutation.shuffle(&mut split_rng);

        let held_out_count = (self.holdout * rows as f64).ceil() as usize;
        let mut held_out = permutation[..held_out_count].to_vec();
        let mut training = permutation[held_out_count..].to_vec();
        held_out.sort_unstable();
        training.sort_unstable();

        // A second stream of the same seed orders the rows, so the split
        // does not depend on the order or the number of passes.
        let mut order_rng = ChaCha8Rng::seed_from_u64(self.seed);
        order_rng.set_stream(1);

        let model_names = self.names();
        Ok(Replay {
            features: self.features,
            dim: self.dim,
            rewards: self.rewards,
            models: self.models,
            model_names,
            order: self.order,
            passes: self.passes,
            rng: order_rng,
            training,
            held_out,
            pass_rows: Vec::new(),
            next_in_pass: 0,
            emitted: 0,
        })
    }

    /// Returns the number of rows.
    fn validate_shape(&self) -> Result<usize> {
        if self.dim == 0 {
            return Err(invalid(
                "dim",
                "0".to_owned(),
                "at least 1 feature per query",
            ));
        }
        if self.models == 0 {
            return Err(invalid("models", "0".to_owned(), "at least 1 model"));
        }
        let rows = self.features.len() / self.dim;
        if rows == 0 || rows * self.dim != self.features.len() {
            return Err(invalid(
                "features length",
                self.features.len().to_string(),
                "a positive multiple of dim",
            ));
        }
        let expected_rewards = rows.saturating_mul(self.models);
        if self.rewards.len() != expected_rewards {
            return Err(Error::LengthMismatch {
                what: "the reward table",
                expected: expected_rewards,
                found: self.rewards.len(),
                unit: "model and feature row",
            });
        }
        if let Some(names) = &self.model_names {
            if names.len() != self.models {
                return Err(Error::LengthMismatch {
                    what: "the list of model names",
                    expected: self.models,
                    found: names.len(),
                    unit: "reward column",
                });
            }
        }
        Ok(rows)
    }

    fn validate_values(&self) -> Result<()> {
        if let Some(index) = self.features.iter().position(|v| !v.is_finite()) {
            return Err(Error::InvalidValue {
                what: "feature",
                row: index / self.dim,
                column: index % self.dim,
                value: self.features[index],
                expected: "a finite number",
            });
        }
        if let Some(index) = self.rewards.iter().position(|r| !(0.0..=1.0).contains(r)) {
            return Err(Error::InvalidValue {
                what: "reward",
                row: index / self.models,
                column: index % self.models,
                value: self.rewards[index],
                expected: "a reward in [0, 1]",
            });
        }
        Ok(())
    }

    fn validate_options(&self, rows: usize) -> Result<()> {
        if self.passes == 0 {
            return Err(invalid("passes", "0".to_owned(), "at least 1"));
        }
        if !(0.0..1.0).contains(&self.holdout) {
            return Err(invalid(
                "holdout",
                self.holdout.to_string(),
                "a fraction in [0, 1)",
            ));
        }
        let held_out = (self.holdout * rows as f64).ceil() as usize;
        if held_out >= rows {
            return Err(invalid(
                "holdout",
                format!("{} of {rows} rows", self.holdout),
                "a fraction that leaves at least one row for training",
            ));
        }
        Ok(())
    }

    fn names(&self) -> Vec<String> {
        match &self.model_names {
            Some(names) => names.clone(),
            None => (0..self.models).map(|m| format!("model{m}")).collect(),
        }
    }
}

/// Replays the rows of a reward table as rounds. Build it with
/// [`ReplayBuilder`].
#[derive(Debug, Clone)]
pub struct Replay {
    features: Vec<f64>,
    dim: usize,
    rewards: Vec<f64>,
    models: usize,
    model_names: Vec<String>,
    order: Order,
    passes: usize,
    rng: ChaCha8Rng,
    /// Training rows in file order.
    training: Vec<usize>,
    /// Held-out rows in file order.
    held_out: Vec<usize>,
    /// Row order of the current pass.
    pass_rows: Vec<usize>,
    next_in_pass: usize,
    emitted: usize,
}

impl Replay {
    /// Indices of the training rows, in file order.
    pub fn training_rows(&self) -> &[usize] {
        &self.training
    }

    /// Indices of the held-out rows, in file order.
    pub fn held_out_rows(&self) -> &[usize] {
        &self.held_out
    }

    fn row(&self, index: usize) -> Round {
        Round {
            features: self.features[index * self.dim..(index + 1) * self.dim].to_vec(),
            rewards: self.rewards[index * self.models..(index + 1) * self.models].to_vec(),
        }
    }

    fn start_pass(&mut self) {
        self.pass_rows = self.training.clone();
        if self.order == Order::Shuffled {
            self.pass_rows.shuffle(&mut self.rng);
        }
        self.next_in_pass = 0;
    }
}

impl Environment for Replay {
    fn models(&self) -> usize {
        self.models
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn rounds(&self) -> usize {
        self.passes * self.training.len()
    }

    fn next_round(&mut self) -> Option<Round> {
        if self.emitted >= self.rounds() {
            return None;
        }
        if self.next_in_pass >= self.pass_rows.len() {
            self.start_pass();
        }

        let index = self.pass_rows[self.next_in_pass];
        self.next_in_pass += 1;
        self.emitted += 1;
        Some(self.row(index))
    }

    fn model_names(&self) -> Vec<String> {
        self.model_names.clone()
    }

    fn holdout(&self) -> Vec<Round> {
        self.held_out.iter().map(|&index| self.row(index)).collect()
    }
}

#[cfg(test)]
mod tests;
