//! The log-quadratic class `logit_m(z) = z^T Theta_m z`.

use faer::Mat;
use hpg_linalg::{symmetric_eigen, Ball, EigenForm, MirrorMap};

use crate::policy::{check_ball, check_batch, check_map, check_output, invalid_state};
use crate::{check_features, Error, Policy, Result};

/// Update method of each model's dual matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Path {
    /// Low-rank eigen-form updates, `O(n r^2)` per model and round.
    #[default]
    LowRank,
    /// A full eigendecomposition of the `n x n` dual per model and round:
    /// the reference the low-rank path is tested against.
    Dense,
}

/// Updates between two checks of the basis' orthogonality.
const ORTHOGONALITY_CHECK_INTERVAL: u64 = 32;

/// Loss of orthogonality above which the basis is rebuilt.
const ORTHOGONALITY_TOLERANCE: f64 = 1e-10;

/// Loss of orthogonality above which [`Policy::check_state`] rejects a
/// restored basis. It is far above [`ORTHOGONALITY_TOLERANCE`], because the
/// error may grow for up to [`ORTHOGONALITY_CHECK_INTERVAL`] updates before
/// the next rebuild.
const RESTORED_ORTHOGONALITY_TOLERANCE: f64 = 1e-6;

/// Log-quadratic policy: one symmetric `n x n` matrix `Theta_m` per model,
/// stored through its dual `grad Phi(Theta_m)` in eigen form.
///
/// A mirror-ascent step adds `c_m z z^T` to each dual, projects the dual
/// eigenvalues onto the constraint [`Ball`], and maps them back with
/// [`MirrorMap::grad_inverse`]. On the low-rank path, eigenpairs whose
/// primal eigenvalue has magnitude at most `drop_tolerance` are removed.
/// Removing one changes any logit by at most its magnitude times `||z||^2`.
///
/// With the `serde` feature the policy serializes its complete state.
/// Call [`Policy::check_state`] on a deserialized policy before using it.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct LogQuadratic<M: MirrorMap> {
    map: M,
    ball: Ball,
    path: Path,
    drop_tolerance: f64,
    max_rank: usize,
    duals: Vec<EigenForm>,
    primals: Vec<Vec<f64>>,
    updates: u64,
}

impl<M: MirrorMap> LogQuadratic<M> {
    /// Creates the zero policy (uniform over models) for `models` models and
    /// features of length `dim`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for zero models, an invalid ball, or a
    /// negative or non-finite drop tolerance.
    pub fn new(
        models: usize,
        dim: usize,
        map: M,
        ball: Ball,
        path: Path,
        drop_tolerance: f64,
    ) -> Result<Self> {
        if models == 0 {
            return Err(Error::InvalidParameter {
                name: "models",
                value: 0.0,
                expected: "at least one model",
            });
        }
        if !(drop_tolerance.is_finite() && drop_tolerance >= 0.0) {
            return Err(Error::InvalidParameter {
                name: "drop_tolerance",
                value: drop_tolerance,
                expected: "a finite value >= 0",
            });
        }
        ball.validate()?;
        Ok(Self {
            map,
            ball,
            path,
            drop_tolerance,
            max_rank: dim,
            duals: vec![EigenForm::zeros(dim); models],
            primals: vec![Vec::new(); models],
            updates: 0,
        })
    }

    /// Caps the rank of each model's matrix on the low-rank path: after an
    /// update only the `max_rank` eigenpairs of largest magnitude are kept.
    /// The default is `n`, no cap.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for 0.
    pub fn with_max_rank(mut self, max_rank: usize) -> Result<Self> {
        if max_rank == 0 {
            return Err(Error::InvalidParameter {
                name: "max_rank",
                value: 0.0,
                expected: "at least 1",
            });
        }
        self.max_rank = max_rank;
        Ok(self)
    }

    /// Returns the mirror map.
    pub fn map(&self) -> &M {
        &self.map
    }

    /// Returns the dual of model `m` in eigen form.
    pub fn dual(&self, m: usize) -> Option<&EigenForm> {
        self.duals.get(m)
    }

    /// Builds the primal matrix `Theta_m` as a dense `n x n` matrix.
    ///
    /// # Errors
    /// [`Error::ModelIndex`] for `m >= M`.
    pub fn primal_dense(&self, m: usize) -> Result<Mat<f64>> {
        let (dual, primal) =
            self.duals
                .get(m)
                .zip(self.primals.get(m))
                .ok_or(Error::ModelIndex {
                    index: m,
                    models: self.duals.len(),
                })?;
        let form = EigenForm::from_parts(dual.basis().to_owned(), primal.clone())?;
        Ok(form.to_dense())
    }

    /// Sum of the nuclear norms `sum_m ||Theta_m||_*`.
    pub fn nuclear_norm(&self) -> f64 {
        self.primals.iter().flatten().map(|l| l.abs()).sum()
    }

    fn updated_duals(&self, coefficients: &[f64], features: &[&[f64]]) -> Result<Vec<EigenForm>> {
        let models = self.models();
        let n = self.dim();
        let vectors = Mat::from_fn(n, features.len(), |i, j| features[j][i]);
        let mut duals = self.duals.clone();
        for (m, dual) in duals.iter_mut().enumerate() {
            let column: Vec<f64> = (0..features.len())
                .map(|j| coefficients[j * models + m])
                .collect();
            if column.iter().all(|&c| c == 0.0) {
                continue;
            }
            match self.path {
                Path::LowRank => dual.add_low_rank(&column, vectors.as_ref())?,
                Path::Dense => *dual = dense_update(dual, &column, &vectors)?,
            }
        }
        Ok(duals)
    }

