//! Feeds arbitrary bytes to the checkpoint decoder, twice.
//!
//! First the input is decoded as a whole file, which exercises the header
//! checks. Random bytes almost never carry a matching length field and
//! CRC-32, so the input is also wrapped as the payload of a container with
//! a correct header and checksum. That second call reaches the bincode and
//! serde decoding of the state types.

#![no_main]

use hpg_io::{decode_checkpoint, FORMAT_VERSION, MAGIC};
use libfuzzer_sys::fuzz_target;

/// Decodes `bytes` as each state type and drops the results.
fn decode_as_each_type(bytes: &[u8]) {
    let _ = decode_checkpoint::<Vec<f64>>(bytes, "fuzz.ckpt");
    let _ = decode_checkpoint::<(u64, Vec<u32>)>(bytes, "fuzz.ckpt");
    let _ = decode_checkpoint::<hpg_core::Hpg>(bytes, "fuzz.ckpt");
}

/// Builds a checkpoint file around `payload`, with the layout documented
/// on `hpg_io::encode_checkpoint`.
fn wrap_payload(payload: &[u8]) -> Vec<u8> {
    let writer = b"fuzz";
    let mut bytes = Vec::with_capacity(payload.len() + 30);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&(writer.len() as u16).to_le_bytes());
    bytes.extend_from_slice(writer);
    bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    bytes.extend_from_slice(payload);
    let checksum = crc32(&bytes);
    bytes.extend_from_slice(&checksum.to_le_bytes());
    bytes
}

/// Computes the CRC-32 (IEEE polynomial, reflected) of `bytes` bit by bit.
/// hpg-io keeps its table-driven version private.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fuzz_target!(|data: &[u8]| {
    decode_as_each_type(data);
    // An input that starts with the magic bytes is decoded only as a file.
    if !data.starts_with(MAGIC) {
        decode_as_each_type(&wrap_payload(data));
    }
});
