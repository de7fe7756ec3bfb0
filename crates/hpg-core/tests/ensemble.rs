//! The radius ensemble, decisions recorded from another policy, and the
//! Euclidean projected-gradient learner.

use hpg_core::{build_router, Error, LearnerBuilder, RadiusEnsemble, Router};

const DIM: usize = 3;

/// Returns a query whose first feature decides which of two models is
/// better.
fn query(round: usize) -> Vec<f64> {
    let sign = if round % 2 == 0 { 1.0 } else { -1.0 };
    vec![sign, ((round as f64) * 0.37).sin() * 0.3, 0.2]
}

fn reward(x: &[f64], model: usize) -> f64 {
    let better = if x[0] > 0.0 { 0 } else { 1 };
    if model == better {
        0.9
    } else {
        0.1
    }
}

/// Plays `rounds` rounds and returns the average reward of the last half.
fn play(router: &mut dyn Router, rounds: usize) -> f64 {
    let mut late = 0.0;
    for round in 0..rounds {
        let x = query(round);
        let decision = router.decide(&x).expect("valid features");
        let r = reward(&x, decision.model);
        router
            .observe(decision.ticket, r, None)
            .expect("valid reward");
        if round >= rounds / 2 {
            late += r;
        }
    }
    late / (rounds - rounds / 2) as f64
}

#[test]
fn single_copy_matches_learner() {
    let builder = LearnerBuilder::new(DIM, 2).seed(11);
    let mut learner = builder.clone().radius(24.0).build().unwrap();
    let mut ensemble = RadiusEnsemble::new(&builder, &[24.0], 11).unwrap();

    for round in 0..300 {
        let x = query(round);
        let expected = learner.decide(&x).unwrap();
        let found = ensemble.decide(&x).unwrap();
        assert_eq!(found.model, expected.model, "round {round}");
        assert_eq!(found.probability.to_bits(), expected.probability.to_bits());
        learner
            .observe(expected.ticket, reward(&x, expected.model))
            .unwrap();
        ensemble
            .observe(found.ticket, reward(&x, found.model), None)
            .unwrap();
    }

    let probe = [0.4, -0.2, 0.1];
    let expected: Vec<u64> = learner
        .probabilities(&probe)
        .unwrap()
        .iter()
        .map(|p| p.to_bits())
        .collect();
    let found: Vec<u64> = ensemble
        .probabilities(&probe)
        .unwrap()
        .iter()
        .map(|p| p.to_bits())
        .collect();
    assert_eq!(found, expected);
}

