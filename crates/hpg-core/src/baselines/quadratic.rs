//! Quadratic feature expansions of the regression features.

use rand::Rng;

use super::ridge::{dot, zeros};
use crate::env::linalg::standard_normal;
use crate::{Error, Result};

/// Number `D` of random product features when the exact expansion is too
/// large.
///
/// The ridge regression on the expanded features costs `O(D'^2)` time per
/// update and `D' (D' + 1) / 2` numbers per model, where `D' = d + D`, and
/// the expansion itself `O(D d)` time. For the 392 router features of the
/// typos reward table (`d = 393`), `D = 256` gives `D' = 649`, 1.7 MB per
/// model and about 0.3 ms per round with 7 models, so a 10,000-round run
/// takes about 3 seconds. `D = 512` took about 0.7 ms per round there
/// without a better gap, in one seeded run each. Both timings are from `hpg replay` in a release
/// build on a shared 2-core AMD EPYC virtual machine.
pub const RANDOM_FEATURES: usize = 256;

/// The quadratic expansion of `z` (length `d`):
/// `phi(z) = [z, q(z)]`, where `q(z)` is either every product `z_i z_j`
/// with `i <= j`, or `D` random products.
///
/// The exact form has `d + d (d + 1) / 2` coordinates and is used when its
/// `d (d + 1) / 2` products are at most [`RANDOM_FEATURES`], that is for
/// `d <= 22` (21 router features and the constant). Above that, `q_k(z) = (u_k^T z)(v_k^T z) / sqrt(D)` for
/// `k = 1..D`, with `u_k` and `v_k` independent standard Gaussian vectors
/// drawn once from the router's seed. For independent Gaussian `u` and
/// `v`, `E[(u^T z)(v^T z)(u^T z')(v^T z')] = (z^T z')^2`, so
/// `q(z)^T q(z')` is an unbiased estimate of the quadratic kernel
/// `(z^T z')^2`, whose feature space is spanned by the products
/// `z_i z_j`. Ridge regression on `q` thus approximates kernel ridge
/// regression with that kernel.
///
/// NOTE: with `D = 256` far below the `d (d + 1) / 2` exact products
/// (77,421 for `d = 393`), the kernel estimate is coarse. The exact `z`
/// part keeps the linear model intact.
///
/// # Examples
/// ```
/// use hpg_core::baselines::QuadraticFeatures;
/// use rand::SeedableRng;
///
/// let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
/// let expansion = QuadraticFeatures::new(2, &mut rng)?;
/// let mut phi = vec![0.0; expansion.output_dim()];
/// expansion.expand_into(&[0.5, 2.0], &mut phi)?;
/// assert_eq!(phi, [0.5, 2.0, 0.25, 1.0, 4.0]);
/// # Ok::<(), hpg_core::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct QuadraticFeatures {
    input_dim: usize,
    products: Products,
}

/// The second-order part `q(z)` of the expansion.
#[derive(Debug, Clone)]
enum Products {
    /// Every `z_i z_j` with `i <= j`, in row-major order of the upper
    /// triangle.
    Exact,
    /// `(u_k^T z)(v_k^T z) / sqrt(D)`, where `u_k` is row `k` of `first`
    /// and `v_k` row `k` of `second`, both `D x d` and row-major.
    Random { first: Vec<f64>, second: Vec<f64> },
}

impl QuadraticFeatures {
    /// Creates the expansion of vectors of length `input_dim`, drawing the
    /// random projections from `rng` when the exact form is too large.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when the `D x d` projections cannot be
    /// allocated.
    pub fn new<R: Rng + ?Sized>(input_dim: usize, rng: &mut R) -> Result<Self> {
        let products = if pair_count(input_dim) <= RANDOM_FEATURES {
            Products::Exact
        } else {
            Products::Random {
                first: gaussian_matrix(rng, RANDOM_FEATURES, input_dim)?,
                second: gaussian_matrix(rng, RANDOM_FEATURES, input_dim)?,
            }
        };
        Ok(Self {
            input_dim,
            products,
        })
    }

    /// Length `d` of the input vectors.
    pub fn input_dim(&self) -> usize {
        self.input_dim
    }

    /// Length of `phi(z)`: `d` plus the number of products.
    pub fn output_dim(&self) -> usize {
        let products = match self.products {
            Products::Exact => pair_count(self.input_dim),
            Products::Random { .. } => RANDOM_FEATURES,
        };
        self.input_dim + products
    }

    /// Returns whether `phi` contains every product `z_i z_j` rather than
    /// random products.
    pub fn is_exact(&self) -> bool {
        matches!(self.products, Products::Exact)
    }

    /// Writes `phi(z)` into `out`.
    ///
    /// # Errors
    /// A feature error when `z` does not have length
    /// [`input_dim`](Self::input_dim) or has a non-finite entry, and
    /// [`Error::LengthMismatch`] when `out` does not have length
    /// [`output_dim`](Self::output_dim).
    pub fn expand_into(&self, z: &[f64], out: &mut [f64]) -> Result<()> {
        hpg_policy::check_features(z, self.input_dim)?;
        if out.len() != self.output_dim() {
            return Err(Error::LengthMismatch {
                what: "the quadratic feature buffer",
                expected: self.output_dim(),
                found: out.len(),
                unit: "expanded feature",
            });
        }

        let (linear, products) = out.split_at_mut(self.input_dim);
        linear.copy_from_slice(z);
        match &self.products {
            Products::Exact => exact_products(z, products),
            Products::Random { first, second } => random_products(z, first, second, products),
        }
        Ok(())
    }
}

