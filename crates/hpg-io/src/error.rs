//! The error type of hpg-io.
//!
//! Each message names the file, the place in it (data row, 1-based line of a
//! text file, column) where one exists, and the fix. The file is stored as a
//! display string in a `file` field: a field named `source` would be taken
//! by `thiserror` as the underlying error.

/// Result type of hpg-io.
pub type Result<T> = std::result::Result<T, Error>;

/// Errors raised while reading, writing or validating features, rewards
/// and checkpoints.
#[non_exhaustive]
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The operating system failed to read or write a file.
    #[error("failed to access {file}: {source}; check the path and its permissions")]
    Io {
        /// Path of the file.
        file: String,
        /// Underlying I/O error.
        source: std::io::Error,
    },

    /// The bytes do not start with the `\x93NUMPY` magic string.
    #[error("{file} is not a .npy file because it does not start with the \\x93NUMPY magic string; save the array with numpy.save")]
    NotNpy {
        /// Name of the file.
        file: String,
    },

    /// The .npy format version is not 1.0, 2.0 or 3.0.
    #[error("{file} uses .npy format version {major}.{minor}, but hpg reads versions 1.0, 2.0 and 3.0 only; save the array again with numpy.save")]
    UnsupportedNpyVersion {
        /// Name of the file.
        file: String,
        /// Major version byte.
        major: u8,
        /// Minor version byte.
        minor: u8,
    },

    /// The .npy header dictionary cannot be parsed or lacks a key.
    #[error("{file} has an invalid .npy header: {reason}; save the array again with numpy.save")]
    InvalidNpyHeader {
        /// Name of the file.
        file: String,
        /// Description of the problem in the header.
        reason: String,
    },

    /// The .npy dtype is not a float16, float32 or float64 type.
    #[error("{file} has dtype {dtype}, but hpg reads float16, float32 and float64 only; convert the array with arr.astype('float32') before numpy.save")]
    UnsupportedDtype {
        /// Name of the file.
        file: String,
        /// The dtype as written in the header.
        dtype: String,
    },

    /// The .npy shape has no dimensions or more than two.
    #[error("{file} has shape {shape:?}, but hpg reads 1-D and 2-D arrays only; reshape the array to (rows, columns) before numpy.save")]
    UnsupportedShape {
        /// Name of the file.
        file: String,
        /// The shape as written in the header.
        shape: Vec<u64>,
    },

    /// The file is shorter than its header requires, or the size overflows.
    #[error("{file} is truncated: its header requires {} bytes in total, but the file has {found_bytes} bytes; write the file again", describe_size(*.expected_bytes))]
    Truncated {
        /// Name of the file.
        file: String,
        /// Total file size the header requires, or `None` when that size
        /// does not fit in a `u64`.
        expected_bytes: Option<u64>,
        /// Total number of bytes present.
        found_bytes: u64,
    },

    /// The file has bytes after the array data that its header describes.
    #[error("{file} has {} bytes after the array data (header requires {expected_bytes} bytes, file has {found_bytes}), so the header does not match the data; write the file again", .found_bytes.saturating_sub(*.expected_bytes))]
    TrailingBytes {
        /// Name of the file.
        file: String,
        /// Total file size the header requires.
        expected_bytes: u64,
        /// Total number of bytes present.
        found_bytes: u64,
    },

    /// The file extension does not select a supported format.
    #[error("{file} has extension {extension:?}, but hpg reads {supported} here; rename the file to match its format")]
    UnsupportedExtension {
        /// Name of the file.
        file: String,
        /// The extension found, empty when there is none.
        extension: String,
        /// The supported extensions, for the message.
        supported: &'static str,
    },

    /// A text file is not valid UTF-8.
    #[error("{file} line {line} is not valid UTF-8; save the table as UTF-8 text")]
    InvalidUtf8 {
        /// Name of the file.
        file: String,
        /// 1-based line of the first invalid byte.
        line: usize,
    },

    /// A CSV field has a stray or unterminated double quote.
    #[error("{file} line {line} has an invalid quoted field: {reason}; quote the whole field and write a quote inside it as \"\"")]
    InvalidQuote {
        /// Name of the file.
        file: String,
        /// 1-based line where the problem was found.
        line: usize,
        /// Description of the quoting problem.
        reason: &'static str,
    },

    /// A table has no header line.
    #[error("{file} is empty; a reward table needs a header line and at least one data row")]
    MissingHeader {
        /// Name of the file.
        file: String,
    },

    /// A table header has no `<model>.<metric>` column.
    #[error("{file} has no reward columns; name each reward column <model>.<metric>, for example minilm_l6.ndcg@10")]
    NoRewardColumns {
        /// Name of the file.
        file: String,
    },

    /// No column of a table carries the requested metric.
    #[error("{file} has no column for metric {metric:?}; the metrics present are {available:?}, so pass one of them")]
    MissingMetric {
        /// Name of the file.
        file: String,
        /// The requested metric.
        metric: String,
        /// Metrics present in the header, in header order.
        available: Vec<String>,
    },

    /// The header contains the same reward column twice.
    #[error("{file} has column {column:?} twice in its header; remove the duplicate column")]
    DuplicateColumn {
        /// Name of the file.
        file: String,
        /// The duplicated column name.
        column: String,
    },

    /// A table row has a different number of fields than the header.
    #[error("{file} line {line} (data row {row}) has {found} fields, but the header has {expected}; fix the row or quote fields that contain the delimiter")]
    FieldCount {
        /// Name of the file.
        file: String,
        /// 1-based line of the row.
        line: usize,
        /// 0-based data row index.
        row: usize,
        /// Number of header fields.
        expected: usize,
        /// Number of fields in the row.
        found: usize,
    },

    /// A reward cell is not a number.
    #[error("{file} line {line} (data row {row}), column {column}: {text:?} is not a number; write the reward as a decimal number in [0, 1]")]
    InvalidNumber {
        /// Name of the file.
        file: String,
        /// 1-based line of the row.
        line: usize,
        /// 0-based data row index.
        row: usize,
        /// Column name.
        column: String,
        /// The cell text.
        text: String,
    },

    /// A reward cell in a table is NaN, infinite or outside [0, 1].
    #[error("{file} line {line} (data row {row}), column {column}: reward {value} is outside [0, 1]; rewards must lie in [0, 1], so rescale the metric")]
    TableRewardOutOfRange {
        /// Name of the file.
        file: String,
        /// 1-based line of the row.
        line: usize,
        /// 0-based data row index.
        row: usize,
        /// Column name.
        column: String,
        /// The parsed value.
        value: f64,
    },

    /// A table has a header but no data rows.
    #[error("{file} has a header but no data rows; add one row per query")]
    NoDataRows {
        /// Name of the file.
        file: String,
    },

    /// A reward in a matrix is NaN, infinite or outside [0, 1].
    #[error("{file} row {row}, column {column}: reward {value} is outside [0, 1]; rewards must lie in [0, 1], so rescale the metric")]
    RewardOutOfRange {
        /// Name of the file.
        file: String,
        /// 0-based row index.
        row: usize,
        /// 0-based column index.
        column: usize,
        /// The value found.
        value: f64,
    },

    /// A feature value is NaN or infinite.
    #[error("{file} row {row}, column {column}: feature {value} is not finite; replace NaN and infinite values before saving the features")]
    NonFinite {
        /// Name of the file.
        file: String,
        /// 0-based row index.
        row: usize,
        /// 0-based column index.
        column: usize,
        /// The value found.
        value: f64,
    },

    /// A matrix has zero rows or zero columns.
    #[error("{file} contains a {rows} x {cols} matrix, but hpg needs at least one row and one column; write a non-empty array")]
    EmptyMatrix {
        /// Name of the file.
        file: String,
        /// Number of rows.
        rows: usize,
        /// Number of columns.
        cols: usize,
    },

    /// A metric was passed for a .npy reward file.
    #[error("{file} is a .npy reward matrix, which has one reward column per model and no metric names, but metric {metric:?} was requested; omit the metric")]
    MetricWithNpy {
        /// Name of the file.
        file: String,
        /// The metric that was passed.
        metric: String,
    },

    /// The features and rewards describe different numbers of queries.
    #[error("{features_file} has {features_rows} rows but {rewards_file} has {rewards_rows} rows; both files need one row per query, in the same order")]
    RowCountMismatch {
        /// Name of the features file.
        features_file: String,
        /// Number of feature rows.
        features_rows: usize,
        /// Name of the rewards file.
        rewards_file: String,
        /// Number of reward rows.
        rewards_rows: usize,
    },

    /// A checkpoint file does not start with the checkpoint magic bytes.
    #[error("{file} is not an hpg checkpoint because it does not start with the HPGCKPT magic bytes{hint}; pass a file written by `hpg replay --checkpoint` or `Learner::save`")]
    NotCheckpoint {
        /// Name of the file.
        file: String,
        /// Kind of file detected instead, empty when unknown.
        hint: &'static str,
    },

    /// A checkpoint uses a format version that this build cannot read.
    #[error("{file} uses checkpoint format version {found}, but this build of hpg ({reader}) reads version {supported} only; load it with the hpg release that wrote it or a newer one")]
    UnsupportedCheckpointVersion {
        /// Name of the file.
        file: String,
        /// The version in the file.
        found: u32,
        /// The version this build reads.
        supported: u32,
        /// Name and version of this build.
        reader: &'static str,
    },

    /// A checkpoint is shorter than its header requires.
    #[error("{file} is a truncated checkpoint: it needs at least {} bytes, but the file has {found_bytes}; the write was interrupted, so use an older checkpoint or start without one", describe_size(*.expected_bytes))]
    CheckpointTruncated {
        /// Name of the file.
        file: String,
        /// Smallest file size the bytes read so far require, or `None`
        /// when that size does not fit in a `u64`.
        expected_bytes: Option<u64>,
        /// Total number of bytes present.
        found_bytes: u64,
    },

    /// A checkpoint has bytes after its checksum.
    #[error("{file} has {} bytes after the end of the checkpoint (header requires {expected_bytes} bytes, file has {found_bytes}); the file was changed after it was written, so use another checkpoint", .found_bytes.saturating_sub(*.expected_bytes))]
    CheckpointTrailingBytes {
        /// Name of the file.
        file: String,
        /// Total file size the header requires.
        expected_bytes: u64,
        /// Total number of bytes present.
        found_bytes: u64,
    },

    /// The CRC-32 stored in a checkpoint does not match its content.
    #[error("{file} is damaged: its stored CRC-32 is {stored:#010x} but its content gives {computed:#010x}; use another checkpoint or start without one")]
    ChecksumMismatch {
        /// Name of the file.
        file: String,
        /// Checksum stored in the file.
        stored: u32,
        /// Checksum of the bytes read.
        computed: u32,
    },

    /// An intact checkpoint whose payload is not the expected state.
    #[error("{file} (written by {writer}) cannot be decoded: {reason}; check that it was saved by the same kind of learner and a compatible hpg release")]
    CheckpointDecode {
        /// Name of the file.
        file: String,
        /// Name and version of the writer, as stored in the header.
        writer: String,
        /// Description of the failure.
        reason: String,
    },

    /// A checkpoint decodes, but the state in it is inconsistent.
    #[error("{file} contains an inconsistent state: {reason}; the file was damaged or edited after it was written, so use another checkpoint or start without one")]
    CheckpointInvalid {
        /// Name of the file.
        file: String,
        /// Description of the inconsistency.
        reason: String,
    },

    /// The state could not be encoded as a checkpoint.
    #[error("failed to encode the checkpoint for {file}: {reason}")]
    CheckpointEncode {
        /// Name of the file.
        file: String,
        /// Description of the failure.
        reason: String,
    },

    /// A checkpoint was saved with a configuration that differs from the
    /// one the caller expects.
    #[error("{file} was saved with {field} = {found}, but this run expects {field} = {expected}; resume with data that matches the checkpoint, or start without it")]
    CheckpointMismatch {
        /// Name of the file.
        file: String,
        /// The configuration field that differs.
        field: &'static str,
        /// The value the caller expects.
        expected: String,
        /// The value in the checkpoint.
        found: String,
    },

    /// The data length does not equal `rows * cols` in [`Matrix::new`](crate::Matrix::new).
    #[error("a {rows} x {cols} matrix needs {} values, but {len} were given; pass rows * cols values in row-major order", describe_count(*.rows, *.cols))]
    ShapeMismatch {
        /// Requested number of rows.
        rows: usize,
        /// Requested number of columns.
        cols: usize,
        /// Number of values given.
        len: usize,
    },
}

/// Formats a byte count that may have overflowed `u64`.
fn describe_size(bytes: Option<u64>) -> String {
    match bytes {
        Some(count) => count.to_string(),
        None => format!("more than {}", u64::MAX),
    }
}

/// Formats `rows * cols`, which may overflow `usize`.
fn describe_count(rows: usize, cols: usize) -> String {
    match rows.checked_mul(cols) {
        Some(count) => count.to_string(),
        None => format!("more than {}", usize::MAX),
    }
}

#[cfg(test)]
mod tests;
