//! Parameter-free radius: HPG copies on a geometric grid of radii,
//! combined by exponential weights.
//!
//! Copy `k` is the HPG learner with the nuclear-norm radius `D_k`. Each
//! round the ensemble draws the model from the mixture
//! `p(m) = sum_k w_k pi_k(m | x)`. Every copy then learns from the one
//! observed reward with the importance weight `pi_k(m_t) / p(m_t)`, so its
//! REINFORCE estimate stays unbiased for its own policy. The weights follow
//! exponential weights on the importance-weighted losses
//! `l_k = (1 - r) pi_k(m_t) / p(m_t)`, whose mean is copy `k`'s expected
//! loss on the round.
//!
//! With `K` copies, exponential weights over the copies add `O(sqrt(M T
//! log K))` to the regret of the best copy. The cost is `K` times one HPG
//! learner in time and memory.

#[cfg(feature = "io")]
mod checkpoint;

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::error::invalid;
use hpg_estimators::{Estimator, Reinforce};
use hpg_linalg::Hypentropy;
use hpg_policy::{LogQuadratic, Normalized};

use crate::{derive_seed, Decision, Error, Learner, LearnerBuilder, Result, Router, Ticket};

/// One copy: the HPG learner with estimator `E`.
pub type HpgCopy<E> = Learner<Normalized, LogQuadratic<Hypentropy>, E>;

/// Per-model radii of the default grid: `D_k = RADIUS_GRID[k] * M`.
///
/// A factor of 2 between neighbours, centred on the fixed default of 16
/// per model. On the synthetic problem (d = 64, M = 4, 20,000 rounds) the
/// best single radius was 64 per model for iid queries and for blocks;
/// on the typos table no single radius from 8 to 64 per model was better
/// than the others by more than the spread over seeds.
pub const RADIUS_GRID: [f64; 5] = [4.0, 8.0, 16.0, 32.0, 64.0];

/// Scale `c` of the weights' learning rate
/// `eta_t = c sqrt(ln K / (M t))`, after `t` observed rounds.
///
/// `c = 1` is the rate of the exponential-weights bound. It moved the
/// weights too slowly: on the synthetic problem the ensemble ended 1.7
/// times the best copy's gap. `c = 4` ended within 1.1 times on iid
/// queries and blocks, and `c = 10` gave up 0.008 of gap on the typos
/// table (docs/experiments.md).
pub const WEIGHT_RATE: f64 = 4.0;

/// HPG copies on a grid of radii under exponential weights.
///
/// With the `io` feature, [`RadiusEnsemble::save`] and
/// [`RadiusEnsemble::load`] keep it in a checkpoint file.
///
/// # Examples
/// ```
/// use hpg_core::{LearnerBuilder, RadiusEnsemble, Router};
///
/// let builder = LearnerBuilder::new(3, 2);
/// let mut router = RadiusEnsemble::new(&builder, &[8.0, 32.0], 7)?;
/// let decision = router.decide(&[0.5, 0.0, -0.5])?;
/// router.observe(decision.ticket, 1.0, None)?;
/// assert_eq!(router.weights().len(), 2);
/// # Ok::<(), hpg_core::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(bound(
        serialize = "E: serde::Serialize",
        deserialize = "E: serde::de::DeserializeOwned"
    ))
)]
pub struct RadiusEnsemble<E: Estimator = Reinforce> {
    copies: Vec<HpgCopy<E>>,
    radii: Vec<f64>,
    /// Importance-weighted cumulative loss of each copy.
    losses: Vec<f64>,
    weight_rate: f64,
    observed: u64,
    rng: ChaCha8Rng,
    next_ticket: u64,
    pending: BTreeMap<u64, PendingRound>,
}

/// A copy's policy features `z` and probabilities `pi_k(. | x)`.
type Evaluated = (Vec<f64>, Vec<f64>);

/// State of one ensemble decision, kept until its reward arrives.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
struct PendingRound {
    /// The model drawn.
    model: usize,
    /// Each copy's ticket for the decision.
    tickets: Vec<Ticket>,
    /// `pi_k(m_t) / p(m_t)` of each copy.
    ratios: Vec<f64>,
}

impl RadiusEnsemble<Reinforce> {
    /// Builds one copy of `builder`'s HPG learner per radius in `radii`
    /// (absolute radii, in logit units), with the weights' learning rate
    /// [`WEIGHT_RATE`].
    ///
    /// Every copy is `builder` with its own radius, so unless the builder
    /// sets `beta`, each copy's `beta` follows its radius as in
    /// [`LearnerBuilder::resolved_beta`]. The copies draw no random
    /// numbers; the ensemble draws the models from a stream seeded with
    /// `seed`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for an empty grid or an invalid radius,
    /// and the builder's errors.
    pub fn new(builder: &LearnerBuilder, radii: &[f64], seed: u64) -> Result<Self> {
        Self::with_copies(builder, radii, seed, LearnerBuilder::build)
    }

    /// Builds the ensemble on the default grid [`RADIUS_GRID`] times the
    /// number of models.
    ///
    /// # Errors
    /// As [`RadiusEnsemble::new`].
    pub fn with_default_grid(builder: &LearnerBuilder, models: usize, seed: u64) -> Result<Self> {
        Self::new(builder, &Self::default_radii(models), seed)
    }
}

