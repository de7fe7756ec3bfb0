//! Serialization of [`EigenForm`] with serde.
//!
//! faer's `Mat` has no serde support, so an eigen form is written as the
//! plain record [`Parts`]: the dimension `n`, the rank `r`, the basis `Q`
//! as `n * r` values in column-major order and the `r` eigenvalues.
//! Deserialization checks the sizes against each other and rebuilds the
//! form through [`EigenForm::from_parts`], so input from a damaged or
//! forged file yields a serde error and never a panic.

use faer::Mat;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::EigenForm;

/// Largest dimension accepted on deserialization.
///
/// faer panics when it is asked for a matrix with a row count near
/// `isize::MAX`, even with no columns, so a forged dimension must be
/// rejected before the basis is allocated. 2^32 rows is far above any
/// feature dimension the learner can hold in memory.
const MAX_DIM: usize = 1 << 32;

/// The serialized form of an [`EigenForm`].
#[derive(Serialize, Deserialize)]
struct Parts {
    dim: usize,
    rank: usize,
    basis: Vec<f64>,
    values: Vec<f64>,
}

impl Serialize for EigenForm {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let basis = self.basis();
        let mut column_major = Vec::with_capacity(basis.nrows() * basis.ncols());
        for column in 0..basis.ncols() {
            column_major.extend(basis.col(column).iter().copied());
        }
        Parts {
            dim: self.dim(),
            rank: self.rank(),
            basis: column_major,
            values: self.values().to_vec(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for EigenForm {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let parts = Parts::deserialize(deserializer)?;
        if parts.dim > MAX_DIM {
            return Err(D::Error::custom(format!(
                "EigenForm dimension {} exceeds the maximum {MAX_DIM}",
                parts.dim
            )));
        }
        if parts.values.len() != parts.rank {
            return Err(D::Error::custom(format!(
                "EigenForm has rank {} but {} eigenvalues",
                parts.rank,
                parts.values.len()
            )));
        }
        let expected = parts.dim.checked_mul(parts.rank);
        if expected != Some(parts.basis.len()) {
            return Err(D::Error::custom(format!(
                "EigenForm basis has {} values, expected dim {} x rank {}",
                parts.basis.len(),
                parts.dim,
                parts.rank
            )));
        }

        let dim = parts.dim;
        let basis = Mat::from_fn(dim, parts.rank, |row, column| {
            parts.basis[column * dim + row]
        });
        EigenForm::from_parts(basis, parts.values).map_err(D::Error::custom)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn sample_form() -> EigenForm {
        let mut form = EigenForm::zeros(3);
        form.add_rank_one(2.0, &[0.6, 0.8, 0.0]).unwrap();
        form.add_rank_one(-0.5, &[0.0, 0.0, 1.0]).unwrap();
        form
    }

    /// Encodes with bincode's standard configuration.
    fn encode<T: Serialize>(value: &T) -> Vec<u8> {
        bincode::serde::encode_to_vec(value, bincode::config::standard()).unwrap()
    }

    fn decode(bytes: &[u8]) -> Result<EigenForm, bincode::error::DecodeError> {
        bincode::serde::decode_from_slice(bytes, bincode::config::standard()).map(|(f, _)| f)
    }

    #[test]
    fn round_trip_is_exact() {
        let form = sample_form();
        let decoded = decode(&encode(&form)).unwrap();
        assert_eq!(decoded, form);
        assert_eq!(encode(&decoded), encode(&form));
    }

    #[test]
    fn zero_form_round_trips() {
        let form = EigenForm::zeros(4);
        let decoded = decode(&encode(&form)).unwrap();
        assert_eq!(decoded.dim(), 4);
        assert_eq!(decoded.rank(), 0);
    }

    #[test]
    fn rank_and_values_disagree() {
        let parts = Parts {
            dim: 2,
            rank: 1,
            basis: vec![1.0, 0.0],
            values: vec![1.0, 2.0],
        };
        assert!(decode(&encode(&parts)).is_err());
    }

    #[test]
    fn basis_length_wrong() {
        let parts = Parts {
            dim: 2,
            rank: 1,
            basis: vec![1.0],
            values: vec![1.0],
        };
        assert!(decode(&encode(&parts)).is_err());
    }

    #[test]
    fn overflowing_size_rejected() {
        let parts = Parts {
            dim: usize::MAX,
            rank: 2,
            basis: vec![],
            values: vec![1.0, 2.0],
        };
        assert!(decode(&encode(&parts)).is_err());
        let huge_rank_zero = Parts {
            dim: usize::MAX,
            rank: 0,
            basis: vec![],
            values: vec![],
        };
        assert!(decode(&encode(&huge_rank_zero)).is_err());
    }

    #[test]
    fn non_finite_basis_rejected() {
        let parts = Parts {
            dim: 1,
            rank: 1,
            basis: vec![f64::NAN],
            values: vec![1.0],
        };
        assert!(decode(&encode(&parts)).is_err());
    }
}
