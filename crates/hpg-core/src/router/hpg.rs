//! The `hpg` router in each form that [`RouterOptions`] selects, as one
//! type that checkpoints can save and that records its own form.

#[cfg(feature = "io")]
mod checkpoint;

#[cfg(feature = "estimators")]
use hpg_estimators::DoublyRobust;
use hpg_estimators::Reinforce;

use super::factory::{EstimatorChoice, Radius, RouterOptions, IMPLICIT_EXPLORATION};
use super::Router;
#[cfg(feature = "estimators")]
use crate::HpgDoublyRobust;
use crate::{Decision, Hpg, LearnerBuilder, RadiusEnsemble, Result, Ticket};

/// The `hpg` router: one HPG learner or a [`RadiusEnsemble`] of them, with
/// REINFORCE or the doubly robust estimator.
///
/// [`HpgRouter::new`] builds the form that [`RouterOptions`] select, and
/// [`crate::build_router_with`] returns it for the name `hpg`. With the
/// `io` feature, [`HpgRouter::save`] writes the variant into the
/// checkpoint, so [`HpgRouter::load`] returns the form that was saved and
/// the caller can compare it with the form it expects.
///
/// # Examples
/// ```
/// use hpg_core::{EstimatorChoice, HpgRouter, Radius, Router, RouterOptions};
///
/// let options = RouterOptions { radius: Radius::Default, ..RouterOptions::default() };
/// let mut router = HpgRouter::new(3, 2, 7, &options)?;
/// assert!(!router.is_ensemble());
/// assert_eq!(router.estimator(), EstimatorChoice::Reinforce);
/// let decision = router.decide(&[0.5, 0.0, -0.5])?;
/// router.observe(decision.ticket, 1.0, None)?;
/// assert_eq!(router.observed(), 1);
/// # Ok::<(), hpg_core::Error>(())
/// ```
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[non_exhaustive]
pub enum HpgRouter {
    /// One learner with REINFORCE, with or without implicit exploration.
    Single(Hpg),
    /// Copies on a grid of radii with REINFORCE, with or without implicit
    /// exploration.
    Ensemble(RadiusEnsemble),
    /// One learner with the doubly robust estimator.
    #[cfg(feature = "estimators")]
    SingleDoublyRobust(HpgDoublyRobust),
    /// Copies on a grid of radii with the doubly robust estimator.
    #[cfg(feature = "estimators")]
    EnsembleDoublyRobust(RadiusEnsemble<DoublyRobust>),
}

impl HpgRouter {
    /// Builds the router for features of length `input_dim` and `models`
    /// models, drawing from streams seeded with `seed`.
    ///
    /// [`Radius::Auto`] gives an ensemble on the default grid
    /// ([`RadiusEnsemble::with_default_grid`]), and [`Radius::Fixed`] or
    /// [`Radius::Default`] one learner. [`crate::build_router_with`]
    /// passes [`crate::derive_seed`]`(run_seed, "hpg")` as `seed`, so a
    /// caller that passes the same value gets the same decisions.
    ///
    /// # Errors
    /// The builders' [`crate::Error::InvalidParameter`] for invalid sizes
    /// or an invalid fixed radius, and for [`EstimatorChoice::DoublyRobust`]
    /// without the `estimators` feature.
    pub fn new(
        input_dim: usize,
        models: usize,
        seed: u64,
        options: &RouterOptions,
    ) -> Result<Self> {
        let mut builder = LearnerBuilder::new(input_dim, models)
            .seed(seed)
            .path(options.path);
        if options.estimator == EstimatorChoice::ImplicitExploration {
            builder = builder.implicit_exploration(IMPLICIT_EXPLORATION);
        }
        let radii = match options.radius {
            Radius::Auto => RadiusEnsemble::<Reinforce>::default_radii(models),
            Radius::Fixed(value) => vec![value],
            Radius::Default => vec![builder.resolved_radius()],
        };

        // A one-copy ensemble makes the same decisions as the plain learner
        // with the same seed, but a plain learner is cheaper to run.
        match (options.estimator, radii.as_slice()) {
            (EstimatorChoice::DoublyRobust, _) => Self::doubly_robust(&builder, &radii, seed),
            (_, [radius]) => Ok(Self::Single(builder.radius(*radius).build()?)),
            _ => Ok(Self::Ensemble(RadiusEnsemble::new(&builder, &radii, seed)?)),
        }
    }

