//! Validated construction of learners, with parameter-free defaults.

#[cfg(feature = "estimators")]
use hpg_estimators::{DoublyRobust, DEFAULT_RIDGE};
use hpg_estimators::{Estimator, Reinforce};
use hpg_linalg::{Ball, Euclidean, Hypentropy, MirrorMap, Scope};
use hpg_policy::{Constant, FeatureMap, LogLinear, LogQuadratic, Normalized, Path, Policy};

use super::{defaults, AdaGradNorm, Learner};
use crate::error::invalid;
use crate::Result;

/// Representation of the per-model bias, the query-independent part of a
/// logit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bias {
    /// A constant coordinate of weight `c` in the features:
    /// `z = [x / max(1, ||x||), c] / sqrt(1 + c^2)`. `c = 0` removes it.
    Coordinate(f64),
}

/// The HPG learner with its default components.
pub type Hpg = Learner<Normalized, LogQuadratic<Hypentropy>, Reinforce>;

/// The log-quadratic learner trained by Euclidean projected gradient ascent.
pub type EuclideanPg = Learner<Normalized, LogQuadratic<Euclidean>, Reinforce>;

/// The HPG learner with the doubly robust estimator in place of REINFORCE.
#[cfg(feature = "estimators")]
pub type HpgDoublyRobust = Learner<Normalized, LogQuadratic<Hypentropy>, DoublyRobust>;

/// Builds learners; every setter is checked in [`LearnerBuilder::build`].
#[derive(Debug, Clone)]
pub struct LearnerBuilder {
    input_dim: usize,
    models: usize,
    radius: Option<f64>,
    beta: Option<f64>,
    step_scale: Option<f64>,
    exploration: f64,
    implicit_exploration: f64,
    batch_size: usize,
    seed: u64,
    path: Path,
    drop_tolerance: Option<f64>,
    max_rank: Option<usize>,
    bias: Bias,
}

impl LearnerBuilder {
    /// Starts a builder for router features of length `input_dim` and
    /// `models` models, with every other parameter at its default.
    pub fn new(input_dim: usize, models: usize) -> Self {
        Self {
            input_dim,
            models,
            radius: None,
            beta: None,
            step_scale: None,
            exploration: 0.0,
            implicit_exploration: 0.0,
            batch_size: 1,
            seed: 0,
            path: Path::LowRank,
            drop_tolerance: None,
            max_rank: None,
            bias: Bias::Coordinate(1.0),
        }
    }

    /// Radius `D` of the nuclear-norm ball `sum_m ||Theta_m||_* <= D`, in
    /// logit units.
    pub fn radius(mut self, radius: f64) -> Self {
        self.radius = Some(radius);
        self
    }

    /// Scale `beta` of the hypentropy.
    pub fn beta(mut self, beta: f64) -> Self {
        self.beta = Some(beta);
        self
    }

    /// Scale of the AdaGrad-norm step size, in dual units.
    pub fn step_scale(mut self, scale: f64) -> Self {
        self.step_scale = Some(scale);
        self
    }

    /// Uniform exploration `gamma` in `[0, 1)`: models are drawn from
    /// `(1 - gamma) pi + gamma / M`.
    pub fn exploration(mut self, gamma: f64) -> Self {
        self.exploration = gamma;
        self
    }

    /// Implicit exploration `gamma_ix >= 0` of the REINFORCE or doubly
    /// robust estimator.
    pub fn implicit_exploration(mut self, gamma_ix: f64) -> Self {
        self.implicit_exploration = gamma_ix;
        self
    }

    /// Number of observations per update (mini-batch size, at least 1).
    pub fn batch_size(mut self, size: usize) -> Self {
        self.batch_size = size;
        self
    }

    /// Seed of the sampling stream.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Low-rank (default) or dense updates.
    pub fn path(mut self, path: Path) -> Self {
        self.path = path;
        self
    }

    /// Primal eigenvalue magnitude below which the low-rank path drops an
    /// eigenpair.
    pub fn drop_tolerance(mut self, tolerance: f64) -> Self {
        self.drop_tolerance = Some(tolerance);
        self
    }

    /// Largest rank kept per model on the low-rank path.
    pub fn max_rank(mut self, max_rank: usize) -> Self {
        self.max_rank = Some(max_rank);
        self
    }

    /// Sets the representation of the per-model bias.
    pub fn bias(mut self, bias: Bias) -> Self {
        self.bias = bias;
        self
    }

    /// Returns the radius in force: the one set, or the default.
    pub fn resolved_radius(&self) -> f64 {
        self.radius
            .unwrap_or(defaults::RADIUS_PER_MODEL * self.models as f64)
    }

    /// Returns the hypentropy scale in force: the one set, or the default.
    pub fn resolved_beta(&self) -> f64 {
        self.beta.unwrap_or_else(|| {
            defaults::BETA_FRACTION * self.resolved_radius() / self.models.max(1) as f64
        })
    }

