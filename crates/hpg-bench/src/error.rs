//! The error type of the experiment runner.

use std::path::PathBuf;

use thiserror::Error;

/// Errors of the experiment runner.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Error {
    /// An experiment name that [`crate::Experiment::parse`] does not know.
    #[error("unknown experiment {name:?}; the valid experiments are {valid}")]
    UnknownExperiment {
        /// The name that was passed.
        name: String,
        /// The valid names, comma-separated.
        valid: String,
    },

    /// An option of the runner lies outside its valid range.
    #[error("invalid {option} {value}: expected {expected}")]
    InvalidOption {
        /// The option, as written on the command line.
        option: &'static str,
        /// The value that was passed.
        value: String,
        /// The valid range and the fix, in words.
        expected: &'static str,
    },

    /// A data directory or file that an experiment needs is missing.
    #[error("{kind} {path} not found; {fix}")]
    MissingData {
        /// Kind of the missing path: a data folder or a data file.
        kind: &'static str,
        /// The path that was looked up.
        path: PathBuf,
        /// How to supply it.
        fix: &'static str,
    },

    /// A learner, environment or run failed.
    #[error(transparent)]
    Core(#[from] hpg_core::Error),

    /// The reference policy could not be built.
    #[error(transparent)]
    Policy(#[from] hpg_policy::Error),

    /// The reference policy's mirror map could not be built.
    #[error(transparent)]
    Linalg(#[from] hpg_linalg::Error),

    /// A feature or reward file could not be loaded.
    #[error(transparent)]
    Data(#[from] hpg_io::Error),

    /// An output file could not be written.
    #[error("failed to write {path}: {source}")]
    Write {
        /// The file being written.
        path: PathBuf,
        /// The underlying failure.
        source: std::io::Error,
    },

    /// A plot could not be drawn or written.
    #[error("failed to draw plot {path}: {message}")]
    Plot {
        /// The file being written.
        path: PathBuf,
        /// The drawing backend's message.
        message: String,
    },

    /// No font for the plot labels was found.
    #[error("no TrueType font found for the plot labels; install fonts-dejavu-core or set HPG_FONT to a .ttf file")]
    MissingFont,
}

/// The result type of the experiment runner.
pub type Result<T> = std::result::Result<T, Error>;
