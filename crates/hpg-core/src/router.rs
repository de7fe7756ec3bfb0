//! A common, object-safe interface over every routing strategy, so that a
//! runner can drive learners of different types side by side.

mod factory;
mod hpg;
mod uniform;

use hpg_estimators::Estimator;
use hpg_policy::{FeatureMap, Policy};

pub use factory::{
    build_router, build_router_with, derive_seed, EstimatorChoice, Radius, RouterOptions,
    IMPLICIT_EXPLORATION, ROUTER_NAMES,
};
pub use hpg::HpgRouter;
pub use uniform::Uniform;

use crate::{Decision, Learner, Result, Ticket};

/// An online router: draws a model per query and learns from the reward of
/// that model.
///
/// Object-safe, so routers of different types can be kept in one
/// `Vec<Box<dyn Router>>`.
pub trait Router: std::fmt::Debug + Send {
    /// Short name of the routing strategy, used in reports.
    fn name(&self) -> &str;

    /// Number of models `M`.
    fn models(&self) -> usize;

    /// Draws the model that should serve a query with router features `x`.
    ///
    /// # Errors
    /// A feature error for a wrong length or a non-finite feature.
    fn decide(&mut self, x: &[f64]) -> Result<Decision>;

    /// Learns from `reward`, the reward of the model chosen for `ticket`.
    /// `all_rewards`, when given, contains the reward of every model and is
    /// used only by full-information estimators.
    ///
    /// # Errors
    /// An unknown ticket, or a reward outside `[0, 1]`.
    fn observe(&mut self, ticket: Ticket, reward: f64, all_rewards: Option<&[f64]>) -> Result<()>;

    /// Returns the probabilities `pi(. | x)` of the current policy, without
    /// exploration.
    ///
    /// # Errors
    /// A feature error for a wrong length or a non-finite feature.
    fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>>;

    /// Returns whether the router needs every model's reward. A runner
    /// passes `Some` rewards to `observe` of such a router and `None` to
    /// every other. The default is `false`, a bandit router.
    fn full_information(&self) -> bool {
        false
    }
}

/// A router shown under a name of the caller's choice.
#[derive(Debug, Clone)]
pub struct Named<R> {
    name: String,
    router: R,
}

impl<R: Router> Named<R> {
    /// Wraps `router` under `name`.
    pub fn new(name: impl Into<String>, router: R) -> Self {
        Self {
            name: name.into(),
            router,
        }
    }

    /// Returns the wrapped router.
    pub fn inner(&self) -> &R {
        &self.router
    }

    /// Unwraps the router.
    pub fn into_inner(self) -> R {
        self.router
    }
}

impl<R: Router> Router for Named<R> {
    fn name(&self) -> &str {
        &self.name
    }

    fn models(&self) -> usize {
        self.router.models()
    }

    fn decide(&mut self, x: &[f64]) -> Result<Decision> {
        self.router.decide(x)
    }

    fn observe(&mut self, ticket: Ticket, reward: f64, all_rewards: Option<&[f64]>) -> Result<()> {
        self.router.observe(ticket, reward, all_rewards)
    }

    fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>> {
        self.router.probabilities(x)
    }

    fn full_information(&self) -> bool {
        self.router.full_information()
    }
}

/// Every learner is a router. Its name is the policy type's name without
/// its module path or type parameters, for example `LogQuadratic`; wrap it
/// in [`Named`] to choose another.
impl<F: FeatureMap, P: Policy, E: Estimator> Router for Learner<F, P, E> {
    fn name(&self) -> &str {
        short_type_name(std::any::type_name::<P>())
    }

    fn models(&self) -> usize {
        Learner::models(self)
    }

    fn decide(&mut self, x: &[f64]) -> Result<Decision> {
        Learner::decide(self, x)
    }

    fn observe(&mut self, ticket: Ticket, reward: f64, all_rewards: Option<&[f64]>) -> Result<()> {
        self.observe_with(ticket, reward, all_rewards)
    }

    fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>> {
        Learner::probabilities(self, x)
    }
}

/// Strips the module path and the type parameters from a type name:
/// `a::b::LogQuadratic<c::Hypentropy>` becomes `LogQuadratic`.
fn short_type_name(full: &'static str) -> &'static str {
    let base = full.split('<').next().unwrap_or(full);
    base.rsplit("::").next().unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_type_name_strips_path_and_parameters() {
        assert_eq!(
            short_type_name("a::b::LogQuadratic<c::Hypentropy>"),
            "LogQuadratic"
        );
        assert_eq!(short_type_name("Constant"), "Constant");
    }
}
