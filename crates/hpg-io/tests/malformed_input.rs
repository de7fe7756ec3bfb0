//! Property tests: corrupted .npy bytes and reward-table text must give
//! `Ok` or `Err`, never a panic, and an `Ok` matrix must be consistent.

use hpg_io::{encode_npy, parse_npy, parse_reward_table_bytes, Matrix, NpyDtype};
use proptest::prelude::*;

fn dtype() -> impl Strategy<Value = NpyDtype> {
    prop_oneof![
        Just(NpyDtype::F16),
        Just(NpyDtype::F32),
        Just(NpyDtype::F64)
    ]
}

/// Valid .npy bytes of a small random matrix.
fn valid_npy() -> impl Strategy<Value = Vec<u8>> {
    (0usize..5, 0usize..5, dtype()).prop_flat_map(|(rows, cols, dtype)| {
        proptest::collection::vec(-1e3f64..1e3, rows * cols).prop_map(move |data| {
            let m = Matrix::new(rows, cols, data).unwrap();
            encode_npy(&m, dtype).unwrap()
        })
    })
}

/// Valid reward-table text of a small random table.
fn valid_tsv() -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::collection::vec(0.0f64..=1.0, 3), 1..6).prop_map(|rows| {
        let mut text = String::from("\u{feff}query_id\ta.ndcg@10\tb.ndcg@10\tc.hit@1\ttext\r\n");
        for (i, row) in rows.iter().enumerate() {
            text.push_str(&format!(
                "{i}\t{}\t{}\t{}\tq \"{i}\"\r\n\r\n",
                row[0], row[1], row[2]
            ));
        }
        text
    })
}

fn assert_consistent_npy(bytes: &[u8]) {
    if let Ok(m) = parse_npy(bytes, "fuzz.npy") {
        assert_eq!(Some(m.data().len()), m.rows().checked_mul(m.cols()));
    }
}

fn assert_consistent_table(bytes: &[u8], delimiter: u8) {
    for metric in [None, Some("ndcg@10"), Some("hit@1")] {
        if let Ok(table) = parse_reward_table_bytes(bytes, delimiter, "fuzz.tsv", metric) {
            assert_eq!(table.models.len(), table.rewards.cols());
            assert!(table.rewards.rows() > 0);
            assert!(table.rewards.data().iter().all(|v| (0.0..=1.0).contains(v)));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn npy_round_trip_is_exact_for_f64(rows in 0usize..6, cols in 0usize..6, seed in any::<u64>()) {
        let data: Vec<f64> = (0..rows * cols)
            .map(|i| f64::from_bits(seed.rotate_left(i as u32) & 0x7FEF_FFFF_FFFF_FFFF))
            .collect();
        let m = Matrix::new(rows, cols, data).unwrap();
        let bytes = encode_npy(&m, NpyDtype::F64).unwrap();
        prop_assert_eq!(parse_npy(&bytes, "rt.npy").unwrap(), m);
    }

    #[test]
    fn npy_truncation_is_an_error(bytes in valid_npy(), cut in any::<prop::sample::Index>()) {
        let end = cut.index(bytes.len());
        prop_assert!(parse_npy(&bytes[..end], "cut.npy").is_err());
    }

    #[test]
    fn npy_byte_flips_never_panic(
        mut bytes in valid_npy(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        for (index, value) in flips {
            let i = index.index(bytes.len());
            bytes[i] ^= value;
        }
        assert_consistent_npy(&bytes);
    }

    #[test]
    fn npy_huge_shapes_are_errors(
        rows in any::<u64>(),
        cols in any::<u64>(),
        fortran in any::<bool>(),
        descr in prop_oneof![Just("<f2"), Just(">f4"), Just("<f8")],
        data_len in 0usize..64,
    ) {
        prop_assume!(rows.saturating_mul(cols) > 64);
        let order = if fortran { "True" } else { "False" };
        let header = format!("{{'descr': '{descr}', 'fortran_order': {order}, 'shape': ({rows}, {cols}), }}\n");
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend(std::iter::repeat_n(0u8, data_len));
        prop_assert!(parse_npy(&bytes, "big.npy").is_err());
    }

    #[test]
    fn npy_random_bytes_never_panic(
        prefix in any::<bool>(),
        version in 0u8..5,
        tail in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut bytes = Vec::new();
        if prefix {
            bytes.extend_from_slice(b"\x93NUMPY");
            bytes.extend_from_slice(&[version, 0]);
        }
        bytes.extend_from_slice(&tail);
        assert_consistent_npy(&bytes);
    }

    #[test]
    fn npy_random_header_text_never_panics(header in "[{}()\\[\\]',: a-z0-9<>TrueFalse_]{0,80}") {
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend_from_slice(&(header.len() as u16).to_le_bytes());
        bytes.extend_from_slice(header.as_bytes());
        assert_consistent_npy(&bytes);
    }

    #[test]
    fn tsv_valid_tables_parse(text in valid_tsv()) {
        let table = parse_reward_table_bytes(text.as_bytes(), b'\t', "ok.tsv", None).unwrap();
        prop_assert_eq!(table.models, vec!["a".to_string(), "b".to_string()]);
    }

    #[test]
    fn tsv_truncation_never_panics(text in valid_tsv(), cut in any::<prop::sample::Index>()) {
        let bytes = text.as_bytes();
        let end = cut.index(bytes.len());
        assert_consistent_table(&bytes[..end], b'\t');
        assert_consistent_table(&bytes[..end], b',');
    }

    #[test]
    fn tsv_byte_flips_never_panic(
        text in valid_tsv(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = text.into_bytes();
        for (index, value) in flips {
            let i = index.index(bytes.len());
            bytes[i] ^= value;
        }
        assert_consistent_table(&bytes, b'\t');
        assert_consistent_table(&bytes, b',');
    }

    #[test]
    fn csv_random_text_never_panics(text in "[a-c.@1,\"\t\r\n 0-9]{0,120}") {
        assert_consistent_table(text.as_bytes(), b',');
        assert_consistent_table(text.as_bytes(), b'\t');
    }
}
