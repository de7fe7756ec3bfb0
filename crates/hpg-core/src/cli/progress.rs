//! A progress bar on stderr for long runs in a terminal.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressStyle};

/// Rounds times learners from which a run counts as long enough for a bar.
const MIN_STEPS_FOR_BAR: usize = 50_000;

/// A progress bar over the rounds, or nothing when stderr is not a
/// terminal or the run is short.
#[derive(Debug)]
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    /// Starts a bar over `rounds` rounds when stderr is a terminal and
    /// `steps` (rounds times learners) is large.
    pub fn start(rounds: usize, steps: usize) -> Self {
        if steps < MIN_STEPS_FOR_BAR || !std::io::stderr().is_terminal() {
            return Self { bar: None };
        }

        let bar = ProgressBar::new(rounds as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} rounds, {eta} left") {
            bar.set_style(style);
        }
        Self { bar: Some(bar) }
    }

    /// Moves the bar to `done` rounds.
    pub fn update(&mut self, done: usize) {
        if let Some(bar) = &self.bar {
            bar.set_position(done as u64);
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
