use std::collections::BTreeSet;

use super::*;

/// Builds a table of `rows` queries with 2 features and 3 models, where feature 0
/// of row `i` is `i`, so a round reveals its row.
fn table(rows: usize) -> ReplayBuilder {
    let features = (0..rows).flat_map(|i| [i as f64, 1.0]).collect();
    let rewards = (0..rows).flat_map(|i| [0.0, 0.5, (i % 2) as f64]).collect();
    ReplayBuilder::new(features, 2, rewards, 3)
}

fn row_ids(env: &mut Replay) -> Vec<usize> {
    std::iter::from_fn(|| env.next_round())
        .map(|round| round.features[0] as usize)
        .collect()
}

#[test]
fn replay_same_seed_same_rounds() {
    let mut first = table(20).passes(2).holdout(0.2).seed(3).build().unwrap();
    let mut second = table(20).passes(2).holdout(0.2).seed(3).build().unwrap();
    let a: Vec<Round> = std::iter::from_fn(|| first.next_round()).collect();
    let b: Vec<Round> = std::iter::from_fn(|| second.next_round()).collect();
    assert_eq!(a.len(), 32);
    assert_eq!(a, b);
}

#[test]
fn replay_different_seeds_differ() {
    let first = row_ids(&mut table(30).seed(1).build().unwrap());
    let second = row_ids(&mut table(30).seed(2).build().unwrap());
    assert_ne!(first, second);
}

#[test]
fn replay_file_order_repeats_rows() {
    let mut env = table(4).order(Order::File).passes(2).build().unwrap();
    assert_eq!(env.rounds(), 8);
    assert_eq!(row_ids(&mut env), [0, 1, 2, 3, 0, 1, 2, 3]);
}

#[test]
fn replay_shuffled_pass_visits_every_row_once() {
    let mut env = table(10).passes(3).seed(5).build().unwrap();
    let ids = row_ids(&mut env);
    for pass in ids.chunks(10) {
        let mut sorted = pass.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..10).collect::<Vec<_>>());
    }
    assert_ne!(ids[..10], ids[10..20], "passes should be shuffled anew");
}

#[test]
fn replay_holdout_rows_never_trained() {
    let mut env = table(50).holdout(0.3).passes(4).seed(8).build().unwrap();
    let held_out: BTreeSet<usize> = env.held_out_rows().iter().copied().collect();
    assert_eq!(held_out.len(), 15);
    assert_eq!(env.training_rows().len(), 35);

    let trained: BTreeSet<usize> = row_ids(&mut env).into_iter().collect();
    assert_eq!(trained.len(), 35);
    assert!(trained.is_disjoint(&held_out));

    let holdout_ids: BTreeSet<usize> = env
        .holdout()
        .iter()
        .map(|r| r.features[0] as usize)
        .collect();
    assert_eq!(holdout_ids, held_out);
}

#[test]
fn replay_holdout_split_ignores_order_and_passes() {
    let shuffled = table(40).holdout(0.25).seed(4).build().unwrap();
    let file = table(40)
        .holdout(0.25)
        .order(Order::File)
        .passes(3)
        .seed(4)
        .build()
        .unwrap();
    assert_eq!(shuffled.held_out_rows(), file.held_out_rows());
}

#[test]
fn replay_small_holdout_rounds_up() {
    let env = table(10).holdout(0.01).build().unwrap();
    assert_eq!(env.held_out_rows().len(), 1);
    assert!(table(1).holdout(0.5).build().is_err());
}

#[test]
fn replay_rewards_in_unit_interval() {
    let mut env = table(6).build().unwrap();
    while let Some(round) = env.next_round() {
        assert!(round.rewards.iter().all(|r| (0.0..=1.0).contains(r)));
    }
}

#[test]
fn replay_rejects_reward_outside_unit_interval() {
    let rewards = vec![0.0, 0.5, 1.0, 0.2, 1.5, 0.0];
    let error = ReplayBuilder::new(vec![0.0; 4], 2, rewards, 3)
        .build()
        .unwrap_err();
    let message = error.to_string();
    assert!(
        matches!(
            error,
            Error::InvalidValue {
                row: 1,
                column: 1,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(message.contains("row 1"), "{message}");
}

#[test]
fn replay_rejects_non_finite_feature() {
    let features = vec![0.0, 1.0, f64::NAN, 0.0];
    let error = ReplayBuilder::new(features, 2, vec![0.5; 6], 3)
        .build()
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::InvalidValue {
                row: 1,
                column: 0,
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn replay_rejects_invalid_options() {
    let cases = [
        ("passes", table(5).passes(0)),
        ("holdout", table(5).holdout(1.0)),
        ("holdout", table(5).holdout(-0.1)),
        ("holdout", table(5).holdout(f64::NAN)),
        ("holdout", table(5).holdout(0.9)),
    ];
    for (expected, builder) in cases {
        match builder.build() {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, expected),
            other => panic!("{expected}: expected InvalidParameter, got {other:?}"),
        }
    }
}

#[test]
fn replay_rejects_mismatched_lengths() {
    let short_rewards = ReplayBuilder::new(vec![0.0; 4], 2, vec![0.5; 5], 3).build();
    assert!(matches!(
        short_rewards,
        Err(Error::LengthMismatch {
            expected: 6,
            found: 5,
            ..
        })
    ));

    let ragged = ReplayBuilder::new(vec![0.0; 5], 2, vec![0.5; 6], 3).build();
    assert!(matches!(
        ragged,
        Err(Error::InvalidParameter {
            name: "features length",
            ..
        })
    ));

    let names = table(2).model_names(vec!["a".to_owned()]).build();
    assert!(matches!(
        names,
        Err(Error::LengthMismatch {
            expected: 3,
            found: 1,
            ..
        })
    ));
}
