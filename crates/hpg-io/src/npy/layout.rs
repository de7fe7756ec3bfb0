//! Interpretation of the .npy header dictionary: dtype, order and shape.

use super::header::{parse_literal, Literal};
use super::NpyDtype;
use crate::error::{Error, Result};

/// Byte order of the stored values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ByteOrder {
    Little,
    Big,
}

/// Shape of the stored matrix as read from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dims {
    /// Both dimensions fit in `u64`.
    Known { rows: u64, cols: u64 },
    /// A dimension is too large for a `u64`.
    Overflow,
}

/// Description of the array data, read from the header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Layout {
    pub(crate) dtype: NpyDtype,
    pub(crate) byte_order: ByteOrder,
    pub(crate) fortran_order: bool,
    pub(crate) dims: Dims,
}

/// Parses the header text of `file` into a [`Layout`].
pub(crate) fn parse_layout(text: &str, file: &str) -> Result<Layout> {
    let invalid = |reason: String| Error::InvalidNpyHeader {
        file: file.to_string(),
        reason,
    };

    let Literal::Dict(entries) = parse_literal(text).map_err(invalid)? else {
        return Err(invalid("the header is not a dictionary".to_string()));
    };

    let descr = lookup(&entries, "descr").ok_or_else(|| invalid(missing_key("descr")))?;
    let order =
        lookup(&entries, "fortran_order").ok_or_else(|| invalid(missing_key("fortran_order")))?;
    let shape = lookup(&entries, "shape").ok_or_else(|| invalid(missing_key("shape")))?;

    let (dtype, byte_order) = parse_descr(descr, file)?;
    let Literal::Bool(fortran_order) = order else {
        return Err(invalid(format!(
            "fortran_order is {order}, not True or False"
        )));
    };
    let dims = parse_shape(shape, file)?;

    Ok(Layout {
        dtype,
        byte_order,
        fortran_order: *fortran_order,
        dims,
    })
}

fn missing_key(key: &str) -> String {
    format!("the key '{key}' is missing")
}

/// Returns the value of the last entry with string key `key`, as Python
/// keeps the last of repeated keys in a dict literal.
fn lookup<'a>(entries: &'a [(Literal, Literal)], key: &str) -> Option<&'a Literal> {
    entries
        .iter()
        .rev()
        .find(|(k, _)| matches!(k, Literal::Str(name) if name == key))
        .map(|(_, value)| value)
}

/// Maps a dtype string such as `<f4` to a float type and byte order.
///
/// `=` (native order) is read as little-endian, and `|` (order not
/// applicable) is accepted for the same float types.
fn parse_descr(descr: &Literal, file: &str) -> Result<(NpyDtype, ByteOrder)> {
    let unsupported = || Error::UnsupportedDtype {
        file: file.to_string(),
        dtype: descr.to_string(),
    };

    let Literal::Str(text) = descr else {
        return Err(unsupported());
    };
    let mut chars = text.chars();
    let byte_order = match chars.next() {
        Some('<' | '=' | '|') => ByteOrder::Little,
        Some('>') => ByteOrder::Big,
        _ => return Err(unsupported()),
    };

    let dtype = match chars.as_str() {
        "f2" => NpyDtype::F16,
        "f4" => NpyDtype::F32,
        "f8" => NpyDtype::F64,
        _ => return Err(unsupported()),
    };
    Ok((dtype, byte_order))
}