    /// Returns the step scale in force: the one set, or the default.
    pub fn resolved_step_scale(&self) -> f64 {
        self.step_scale.unwrap_or(defaults::STEP_SCALE)
    }

    /// Builds the HPG learner: log-quadratic class, hypentropy, joint
    /// nuclear-norm ball, REINFORCE with a running-mean baseline.
    ///
    /// # Errors
    /// [`crate::Error::InvalidParameter`] naming the first invalid parameter.
    pub fn build(&self) -> Result<Hpg> {
        let ball = Ball::Nuclear {
            radius: self.resolved_radius(),
            scope: Scope::Joint,
        };
        self.build_quadratic(ball)
    }

    /// Builds the unconstrained log-quadratic learner (no ball).
    ///
    /// # Errors
    /// As [`LearnerBuilder::build`].
    pub fn build_unconstrained(&self) -> Result<Hpg> {
        self.build_quadratic(Ball::Unconstrained)
    }

    /// Builds the log-quadratic learner with the Euclidean map instead of
    /// the hypentropy: projected gradient ascent on the Frobenius ball
    /// `sum_m ||Theta_m||_F^2 <= D^2`, with the same estimator.
    ///
    /// The Frobenius ball of radius `D` contains the nuclear-norm ball of
    /// HPG, so the class is at least as rich. The step scale is multiplied
    /// by `beta`, because near zero a hypentropy step of `s` dual units
    /// moves a primal eigenvalue by about `beta s`: both learners then take
    /// the same first steps and differ only in geometry.
    ///
    /// # Errors
    /// As [`LearnerBuilder::build`].
    pub fn build_euclidean(&self) -> Result<EuclideanPg> {
        self.validate()?;
        let ball = Ball::Frobenius {
            radius: self.resolved_radius(),
        };
        let scaled = self
            .clone()
            .step_scale(self.resolved_step_scale() * self.resolved_beta());
        let policy = scaled.quadratic_policy(Euclidean, ball)?;
        scaled.build_with(policy, scaled.estimator()?)
    }

    /// Builds the HPG learner of [`LearnerBuilder::build`] with the doubly
    /// robust estimator: one ridge regression per model (penalty
    /// [`DEFAULT_RIDGE`]) on the policy features `z` serves as reward
    /// model. The estimator keeps `M d^2` floats, with `d` the length of
    /// `z` (`input_dim + 1` with the default bias), so each checkpoint grows
    /// by `8 M d^2` bytes.
    ///
    /// # Errors
    /// As [`LearnerBuilder::build`].
    ///
    /// # Examples
    /// ```
    /// use hpg_core::LearnerBuilder;
    ///
    /// let mut router = LearnerBuilder::new(4, 2).seed(3).build_doubly_robust()?;
    /// for _ in 0..200 {
    ///     let query = [1.0, 0.0, 0.0, 0.0];
    ///     let decision = router.decide(&query)?;
    ///     // Model 1 is the better one on this query.
    ///     let reward = if decision.model == 1 { 1.0 } else { 0.0 };
    ///     router.observe(decision.ticket, reward)?;
    /// }
    /// assert!(router.probabilities(&[1.0, 0.0, 0.0, 0.0])?[1] > 0.6);
    /// # Ok::<(), hpg_core::Error>(())
    /// ```
    #[cfg(feature = "estimators")]
    pub fn build_doubly_robust(&self) -> Result<HpgDoublyRobust> {
        self.validate()?;
        let ball = Ball::Nuclear {
            radius: self.resolved_radius(),
            scope: Scope::Joint,
        };
        let policy = self.quadratic_policy(self.map()?, ball)?;
        let estimator = DoublyRobust::with_parameters(
            self.models,
            policy.dim(),
            DEFAULT_RIDGE,
            self.implicit_exploration,
        )?;
        self.build_with(policy, estimator)
    }

    /// Builds the log-linear learner with the same map, radius and step.
    ///
    /// # Errors
    /// As [`LearnerBuilder::build`].
    pub fn build_log_linear(
        &self,
    ) -> Result<Learner<Normalized, LogLinear<Hypentropy>, Reinforce>> {
        self.validate()?;
        let features = self.feature_map()?;
        let ball = Ball::Nuclear {
            radius: self.resolved_radius(),
            scope: Scope::Joint,
        };
        let policy = LogLinear::new(self.models, features.output_dim(), self.map()?, ball)?;
        self.build_with(policy, self.estimator()?)
    }

    /// Builds the constant (EXP3-style) learner.
    ///
    /// # Errors
    /// As [`LearnerBuilder::build`].
    pub fn build_constant(&self) -> Result<Learner<Normalized, Constant<Hypentropy>, Reinforce>> {
        self.validate()?;
        let features = self.feature_map()?;
        let ball = Ball::Nuclear {
            radius: self.resolved_radius(),
            scope: Scope::Joint,
        };
        let policy = Constant::new(self.models, features.output_dim(), self.map()?, ball)?;
        self.build_with(policy, self.estimator()?)
    }

