//! hpg: learn online which embedding model should serve each query.
//!
//! A [`Learner`] routes each query to one of `M` models with a
//! query-dependent policy and learns from the reward of the served model
//! only. [`LearnerBuilder::build`] gives the HPG learner: the
//! log-quadratic class `logit_m(z) = z^T Theta_m z`, trained by mirror
//! ascent under the spectral hypentropy inside a nuclear-norm ball, from
//! REINFORCE estimates. Every parameter has a default ([`defaults`]);
//! docs/algorithm.md in the repository derives them.
//!
//! # Examples
//! ```
//! use hpg_core::LearnerBuilder;
//!
//! let mut router = LearnerBuilder::new(4, 2).seed(3).build()?;
//! assert_eq!(router.probabilities(&[0.0; 4])?, vec![0.5, 0.5]);
//!
//! for _ in 0..200 {
//!     let query = [1.0, 0.0, 0.0, 0.0];
//!     let decision = router.decide(&query)?;
//!     // Model 1 is the better one on this query.
//!     let reward = if decision.model == 1 { 1.0 } else { 0.0 };
//!     router.observe(decision.ticket, reward)?;
//! }
//! assert!(router.probabilities(&[1.0, 0.0, 0.0, 0.0])?[1] > 0.6);
//! # Ok::<(), hpg_core::Error>(())
//! ```
//!
//! Beside the learner, [`env`](mod@env) contains the synthetic and replay environments
//! and [`run()`] compares several [`Router`]s on the same rounds.
//! [`baselines`] contains the regression routers to compare against:
//! LinUCB, epsilon-greedy and a full-information reference.
//!
//! # Crate features
//! - `estimators` (default): the off-policy, full-information and doubly
//!   robust estimators of `hpg-estimators`, and
//!   [`LearnerBuilder::build_doubly_robust`].
//! - `io` (default): loading features and reward tables through `hpg-io`,
//!   and `save` and `load` of [`Learner`], [`RadiusEnsemble`] and
//!   [`HpgRouter`] for checkpoint files.
//! - `serde` (default through `io`): serializable learner parts.
//! - `cli` (default): the `hpg` command and its dependencies (clap,
//!   indicatif, plotters, serde_json, tracing-subscriber).
//!
//! With `default-features = false` the crate needs only faer, rand,
//! rand_chacha, thiserror and tracing besides the lower hpg crates.
//!
//! # References
//! Dai, Golrezaei, Jaillet, "Policy Regret for Embedding Model Routing:
//! Contextual Bandits with Low-Rank Experts", arXiv:2606.14929 (2026).

#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod baselines;
mod ensemble;
pub mod env;
mod error;
mod learner;
mod router;
mod run;

pub use ensemble::{HpgCopy, RadiusEnsemble, RADIUS_GRID, WEIGHT_RATE};
pub use error::{Error, Result};
pub use hpg_policy::Path;
pub use learner::defaults;
#[cfg(feature = "io")]
pub use learner::ExpectedConfig;
#[cfg(feature = "estimators")]
pub use learner::HpgDoublyRobust;
pub use learner::{AdaGradNorm, Bias, Decision, EuclideanPg, Hpg, Learner, LearnerBuilder, Ticket};
pub use router::{
    build_router, build_router_with, derive_seed, EstimatorChoice, HpgRouter, Named, Radius,
    Router, RouterOptions, Uniform, IMPLICIT_EXPLORATION, ROUTER_NAMES,
};
pub use run::{run, score_policy, BestFixed, CurvePoint, HoldoutScore, RouterReport, RunReport};

/// The README's Rust example, compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
