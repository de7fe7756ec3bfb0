//! hpg: learn online which embedding model should serve each query.

#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

pub mod env;
mod error;
mod learner;
mod router;
mod run;

pub use error::{Error, Result};
pub use learner::defaults;
pub use learner::{AdaGradNorm, Bias, Decision, Hpg, Learner, LearnerBuilder, Ticket};
pub use router::{build_router, derive_seed, Named, Router, Uniform, ROUTER_NAMES};
pub use run::{run, BestFixed, CurvePoint, HoldoutScore, RouterReport, RunReport};
