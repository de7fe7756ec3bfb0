//! The byte layout of a checkpoint: header, payload and checksum.
//! [`encode_checkpoint`] documents it.

use serde::de::DeserializeOwned;
use serde::Serialize;

use super::crc32::crc32;
use crate::error::{Error, Result};

/// The first eight bytes of every checkpoint.
pub const MAGIC: &[u8; 8] = b"HPGCKPT\0";

/// The format version that this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// Largest payload that [`decode_checkpoint`] accepts, in bytes (1 GiB).
///
/// bincode also stops at this limit while decoding, so a forged length
/// inside the payload cannot make it allocate more.
pub const MAX_PAYLOAD_BYTES: u64 = 1 << 30;

/// The writer string stored in checkpoints written by this build.
pub(crate) const WRITER: &str = concat!("hpg-io ", env!("CARGO_PKG_VERSION"));

/// The first bytes of a .npy file, to name the mistake in the error.
const NPY_MAGIC: &[u8] = b"\x93NUMPY";

/// Bytes of the header before the writer string.
const PREFIX_BYTES: u64 = 14;

/// Bytes of the header after the writer string (the payload length) plus
/// the checksum.
const FIXED_TAIL_BYTES: u64 = 12;

/// Returns the bincode configuration of the payload, with the decoding
/// limit.
fn config() -> bincode::config::Configuration<
    bincode::config::LittleEndian,
    bincode::config::Varint,
    bincode::config::Limit<{ MAX_PAYLOAD_BYTES as usize }>,
> {
    bincode::config::standard().with_limit::<{ MAX_PAYLOAD_BYTES as usize }>()
}

/// Encodes `state` as the bytes of a checkpoint file.
///
/// | offset | size | content |
/// | --- | --- | --- |
/// | 0 | 8 | magic bytes `HPGCKPT\0` |
/// | 8 | 4 | format version, `u32` little-endian (1) |
/// | 12 | 2 | length `w` of the writer string, `u16` little-endian |
/// | 14 | `w` | writer: crate name and version, UTF-8 |
/// | 14 + w | 8 | payload length `p`, `u64` little-endian |
/// | 22 + w | `p` | payload: the state, bincode 2 standard configuration |
/// | 22 + w + p | 4 | CRC-32 of every byte before it, `u32` little-endian |
///
/// # Errors
/// [`Error::CheckpointEncode`] when serde fails on `state` or the payload
/// exceeds [`MAX_PAYLOAD_BYTES`].
///
/// # Examples
/// ```
/// let bytes = hpg_io::encode_checkpoint(&vec![1.5_f64, -2.0]).unwrap();
/// assert!(bytes.starts_with(b"HPGCKPT\0"));
/// let back: Vec<f64> = hpg_io::decode_checkpoint(&bytes, "memory").unwrap();
/// assert_eq!(back, [1.5, -2.0]);
/// ```
pub fn encode_checkpoint<T: Serialize>(state: &T) -> Result<Vec<u8>> {
    let encode_error = |reason: String| Error::CheckpointEncode {
        file: "<memory>".to_owned(),
        reason,
    };
    let payload = bincode::serde::encode_to_vec(state, config())
        .map_err(|error| encode_error(error.to_string()))?;
    let payload_len = payload.len() as u64;
    if payload_len > MAX_PAYLOAD_BYTES {
        return Err(encode_error(format!(
            "the payload has {payload_len} bytes, above the limit of {MAX_PAYLOAD_BYTES}"
        )));
    }
    let writer_len = u16::try_from(WRITER.len())
        .map_err(|_| encode_error("the writer string is too long".to_owned()))?;

    let mut bytes = Vec::with_capacity(payload.len() + 64);
    bytes.extend_from_slice(MAGIC);
    bytes.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    bytes.extend_from_slice(&writer_len.to_le_bytes());
    bytes.extend_from_slice(WRITER.as_bytes());
    bytes.extend_from_slice(&payload_len.to_le_bytes());
    bytes.extend_from_slice(&payload);
    let checksum = crc32(&bytes);
    bytes.extend_from_slice(&checksum.to_le_bytes());
    Ok(bytes)
}

/// Decodes the state from the bytes of a checkpoint file. `file` names the
/// source in error messages.
///
/// The header is checked in file order, and the declared payload length
/// is compared with the number of bytes present before anything is
/// decoded, so a forged length cannot cause a large allocation.
///
/// # Errors
/// [`Error::NotCheckpoint`], [`Error::UnsupportedCheckpointVersion`],
/// [`Error::CheckpointTruncated`], [`Error::CheckpointTrailingBytes`],
/// [`Error::ChecksumMismatch`] and [`Error::CheckpointDecode`], each
/// naming `file`.
pub fn decode_checkpoint<T: DeserializeOwned>(bytes: &[u8], file: &str) -> Result<T> {
    let header = parse_header(bytes, file)?;
    let decode_error = |reason: String| Error::CheckpointDecode {
        file: file.to_owned(),
        writer: header.writer.clone(),
        reason,
    };
    let payload_end = header.payload_start.saturating_add(header.payload_len);
    let payload = bytes
        .get(header.payload_start..payload_end)
        .ok_or_else(|| decode_error("the payload lies outside the file".to_owned()))?;

    let (state, read) = bincode::serde::decode_from_slice::<T, _>(payload, config())
        .map_err(|error| decode_error(error.to_string()))?;
    if read != payload.len() {
        let unread = payload.len() - read;
        return Err(decode_error(format!(
            "{unread} bytes of the payload were left unread"
        )));
    }
    Ok(state)
}

