//! The synthetic sweeps: dimension, horizon, rank, number of models and
//! query schedule.
//!
//! Every point is a [`SyntheticBuilder`] environment with the builder's
//! defaults (`n = 64`, `M = 4`, `s = 2`, 200 items, noise 0.3) except the
//! swept value, and fits the best-in-class reference. The four size
//! sweeps place the items in the model subspaces
//! ([`ItemPlacement::Subspaces`]): with items on the sphere every gap
//! shrinks as `1 / sqrt(n)`, and a dimension sweep would measure the
//! environment instead of the learners. The drift points keep the
//! default placement of `hpg simulate`.

use hpg_core::env::{ItemPlacement, Schedule, SyntheticBuilder};

use crate::config::Profile;
use crate::environment::EnvSpec;
use crate::learners::LearnerSpec;
use crate::point::{Point, Scoring};

/// Feature dimensions of the `dimension` sweep.
const DIMENSIONS: [usize; 7] = [16, 32, 64, 128, 256, 512, 1024];

/// Ranks of the `rank` sweep.
const RANKS: [usize; 5] = [1, 2, 4, 8, 16];

/// Model counts of the `models` sweep.
const MODEL_COUNTS: [usize; 4] = [2, 4, 8, 16];

/// Feature dimensions of the `drift` experiment.
const DRIFT_DIMENSIONS: [usize; 2] = [64, 256];

/// Number of blocks of the block schedule over a run, so that each of the
/// `M = 4` query types comes back several times.
const BLOCKS_PER_RUN: usize = 20;

/// Rounds per point of the sweeps at a fixed horizon.
///
/// NOTE: run time grows with the learner list. With the 9 default
/// learners of December 2026, the quick `dimension` sweep took 92 s on 2
/// cores shared with other builds, most of it at `n = 512` and 1024.
pub fn fixed_rounds(profile: Profile) -> usize {
    match profile {
        Profile::Tiny => 300,
        Profile::Quick => 2_000,
        Profile::Full => 20_000,
    }
}

/// Horizons of the `horizon` sweep, log-spaced: 5 values from 1,000 to
/// 10,000 in the quick profile and 7 from 1,000 to 100,000 in the full one.
pub fn horizons(profile: Profile) -> Vec<usize> {
    let (low, high, count): (f64, f64, i32) = match profile {
        Profile::Tiny => (200.0, 800.0, 3),
        Profile::Quick => (1_000.0, 10_000.0, 5),
        Profile::Full => (1_000.0, 100_000.0, 7),
    };
    let ratio = (high / low).ln() / f64::from(count - 1);
    (0..count)
        .map(|k| (low * (ratio * f64::from(k)).exp()).round() as usize)
        .collect()
}

/// Points of the `dimension` sweep: `n` from 16 to 1024 (16 to 64 in the
/// tiny profile), `s = 2`, `M = 4`.
pub fn dimension(profile: Profile, learners: &[LearnerSpec]) -> Vec<Point> {
    let dims: &[usize] = match profile {
        Profile::Tiny => &DIMENSIONS[..3],
        Profile::Quick | Profile::Full => &DIMENSIONS,
    };
    let rounds = fixed_rounds(profile);
    dims.iter()
        .map(|&dim| {
            let builder = sized().dim(dim);
            iid_point("dim", dim, builder, rounds, learners)
        })
        .collect()
}

/// Points of the `horizon` sweep at `n = 64`.
pub fn horizon(profile: Profile, learners: &[LearnerSpec]) -> Vec<Point> {
    horizons(profile)
        .into_iter()
        .map(|rounds| iid_point("rounds", rounds, sized(), rounds, learners))
        .collect()
}

/// Points of the `rank` sweep: `s` from 1 to 16 (1 to 4 in the tiny
/// profile) at `n = 64`.
pub fn rank(profile: Profile, learners: &[LearnerSpec]) -> Vec<Point> {
    let ranks: &[usize] = match profile {
        Profile::Tiny => &RANKS[..3],
        Profile::Quick | Profile::Full => &RANKS,
    };
    let rounds = fixed_rounds(profile);
    ranks
        .iter()
        .map(|&s| iid_point("rank", s, sized().rank(s), rounds, learners))
        .collect()
}

/// Points of the `models` sweep: `M` from 2 to 16 (2 to 8 in the tiny
/// profile) at `n = 64`.
pub fn models(profile: Profile, learners: &[LearnerSpec]) -> Vec<Point> {
    let counts: &[usize] = match profile {
        Profile::Tiny => &MODEL_COUNTS[..3],
        Profile::Quick | Profile::Full => &MODEL_COUNTS,
    };
    let rounds = fixed_rounds(profile);
    counts
        .iter()
        .map(|&m| iid_point("models", m, sized().models(m), rounds, learners))
        .collect()
}

/// Points of the `drift` experiment: i.i.d., block and adaptive query
/// types at `n = 64` and `n = 256` (`n = 16` in the tiny profile).
pub fn drift(profile: Profile, learners: &[LearnerSpec]) -> Vec<Point> {
    let dims: &[usize] = match profile {
        Profile::Tiny => &[16],
        Profile::Quick | Profile::Full => &DRIFT_DIMENSIONS,
    };
    let rounds = fixed_rounds(profile);
    let block_len = (rounds / BLOCKS_PER_RUN).max(1);
    let schedules = [
        ("iid", Schedule::Iid),
        ("blocks", Schedule::Blocks { len: block_len }),
        ("adaptive", Schedule::Adaptive),
    ];

    let mut points = Vec::new();
    for &dim in dims {
        for (setting, schedule) in schedules {
            let builder = SyntheticBuilder::new().dim(dim);
            let mut point = iid_point("dim", dim, builder.clone(), rounds, learners);
            point.setting = setting.to_owned();
            point.env = EnvSpec::Synthetic {
                builder,
                schedule,
                rounds,
            };
            points.push(point);
        }
    }
    points
}

/// Returns the environment of the size sweeps: defaults with subspace
/// items.
fn sized() -> SyntheticBuilder {
    SyntheticBuilder::new().placement(ItemPlacement::Subspaces)
}

fn iid_point(
    parameter: &'static str,
    value: usize,
    builder: SyntheticBuilder,
    rounds: usize,
    learners: &[LearnerSpec],
) -> Point {
    Point {
        setting: "iid".to_owned(),
        parameter,
        value: value as f64,
        parameter2: None,
        env: EnvSpec::Synthetic {
            builder,
            schedule: Schedule::Iid,
            rounds,
        },
        learners: learners.to_vec(),
        reference: true,
        scoring: Scoring::Training,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_horizons_span_three_decades() {
        let t = horizons(Profile::Full);
        assert_eq!(t.len(), 7);
        assert_eq!(t.first(), Some(&1_000));
        assert_eq!(t.last(), Some(&100_000));
        assert!(t.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn drift_has_every_schedule_per_dimension() {
        let learners = vec![LearnerSpec::Named("hpg".to_owned())];
        let points = drift(Profile::Quick, &learners);
        assert_eq!(points.len(), 6);
        assert!(points.iter().any(|p| p.env.is_adaptive()));
        assert_eq!(points.iter().filter(|p| p.setting == "blocks").count(), 2);
    }
}
