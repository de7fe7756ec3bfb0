//! The error type of this crate.

use thiserror::Error;

/// Errors returned by feature maps, policies and sampling.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A feature vector has the wrong length.
    #[error("feature vector has length {found}, expected {expected}; pass one value per feature dimension")]
    FeatureLength {
        /// The dimension the policy was built for.
        expected: usize,
        /// The length that was passed.
        found: usize,
    },

    /// A feature is NaN or infinite.
    #[error("feature {index} is {value}; every feature must be a finite number")]
    NonFiniteFeature {
        /// Position of the first bad feature (0-based).
        index: usize,
        /// The offending value.
        value: f64,
    },

    /// A model index is out of range.
    #[error("model index {index} is out of range for {models} models")]
    ModelIndex {
        /// The index that was passed.
        index: usize,
        /// The number of models.
        models: usize,
    },

    /// A parameter lies outside its valid range.
    #[error("invalid {name} = {value}: expected {expected}")]
    InvalidParameter {
        /// Name of the parameter, as in the docs.
        name: &'static str,
        /// The value that was passed.
        value: f64,
        /// The valid range, in words.
        expected: &'static str,
    },

    /// The parameters of a policy disagree with each other, for example in
    /// a policy restored from a damaged file.
    #[error(
        "inconsistent policy state: {reason}; rebuild the policy or restore it from an intact file"
    )]
    InvalidState {
        /// Description of the inconsistency.
        reason: String,
    },

    /// A linear-algebra step failed.
    #[error(transparent)]
    Linalg(#[from] hpg_linalg::Error),
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
