//! Reader and writer for NumPy `.npy` files of float16, float32 or float64.
//!
//! A .npy file is the magic string `\x93NUMPY`, two version bytes, a header
//! length (`u16` little-endian for version 1.0, `u32` for 2.0 and 3.0), a
//! header dictionary in Python literal syntax, and the raw array data. The
//! reader checks the data size against the header before it allocates, so a
//! header with a huge shape costs nothing.

mod header;
mod layout;
mod write;

use std::path::Path;

use crate::error::{Error, Result};
use crate::float16::f16_bits_to_f64;
use crate::matrix::Matrix;
use layout::{parse_layout, ByteOrder, Dims, Layout};

pub use write::{encode_npy, write_npy};

const MAGIC: &[u8] = b"\x93NUMPY";

/// Bytes before the header length field: the magic string and the version.
const PREFIX_LEN: usize = 8;

/// Float element type of a .npy file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NpyDtype {
    /// IEEE 754 half precision, numpy `float16` (`<f2`).
    F16,
    /// IEEE 754 single precision, numpy `float32` (`<f4`).
    F32,
    /// IEEE 754 double precision, numpy `float64` (`<f8`).
    F64,
}

impl NpyDtype {
    /// Size of one element in bytes.
    pub fn item_size(self) -> usize {
        match self {
            NpyDtype::F16 => 2,
            NpyDtype::F32 => 4,
            NpyDtype::F64 => 8,
        }
    }
}

/// Reads a .npy file into a [`Matrix`] of `f64`.
///
/// See [`parse_npy`] for the accepted contents. NaN and infinite values are
/// kept; [`check_features`](crate::check_features) rejects them.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, and every error of
/// [`parse_npy`].
///
/// # Examples
/// ```
/// use hpg_io::{read_npy, write_npy, Matrix, NpyDtype};
///
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("features.npy");
/// let m = Matrix::new(2, 2, vec![0.5, -1.0, 2.0, 3.25]).unwrap();
/// write_npy(&path, &m, NpyDtype::F32).unwrap();
/// assert_eq!(read_npy(&path).unwrap(), m);
/// ```
pub fn read_npy(path: &Path) -> Result<Matrix> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        file: file.clone(),
        source,
    })?;

    let matrix = parse_npy(&bytes, &file)?;
    tracing::debug!(
        file = %file,
        rows = matrix.rows(),
        cols = matrix.cols(),
        "loaded .npy matrix"
    );
    Ok(matrix)
}

/// Parses the bytes of a .npy file into a [`Matrix`] of `f64`.
///
/// `source` names the file in error messages. Format versions 1.0, 2.0 and
/// 3.0 are read, with dtypes `f2`, `f4` and `f8` in either byte order. The
/// native-order prefix `=` is always read as little-endian, whatever the
/// machine, so such a file written on a big-endian machine would be misread.
/// A 1-D array of shape `(n,)` becomes an
/// `n x 1` matrix, and a Fortran-order array is transposed into row-major
/// order. NaN and infinite values are kept.
///
/// # Errors
/// [`Error::NotNpy`], [`Error::UnsupportedNpyVersion`],
/// [`Error::InvalidNpyHeader`], [`Error::UnsupportedDtype`],
/// [`Error::UnsupportedShape`], [`Error::Truncated`] (also when the data size
/// overflows `u64`) and [`Error::TrailingBytes`].
///
/// # Examples
/// ```
/// use hpg_io::{encode_npy, parse_npy, Matrix, NpyDtype};
///
/// let m = Matrix::new(1, 3, vec![1.0, 0.5, -2.0]).unwrap();
/// let bytes = encode_npy(&m, NpyDtype::F16).unwrap();
/// assert_eq!(parse_npy(&bytes, "m.npy").unwrap(), m);
/// assert!(parse_npy(&bytes[..bytes.len() - 1], "m.npy").is_err());
/// ```
pub fn parse_npy(bytes: &[u8], source: &str) -> Result<Matrix> {
    let (header_text, data_offset) = split_header(bytes, source)?;
    let layout = parse_layout(&header_text, source)?;

    let (rows, cols) = check_data_size(&layout, bytes.len(), data_offset, source)?;
    let data = bytes.get(data_offset..).unwrap_or_default();
    let values = decode_values(data, layout.dtype, layout.byte_order);

    let values = if layout.fortran_order {
        transpose_column_major(&values, rows, cols)
    } else {
        values
    };
    Matrix::new(rows, cols, values)
}

