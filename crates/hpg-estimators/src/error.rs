//! The error type of this crate.

use thiserror::Error;

/// Errors returned by the gradient estimators.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum Error {
    /// A reward is NaN or outside `[0, 1]`.
    #[error("reward {value} for model {model} is outside [0, 1]; rescale rewards into [0, 1]")]
    Reward {
        /// The model whose reward it is.
        model: usize,
        /// The offending value.
        value: f64,
    },

    /// A logged propensity is 0, negative, above 1 or NaN.
    #[error("propensity {value} is invalid: a logged propensity must lie in (0, 1]; rounds with propensity 0 cannot be reweighted, drop them")]
    Propensity {
        /// The offending value.
        value: f64,
    },

    /// The feedback does not match the number of models.
    #[error("{what}: expected {expected}, found {found}")]
    Shape {
        /// Name of the checked value.
        what: &'static str,
        /// Expected length.
        expected: usize,
        /// Length that was passed.
        found: usize,
    },

    /// The estimator needs the reward of every model, which the feedback
    /// does not carry.
    #[error("the full-information estimator needs the reward of every model; pass `all_rewards`")]
    MissingRewards,

    /// The estimator needs the policy features `z`, which the feedback does
    /// not carry.
    #[error("the doubly robust estimator needs the policy features z of each round; pass `features` (the learner in hpg-core does)")]
    MissingFeatures,

    /// A policy feature is NaN or infinite.
    #[error("policy feature {index} is {value}; every policy feature must be finite")]
    Feature {
        /// Index of the feature in `z`.
        index: usize,
        /// The offending value.
        value: f64,
    },

    /// A parameter lies outside its valid range.
    #[error("invalid {name} = {value}: expected {expected}")]
    InvalidParameter {
        /// Name of the parameter.
        name: &'static str,
        /// The value that was passed.
        value: f64,
        /// The valid range, in words.
        expected: &'static str,
    },
}

/// Result type of this crate.
pub type Result<T> = std::result::Result<T, Error>;
