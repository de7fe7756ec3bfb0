//! Checked symmetric eigendecomposition and SVD: residuals, orthogonality,
//! known spectra, and rejection of invalid input.

mod common;

use common::{max_abs, max_abs_difference, orthonormality_error, rebuild, symmetric_matrix};
use faer::Mat;
use hpg_linalg::{svd, symmetric_eigen, Error};
use proptest::prelude::*;
use std::f64::consts::PI;

/// Adjacency matrix of the cycle graph on `n` nodes.
fn cycle_graph(n: usize) -> Mat<f64> {
    Mat::from_fn(n, n, |i, j| {
        let distance = i.abs_diff(j);
        if distance == 1 || distance == n - 1 {
            1.0
        } else {
            0.0
        }
    })
}

/// Adjacency matrix of the star graph with node 0 at the center.
fn star_graph(n: usize) -> Mat<f64> {
    Mat::from_fn(n, n, |i, j| if (i == 0) != (j == 0) { 1.0 } else { 0.0 })
}

/// Checks an eigendecomposition of `a` against the absolute tolerance
/// `tolerance` (residual) and `n * 1e-12` (orthogonality).
fn assert_decomposes(a: &Mat<f64>, tolerance: f64, case: &str) {
    let n = a.nrows();
    let eig = symmetric_eigen(a.as_ref()).unwrap();
    let residual = max_abs_difference(eig.reconstruct().as_ref(), a.as_ref());
    assert!(
        residual <= tolerance,
        "{case}: residual {residual} > {tolerance}"
    );
    let orthogonality = orthonormality_error(eig.vectors.as_ref());
    assert!(
        orthogonality <= 1e-12 * n as f64,
        "{case}: |V^T V - I| = {orthogonality}"
    );
    for (i, pair) in eig.values.windows(2).enumerate() {
        assert!(
            pair[0] <= pair[1],
            "{case}: eigenvalues {i} and {} not ascending: {pair:?}",
            i + 1
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn eigen_random_residual(
        a in (-3.0..=3.0_f64).prop_flat_map(|exponent| symmetric_matrix(1..=30, 10f64.powf(exponent))),
    ) {
        let n = a.nrows();
        let eig = symmetric_eigen(a.as_ref()).unwrap();

        let residual = max_abs_difference(rebuild(eig.vectors.as_ref(), &eig.values).as_ref(), a.as_ref());
        let tolerance = 1e-12 * max_abs(a.as_ref()).max(1.0) * n as f64;
        prop_assert!(residual <= tolerance, "n {n}: residual {residual} > {tolerance}");

        let orthogonality = orthonormality_error(eig.vectors.as_ref());
        prop_assert!(orthogonality <= 1e-12 * n as f64, "n {n}: |V^T V - I| = {orthogonality}");

        prop_assert!(eig.values.len() == n, "n {n}: {} eigenvalues", eig.values.len());
        for pair in eig.values.windows(2) {
            prop_assert!(pair[0] <= pair[1], "n {n}: eigenvalues not ascending: {pair:?}");
        }
    }

    #[test]
    fn eigen_reads_lower_triangle(a in symmetric_matrix(1..=12, 1.0), noise in -100.0..=100.0_f64) {
        let n = a.nrows();
        let upper_changed = Mat::from_fn(n, n, |i, j| if i < j { a[(i, j)] + noise } else { a[(i, j)] });
        let expected = symmetric_eigen(a.as_ref()).unwrap();
        let got = symmetric_eigen(upper_changed.as_ref()).unwrap();
        for (index, (&want, &value)) in expected.values.iter().zip(&got.values).enumerate() {
            prop_assert!(
                (value - want).abs() <= 1e-12 * n as f64,
                "n {n}: eigenvalue {index} is {value} with the upper triangle changed, {want} without"
            );
        }
    }

    #[test]
    fn eigen_huge_entries_no_panic(
        n in 1..=6_usize,
        signs in proptest::collection::vec(any::<bool>(), 36),
        magnitude in prop_oneof![Just(1e308), Just(f64::MAX), 1e307..=1.7e308_f64],
    ) {
        let entries: Vec<f64> = signs.iter().map(|&negative| if negative { -magnitude } else { magnitude }).collect();
        let a = common::symmetric_from(n, &entries);
        match symmetric_eigen(a.as_ref()) {
            Ok(eig) => {
                // Rebuild in units of `magnitude` so that the check itself cannot overflow.
                let values: Vec<f64> = eig.values.iter().map(|v| v / magnitude).collect();
                let rebuilt = rebuild(eig.vectors.as_ref(), &values);
                let unit = Mat::from_fn(n, n, |i, j| a[(i, j)] / magnitude);
                let residual = max_abs_difference(rebuilt.as_ref(), unit.as_ref());
                prop_assert!(residual <= 1e-12 * n as f64, "n {n}: residual {residual} relative to {magnitude}");
            }
            Err(Error::Overflow { .. }) => {}
            Err(error) => prop_assert!(false, "n {n}: unexpected error {error:?}"),
        }
    }

    #[test]
    fn svd_random_residual(
        m in 1..=12_usize,
        n in 1..=12_usize,
        seed in proptest::collection::vec(-10.0..=10.0_f64, 144),
    ) {
        let a = Mat::from_fn(m, n, |i, j| seed[i * 12 + j]);
        let k = m.min(n);
        let decomposition = svd(a.as_ref()).unwrap();

        prop_assert!(decomposition.u.shape() == (m, k), "U is {:?}", decomposition.u.shape());
        prop_assert!(decomposition.v.shape() == (n, k), "V is {:?}", decomposition.v.shape());
        prop_assert!(decomposition.singular_values.len() == k, "{} singular values", decomposition.singular_values.len());

        let residual = max_abs_difference(decomposition.reconstruct().as_ref(), a.as_ref());
        let tolerance = 1e-12 * max_abs(a.as_ref()).max(1.0) * m.max(n) as f64;
        prop_assert!(residual <= tolerance, "{m} x {n}: residual {residual} > {tolerance}");

        let left = orthonormality_error(decomposition.u.as_ref());
        prop_assert!(left <= 1e-12 * m as f64, "{m} x {n}: |U^T U - I| = {left}");
        let right = orthonormality_error(decomposition.v.as_ref());
        prop_assert!(right <= 1e-12 * n as f64, "{m} x {n}: |V^T V - I| = {right}");

        for pair in decomposition.singular_values.windows(2) {
            prop_assert!(pair[0] >= pair[1], "{m} x {n}: singular values not descending: {pair:?}");
        }
        let smallest = decomposition.singular_values[k - 1];
        prop_assert!(smallest >= 0.0, "{m} x {n}: negative singular value {smallest}");
    }
}

#[test]
fn eigen_cycle_graph() {
    let n = 20;
    let a = cycle_graph(n);
    assert_decomposes(&a, 1e-12, "cycle graph");

    let mut expected: Vec<f64> = (0..n)
        .map(|k| 2.0 * (2.0 * PI * k as f64 / n as f64).cos())
        .collect();
    expected.sort_by(f64::total_cmp);
    let values = symmetric_eigen(a.as_ref()).unwrap().values;
    for (k, (&value, &want)) in values.iter().zip(&expected).enumerate() {
        assert!(
            (value - want).abs() <= 1e-12,
            "cycle graph eigenvalue {k}: {value}, expected {want}"
        );
    }
}

#[test]
fn eigen_star_graph() {
    let n = 20;
    let a = star_graph(n);
    assert_decomposes(&a, 1e-12, "star graph");

    // Spectrum of a star with n - 1 leaves: -sqrt(n - 1), 0 (n - 2 times), sqrt(n - 1).
    let root = ((n - 1) as f64).sqrt();
    let values = symmetric_eigen(a.as_ref()).unwrap().values;
    assert!(
        (values[0] + root).abs() <= 1e-12,
        "smallest eigenvalue {}, expected {}",
        values[0],
        -root
    );
    assert!(
        (values[n - 1] - root).abs() <= 1e-12,
        "largest eigenvalue {}, expected {root}",
        values[n - 1]
    );
    for (k, &value) in values.iter().enumerate().take(n - 1).skip(1) {
        assert!(
            value.abs() <= 1e-12,
            "eigenvalue {k} is {value}, expected 0"
        );
    }
}

#[test]
fn eigen_identity_and_zero() {
    for n in [1, 5, 17] {
        assert_decomposes(&Mat::identity(n, n), 1e-12, "identity");
        let eig = symmetric_eigen(Mat::<f64>::zeros(n, n).as_ref()).unwrap();
        assert!(
            eig.values.iter().all(|&v| v == 0.0),
            "zero matrix of size {n}: {:?}",
            eig.values
        );
        let orthogonality = orthonormality_error(eig.vectors.as_ref());
        assert!(
            orthogonality == 0.0,
            "zero matrix of size {n}: |V^T V - I| = {orthogonality}"
        );
    }
}

#[test]
fn eigen_tiny_entries() {
    let a = faer::mat![[1e-300, 0.0], [0.0, 3e-300]];
    let values = symmetric_eigen(a.as_ref()).unwrap().values;
    assert!(
        (values[0] - 1e-300).abs() <= 1e-312,
        "eigenvalue {}, expected 1e-300",
        values[0]
    );
    assert!(
        (values[1] - 3e-300).abs() <= 1e-312,
        "eigenvalue {}, expected 3e-300",
        values[1]
    );
}

#[test]
fn eigen_rejects_non_finite() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        // One entry below the diagonal and one above: the error names it.
        for (row, column) in [(2, 1), (0, 3)] {
            let mut a = cycle_graph(4);
            a[(row, column)] = bad;
            let result = symmetric_eigen(a.as_ref());
            match result {
                Err(Error::NonFinite {
                    row: r,
                    column: c,
                    value,
                    ..
                }) => {
                    assert_eq!((r, c), (row, column), "{bad} placed at ({row}, {column})");
                    let same = if bad.is_nan() {
                        value.is_nan()
                    } else {
                        value == bad
                    };
                    assert!(same, "reported value {value}, placed {bad}");
                }
                other => panic!("{bad} at ({row}, {column}): expected NonFinite, got {other:?}"),
            }
        }
    }
}

