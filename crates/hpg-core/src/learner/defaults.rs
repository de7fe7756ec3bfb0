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

/// Largest feature dimension that the builder accepts. The dense path
/// keeps an `n x n` matrix per model, which at this size is 32 GiB per
/// model, so the cap only turns allocation failures and overflows into
/// errors.
pub const MAX_INPUT_DIM: usize = 1 << 16;

/// Largest number of models that the builder accepts, for the same reason.
pub const MAX_MODELS: usize = 1 << 12;

/// Smallest propensity that [`crate::Learner::record`] uses: a logged
/// propensity below it is raised to it, which caps the importance weight
/// of one decision at 20.
///
/// A weight of 500 (propensity `1e-3`) put `500^2` into the AdaGrad-norm
/// sum at once. Every later step was then below the drop tolerance of the
/// low-rank path, so each update was dropped and the learner stopped
/// learning for good (tests/ensemble.rs reproduces it).
// NOTE: the same stall can come from many moderate weights or a long
// horizon, whenever a step's eigenvalue change falls below the drop
// tolerance in a direction the basis does not yet hold.
pub const MIN_PROPENSITY: f64 = 0.05;
