//! REINFORCE: unbiasedness against the exact gradient by seeded Monte
//! Carlo, with and without uniform exploration, and the shrinkage of
//! implicit exploration.

use hpg_estimators::{Estimator, Feedback, Reinforce};
use hpg_policy::{mix_uniform, sample};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

const DRAWS: usize = 200_000;

/// Returns a random policy over `models` models with every probability at least
/// about `0.02 / models`, so no model is starved of draws.
fn random_policy(rng: &mut ChaCha8Rng, models: usize) -> Vec<f64> {
    let weights: Vec<f64> = (0..models).map(|_| rng.random_range(0.02..1.0)).collect();
    let total: f64 = weights.iter().sum();
    weights.iter().map(|w| w / total).collect()
}

/// Returns the exact gradient coefficients `pi_m (r_m - V)`, `V = sum_m pi_m r_m`.
fn exact_gradient(policy: &[f64], rewards: &[f64]) -> Vec<f64> {
    let value: f64 = policy.iter().zip(rewards).map(|(p, r)| p * r).sum();
    policy
        .iter()
        .zip(rewards)
        .map(|(p, r)| p * (r - value))
        .collect()
}

/// Returns an estimator whose running-mean baseline has taken a few
/// rewards, so it is nonzero. Each Monte Carlo draw clones it, so every draw uses the same
/// baseline.
fn warmed_estimator(start: Reinforce, rng: &mut ChaCha8Rng) -> Reinforce {
    let mut estimator = start;
    let policy = [0.5, 0.5];
    let mut scratch = [0.0; 2];
    for _ in 0..5 {
        let feedback = Feedback {
            model: 0,
            reward: rng.random_range(0.1..0.9),
            propensity: 0.5,
            policy: &policy,
            all_rewards: None,
            features: None,
        };
        estimator
            .estimate(&feedback, &mut scratch)
            .expect("valid warm-up feedback");
    }
    estimator
}

/// Draws `DRAWS` models from `sampling` and returns the mean and the
/// standard error of each coefficient, with a fresh clone of `estimator`
/// per draw.
fn monte_carlo(
    estimator: &Reinforce,
    policy: &[f64],
    sampling: &[f64],
    rewards: &[f64],
    rng: &mut ChaCha8Rng,
) -> (Vec<f64>, Vec<f64>) {
    let models = policy.len();
    let mut sum = vec![0.0; models];
    let mut sum_squares = vec![0.0; models];
    let mut coefficients = vec![0.0; models];
    for _ in 0..DRAWS {
        let (model, propensity) = sample(sampling, rng).expect("a positive probability");
        let feedback = Feedback {
            model,
            reward: rewards[model],
            propensity,
            policy,
            all_rewards: None,
            features: None,
        };
        let mut fresh = *estimator;
        fresh
            .estimate(&feedback, &mut coefficients)
            .expect("valid feedback");
        for m in 0..models {
            sum[m] += coefficients[m];
            sum_squares[m] += coefficients[m] * coefficients[m];
        }
    }

    let n = DRAWS as f64;
    let mean: Vec<f64> = sum.iter().map(|s| s / n).collect();
    let standard_error = sum_squares
        .iter()
        .zip(&mean)
        .map(|(s, mu)| {
            let variance = (s / n - mu * mu).max(0.0) * n / (n - 1.0);
            (variance / n).sqrt()
        })
        .collect();
    (mean, standard_error)
}

/// Checks unbiasedness on `problems` random problems, with uniform
/// exploration `gamma` in the sampling distribution.
fn check_unbiased(gamma: f64, problems: u64, seed: u64) {
    for problem in 0..problems {
        let mut rng = ChaCha8Rng::seed_from_u64(seed + problem);
        let models = rng.random_range(2..=6);
        let policy = random_policy(&mut rng, models);
        let rewards: Vec<f64> = (0..models).map(|_| rng.random_range(0.0..=1.0)).collect();
        let mut sampling = policy.clone();
        mix_uniform(&mut sampling, gamma);

        let estimator = warmed_estimator(Reinforce::new(), &mut rng);
        let baseline = estimator.baseline();
        assert!(
            baseline > 0.0,
            "problem {problem}: baseline {baseline} after warm-up"
        );

        let (mean, standard_error) =
            monte_carlo(&estimator, &policy, &sampling, &rewards, &mut rng);
        let exact = exact_gradient(&policy, &rewards);
        for m in 0..models {
            let deviation = (mean[m] - exact[m]).abs();
            let tolerance = 5.0 * standard_error[m] + 1e-12;
            assert!(
                deviation <= tolerance,
                "gamma {gamma}, problem {problem}, model {m}: mean {}, exact {}, \
                 standard error {}, baseline {baseline}",
                mean[m],
                exact[m],
                standard_error[m]
            );
        }
    }
}

#[test]
fn reinforce_unbiased() {
    check_unbiased(0.0, 4, 10);
}

#[test]
fn reinforce_unbiased_with_exploration() {
    check_unbiased(0.3, 3, 50);
}

