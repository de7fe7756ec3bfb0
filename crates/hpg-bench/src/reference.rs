//! The best-in-class reference: a log-quadratic policy fitted offline with
//! full information on the rounds that the learners played.
//!
//! The class is the one the `hpg` router searches: log-quadratic policies
//! in a nuclear-norm ball of any radius of the ensemble grid
//! [`RADIUS_GRID`] times `M`. For each radius of the grid, an HPG learner
//! with the default feature map, hypentropy rule, rank cap and step size
//! is fitted. Its estimator is [`FullInformation`], the exact gradient from
//! every model's reward, and it makes [`REFERENCE_PASSES`] shuffled passes
//! over the recorded rounds. Each fit is scored by its expected reward
//! `sum_m pi(m | x_t) r_t(m)` on the same rounds, so no draw adds noise,
//! and the reference is the fit with the highest score.
//!
//! NOTE: each fit is a few passes of mirror ascent, not an exact maximizer,
//! so the reference is a lower bound on the best policy of the class and
//! regret against it underestimates regret against the true best.

use hpg_core::env::Round;
use hpg_core::{defaults, derive_seed, LearnerBuilder, Router, RADIUS_GRID};
use hpg_estimators::FullInformation;
use hpg_linalg::{Ball, Hypentropy, Scope};
use hpg_policy::{FeatureMap, LogQuadratic, Normalized, Path};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::Result;

/// Passes of each full-information fit over the recorded rounds.
pub const REFERENCE_PASSES: usize = 3;

/// Number of fits per reference, one per radius of [`RADIUS_GRID`].
pub const REFERENCE_FITS: usize = RADIUS_GRID.len();

/// Name under which the reference appears in reports and from which its
/// seed is derived.
pub const REFERENCE_NAME: &str = "best-in-class";

/// Scores of a policy by its expected reward, on training or held-out
/// rounds.
pub use hpg_core::HoldoutScore as PolicyScore;

/// The fitted reference, scored on the training rounds and on the
/// held-out queries.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reference {
    /// Radius of the selected fit, in logit units.
    pub radius: f64,
    /// Score on the rounds it was fitted on.
    pub training: PolicyScore,
    /// Score on the held-out queries, `None` when there are none.
    pub holdout: Option<PolicyScore>,
}

/// Fits the reference on `rounds` and scores it on `rounds` and `holdout`.
/// The fit with the highest training score is selected (the smallest
/// radius among ties), and its held-out score is reported.
///
/// `progress(rounds)` is called after every pass with the number of rounds
/// of that pass.
///
/// # Errors
/// A builder error for invalid sizes, and a learner error for a round
/// whose feature or reward lengths do not match `dim` and `models`.
pub fn fit_reference(
    rounds: &[Round],
    holdout: &[Round],
    dim: usize,
    models: usize,
    seed: u64,
    progress: &mut dyn FnMut(usize),
) -> Result<Reference> {
    let mut best: Option<Reference> = None;
    for per_model in RADIUS_GRID {
        let radius = per_model * models as f64;
        let fitted = fit_one(rounds, holdout, dim, models, radius, seed, progress)?;
        tracing::debug!(
            radius,
            avg_reward = fitted.training.avg_reward,
            "reference fit"
        );
        let better = best.is_none_or(|b| fitted.training.avg_reward > b.training.avg_reward);
        if better {
            best = Some(fitted);
        }
    }
    best.ok_or(crate::Error::InvalidOption {
        option: "reference radii",
        value: "[]".to_owned(),
        expected: "at least one radius",
    })
}

/// Fits and scores one reference of the given radius.
fn fit_one(
    rounds: &[Round],
    holdout: &[Round],
    dim: usize,
    models: usize,
    radius: f64,
    seed: u64,
    progress: &mut dyn FnMut(usize),
) -> Result<Reference> {
    let mut learner = build_reference(dim, models, radius, seed)?;
    let mut order: Vec<usize> = (0..rounds.len()).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(seed, "best-in-class order"));

    for _ in 0..REFERENCE_PASSES {
        order.shuffle(&mut rng);
        for &index in &order {
            let round = &rounds[index];
            let decision = learner.decide(&round.features)?;
            let reward = round.rewards.get(decision.model).copied().unwrap_or(0.0);
            learner.observe(decision.ticket, reward, Some(&round.rewards))?;
        }
        progress(rounds.len());
    }

    Ok(Reference {
        radius,
        training: score_policy(learner.as_ref(), rounds)?.unwrap_or(PolicyScore {
            avg_reward: 0.0,
            gap: 0.0,
        }),
        holdout: score_policy(learner.as_ref(), holdout)?,
    })
}

/// Builds the HPG learner of the given radius with the full-information
/// estimator.
fn build_reference(dim: usize, models: usize, radius: f64, seed: u64) -> Result<Box<dyn Router>> {
    let builder = LearnerBuilder::new(dim, models)
        .radius(radius)
        .seed(derive_seed(seed, REFERENCE_NAME));
    let feature_dim = Normalized::new(dim, 1.0)?.output_dim();
    let beta = builder.resolved_beta();
    let ball = Ball::Nuclear {
        radius: builder.resolved_radius(),
        scope: Scope::Joint,
    };
    let policy = LogQuadratic::new(
        models,
        feature_dim,
        Hypentropy::new(beta)?,
        ball,
        Path::LowRank,
        defaults::DROP_FRACTION * beta,
    )?
    .with_max_rank(defaults::MAX_RANK.min(feature_dim))?;
    Ok(Box::new(builder.build_with(policy, FullInformation)?))
}

/// Scores `router`'s current policy by its expected reward on `rows`;
/// `None` for no rows.
pub fn score_policy(router: &dyn Router, rows: &[Round]) -> Result<Option<PolicyScore>> {
    Ok(hpg_core::score_policy(router, rows)?)
}
