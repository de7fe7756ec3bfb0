//! Random vectors and bases for the synthetic environment.

use rand::Rng;

use crate::{Error, Result};

/// Draws a standard normal number by the Box-Muller transform.
pub(crate) fn standard_normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    // `1 - u` lies in (0, 1], so the logarithm is finite.
    let radius = (-2.0 * (1.0 - rng.random::<f64>()).ln()).sqrt();
    let angle = std::f64::consts::TAU * rng.random::<f64>();
    radius * angle.cos()
}

/// Draws a vector of `len` independent standard normal numbers.
pub(crate) fn normal_vector<R: Rng + ?Sized>(rng: &mut R, len: usize) -> Vec<f64> {
    (0..len).map(|_| standard_normal(rng)).collect()
}

/// Dot product of two slices of equal length.
pub(crate) fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Scales `v` to unit Euclidean norm. Returns `false` and leaves `v`
/// unchanged when its norm is not a positive finite number.
pub(crate) fn normalize(v: &mut [f64]) -> bool {
    let norm = dot(v, v).sqrt();
    if !(norm.is_finite() && norm > 0.0) {
        return false;
    }
    v.iter_mut().for_each(|value| *value /= norm);
    true
}

/// Draws a `dim x rank` matrix with orthonormal columns, uniformly from the
/// Stiefel manifold, by Gram-Schmidt orthogonalization of Gaussian columns.
/// Column `c` is `basis[c * dim..(c + 1) * dim]`.
///
/// # Errors
/// [`Error::InvalidParameter`] when `rank > dim`, or when a column keeps
/// coming out numerically dependent (not seen for `rank <= dim`).
pub(crate) fn random_orthonormal<R: Rng + ?Sized>(
    rng: &mut R,
    dim: usize,
    rank: usize,
) -> Result<Vec<f64>> {
    const MAX_DRAWS: usize = 16;

    if rank > dim {
        return Err(rank_error(rank));
    }

    let mut basis: Vec<f64> = Vec::with_capacity(dim * rank);
    for _ in 0..rank {
        let column = (0..MAX_DRAWS)
            .map(|_| orthogonal_column(rng, &basis, dim))
            .find_map(|column| column)
            .ok_or_else(|| rank_error(rank))?;
        basis.extend_from_slice(&column);
    }
    Ok(basis)
}

/// Draws a Gaussian column and orthogonalizes it against `basis` twice
/// (one pass loses orthogonality in floating point). Returns `None` when
/// the remainder is too small to normalize safely.
fn orthogonal_column<R: Rng + ?Sized>(rng: &mut R, basis: &[f64], dim: usize) -> Option<Vec<f64>> {
    let mut column = normal_vector(rng, dim);
    let initial_norm = dot(&column, &column).sqrt();

    for _ in 0..2 {
        for previous in basis.chunks_exact(dim) {
            let projection = dot(&column, previous);
            column
                .iter_mut()
                .zip(previous)
                .for_each(|(c, p)| *c -= projection * p);
        }
    }

    let remaining = dot(&column, &column).sqrt();
    if remaining <= 1e-6 * initial_norm {
        return None;
    }
    normalize(&mut column).then_some(column)
}

fn rank_error(rank: usize) -> Error {
    Error::InvalidParameter {
        name: "rank",
        value: rank.to_string(),
        expected: "a rank between 1 and the feature dimension",
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn random_orthonormal_columns_are_orthonormal() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let (dim, rank) = (7, 4);
        let basis = random_orthonormal(&mut rng, dim, rank).unwrap();
        for i in 0..rank {
            for j in 0..rank {
                let product = dot(
                    &basis[i * dim..(i + 1) * dim],
                    &basis[j * dim..(j + 1) * dim],
                );
                let expected = if i == j { 1.0 } else { 0.0 };
                assert!(
                    (product - expected).abs() < 1e-12,
                    "<u{i}, u{j}> = {product}"
                );
            }
        }
    }

    #[test]
    fn random_orthonormal_rejects_rank_above_dim() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        assert!(random_orthonormal(&mut rng, 2, 3).is_err());
    }

    #[test]
    fn standard_normal_has_unit_moments() {
        let mut rng = ChaCha8Rng::seed_from_u64(2);
        let draws = normal_vector(&mut rng, 20_000);
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let variance = draws.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.03, "mean {mean}");
        assert!((variance - 1.0).abs() < 0.05, "variance {variance}");
    }
}
