//! hpg: learn online which embedding model should serve each query.

#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![warn(clippy::unwrap_used, clippy::expect_used)]

mod error;
mod learner;

pub use error::{Error, Result};
pub use learner::{AdaGradNorm, Bias, Decision, Hpg, Learner, LearnerBuilder, Ticket};
