//! The regression features that every baseline router shares.

use hpg_policy::{FeatureMap, Normalized};
use rand::Rng;

use super::QuadraticFeatures;
use crate::error::invalid;
use crate::Result;

/// Weight `c` of the constant coordinate of `z`, the same as the HPG
/// learner's default, so the baselines regress on the policy's features.
const FEATURE_CONSTANT: f64 = 1.0;

/// Maps router features `x` to the vector a baseline regresses on:
/// `z = [x / max(1, ||x||), c] / sqrt(1 + c^2)` with `c = 1`, or the
/// quadratic expansion of that `z`.
#[derive(Debug, Clone)]
pub(crate) struct Regressors {
    map: Normalized,
    expansion: Option<QuadraticFeatures>,
    /// `z` of the last [`Regressors::compute`].
    z: Vec<f64>,
    /// The expansion of `z` of the last [`Regressors::compute`].
    expanded: Vec<f64>,
}

impl Regressors {
    /// Regresses on `z` itself.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] when `input_dim` is 0.
    pub(crate) fn linear(input_dim: usize) -> Result<Self> {
        let map = normalized(input_dim)?;
        Ok(Self {
            z: vec![0.0; map.output_dim()],
            map,
            expansion: None,
            expanded: Vec::new(),
        })
    }

    /// Regresses on the quadratic expansion of `z`, drawing any random
    /// projections from `rng`.
    ///
    /// # Errors
    /// As [`Regressors::linear`], and [`QuadraticFeatures::new`]'s errors.
    pub(crate) fn quadratic<R: Rng + ?Sized>(input_dim: usize, rng: &mut R) -> Result<Self> {
        let map = normalized(input_dim)?;
        let expansion = QuadraticFeatures::new(map.output_dim(), rng)?;
        Ok(Self {
            z: vec![0.0; map.output_dim()],
            expanded: vec![0.0; expansion.output_dim()],
            map,
            expansion: Some(expansion),
        })
    }

    /// Length of the regression vector.
    pub(crate) fn output_dim(&self) -> usize {
        match &self.expansion {
            Some(expansion) => expansion.output_dim(),
            None => self.map.output_dim(),
        }
    }

    /// Computes the regression vector of `x` in an internal buffer and
    /// returns it.
    ///
    /// # Errors
    /// A feature error for a wrong length or a non-finite entry of `x`.
    pub(crate) fn compute(&mut self, x: &[f64]) -> Result<&[f64]> {
        self.map.map_into(x, &mut self.z)?;
        match &self.expansion {
            Some(expansion) => {
                expansion.expand_into(&self.z, &mut self.expanded)?;
                Ok(&self.expanded)
            }
            None => Ok(&self.z),
        }
    }

    /// Returns the regression vector of `x` in a new vector, for callers
    /// that cannot borrow the router mutably.
    ///
    /// # Errors
    /// As [`Regressors::compute`].
    pub(crate) fn compute_new(&self, x: &[f64]) -> Result<Vec<f64>> {
        let z = self.map.map(x)?;
        match &self.expansion {
            Some(expansion) => {
                let mut expanded = vec![0.0; expansion.output_dim()];
                expansion.expand_into(&z, &mut expanded)?;
                Ok(expanded)
            }
            None => Ok(z),
        }
    }
}

fn normalized(input_dim: usize) -> Result<Normalized> {
    if input_dim == 0 {
        return Err(invalid(
            "input_dim",
            "0".to_owned(),
            "at least 1 router feature",
        ));
    }
    Ok(Normalized::new(input_dim, FEATURE_CONSTANT)?)
}
