//! The doubly robust estimator: unbiasedness by exact expectation over the
//! drawn model, the bias of implicit exploration, the ridge reward model,
//! its variance against REINFORCE, and the errors.

#![cfg(feature = "dr")]

use hpg_estimators::{DoublyRobust, Error, Estimator, Feedback, Reinforce};
use hpg_policy::mix_uniform;
use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Returns a random distribution over `models` models with every
/// probability at least about `0.02 / models`.
fn random_policy(rng: &mut ChaCha8Rng, models: usize) -> Vec<f64> {
    let weights: Vec<f64> = (0..models).map(|_| rng.random_range(0.02..1.0)).collect();
    let total: f64 = weights.iter().sum();
    weights.iter().map(|w| w / total).collect()
}

/// Returns a random feature vector of length `dim` with norm at most 1.
fn random_features(rng: &mut ChaCha8Rng, dim: usize) -> Vec<f64> {
    let raw: Vec<f64> = (0..dim).map(|_| rng.random_range(-1.0..1.0)).collect();
    let norm = raw.iter().map(|v| v * v).sum::<f64>().sqrt();
    raw.iter().map(|v| v / norm.max(1.0)).collect()
}

/// Returns the exact gradient coefficients `pi_m (r_m - V)`.
fn exact_gradient(policy: &[f64], rewards: &[f64]) -> Vec<f64> {
    let value: f64 = policy.iter().zip(rewards).map(|(p, r)| p * r).sum();
    policy
        .iter()
        .zip(rewards)
        .map(|(p, r)| p * (r - value))
        .collect()
}

/// Feeds `rounds` random rounds with random rewards to `estimator`, so that
/// its reward models are nonzero and differ between models.
fn warm_up(estimator: &mut impl Estimator, models: usize, dim: usize, rounds: usize, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let policy = vec![1.0 / models as f64; models];
    let mut scratch = vec![0.0; models];
    for _ in 0..rounds {
        let z = random_features(&mut rng, dim);
        let feedback = Feedback {
            model: rng.random_range(0..models),
            reward: rng.random_range(0.0..=1.0),
            propensity: 1.0 / models as f64,
            policy: &policy,
            all_rewards: None,
            features: Some(&z),
        };
        estimator
            .estimate(&feedback, &mut scratch)
            .expect("valid warm-up feedback");
    }
}

/// Returns the mean and the trace of the covariance of the coefficients
/// over the draw `m_t ~ sampling`, by enumerating every `m_t`. Each draw
/// uses a fresh clone of `estimator`.
fn exact_moments<E: Estimator>(
    estimator: &E,
    policy: &[f64],
    sampling: &[f64],
    rewards: &[f64],
    z: &[f64],
) -> (Vec<f64>, f64) {
    let models = policy.len();
    let mut mean = vec![0.0; models];
    let mut second_moment = 0.0;
    let mut coefficients = vec![0.0; models];
    for (drawn, &probability) in sampling.iter().enumerate() {
        let feedback = Feedback {
            model: drawn,
            reward: rewards[drawn],
            propensity: probability,
            policy,
            all_rewards: None,
            features: Some(z),
        };
        estimator
            .clone()
            .estimate(&feedback, &mut coefficients)
            .expect("valid feedback");
        for (m, c) in coefficients.iter().enumerate() {
            mean[m] += probability * c;
            second_moment += probability * c * c;
        }
    }
    let squared_mean: f64 = mean.iter().map(|c| c * c).sum();
    (mean, second_moment - squared_mean)
}

/// Checks that the exact expectation over the drawn model equals the exact
/// gradient, for a warmed-up reward model and exploration `gamma`.
fn check_unbiased(seed: u64, gamma: f64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let models = rng.random_range(2..=6);
    let dim = rng.random_range(2..=6);
    let mut estimator = DoublyRobust::new(models, dim).expect("valid sizes");
    warm_up(&mut estimator, models, dim, 40, seed + 1000);

    let policy = random_policy(&mut rng, models);
    let rewards: Vec<f64> = (0..models).map(|_| rng.random_range(0.0..=1.0)).collect();
    let z = random_features(&mut rng, dim);
    let mut sampling = policy.clone();
    mix_uniform(&mut sampling, gamma);

    let predictions = estimator.predict_rewards(&z).expect("valid features");
    let model_error: f64 = predictions
        .iter()
        .zip(&rewards)
        .map(|(q, r)| (q - r).abs())
        .sum();
    assert!(
        model_error > 0.05,
        "seed {seed}: the reward model {predictions:?} is too close to the rewards {rewards:?} for a meaningful check"
    );

    let (mean, _) = exact_moments(&estimator, &policy, &sampling, &rewards, &z);
    let exact = exact_gradient(&policy, &rewards);
    for m in 0..models {
        let deviation = (mean[m] - exact[m]).abs();
        assert!(
            deviation < 1e-12,
            "seed {seed}, gamma {gamma}, model {m}: mean {} vs exact {} (deviation {deviation:e})",
            mean[m],
            exact[m]
        );
    }
}

