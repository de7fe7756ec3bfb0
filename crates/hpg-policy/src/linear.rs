//! The log-linear class `logit_m(z) = theta_m^T z` and the constant class
//! `logit_m = theta_m`.

use hpg_linalg::{Ball, MirrorMap};

use crate::policy::{check_ball, check_batch, check_map, check_output, invalid_state};
use crate::{check_features, Error, Policy, Result};

/// Log-linear policy: one weight vector `theta_m` per model.
///
/// Mirror ascent acts entrywise: the dual `grad f(theta_m)` gains `c_m z`,
/// the [`Ball`] is applied to the entries (a nuclear-norm ball becomes the
/// l1 ball over all weights, an operator-norm ball the l-infinity ball), and
/// `grad_inverse` maps back.
///
/// With the `serde` feature the policy serializes its complete state.
/// Call [`Policy::check_state`] on a deserialized policy before using it.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LogLinear<M: MirrorMap> {
    map: M,
    ball: Ball,
    dim: usize,
    duals: Vec<Vec<f64>>,
    weights: Vec<Vec<f64>>,
}

impl<M: MirrorMap> LogLinear<M> {
    /// Creates the zero policy for `models` models and features of length
    /// `dim`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for zero models or an invalid ball.
    pub fn new(models: usize, dim: usize, map: M, ball: Ball) -> Result<Self> {
        if models == 0 {
            return Err(Error::InvalidParameter {
                name: "models",
                value: 0.0,
                expected: "at least one model",
            });
        }
        ball.validate()?;
        Ok(Self {
            map,
            ball,
            dim,
            duals: vec![vec![0.0; dim]; models],
            weights: vec![vec![0.0; dim]; models],
        })
    }

    /// Returns the weights `theta_m` of model `m`.
    pub fn weights(&self, m: usize) -> Option<&[f64]> {
        self.weights.get(m).map(Vec::as_slice)
    }
}

impl<M: MirrorMap> Policy for LogLinear<M> {
    fn models(&self) -> usize {
        self.duals.len()
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn logits(&self, z: &[f64], out: &mut [f64]) -> Result<()> {
        check_features(z, self.dim)?;
        check_output(out, self.models())?;
        for (logit, theta) in out.iter_mut().zip(&self.weights) {
            *logit = theta.iter().zip(z).map(|(t, x)| t * x).sum();
        }
        Ok(())
    }

    fn ascend(&mut self, coefficients: &[f64], features: &[&[f64]]) -> Result<()> {
        let models = self.models();
        check_batch(coefficients, features, models, self.dim)?;

        for (j, z) in features.iter().enumerate() {
            for (m, dual) in self.duals.iter_mut().enumerate() {
                let c = coefficients[j * models + m];
                dual.iter_mut().zip(z.iter()).for_each(|(u, x)| *u += c * x);
            }
        }

        let mut blocks: Vec<&mut [f64]> = self.duals.iter_mut().map(Vec::as_mut_slice).collect();
        self.ball.project(&self.map, &mut blocks);
        for (theta, dual) in self.weights.iter_mut().zip(&self.duals) {
            for (t, &u) in theta.iter_mut().zip(dual) {
                *t = self.map.grad_inverse(u);
            }
        }
        Ok(())
    }

    fn direction_norm(&self, z: &[f64]) -> f64 {
        z.iter().map(|v| v * v).sum::<f64>().sqrt()
    }

    fn rank(&self) -> usize {
        self.weights.iter().flatten().filter(|&&t| t != 0.0).count()
    }

    fn check_state(&self) -> Result<()> {
        check_map(&self.map)?;
        check_ball(&self.ball)?;
        if self.duals.is_empty() || self.weights.len() != self.duals.len() {
            return Err(invalid_state(format!(
                "{} weight vectors for {} models; expected one per model and at least one model",
                self.weights.len(),
                self.duals.len()
            )));
        }
        for (m, (dual, theta)) in self.duals.iter().zip(&self.weights).enumerate() {
            if dual.len() != self.dim || theta.len() != self.dim {
                return Err(invalid_state(format!(
                    "model {m} has {} dual and {} primal weights, expected {}",
                    dual.len(),
                    theta.len(),
                    self.dim
                )));
            }
            // `ascend` computes every weight from its dual value, so a
            // consistent state reproduces them bit for bit.
            let consistent = dual
                .iter()
                .zip(theta)
                .all(|(&u, &t)| u.is_finite() && self.map.grad_inverse(u).to_bits() == t.to_bits());
            if !consistent {
                return Err(invalid_state(format!(
                    "the weights of model {m} are not finite or do not match its dual weights"
                )));
            }
        }
        Ok(())
    }
}

/// Constant policy: one logit per model, the same for every query.
///
/// With the hypentropy map and feedback from the chosen model only, this is
/// an EXP3-style learner over models.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Constant<M: MirrorMap> {
    inner: LogLinear<M>,
    dim: usize,
}

impl<M: MirrorMap> Constant<M> {
    /// Creates the uniform policy for `models` models; `dim` is the length
    /// of the features it accepts and ignores.
    ///
    /// # Errors
    /// As [`LogLinear::new`].
    pub fn new(models: usize, dim: usize, map: M, ball: Ball) -> Result<Self> {
        Ok(Self {
            inner: LogLinear::new(models, 1, map, ball)?,
            dim,
        })
    }
}

impl<M: MirrorMap> Policy for Constant<M> {
    fn models(&self) -> usize {
        self.inner.models()
    }

    fn dim(&self) -> usize {
        self.dim
    }

    fn logits(&self, z: &[f64], out: &mut [f64]) -> Result<()> {
        check_features(z, self.dim)?;
        self.inner.logits(&[1.0], out)
    }

    fn ascend(&mut self, coefficients: &[f64], features: &[&[f64]]) -> Result<()> {
        check_batch(coefficients, features, self.models(), self.dim)?;
        let ones = vec![[1.0]; features.len()];
        let constant: Vec<&[f64]> = ones.iter().map(|one| one.as_slice()).collect();
        self.inner.ascend(coefficients, &constant)
    }

    fn direction_norm(&self, _z: &[f64]) -> f64 {
        1.0
    }

    fn rank(&self) -> usize {
        self.inner.rank()
    }

    fn check_state(&self) -> Result<()> {
        if self.inner.dim != 1 {
            let dim = self.inner.dim;
            return Err(invalid_state(format!(
                "the constant policy stores {dim} weights per model, expected 1"
            )));
        }
        self.inner.check_state()
    }
}
