//! Low-rank symmetric linear algebra for hpg, on [faer].
//!
//! The routing policy of hpg keeps one symmetric matrix per model and
//! trains it by mirror ascent under the spectral hypentropy. Everything in
//! that update acts on eigenvalues, so this crate provides:
//!
//! - [`symmetric_eigen`] and [`svd`]: checked, single-threaded wrappers on
//!   faer that reject non-finite input with a typed [`Error`];
//! - [`MirrorMap`] with [`Hypentropy`] and [`Euclidean`], and their spectral
//!   versions ([`spectral_grad`], [`spectral_grad_inverse`],
//!   [`spectral_potential`], [`bregman_divergence`]);
//! - [`Ball`]: Bregman projections onto nuclear-norm and operator-norm balls,
//!   by an exact sort-based dual soft threshold;
//! - [`EigenForm`]: a matrix stored as `Q diag(values) Q^T` with low-rank
//!   updates that cost `O(n r^2)` instead of a full decomposition.
//!
//! # Examples
//! One mirror-ascent step on a 2 x 2 block with hypentropy and a
//! nuclear-norm ball of radius 1:
//! ```
//! use hpg_linalg::{Ball, EigenForm, Hypentropy, MirrorMap, Scope};
//!
//! let map = Hypentropy::new(0.1).unwrap();
//! let mut dual = EigenForm::zeros(2);
//! dual.add_rank_one(5.0, &[0.6, 0.8]).unwrap();
//! let ball = Ball::Nuclear { radius: 1.0, scope: Scope::Joint };
//! ball.project(&map, &mut [dual.values_mut()]);
//! let trace: f64 = dual.values().iter().map(|&u| map.grad_inverse(u).abs()).sum();
//! assert!(trace <= 1.0 + 1e-12);
//! ```
//!
//! # References
//! Dai, Golrezaei, Jaillet, "Policy Regret for Embedding Model Routing:
//! Contextual Bandits with Low-Rank Experts", arXiv:2606.14929 (2026).

#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod check;
mod eigen;
mod eigenform;
#[cfg(feature = "serde")]
mod eigenform_serde;
mod error;
mod mirror;
mod projection;
mod spectral;
mod svd;

pub use eigen::{symmetric_eigen, SymmetricEigen};
pub use eigenform::EigenForm;
pub use error::{Error, Result};
pub use mirror::{Euclidean, Hypentropy, MirrorMap, DUAL_LIMIT};
pub use projection::{nuclear_threshold, soft_threshold, Ball, Scope};
pub use spectral::{bregman_divergence, spectral_grad, spectral_grad_inverse, spectral_potential};
pub use svd::{svd, Svd};
