//! The learners that an experiment compares, by name or as a scaled HPG.

use hpg_core::{
    build_router_with, derive_seed, LearnerBuilder, Named, Router, RouterOptions, ROUTER_NAMES,
};

use crate::{Error, Result};

/// One learner of an experiment.
#[derive(Debug, Clone, PartialEq)]
pub enum LearnerSpec {
    /// A router that [`hpg_core::build_router_with`] builds by name, with
    /// every parameter at its default.
    Named(String),
    /// The HPG learner with its radius and step scale multiplied by the
    /// given factors. The hypentropy scale `beta` follows the radius by its
    /// default rule, as it does when a user sets the radius.
    ScaledHpg {
        /// Factor on the default radius.
        radius_factor: f64,
        /// Factor on the default step scale.
        step_factor: f64,
    },
}

impl LearnerSpec {
    /// Returns the name shown in reports.
    pub fn label(&self) -> String {
        match self {
            Self::Named(name) => name.clone(),
            Self::ScaledHpg {
                radius_factor,
                step_factor,
            } => format!("hpg radius x{radius_factor} step x{step_factor}"),
        }
    }

    /// Builds the learner for features of length `dim` and `models` models.
    ///
    /// Every scaled HPG draws from the stream of the named `hpg` learner of
    /// the same seed, so grid points differ only in their parameters.
    ///
    /// # Errors
    /// An unknown name, or a parameter that the builder rejects.
    pub fn build(&self, dim: usize, models: usize, seed: u64) -> Result<Box<dyn Router>> {
        match self {
            Self::Named(name) => Ok(build_router_with(
                name,
                dim,
                models,
                seed,
                &RouterOptions::default(),
            )?),
            Self::ScaledHpg {
                radius_factor,
                step_factor,
            } => {
                let defaults = LearnerBuilder::new(dim, models);
                let learner = defaults
                    .clone()
                    .seed(derive_seed(seed, "hpg"))
                    .radius(radius_factor * defaults.resolved_radius())
                    .step_scale(step_factor * defaults.resolved_step_scale())
                    .build()?;
                Ok(Box::new(Named::new(self.label(), learner)))
            }
        }
    }
}

/// Returns the default learners of the synthetic experiments: every name
/// of [`ROUTER_NAMES`] except `uniform`, whose regret is known without a
/// run.
pub fn default_synthetic_learners() -> Vec<String> {
    ROUTER_NAMES
        .iter()
        .filter(|name| **name != "uniform")
        .map(|name| (*name).to_owned())
        .collect()
}

/// Returns every name of [`ROUTER_NAMES`], the default learners of the
/// real-data table.
pub fn all_learners() -> Vec<String> {
    ROUTER_NAMES.iter().map(|name| (*name).to_owned()).collect()
}

/// Checks a list of learner names before any run starts and turns it into
/// specs.
///
/// # Errors
/// [`Error::InvalidOption`] for an empty list or a repeated name, and
/// [`hpg_core::Error::UnknownRouter`] (listing the valid names) for a name
/// that the router factory does not know.
pub fn parse_learners(names: &[String]) -> Result<Vec<LearnerSpec>> {
    if names.is_empty() {
        return Err(Error::InvalidOption {
            option: "--learners",
            value: String::new(),
            expected: "a comma-separated list of at least one learner name",
        });
    }
    for (index, name) in names.iter().enumerate() {
        if names[..index].contains(name) {
            return Err(Error::InvalidOption {
                option: "--learners",
                value: names.join(","),
                expected: "each learner name at most once",
            });
        }
        // Building a small router is the factory's own check of the name.
        build_router_with(name, 1, 2, 0, &RouterOptions::default())?;
    }
    Ok(names.iter().cloned().map(LearnerSpec::Named).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_learners_rejects_unknown_name() {
        let names = vec!["hpg".to_owned(), "greedy".to_owned()];
        let error = parse_learners(&names).unwrap_err();
        assert!(error.to_string().contains("greedy"), "{error}");
    }

    #[test]
    fn parse_learners_rejects_repeats_and_empty() {
        let names = vec!["hpg".to_owned(), "hpg".to_owned()];
        assert!(parse_learners(&names).is_err());
        assert!(parse_learners(&[]).is_err());
    }

    #[test]
    fn default_learners_skip_uniform() {
        let names = default_synthetic_learners();
        assert!(!names.iter().any(|n| n == "uniform"));
        assert!(names.iter().any(|n| n == "hpg"));
    }

    #[test]
    fn scaled_hpg_builds_with_label() {
        let spec = LearnerSpec::ScaledHpg {
            radius_factor: 0.5,
            step_factor: 2.0,
        };
        let router = spec.build(4, 3, 1).unwrap();
        assert_eq!(router.name(), "hpg radius x0.5 step x2");
        assert_eq!(router.models(), 3);
    }
}
