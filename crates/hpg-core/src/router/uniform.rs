//! The uniform router: a baseline that never learns.

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::Router;
use crate::{Decision, Error, Result, Ticket};

/// Draws every model with probability `1 / M`, whatever the query, and
/// ignores rewards apart from checking them.
#[derive(Debug, Clone)]
pub struct Uniform {
    input_dim: usize,
    models: usize,
    rng: ChaCha8Rng,
    next_ticket: u64,
    /// The model drawn for each ticket still waiting for its reward.
    pending: BTreeMap<u64, usize>,
}

impl Uniform {
    /// Creates the router for features of length `input_dim` and `models`
    /// models, drawing from a ChaCha8 stream seeded with `seed`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `input_dim` or `models` is 0.
    pub fn new(input_dim: usize, models: usize, seed: u64) -> Result<Self> {
        if input_dim == 0 {
            return Err(Error::InvalidParameter {
                name: "input_dim",
                value: "0".to_owned(),
                expected: "at least 1 feature",
            });
        }
        if models == 0 {
            return Err(Error::InvalidParameter {
                name: "models",
                value: "0".to_owned(),
                expected: "at least 1 model",
            });
        }
        Ok(Self {
            input_dim,
            models,
            rng: ChaCha8Rng::seed_from_u64(seed),
            next_ticket: 0,
            pending: BTreeMap::new(),
        })
    }
}

impl Router for Uniform {
    fn name(&self) -> &str {
        "uniform"
    }

    fn models(&self) -> usize {
        self.models
    }

    fn decide(&mut self, x: &[f64]) -> Result<Decision> {
        hpg_policy::check_features(x, self.input_dim)?;

        let model = self.rng.random_range(0..self.models);
        let ticket = Ticket(self.next_ticket);
        self.next_ticket += 1;
        self.pending.insert(ticket.0, model);
        Ok(Decision {
            model,
            probability: 1.0 / self.models as f64,
            ticket,
        })
    }

    fn observe(&mut self, ticket: Ticket, reward: f64, _all_rewards: Option<&[f64]>) -> Result<()> {
        let model = self
            .pending
            .get(&ticket.0)
            .ok_or(Error::UnknownTicket { ticket: ticket.0 })?;
        hpg_estimators::check_reward(*model, reward)?;
        self.pending.remove(&ticket.0);
        Ok(())
    }

    fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>> {
        hpg_policy::check_features(x, self.input_dim)?;
        Ok(vec![1.0 / self.models as f64; self.models])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniform_rejects_reused_ticket() {
        let mut router = Uniform::new(2, 3, 7).unwrap();
        let decision = router.decide(&[0.5, 0.5]).unwrap();
        router.observe(decision.ticket, 0.5, None).unwrap();
        let again = router.observe(decision.ticket, 0.5, None);
        assert!(matches!(again, Err(Error::UnknownTicket { ticket: 0 })));
    }

    #[test]
    fn uniform_rejects_reward_outside_unit_interval() {
        let mut router = Uniform::new(2, 3, 7).unwrap();
        let decision = router.decide(&[0.5, 0.5]).unwrap();
        assert!(router.observe(decision.ticket, 1.5, None).is_err());
        assert!(router.observe(decision.ticket, 1.0, None).is_ok());
    }

    #[test]
    fn uniform_draws_every_model() {
        let mut router = Uniform::new(1, 4, 3).unwrap();
        let mut counts = [0usize; 4];
        for _ in 0..4000 {
            let decision = router.decide(&[0.0]).unwrap();
            assert_eq!(decision.probability, 0.25);
            counts[decision.model] += 1;
        }
        assert!(
            counts.iter().all(|&count| (800..1200).contains(&count)),
            "{counts:?}"
        );
    }
}
