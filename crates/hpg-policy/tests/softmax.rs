//! Softmax, uniform mixing and sampling: normalization, overflow, and the
//! empirical distribution of `sample`.

use hpg_policy::{mix_uniform, sample, softmax};
use proptest::prelude::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// Generates 1 to 20 logits in `[-1e6, 1e6]`.
fn logits() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(-1e6..=1e6_f64, 1..=20)
}

/// Generates a probability vector of length 1 to 20 in which some entries
/// may be 0.
fn distribution() -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec(prop_oneof![Just(0.0), 0.0..=1.0_f64], 1..=20).prop_filter_map(
        "at least one positive weight",
        |weights| {
            let total: f64 = weights.iter().sum();
            (total > 0.0).then(|| weights.iter().map(|w| w / total).collect())
        },
    )
}

fn softmax_of(logits: &[f64]) -> Vec<f64> {
    let mut p = vec![f64::NAN; logits.len()];
    softmax(logits, &mut p);
    p
}

proptest! {
    #[test]
    fn softmax_sums_to_one(logits in logits()) {
        let p = softmax_of(&logits);
        let total: f64 = p.iter().sum();
        prop_assert!((total - 1.0).abs() <= 1e-12, "sum {} for logits {:?}", total, logits);
    }

    #[test]
    fn softmax_finite_and_in_range(logits in logits()) {
        let p = softmax_of(&logits);
        for (m, &value) in p.iter().enumerate() {
            prop_assert!(value.is_finite(), "p[{}] = {} for logits {:?}", m, value, logits);
            prop_assert!((0.0..=1.0).contains(&value), "p[{}] = {} for logits {:?}", m, value, logits);
        }
    }

    #[test]
    fn softmax_shift_invariant(logits in prop::collection::vec(-50.0..=50.0_f64, 1..=20), shift in -1e3..=1e3_f64) {
        let p = softmax_of(&logits);
        let shifted: Vec<f64> = logits.iter().map(|l| l + shift).collect();
        let q = softmax_of(&shifted);
        for (m, (a, b)) in p.iter().zip(&q).enumerate() {
            prop_assert!((a - b).abs() <= 1e-12, "p[{}]: {} unshifted, {} shifted by {}", m, a, b, shift);
        }
    }

    #[test]
    fn mix_uniform_keeps_distribution(p in distribution(), gamma in 0.0..=1.0_f64) {
        let mut mixed = p.clone();
        mix_uniform(&mut mixed, gamma);
        let total: f64 = mixed.iter().sum();
        prop_assert!((total - 1.0).abs() <= 1e-12, "sum {} after mixing {:?} with gamma {}", total, p, gamma);
        let floor = gamma / p.len() as f64;
        for (m, &value) in mixed.iter().enumerate() {
            prop_assert!(value >= floor * (1.0 - 1e-12), "p[{}] = {} below floor {}", m, value, floor);
            prop_assert!(value <= 1.0 + 1e-12, "p[{}] = {} above 1", m, value);
        }
    }

    #[test]
    fn sample_returns_positive_entry(p in distribution(), seed in any::<u64>()) {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        for _ in 0..20 {
            let Some((index, probability)) = sample(&p, &mut rng) else {
                return Err(TestCaseError::fail(format!("no index drawn from {p:?}")));
            };
            prop_assert!(index < p.len(), "index {} out of range for {:?}", index, p);
            prop_assert!(probability > 0.0, "index {} has probability {} in {:?}", index, probability, p);
            prop_assert_eq!(probability.to_bits(), p[index].to_bits(), "returned {} but p[{}] = {}", probability, index, p[index]);
        }
    }
}

#[test]
fn softmax_large_logits_exact() {
    let p = softmax_of(&[1000.0, -1000.0]);
    assert_eq!(p, vec![1.0, 0.0], "softmax of [1000, -1000]");

    let q = softmax_of(&[-1000.0, 1000.0]);
    assert_eq!(q, vec![0.0, 1.0], "softmax of [-1000, 1000]");
}

#[test]
fn softmax_equal_logits_uniform() {
    for length in 1..=20 {
        let p = softmax_of(&vec![3.5; length]);
        let expected = 1.0 / length as f64;
        for (m, &value) in p.iter().enumerate() {
            assert!(
                (value - expected).abs() <= 1e-15,
                "length {length}: p[{m}] = {value}, expected {expected}"
            );
        }
    }
}

#[test]
fn softmax_empty_input() {
    let mut p: Vec<f64> = Vec::new();
    softmax(&[], &mut p);
    assert!(p.is_empty(), "output {p:?} for no logits");
}

#[test]
fn mix_uniform_known_values() {
    let mut p = vec![1.0, 0.0, 0.0, 0.0];
    mix_uniform(&mut p, 0.2);
    let expected = [0.85, 0.05, 0.05, 0.05];
    for (m, (a, b)) in p.iter().zip(expected).enumerate() {
        assert!((a - b).abs() <= 1e-15, "p[{m}] = {a}, expected {b}");
    }
}

#[test]
fn mix_uniform_zero_gamma_unchanged() {
    let original = vec![0.7, 0.2, 0.1];
    let mut p = original.clone();
    mix_uniform(&mut p, 0.0);
    assert_eq!(p, original, "gamma 0 changed the distribution");
}

#[test]
fn sample_empty_or_zero_none() {
    let mut rng = ChaCha8Rng::seed_from_u64(1);
    let empty = sample(&[], &mut rng);
    assert_eq!(empty, None, "draw from an empty slice");

    let zeros = sample(&[0.0, 0.0, 0.0], &mut rng);
    assert_eq!(zeros, None, "draw from all-zero probabilities");
}

#[test]
fn sample_frequencies_match() {
    const DRAWS: usize = 20_000;
    let cases: [&[f64]; 5] = [
        &[0.5, 0.5],
        &[0.1, 0.2, 0.3, 0.4],
        &[0.0, 0.25, 0.0, 0.75],
        &[0.01, 0.01, 0.98],
        &[0.2; 5],
    ];

    for (case, p) in cases.iter().enumerate() {
        let mut rng = ChaCha8Rng::seed_from_u64(100 + case as u64);
        let mut counts = vec![0_usize; p.len()];
        for _ in 0..DRAWS {
            let (index, probability) = sample(p, &mut rng).expect("a positive entry exists");
            assert_eq!(
                probability, p[index],
                "case {case}: returned probability of index {index}"
            );
            counts[index] += 1;
        }

        for (m, (&count, &expected)) in counts.iter().zip(p.iter()).enumerate() {
            let frequency = count as f64 / DRAWS as f64;
            if expected == 0.0 {
                assert_eq!(
                    count, 0,
                    "case {case}: index {m} has probability 0 but was drawn"
                );
                continue;
            }
            let standard_error = (expected * (1.0 - expected) / DRAWS as f64).sqrt();
            let deviation = (frequency - expected).abs();
            assert!(
                deviation <= 4.0 * standard_error,
                "case {case}: index {m} frequency {frequency}, probability {expected}, \
                 standard error {standard_error}"
            );
        }
    }
}

#[test]
fn sample_same_seed_same_draws() {
    let p = [0.3, 0.3, 0.4];
    let mut first = ChaCha8Rng::seed_from_u64(9);
    let mut second = ChaCha8Rng::seed_from_u64(9);
    for draw in 0..1000 {
        let a = sample(&p, &mut first);
        let b = sample(&p, &mut second);
        assert_eq!(a, b, "draw {draw} differs between equal seeds");
    }
}
