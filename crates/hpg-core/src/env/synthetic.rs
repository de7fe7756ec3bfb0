//! Synthetic low-rank experts: each model compares queries and items only
//! after projecting them onto its own low-dimensional subspace.
//!
//! Model `m` has a `d x s` basis `U_m` with orthonormal columns. A query of
//! type `k` lies near the subspace of model `k`:
//! `x = normalize(U_k w + sigma xi)` with `w ~ N(0, I_s)` and
//! `xi ~ N(0, I_d / d)`. Model `m` serves the item `a_j` (a unit vector)
//! that maximizes `<U_m^T x, U_m^T a_j>`, and earns `(1 + <x, a_j>) / 2`,
//! which lies in `[0, 1]`. So model `k` serves type-`k` queries best.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::linalg::{dot, normal_vector, normalize, random_orthonormal};
use super::{Environment, Round};
use crate::error::invalid;
use crate::Result;

/// Schedule of the query type `k_t` of each round `t`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Schedule {
    /// Independent and uniform over the `M` types.
    Iid,
    /// Types `0, 1, ..., M - 1, 0, ...` in turn, each for `len` rounds.
    Blocks {
        /// Number of rounds per block, at least 1.
        len: usize,
    },
    /// The type on which the lead router currently does worst: the type
    /// with the largest moving average of that router's gap
    /// `max_m r_t(m) - r_t(m_t)`, which the runner reports through
    /// [`Environment::record_reward`]. Types not yet reported come first.
    Adaptive,
}

/// Placement of the items in `R^d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ItemPlacement {
    /// Uniform on the unit sphere of `R^d`. Inner products between a query
    /// and an item shrink as `1 / sqrt(d)`, so every reward tends to `1/2`
    /// and every gap shrinks as `d` grows.
    #[default]
    Sphere,
    /// Item `j` is `normalize(U_m b_j)` with `m = j mod M` and
    /// `b_j ~ N(0, I_s)`: each model's catalogue lies in its own subspace.
    /// The reward of the right model stays of order 1 for every `d`, so
    /// gaps keep their size as `d` grows, which isolates the effect of the
    /// dimension on a learner.
    Subspaces,
}

/// Weight of the newest gap in the per-type moving average of
/// [`Schedule::Adaptive`].
const ADAPTIVE_WEIGHT: f64 = 0.05;

/// Validated construction of a [`Synthetic`] environment.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticBuilder {
    dim: usize,
    models: usize,
    rank: usize,
    items: usize,
    noise: f64,
    rounds: usize,
    schedule: Schedule,
    placement: ItemPlacement,
    seed: u64,
}

impl Default for SyntheticBuilder {
    fn default() -> Self {
        Self {
            dim: 64,
            models: 4,
            rank: 2,
            items: 200,
            noise: 0.3,
            rounds: 20_000,
            schedule: Schedule::Iid,
            placement: ItemPlacement::Sphere,
            seed: 0,
        }
    }
}

impl SyntheticBuilder {
    /// Starts from the defaults: `d = 64`, `M = 4`, `s = 2`, `N = 200`,
    /// `sigma = 0.3`, 20 000 rounds, i.i.d. types, seed 0.
    pub fn new() -> Self {
        Self::default()
    }

    /// Dimension `d` of the router features, at least 1.
    pub fn dim(mut self, dim: usize) -> Self {
        self.dim = dim;
        self
    }

    /// Number of models `M`, at least 2.
    pub fn models(mut self, models: usize) -> Self {
        self.models = models;
        self
    }

    /// Rank `s` of every model's subspace, between 1 and `d`.
    pub fn rank(mut self, rank: usize) -> Self {
        self.rank = rank;
        self
    }

    /// Number of items `N`, at least 1.
    pub fn items(mut self, items: usize) -> Self {
        self.items = items;
        self
    }

    /// Noise level `sigma >= 0` of the queries.
    pub fn noise(mut self, sigma: f64) -> Self {
        self.noise = sigma;
        self
    }

    /// Number of rounds `T`, at least 1.
    pub fn rounds(mut self, rounds: usize) -> Self {
        self.rounds = rounds;
        self
    }

    /// Schedule of the query types.
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// Placement of the items, [`ItemPlacement::Sphere`] by default.
    pub fn placement(mut self, placement: ItemPlacement) -> Self {
        self.placement = placement;
        self
    }