/// Returns the header text and the offset of the array data.
fn split_header(bytes: &[u8], file: &str) -> Result<(String, usize)> {
    let truncated = |expected: usize| Error::Truncated {
        file: file.to_string(),
        expected_bytes: Some(expected as u64),
        found_bytes: bytes.len() as u64,
    };

    if !bytes.starts_with(MAGIC) {
        if MAGIC.starts_with(bytes) {
            return Err(truncated(PREFIX_LEN + 2));
        }
        return Err(Error::NotNpy {
            file: file.to_string(),
        });
    }

    let Some(&[major, minor]) = bytes.get(MAGIC.len()..PREFIX_LEN) else {
        return Err(truncated(PREFIX_LEN + 2));
    };
    let length_size = match (major, minor) {
        (1, 0) => 2,
        (2 | 3, 0) => 4,
        _ => {
            return Err(Error::UnsupportedNpyVersion {
                file: file.to_string(),
                major,
                minor,
            })
        }
    };

    let header_start = PREFIX_LEN + length_size;
    let length_bytes = bytes
        .get(PREFIX_LEN..header_start)
        .ok_or_else(|| truncated(header_start))?;
    let header_len = length_bytes
        .iter()
        .rev()
        .fold(0usize, |acc, &byte| (acc << 8) | usize::from(byte));

    let header_end = header_start.saturating_add(header_len);
    let header = bytes
        .get(header_start..header_end)
        .ok_or_else(|| truncated(header_end))?;
    let text = decode_header_text(header, major, file)?;
    Ok((text, header_end))
}

/// Decodes the header as latin-1 (versions 1.0 and 2.0) or UTF-8 (3.0).
fn decode_header_text(header: &[u8], major: u8, file: &str) -> Result<String> {
    if major < 3 {
        return Ok(header.iter().map(|&byte| char::from(byte)).collect());
    }

    std::str::from_utf8(header)
        .map(str::to_string)
        .map_err(|_| Error::InvalidNpyHeader {
            file: file.to_string(),
            reason: "the version 3.0 header is not valid UTF-8".to_string(),
        })
}

/// Compares the data size the header requires with the bytes present, with
/// checked arithmetic, and returns `(rows, cols)`.
fn check_data_size(
    layout: &Layout,
    file_len: usize,
    data_offset: usize,
    file: &str,
) -> Result<(usize, usize)> {
    let found_bytes = file_len as u64;
    let Dims::Known { rows, cols } = layout.dims else {
        return Err(Error::Truncated {
            file: file.to_string(),
            expected_bytes: None,
            found_bytes,
        });
    };

    let expected_bytes = rows
        .checked_mul(cols)
        .and_then(|count| count.checked_mul(layout.dtype.item_size() as u64))
        .and_then(|size| size.checked_add(data_offset as u64));
    match expected_bytes {
        Some(expected) if expected == found_bytes => {}
        Some(expected) if expected < found_bytes => {
            return Err(Error::TrailingBytes {
                file: file.to_string(),
                expected_bytes: expected,
                found_bytes,
            })
        }
        _ => {
            return Err(Error::Truncated {
                file: file.to_string(),
                expected_bytes,
                found_bytes,
            })
        }
    }

    // Both dimensions fit in usize when one is zero, or when their product
    // is no larger than the file.
    let to_usize = |dim: u64| usize::try_from(dim).unwrap_or(usize::MAX);
    Ok((to_usize(rows), to_usize(cols)))
}

fn decode_values(data: &[u8], dtype: NpyDtype, order: ByteOrder) -> Vec<f64> {
    let little = order == ByteOrder::Little;
    match dtype {
        NpyDtype::F16 => decode_chunks(data, |b: [u8; 2]| {
            let bits = if little {
                u16::from_le_bytes(b)
            } else {
                u16::from_be_bytes(b)
            };
            f16_bits_to_f64(bits)
        }),
        NpyDtype::F32 => decode_chunks(data, |b: [u8; 4]| {
            let value = if little {
                f32::from_le_bytes(b)
            } else {
                f32::from_be_bytes(b)
            };
            f64::from(value)
        }),
        NpyDtype::F64 => decode_chunks(data, |b: [u8; 8]| {
            if little {
                f64::from_le_bytes(b)
            } else {
                f64::from_be_bytes(b)
            }
        }),
    }
}

/// Converts each `N`-byte chunk of `data`. The caller has checked that the
/// length is a multiple of `N`; [`Matrix::new`] rejects any shortfall.
fn decode_chunks<const N: usize>(data: &[u8], convert: impl Fn([u8; N]) -> f64) -> Vec<f64> {
    data.chunks_exact(N)
        .filter_map(|chunk| <[u8; N]>::try_from(chunk).ok())
        .map(convert)
        .collect()
}

/// Reorders column-major values into row-major order.
fn transpose_column_major(values: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    if rows == 0 || cols == 0 {
        return Vec::new();
    }

    let columns: Vec<&[f64]> = values.chunks_exact(rows).collect();
    let mut transposed = Vec::with_capacity(values.len());
    for i in 0..rows {
        transposed.extend(columns.iter().filter_map(|column| column.get(i)));
    }
    transposed
}

#[cfg(test)]
mod tests;