/// Number of pairs `i <= j` among `dim` coordinates, saturating on
/// overflow.
fn pair_count(dim: usize) -> usize {
    dim.saturating_mul(dim.saturating_add(1)) / 2
}

fn exact_products(z: &[f64], out: &mut [f64]) {
    let mut slots = out.iter_mut();
    for (i, &z_i) in z.iter().enumerate() {
        for &z_j in &z[i..] {
            if let Some(slot) = slots.next() {
                *slot = z_i * z_j;
            }
        }
    }
}

fn random_products(z: &[f64], first: &[f64], second: &[f64], out: &mut [f64]) {
    // `z` is checked to be non-empty, so `chunks_exact` gets a valid size.
    let dim = z.len().max(1);
    let scale = 1.0 / (RANDOM_FEATURES as f64).sqrt();
    let rows = first.chunks_exact(dim).zip(second.chunks_exact(dim));
    for (slot, (u, v)) in out.iter_mut().zip(rows) {
        *slot = dot(u, z) * dot(v, z) * scale;
    }
}

fn gaussian_matrix<R: Rng + ?Sized>(rng: &mut R, rows: usize, cols: usize) -> Result<Vec<f64>> {
    let mut matrix = zeros(rows, cols)?;
    matrix
        .iter_mut()
        .for_each(|value| *value = standard_normal(rng));
    Ok(matrix)
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::*;

    #[test]
    fn quadratic_exact_up_to_cap() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let small = QuadraticFeatures::new(22, &mut rng).unwrap();
        let large = QuadraticFeatures::new(23, &mut rng).unwrap();

        assert!(small.is_exact());
        assert_eq!(small.output_dim(), 22 + 253);
        assert!(!large.is_exact());
        assert_eq!(large.output_dim(), 23 + RANDOM_FEATURES);
    }

    #[test]
    fn quadratic_exact_lists_upper_triangle() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let expansion = QuadraticFeatures::new(3, &mut rng).unwrap();
        let mut phi = vec![0.0; expansion.output_dim()];
        expansion.expand_into(&[1.0, 2.0, 3.0], &mut phi).unwrap();

        assert_eq!(phi, [1.0, 2.0, 3.0, 1.0, 2.0, 3.0, 4.0, 6.0, 9.0]);
    }

    /// Unit vectors of length `dim` with `z^T w` about 0.73 for `dim = 40`.
    fn unit_pair(dim: usize) -> (Vec<f64>, Vec<f64>) {
        let unit = |v: Vec<f64>| {
            let norm = dot(&v, &v).sqrt();
            v.iter().map(|value| value / norm).collect::<Vec<f64>>()
        };
        let z = (0..dim).map(|i| 1.0 + (i as f64 * 0.7).sin()).collect();
        let w = (0..dim).map(|i| 1.0 + (i as f64 * 0.3).cos()).collect();
        (unit(z), unit(w))
    }

    #[test]
    fn quadratic_random_estimates_squared_kernel() {
        let dim = 40;
        let (z, w) = unit_pair(dim);
        let exact = dot(&z, &w).powi(2);
        let seeds = 20;

        let mut cross = 0.0;
        let mut own = 0.0;
        for seed in 0..seeds {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let expansion = QuadraticFeatures::new(dim, &mut rng).unwrap();
            let mut phi_z = vec![0.0; expansion.output_dim()];
            let mut phi_w = vec![0.0; expansion.output_dim()];
            expansion.expand_into(&z, &mut phi_z).unwrap();
            expansion.expand_into(&w, &mut phi_w).unwrap();

            assert_eq!(&phi_z[..dim], &z[..]);
            cross += dot(&phi_z[dim..], &phi_w[dim..]) / seeds as f64;
            own += dot(&phi_z[dim..], &phi_z[dim..]) / seeds as f64;
        }

        // One draw has standard deviation at most sqrt(8 / 256) = 0.18,
        // the mean of 20 draws at most 0.04; the bounds are 4 of those.
        assert!(exact > 0.1, "{exact}");
        assert!((cross - exact).abs() < 0.16, "{cross} vs {exact}");
        assert!((own - 1.0).abs() < 0.16, "{own}");
    }

    #[test]
    fn quadratic_rejects_wrong_lengths() {
        let mut rng = ChaCha8Rng::seed_from_u64(0);
        let expansion = QuadraticFeatures::new(3, &mut rng).unwrap();
        let mut phi = vec![0.0; expansion.output_dim()];
        let mut short = vec![0.0; 4];

        assert!(matches!(
            expansion.expand_into(&[1.0, 2.0], &mut phi),
            Err(Error::Policy(hpg_policy::Error::FeatureLength { .. }))
        ));
        assert!(matches!(
            expansion.expand_into(&[1.0, f64::NAN, 2.0], &mut phi),
            Err(Error::Policy(hpg_policy::Error::NonFiniteFeature {
                index: 1,
                ..
            }))
        ));
        assert!(matches!(
            expansion.expand_into(&[1.0, 2.0, 3.0], &mut short),
            Err(Error::LengthMismatch {
                expected: 9,
                found: 4,
                ..
            })
        ));
    }

    #[test]
    fn quadratic_random_depends_only_on_seed() {
        let z: Vec<f64> = (0..50).map(|i| (i as f64 * 0.1).sin()).collect();
        let expand = |seed: u64| {
            let mut rng = ChaCha8Rng::seed_from_u64(seed);
            let expansion = QuadraticFeatures::new(50, &mut rng).unwrap();
            let mut phi = vec![0.0; expansion.output_dim()];
            expansion.expand_into(&z, &mut phi).unwrap();
            phi
        };

        assert_eq!(expand(5), expand(5));
        assert_ne!(expand(5), expand(6));
    }
}