/// The parts of a checked header.
struct Header {
    writer: String,
    payload_start: usize,
    payload_len: usize,
}

/// Checks the magic bytes, version, lengths and checksum of `bytes`.
fn parse_header(bytes: &[u8], file: &str) -> Result<Header> {
    let found_bytes = bytes.len() as u64;
    let truncated = |expected_bytes: Option<u64>| Error::CheckpointTruncated {
        file: file.to_owned(),
        expected_bytes,
        found_bytes,
    };
    let minimum = PREFIX_BYTES + FIXED_TAIL_BYTES;

    check_magic(bytes, file, minimum)?;
    let version = read_u32(bytes, 8).ok_or_else(|| truncated(Some(minimum)))?;
    if version != FORMAT_VERSION {
        return Err(Error::UnsupportedCheckpointVersion {
            file: file.to_owned(),
            found: version,
            supported: FORMAT_VERSION,
            reader: WRITER,
        });
    }

    let writer_len = read_u16(bytes, 12).ok_or_else(|| truncated(Some(minimum)))?;
    let writer_end = PREFIX_BYTES + u64::from(writer_len);
    let with_writer = writer_end + FIXED_TAIL_BYTES;
    let payload_len = read_u64(bytes, writer_end).ok_or_else(|| truncated(Some(with_writer)))?;
    let expected_bytes = with_writer.checked_add(payload_len);
    let total = match expected_bytes {
        Some(total) if total <= found_bytes => total,
        _ => return Err(truncated(expected_bytes)),
    };
    if total < found_bytes {
        return Err(Error::CheckpointTrailingBytes {
            file: file.to_owned(),
            expected_bytes: total,
            found_bytes,
        });
    }

    // `total` equals the slice length here, so every offset below fits in
    // `usize`.
    let body_end = bytes.len() - 4;
    let stored = read_u32(bytes, body_end as u64).ok_or_else(|| truncated(Some(total)))?;
    let computed = crc32(bytes.get(..body_end).unwrap_or_default());
    if stored != computed {
        return Err(Error::ChecksumMismatch {
            file: file.to_owned(),
            stored,
            computed,
        });
    }

    let writer_start = PREFIX_BYTES as usize;
    let writer_bytes = bytes
        .get(writer_start..writer_start + usize::from(writer_len))
        .ok_or_else(|| truncated(Some(total)))?;
    let writer = String::from_utf8_lossy(writer_bytes).into_owned();
    if payload_len > MAX_PAYLOAD_BYTES {
        return Err(Error::CheckpointDecode {
            file: file.to_owned(),
            writer,
            reason: format!(
                "the payload has {payload_len} bytes, above the limit of {MAX_PAYLOAD_BYTES}"
            ),
        });
    }
    Ok(Header {
        writer,
        payload_start: (writer_end + 8) as usize,
        payload_len: payload_len as usize,
    })
}

/// Checks the magic bytes. A file shorter than them that matches as far as
/// it goes is reported as truncated.
fn check_magic(bytes: &[u8], file: &str, minimum: u64) -> Result<()> {
    let present = bytes.len().min(MAGIC.len());
    if bytes[..present] != MAGIC[..present] {
        let hint = if bytes.starts_with(NPY_MAGIC) {
            " (it is a .npy array)"
        } else {
            ""
        };
        return Err(Error::NotCheckpoint {
            file: file.to_owned(),
            hint,
        });
    }
    if present < MAGIC.len() {
        return Err(Error::CheckpointTruncated {
            file: file.to_owned(),
            expected_bytes: Some(minimum),
            found_bytes: bytes.len() as u64,
        });
    }
    Ok(())
}

/// Returns the `N` bytes at `offset`, or `None` past the end.
fn read_array<const N: usize>(bytes: &[u8], offset: u64) -> Option<[u8; N]> {
    let start = usize::try_from(offset).ok()?;
    let end = start.checked_add(N)?;
    bytes.get(start..end)?.try_into().ok()
}

fn read_u16(bytes: &[u8], offset: u64) -> Option<u16> {
    read_array(bytes, offset).map(u16::from_le_bytes)
}

fn read_u32(bytes: &[u8], offset: u64) -> Option<u32> {
    read_array(bytes, offset).map(u32::from_le_bytes)
}

fn read_u64(bytes: &[u8], offset: u64) -> Option<u64> {
    read_array(bytes, offset).map(u64::from_le_bytes)
}
