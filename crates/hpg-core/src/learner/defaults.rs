//! Default parameters of the HPG learner, and where they come from.
//!
//! docs/algorithm.md derives each value; this module states them once.

/// Radius per model: `D = RADIUS_PER_MODEL * M` (logit units).
///
/// A rank-`s` expert `c U U^T` has nuclear norm `c s`. On synthetic
/// low-rank problems with `s = 2` the class approaches the oracle only
/// with `c` near 10, so the budget is about 16-20 per model.
pub const RADIUS_PER_MODEL: f64 = 16.0;

/// Hypentropy scale as a fraction of the per-model radius:
/// `beta = BETA_FRACTION * D / M`, which is 2 logit units by default.
///
/// Below `beta` the hypentropy acts like the Euclidean regularizer, above
/// it like the entropy, so a first step moves logits by at most
/// `beta * STEP_SCALE` and only directions that keep receiving gradient
/// grow multiplicatively.
pub const BETA_FRACTION: f64 = 1.0 / 8.0;

/// Scale of the AdaGrad-norm step, in dual units per unit of gradient.
pub const STEP_SCALE: f64 = 1.0;

/// Largest rank kept per model on the low-rank path.
pub const MAX_RANK: usize = 16;

/// Eigenpairs whose primal eigenvalue is below `DROP_FRACTION * beta` are
/// dropped on the low-rank path; each one changes a logit by at most that
/// much times `||z||^2 <= 1`.
pub const DROP_FRACTION: f64 = 0.01;
