//! Input checks shared by the decompositions.

use faer::MatRef;

use crate::{Error, Result};

/// Checks that every entry of `a` is finite.
pub(crate) fn finite(what: &'static str, a: MatRef<'_, f64>) -> Result<()> {
    for column in 0..a.ncols() {
        for row in 0..a.nrows() {
            let value = a[(row, column)];
            if !value.is_finite() {
                return Err(Error::NonFinite {
                    what,
                    row,
                    column,
                    value,
                });
            }
        }
    }
    Ok(())
}

/// Checks that `a` is square.
pub(crate) fn square(what: &'static str, a: MatRef<'_, f64>) -> Result<()> {
    if a.nrows() != a.ncols() {
        return Err(Error::DimensionMismatch {
            what,
            expected: "a square matrix".to_owned(),
            found: format!("{} x {}", a.nrows(), a.ncols()),
        });
    }
    Ok(())
}

/// Largest absolute entry of `a` (0 for an empty matrix).
pub(crate) fn max_abs(a: MatRef<'_, f64>) -> f64 {
    let mut max = 0.0_f64;
    for column in 0..a.ncols() {
        for row in 0..a.nrows() {
            max = max.max(a[(row, column)].abs());
        }
    }
    max
}
