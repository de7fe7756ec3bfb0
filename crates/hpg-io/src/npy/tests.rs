use super::*;

/// Builds a .npy file with any version, header text and data bytes.
fn build(major: u8, header: &str, data: &[u8]) -> Vec<u8> {
    let mut bytes = MAGIC.to_vec();
    bytes.extend_from_slice(&[major, 0]);
    let header = format!("{header}\n");
    if major == 1 {
        bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
    } else {
        bytes.extend_from_slice(&(header.len() as u32).to_le_bytes());
    }
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(data);
    bytes
}

fn dict(descr: &str, fortran: bool, shape: &str) -> String {
    let order = if fortran { "True" } else { "False" };
    format!("{{'descr': '{descr}', 'fortran_order': {order}, 'shape': {shape}, }}")
}

fn f64_le(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

#[test]
fn reads_versions_one_two_and_three() {
    let data = f64_le(&[1.0, 2.0, 3.0, 4.0]);
    let expected = Matrix::new(2, 2, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    for major in [1, 2, 3] {
        let bytes = build(major, &dict("<f8", false, "(2, 2)"), &data);
        assert_eq!(
            parse_npy(&bytes, "v.npy").unwrap(),
            expected,
            "version {major}"
        );
    }
}

#[test]
fn version_three_header_may_contain_utf8() {
    let header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'note': 'größe'}";
    let bytes = build(3, header, &f64_le(&[7.0]));
    assert_eq!(parse_npy(&bytes, "v.npy").unwrap().get(0, 0), Some(7.0));
}

#[test]
fn version_three_rejects_invalid_utf8_header() {
    let mut bytes = build(3, &dict("<f8", false, "(1,)"), &f64_le(&[7.0]));
    bytes[13] = 0xFF;
    let error = parse_npy(&bytes, "v.npy").unwrap_err();
    assert!(matches!(error, Error::InvalidNpyHeader { .. }));
    assert!(error.to_string().contains("not valid UTF-8"), "{error}");
}

#[test]
fn rejects_unknown_versions_by_number() {
    for (major, minor) in [(4, 0), (1, 1), (0, 0)] {
        let mut bytes = build(1, &dict("<f8", false, "(1,)"), &f64_le(&[1.0]));
        bytes[6] = major;
        bytes[7] = minor;
        let error = parse_npy(&bytes, "v.npy").unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::UnsupportedNpyVersion { .. }));
        assert!(
            message.contains(&format!("version {major}.{minor}")),
            "{message}"
        );
        assert!(message.contains("v.npy"), "{message}");
    }
}

#[test]
fn rejects_files_without_magic() {
    for bytes in [&b"hello world, not numpy"[..], b"\x93NUMPX\x01\x00"] {
        let error = parse_npy(bytes, "text.npy").unwrap_err();
        assert!(matches!(error, Error::NotNpy { .. }), "{error:?}");
        assert!(error.to_string().contains("numpy.save"));
    }
}

#[test]
fn short_prefix_is_truncated() {
    for bytes in [
        &b""[..],
        b"\x93NUM",
        b"\x93NUMPY\x01",
        b"\x93NUMPY\x01\x00\x10",
    ] {
        let error = parse_npy(bytes, "cut.npy").unwrap_err();
        assert!(
            matches!(error, Error::Truncated { .. }),
            "{bytes:?}: {error:?}"
        );
    }
}

#[test]
fn cut_header_is_truncated() {
    let bytes = build(1, &dict("<f8", false, "(1,)"), &f64_le(&[1.0]));
    let error = parse_npy(&bytes[..30], "cut.npy").unwrap_err();
    let Error::Truncated {
        expected_bytes,
        found_bytes,
        ..
    } = error
    else {
        panic!("expected Truncated, got {error:?}");
    };
    assert_eq!(found_bytes, 30);
    assert_eq!(expected_bytes, Some(bytes.len() as u64 - 8));
}

#[test]
fn cut_data_is_truncated_with_sizes() {
    let bytes = build(1, &dict("<f4", false, "(2, 3)"), &[0u8; 23]);
    let error = parse_npy(&bytes, "cut.npy").unwrap_err();
    let message = error.to_string();
    assert!(matches!(
        error,
        Error::Truncated { expected_bytes: Some(e), found_bytes: f, .. }
            if e == f + 1
    ));
    assert!(message.contains("cut.npy is truncated"), "{message}");
}

