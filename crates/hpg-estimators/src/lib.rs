//! Bandit gradient estimators for hpg routing policies.
//!
//! After a round, only the chosen model's reward is known. An
//! [`Estimator`] turns that [`Feedback`] into an estimate of the gradient of
//! the policy's expected reward, as one coefficient per model (the shared
//! direction `z z^T` stays implicit, so an estimate never becomes a dense
//! matrix).
//!
//! | estimator | uses | property |
//! | --- | --- | --- |
//! | [`Reinforce`] | chosen reward, sampling probability | unbiased for any baseline |
//! | [`Reinforce::with_implicit_exploration`] | the same | biased towards 0, lower variance |
//! | [`OffPolicy`] | logged reward and propensity | unbiased up to the propensity floor |
//! | [`DoublyRobust`] | chosen reward, sampling probability, features `z` | unbiased for any reward model, lower variance when it is accurate |
//! | [`FullInformation`] | every model's reward | exact; benchmarks only |
//!
//! # Examples
//! ```
//! use hpg_estimators::{Estimator, Feedback, Reinforce};
//!
//! let mut estimator = Reinforce::new();
//! let policy = [0.5, 0.5];
//! let feedback = Feedback { model: 0, reward: 1.0, propensity: 0.5, policy: &policy, all_rewards: None, features: None };
//! let mut coefficients = [0.0; 2];
//! estimator.estimate(&feedback, &mut coefficients).unwrap();
//! // Baseline 0 before the first reward: w = 1 * 0.5 / 0.5 = 1.
//! assert_eq!(coefficients, [0.5, -0.5]);
//! ```

#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

#[cfg(feature = "dr")]
mod dr;
mod error;
mod estimator;
mod feedback;
#[cfg(feature = "off-policy")]
mod off_policy;

#[cfg(feature = "dr")]
pub use dr::{DoublyRobust, DEFAULT_RIDGE};
pub use error::{Error, Result};
#[cfg(feature = "full-information")]
pub use estimator::FullInformation;
pub use estimator::{Estimator, Reinforce, RunningMean};
pub use feedback::{check_reward, Feedback};
#[cfg(feature = "off-policy")]
pub use off_policy::{OffPolicy, PROPENSITY_FLOOR};