#[test]
fn eigen_huge_known_cases() {
    let cases = [
        faer::mat![[1e308, 0.0], [0.0, -1e308]],
        faer::mat![[1e308, 1e308], [1e308, 1e308]],
        faer::mat![[1e308, -1e308], [-1e308, -1e308]],
        faer::mat![[f64::MAX, f64::MAX], [f64::MAX, -f64::MAX]],
        faer::mat![[0.0, f64::MAX], [f64::MAX, 0.0]],
    ];
    for (index, a) in cases.iter().enumerate() {
        match symmetric_eigen(a.as_ref()) {
            Ok(eig) => {
                let scale = max_abs(a.as_ref());
                let values: Vec<f64> = eig.values.iter().map(|v| v / scale).collect();
                let unit = Mat::from_fn(2, 2, |i, j| a[(i, j)] / scale);
                let residual = max_abs_difference(
                    rebuild(eig.vectors.as_ref(), &values).as_ref(),
                    unit.as_ref(),
                );
                assert!(
                    residual <= 1e-12,
                    "case {index}: residual {residual} relative to {scale}"
                );
            }
            Err(Error::Overflow { .. }) => {}
            Err(error) => panic!("case {index}: unexpected error {error:?}"),
        }
    }
}

#[test]
fn eigen_rejects_non_square() {
    let result = symmetric_eigen(Mat::<f64>::zeros(3, 2).as_ref());
    assert!(
        matches!(result, Err(Error::DimensionMismatch { .. })),
        "3 x 2: {result:?}"
    );
    let result = symmetric_eigen(Mat::<f64>::zeros(0, 2).as_ref());
    assert!(
        matches!(result, Err(Error::DimensionMismatch { .. })),
        "0 x 2: {result:?}"
    );
}