    /// Seed of the ChaCha8 stream that draws bases, items and queries.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Draws the bases and items and returns the environment.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] naming the first parameter out of range.
    pub fn build(&self) -> Result<Synthetic> {
        self.validate()?;
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed);

        let bases = (0..self.models)
            .map(|_| random_orthonormal(&mut rng, self.dim, self.rank))
            .collect::<Result<Vec<_>>>()?;
        let items = match self.placement {
            ItemPlacement::Sphere => self.draw_items(&mut rng),
            ItemPlacement::Subspaces => self.draw_subspace_items(&mut rng, &bases),
        };
        let projected_items = bases
            .iter()
            .map(|basis| self.project_items(basis, &items))
            .collect();

        Ok(Synthetic {
            config: self.clone(),
            bases,
            items,
            projected_items,
            rng,
            round: 0,
            last_type: None,
            last_best: 0.0,
            gap_average: vec![None; self.models],
        })
    }

    fn validate(&self) -> Result<()> {
        if self.dim == 0 {
            return Err(invalid("dim", self.dim.to_string(), "at least 1"));
        }
        if self.models < 2 {
            return Err(invalid("models", self.models.to_string(), "at least 2"));
        }
        if self.rank == 0 || self.rank > self.dim {
            return Err(invalid(
                "rank",
                self.rank.to_string(),
                "a rank between 1 and dim",
            ));
        }
        if self.items == 0 {
            return Err(invalid("items", "0".to_owned(), "at least 1"));
        }
        if !(self.noise.is_finite() && self.noise >= 0.0) {
            return Err(invalid(
                "noise",
                self.noise.to_string(),
                "a finite value >= 0",
            ));
        }
        if self.rounds == 0 {
            return Err(invalid("rounds", "0".to_owned(), "at least 1"));
        }
        if let Schedule::Blocks { len: 0 } = self.schedule {
            return Err(invalid("block length", "0".to_owned(), "at least 1"));
        }
        Ok(())
    }

    /// Draws `N` items uniformly on the unit sphere, row after row.
    fn draw_items(&self, rng: &mut ChaCha8Rng) -> Vec<f64> {
        let mut items = Vec::with_capacity(self.items * self.dim);
        for _ in 0..self.items {
            let mut item = normal_vector(rng, self.dim);
            // A zero Gaussian vector has probability 0; fall back to e_1.
            if !normalize(&mut item) {
                item.iter_mut()
                    .enumerate()
                    .for_each(|(i, v)| *v = f64::from(u8::from(i == 0)));
            }
            items.extend_from_slice(&item);
        }
        items
    }

    /// Draws item `j` as `normalize(U_m b_j)` with `m = j mod M`.
    fn draw_subspace_items(&self, rng: &mut ChaCha8Rng, bases: &[Vec<f64>]) -> Vec<f64> {
        let mut items = Vec::with_capacity(self.items * self.dim);
        for j in 0..self.items {
            let basis = &bases[j % bases.len()];
            let weights = normal_vector(rng, self.rank);
            let mut item = vec![0.0; self.dim];
            for (column, weight) in basis.chunks_exact(self.dim).zip(&weights) {
                item.iter_mut()
                    .zip(column)
                    .for_each(|(v, u)| *v += weight * u);
            }
            // A zero combination has probability 0; the first column replaces it.
            if !normalize(&mut item) {
                item.copy_from_slice(&basis[..self.dim]);
            }
            items.extend_from_slice(&item);
        }
        items
    }

    /// Computes `U^T a_j` for every item, row after row.
    fn project_items(&self, basis: &[f64], items: &[f64]) -> Vec<f64> {
        items
            .chunks_exact(self.dim)
            .flat_map(|item| project(basis, self.dim, item))
            .collect()
    }
}

/// The synthetic low-rank environment. Build it with [`SyntheticBuilder`].
#[derive(Debug, Clone)]
pub struct Synthetic {
    config: SyntheticBuilder,
    /// `U_m` for each model, column after column.
    bases: Vec<Vec<f64>>,
    /// The items `a_j`, row after row.
    items: Vec<f64>,
    /// `U_m^T a_j` for each model, item after item.
    projected_items: Vec<Vec<f64>>,
    rng: ChaCha8Rng,
    round: usize,
    last_type: Option<usize>,
    last_best: f64,
    /// Moving average of the lead router's gap per type, for the adaptive
    /// schedule; `None` until a gap is reported for the type.
    gap_average: Vec<Option<f64>>,
}

impl Synthetic {
    /// Rank `s` of the model subspaces.
    pub fn rank(&self) -> usize {
        self.config.rank
    }

