//! Errors of the command-line tool and their exit codes.

use std::fmt;

/// Exit code for bad usage or bad input.
pub const EXIT_USAGE: u8 = 2;

/// Exit code for a failure after the input was accepted.
pub const EXIT_FAILURE: u8 = 1;

/// An error to print as `error: <message>` before exiting with `code`.
#[derive(Debug)]
pub struct CliError {
    /// The message, without the `error: ` prefix.
    pub message: String,
    /// The process exit code.
    pub code: u8,
}

impl CliError {
    /// Creates an error for bad usage or bad input, which the user can fix
    /// (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: EXIT_USAGE,
        }
    }

    /// Creates an error for a failure after the input was accepted (exit
    /// code 1).
    pub fn failure(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            code: EXIT_FAILURE,
        }
    }
}

/// Errors of the library while reading input and setting up the run: bad
/// input.
impl From<hpg_core::Error> for CliError {
    fn from(error: hpg_core::Error) -> Self {
        Self::usage(error.to_string())
    }
}

impl From<hpg_io::Error> for CliError {
    fn from(error: hpg_io::Error) -> Self {
        Self::usage(error.to_string())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