#[test]
fn reinforce_wrong_propensity_detected() {
    // Control for the test above: dividing by the policy probability
    // instead of the mixed sampling probability is biased, and the same
    // Monte Carlo check must see it.
    let policy = [0.9, 0.1];
    let rewards = [0.2, 1.0];
    let mut sampling = policy.to_vec();
    mix_uniform(&mut sampling, 0.5);
    let mut rng = ChaCha8Rng::seed_from_u64(3);
    let estimator = warmed_estimator(Reinforce::new(), &mut rng);

    let mut sum = 0.0;
    let mut coefficients = [0.0; 2];
    for _ in 0..DRAWS {
        let (model, _) = sample(&sampling, &mut rng).expect("a positive probability");
        let feedback = Feedback {
            model,
            reward: rewards[model],
            propensity: policy[model],
            policy: &policy,
            all_rewards: None,
            features: None,
        };
        let mut fresh = estimator;
        fresh
            .estimate(&feedback, &mut coefficients)
            .expect("valid feedback");
        sum += coefficients[1];
    }
    let mean = sum / DRAWS as f64;
    let exact = exact_gradient(&policy, &rewards)[1];
    assert!(
        (mean - exact).abs() > 0.01,
        "mean {mean} with the wrong propensity is close to the exact {exact}"
    );
}

#[test]
fn reinforce_known_coefficients() {
    let mut estimator = Reinforce::new();
    let policy = [0.25, 0.75];
    let feedback = Feedback {
        model: 1,
        reward: 0.8,
        propensity: 0.5,
        policy: &policy,
        all_rewards: None,
        features: None,
    };
    let mut c = [0.0; 2];
    estimator
        .estimate(&feedback, &mut c)
        .expect("valid feedback");
    // w = (0.8 - 0) * 0.75 / 0.5 = 1.2, c = w * ([0, 1] - pi).
    let expected = [-0.3, 0.3];
    for m in 0..2 {
        assert!(
            (c[m] - expected[m]).abs() < 1e-15,
            "c[{m}] = {}, expected {}",
            c[m],
            expected[m]
        );
    }
    assert_eq!(estimator.baseline(), 0.8, "baseline after one reward");

    let second = Feedback {
        reward: 0.2,
        ..feedback
    };
    estimator.estimate(&second, &mut c).expect("valid feedback");
    // The baseline 0.8 was fixed before this reward: w = -0.6 * 0.75 / 0.5.
    let expected = [0.225, -0.225];
    for m in 0..2 {
        assert!(
            (c[m] - expected[m]).abs() < 1e-15,
            "c[{m}] = {}, expected {}",
            c[m],
            expected[m]
        );
    }
    assert!(
        (estimator.baseline() - 0.5).abs() < 1e-15,
        "baseline {} after rewards 0.8, 0.2",
        estimator.baseline()
    );
}

#[test]
fn reinforce_coefficients_sum_to_zero() {
    let mut rng = ChaCha8Rng::seed_from_u64(12);
    let mut estimator = Reinforce::new();
    for round in 0..200 {
        let models = rng.random_range(2..=6);
        let policy = random_policy(&mut rng, models);
        let (model, propensity) = sample(&policy, &mut rng).expect("a positive probability");
        let feedback = Feedback {
            model,
            reward: rng.random_range(0.0..=1.0),
            propensity,
            policy: &policy,
            all_rewards: None,
            features: None,
        };
        let mut c = vec![0.0; models];
        estimator
            .estimate(&feedback, &mut c)
            .expect("valid feedback");
        let total: f64 = c.iter().sum();
        assert!(
            total.abs() < 1e-12,
            "round {round}: coefficients {c:?} sum to {total}"
        );
    }
}

#[test]
fn implicit_exploration_shrinks() {
    let gamma_ix = 0.1;
    let mut rng = ChaCha8Rng::seed_from_u64(31);
    let mut plain = Reinforce::new();
    let mut shrunk = Reinforce::with_implicit_exploration(gamma_ix).expect("valid gamma_ix");
    assert_eq!(plain.implicit_exploration(), 0.0);
    assert_eq!(shrunk.implicit_exploration(), gamma_ix);

    for round in 0..500 {
        let models = rng.random_range(2..=6);
        let policy = random_policy(&mut rng, models);
        let (model, propensity) = sample(&policy, &mut rng).expect("a positive probability");
        let feedback = Feedback {
            model,
            reward: rng.random_range(0.0..=1.0),
            propensity,
            policy: &policy,
            all_rewards: None,
            features: None,
        };
        let mut a = vec![0.0; models];
        let mut b = vec![0.0; models];
        plain.estimate(&feedback, &mut a).expect("valid feedback");
        shrunk.estimate(&feedback, &mut b).expect("valid feedback");

        let factor = propensity / (propensity + gamma_ix);
        for m in 0..models {
            let expected = a[m] * factor;
            assert!(
                (b[m] - expected).abs() <= 1e-12 * a[m].abs().max(1e-300),
                "round {round}, model {m}: implicit {}, plain {} x {factor}",
                b[m],
                a[m]
            );
            if a[m] != 0.0 {
                assert!(
                    b[m].abs() < a[m].abs(),
                    "round {round}, model {m}: |{}| not below |{}|",
                    b[m],
                    a[m]
                );
            }
        }
        assert_eq!(
            plain.baseline(),
            shrunk.baseline(),
            "round {round}: baselines differ"
        );
    }
}

#[test]
fn implicit_exploration_invalid() {
    for gamma_ix in [-0.1, f64::NAN, f64::INFINITY] {
        let result = Reinforce::with_implicit_exploration(gamma_ix);
        assert!(
            matches!(
                result,
                Err(hpg_estimators::Error::InvalidParameter {
                    name: "gamma_ix",
                    ..
                })
            ),
            "gamma_ix {gamma_ix}: {result:?}"
        );
    }
}
