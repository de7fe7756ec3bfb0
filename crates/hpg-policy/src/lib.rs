//! Routing policies for hpg: which embedding model serves a query.
//!
//! A policy maps router features `x` of a query to a distribution over `M`
//! models. The features pass through a [`FeatureMap`] `psi` (default
//! [`Normalized`]) to policy features `z` with `||z|| <= 1`, and each model
//! gets a logit:
//!
//! | class | logit of model `m` | parameters |
//! | --- | --- | --- |
//! | [`LogQuadratic`] | `z^T Theta_m z` | symmetric `n x n` per model |
//! | [`LogLinear`] | `theta_m^T z` | vector of length `n` per model |
//! | [`Constant`] | `theta_m` | one number per model |
//!
//! All three implement [`Policy`] and learn by mirror ascent with a
//! [`hpg_linalg::MirrorMap`] and a [`hpg_linalg::Ball`]. [`softmax`] turns
//! logits into probabilities without overflow and [`sample`] draws a model.
//!
//! # Examples
//! ```
//! use hpg_linalg::{Ball, Hypentropy, Scope};
//! use hpg_policy::{FeatureMap, LogQuadratic, Normalized, Path, Policy};
//!
//! let psi = Normalized::new(3, 1.0).unwrap();
//! let map = Hypentropy::new(0.5).unwrap();
//! let ball = Ball::Nuclear { radius: 8.0, scope: Scope::Joint };
//! let mut policy = LogQuadratic::new(2, psi.output_dim(), map, ball, Path::LowRank, 0.0).unwrap();
//!
//! let z = psi.map(&[1.0, 0.0, 0.0]).unwrap();
//! let mut p = vec![0.0; 2];
//! policy.probabilities(&z, &mut p).unwrap();
//! assert_eq!(p, vec![0.5, 0.5]);
//!
//! // Raise model 0 on this query.
//! policy.ascend(&[1.0, -1.0], &[&z]).unwrap();
//! policy.probabilities(&z, &mut p).unwrap();
//! assert!(p[0] > 0.5);
//! ```

#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod error;
mod features;
mod linear;
mod policy;
mod quadratic;
mod softmax;

pub use error::{Error, Result};
pub use features::{check_features, FeatureMap, Normalized};
pub use linear::{Constant, LogLinear};
pub use policy::Policy;
pub use quadratic::{LogQuadratic, Path};
pub use softmax::{mix_uniform, sample, softmax};
