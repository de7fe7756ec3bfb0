//! Epsilon-greedy routing on per-model ridge regressions.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::features::Regressors;
use super::ridge::Ridge;
use super::tickets::TicketBook;
use super::{argmax, check_models, check_non_negative, one_hot, BaselineOptions};
use crate::router::Router;
use crate::{Decision, Result, Ticket};

/// Default scale `c` of the exploration rate `epsilon_t = min(1, c t^(-1/3))`.
///
/// The `t^(-1/3)` decay balances the `sum_t epsilon_t ~ T^(2/3)` rounds
/// spent exploring against the estimation error of a greedy choice made
/// from about `epsilon_t t` uniform samples, which gives the usual
/// `O(T^(2/3))` regret of epsilon-greedy. With `c = 1` the first decision
/// is uniform, and the router explores on about 10% of the decisions near
/// round 1,000 and about 2% near round 100,000.
pub const DEFAULT_EPSILON_SCALE: f64 = 1.0;

/// Epsilon-greedy router (`eps-greedy`, or `quad-eps-greedy` on quadratic
/// features): each model `m` has its own ridge regression [`Ridge`] of the
/// reward. A query goes to the model with the largest prediction (the
/// lowest index among ties), except that with probability `epsilon_t` it
/// goes to a model drawn uniformly.
///
/// In round `t` (counting decisions from 1) the greedy model is drawn with
/// probability `1 - epsilon_t + epsilon_t / M` and every other model with
/// `epsilon_t / M`; [`Decision::probability`] reports that propensity.
/// [`Router::probabilities`] returns the greedy choice without
/// exploration. A decision costs `O(M D)` time and an observation
/// `O(D^2)`, where `D` is the length of the regression features.
///
/// # Examples
/// ```
/// use hpg_core::baselines::EpsilonGreedy;
/// use hpg_core::Router;
///
/// let mut router = EpsilonGreedy::new(1, 2, 7)?;
/// for round in 0..500 {
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
pub struct EpsilonGreedy {
    name: &'static str,
    regressors: Regressors,
    ridges: Vec<Ridge>,
    epsilon_scale: f64,
    rng: ChaCha8Rng,
    decisions: u64,
    tickets: TicketBook,
}

impl EpsilonGreedy {
    /// Creates `eps-greedy`: regressions on `z`, for router features of
    /// length `input_dim` and `models` models, drawing from a ChaCha8
    /// stream seeded with `seed`.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when `input_dim` or `models` is 0,
    /// or the regressions cannot be allocated.
    pub fn new(input_dim: usize, models: usize, seed: u64) -> Result<Self> {
        Self::with_options(input_dim, models, seed, &BaselineOptions::default())
    }

    /// Creates `quad-eps-greedy`: regressions on [`QuadraticFeatures`] of
    /// `z`, whose random projections, if any, come first from the seeded
    /// stream.
    ///
    /// [`QuadraticFeatures`]: super::QuadraticFeatures
    ///
    /// # Errors
    /// As [`EpsilonGreedy::new`].
    pub fn quadratic(input_dim: usize, models: usize, seed: u64) -> Result<Self> {
        Self::quadratic_with_options(input_dim, models, seed, &BaselineOptions::default())
    }

    /// Creates `eps-greedy` with `options.lambda` and
    /// `options.epsilon_scale`.
    ///
    /// # Errors
    /// As [`EpsilonGreedy::new`], and [`crate::Error::InvalidParameter`]
    /// for a negative or non-finite `epsilon_scale` or an invalid `lambda`.
    pub fn with_options(
        input_dim: usize,
        models: usize,
        seed: u64,
        options: &BaselineOptions,
    ) -> Result<Self> {
        let rng = ChaCha8Rng::seed_from_u64(seed);
        let regressors = Regressors::linear(input_dim)?;
        Self::assemble("eps-greedy", regressors, models, rng, options)
    }