#[test]
fn huge_shapes_are_truncated_without_allocating() {
    let cases = [
        ("(18446744073709551615, 18446744073709551615)", None),
        ("(4611686018427387904, 4)", None),
        ("(99999999999999999999999999,)", None),
        ("(1000000000, 1000)", Some(8_000_000_000_000u64)),
    ];
    for (shape, expected) in cases {
        let header = dict("<f8", false, shape);
        let bytes = build(1, &header, &[]);
        let error = parse_npy(&bytes, "big.npy").unwrap_err();
        let Error::Truncated { expected_bytes, .. } = error else {
            panic!("{shape}: expected Truncated, got {error:?}");
        };
        let offset = bytes.len() as u64;
        assert_eq!(
            expected_bytes,
            expected.map(|size| size + offset),
            "{shape}"
        );
    }
}

#[test]
fn extra_data_is_trailing_bytes() {
    let bytes = build(1, &dict("<f8", false, "(1,)"), &f64_le(&[1.0, 2.0]));
    let error = parse_npy(&bytes, "long.npy").unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::TrailingBytes { .. }));
    assert!(
        message.contains("has 8 bytes after the array data"),
        "{message}"
    );
}

#[test]
fn reads_every_float_dtype_in_both_byte_orders() {
    let values = [1.5f64, -0.25, 65504.0];
    let cases: [(&str, Vec<u8>); 6] = [
        (
            "<f2",
            [0x3E00u16, 0xB400, 0x7BFF]
                .iter()
                .flat_map(|b| b.to_le_bytes())
                .collect(),
        ),
        (
            ">f2",
            [0x3E00u16, 0xB400, 0x7BFF]
                .iter()
                .flat_map(|b| b.to_be_bytes())
                .collect(),
        ),
        (
            "<f4",
            values
                .iter()
                .flat_map(|&v| (v as f32).to_le_bytes())
                .collect(),
        ),
        (
            ">f4",
            values
                .iter()
                .flat_map(|&v| (v as f32).to_be_bytes())
                .collect(),
        ),
        ("<f8", values.iter().flat_map(|v| v.to_le_bytes()).collect()),
        (">f8", values.iter().flat_map(|v| v.to_be_bytes()).collect()),
    ];
    for (descr, data) in cases {
        let bytes = build(1, &dict(descr, false, "(1, 3)"), &data);
        let m = parse_npy(&bytes, "d.npy").unwrap();
        assert_eq!(m.data(), &values[..], "{descr}");
    }
}

#[test]
fn fortran_order_is_transposed_into_row_major() {
    // The 2 x 3 matrix [[1, 2, 3], [4, 5, 6]] stored column by column.
    let column_major = f64_le(&[1.0, 4.0, 2.0, 5.0, 3.0, 6.0]);
    let fortran = build(1, &dict("<f8", true, "(2, 3)"), &column_major);
    let m = parse_npy(&fortran, "f.npy").unwrap();
    assert_eq!(m.row(0), Some(&[1.0, 2.0, 3.0][..]));
    assert_eq!(m.row(1), Some(&[4.0, 5.0, 6.0][..]));

    // The same bytes read in C order give a different matrix.
    let c_order = build(1, &dict("<f8", false, "(2, 3)"), &column_major);
    let m = parse_npy(&c_order, "c.npy").unwrap();
    assert_eq!(m.row(0), Some(&[1.0, 4.0, 2.0][..]));
}

#[test]
fn one_dimensional_array_is_a_column() {
    let bytes = build(1, &dict("<f8", false, "(3,)"), &f64_le(&[1.0, 2.0, 3.0]));
    let m = parse_npy(&bytes, "v.npy").unwrap();
    assert_eq!(m.rows(), 3);
    assert_eq!(m.cols(), 1);
    assert_eq!(m.get(2, 0), Some(3.0));
}

#[test]
fn empty_shapes_read_without_data() {
    for (shape, rows, cols, fortran) in [("(0, 5)", 0, 5, false), ("(4, 0)", 4, 0, true)] {
        let bytes = build(1, &dict("<f4", fortran, shape), &[]);
        let m = parse_npy(&bytes, "e.npy").unwrap();
        assert_eq!((m.rows(), m.cols()), (rows, cols), "{shape}");
        assert!(m.data().is_empty());
    }
}

#[test]
fn keeps_nan_and_infinity() {
    let bytes = build(
        1,
        &dict("<f8", false, "(2,)"),
        &f64_le(&[f64::NAN, f64::INFINITY]),
    );
    let m = parse_npy(&bytes, "n.npy").unwrap();
    assert!(m.data()[0].is_nan());
    assert_eq!(m.data()[1], f64::INFINITY);
}

#[test]
fn read_npy_reports_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent.npy");
    let error = read_npy(&path).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::Io { .. }));
    assert!(message.contains("absent.npy"), "{message}");
}

#[test]
fn read_npy_reads_a_written_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.npy");
    let m = Matrix::new(2, 2, vec![1.0, 2.0, 3.0, 4.0]).unwrap();
    write_npy(&path, &m, NpyDtype::F64).unwrap();
    assert_eq!(read_npy(&path).unwrap(), m);
}