#[test]
fn unbiased_without_exploration() {
    for seed in 0..20 {
        check_unbiased(seed, 0.0);
    }
}

#[test]
fn unbiased_with_uniform_exploration() {
    for seed in 100..120 {
        check_unbiased(seed, 0.2);
    }
}

#[test]
fn implicit_exploration_shrinks_towards_model() {
    let (models, dim, gamma_ix) = (4, 3, 0.3);
    let mut estimator =
        DoublyRobust::with_parameters(models, dim, 1.0, gamma_ix).expect("valid parameters");
    warm_up(&mut estimator, models, dim, 30, 7);
    let mut rng = ChaCha8Rng::seed_from_u64(8);
    let policy = random_policy(&mut rng, models);
    let rewards: Vec<f64> = (0..models).map(|_| rng.random_range(0.0..=1.0)).collect();
    let z = random_features(&mut rng, dim);

    // E[rtilde_m] = q_m + p(m) / (p(m) + gamma_ix) (r_m - q_m).
    let predictions = estimator.predict_rewards(&z).expect("valid features");
    let shrunk: Vec<f64> = (0..models)
        .map(|m| {
            let q = predictions[m];
            q + policy[m] / (policy[m] + gamma_ix) * (rewards[m] - q)
        })
        .collect();
    let expected = exact_gradient(&policy, &shrunk);
    let unbiased = exact_gradient(&policy, &rewards);

    let (mean, _) = exact_moments(&estimator, &policy, &policy, &rewards, &z);
    for m in 0..models {
        assert!(
            (mean[m] - expected[m]).abs() < 1e-12,
            "model {m}: mean {} vs shrunk gradient {}",
            mean[m],
            expected[m]
        );
    }
    let bias: f64 = mean.iter().zip(&unbiased).map(|(a, b)| (a - b).abs()).sum();
    assert!(bias > 1e-3, "implicit exploration left no bias ({bias:e})");
}

#[test]
fn first_round_matches_reinforce() {
    // With q = 0 and a zero baseline, both estimators weight the chosen
    // reward by 1 / p and subtract nothing.
    let policy = [0.2, 0.5, 0.3];
    let z = [0.1, -0.4, 0.7];
    for model in 0..3 {
        let feedback = Feedback {
            model,
            reward: 0.8,
            propensity: 0.4,
            policy: &policy,
            all_rewards: None,
            features: Some(&z),
        };
        let mut doubly_robust = [0.0; 3];
        let mut reinforce = [0.0; 3];
        DoublyRobust::new(3, 3)
            .expect("valid sizes")
            .estimate(&feedback, &mut doubly_robust)
            .expect("valid feedback");
        Reinforce::new()
            .estimate(&feedback, &mut reinforce)
            .expect("valid feedback");
        for m in 0..3 {
            assert!(
                (doubly_robust[m] - reinforce[m]).abs() < 1e-15,
                "drawn {model}, model {m}: {} vs {}",
                doubly_robust[m],
                reinforce[m]
            );
        }
    }
}

/// Returns random features of length `dim` whose last coordinate is the
/// constant `1 / sqrt(2)`, like the learner's bias coordinate, and whose
/// other coordinates have norm at most `1 / sqrt(2)`.
fn features_with_bias(rng: &mut ChaCha8Rng, dim: usize) -> Vec<f64> {
    let mut z: Vec<f64> = random_features(rng, dim - 1)
        .iter()
        .map(|v| v * std::f64::consts::FRAC_1_SQRT_2)
        .collect();
    z.push(std::f64::consts::FRAC_1_SQRT_2);
    z
}

/// Returns the reward of model `m` on features from [`features_with_bias`]:
/// `0.5` plus a model-dependent linear term of absolute value at most
/// `0.2 sqrt(dim - 1) / sqrt(2)`, so inside `[0, 1]` for `dim <= 5`.
fn linear_reward(m: usize, z: &[f64]) -> f64 {
    let (bias, rest) = z.split_last().expect("at least the bias coordinate");
    let slope: f64 = rest
        .iter()
        .enumerate()
        .map(|(i, v)| v * (((m * 7 + i * 3) % 5) as f64 - 2.0) * 0.1)
        .sum();
    0.5 * bias * std::f64::consts::SQRT_2 + slope
}