    #[cfg(feature = "estimators")]
    fn doubly_robust(builder: &LearnerBuilder, radii: &[f64], seed: u64) -> Result<Self> {
        match radii {
            [radius] => {
                let learner = builder.clone().radius(*radius).build_doubly_robust()?;
                Ok(Self::SingleDoublyRobust(learner))
            }
            _ => {
                let build = LearnerBuilder::build_doubly_robust;
                let ensemble = RadiusEnsemble::with_copies(builder, radii, seed, build)?;
                Ok(Self::EnsembleDoublyRobust(ensemble))
            }
        }
    }

    #[cfg(not(feature = "estimators"))]
    fn doubly_robust(_: &LearnerBuilder, _: &[f64], _: u64) -> Result<Self> {
        Err(crate::error::invalid(
            "estimator",
            "dr".to_owned(),
            "reinforce or ix; the dr estimator needs the estimators feature of hpg-core",
        ))
    }

    /// Returns whether the router is a radius ensemble rather than one
    /// learner.
    pub fn is_ensemble(&self) -> bool {
        match self {
            Self::Single(_) => false,
            Self::Ensemble(_) => true,
            #[cfg(feature = "estimators")]
            Self::SingleDoublyRobust(_) => false,
            #[cfg(feature = "estimators")]
            Self::EnsembleDoublyRobust(_) => true,
        }
    }

    /// Returns the gradient estimator: REINFORCE with a `gamma_ix` above 0
    /// is [`EstimatorChoice::ImplicitExploration`], whatever its value.
    pub fn estimator(&self) -> EstimatorChoice {
        let reinforce = match self {
            Self::Single(learner) => &learner.estimator,
            // Every copy is built with the same estimator settings.
            Self::Ensemble(ensemble) => match ensemble.copies().first() {
                Some(copy) => &copy.estimator,
                None => return EstimatorChoice::Reinforce,
            },
            #[cfg(feature = "estimators")]
            Self::SingleDoublyRobust(_) | Self::EnsembleDoublyRobust(_) => {
                return EstimatorChoice::DoublyRobust
            }
        };
        if reinforce.implicit_exploration() > 0.0 {
            EstimatorChoice::ImplicitExploration
        } else {
            EstimatorChoice::Reinforce
        }
    }

    /// Number of rewards observed so far.
    pub fn observed(&self) -> u64 {
        match self {
            Self::Single(learner) => learner.observed(),
            Self::Ensemble(ensemble) => ensemble.observed(),
            #[cfg(feature = "estimators")]
            Self::SingleDoublyRobust(learner) => learner.observed(),
            #[cfg(feature = "estimators")]
            Self::EnsembleDoublyRobust(ensemble) => ensemble.observed(),
        }
    }

    fn router(&self) -> &dyn Router {
        match self {
            Self::Single(learner) => learner,
            Self::Ensemble(ensemble) => ensemble,
            #[cfg(feature = "estimators")]
            Self::SingleDoublyRobust(learner) => learner,
            #[cfg(feature = "estimators")]
            Self::EnsembleDoublyRobust(ensemble) => ensemble,
        }
    }

    fn router_mut(&mut self) -> &mut dyn Router {
        match self {
            Self::Single(learner) => learner,
            Self::Ensemble(ensemble) => ensemble,
            #[cfg(feature = "estimators")]
            Self::SingleDoublyRobust(learner) => learner,
            #[cfg(feature = "estimators")]
            Self::EnsembleDoublyRobust(ensemble) => ensemble,
        }
    }
}

/// The router is named `hpg` in every form.
impl Router for HpgRouter {
    fn name(&self) -> &str {
        "hpg"
    }

    fn models(&self) -> usize {
        self.router().models()
    }

    fn decide(&mut self, x: &[f64]) -> Result<Decision> {
        self.router_mut().decide(x)
    }

    fn observe(&mut self, ticket: Ticket, reward: f64, all_rewards: Option<&[f64]>) -> Result<()> {
        self.router_mut().observe(ticket, reward, all_rewards)
    }

    fn probabilities(&self, x: &[f64]) -> Result<Vec<f64>> {
        self.router().probabilities(x)
    }

    fn full_information(&self) -> bool {
        self.router().full_information()
    }
}