    /// Builds a learner around any policy and estimator, with this builder's
    /// feature map, step size, exploration, batch size and seed.
    ///
    /// # Errors
    /// As [`LearnerBuilder::build`], and when the policy's dimensions do not
    /// match the feature map and model count.
    pub fn build_with<P: Policy, E: Estimator>(
        &self,
        policy: P,
        estimator: E,
    ) -> Result<Learner<Normalized, P, E>> {
        self.validate()?;
        let features = self.feature_map()?;
        if policy.dim() != features.output_dim() || policy.models() != self.models {
            return Err(invalid(
                "policy",
                format!("{} models x dim {}", policy.models(), policy.dim()),
                "the builder's model count and feature dimension",
            ));
        }
        let step = AdaGradNorm::new(self.resolved_step_scale());
        Ok(Learner::assemble(
            features,
            policy,
            estimator,
            step,
            self.exploration,
            self.batch_size,
            self.seed,
        ))
    }

    fn build_quadratic(&self, ball: Ball) -> Result<Hpg> {
        self.validate()?;
        let policy = self.quadratic_policy(self.map()?, ball)?;
        self.build_with(policy, self.estimator()?)
    }

    fn quadratic_policy<M: MirrorMap>(&self, map: M, ball: Ball) -> Result<LogQuadratic<M>> {
        let features = self.feature_map()?;
        let beta = self.resolved_beta();
        let tolerance = self
            .drop_tolerance
            .unwrap_or(defaults::DROP_FRACTION * beta);
        let max_rank = self
            .max_rank
            .unwrap_or(defaults::MAX_RANK)
            .min(features.output_dim());
        let policy = LogQuadratic::new(
            self.models,
            features.output_dim(),
            map,
            ball,
            self.path,
            tolerance,
        )?
        .with_max_rank(max_rank)?;
        Ok(policy)
    }

    fn feature_map(&self) -> Result<Normalized> {
        let Bias::Coordinate(constant) = self.bias;
        Ok(Normalized::new(self.input_dim, constant)?)
    }

    fn map(&self) -> Result<Hypentropy> {
        Ok(Hypentropy::new(self.resolved_beta())?)
    }

    fn estimator(&self) -> Result<Reinforce> {
        Ok(Reinforce::with_implicit_exploration(
            self.implicit_exploration,
        )?)
    }

    fn validate(&self) -> Result<()> {
        self.validate_sizes()?;
        self.validate_scales()
    }

    /// Checks the counts: models, features, batch size and rank cap.
    fn validate_sizes(&self) -> Result<()> {
        if self.models < 2 {
            return Err(invalid(
                "models",
                self.models.to_string(),
                "at least 2 models",
            ));
        }
        if self.input_dim == 0 {
            return Err(invalid("input_dim", "0".to_owned(), "at least 1 feature"));
        }
        if self.input_dim > defaults::MAX_INPUT_DIM {
            let value = self.input_dim.to_string();
            return Err(invalid("input_dim", value, "at most 65,536 features"));
        }
        if self.models > defaults::MAX_MODELS {
            let value = self.models.to_string();
            return Err(invalid("models", value, "at most 4,096 models"));
        }
        if self.batch_size == 0 {
            return Err(invalid("batch_size", "0".to_owned(), "at least 1"));
        }
        if self.max_rank == Some(0) {
            return Err(invalid("max_rank", "0".to_owned(), "at least 1"));
        }
        Ok(())
    }

    /// Checks the real-valued parameters.
    fn validate_scales(&self) -> Result<()> {
        positive("radius", self.resolved_radius())?;
        positive("step_scale", self.resolved_step_scale())?;
        positive("beta", self.resolved_beta())?;

        let Bias::Coordinate(constant) = self.bias;
        non_negative("bias", constant)?;
        non_negative("implicit_exploration", self.implicit_exploration)?;
        if let Some(tolerance) = self.drop_tolerance {
            non_negative("drop_tolerance", tolerance)?;
        }

        if !(0.0..1.0).contains(&self.exploration) {
            let value = self.exploration.to_string();
            return Err(invalid("exploration", value, "a value in [0, 1)"));
        }
        Ok(())
    }
}

fn positive(name: &'static str, value: f64) -> Result<()> {
    if !(value.is_finite() && value > 0.0) {
        return Err(invalid(name, value.to_string(), "a finite value > 0"));
    }
    Ok(())
}

fn non_negative(name: &'static str, value: f64) -> Result<()> {
    if !(value.is_finite() && value >= 0.0) {
        return Err(invalid(name, value.to_string(), "a finite value >= 0"));
    }
    Ok(())
}