/// Feeds `rounds` rounds of the linear reward, each with a uniformly drawn
/// model, to `estimator`.
fn train_linear(estimator: &mut DoublyRobust, rounds: usize, rng: &mut ChaCha8Rng) {
    let models = estimator.models();
    let dim = estimator.dim();
    let policy = vec![1.0 / models as f64; models];
    let mut scratch = vec![0.0; models];
    for _ in 0..rounds {
        let z = features_with_bias(rng, dim);
        let model = rng.random_range(0..models);
        let feedback = Feedback {
            model,
            reward: linear_reward(model, &z),
            propensity: 1.0 / models as f64,
            policy: &policy,
            all_rewards: None,
            features: Some(&z),
        };
        estimator
            .estimate(&feedback, &mut scratch)
            .expect("valid feedback");
    }
}

/// Returns the largest prediction error over `queries` random features.
fn max_prediction_error(estimator: &DoublyRobust, queries: usize, rng: &mut ChaCha8Rng) -> f64 {
    let mut largest: f64 = 0.0;
    for _ in 0..queries {
        let z = features_with_bias(rng, estimator.dim());
        let predictions = estimator.predict_rewards(&z).expect("valid features");
        for (m, q) in predictions.iter().enumerate() {
            largest = largest.max((q - linear_reward(m, &z)).abs());
        }
    }
    largest
}

#[test]
fn reward_model_learns_linear_reward() {
    let mut estimator = DoublyRobust::new(3, 4).expect("valid sizes");
    let mut rng = ChaCha8Rng::seed_from_u64(11);
    train_linear(&mut estimator, 150, &mut rng);
    let early = max_prediction_error(&estimator, 200, &mut ChaCha8Rng::seed_from_u64(12));
    train_linear(&mut estimator, 6000, &mut rng);
    let late = max_prediction_error(&estimator, 200, &mut ChaCha8Rng::seed_from_u64(12));

    let updates: u64 = (0..3).filter_map(|m| estimator.observations(m)).sum();
    assert_eq!(updates, 6150, "every round updates one reward model");
    assert!(late < 0.01, "error after 6150 rounds: {late}");
    assert!(
        late < early / 2.0,
        "error {early} after 150 rounds, {late} after 6150"
    );
}

#[test]
fn variance_below_reinforce_when_model_accurate() {
    let (models, dim) = (4, 5);
    let mut estimator = DoublyRobust::new(models, dim).expect("valid sizes");
    let mut rng = ChaCha8Rng::seed_from_u64(21);
    train_linear(&mut estimator, 5000, &mut rng);

    // REINFORCE's baseline after the same kind of rewards.
    let mut reinforce = Reinforce::new();
    let uniform = vec![1.0 / models as f64; models];
    let mut scratch = vec![0.0; models];
    for _ in 0..5000 {
        let z = features_with_bias(&mut rng, dim);
        let model = rng.random_range(0..models);
        let feedback = Feedback {
            model,
            reward: linear_reward(model, &z),
            propensity: 0.25,
            policy: &uniform,
            all_rewards: None,
            features: None,
        };
        reinforce
            .estimate(&feedback, &mut scratch)
            .expect("valid feedback");
    }

    for query in 0..10 {
        let policy = random_policy(&mut rng, models);
        let z = features_with_bias(&mut rng, dim);
        let rewards: Vec<f64> = (0..models).map(|m| linear_reward(m, &z)).collect();
        let (_, dr_variance) = exact_moments(&estimator, &policy, &policy, &rewards, &z);
        let (_, reinforce_variance) = exact_moments(&reinforce, &policy, &policy, &rewards, &z);
        assert!(
            reinforce_variance > 1e-4,
            "query {query}: REINFORCE variance {reinforce_variance:e} too small to compare"
        );
        assert!(
            dr_variance < 0.01 * reinforce_variance,
            "query {query}: DR variance {dr_variance:e}, REINFORCE {reinforce_variance:e}"
        );
    }
}

#[test]
fn identical_inputs_give_identical_state() {
    let mut first = DoublyRobust::new(3, 4).expect("valid sizes");
    let mut second = DoublyRobust::new(3, 4).expect("valid sizes");
    train_linear(&mut first, 300, &mut ChaCha8Rng::seed_from_u64(5));
    train_linear(&mut second, 300, &mut ChaCha8Rng::seed_from_u64(5));
    assert_eq!(first, second);
}

proptest! {
    #[test]
    fn unbiased_for_random_problems(
        weights in prop::collection::vec(0.01_f64..1.0, 2..7),
        reward_seed in 0_u64..1000,
        warm_rounds in 0_usize..60,
        dim in 1_usize..6,
        gamma in 0.0_f64..0.5,
    ) {
        let models = weights.len();
        let total: f64 = weights.iter().sum();
        let policy: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let mut sampling = policy.clone();
        mix_uniform(&mut sampling, gamma);

        let mut rng = ChaCha8Rng::seed_from_u64(reward_seed);
        let rewards: Vec<f64> = (0..models).map(|_| rng.random_range(0.0..=1.0)).collect();
        let z = random_features(&mut rng, dim);
        let mut estimator = DoublyRobust::new(models, dim).expect("valid sizes");
        warm_up(&mut estimator, models, dim, warm_rounds, reward_seed + 1);

        let (mean, _) = exact_moments(&estimator, &policy, &sampling, &rewards, &z);
        let exact = exact_gradient(&policy, &rewards);
        for m in 0..models {
            prop_assert!(
                (mean[m] - exact[m]).abs() < 1e-12,
                "model {}: mean {} vs exact {}", m, mean[m], exact[m]
            );
        }
    }
}

