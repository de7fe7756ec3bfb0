//! Writer for version 1.0, little-endian, C-order .npy files.

use std::path::Path;

use super::{NpyDtype, MAGIC};
use crate::error::{Error, Result};
use crate::float16::f64_to_f16_bits;
use crate::matrix::Matrix;

/// numpy pads the preamble and header to a multiple of this many bytes.
const ALIGNMENT: usize = 64;

/// Encodes `matrix` as the bytes of a version 1.0 .npy file.
///
/// The file is little-endian, in C (row-major) order, with shape
/// `(rows, cols)`. Values are rounded to the nearest `dtype` value, ties to
/// even, so float16 and float32 output loses precision and turns values
/// beyond their range into infinity.
///
/// # Errors
/// [`Error::InvalidNpyHeader`] when the header would exceed the 65535-byte
/// limit of version 1.0, which two integers cannot reach in practice.
///
/// # Examples
/// ```
/// use hpg_io::{encode_npy, parse_npy, Matrix, NpyDtype};
///
/// let m = Matrix::new(2, 1, vec![0.1, 0.2]).unwrap();
/// let bytes = encode_npy(&m, NpyDtype::F64).unwrap();
/// assert_eq!(bytes.len() % 64, 16);
/// assert_eq!(parse_npy(&bytes, "m.npy").unwrap(), m);
/// ```
pub fn encode_npy(matrix: &Matrix, dtype: NpyDtype) -> Result<Vec<u8>> {
    let header = header_text(matrix, dtype);
    let header_len = u16::try_from(header.len()).map_err(|_| Error::InvalidNpyHeader {
        file: "<output>".to_string(),
        reason: format!("the header is {} bytes long", header.len()),
    })?;

    let data_len = matrix.data().len().saturating_mul(dtype.item_size());
    let mut bytes = Vec::with_capacity(10 + header.len() + data_len);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&[1, 0]);
    bytes.extend_from_slice(&header_len.to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());

    for &value in matrix.data() {
        match dtype {
            NpyDtype::F16 => bytes.extend_from_slice(&f64_to_f16_bits(value).to_le_bytes()),
            // `as` rounds to nearest, ties to even.
            NpyDtype::F32 => bytes.extend_from_slice(&(value as f32).to_le_bytes()),
            NpyDtype::F64 => bytes.extend_from_slice(&value.to_le_bytes()),
        }
    }
    Ok(bytes)
}

/// Writes `matrix` to `path` as a version 1.0 .npy file.
///
/// See [`encode_npy`] for the format and rounding.
///
/// # Errors
/// [`Error::Io`] when the file cannot be written.
pub fn write_npy(path: &Path, matrix: &Matrix, dtype: NpyDtype) -> Result<()> {
    let file = path.display().to_string();
    let bytes = encode_npy(matrix, dtype)?;

    std::fs::write(path, bytes).map_err(|source| Error::Io {
        file: file.clone(),
        source,
    })?;
    tracing::debug!(file = %file, rows = matrix.rows(), cols = matrix.cols(), "wrote .npy matrix");
    Ok(())
}

/// Builds the header dictionary, padded with spaces and ended by a newline
/// so that the data starts at a multiple of [`ALIGNMENT`].
fn header_text(matrix: &Matrix, dtype: NpyDtype) -> String {
    let descr = match dtype {
        NpyDtype::F16 => "<f2",
        NpyDtype::F32 => "<f4",
        NpyDtype::F64 => "<f8",
    };
    let mut text = format!(
        "{{'descr': '{descr}', 'fortran_order': False, 'shape': ({}, {}), }}",
        matrix.rows(),
        matrix.cols()
    );

    // 10 bytes of magic, version and length come first, and 1 newline last.
    let unpadded = 10 + text.len() + 1;
    let padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
    text.extend(std::iter::repeat_n(' ', padding));
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::npy::parse_npy;

    #[test]
    fn header_is_aligned_and_readable_by_numpy_rules() {
        let m = Matrix::new(3, 2, vec![0.0; 6]).unwrap();
        let bytes = encode_npy(&m, NpyDtype::F32).unwrap();
        let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
        assert_eq!((10 + header_len) % ALIGNMENT, 0);
        assert_eq!(bytes[10 + header_len - 1], b'\n');
        assert_eq!(bytes.len(), 10 + header_len + 6 * 4);
        let header = std::str::from_utf8(&bytes[10..10 + header_len]).unwrap();
        assert!(header.starts_with("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }"));
    }

    #[test]
    fn round_trips_each_dtype() {
        let values = vec![0.0, -0.0, 1.0, -2.5, 0.099_975_585_937_5, 65504.0];
        let m = Matrix::new(2, 3, values).unwrap();
        for dtype in [NpyDtype::F16, NpyDtype::F32, NpyDtype::F64] {
            let bytes = encode_npy(&m, dtype).unwrap();
            let back = parse_npy(&bytes, "m.npy").unwrap();
            assert_eq!(back, m, "{dtype:?}");
        }
    }

    #[test]
    fn float16_rounds_to_nearest_even() {
        // 1 + 2^-11 lies halfway between 1 and 1 + 2^-10, so it rounds to 1.
        // 1 + 3 * 2^-11 lies halfway between 1 + 2^-10 and 1 + 2^-9, so it
        // rounds to 1 + 2^-9, whose last mantissa bit is 0.
        let m = Matrix::new(
            1,
            3,
            vec![1.0 + 2f64.powi(-11), 1.0 + 3.0 * 2f64.powi(-11), 1e6],
        )
        .unwrap();
        let bytes = encode_npy(&m, NpyDtype::F16).unwrap();
        let back = parse_npy(&bytes, "m.npy").unwrap();
        assert_eq!(back.get(0, 0), Some(1.0));
        assert_eq!(back.get(0, 1), Some(1.0 + 2f64.powi(-9)));
        assert_eq!(back.get(0, 2), Some(f64::INFINITY));
    }

    #[test]
    fn write_npy_reports_missing_directory() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("m.npy");
        let m = Matrix::new(1, 1, vec![1.0]).unwrap();
        let error = write_npy(&path, &m, NpyDtype::F64).unwrap_err();
        assert!(matches!(error, Error::Io { .. }));
        assert!(error.to_string().contains("m.npy"));
    }
}