#[test]
fn weights_favour_useful_radius() {
    let builder = LearnerBuilder::new(DIM, 2);
    let mut ensemble = RadiusEnsemble::new(&builder, &[1e-3, 32.0], 3).unwrap();
    let late = play(&mut ensemble, 3000);
    let weights = ensemble.weights();

    assert!(late > 0.7, "late reward {late}");
    assert!(weights[1] > 0.9, "weights {weights:?}");
    assert!((weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
}

#[test]
fn probabilities_mix_copies() {
    let builder = LearnerBuilder::new(DIM, 3);
    let mut ensemble = RadiusEnsemble::new(&builder, &[6.0, 24.0, 96.0], 5).unwrap();
    play(&mut ensemble, 200);

    let probe = [0.5, 0.1, -0.3];
    let weights = ensemble.weights();
    let mut expected = [0.0; 3];
    for (copy, weight) in ensemble.copies().iter().zip(&weights) {
        let pi = copy.probabilities(&probe).unwrap();
        expected
            .iter_mut()
            .zip(&pi)
            .for_each(|(e, p)| *e += weight * p);
    }
    let found = ensemble.probabilities(&probe).unwrap();
    for (f, e) in found.iter().zip(&expected) {
        assert!((f - e).abs() < 1e-15, "{found:?} != {expected:?}");
    }
}

#[test]
fn ensemble_same_seed_same_decisions() {
    let builder = LearnerBuilder::new(DIM, 2);
    let mut first = RadiusEnsemble::with_default_grid(&builder, 2, 9).unwrap();
    let mut second = RadiusEnsemble::with_default_grid(&builder, 2, 9).unwrap();
    for round in 0..200 {
        let x = query(round);
        let a = first.decide(&x).unwrap();
        let b = second.decide(&x).unwrap();
        assert_eq!(a, b, "round {round}");
        first.observe(a.ticket, reward(&x, a.model), None).unwrap();
        second.observe(b.ticket, reward(&x, b.model), None).unwrap();
    }
    assert_eq!(first.weights(), second.weights());
}

#[test]
fn ensemble_rejects_bad_input() {
    let builder = LearnerBuilder::new(DIM, 2);
    assert!(matches!(
        RadiusEnsemble::new(&builder, &[], 0),
        Err(Error::InvalidParameter { name: "radii", .. })
    ));
    assert!(RadiusEnsemble::new(&builder, &[-1.0], 0).is_err());
    let ensemble = RadiusEnsemble::new(&builder, &[8.0], 0).unwrap();
    assert!(ensemble.clone().with_weight_rate(f64::NAN).is_err());
    assert!(ensemble.clone().with_weight_rate(0.0).is_err());

    let mut ensemble = ensemble;
    assert!(ensemble.decide(&[0.0, f64::NAN, 0.0]).is_err());
    assert!(ensemble.decide(&[0.0; 4]).is_err());

    let decision = ensemble.decide(&[0.1, 0.2, 0.3]).unwrap();
    assert!(ensemble.observe(decision.ticket, 1.5, None).is_err());
    assert!(ensemble.observe(decision.ticket, f64::NAN, None).is_err());
    assert!(
        ensemble.copies()[0].pending() == 1,
        "a rejected reward consumed the ticket"
    );
    ensemble.observe(decision.ticket, 1.0, None).unwrap();
    assert!(matches!(
        ensemble.observe(decision.ticket, 1.0, None),
        Err(Error::UnknownTicket { .. })
    ));
}

#[test]
fn record_learns_from_logged_decisions() {
    let mut learner = LearnerBuilder::new(DIM, 2).seed(1).build().unwrap();
    for round in 0..2000 {
        let x = query(round);
        let model = round / 2 % 2;
        let ticket = learner.record(&x, model, 0.5).unwrap();
        learner.observe(ticket, reward(&x, model)).unwrap();
    }
    let positive = learner.probabilities(&query(0)).unwrap();
    let negative = learner.probabilities(&query(1)).unwrap();
    assert!(positive[0] > 0.7, "{positive:?}");
    assert!(negative[1] > 0.7, "{negative:?}");
}

#[test]
fn record_rejects_bad_decisions() {
    let mut learner = LearnerBuilder::new(DIM, 2).build().unwrap();
    let x = [0.1, 0.2, 0.3];
    assert!(matches!(
        learner.record(&x, 2, 0.5),
        Err(Error::InvalidParameter { name: "model", .. })
    ));
    for propensity in [0.0, -0.1, 1.5, f64::NAN] {
        assert!(matches!(
            learner.record(&x, 0, propensity),
            Err(Error::InvalidParameter {
                name: "propensity",
                ..
            })
        ));
    }
    assert!(learner.record(&[0.1, f64::INFINITY, 0.3], 0, 0.5).is_err());
    assert_eq!(learner.pending(), 0);
}

#[test]
fn euclidean_learner_learns() {
    let mut router = build_router("euclid-pg", DIM, 2, 4).unwrap();
    assert_eq!(router.name(), "euclid-pg");
    let late = play(router.as_mut(), 3000);
    assert!(late > 0.7, "late reward {late}");
}

#[test]
fn tiny_propensity_does_not_stall() {
    const PROPENSITY: f64 = 1e-12;
    let mut learner = LearnerBuilder::new(DIM, 2).seed(2).build().unwrap();
    let x = [0.5, 0.1, -0.2];
    let ticket = learner.record(&x, 0, PROPENSITY).unwrap();
    learner.observe(ticket, 1.0).unwrap();

    for _ in 0..3000 {
        let decision = learner.decide(&x).unwrap();
        let r = if decision.model == 1 { 1.0 } else { 0.0 };
        learner.observe(decision.ticket, r).unwrap();
    }
    let pi = learner.probabilities(&x).unwrap();
    assert!(pi[1] > 0.9, "{pi:?}");
}

#[test]
fn builder_rejects_huge_sizes() {
    for (dim, models) in [(usize::MAX, 3), (1 << 40, 2), (3, usize::MAX)] {
        let result = LearnerBuilder::new(dim, models).build();
        assert!(
            matches!(result, Err(Error::InvalidParameter { .. })),
            "{dim} x {models}"
        );
    }
}
