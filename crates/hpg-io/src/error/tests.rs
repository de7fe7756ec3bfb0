//! Tests of the error messages.

use super::*;

#[test]
fn truncated_overflow_message() {
    let error = Error::Truncated {
        file: "a.npy".into(),
        expected_bytes: None,
        found_bytes: 12,
    };
    let message = error.to_string();
    assert!(message.contains("a.npy"), "{message}");
    assert!(
        message.contains("more than 18446744073709551615"),
        "{message}"
    );
}

#[test]
fn trailing_bytes_counts_extra() {
    let error = Error::TrailingBytes {
        file: "a.npy".into(),
        expected_bytes: 100,
        found_bytes: 104,
    };
    let message = error.to_string();
    assert!(message.contains("has 4 bytes after"), "{message}");
}

#[test]
fn shape_mismatch_overflow_message() {
    let error = Error::ShapeMismatch {
        rows: usize::MAX,
        cols: 2,
        len: 0,
    };
    let message = error.to_string();
    assert!(message.contains("more than"), "{message}");
}
