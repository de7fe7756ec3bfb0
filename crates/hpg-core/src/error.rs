//! The error type of this crate.

use thiserror::Error;

/// Errors returned by the learner, its builder and the environments.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// A builder parameter lies outside its valid range.
    #[error("invalid {name} = {value}: expected {expected}")]
    InvalidParameter {
        /// Name of the builder method.
        name: &'static str,
        /// The value that was passed.
        value: String,
        /// The valid range, in words.
        expected: &'static str,
    },

    /// `observe` got a ticket that `decide` did not issue, or one that was
    /// already observed.
    #[error(
        "unknown ticket {ticket}: it was never issued by this learner or was already observed"
    )]
    UnknownTicket {
        /// The ticket's id.
        ticket: u64,
    },

    /// A router name that [`crate::build_router`] does not know.
    #[error("unknown learner {name:?}; the valid learners are {valid}")]
    UnknownRouter {
        /// The name that was passed.
        name: String,
        /// The valid names, comma-separated.
        valid: String,
    },

    /// Two inputs that must agree in size do not.
    #[error("{what} has {found} values, expected {expected}; pass one value per {unit}")]
    LengthMismatch {
        /// The input that has the wrong size.
        what: &'static str,
        /// The size required.
        expected: usize,
        /// The size passed.
        found: usize,
        /// The item that each value describes, for the message.
        unit: &'static str,
    },

    /// A value of a data table is invalid: a feature that is not finite or a
    /// reward outside `[0, 1]`.
    #[error("row {row}, column {column}: {what} {value} is invalid; expected {expected}")]
    InvalidValue {
        /// `"feature"` or `"reward"`.
        what: &'static str,
        /// 0-based row index.
        row: usize,
        /// 0-based column index.
        column: usize,
        /// The value found.
        value: f64,
        /// The valid range, in words.
        expected: &'static str,
    },

    /// A policy or feature error (wrong length, non-finite feature).
    #[error(transparent)]
    Policy(#[from] hpg_policy::Error),

    /// An estimator error (reward outside `[0, 1]`, bad propensity).
    #[error(transparent)]
    Estimator(#[from] hpg_estimators::Error),

    /// A linear-algebra error.
    #[error(transparent)]
    Linalg(#[from] hpg_linalg::Error),

    /// A data-loading error.
    #[cfg(feature = "io")]
    #[error(transparent)]
    Io(#[from] hpg_io::Error),
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;

/// Builds [`Error::InvalidParameter`].
pub(crate) fn invalid(name: &'static str, value: String, expected: &'static str) -> Error {
    Error::InvalidParameter {
        name,
        value,
        expected,
    }
}
