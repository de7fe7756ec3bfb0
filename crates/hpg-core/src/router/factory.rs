//! Construction of routers by name, each with its own seed.

use hpg_policy::Path;

use super::{HpgRouter, Named, Router, Uniform};
use crate::baselines::{EpsilonGreedy, FullInformationRidge, LinUcb};

use crate::{Error, LearnerBuilder, Result};

/// The names that [`build_router`] accepts, in the order reports list them.
pub const ROUTER_NAMES: [&str; 10] = [
    "hpg",
    "unconstrained",
    "log-linear",
    "constant",
    "uniform",
    "euclid-pg",
    "linucb",
    "eps-greedy",
    "quad-eps-greedy",
    "full-info",
];

/// The radius of the `hpg` router.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub enum Radius {
    /// Copies on a grid of radii under exponential weights
    /// ([`crate::RadiusEnsemble::with_default_grid`]).
    #[default]
    Auto,
    /// One learner with this nuclear-norm radius, in logit units.
    Fixed(f64),
    /// One learner with the default radius of [`LearnerBuilder`].
    Default,
}

/// The gradient estimator of the `hpg` router.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EstimatorChoice {
    /// REINFORCE with a running-mean baseline.
    #[default]
    Reinforce,
    /// REINFORCE with implicit exploration [`IMPLICIT_EXPLORATION`].
    ImplicitExploration,
    /// The doubly robust estimator, with a ridge reward model per model.
    DoublyRobust,
}

/// The `gamma_ix` of [`EstimatorChoice::ImplicitExploration`]: the
/// importance weight of a model drawn with probability `p` is at most
/// `1 / (p + gamma_ix)`, so at most 20.
pub const IMPLICIT_EXPLORATION: f64 = 0.05;

/// Options of [`build_router_with`] that are not sizes or seeds. The
/// default is what [`build_router`] uses.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct RouterOptions {
    /// Update path of the log-quadratic routers (`hpg`, `unconstrained`
    /// and `euclid-pg`). The other routers ignore it.
    pub path: Path,
    /// Radius of the `hpg` router. The other routers use the default
    /// radius of [`LearnerBuilder`].
    pub radius: Radius,
    /// Gradient estimator of the `hpg` router. The other routers use
    /// REINFORCE or their own regressions.
    pub estimator: EstimatorChoice,
}

/// Builds the router called `name` for features of length `input_dim` and
/// `models` models, with every parameter at its default.
///
/// | name | router |
/// | --- | --- |
/// | `hpg` | [`HpgRouter`]: HPG, log-quadratic policy in a nuclear-norm ball; by default a [`RadiusEnsemble`](crate::RadiusEnsemble), with [`Radius::Fixed`] [`LearnerBuilder::build`] |
/// | `unconstrained` | [`LearnerBuilder::build_unconstrained`]: log-quadratic, no ball |
/// | `log-linear` | [`LearnerBuilder::build_log_linear`] |
/// | `constant` | [`LearnerBuilder::build_constant`]: one weight per model |
/// | `uniform` | [`Uniform`] |
/// | `euclid-pg` | [`LearnerBuilder::build_euclidean`]: log-quadratic, Euclidean projected gradient on a Frobenius ball |
/// | `linucb` | [`LinUcb`]: ridge per model, upper confidence bound |
/// | `eps-greedy` | [`EpsilonGreedy::new`]: ridge per model, epsilon-greedy |
/// | `quad-eps-greedy` | [`EpsilonGreedy::quadratic`]: as `eps-greedy` on quadratic features |
/// | `full-info` | [`FullInformationRidge`]: ridge trained on every model's reward; not a bandit |
///
/// The router's seed is [`derive_seed`]`(seed, name)`, so the routers of one
/// run draw from independent streams, and adding a router to a run leaves
/// the numbers of the others unchanged.
///
/// # Errors
/// [`Error::UnknownRouter`] for a name not in [`ROUTER_NAMES`], and the
/// builders' [`Error::InvalidParameter`] for invalid sizes.
///
/// # Examples
/// ```
/// let mut router = hpg_core::build_router("hpg", 3, 2, 0).unwrap();
/// let decision = router.decide(&[0.1, 0.2, 0.3]).unwrap();
/// router.observe(decision.ticket, 0.5, None).unwrap();
/// assert!(hpg_core::build_router("greedy", 3, 2, 0).is_err());
/// ```
pub fn build_router(
    name: &str,
    input_dim: usize,
    models: usize,
    seed: u64,
) -> Result<Box<dyn Router>> {
    build_router_with(name, input_dim, models, seed, &RouterOptions::default())
}

