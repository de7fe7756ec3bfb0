use super::*;
use crate::env::linalg::dot;
use crate::Error;

fn small() -> SyntheticBuilder {
    SyntheticBuilder::new()
        .dim(8)
        .models(3)
        .rank(2)
        .items(30)
        .rounds(200)
}

fn collect(builder: &SyntheticBuilder) -> Vec<Round> {
    let mut env = builder.build().unwrap();
    std::iter::from_fn(|| env.next_round()).collect()
}

#[test]
fn synthetic_same_seed_same_rounds() {
    for schedule in [
        Schedule::Iid,
        Schedule::Blocks { len: 7 },
        Schedule::Adaptive,
    ] {
        let builder = small().schedule(schedule).seed(11);
        let first = collect(&builder);
        let second = collect(&builder);
        assert_eq!(first.len(), 200);
        for (a, b) in first.iter().zip(&second) {
            let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
            assert_eq!(bits(&a.features), bits(&b.features), "{schedule:?}");
            assert_eq!(bits(&a.rewards), bits(&b.rewards), "{schedule:?}");
        }
    }
}

#[test]
fn synthetic_different_seeds_differ() {
    let first = collect(&small().seed(1));
    let second = collect(&small().seed(2));
    assert_ne!(first[0].features, second[0].features);
    assert_ne!(first, second);
}

#[test]
fn synthetic_rewards_in_unit_interval() {
    for round in collect(&small().noise(1.0).seed(3)) {
        assert_eq!(round.rewards.len(), 3);
        assert_eq!(round.features.len(), 8);
        assert!(
            round.rewards.iter().all(|r| (0.0..=1.0).contains(r)),
            "{:?}",
            round.rewards
        );
        let norm = dot(&round.features, &round.features).sqrt();
        assert!((norm - 1.0).abs() < 1e-12, "norm {norm}");
    }
}

#[test]
fn synthetic_stops_after_rounds() {
    let mut env = small().rounds(5).build().unwrap();
    assert_eq!(env.rounds(), 5);
    for _ in 0..5 {
        assert!(env.next_round().is_some());
    }
    assert!(env.next_round().is_none());
}

#[test]
fn synthetic_noiseless_query_in_type_subspace() {
    let mut env = small().noise(0.0).seed(4).build().unwrap();
    for _ in 0..50 {
        let round = env.next_round().unwrap();
        let k = env.last_query_type().unwrap();
        let basis = env.basis(k).unwrap();
        let projected = project(basis, 8, &round.features);
        let norm = dot(&projected, &projected).sqrt();
        assert!(
            (norm - 1.0).abs() < 1e-9,
            "type {k}: projection norm {norm}"
        );
    }
}

#[test]
fn synthetic_noiseless_type_model_is_oracle() {
    let mut env = small().noise(0.0).seed(5).build().unwrap();
    let mut strictly_better = 0;
    for _ in 0..200 {
        let round = env.next_round().unwrap();
        let k = env.last_query_type().unwrap();
        assert_eq!(round.rewards[k], round.best_reward(), "{:?}", round.rewards);
        strictly_better += round
            .rewards
            .iter()
            .filter(|&&r| r < round.rewards[k])
            .count();
    }
    // The other models see the query only through their own subspace, so
    // they usually serve a worse item.
    assert!(
        strictly_better > 200,
        "only {strictly_better} strictly worse rewards"
    );
}

#[test]
fn synthetic_blocks_cycle_types() {
    let mut env = small()
        .schedule(Schedule::Blocks { len: 4 })
        .build()
        .unwrap();
    let mut types = Vec::new();
    for _ in 0..14 {
        env.next_round().unwrap();
        types.push(env.last_query_type().unwrap());
    }
    assert_eq!(types, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 0, 0]);
}

#[test]
fn synthetic_adaptive_picks_worst_type() {
    let mut env = small().schedule(Schedule::Adaptive).build().unwrap();
    let mut types = Vec::new();
    for _ in 0..3 {
        let round = env.next_round().unwrap();
        let k = env.last_query_type().unwrap();
        types.push(k);
        // Gap 0 on types 0 and 2, the largest possible gap on type 1.
        let reward = if k == 1 {
            round.best_reward() - 0.5
        } else {
            round.best_reward()
        };
        env.record_reward(reward);
    }
    assert_eq!(types, [0, 1, 2]);

    for _ in 0..5 {
        let round = env.next_round().unwrap();
        assert_eq!(env.last_query_type(), Some(1));
        env.record_reward(round.best_reward() - 0.5);
    }
}

#[test]
fn synthetic_builder_rejects_invalid_parameters() {
    let cases = [
        ("dim", small().dim(0)),
        ("models", small().models(1)),
        ("rank", small().rank(9)),
        ("rank", small().rank(0)),
        ("items", small().items(0)),
        ("noise", small().noise(-0.1)),
        ("noise", small().noise(f64::NAN)),
        ("rounds", small().rounds(0)),
        (
            "block length",
            small().schedule(Schedule::Blocks { len: 0 }),
        ),
    ];
    for (expected, builder) in cases {
        match builder.build() {
            Err(Error::InvalidParameter { name, .. }) => assert_eq!(name, expected),
            other => panic!("{expected}: expected InvalidParameter, got {other:?}"),
        }
    }
}
