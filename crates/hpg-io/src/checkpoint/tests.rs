//! Tests of the checkpoint container: round trips, hostile input and
//! atomic replacement.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use proptest::prelude::*;
use serde::{Deserialize, Serialize};

use super::*;

/// A state with the kinds of fields a learner has.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct State {
    name: String,
    values: Vec<f64>,
    pending: BTreeMap<u64, Vec<f64>>,
    counter: u64,
}

fn sample_state() -> State {
    let mut pending = BTreeMap::new();
    pending.insert(3, vec![0.25, -1.0]);
    pending.insert(9, vec![f64::MIN_POSITIVE]);
    State {
        name: "hpg".to_owned(),
        values: vec![1.0, -0.0, 1e-300, std::f64::consts::PI],
        pending,
        counter: 42,
    }
}

fn sample_bytes() -> Vec<u8> {
    encode_checkpoint(&sample_state()).unwrap()
}

/// Offset of the payload length in [`sample_bytes`].
fn payload_length_offset() -> usize {
    14 + format::WRITER.len()
}

/// Recomputes the trailing CRC-32 after a deliberate change.
fn reseal(bytes: &mut [u8]) {
    let end = bytes.len() - 4;
    let checksum = crc32::crc32(&bytes[..end]);
    bytes[end..].copy_from_slice(&checksum.to_le_bytes());
}

fn decode(bytes: &[u8]) -> Result<State> {
    decode_checkpoint(bytes, "test.ckpt")
}

#[test]
fn round_trip_is_bit_exact() {
    let bytes = sample_bytes();
    let state = decode(&bytes).unwrap();
    assert_eq!(state, sample_state());
    assert_eq!(state.values[1].to_bits(), (-0.0_f64).to_bits());
    assert_eq!(encode_checkpoint(&state).unwrap(), bytes);
}

#[test]
fn header_fields_in_place() {
    let bytes = sample_bytes();
    assert_eq!(&bytes[..8], MAGIC);
    assert_eq!(&bytes[8..12], &FORMAT_VERSION.to_le_bytes());
    let writer_len = usize::from(u16::from_le_bytes([bytes[12], bytes[13]]));
    assert_eq!(&bytes[14..14 + writer_len], format::WRITER.as_bytes());
}