/// Builds the router called `name` as [`build_router`] does, with the
/// given options. The seed does not depend on the options, so two runs
/// that differ only in `options.path` draw from the same stream.
///
/// # Errors
/// As [`build_router`].
///
/// # Examples
/// ```
/// use hpg_core::{build_router_with, Path, RouterOptions};
///
/// let options = RouterOptions { path: Path::Dense, ..RouterOptions::default() };
/// let mut router = build_router_with("hpg", 3, 2, 0, &options).unwrap();
/// let decision = router.decide(&[0.1, 0.2, 0.3]).unwrap();
/// router.observe(decision.ticket, 0.5, None).unwrap();
/// ```
pub fn build_router_with(
    name: &str,
    input_dim: usize,
    models: usize,
    seed: u64,
    options: &RouterOptions,
) -> Result<Box<dyn Router>> {
    let router_seed = derive_seed(seed, name);
    let builder = LearnerBuilder::new(input_dim, models)
        .seed(router_seed)
        .path(options.path);

    let router: Box<dyn Router> = match name {
        "hpg" => Box::new(HpgRouter::new(input_dim, models, router_seed, options)?),
        "euclid-pg" => Box::new(Named::new(name, builder.build_euclidean()?)),
        "unconstrained" => Box::new(Named::new(name, builder.build_unconstrained()?)),
        "log-linear" => Box::new(Named::new(name, builder.build_log_linear()?)),
        "constant" => Box::new(Named::new(name, builder.build_constant()?)),
        "uniform" => Box::new(Uniform::new(input_dim, models, router_seed)?),
        "linucb" => Box::new(LinUcb::new(input_dim, models)?),
        "eps-greedy" => Box::new(EpsilonGreedy::new(input_dim, models, router_seed)?),
        "quad-eps-greedy" => Box::new(EpsilonGreedy::quadratic(input_dim, models, router_seed)?),
        "full-info" => Box::new(FullInformationRidge::new(input_dim, models)?),
        _ => {
            return Err(Error::UnknownRouter {
                name: name.to_owned(),
                valid: ROUTER_NAMES.join(", "),
            })
        }
    };
    Ok(router)
}

/// Derives a router's seed from the run seed and the router's name.
///
/// The name is hashed with 64-bit FNV-1a, XORed with the run seed and
/// passed through the SplitMix64 finalizer. The result depends on nothing
/// else, so it is the same on every platform and for every list of routers.
pub fn derive_seed(run_seed: u64, name: &str) -> u64 {
    splitmix64(run_seed ^ fnv1a(name.as_bytes()))
}

/// 64-bit FNV-1a hash.
fn fnv1a(bytes: &[u8]) -> u64 {
    const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;

    bytes.iter().fold(OFFSET_BASIS, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(PRIME)
    })
}

/// The SplitMix64 output function, which spreads every input bit over the
/// whole word.
fn splitmix64(value: u64) -> u64 {
    let mut z = value.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_reference_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn derive_seed_differs_by_name_and_seed() {
        assert_ne!(derive_seed(0, "hpg"), derive_seed(0, "constant"));
        assert_ne!(derive_seed(0, "hpg"), derive_seed(1, "hpg"));
        assert_eq!(derive_seed(5, "hpg"), derive_seed(5, "hpg"));
    }

    #[test]
    fn build_router_knows_every_listed_name() {
        for name in ROUTER_NAMES {
            let router = build_router(name, 4, 3, 1).unwrap();
            assert_eq!(router.name(), name);
            assert_eq!(router.models(), 3);
        }
    }

    #[test]
    fn build_router_rejects_unknown_name() {
        let error = build_router("greedy", 4, 3, 1).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::UnknownRouter { .. }));
        assert!(message.contains("greedy"), "{message}");
        assert!(message.contains("log-linear"), "{message}");
    }

    #[test]
    fn build_router_with_keeps_name_and_sizes() {
        let options = RouterOptions {
            path: Path::Dense,
            radius: Radius::Default,
            estimator: EstimatorChoice::Reinforce,
        };
        for name in ROUTER_NAMES {
            let router = build_router_with(name, 4, 3, 1, &options).unwrap();
            assert_eq!(router.name(), name);
            assert_eq!(router.models(), 3);
        }
    }

    #[test]
    fn build_router_seed_ignores_other_routers() {
        let x = [0.3, -0.2, 0.1, 0.9];
        let mut alone = build_router("uniform", 4, 3, 9).unwrap();
        let mut other = build_router("hpg", 4, 3, 9).unwrap();
        let mut again = build_router("uniform", 4, 3, 9).unwrap();
        for _ in 0..50 {
            other.decide(&x).unwrap();
            assert_eq!(
                alone.decide(&x).unwrap().model,
                again.decide(&x).unwrap().model
            );
        }
    }
}