    /// Creates `quad-eps-greedy` with `options.lambda` and
    /// `options.epsilon_scale`.
    ///
    /// # Errors
    /// As [`EpsilonGreedy::with_options`].
    pub fn quadratic_with_options(
        input_dim: usize,
        models: usize,
        seed: u64,
        options: &BaselineOptions,
    ) -> Result<Self> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let regressors = Regressors::quadratic(input_dim, &mut rng)?;
        Self::assemble("quad-eps-greedy", regressors, models, rng, options)
    }

    fn assemble(
        name: &'static str,
        regressors: Regressors,
        models: usize,
        rng: ChaCha8Rng,
        options: &BaselineOptions,
    ) -> Result<Self> {
        check_models(models)?;
        check_non_negative("epsilon_scale", options.epsilon_scale)?;

        let ridges = (0..models)
            .map(|_| Ridge::new(regressors.output_dim(), options.lambda))
            .collect::<Result<Vec<_>>>()?;
        Ok(Self {
            name,
            regressors,
            ridges,
            epsilon_scale: options.epsilon_scale,
            rng,
            decisions: 0,
            tickets: TicketBook::default(),
        })
    }

    /// Exploration rate of the next decision.
    pub fn epsilon(&self) -> f64 {
        epsilon(self.epsilon_scale, self.decisions + 1)
    }

    /// Length of the regression features: `d = n + 1` for `eps-greedy`,
    /// longer for `quad-eps-greedy`.
    pub fn regression_dim(&self) -> usize {
        self.regressors.output_dim()
    }

    /// Returns each model's regression, in model order.
    pub fn ridges(&self) -> &[Ridge] {
        &self.ridges
    }

    /// Number of decisions still waiting for their reward.
    pub fn pending(&self) -> usize {
        self.tickets.open()
    }
}

/// Returns `min(1, scale t^(-1/3))` for round `t >= 1`.
fn epsilon(scale: f64, round: u64) -> f64 {
    (scale * (round as f64).powf(-1.0 / 3.0)).min(1.0)
}

impl Router for EpsilonGreedy {
    fn name(&self) -> &str {
        self.name
    }

    fn models(&self) -> usize {
        self.ridges.len()
    }

    fn decide(&mut self, x: &[f64]) -> Result<Decision> {
        let features = self.regressors.compute(x)?;
        let greedy = argmax(self.ridges.iter().map(|r| r.predict_unchecked(features)));

        self.decisions += 1;
        let epsilon = epsilon(self.epsilon_scale, self.decisions);
        let models = self.ridges.len();
        let model = if self.rng.random::<f64>() < epsilon {
            self.rng.random_range(0..models)
        } else {
            greedy
        };

        let uniform_share = epsilon / models as f64;
        let probability = if model == greedy {
            1.0 - epsilon + uniform_share
        } else {
            uniform_share
        };
        let ticket = self.tickets.issue(model, features);
        Ok(Decision {
            model,
            probability,
            ticket,
        })
    }

    fn observe(&mut self, ticket: Ticket, reward: f64, _all_rewards: Option<&[f64]>) -> Result<()> {
        let (model, features) = self.tickets.get(ticket)?;
        hpg_estimators::check_reward(model, reward)?;
        let models = self.ridges.len();
        let ridge = self
            .ridges
            .get_mut(model)
            .ok_or(hpg_policy::Error::ModelIndex {
                index: model,
                models,
            })?;

        ridge.update_unchecked(features, reward);
        self.tickets.close(ticket);
        Ok(())
    }

    fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>> {
        let features = self.regressors.compute_new(x)?;
        let greedy = argmax(self.ridges.iter().map(|r| r.predict_unchecked(&features)));
        Ok(one_hot(self.ridges.len(), greedy))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epsilon_follows_cube_root_schedule() {
        assert_eq!(epsilon(1.0, 1), 1.0);
        assert!((epsilon(1.0, 8) - 0.5).abs() < 1e-15);
        assert!((epsilon(1.0, 1000) - 0.1).abs() < 1e-15);
        assert_eq!(epsilon(5.0, 8), 1.0);
        assert_eq!(epsilon(0.0, 3), 0.0);
    }

    #[test]
    fn eps_greedy_propensities_match_draws() {
        let mut router = EpsilonGreedy::new(2, 4, 11).unwrap();
        let x = [0.3, -0.1];
        let mut explored = 0;
        for round in 0..200 {
            let epsilon = router.epsilon();
            let greedy = argmax(router.probabilities(&x).unwrap().into_iter());
            let decision = router.decide(&x).unwrap();

            let expected = if decision.model == greedy {
                1.0 - epsilon + epsilon / 4.0
            } else {
                explored += 1;
                epsilon / 4.0
            };
            assert_eq!(decision.probability, expected, "round {round}");
            let reward = if decision.model == 2 { 1.0 } else { 0.0 };
            router.observe(decision.ticket, reward, None).unwrap();
        }
        assert!(explored > 0);
        assert_eq!(router.probabilities(&x).unwrap(), [0.0, 0.0, 1.0, 0.0]);
    }
}
