//! The `Normalized` feature map: the unit-ball bound for any finite input,
//! exact values, and the typed errors.

use hpg_policy::{Error, FeatureMap, Normalized};
use proptest::prelude::*;

/// Generates any finite `f64`: normal, subnormal or zero, of either sign,
/// up to `f64::MAX`.
fn finite() -> impl Strategy<Value = f64> {
    prop::num::f64::NORMAL | prop::num::f64::SUBNORMAL | prop::num::f64::ZERO
}

/// Generates values of magnitude up to `1e300`, where squaring overflows.
fn huge() -> impl Strategy<Value = f64> {
    (-1.0..=1.0_f64).prop_map(|v| v * 1e300)
}

fn norm(z: &[f64]) -> f64 {
    z.iter().map(|v| v * v).sum::<f64>().sqrt()
}

proptest! {
    #[test]
    fn normalized_within_unit_ball(
        x in prop::collection::vec(prop_oneof![finite(), huge(), -10.0..=10.0_f64], 1..=16),
        constant in prop_oneof![Just(0.0), Just(1.0), 0.0..=10.0_f64],
    ) {
        let psi = Normalized::new(x.len(), constant).expect("valid constant");
        let z = psi.map(&x).expect("finite input");
        prop_assert_eq!(z.len(), psi.output_dim(), "output length for constant {}", constant);
        for (i, &value) in z.iter().enumerate() {
            prop_assert!(value.is_finite(), "z[{}] = {} for x = {:?}", i, value, x);
        }
        let length = norm(&z);
        prop_assert!(length <= 1.0 + 1e-12, "||z|| = {} for x = {:?}, c = {}", length, x, constant);
    }

    #[test]
    fn normalized_keeps_direction(
        x in prop::collection::vec(prop_oneof![finite(), huge()], 2..=8),
    ) {
        let psi = Normalized::new(x.len(), 0.0).expect("valid constant");
        let z = psi.map(&x).expect("finite input");
        let largest = x.iter().fold(0.0_f64, |m, v| m.max(v.abs()));
        prop_assume!(largest > 1.0);
        let scaled: Vec<f64> = x.iter().map(|v| v / largest).collect();
        let expected_norm = norm(&scaled);
        for (i, (&a, &s)) in z.iter().zip(&scaled).enumerate() {
            let expected = s / expected_norm;
            prop_assert!((a - expected).abs() <= 1e-12, "z[{}] = {}, expected {} for x = {:?}", i, a, expected, x);
        }
    }
}

#[test]
fn normalized_zero_vector_valid() {
    let psi = Normalized::new(4, 1.0).expect("valid constant");
    let z = psi.map(&[0.0; 4]).expect("zero vector is valid");
    let bias = 1.0 / 2f64.sqrt();
    let expected = [0.0, 0.0, 0.0, 0.0, bias];
    assert_eq!(z, expected.to_vec(), "psi(0) with c = 1");
}

#[test]
fn normalized_small_input_unscaled() {
    let psi = Normalized::new(3, 0.0).expect("valid constant");
    let x = [0.1, -0.2, 0.3];
    let z = psi.map(&x).expect("finite input");
    assert_eq!(
        z,
        x.to_vec(),
        "inputs inside the unit ball pass through with c = 0"
    );
}

#[test]
fn normalized_huge_entries() {
    let psi = Normalized::new(2, 1.0).expect("valid constant");
    let z = psi.map(&[1e300, -1e300]).expect("finite input");
    let expected = 0.5;
    assert!((z[0] - expected).abs() < 1e-15, "z[0] = {}", z[0]);
    assert!((z[1] + expected).abs() < 1e-15, "z[1] = {}", z[1]);
    assert!((z[2] - 1.0 / 2f64.sqrt()).abs() < 1e-15, "z[2] = {}", z[2]);
}

#[test]
fn normalized_max_entries_keep_direction() {
    let psi = Normalized::new(2, 0.0).expect("valid constant");
    let z = psi.map(&[f64::MAX, f64::MAX]).expect("finite input");
    let expected = 1.0 / 2f64.sqrt();
    assert!(
        (z[0] - expected).abs() < 1e-15,
        "z[0] = {}, expected {expected}",
        z[0]
    );
    assert!(
        (z[1] - expected).abs() < 1e-15,
        "z[1] = {}, expected {expected}",
        z[1]
    );
}

#[test]
fn normalized_wrong_length_error() {
    let psi = Normalized::new(3, 1.0).expect("valid constant");
    for length in [0, 2, 4] {
        let error = psi.map(&vec![0.5; length]).expect_err("wrong length");
        assert_eq!(
            error,
            Error::FeatureLength {
                expected: 3,
                found: length
            },
            "input of length {length}"
        );
        let message = error.to_string();
        assert!(
            message.contains(&format!("length {length}")),
            "message: {message}"
        );
        assert!(message.contains("expected 3"), "message: {message}");
    }
}

#[test]
fn normalized_non_finite_error() {
    let psi = Normalized::new(3, 1.0).expect("valid constant");
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let error = psi.map(&[1.0, bad, 2.0]).expect_err("non-finite input");
        match error {
            Error::NonFiniteFeature { index, value } => {
                assert_eq!(index, 1, "index reported for {bad}");
                assert_eq!(value.to_bits(), bad.to_bits(), "value reported for {bad}");
            }
            other => panic!("expected NonFiniteFeature for {bad}, got {other:?}"),
        }
        let message = psi
            .map(&[1.0, bad, 2.0])
            .expect_err("non-finite input")
            .to_string();
        assert!(message.contains("feature 1"), "message: {message}");
        assert!(message.contains("finite"), "message: {message}");
    }
}

#[test]
fn normalized_first_bad_feature_reported() {
    let psi = Normalized::new(4, 0.0).expect("valid constant");
    let error = psi
        .map(&[0.0, 0.0, f64::INFINITY, f64::NAN])
        .expect_err("non-finite input");
    assert!(
        matches!(error, Error::NonFiniteFeature { index: 2, .. }),
        "error {error:?}"
    );
}

#[test]
fn normalized_output_length_error() {
    let psi = Normalized::new(2, 1.0).expect("valid constant");
    let mut out = vec![0.0; 2];
    let error = psi
        .map_into(&[0.1, 0.2], &mut out)
        .expect_err("short output");
    assert_eq!(
        error,
        Error::FeatureLength {
            expected: 3,
            found: 2
        },
        "output slice of length 2"
    );
}

#[test]
fn normalized_invalid_constant() {
    for constant in [-1.0, f64::NAN, f64::INFINITY] {
        let error = Normalized::new(3, constant).expect_err("invalid constant");
        assert!(
            matches!(
                error,
                Error::InvalidParameter {
                    name: "constant",
                    ..
                }
            ),
            "constant {constant}: {error:?}"
        );
    }
}

#[test]
fn normalized_output_dim() {
    let with_bias = Normalized::new(5, 1.0).expect("valid constant");
    assert_eq!(with_bias.output_dim(), 6, "c = 1 adds a coordinate");
    let without = Normalized::new(5, 0.0).expect("valid constant");
    assert_eq!(without.output_dim(), 5, "c = 0 adds none");
    assert_eq!(without.input_dim(), 5, "input_dim");
}