impl<E: Estimator> RadiusEnsemble<E> {
    /// Builds one copy per radius in `radii` with `build`, which turns
    /// `builder` with the copy's radius into a learner, for example
    /// [`LearnerBuilder::build_doubly_robust`].
    ///
    /// # Errors
    /// As [`RadiusEnsemble::new`], and the errors of `build`.
    pub fn with_copies(
        builder: &LearnerBuilder,
        radii: &[f64],
        seed: u64,
        build: impl Fn(&LearnerBuilder) -> Result<HpgCopy<E>>,
    ) -> Result<Self> {
        if radii.is_empty() {
            return Err(invalid("radii", "[]".to_owned(), "at least one radius"));
        }

        let mut copies = Vec::with_capacity(radii.len());
        for (k, &radius) in radii.iter().enumerate() {
            let copy_builder = builder
                .clone()
                .radius(radius)
                .seed(derive_seed(seed, &format!("copy{k}")));
            copies.push(build(&copy_builder)?);
        }

        Ok(Self {
            copies,
            radii: radii.to_vec(),
            losses: vec![0.0; radii.len()],
            weight_rate: WEIGHT_RATE,
            observed: 0,
            rng: ChaCha8Rng::seed_from_u64(seed),
            next_ticket: 0,
            pending: BTreeMap::new(),
        })
    }

    /// Returns the default grid [`RADIUS_GRID`] times `models`.
    pub fn default_radii(models: usize) -> Vec<f64> {
        RADIUS_GRID.iter().map(|r| r * models as f64).collect()
    }

    /// Sets the scale `c` of the weights' learning rate
    /// `eta_t = c sqrt(ln K / (M t))`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] unless `rate` is finite and positive.
    pub fn with_weight_rate(mut self, rate: f64) -> Result<Self> {
        if !(rate.is_finite() && rate > 0.0) {
            return Err(invalid(
                "weight_rate",
                rate.to_string(),
                "a finite value > 0",
            ));
        }
        self.weight_rate = rate;
        Ok(self)
    }

    /// Returns the radius of each copy.
    pub fn radii(&self) -> &[f64] {
        &self.radii
    }

    /// Returns the copies.
    pub fn copies(&self) -> &[HpgCopy<E>] {
        &self.copies
    }

    /// Number of rewards observed so far.
    pub fn observed(&self) -> u64 {
        self.observed
    }

    /// Decisions still waiting for their reward.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// Computes the current weight of each copy; the weights sum to 1.
    pub fn weights(&self) -> Vec<f64> {
        let count = self.copies.len() as f64;
        let models = self.models().max(1) as f64;
        let rounds = self.observed.max(1) as f64;
        let eta = self.weight_rate * (count.ln().max(f64::MIN_POSITIVE) / (models * rounds)).sqrt();

        let lowest = self.losses.iter().copied().fold(f64::INFINITY, f64::min);
        let mut weights: Vec<f64> = self
            .losses
            .iter()
            .map(|loss| (-eta * (loss - lowest)).exp())
            .collect();
        let total: f64 = weights.iter().sum();
        weights.iter_mut().for_each(|w| *w /= total);
        weights
    }

    /// Computes each copy's probabilities and the mixture `p`.
    fn mixture(&self, x: &[f64]) -> Result<(Vec<Evaluated>, Vec<f64>)> {
        let weights = self.weights();
        let mut evaluated = Vec::with_capacity(self.copies.len());
        let mut mixture = vec![0.0; self.models()];
        for (copy, weight) in self.copies.iter().zip(&weights) {
            let (z, policy) = copy.evaluate(x)?;
            mixture
                .iter_mut()
                .zip(&policy)
                .for_each(|(p, pi)| *p += weight * pi);
            evaluated.push((z, policy));
        }
        Ok((evaluated, mixture))
    }
}

impl<E: Estimator> Router for RadiusEnsemble<E> {
    fn name(&self) -> &str {
        "hpg-auto"
    }

    fn models(&self) -> usize {
        self.copies.first().map_or(0, Learner::models)
    }

    fn decide(&mut self, x: &[f64]) -> Result<Decision> {
        let (evaluated, mixture) = self.mixture(x)?;
        let (model, probability) =
            hpg_policy::sample(&mixture, &mut self.rng).ok_or(Error::InvalidParameter {
                name: "models",
                value: "0".to_owned(),
                expected: "at least one model",
            })?;

        let mut tickets = Vec::with_capacity(self.copies.len());
        let mut ratios = Vec::with_capacity(self.copies.len());
        for (copy, (z, policy)) in self.copies.iter_mut().zip(evaluated) {
            ratios.push(policy[model] / probability);
            tickets.push(copy.register(z, policy, model, probability));
        }

        let ticket = Ticket(self.next_ticket);
        self.next_ticket += 1;
        self.pending.insert(
            ticket.0,
            PendingRound {
                model,
                tickets,
                ratios,
            },
        );
        Ok(Decision {
            model,
            probability,
            ticket,
        })
    }

    fn observe(&mut self, ticket: Ticket, reward: f64, all_rewards: Option<&[f64]>) -> Result<()> {
        let round = self
            .pending
            .get(&ticket.0)
            .ok_or(Error::UnknownTicket { ticket: ticket.0 })?;
        hpg_estimators::check_reward(round.model, reward)?;

        // Every copy checks the same reward, so after the check above no
        // copy rejects it. A later copy failing on linear algebra would
        // still leave the earlier ones updated.
        for (copy, copy_ticket) in self.copies.iter_mut().zip(&round.tickets) {
            copy.observe_with(*copy_ticket, reward, all_rewards)?;
        }
        for (loss, ratio) in self.losses.iter_mut().zip(&round.ratios) {
            *loss += (1.0 - reward) * ratio;
        }

        self.pending.remove(&ticket.0);
        self.observed += 1;
        Ok(())
    }

    fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>> {
        let (_, mixture) = self.mixture(x)?;
        Ok(mixture)
    }
}
