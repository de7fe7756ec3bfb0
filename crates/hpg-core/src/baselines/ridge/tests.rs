use faer::linalg::solvers::{DenseSolveCore, Solve};
use faer::Mat;
use proptest::prelude::*;

use super::*;

/// Builds `A = lambda I + sum z z^T` and `b = sum r z` densely.
fn dense_system(dim: usize, lambda: f64, data: &[(Vec<f64>, f64)]) -> (Mat<f64>, Mat<f64>) {
    let mut gram = Mat::from_fn(dim, dim, |i, j| if i == j { lambda } else { 0.0 });
    let mut rhs = Mat::zeros(dim, 1);
    for (z, reward) in data {
        for i in 0..dim {
            rhs[(i, 0)] += reward * z[i];
            for j in 0..dim {
                gram[(i, j)] += z[i] * z[j];
            }
        }
    }
    (gram, rhs)
}

/// Random regression problems: a dimension, a penalty and up to 80
/// observations with features in `[-1, 1]` and rewards in `[0, 1]`.
fn problems() -> impl Strategy<Value = (usize, f64, Vec<(Vec<f64>, f64)>)> {
    (1usize..9, 0.1f64..10.0).prop_flat_map(|(dim, lambda)| {
        let observation = (prop::collection::vec(-1.0f64..1.0, dim), 0.0f64..1.0);
        (
            Just(dim),
            Just(lambda),
            prop::collection::vec(observation, 0..80),
        )
    })
}

proptest! {
    #[test]
    fn sherman_morrison_matches_dense_inverse((dim, lambda, data) in problems()) {
        let mut ridge = Ridge::new(dim, lambda).unwrap();
        for (z, reward) in &data {
            ridge.update(z, *reward).unwrap();
        }
        let (gram, rhs) = dense_system(dim, lambda, &data);
        let expected = gram.partial_piv_lu().inverse();
        let inverse = ridge.inverse();

        for i in 0..dim {
            for j in 0..dim {
                let found = inverse[i * dim + j];
                prop_assert!(
                    (found - expected[(i, j)]).abs() < 1e-10,
                    "A^-1[{i},{j}] = {found}, dense {}", expected[(i, j)]
                );
            }
        }
        prop_assert_eq!(ridge.count(), data.len() as u64);

        let weights = gram.partial_piv_lu().solve(&rhs);
        for i in 0..dim {
            prop_assert!(
                (ridge.weights()[i] - weights[(i, 0)]).abs() < 1e-9,
                "theta[{i}] = {}, dense {}", ridge.weights()[i], weights[(i, 0)]
            );
            prop_assert!((ridge.rhs()[i] - rhs[(i, 0)]).abs() < 1e-12);
        }

        let probe: Vec<f64> = (0..dim).map(|i| (i as f64 + 1.0).sin()).collect();
        let mut quadratic = 0.0;
        for i in 0..dim {
            for j in 0..dim {
                quadratic += probe[i] * expected[(i, j)] * probe[j];
            }
        }
        let width = ridge.width(&probe).unwrap();
        prop_assert!((width - quadratic.sqrt()).abs() < 1e-9, "{} vs {}", width, quadratic.sqrt());
    }
}

#[test]
fn ridge_width_matches_quadratic_form() {
    let mut ridge = Ridge::new(3, 2.0).unwrap();
    assert!((ridge.width(&[1.0, 0.0, 0.0]).unwrap() - 0.5f64.sqrt()).abs() < 1e-15);

    ridge.update(&[1.0, 0.0, 0.0], 1.0).unwrap();
    // A = diag(3, 2, 2), so z^T A^{-1} z = 1/3 for z = e_1.
    assert!((ridge.width(&[1.0, 0.0, 0.0]).unwrap() - (1.0f64 / 3.0).sqrt()).abs() < 1e-15);
    assert!((ridge.width(&[0.0, 1.0, 0.0]).unwrap() - 0.5f64.sqrt()).abs() < 1e-15);
    assert!((ridge.predict(&[1.0, 0.0, 0.0]).unwrap() - 1.0 / 3.0).abs() < 1e-15);
}

#[test]
fn ridge_rejects_invalid_parameters() {
    assert!(matches!(
        Ridge::new(0, 1.0),
        Err(Error::InvalidParameter { name: "dim", .. })
    ));
    for lambda in [0.0, -1.0, f64::NAN, f64::INFINITY] {
        assert!(
            matches!(
                Ridge::new(2, lambda),
                Err(Error::InvalidParameter { name: "lambda", .. })
            ),
            "lambda = {lambda}"
        );
    }
}

#[test]
fn ridge_rejects_bad_input_unchanged() {
    let mut ridge = Ridge::new(2, 1.0).unwrap();
    ridge.update(&[0.5, 0.5], 1.0).unwrap();
    let before = ridge.clone();

    assert!(matches!(
        ridge.update(&[0.5], 1.0),
        Err(Error::Policy(hpg_policy::Error::FeatureLength {
            expected: 2,
            found: 1
        }))
    ));
    assert!(matches!(
        ridge.update(&[f64::NAN, 0.5], 1.0),
        Err(Error::Policy(hpg_policy::Error::NonFiniteFeature {
            index: 0,
            ..
        }))
    ));
    assert!(matches!(
        ridge.update(&[0.5, 0.5], f64::INFINITY),
        Err(Error::InvalidParameter { name: "reward", .. })
    ));
    assert!(ridge.predict(&[1.0, 2.0, 3.0]).is_err());
    assert!(ridge.width(&[f64::INFINITY, 0.0]).is_err());

    assert_eq!(ridge.count(), before.count());
    assert_eq!(ridge.inverse(), before.inverse());
    assert_eq!(ridge.weights(), before.weights());
}

#[test]
fn zeros_rejects_overflowing_size() {
    let error = zeros(usize::MAX, 2).unwrap_err();
    assert!(matches!(error, Error::InvalidParameter { name: "dim", .. }));
}

#[test]
fn dot_handles_every_remainder() {
    for len in 0..11 {
        let a: Vec<f64> = (0..len).map(|i| i as f64 + 1.0).collect();
        let expected: f64 = a.iter().map(|v| v * v).sum();
        assert_eq!(dot(&a, &a), expected, "len = {len}");
    }
}