#[test]
fn forged_length_prefix_is_truncated() {
    let mut bytes = sample_bytes();
    let offset = payload_length_offset();
    bytes.truncate(offset);
    bytes.extend_from_slice(&[0xFF; 8]);
    bytes.extend_from_slice(&[0x01, 0x02]);

    let started = Instant::now();
    let error = decode(&bytes).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(
        matches!(
            error,
            Error::CheckpointTruncated {
                expected_bytes: None,
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains("test.ckpt"), "{error}");
}

#[test]
fn cut_to_ten_bytes_is_truncated() {
    let bytes = sample_bytes();
    let error = decode(&bytes[..10]).unwrap_err();
    assert!(
        matches!(
            error,
            Error::CheckpointTruncated {
                found_bytes: 10,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn every_prefix_is_rejected() {
    let bytes = sample_bytes();
    for len in 0..bytes.len() {
        let error = decode(&bytes[..len]).unwrap_err();
        assert!(
            matches!(error, Error::CheckpointTruncated { .. }),
            "prefix of {len} bytes: {error}"
        );
    }
}

#[test]
fn npy_file_is_not_checkpoint() {
    let matrix = crate::Matrix::new(1, 2, vec![0.5, 1.0]).unwrap();
    let npy = crate::encode_npy(&matrix, crate::NpyDtype::F32).unwrap();
    let error = decode(&npy).unwrap_err();
    assert!(matches!(error, Error::NotCheckpoint { .. }), "{error}");
    assert!(error.to_string().contains(".npy array"), "{error}");
}

#[test]
fn newer_version_is_unsupported() {
    let mut bytes = sample_bytes();
    bytes[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    reseal(&mut bytes);
    let error = decode(&bytes).unwrap_err();
    assert!(
        matches!(
            error,
            Error::UnsupportedCheckpointVersion {
                found: 2,
                supported: 1,
                ..
            }
        ),
        "{error}"
    );
    let message = error.to_string();
    assert!(message.contains("version 2"), "{message}");
    assert!(message.contains("reads version 1"), "{message}");
}

#[test]
fn flipped_payload_byte_fails_checksum() {
    let mut bytes = sample_bytes();
    let index = payload_length_offset() + 10;
    bytes[index] ^= 0x40;
    let error = decode(&bytes).unwrap_err();
    assert!(matches!(error, Error::ChecksumMismatch { .. }), "{error}");
}

#[test]
fn appended_byte_is_trailing() {
    let mut bytes = sample_bytes();
    bytes.push(0);
    let error = decode(&bytes).unwrap_err();
    assert!(
        matches!(error, Error::CheckpointTrailingBytes { .. }),
        "{error}"
    );
}

#[test]
fn wrong_type_is_decode_error() {
    let bytes = encode_checkpoint(&(1_u8, 2_u8)).unwrap();
    let error = decode(&bytes).unwrap_err();
    assert!(matches!(error, Error::CheckpointDecode { .. }), "{error}");
    assert!(error.to_string().contains("hpg-io"), "{error}");
}

#[test]
fn unread_payload_is_decode_error() {
    let bytes = encode_checkpoint(&(1_u64, 2_u64)).unwrap();
    let error = decode_checkpoint::<u64>(&bytes, "pair.ckpt").unwrap_err();
    assert!(error.to_string().contains("left unread"), "{error}");
}

#[test]
fn forged_inner_length_is_bounded() {
    // A payload that declares a vector of 2^60 elements but contains none.
    let mut payload = Vec::new();
    payload.push(0xFD_u8);
    payload.extend_from_slice(&(1_u64 << 60).to_le_bytes());
    let mut bytes = sample_bytes();
    let offset = payload_length_offset();
    bytes.truncate(offset);
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&payload);
    bytes.extend_from_slice(&[0; 4]);
    reseal(&mut bytes);

    let started = Instant::now();
    let error = decode_checkpoint::<Vec<f64>>(&bytes, "forged.ckpt").unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(matches!(error, Error::CheckpointDecode { .. }), "{error}");
}

#[test]
fn mismatch_names_field() {
    let error = check_checkpoint_field("run.ckpt", "input dim", &8, &9).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("run.ckpt"), "{message}");
    assert!(message.contains("input dim = 9"), "{message}");
    assert!(message.contains("expects input dim = 8"), "{message}");
}

#[test]
fn save_replaces_file_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.ckpt");
    save_checkpoint(&path, &sample_state()).unwrap();
    let mut changed = sample_state();
    changed.counter = 43;
    save_checkpoint(&path, &changed).unwrap();

    let loaded: State = load_checkpoint(&path).unwrap();
    assert_eq!(loaded, changed);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(names, ["state.ckpt"], "no temporary file is left");
}

#[test]
fn save_into_missing_directory_fails() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing").join("state.ckpt");
    let error = save_checkpoint(&path, &sample_state()).unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error}");
}

#[test]
fn load_missing_file_is_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let error = load_checkpoint::<State>(&dir.path().join("none.ckpt")).unwrap_err();
    assert!(matches!(error, Error::Io { .. }), "{error}");
}

/// A change to valid checkpoint bytes.
#[derive(Debug, Clone)]
enum Mutation {
    Truncate(usize),
    Flip { index: usize, mask: u8 },
    Overwrite { index: usize, bytes: Vec<u8> },
    Replace(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1..=255_u8).prop_map(|(index, mask)| Mutation::Flip { index, mask }),
        (any::<usize>(), prop::collection::vec(any::<u8>(), 1..16))
            .prop_map(|(index, bytes)| Mutation::Overwrite { index, bytes }),
        prop::collection::vec(any::<u8>(), 0..256).prop_map(Mutation::Replace),
    ]
}

fn apply(mut bytes: Vec<u8>, mutation: &Mutation) -> Vec<u8> {
    let len = bytes.len();
    match mutation {
        Mutation::Truncate(at) => bytes.truncate(at % len),
        Mutation::Flip { index, mask } => bytes[index % len] ^= mask,
        Mutation::Overwrite { index, bytes: new } => {
            for (offset, byte) in new.iter().enumerate() {
                let position = (index % len + offset) % len;
                bytes[position] = *byte;
            }
        }
        Mutation::Replace(new) => return new.clone(),
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn mutated_bytes_never_panic(mutation in mutation(), reseal_checksum in any::<bool>()) {
        let mut bytes = apply(sample_bytes(), &mutation);
        // Resealing lets some mutations reach the payload decoder.
        if reseal_checksum && bytes.len() >= 30 {
            reseal(&mut bytes);
        }
        let result = decode(&bytes);
        if let Ok(state) = result {
            prop_assert!(encode_checkpoint(&state).is_ok());
        }
    }
}