    fn refresh(&mut self) -> Result<()> {
        let map = &self.map;
        let mut blocks: Vec<&mut [f64]> = self.duals.iter_mut().map(|d| d.values_mut()).collect();
        self.ball.project(map, &mut blocks);

        if self.path == Path::LowRank {
            let tolerance = self.drop_tolerance;
            let check = self.updates % ORTHOGONALITY_CHECK_INTERVAL == 0;
            for dual in &mut self.duals {
                dual.retain(|u| u != 0.0 && map.grad_inverse(u).abs() > tolerance);
                dual.truncate(self.max_rank);
                if check && dual.orthogonality_error() > ORTHOGONALITY_TOLERANCE {
                    dual.reorthonormalize()?;
                }
            }
        }

        self.primals = self
            .duals
            .iter()
            .map(|d| d.values().iter().map(|&u| map.grad_inverse(u)).collect())
            .collect();
        Ok(())
    }
}

/// Applies the dense reference update: rebuild the dual, add the rank-k term and
/// decompose it in full.
fn dense_update(dual: &EigenForm, coefficients: &[f64], vectors: &Mat<f64>) -> Result<EigenForm> {
    let mut dense = dual.to_dense();
    for (j, &c) in coefficients.iter().enumerate() {
        let v = vectors.col(j);
        for col in 0..dense.ncols() {
            for row in 0..dense.nrows() {
                dense[(row, col)] += c * v[row] * v[col];
            }
        }
    }
    let eig = symmetric_eigen(dense.as_ref())?;
    Ok(EigenForm::from_parts(eig.vectors, eig.values)?)
}

impl<M: MirrorMap> Policy for LogQuadratic<M> {
    fn models(&self) -> usize {
        self.duals.len()
    }

    fn dim(&self) -> usize {
        self.duals.first().map_or(0, EigenForm::dim)
    }

    fn logits(&self, z: &[f64], out: &mut [f64]) -> Result<()> {
        check_features(z, self.dim())?;
        check_output(out, self.models())?;
        for ((logit, dual), primal) in out.iter_mut().zip(&self.duals).zip(&self.primals) {
            let coordinates = dual.coordinates(z)?;
            *logit = coordinates.iter().zip(primal).map(|(p, l)| l * p * p).sum();
        }
        Ok(())
    }

    fn ascend(&mut self, coefficients: &[f64], features: &[&[f64]]) -> Result<()> {
        check_batch(coefficients, features, self.models(), self.dim())?;
        let duals = self.updated_duals(coefficients, features)?;
        let previous = std::mem::replace(&mut self.duals, duals);
        self.updates += 1;
        if let Err(error) = self.refresh() {
            self.duals = previous;
            self.updates -= 1;
            return Err(error);
        }
        Ok(())
    }

    fn direction_norm(&self, z: &[f64]) -> f64 {
        z.iter().map(|v| v * v).sum()
    }

    fn rank(&self) -> usize {
        self.duals.iter().map(EigenForm::rank).sum()
    }

    fn check_state(&self) -> Result<()> {
        check_map(&self.map)?;
        check_ball(&self.ball)?;
        if !(self.drop_tolerance.is_finite() && self.drop_tolerance >= 0.0) {
            let tolerance = self.drop_tolerance;
            return Err(invalid_state(format!(
                "drop tolerance {tolerance} is not a finite value >= 0"
            )));
        }
        if self.max_rank == 0 {
            return Err(invalid_state("the rank cap is 0"));
        }
        if self.duals.is_empty() {
            return Err(invalid_state("the policy has no models"));
        }
        if self.primals.len() != self.duals.len() {
            return Err(invalid_state(format!(
                "{} primal spectra for {} models",
                self.primals.len(),
                self.duals.len()
            )));
        }
        let dim = self.dim();
        for (m, (dual, primal)) in self.duals.iter().zip(&self.primals).enumerate() {
            self.check_model(m, dim, dual, primal)?;
        }
        Ok(())
    }
}

impl<M: MirrorMap> LogQuadratic<M> {
    /// Checks one model's dual and primal spectrum against each other.
    fn check_model(&self, m: usize, dim: usize, dual: &EigenForm, primal: &[f64]) -> Result<()> {
        if dual.dim() != dim {
            return Err(invalid_state(format!(
                "model {m} has dimension {}, model 0 has {dim}",
                dual.dim()
            )));
        }
        if dual.rank() > dim {
            return Err(invalid_state(format!(
                "model {m} has rank {} above its dimension {dim}",
                dual.rank()
            )));
        }
        let error = dual.orthogonality_error();
        if error.is_nan() || error > RESTORED_ORTHOGONALITY_TOLERANCE {
            return Err(invalid_state(format!(
                "the basis of model {m} is not orthonormal (error {error})"
            )));
        }
        // `refresh` computes every primal value from its dual value, so a
        // consistent state reproduces them bit for bit.
        let consistent = primal.len() == dual.rank()
            && dual
                .values()
                .iter()
                .zip(primal)
                .all(|(&u, &l)| self.map.grad_inverse(u).to_bits() == l.to_bits());
        if !consistent {
            return Err(invalid_state(format!(
                "the primal eigenvalues of model {m} do not match its dual eigenvalues"
            )));
        }
        Ok(())
    }
}
