//! The `real` experiment: every learner on the real reward tables.

use std::path::Path;
use std::sync::Arc;

use crate::config::Profile;
use crate::environment::{EnvSpec, ReplaySpec};
use crate::learners::LearnerSpec;
use crate::point::{Point, Scoring};
use crate::table::{load_judged, load_titles, load_typos, Table};
use crate::Result;

/// Shuffled passes over the judged table, which has only 511 queries.
pub const JUDGED_PASSES: usize = 20;

/// Fraction of the judged queries held out in its held-out setting.
pub const JUDGED_HOLDOUT: f64 = 0.2;

/// Sizes of one profile: passes over the judged table and the cap on
/// training rounds per setting (`None` for no cap).
fn sizes(profile: Profile) -> (usize, Option<usize>) {
    match profile {
        Profile::Tiny => (1, Some(300)),
        // A 4,000-round prefix of the typos pass and 5 judged passes keep
        // the quick profile near a minute on 2 cores.
        Profile::Quick => (5, Some(4_000)),
        Profile::Full => (JUDGED_PASSES, None),
    }
}

/// Returns the points: typos (1 pass), judged (20 passes), judged with
/// 20% of its queries held out and scored on them, and titles (1 pass)
/// when `titles_dir` is given. The quick profile makes 5 judged passes
/// and stops each setting after 4,000 training rounds; the tiny profile
/// makes 1 pass and stops after 300.
///
/// # Errors
/// A failure to load a table.
pub fn points(
    profile: Profile,
    data_dir: &Path,
    titles_dir: Option<&Path>,
    learners: &[LearnerSpec],
) -> Result<Vec<Point>> {
    let typos = load_typos(data_dir)?;
    let judged = load_judged(data_dir)?;

    let (judged_passes, max_rounds) = sizes(profile);
    let point = |setting: &str, table: &Arc<Table>, passes: usize, holdout: f64| {
        let replay = ReplaySpec {
            table: Arc::clone(table),
            passes,
            holdout,
            max_rounds,
        };
        replay_point(setting, replay, learners)
    };

    let mut points = vec![
        point("typos", &typos, 1, 0.0),
        point("judged", &judged, judged_passes, 0.0),
        point("judged-holdout", &judged, judged_passes, JUDGED_HOLDOUT),
    ];
    if let Some(dir) = titles_dir {
        let titles = load_titles(dir)?;
        points.push(point("titles", &titles, 1, 0.0));
    }
    Ok(points)
}

fn replay_point(setting: &str, replay: ReplaySpec, learners: &[LearnerSpec]) -> Point {
    let scoring = if replay.holdout > 0.0 {
        Scoring::Holdout
    } else {
        Scoring::Training
    };
    Point {
        setting: setting.to_owned(),
        parameter: "passes",
        value: replay.passes as f64,
        parameter2: Some(("holdout", replay.holdout)),
        env: EnvSpec::Replay(replay),
        learners: learners.to_vec(),
        reference: true,
        scoring,
    }
}