#[test]
fn eigen_empty_matrix() {
    let eig = symmetric_eigen(Mat::<f64>::zeros(0, 0).as_ref()).unwrap();
    assert!(eig.values.is_empty(), "values {:?}", eig.values);
    assert_eq!(eig.vectors.shape(), (0, 0), "vectors shape");
    assert_eq!(eig.reconstruct().shape(), (0, 0), "reconstruct shape");
}

#[test]
fn eigen_same_on_every_run() {
    let mut random = common::SplitMix64::new(7);
    let a = random.symmetric(25, 1.0);
    let first = symmetric_eigen(a.as_ref()).unwrap();
    let second = symmetric_eigen(a.as_ref()).unwrap();
    assert_eq!(
        first.values, second.values,
        "eigenvalues differ between runs"
    );
    assert!(
        first.vectors == second.vectors,
        "eigenvectors differ between runs"
    );
}

#[test]
fn svd_known_diagonal() {
    let a = faer::mat![[0.0, 0.0], [0.0, -2.0], [5.0, 0.0]];
    let decomposition = svd(a.as_ref()).unwrap();
    let values = &decomposition.singular_values;
    assert!(
        (values[0] - 5.0).abs() <= 1e-12,
        "first singular value {}, expected 5",
        values[0]
    );
    assert!(
        (values[1] - 2.0).abs() <= 1e-12,
        "second singular value {}, expected 2",
        values[1]
    );
}

