//! Helpers shared by the policy tests: random features and steps, and the
//! check that rejected steps leave a policy unchanged.

#![allow(dead_code)]

use hpg_policy::{Error, Policy};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Returns a random vector with `||z|| <= 1`, as the feature maps produce.
pub fn unit_ball_vector(rng: &mut ChaCha8Rng, n: usize) -> Vec<f64> {
    let mut z: Vec<f64> = (0..n).map(|_| rng.random_range(-1.0..1.0)).collect();
    let norm = z.iter().map(|v| v * v).sum::<f64>().sqrt();
    let radius: f64 = rng.random_range(0.2..=1.0);
    z.iter_mut().for_each(|v| *v *= radius / norm.max(1e-12));
    z
}

/// Takes a random mini-batch step of 1 to 3 rounds with coefficients of
/// magnitude up to `scale`.
pub fn random_step<P: Policy>(policy: &mut P, rng: &mut ChaCha8Rng, scale: f64) {
    let rounds = rng.random_range(1..=3);
    let models = policy.models();
    let features: Vec<Vec<f64>> = (0..rounds)
        .map(|_| unit_ball_vector(rng, policy.dim()))
        .collect();
    let coefficients: Vec<f64> = (0..rounds * models)
        .map(|_| scale * rng.random_range(-1.0..1.0))
        .collect();
    let views: Vec<&[f64]> = features.iter().map(Vec::as_slice).collect();
    policy
        .ascend(&coefficients, &views)
        .expect("valid ascent step");
}

pub fn logits_of<P: Policy>(policy: &P, z: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; policy.models()];
    policy.logits(z, &mut out).expect("valid features");
    out
}

pub fn probabilities_of<P: Policy>(policy: &P, z: &[f64]) -> Vec<f64> {
    let mut out = vec![0.0; policy.models()];
    policy.probabilities(z, &mut out).expect("valid features");
    out
}

/// Returns the bit patterns of the logits of `policy` on a few fixed probes.
fn fingerprint<P: Policy>(policy: &P) -> Vec<u64> {
    let n = policy.dim();
    let probes = [
        vec![0.3; n],
        (0..n)
            .map(|i| if i % 2 == 0 { 0.4 } else { -0.2 })
            .collect(),
    ];
    probes
        .iter()
        .flat_map(|z| logits_of(policy, z))
        .map(f64::to_bits)
        .collect()
}

/// Runs the invalid ascent steps that every policy class must reject
/// without changing its parameters.
pub fn check_errors_keep_policy<P: Policy>(mut policy: P, label: &str) {
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    for _ in 0..5 {
        random_step(&mut policy, &mut rng, 1.0);
    }
    let before = fingerprint(&policy);
    let rank = policy.rank();
    let (models, n) = (policy.models(), policy.dim());
    let good = vec![0.2; n];
    let coefficients = vec![0.5; models];

    let short = vec![0.2; n - 1];
    let error = policy
        .ascend(&coefficients, &[&short])
        .expect_err("short features");
    assert_eq!(
        error,
        Error::FeatureLength {
            expected: n,
            found: n - 1
        },
        "{label}: short features"
    );

    let mut nan_features = good.clone();
    nan_features[0] = f64::NAN;
    let error = policy
        .ascend(&coefficients, &[&nan_features])
        .expect_err("NaN feature");
    assert!(
        matches!(error, Error::NonFiniteFeature { index: 0, .. }),
        "{label}: NaN feature gave {error:?}"
    );

    let mut nan_coefficients = coefficients.clone();
    nan_coefficients[models - 1] = f64::NAN;
    let error = policy
        .ascend(&nan_coefficients, &[&good])
        .expect_err("NaN coefficient");
    assert!(
        matches!(
            error,
            Error::InvalidParameter {
                name: "gradient coefficient",
                ..
            }
        ),
        "{label}: NaN coefficient gave {error:?}"
    );

    let mut infinite = coefficients.clone();
    infinite[0] = f64::INFINITY;
    let error = policy
        .ascend(&infinite, &[&good])
        .expect_err("infinite coefficient");
    assert!(
        matches!(
            error,
            Error::InvalidParameter {
                name: "gradient coefficient",
                ..
            }
        ),
        "{label}: infinite coefficient gave {error:?}"
    );

    let error = policy
        .ascend(&coefficients[..models - 1], &[&good])
        .expect_err("too few coefficients");
    assert!(
        matches!(
            error,
            Error::InvalidParameter {
                name: "coefficients length",
                ..
            }
        ),
        "{label}: too few coefficients gave {error:?}"
    );

    let mut out = vec![0.0; models];
    let error = policy.logits(&short, &mut out).expect_err("short probe");
    assert!(
        matches!(error, Error::FeatureLength { .. }),
        "{label}: logits on a short probe gave {error:?}"
    );
    let mut wrong_out = vec![0.0; models + 1];
    let error = policy
        .logits(&good, &mut wrong_out)
        .expect_err("long output");
    assert_eq!(
        error,
        Error::FeatureLength {
            expected: models,
            found: models + 1
        },
        "{label}: output slice too long"
    );

    let after = fingerprint(&policy);
    assert_eq!(
        after, before,
        "{label}: logits changed after rejected steps"
    );
    assert_eq!(
        policy.rank(),
        rank,
        "{label}: rank changed after rejected steps"
    );

    // The policy still accepts a valid step afterwards.
    policy
        .ascend(&coefficients, &[&good])
        .expect("valid step after errors");
}
