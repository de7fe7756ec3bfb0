//! Full information, off-policy clipping, and invalid feedback: typed errors
//! that leave every estimator's baseline unchanged.

use hpg_estimators::{
    Error, Estimator, Feedback, FullInformation, OffPolicy, Reinforce, PROPENSITY_FLOOR,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const POLICY: [f64; 3] = [0.2, 0.5, 0.3];

fn feedback(model: usize, reward: f64, propensity: f64) -> Feedback<'static> {
    Feedback {
        model,
        reward,
        propensity,
        policy: &POLICY,
        all_rewards: None,
        features: None,
    }
}

/// Returns a REINFORCE estimator whose baseline is exactly 0.5 after two
/// rewards.
fn warmed_reinforce() -> Reinforce {
    let mut estimator = Reinforce::new();
    let mut c = [0.0; 3];
    for reward in [0.25, 0.75] {
        estimator
            .estimate(&feedback(1, reward, 0.5), &mut c)
            .expect("valid feedback");
    }
    estimator
}

/// Returns an off-policy estimator that has learned from two rewards.
fn warmed_off_policy() -> OffPolicy {
    let mut estimator = OffPolicy::new();
    let mut c = [0.0; 3];
    for reward in [0.4, 0.8] {
        estimator
            .estimate(&feedback(1, reward, 0.5), &mut c)
            .expect("valid feedback");
    }
    estimator
}

#[test]
fn full_information_exact_gradient() {
    let mut rng = ChaCha8Rng::seed_from_u64(2);
    let mut estimator = FullInformation;
    for case in 0..100 {
        let models = rng.random_range(2..=6);
        let weights: Vec<f64> = (0..models).map(|_| rng.random_range(0.01..1.0)).collect();
        let total: f64 = weights.iter().sum();
        let policy: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let rewards: Vec<f64> = (0..models).map(|_| rng.random_range(0.0..=1.0)).collect();
        let value: f64 = policy.iter().zip(&rewards).map(|(p, r)| p * r).sum();

        for model in [0, models - 1] {
            let feedback = Feedback {
                model,
                reward: rewards[model],
                propensity: policy[model],
                policy: &policy,
                all_rewards: Some(&rewards),
                features: None,
            };
            let mut c = vec![0.0; models];
            estimator
                .estimate(&feedback, &mut c)
                .expect("valid feedback");
            for m in 0..models {
                let exact = policy[m] * (rewards[m] - value);
                assert!(
                    (c[m] - exact).abs() < 1e-15,
                    "case {case}, chosen {model}, model {m}: {} against exact {exact}",
                    c[m]
                );
            }
        }
    }
}

#[test]
fn full_information_needs_rewards() {
    let mut estimator = FullInformation;
    let mut c = [0.0; 3];
    let error = estimator
        .estimate(&feedback(0, 0.5, 0.2), &mut c)
        .expect_err("no all_rewards");
    assert_eq!(error, Error::MissingRewards, "feedback without all_rewards");
    let message = error.to_string();
    assert!(message.contains("all_rewards"), "message: {message}");
}

#[test]
fn full_information_rewards_checked() {
    let mut estimator = FullInformation;
    let mut c = [0.0; 3];
    let short = [0.5, 0.5];
    let error = estimator
        .estimate(
            &Feedback {
                all_rewards: Some(&short),
                features: None,
                ..feedback(0, 0.5, 0.2)
            },
            &mut c,
        )
        .expect_err("two rewards for three models");
    assert_eq!(
        error,
        Error::Shape {
            what: "all_rewards length",
            expected: 3,
            found: 2
        },
        "all_rewards too short"
    );

    let bad = [0.5, 1.5, 0.5];
    let error = estimator
        .estimate(
            &Feedback {
                all_rewards: Some(&bad),
                features: None,
                ..feedback(0, 0.5, 0.2)
            },
            &mut c,
        )
        .expect_err("reward 1.5 in all_rewards");
    assert_eq!(
        error,
        Error::Reward {
            model: 1,
            value: 1.5
        },
        "all_rewards with 1.5"
    );
}

#[test]
fn off_policy_zero_propensity_error() {
    let mut estimator = warmed_off_policy();
    let before = estimator;
    let mut c = [0.0; 3];
    for propensity in [0.0, -0.5, 1.5, f64::NAN] {
        let error = estimator
            .estimate(&feedback(0, 0.5, propensity), &mut c)
            .expect_err("invalid propensity");
        match error {
            Error::Propensity { value } => {
                assert_eq!(
                    value.to_bits(),
                    propensity.to_bits(),
                    "value reported for {propensity}"
                );
            }
            other => panic!("propensity {propensity}: expected Error::Propensity, got {other:?}"),
        }
        assert_eq!(
            estimator, before,
            "state changed by propensity {propensity}"
        );
    }
    let message = estimator
        .estimate(&feedback(0, 0.5, 0.0), &mut c)
        .expect_err("propensity 0")
        .to_string();
    assert!(message.contains("propensity 0"), "message: {message}");
}