/// Returns valid feedback for 2 models with the given features.
fn feedback_with(features: Option<&[f64]>) -> Feedback<'_> {
    Feedback {
        model: 1,
        reward: 0.5,
        propensity: 0.5,
        policy: &[0.5, 0.5],
        all_rewards: None,
        features,
    }
}

#[test]
fn missing_features_error() {
    let mut estimator = DoublyRobust::new(2, 3).expect("valid sizes");
    let mut out = [0.0; 2];
    let error = estimator
        .estimate(&feedback_with(None), &mut out)
        .expect_err("no features");
    assert_eq!(error, Error::MissingFeatures);
    let message = error.to_string();
    assert!(message.contains("features"), "message: {message}");
    assert_eq!(estimator.observations(1), Some(0), "state changed on error");
}

#[test]
fn wrong_feature_length_error() {
    let mut estimator = DoublyRobust::new(2, 3).expect("valid sizes");
    let mut out = [0.0; 2];
    let short = [0.1, 0.2];
    let error = estimator
        .estimate(&feedback_with(Some(&short)), &mut out)
        .expect_err("2 features for dimension 3");
    assert_eq!(
        error,
        Error::Shape {
            what: "policy features length",
            expected: 3,
            found: 2
        }
    );
    assert_eq!(estimator.observations(1), Some(0), "state changed on error");
}

#[test]
fn non_finite_feature_error() {
    let mut estimator = DoublyRobust::new(2, 3).expect("valid sizes");
    let mut out = [0.0; 2];
    let bad = [0.1, f64::NAN, 0.2];
    let error = estimator
        .estimate(&feedback_with(Some(&bad)), &mut out)
        .expect_err("NaN feature");
    assert!(
        matches!(error, Error::Feature { index: 1, value } if value.is_nan()),
        "{error:?}"
    );
    let prediction = estimator.predict_rewards(&bad).expect_err("NaN feature");
    assert!(
        matches!(prediction, Error::Feature { index: 1, .. }),
        "{prediction:?}"
    );
}

#[test]
fn wrong_model_count_error() {
    let mut estimator = DoublyRobust::new(3, 2).expect("valid sizes");
    let z = [0.1, 0.2];
    let mut out = [0.0; 2];
    let error = estimator
        .estimate(&feedback_with(Some(&z)), &mut out)
        .expect_err("2-model policy for 3 models");
    assert_eq!(
        error,
        Error::Shape {
            what: "policy length",
            expected: 3,
            found: 2
        }
    );
}

#[test]
fn invalid_reward_error_keeps_state() {
    let mut estimator = DoublyRobust::new(2, 2).expect("valid sizes");
    let z = [0.1, 0.2];
    let feedback = Feedback {
        reward: 1.5,
        ..feedback_with(Some(&z))
    };
    let mut out = [0.0; 2];
    let error = estimator
        .estimate(&feedback, &mut out)
        .expect_err("reward 1.5");
    assert_eq!(
        error,
        Error::Reward {
            model: 1,
            value: 1.5
        }
    );
    assert_eq!(estimator, DoublyRobust::new(2, 2).expect("valid sizes"));
}

#[test]
fn invalid_parameters_rejected() {
    let cases: [(usize, usize, f64, f64, &str); 6] = [
        (0, 3, 1.0, 0.0, "models"),
        (2, 0, 1.0, 0.0, "dim"),
        (2, 3, 0.0, 0.0, "ridge"),
        (2, 3, f64::NAN, 0.0, "ridge"),
        (2, 3, 1.0, -0.1, "gamma_ix"),
        (2, 3, 1.0, f64::INFINITY, "gamma_ix"),
    ];
    for (models, dim, ridge, gamma_ix, name) in cases {
        let error = DoublyRobust::with_parameters(models, dim, ridge, gamma_ix)
            .expect_err("invalid parameter");
        assert!(
            matches!(error, Error::InvalidParameter { name: found, .. } if found == name),
            "({models}, {dim}, {ridge}, {gamma_ix}): {error:?}"
        );
    }
}

#[test]
fn oversized_dimension_rejected() {
    let error = DoublyRobust::new(2, usize::MAX).expect_err("dim^2 overflows");
    assert!(
        matches!(error, Error::InvalidParameter { name: "dim", .. }),
        "{error:?}"
    );
}
