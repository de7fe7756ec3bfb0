//! Helpers shared by the integration tests: random symmetric matrices and
//! dense residuals.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use faer::{Mat, MatRef};
use proptest::prelude::*;

/// Largest absolute entry of `a` (0 for an empty matrix).
pub fn max_abs(a: MatRef<'_, f64>) -> f64 {
    let mut max = 0.0_f64;
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            max = max.max(a[(i, j)].abs());
        }
    }
    max
}

/// Largest absolute entry of `a - b`, for matrices of the same shape.
pub fn max_abs_difference(a: MatRef<'_, f64>, b: MatRef<'_, f64>) -> f64 {
    assert_eq!(a.shape(), b.shape(), "shapes differ");
    let mut max = 0.0_f64;
    for j in 0..a.ncols() {
        for i in 0..a.nrows() {
            max = max.max((a[(i, j)] - b[(i, j)]).abs());
        }
    }
    max
}

/// Largest entry of `|M^T M - I|`, the loss of orthonormality of the columns.
pub fn orthonormality_error(m: MatRef<'_, f64>) -> f64 {
    let gram = m.transpose() * m;
    let identity = Mat::<f64>::identity(m.ncols(), m.ncols());
    max_abs_difference(gram.as_ref(), identity.as_ref())
}

/// Builds the symmetric `n x n` matrix whose lower triangle is read, row by
/// row, from `entries` (length at least `n * n`).
pub fn symmetric_from(n: usize, entries: &[f64]) -> Mat<f64> {
    Mat::from_fn(n, n, |i, j| entries[i.max(j) * n + i.min(j)])
}

/// Computes `V diag(values) V^T` without the crate, for residual checks.
pub fn rebuild(vectors: MatRef<'_, f64>, values: &[f64]) -> Mat<f64> {
    let scaled = Mat::from_fn(vectors.nrows(), values.len(), |i, j| {
        vectors[(i, j)] * values[j]
    });
    &scaled * vectors.transpose()
}

/// Strategy for a random symmetric matrix of dimension in `dims` with
/// entries uniform in `[-bound, bound]`.
pub fn symmetric_matrix(
    dims: std::ops::RangeInclusive<usize>,
    bound: f64,
) -> impl Strategy<Value = Mat<f64>> {
    dims.prop_flat_map(move |n| {
        proptest::collection::vec(-bound..=bound, n * n)
            .prop_map(move |entries| symmetric_from(n, &entries))
    })
}

/// SplitMix64, a small seeded generator for tests that need many random
/// draws per proptest case.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// Creates the generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    /// Returns the next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Returns a float uniform in `[low, high)`.
    pub fn uniform(&mut self, low: f64, high: f64) -> f64 {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        low + (high - low) * unit
    }

    /// Returns a random symmetric `n x n` matrix with entries uniform in
    /// `[-bound, bound)`.
    pub fn symmetric(&mut self, n: usize, bound: f64) -> Mat<f64> {
        let entries: Vec<f64> = (0..n * n).map(|_| self.uniform(-bound, bound)).collect();
        symmetric_from(n, &entries)
    }
}
