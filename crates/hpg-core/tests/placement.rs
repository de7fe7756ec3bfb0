//! Item placement of the synthetic environment: with items in the model
//! subspaces, the right model's advantage keeps its size as `d` grows.

use hpg_core::env::{Environment, ItemPlacement, SyntheticBuilder};

/// Returns the mean reward of the query type's own model and the mean
/// reward of the other models, over `rounds` rounds.
fn own_and_other(dim: usize, placement: ItemPlacement) -> (f64, f64) {
    let models = 4;
    let rounds = 2000;
    let mut env = SyntheticBuilder::new()
        .dim(dim)
        .models(models)
        .rounds(rounds)
        .placement(placement)
        .seed(3)
        .build()
        .unwrap();

    let (mut own, mut other) = (0.0, 0.0);
    while let Some(round) = env.next_round() {
        let k = env.last_query_type().unwrap();
        for (m, reward) in round.rewards.iter().enumerate() {
            if m == k {
                own += reward;
            } else {
                other += reward / (models - 1) as f64;
            }
        }
    }
    (own / rounds as f64, other / rounds as f64)
}

#[test]
fn subspace_items_keep_advantage() {
    for dim in [16, 512] {
        let (own, other) = own_and_other(dim, ItemPlacement::Subspaces);
        assert!(own - other > 0.25, "d = {dim}: own {own}, other {other}");
    }
}

#[test]
fn sphere_items_lose_advantage() {
    let (own_small, other_small) = own_and_other(16, ItemPlacement::Sphere);
    let (own_large, other_large) = own_and_other(512, ItemPlacement::Sphere);
    let small = own_small - other_small;
    let large = own_large - other_large;
    assert!(
        large < 0.5 * small,
        "advantage {small} at d = 16, {large} at d = 512"
    );
}
