//! `EigenForm` against a dense running sum of the same updates.

mod common;

use common::{max_abs, max_abs_difference, SplitMix64};
use faer::Mat;
use hpg_linalg::{symmetric_eigen, EigenForm, Error};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;

/// One update `sum_j coefficients[j] v_j v_j^T`, `v_j` column `j` of `vectors`.
struct Update {
    coefficients: Vec<f64>,
    vectors: Mat<f64>,
}

impl Update {
    /// Draws `k` vectors with entries in `[-1, 1)` and coefficients in `[-2, 2)`.
    fn random(random: &mut SplitMix64, n: usize, k: usize) -> Self {
        let coefficients = (0..k).map(|_| random.uniform(-2.0, 2.0)).collect();
        let vectors = Mat::from_fn(n, k, |_, _| random.uniform(-1.0, 1.0));
        Self {
            coefficients,
            vectors,
        }
    }

    /// Applies the update to the form, by `add_rank_one` when `k = 1`.
    fn apply(&self, form: &mut EigenForm) -> hpg_linalg::Result<()> {
        if self.coefficients.len() == 1 {
            let column = self.vectors.col_as_slice(0);
            form.add_rank_one(self.coefficients[0], column)
        } else {
            form.add_low_rank(&self.coefficients, self.vectors.as_ref())
        }
    }

    /// Adds the update to a dense matrix.
    fn add_to(&self, dense: &mut Mat<f64>) {
        let n = dense.nrows();
        for (j, &c) in self.coefficients.iter().enumerate() {
            for column in 0..n {
                for row in 0..n {
                    dense[(row, column)] += c * self.vectors[(row, j)] * self.vectors[(column, j)];
                }
            }
        }
    }
}

