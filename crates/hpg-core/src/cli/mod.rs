//! The `hpg` command-line tool.

use std::io::IsTerminal;

mod args;
mod checkpoint;
mod commands;
mod error;
mod output;
mod plot;
mod progress;

pub use args::{Cli, Command};
pub use error::CliError;

/// Runs the parsed command.
///
/// # Errors
/// A [`CliError`] with the message and exit code to report.
pub fn execute(cli: &Cli) -> Result<(), CliError> {
    match &cli.command {
        Command::Simulate(args) => commands::simulate(args),
        Command::Replay(args) => commands::replay(args),
    }
}

/// Sends `tracing` logs to stderr: info for `-v`, debug for `-vv`, trace
/// for more. Without `-v` nothing is logged.
pub fn init_logging(verbose: u8) {
    let level = match verbose {
        0 => return,
        1 => tracing::Level::INFO,
        2 => tracing::Level::DEBUG,
        _ => tracing::Level::TRACE,
    };
    // Fails only when a subscriber is already set, and then logs still go
    // somewhere, so the error is ignored.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_max_level(level)
        .try_init();
}
