//! Benchmarks and regret experiments for hpg.
//!
//! The criterion benchmarks live in `benches/`. This library is the
//! experiment runner behind the `experiments` binary. It measures how the
//! regret of each learner grows with the feature dimension, the horizon,
//! the rank of the experts and the number of models. It also compares the
//! learners on drifting and adaptive query streams and on real reward
//! tables, and measures how sensitive HPG is to its radius and step scale.
//!
//! [`run_experiment`] runs one [`Experiment`] under a [`Config`] and
//! writes `<name>.csv`, `<name>.svg` and, where slopes apply,
//! `<name>_slopes.csv` into the output folder
//! ([`output::csv`] lists the columns). Each point runs once per seed, and
//! the seeds run on parallel threads. Results are combined in a fixed
//! order, so the same seeds give the same files bit for bit for any
//! thread count.
//!
//! Regret is measured against two comparators on the rounds the learners
//! played: the best fixed model in hindsight, and a best-in-class
//! reference, a log-quadratic policy fitted offline with full information
//! ([`mod@reference`]).
//!
//! # Examples
//! ```no_run
//! use hpg_bench::{run_experiment, Config, Experiment, Profile};
//!
//! let config = Config::new(Profile::Quick, "results");
//! let outcome = run_experiment(Experiment::Dimension, &config, &|_, _| {})?;
//! for slope in &outcome.slopes {
//!     println!("{}: {:?}", slope.learner, slope.fit);
//! }
//! # Ok::<(), hpg_bench::Error>(())
//! ```

#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

mod config;
mod environment;
mod error;
mod figures;
mod learners;
pub mod output;
mod point;
mod pool;
pub mod real;
pub mod reference;
mod runner;
pub mod sensitivity;
pub mod slope;
mod stats;
mod summary;
pub mod sweeps;
mod table;
mod trial;

pub use config::{default_data_dir, Config, Experiment, Profile};
pub use environment::{EnvSpec, Recorder, ReplaySpec};
pub use error::{Error, Result};
pub use learners::{all_learners, default_synthetic_learners, parse_learners, LearnerSpec};
pub use point::{Point, Scoring};
pub use runner::{run_experiment, Outcome};
pub use stats::Estimate;
pub use summary::{Row, SlopeRow};
pub use table::{load_judged, load_titles, load_typos, Table, TITLES_FEATURE_FILES};
pub use trial::{run_point, Measurement, BEST_FIXED_NAME};