/// Runs `count` random updates of rank 1 to 3 on dimension `n`, checking
/// the form against the dense running sum after each one. Returns the form
/// and the dense sum.
fn run_updates(n: usize, count: usize, seed: u64) -> Result<(EigenForm, Mat<f64>), TestCaseError> {
    let mut random = SplitMix64::new(seed);
    let mut form = EigenForm::zeros(n);
    let mut dense = Mat::<f64>::zeros(n, n);
    for step in 0..count {
        let k = 1 + (random.next_u64() % 3) as usize;
        let update = Update::random(&mut random, n, k);
        update.apply(&mut form).unwrap();
        update.add_to(&mut dense);

        let tolerance = 1e-10 * (1.0 + max_abs(dense.as_ref()));
        let error = max_abs_difference(form.to_dense().as_ref(), dense.as_ref());
        prop_assert!(
            error <= tolerance,
            "n {n}, step {step} (k {k}): |to_dense - sum| = {error} > {tolerance}"
        );
        let orthogonality = form.orthogonality_error();
        prop_assert!(
            orthogonality <= 1e-10,
            "n {n}, step {step}: orthogonality error {orthogonality}"
        );
        prop_assert!(form.rank() <= n, "n {n}, step {step}: rank {}", form.rank());
        prop_assert!(form.dim() == n, "n {n}, step {step}: dim {}", form.dim());
        prop_assert!(
            form.basis().shape() == (n, form.rank()),
            "n {n}, step {step}: basis shape {:?} for rank {}",
            form.basis().shape(),
            form.rank()
        );
    }
    Ok((form, dense))
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Multiplies the dense matrix `a` by the vector `z`.
fn multiply(a: &Mat<f64>, z: &[f64]) -> Vec<f64> {
    (0..a.nrows())
        .map(|i| (0..a.ncols()).map(|j| a[(i, j)] * z[j]).sum())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn eigenform_matches_dense_sum(n in 1..=40_usize, count in 1..=40_usize, seed in any::<u64>()) {
        run_updates(n, count, seed)?;
    }

    #[test]
    fn retain_error_within_tolerance(
        n in 1..=40_usize,
        count in 1..=40_usize,
        seed in any::<u64>(),
        fraction in 0.0..=1.0_f64,
    ) {
        let (mut form, _) = run_updates(n, count, seed)?;
        let before = form.to_dense();
        let largest = form.values().iter().map(|v| v.abs()).fold(0.0, f64::max);
        let tol = fraction * largest;
        let dropped = form.values().iter().filter(|v| v.abs() <= tol).count();
        let rank = form.rank();

        form.retain(|v| v.abs() > tol);
        prop_assert!(form.rank() == rank - dropped, "rank {} after dropping {dropped} of {rank}", form.rank());
        for &v in form.values() {
            prop_assert!(v.abs() > tol, "kept eigenvalue {v} with |v| <= tol {tol}");
        }

        let difference = &before - &form.to_dense();
        let spectrum = symmetric_eigen(difference.as_ref()).unwrap().values;
        let operator_norm = spectrum.iter().map(|v| v.abs()).fold(0.0, f64::max);
        let rounding = 1e-10 * (1.0 + max_abs(before.as_ref()));
        prop_assert!(
            operator_norm <= tol + rounding,
            "n {n}: |A - retained|_op = {operator_norm} > tol {tol}"
        );
    }

    #[test]
    fn reorthonormalize_keeps_matrix(n in 1..=40_usize, count in 1..=40_usize, seed in any::<u64>()) {
        let (mut form, dense) = run_updates(n, count, seed)?;
        let before = form.to_dense();
        form.reorthonormalize().unwrap();
        let tolerance = 1e-10 * (1.0 + max_abs(dense.as_ref()));
        let error = max_abs_difference(form.to_dense().as_ref(), before.as_ref());
        prop_assert!(error <= tolerance, "n {n}: reorthonormalize changed the matrix by {error}");
        let orthogonality = form.orthogonality_error();
        prop_assert!(orthogonality <= 1e-12, "n {n}: orthogonality error {orthogonality} after reorthonormalize");
        prop_assert!(form.rank() <= n, "n {n}: rank {}", form.rank());
    }

    #[test]
    fn quadratic_form_matches_dense(n in 1..=40_usize, count in 1..=40_usize, seed in any::<u64>()) {
        let (form, dense) = run_updates(n, count, seed)?;
        let mut random = SplitMix64::new(seed ^ 0x5555);
        let z: Vec<f64> = (0..n).map(|_| random.uniform(-1.0, 1.0)).collect();
        let squared_norm = dot(&z, &z);
        let tolerance = 1e-10 * (1.0 + max_abs(dense.as_ref())) * n as f64 * squared_norm.max(1.0);

        let a_z = multiply(&dense, &z);
        let expected = dot(&z, &a_z);
        let form_value = form.quadratic_form(&z, |u| u).unwrap();
        prop_assert!(
            (form_value - expected).abs() <= tolerance,
            "n {n}: quadratic_form {form_value}, z^T A z = {expected}"
        );

        // The spectral function g(u) = u^2 gives z^T A^2 z = |A z|^2.
        let expected = dot(&a_z, &a_z);
        let form_value = form.quadratic_form(&z, |u| u * u).unwrap();
        let tolerance = tolerance * (1.0 + max_abs(dense.as_ref())) * n as f64;
        prop_assert!(
            (form_value - expected).abs() <= tolerance,
            "n {n}: quadratic_form with u^2 is {form_value}, |A z|^2 = {expected}"
        );

        let coordinates = form.coordinates(&z).unwrap();
        prop_assert!(coordinates.len() == form.rank(), "{} coordinates for rank {}", coordinates.len(), form.rank());
    }

    #[test]
    fn update_in_span_keeps_rank(
        n in 2..=30_usize,
        seed in any::<u64>(),
        weights in proptest::collection::vec(-2.0..=2.0_f64, 3),
        coefficient in -2.0..=2.0_f64,
    ) {
        let mut random = SplitMix64::new(seed);
        let k = 3.min(n - 1);
        let update = Update::random(&mut random, n, k);
        let mut form = EigenForm::zeros(n);
        update.apply(&mut form).unwrap();
        let mut dense = Mat::<f64>::zeros(n, n);
        update.add_to(&mut dense);
        let rank = form.rank();
        prop_assert!(rank == k, "n {n}: rank {rank} after {k} random vectors");

        let combination: Vec<f64> = (0..n)
            .map(|i| (0..k).map(|j| weights[j] * update.vectors[(i, j)]).sum())
            .collect();
        form.add_rank_one(coefficient, &combination).unwrap();
        for column in 0..n {
            for row in 0..n {
                dense[(row, column)] += coefficient * combination[row] * combination[column];
            }
        }
        prop_assert!(form.rank() == rank, "n {n}: rank grew from {rank} to {}", form.rank());

        let again = update.vectors.col_as_slice(0).to_vec();
        form.add_rank_one(1.0, &again).unwrap();
        for column in 0..n {
            for row in 0..n {
                dense[(row, column)] += again[row] * again[column];
            }
        }
        prop_assert!(form.rank() == rank, "n {n}: rank grew from {rank} to {} on a repeated vector", form.rank());

        let tolerance = 1e-10 * (1.0 + max_abs(dense.as_ref()));
        let error = max_abs_difference(form.to_dense().as_ref(), dense.as_ref());
        prop_assert!(error <= tolerance, "n {n}: |to_dense - sum| = {error}");
    }

    #[test]
    fn update_near_span_stays_orthonormal(
        n in 2..=30_usize,
        seed in any::<u64>(),
        exponent in -11.5..=-6.0_f64,
    ) {
        // A vector whose component outside the current span is tiny but
        // above the drop tolerance: the new basis direction must still be
        // orthogonal to the old ones.
        let mut random = SplitMix64::new(seed);
        let k = 3.min(n - 1);
        let update = Update::random(&mut random, n, k);
        let mut form = EigenForm::zeros(n);
        update.apply(&mut form).unwrap();

        let outside: Vec<f64> = (0..n).map(|_| random.uniform(-1.0, 1.0)).collect();
        let size = 10f64.powf(exponent);
        let vector: Vec<f64> = (0..n)
            .map(|i| (0..k).map(|j| update.vectors[(i, j)]).sum::<f64>() + size * outside[i])
            .collect();
        form.add_rank_one(1.0, &vector).unwrap();
        let orthogonality = form.orthogonality_error();
        prop_assert!(
            orthogonality <= 1e-10,
            "n {n}, outside component {size}: orthogonality error {orthogonality}, rank {}",
            form.rank()
        );
    }

    #[test]
    fn low_rank_near_dependent_stays_orthonormal(
        n in 3..=30_usize,
        seed in any::<u64>(),
        exponent in -11.5..=-6.0_f64,
    ) {
        // Two new vectors that differ by a tiny amount outside the current
        // span: the second basis direction comes from a large cancellation
        // and must still be orthogonal to the old basis.
        let mut random = SplitMix64::new(seed);
        let k = 3.min(n - 2);
        let update = Update::random(&mut random, n, k);
        let mut form = EigenForm::zeros(n);
        update.apply(&mut form).unwrap();

        let first: Vec<f64> = (0..n).map(|_| random.uniform(-1.0, 1.0)).collect();
        let outside: Vec<f64> = (0..n).map(|_| random.uniform(-1.0, 1.0)).collect();
        let size = 10f64.powf(exponent);
        let vectors = Mat::from_fn(n, 2, |i, j| if j == 0 { first[i] } else { first[i] + size * outside[i] });
        form.add_low_rank(&[1.0, -0.5], vectors.as_ref()).unwrap();
        let orthogonality = form.orthogonality_error();
        prop_assert!(
            orthogonality <= 1e-10,
            "n {n}, difference {size}: orthogonality error {orthogonality}, rank {}",
            form.rank()
        );
        prop_assert!(form.rank() <= n, "n {n}: rank {}", form.rank());
    }
}

#[test]
fn zeros_is_empty() {
    let form = EigenForm::zeros(4);
    assert_eq!(form.rank(), 0, "rank");
    assert_eq!(form.dim(), 4, "dim");
    let dense = form.to_dense();
    assert_eq!(max_abs(dense.as_ref()), 0.0, "to_dense of zeros");
    assert_eq!(
        form.quadratic_form(&[1.0, 2.0, 3.0, 4.0], |u| u + 1.0),
        Ok(0.0),
        "quadratic form"
    );
    assert_eq!(form.orthogonality_error(), 0.0, "orthogonality error");
}

#[test]
fn zero_dimension_form() {
    let mut form = EigenForm::zeros(0);
    form.add_rank_one(1.0, &[]).unwrap();
    assert_eq!(form.rank(), 0, "rank after adding an empty vector");
    form.reorthonormalize().unwrap();
    assert_eq!(form.to_dense().shape(), (0, 0), "to_dense shape");
}

#[test]
fn wrong_lengths_rejected_unchanged() {
    let mut random = SplitMix64::new(11);
    let n = 5;
    let mut form = EigenForm::zeros(n);
    Update::random(&mut random, n, 2).apply(&mut form).unwrap();
    let original = form.clone();

    for length in [n - 1, n + 1, 0] {
        let z = vec![1.0; length];
        let result = form.add_rank_one(1.0, &z);
        assert!(
            matches!(result, Err(Error::DimensionMismatch { .. })),
            "add_rank_one, length {length}: {result:?}"
        );
        assert_eq!(
            form, original,
            "add_rank_one, length {length}: form changed"
        );

        let result = form.quadratic_form(&z, |u| u);
        assert!(
            matches!(result, Err(Error::DimensionMismatch { .. })),
            "quadratic_form, length {length}: {result:?}"
        );
        let result = form.coordinates(&z);
        assert!(
            matches!(result, Err(Error::DimensionMismatch { .. })),
            "coordinates, length {length}: {result:?}"
        );
    }

    let vectors = Mat::from_fn(n, 2, |i, j| (i + j) as f64);
    for count in [1, 3] {
        let coefficients = vec![1.0; count];
        let result = form.add_low_rank(&coefficients, vectors.as_ref());
        assert!(
            matches!(result, Err(Error::DimensionMismatch { .. })),
            "add_low_rank, {count} coefficients for 2 vectors: {result:?}"
        );
        assert_eq!(
            form, original,
            "add_low_rank, {count} coefficients: form changed"
        );
    }

    let tall = Mat::<f64>::zeros(n + 2, 1);
    let result = form.add_low_rank(&[1.0], tall.as_ref());
    assert!(
        matches!(result, Err(Error::DimensionMismatch { .. })),
        "add_low_rank, {} rows: {result:?}",
        n + 2
    );
    assert_eq!(form, original, "add_low_rank, wrong rows: form changed");
}

#[test]
fn non_finite_rejected_unchanged() {
    let mut random = SplitMix64::new(12);
    let n = 4;
    let mut form = EigenForm::zeros(n);
    Update::random(&mut random, n, 3).apply(&mut form).unwrap();
    let original = form.clone();

    for bad in [f64::NAN, f64::INFINITY] {
        let result = form.add_rank_one(bad, &[1.0, 0.0, 0.0, 0.0]);
        assert!(
            matches!(result, Err(Error::NonFinite { .. })),
            "coefficient {bad}: {result:?}"
        );
        assert_eq!(form, original, "coefficient {bad}: form changed");

        let result = form.add_rank_one(1.0, &[1.0, bad, 0.0, 0.0]);
        assert!(
            matches!(
                result,
                Err(Error::NonFinite {
                    row: 1,
                    column: 0,
                    ..
                })
            ),
            "vector entry {bad}: {result:?}"
        );
        assert_eq!(form, original, "vector entry {bad}: form changed");

        let vectors = Mat::from_fn(n, 2, |i, j| if (i, j) == (3, 1) { bad } else { 1.0 });
        let result = form.add_low_rank(&[1.0, -1.0], vectors.as_ref());
        assert!(
            matches!(
                result,
                Err(Error::NonFinite {
                    row: 3,
                    column: 1,
                    ..
                })
            ),
            "add_low_rank entry {bad}: {result:?}"
        );
        assert_eq!(form, original, "add_low_rank entry {bad}: form changed");
    }
}

#[test]
fn from_parts_checks_input() {
    let basis = Mat::<f64>::identity(3, 2);
    let result = EigenForm::from_parts(basis.clone(), vec![1.0]);
    assert!(
        matches!(result, Err(Error::DimensionMismatch { .. })),
        "1 value for 2 columns: {result:?}"
    );
    let result = EigenForm::from_parts(basis.clone(), vec![1.0, f64::NAN]);
    assert!(
        matches!(result, Err(Error::NonFinite { row: 1, .. })),
        "NaN value: {result:?}"
    );

    let form = EigenForm::from_parts(basis, vec![2.0, -3.0]).unwrap();
    let dense = form.to_dense();
    let expected = faer::mat![[2.0, 0.0, 0.0], [0.0, -3.0, 0.0], [0.0, 0.0, 0.0]];
    assert_eq!(
        max_abs_difference(dense.as_ref(), expected.as_ref()),
        0.0,
        "to_dense of diag(2, -3, 0)"
    );
}

#[test]
fn reorthonormalize_repairs_basis() {
    // A basis perturbed away from orthonormal by about 1e-6.
    let mut random = SplitMix64::new(13);
    let n = 12;
    let r = 5;
    let mut form = EigenForm::zeros(n);
    for _ in 0..r {
        Update::random(&mut random, n, 1).apply(&mut form).unwrap();
    }
    let basis = Mat::from_fn(n, form.rank(), |i, j| {
        form.basis()[(i, j)] + 1e-6 * random.uniform(-1.0, 1.0)
    });
    let mut perturbed = EigenForm::from_parts(basis, form.values().to_vec()).unwrap();
    let before_error = perturbed.orthogonality_error();
    assert!(
        before_error > 1e-8,
        "the perturbation left orthogonality error {before_error}"
    );
    let before = perturbed.to_dense();

    perturbed.reorthonormalize().unwrap();
    let after_error = perturbed.orthogonality_error();
    assert!(
        after_error <= 1e-12,
        "orthogonality error {after_error} after reorthonormalize"
    );
    let change = max_abs_difference(perturbed.to_dense().as_ref(), before.as_ref());
    let tolerance = 1e-10 * (1.0 + max_abs(before.as_ref()));
    assert!(
        change <= tolerance,
        "reorthonormalize changed the matrix by {change}"
    );
}
