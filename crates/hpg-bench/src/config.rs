//! Names of the experiments, size profiles and the options of a run.

use std::path::PathBuf;

use crate::{Error, Result};

/// The experiments of the runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Experiment {
    /// Regret against the feature dimension `n`.
    Dimension,
    /// Cumulative regret against the horizon `T`.
    Horizon,
    /// Regret against the rank `s` of the experts.
    Rank,
    /// Regret against the number of models `M`.
    Models,
    /// Block and adaptive query schedules against i.i.d. ones.
    Drift,
    /// HPG over a grid of radii and step scales around its defaults.
    Sensitivity,
    /// The suboptimality gap of every learner on real reward tables.
    Real,
}

impl Experiment {
    /// Every experiment, in the order `all` runs them.
    pub const ALL: [Experiment; 7] = [
        Self::Dimension,
        Self::Horizon,
        Self::Rank,
        Self::Models,
        Self::Drift,
        Self::Sensitivity,
        Self::Real,
    ];

    /// Returns the name used on the command line and in file names.
    pub fn name(self) -> &'static str {
        match self {
            Self::Dimension => "dimension",
            Self::Horizon => "horizon",
            Self::Rank => "rank",
            Self::Models => "models",
            Self::Drift => "drift",
            Self::Sensitivity => "sensitivity",
            Self::Real => "real",
        }
    }

    /// Parses an experiment name.
    ///
    /// # Errors
    /// [`Error::UnknownExperiment`] listing the valid names.
    pub fn parse(name: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|e| e.name() == name)
            .ok_or_else(|| Error::UnknownExperiment {
                name: name.to_owned(),
                valid: Self::ALL.map(Self::name).join(", "),
            })
    }

    /// Parses an experiment name, or `all` for every experiment in the
    /// order of [`Experiment::ALL`].
    ///
    /// # Errors
    /// [`Error::UnknownExperiment`] listing the valid names and `all`.
    pub fn parse_list(name: &str) -> Result<Vec<Self>> {
        if name == "all" {
            return Ok(Self::ALL.to_vec());
        }
        Self::parse(name)
            .map(|experiment| vec![experiment])
            .map_err(|_| Error::UnknownExperiment {
                name: name.to_owned(),
                valid: format!("{}, all", Self::ALL.map(Self::name).join(", ")),
            })
    }

    /// Returns whether the experiment sweeps a size and fits log-log slopes.
    pub fn has_slopes(self) -> bool {
        matches!(
            self,
            Self::Dimension | Self::Horizon | Self::Rank | Self::Models
        )
    }
}

/// Size profile of the experiments; each experiment module lists its sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Profile {
    /// The minimum points and rounds, for the test suite: the same code
    /// path in seconds.
    Tiny,
    /// A few minutes at most per experiment on 2 cores, for development.
    Quick,
    /// The sizes reported in the docs.
    Full,
}

impl Profile {
    /// Returns the default number of seeds per point.
    pub fn default_seeds(self) -> usize {
        match self {
            Self::Tiny | Self::Quick => 2,
            Self::Full => 5,
        }
    }
}

/// Returns the folder of the bundled reward tables, `data/retrieval` in
/// the repository this crate was built from.
pub fn default_data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/retrieval")
}

/// Options of one experiment run.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Size profile.
    pub profile: Profile,
    /// Seeds per point, at least 2; seeds `0..seeds` are used.
    pub seeds: usize,
    /// Learner names; `None` for the experiment's default list.
    pub learners: Option<Vec<String>>,
    /// Folder for the CSV and SVG files; created if missing.
    pub out_dir: PathBuf,
    /// Folder that contains `typos/` and `judged/`.
    pub data_dir: PathBuf,
    /// Folder of the title-search table, if available.
    pub titles_dir: Option<PathBuf>,
    /// Worker threads, at least 1. Results do not depend on it.
    pub threads: usize,
}

impl Config {
    /// Starts from the profile's seed count, default learners, the bundled
    /// data, no title-search table and 2 threads.
    pub fn new(profile: Profile, out_dir: impl Into<PathBuf>) -> Self {
        Self {
            profile,
            seeds: profile.default_seeds(),
            learners: None,
            out_dir: out_dir.into(),
            data_dir: default_data_dir(),
            titles_dir: None,
            threads: 2,
        }
    }

    /// Checks the counts.
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for fewer than 2 seeds or 0 threads.
    pub fn validate(&self) -> Result<()> {
        if self.seeds < 2 {
            return Err(Error::InvalidOption {
                option: "--seeds",
                value: self.seeds.to_string(),
                expected: "at least 2, so that a standard error exists",
            });
        }
        if self.threads == 0 {
            return Err(Error::InvalidOption {
                option: "--threads",
                value: "0".to_owned(),
                expected: "at least 1",
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_list_accepts_all_and_names() {
        assert_eq!(Experiment::parse_list("all").unwrap(), Experiment::ALL);
        assert_eq!(
            Experiment::parse_list("drift").unwrap(),
            [Experiment::Drift]
        );
    }

    #[test]
    fn parse_list_error_lists_all() {
        let error = Experiment::parse_list("bogus").unwrap_err();
        let message = error.to_string();
        assert!(message.contains("bogus"), "{message}");
        assert!(message.contains("real, all"), "{message}");
    }
}