/// Reads a 1-D shape `(n,)` as `n x 1` and a 2-D shape as `(rows, cols)`.
fn parse_shape(shape: &Literal, file: &str) -> Result<Dims> {
    let Literal::Tuple(items) = shape else {
        return Err(Error::InvalidNpyHeader {
            file: file.to_string(),
            reason: format!("shape is {shape}, not a tuple"),
        });
    };

    let mut dims = Vec::with_capacity(items.len());
    for item in items {
        let Literal::Int(digits) = item else {
            return Err(Error::InvalidNpyHeader {
                file: file.to_string(),
                reason: format!("shape {shape} contains {item}, not an integer"),
            });
        };
        // Only a digit string too long for u64 fails to parse here.
        match digits.parse::<u64>() {
            Ok(value) => dims.push(value),
            Err(_) => return Ok(Dims::Overflow),
        }
    }

    match dims.as_slice() {
        [rows] => Ok(Dims::Known {
            rows: *rows,
            cols: 1,
        }),
        [rows, cols] => Ok(Dims::Known {
            rows: *rows,
            cols: *cols,
        }),
        _ => Err(Error::UnsupportedShape {
            file: file.to_string(),
            shape: dims,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(descr: &str, fortran: &str, shape: &str) -> String {
        format!("{{'descr': {descr}, 'fortran_order': {fortran}, 'shape': {shape}, }}")
    }

    #[test]
    fn reads_all_float_dtypes_and_orders() {
        let cases = [
            ("'<f2'", NpyDtype::F16, ByteOrder::Little),
            ("'>f2'", NpyDtype::F16, ByteOrder::Big),
            ("'<f4'", NpyDtype::F32, ByteOrder::Little),
            ("'>f4'", NpyDtype::F32, ByteOrder::Big),
            ("'<f8'", NpyDtype::F64, ByteOrder::Little),
            ("'>f8'", NpyDtype::F64, ByteOrder::Big),
            ("'=f4'", NpyDtype::F32, ByteOrder::Little),
            ("'|f8'", NpyDtype::F64, ByteOrder::Little),
        ];
        for (descr, dtype, order) in cases {
            let layout = parse_layout(&header(descr, "False", "(2, 3)"), "x.npy").unwrap();
            assert_eq!(layout.dtype, dtype, "{descr}");
            assert_eq!(layout.byte_order, order, "{descr}");
            assert_eq!(layout.dims, Dims::Known { rows: 2, cols: 3 });
        }
    }

    #[test]
    fn rejects_other_dtypes_by_name() {
        for descr in [
            "'|b1'",
            "'<i8'",
            "'<c16'",
            "'<U3'",
            "[('x', '<f4')]",
            "'f4'",
        ] {
            let error = parse_layout(&header(descr, "False", "(2,)"), "x.npy").unwrap_err();
            let message = error.to_string();
            assert!(
                matches!(error, Error::UnsupportedDtype { .. }),
                "{descr}: {error:?}"
            );
            assert!(message.contains(descr.trim_matches('\'')), "{message}");
            assert!(
                message.contains("float16, float32 and float64"),
                "{message}"
            );
            assert!(message.contains("astype('float32')"), "{message}");
        }
    }

    #[test]
    fn one_dimensional_shape_is_a_column() {
        let layout = parse_layout(&header("'<f8'", "False", "(5,)"), "x.npy").unwrap();
        assert_eq!(layout.dims, Dims::Known { rows: 5, cols: 1 });
    }

    #[test]
    fn rejects_zero_and_three_dimensions() {
        for (shape, dims) in [("()", vec![]), ("(2, 3, 4)", vec![2, 3, 4])] {
            let error = parse_layout(&header("'<f8'", "False", shape), "x.npy").unwrap_err();
            let message = error.to_string();
            assert!(matches!(error, Error::UnsupportedShape { ref shape, .. } if *shape == dims));
            assert!(message.contains("1-D and 2-D"), "{message}");
        }
    }

    #[test]
    fn oversized_dimension_is_overflow() {
        let shape = "(99999999999999999999999, 2)";
        let layout = parse_layout(&header("'<f8'", "False", shape), "x.npy").unwrap();
        assert_eq!(layout.dims, Dims::Overflow);
    }

    #[test]
    fn reads_fortran_flag_and_any_key_order() {
        let text = "{'shape': (2, 2), 'fortran_order': True, 'descr': '<f4'}";
        let layout = parse_layout(text, "x.npy").unwrap();
        assert!(layout.fortran_order);
    }

    #[test]
    fn rejects_missing_keys_and_bad_values() {
        let cases = [
            (
                "{'descr': '<f4', 'shape': (2,)}",
                "'fortran_order' is missing",
            ),
            (
                "{'fortran_order': False, 'shape': (2,)}",
                "'descr' is missing",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False}",
                "'shape' is missing",
            ),
            (
                "{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}",
                "not True or False",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': [2]}",
                "not a tuple",
            ),
            (
                "{'descr': '<f4', 'fortran_order': False, 'shape': ('a',)}",
                "not an integer",
            ),
            ("('descr', '<f4')", "not a dictionary"),
            ("{'descr': '<f4'", "ends before"),
        ];
        for (text, expected) in cases {
            let error = parse_layout(text, "bad.npy").unwrap_err();
            let message = error.to_string();
            assert!(matches!(error, Error::InvalidNpyHeader { .. }), "{text}");
            assert!(message.contains(expected), "{text}: {message}");
            assert!(message.contains("bad.npy"), "{message}");
        }
    }
}