    /// Returns the basis `U_m` of model `m`: `d x s`, column `c` at
    /// `[c * d..(c + 1) * d]`. `None` for `m >= M`.
    pub fn basis(&self, m: usize) -> Option<&[f64]> {
        self.bases.get(m).map(Vec::as_slice)
    }

    /// Type of the query of the last round returned, `None` before the
    /// first round.
    pub fn last_query_type(&self) -> Option<usize> {
        self.last_type
    }

    fn next_type(&mut self) -> usize {
        let models = self.config.models;
        match self.config.schedule {
            Schedule::Iid => self.rng.random_range(0..models),
            Schedule::Blocks { len } => (self.round / len) % models,
            Schedule::Adaptive => self.worst_type(),
        }
    }

    /// Returns the type with the largest average gap. Types without a
    /// reported gap count as infinitely bad, and ties go to the lowest index.
    ///
    /// NOTE: a type's average changes only in rounds of that type, so a type
    /// on which the router got worse meanwhile is revisited only once the
    /// current worst type's average falls below its older value.
    fn worst_type(&self) -> usize {
        let mut worst = 0;
        let mut worst_gap = f64::NEG_INFINITY;
        for (k, average) in self.gap_average.iter().enumerate() {
            let gap = average.unwrap_or(f64::INFINITY);
            if gap > worst_gap {
                worst = k;
                worst_gap = gap;
            }
        }
        worst
    }

    /// Draws `x = normalize(U_k w + sigma xi)`.
    fn draw_query(&mut self, k: usize) -> Vec<f64> {
        let (dim, rank) = (self.config.dim, self.config.rank);
        let w = normal_vector(&mut self.rng, rank);
        let xi = normal_vector(&mut self.rng, dim);
        let noise_scale = self.config.noise / (dim as f64).sqrt();

        let basis = &self.bases[k];
        let mut x: Vec<f64> = xi.iter().map(|value| noise_scale * value).collect();
        for (column, weight) in basis.chunks_exact(dim).zip(&w) {
            x.iter_mut().zip(column).for_each(|(v, u)| *v += weight * u);
        }

        // A zero query has probability 0; the first basis column replaces it.
        if !normalize(&mut x) {
            x.copy_from_slice(&basis[..dim]);
        }
        x
    }

    /// Reward of model `m` on query `x`: the item it serves, scored by the
    /// full-dimensional inner product.
    fn reward(&self, m: usize, x: &[f64]) -> f64 {
        let (dim, rank) = (self.config.dim, self.config.rank);
        let query = project(&self.bases[m], dim, x);

        let mut served = 0;
        let mut best_score = f64::NEG_INFINITY;
        for (j, item) in self.projected_items[m].chunks_exact(rank).enumerate() {
            let score = dot(&query, item);
            if score > best_score {
                best_score = score;
                served = j;
            }
        }

        let item = &self.items[served * dim..(served + 1) * dim];
        ((1.0 + dot(x, item)) / 2.0).clamp(0.0, 1.0)
    }
}

impl Environment for Synthetic {
    fn models(&self) -> usize {
        self.config.models
    }

    fn dim(&self) -> usize {
        self.config.dim
    }

    fn rounds(&self) -> usize {
        self.config.rounds
    }

    fn next_round(&mut self) -> Option<Round> {
        if self.round >= self.config.rounds {
            return None;
        }

        let k = self.next_type();
        let features = self.draw_query(k);
        let rewards: Vec<f64> = (0..self.config.models)
            .map(|m| self.reward(m, &features))
            .collect();

        let round = Round { features, rewards };
        self.last_type = Some(k);
        self.last_best = round.best_reward();
        self.round += 1;
        Some(round)
    }

    fn record_reward(&mut self, reward: f64) {
        let Some(k) = self.last_type else { return };
        let gap = self.last_best - reward;
        if !gap.is_finite() {
            return;
        }
        let average = match self.gap_average[k] {
            None => gap,
            Some(previous) => (1.0 - ADAPTIVE_WEIGHT) * previous + ADAPTIVE_WEIGHT * gap,
        };
        self.gap_average[k] = Some(average);
    }
}

/// Computes `U^T v` for a `dim x s` basis stored column after column.
fn project(basis: &[f64], dim: usize, v: &[f64]) -> Vec<f64> {
    basis
        .chunks_exact(dim)
        .map(|column| dot(column, v))
        .collect()
}

#[cfg(test)]
mod tests;