#[test]
fn svd_rejects_non_finite() {
    for bad in [f64::NAN, f64::INFINITY] {
        let mut a = Mat::<f64>::zeros(3, 5);
        a[(1, 4)] = bad;
        let result = svd(a.as_ref());
        assert!(
            matches!(
                result,
                Err(Error::NonFinite {
                    row: 1,
                    column: 4,
                    ..
                })
            ),
            "{bad} at (1, 4): {result:?}"
        );
    }
}

#[test]
fn svd_empty_and_zero() {
    for (m, n) in [(0, 0), (0, 3), (3, 0)] {
        let decomposition = svd(Mat::<f64>::zeros(m, n).as_ref()).unwrap();
        assert!(
            decomposition.singular_values.is_empty(),
            "{m} x {n}: {:?}",
            decomposition.singular_values
        );
        assert_eq!(
            decomposition.reconstruct().shape(),
            (m, n),
            "{m} x {n}: reconstruct shape"
        );
    }
    let decomposition = svd(Mat::<f64>::zeros(4, 2).as_ref()).unwrap();
    assert_eq!(
        decomposition.singular_values,
        vec![0.0, 0.0],
        "4 x 2 zero matrix"
    );
    let left = orthonormality_error(decomposition.u.as_ref());
    assert!(left == 0.0, "4 x 2 zero matrix: |U^T U - I| = {left}");
}

#[test]
fn svd_huge_entries_no_panic() {
    let cases = [
        faer::mat![[1e308, -1e308, 1e308], [1e308, 1e308, -1e308]],
        faer::mat![[f64::MAX, f64::MAX], [f64::MAX, f64::MAX]],
        faer::mat![[f64::MAX, 0.0], [0.0, -f64::MAX]],
    ];
    for (index, a) in cases.iter().enumerate() {
        match svd(a.as_ref()) {
            Ok(decomposition) => {
                let scale = max_abs(a.as_ref());
                let (m, n) = a.shape();
                let values: Vec<f64> = decomposition
                    .singular_values
                    .iter()
                    .map(|v| v / scale)
                    .collect();
                let scaled_u =
                    Mat::from_fn(m, values.len(), |i, j| decomposition.u[(i, j)] * values[j]);
                let rebuilt = &scaled_u * decomposition.v.transpose();
                let unit = Mat::from_fn(m, n, |i, j| a[(i, j)] / scale);
                let residual = max_abs_difference(rebuilt.as_ref(), unit.as_ref());
                assert!(
                    residual <= 1e-12,
                    "case {index}: residual {residual} relative to {scale}"
                );
            }
            Err(Error::Overflow { .. }) => {}
            Err(error) => panic!("case {index}: unexpected error {error:?}"),
        }
    }
}
