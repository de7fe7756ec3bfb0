//! The error type of this crate.

use thiserror::Error;

/// Errors returned by the decompositions, mirror maps and projections.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// An input matrix or vector contains NaN or an infinity.
    #[error("{what} contains the non-finite value {value} at row {row}, column {column}; pass finite values only")]
    NonFinite {
        /// Name of the checked argument.
        what: &'static str,
        /// Row of the first non-finite entry (0-based).
        row: usize,
        /// Column of the first non-finite entry (0-based).
        column: usize,
        /// The offending value.
        value: f64,
    },

    /// Two arguments have incompatible shapes.
    #[error("{what}: expected {expected}, found {found}")]
    DimensionMismatch {
        /// Name of the checked argument.
        what: &'static str,
        /// The expected shape, in words.
        expected: String,
        /// The shape that was passed.
        found: String,
    },

    /// A scalar parameter lies outside its valid range.
    #[error("invalid {name} = {value}: expected {expected}")]
    InvalidParameter {
        /// Name of the parameter, as in the docs.
        name: &'static str,
        /// The value that was passed.
        value: f64,
        /// The valid range, in words.
        expected: &'static str,
    },

    /// faer's iterative solver did not converge.
    #[error("{what} did not converge; the input may be badly scaled")]
    NoConvergence {
        /// Name of the decomposition that failed.
        what: &'static str,
    },

    /// The result is not representable in double precision.
    #[error("{what} overflows double precision; rescale the input")]
    Overflow {
        /// Name of the computation that overflowed.
        what: &'static str,
    },
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