#[test]
fn off_policy_tiny_propensity_clipped() {
    let mut c = [0.0; 3];
    let mut estimator = OffPolicy::new();
    estimator
        .estimate(&feedback(2, 1.0, 1e-9), &mut c)
        .expect("tiny propensity is valid");
    for (m, value) in c.iter().enumerate() {
        assert!(value.is_finite(), "c[{m}] = {value}");
        assert!(
            value.abs() <= 1.0 / PROPENSITY_FLOOR,
            "c[{m}] = {value} beyond 1 / floor = {}",
            1.0 / PROPENSITY_FLOOR
        );
    }

    // The clipped estimate equals REINFORCE at the floor propensity.
    let mut reference = [0.0; 3];
    Reinforce::new()
        .estimate(&feedback(2, 1.0, PROPENSITY_FLOOR), &mut reference)
        .expect("valid feedback");
    assert_eq!(
        c, reference,
        "off-policy at 1e-9 against REINFORCE at the floor"
    );

    // Without the floor the weight would be 0.3 / 1e-9 = 3e8.
    assert!(c[2].abs() < 1e3, "c[2] = {}", c[2]);
}

#[test]
fn off_policy_matches_reinforce() {
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let mut off = OffPolicy::new();
    let mut on = Reinforce::new();
    for round in 0..100 {
        let model = rng.random_range(0..3);
        let propensity = rng.random_range(PROPENSITY_FLOOR..=1.0);
        let reward = rng.random_range(0.0..=1.0);
        let mut a = [0.0; 3];
        let mut b = [0.0; 3];
        off.estimate(&feedback(model, reward, propensity), &mut a)
            .expect("valid feedback");
        on.estimate(&feedback(model, reward, propensity), &mut b)
            .expect("valid feedback");
        assert_eq!(
            a, b,
            "round {round}: propensity {propensity} above the floor"
        );
    }
}

#[test]
fn invalid_reward_keeps_baseline() {
    for reward in [f64::NAN, -0.1, 1.1, f64::INFINITY] {
        let mut estimator = warmed_reinforce();
        let baseline = estimator.baseline();
        let mut c = [7.0; 3];
        let error = estimator
            .estimate(&feedback(1, reward, 0.5), &mut c)
            .expect_err("invalid reward");
        match error {
            Error::Reward { model, value } => {
                assert_eq!(model, 1, "model reported for reward {reward}");
                assert_eq!(
                    value.to_bits(),
                    reward.to_bits(),
                    "value reported for reward {reward}"
                );
            }
            other => panic!("reward {reward}: expected Error::Reward, got {other:?}"),
        }
        assert_eq!(
            estimator.baseline().to_bits(),
            baseline.to_bits(),
            "baseline changed by reward {reward}"
        );

        // The next valid round still uses the old baseline 0.5.
        estimator
            .estimate(&feedback(1, 0.5, 0.5), &mut c)
            .expect("valid feedback");
        assert_eq!(
            c, [0.0; 3],
            "coefficients for a reward equal to the baseline after reward {reward}"
        );
    }
}

#[test]
fn invalid_reward_message() {
    let mut estimator = Reinforce::new();
    let mut c = [0.0; 3];
    let message = estimator
        .estimate(&feedback(2, 1.1, 0.5), &mut c)
        .expect_err("reward 1.1")
        .to_string();
    assert!(message.contains("reward 1.1"), "message: {message}");
    assert!(message.contains("model 2"), "message: {message}");
    assert!(message.contains("[0, 1]"), "message: {message}");
}

#[test]
fn invalid_reward_off_policy_and_full() {
    for reward in [f64::NAN, -0.1, 1.1] {
        let mut off = warmed_off_policy();
        let before = off;
        let mut c = [0.0; 3];
        let error = off
            .estimate(&feedback(0, reward, 0.5), &mut c)
            .expect_err("invalid reward");
        assert!(
            matches!(error, Error::Reward { model: 0, .. }),
            "off-policy, reward {reward}: {error:?}"
        );
        assert_eq!(off, before, "off-policy state changed by reward {reward}");

        let rewards = [0.5, 0.5, 0.5];
        let full = FullInformation.estimate(
            &Feedback {
                all_rewards: Some(&rewards),
                features: None,
                ..feedback(0, reward, 0.5)
            },
            &mut c,
        );
        assert!(
            matches!(full, Err(Error::Reward { model: 0, .. })),
            "full information, reward {reward}: {full:?}"
        );
    }
}

#[test]
fn shape_errors_keep_baseline() {
    let mut estimator = warmed_reinforce();
    let baseline = estimator.baseline();

    let mut c = [0.0; 3];
    let error = estimator
        .estimate(&feedback(3, 0.5, 0.5), &mut c)
        .expect_err("model 3 of 3");
    assert_eq!(
        error,
        Error::Shape {
            what: "chosen model index",
            expected: 3,
            found: 3
        },
        "chosen model out of range"
    );

    let mut long = [0.0; 4];
    let error = estimator
        .estimate(&feedback(0, 0.5, 0.5), &mut long)
        .expect_err("four outputs for three models");
    assert_eq!(
        error,
        Error::Shape {
            what: "output coefficients",
            expected: 3,
            found: 4
        },
        "output slice too long"
    );

    let error = estimator
        .estimate(&feedback(0, 0.5, 0.0), &mut c)
        .expect_err("propensity 0");
    assert!(
        matches!(error, Error::Propensity { .. }),
        "propensity 0: {error:?}"
    );

    assert_eq!(
        estimator.baseline().to_bits(),
        baseline.to_bits(),
        "baseline changed by rejected feedback"
    );
}
