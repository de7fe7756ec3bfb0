//! Checkpoint files: any serde state in a versioned, checksummed
//! container, written atomically.
//!
//! [`save_checkpoint`] writes the file under a temporary name in the same
//! directory, flushes it to disk and renames it over the target. A reader
//! therefore sees the previous checkpoint or the new one, never a partial
//! write, even when the writer is killed. [`load_checkpoint`] checks the
//! magic bytes, the format version, the lengths and a CRC-32 before it
//! decodes anything. [`encode_checkpoint`] documents the layout.

mod crc32;
mod format;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, Result};

pub use format::{decode_checkpoint, encode_checkpoint, FORMAT_VERSION, MAGIC, MAX_PAYLOAD_BYTES};

/// Largest header that this build writes or reads: the fixed fields, a
/// writer string of up to `u16::MAX` bytes and the checksum.
const MAX_HEADER_BYTES: u64 = 26 + u16::MAX as u64;

/// Counter that makes temporary names unique within this process.
static TEMPORARY_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Saves `state` to `path` as a checkpoint, replacing any file there
/// atomically.
///
/// The bytes go to a new temporary file in the directory of `path`, which
/// is synced to disk and renamed over `path`. The directory is synced
/// after the rename (on Unix), so the new name survives a power loss.
///
/// # Errors
/// [`Error::CheckpointEncode`] when `state` cannot be encoded and
/// [`Error::Io`] when a file operation fails. On error `path` is
/// unchanged and the temporary file is removed.
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("state.ckpt");
/// hpg_io::save_checkpoint(&path, &(7_u64, String::from("hpg"))).unwrap();
/// let state: (u64, String) = hpg_io::load_checkpoint(&path).unwrap();
/// assert_eq!(state, (7, String::from("hpg")));
/// ```
pub fn save_checkpoint<T: Serialize>(path: &Path, state: &T) -> Result<()> {
    let file = path.display().to_string();
    let bytes = encode_checkpoint(state).map_err(|error| match error {
        Error::CheckpointEncode { reason, .. } => Error::CheckpointEncode {
            file: file.clone(),
            reason,
        },
        other => other,
    })?;
    write_atomic(path, &bytes)?;
    tracing::info!(file = %file, bytes = bytes.len(), "wrote checkpoint");
    Ok(())
}

/// Loads the state saved by [`save_checkpoint`] from `path`.
///
/// The file size is checked against [`MAX_PAYLOAD_BYTES`] before the file
/// is read, and the header before the payload is decoded.
///
/// # Errors
/// [`Error::Io`] when the file cannot be read, and the errors of
/// [`decode_checkpoint`].
pub fn load_checkpoint<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let file = path.display().to_string();
    let io_error = |source| Error::Io {
        file: file.clone(),
        source,
    };
    let size = std::fs::metadata(path).map_err(io_error)?.len();
    if size > MAX_PAYLOAD_BYTES + MAX_HEADER_BYTES {
        return Err(Error::CheckpointDecode {
            file,
            writer: "an unknown writer".to_owned(),
            reason: format!(
                "the file has {size} bytes, above the payload limit of {MAX_PAYLOAD_BYTES}"
            ),
        });
    }
    let bytes = std::fs::read(path).map_err(io_error)?;
    decode_checkpoint(&bytes, &file)
}

/// Checks one configuration field of a loaded checkpoint against the value
/// the caller expects.
///
/// # Errors
/// [`Error::CheckpointMismatch`] naming `file`, `field` and both values.
///
/// # Examples
/// ```
/// assert!(hpg_io::check_checkpoint_field("a.ckpt", "models", &3, &3).is_ok());
/// let error = hpg_io::check_checkpoint_field("a.ckpt", "models", &3, &4).unwrap_err();
/// assert!(error.to_string().contains("models = 4"));
/// ```
pub fn check_checkpoint_field<V: PartialEq + std::fmt::Display>(
    file: &str,
    field: &'static str,
    expected: &V,
    found: &V,
) -> Result<()> {
    if expected == found {
        return Ok(());
    }
    Err(Error::CheckpointMismatch {
        file: file.to_owned(),
        field,
        expected: expected.to_string(),
        found: found.to_string(),
    })
}

/// Writes `bytes` to `path` through a synced temporary file and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let file = path.display().to_string();
    let io_error = |source| Error::Io {
        file: file.clone(),
        source,
    };
    let name = path.file_name().ok_or_else(|| {
        io_error(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the checkpoint path has no file name",
        ))
    })?;
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };

    let (temporary, handle) = create_temporary(&directory, &name.to_string_lossy())?;
    if let Err(error) = write_and_rename(handle, &temporary, path, bytes) {
        if let Err(remove_error) = std::fs::remove_file(&temporary) {
            tracing::warn!(
                file = %temporary.display(),
                error = %remove_error,
                "failed to remove the temporary checkpoint file"
            );
        }
        return Err(io_error(error));
    }
    sync_directory(&directory).map_err(|source| Error::Io {
        file: directory.display().to_string(),
        source,
    })
}

/// Creates a new file named `.<name>.<pid>.<counter>.tmp` in `directory`.
/// `create_new` makes the call fail rather than reuse an existing file.
// NOTE: a writer killed between this call and the rename leaves its
// temporary file behind, and nothing removes such files later.
fn create_temporary(directory: &Path, name: &str) -> Result<(PathBuf, File)> {
    let count = TEMPORARY_COUNTER.fetch_add(1, Ordering::Relaxed);
    let temporary = directory.join(format!(".{name}.{}.{count}.tmp", std::process::id()));
    let handle = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .map_err(|source| Error::Io {
            file: temporary.display().to_string(),
            source,
        })?;
    Ok((temporary, handle))
}

fn write_and_rename(
    mut handle: File,
    temporary: &Path,
    path: &Path,
    bytes: &[u8],
) -> std::io::Result<()> {
    handle.write_all(bytes)?;
    handle.sync_all()?;
    drop(handle);
    std::fs::rename(temporary, path)
}

/// Syncs a directory so that a rename in it is durable. Windows cannot
/// open a directory as a file, so this is a no-op there.
fn sync_directory(directory: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(directory)?.sync_all()?;
    }
    #[cfg(not(unix))]
    {
        let _ = directory;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
