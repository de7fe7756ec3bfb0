//! Reward tables in TSV or CSV text, with one row per query.
//!
//! The header names reward columns `<model>.<metric>`, for example
//! `minilm_l6.ndcg@10`. Columns without a `.` (such as `collection`,
//! `query_id` or `typed_query`) are ignored, and so are their cells.
//! [`parse_reward_table`] states the rules for blank lines, line ends and
//! quoting.

use std::path::Path;

use crate::error::{Error, Result};
use crate::matrix::Matrix;
use crate::records::{decode_utf8, split_records, Record};

/// Rewards of several models on a set of queries, read from a table.
#[derive(Debug, Clone, PartialEq)]
pub struct RewardTable {
    /// Model names in header order, one per column of `rewards`.
    pub models: Vec<String>,
    /// Metric that the rewards measure, such as `ndcg@10`.
    pub metric: String,
    /// Rewards in [0, 1] with one row per query and one column per model.
    pub rewards: Matrix,
}

/// Reads a reward table from a `.tsv` (tab-separated) or `.csv`
/// (comma-separated) file.
///
/// See [`parse_reward_table`] for the format and the choice of `metric`.
///
/// # Errors
/// [`Error::UnsupportedExtension`] for other extensions, [`Error::Io`] when
/// the file cannot be read, [`Error::InvalidUtf8`], and every error of
/// [`parse_reward_table`].
///
/// # Examples
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("rewards.csv");
/// std::fs::write(&path, "query_id,bm25.hit@1,lsa.hit@1\n1,1,0\n2,0,0.5\n").unwrap();
/// let table = hpg_io::read_reward_table(&path, Some("hit@1")).unwrap();
/// assert_eq!(table.models, ["bm25", "lsa"]);
/// assert_eq!(table.rewards.get(1, 1), Some(0.5));
/// ```
pub fn read_reward_table(path: &Path, metric: Option<&str>) -> Result<RewardTable> {
    let file = path.display().to_string();
    let delimiter = table_delimiter(path, &file)?;
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        file: file.clone(),
        source,
    })?;

    let table = parse_reward_table_bytes(&bytes, delimiter, &file, metric)?;
    tracing::debug!(
        file = %file,
        rows = table.rewards.rows(),
        models = table.models.len(),
        metric = %table.metric,
        "loaded reward table"
    );
    Ok(table)
}

/// Returns the delimiter that the extension of `path` selects.
fn table_delimiter(path: &Path, file: &str) -> Result<u8> {
    match lowercase_extension(path).as_str() {
        "tsv" => Ok(b'\t'),
        "csv" => Ok(b','),
        other => Err(Error::UnsupportedExtension {
            file: file.to_string(),
            extension: other.to_string(),
            supported: ".tsv (tab-separated) and .csv (comma-separated) reward tables",
        }),
    }
}

/// Returns the extension of `path` in lowercase, empty when there is none.
pub(crate) fn lowercase_extension(path: &Path) -> String {
    path.extension()
        .map(|ext| ext.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Parses a reward table from bytes that must be UTF-8.
///
/// # Errors
/// [`Error::InvalidUtf8`] naming the line of the first invalid byte, and
/// every error of [`parse_reward_table`].
pub fn parse_reward_table_bytes(
    bytes: &[u8],
    delimiter: u8,
    source: &str,
    metric: Option<&str>,
) -> Result<RewardTable> {
    let text = decode_utf8(bytes, source)?;
    parse_reward_table(text, delimiter, source, metric)
}

/// Parses a reward table from text.
///
/// `delimiter` is `b'\t'` for TSV, split without quoting, or another byte
/// (normally `b','`) for RFC 4180 CSV with quoted fields. A byte above 127
/// is taken as the Latin-1 character of that value. `source` names the file
/// in error messages.
///
/// A leading UTF-8 byte-order mark is removed once, and lines may end in
/// `\r\n`. Blank lines, empty or whitespace-only, are skipped anywhere and
/// never make a row. The first remaining line is the header. Reward columns
/// are named `<model>.<metric>`, split at the last `.` that precedes the
/// metric name, and other columns are ignored. The models are the columns
/// that carry `metric`, in header order. When `metric` is `None`, the
/// metric of the first `<model>.<metric>` column is used. Reward cells may
/// have surrounding whitespace and must lie in [0, 1]; nothing is clamped.
///
/// # Errors
/// [`Error::InvalidQuote`], [`Error::MissingHeader`],
/// [`Error::NoRewardColumns`], [`Error::MissingMetric`] (listing the metrics
/// present), [`Error::DuplicateColumn`], [`Error::FieldCount`],
/// [`Error::InvalidNumber`], [`Error::TableRewardOutOfRange`] and
/// [`Error::NoDataRows`]. Messages give the 1-based line and the 0-based
/// data row.
///
/// # Examples
/// ```
/// let text = "\u{feff}query_id\tbm25.mrr@10\tbm25.hit@1\tlsa.mrr@10\r\n\
///             q1\t0.5\t0\t1\r\n\
///             \r\n\
///             q2\t0.25\t1\t0\r\n";
/// let table = hpg_io::parse_reward_table(text, b'\t', "rewards.tsv", None).unwrap();
/// assert_eq!(table.metric, "mrr@10");
/// assert_eq!(table.models, ["bm25", "lsa"]);
/// assert_eq!(table.rewards.row(1), Some(&[0.25, 0.0][..]));
/// ```
pub fn parse_reward_table(
    text: &str,
    delimiter: u8,
    source: &str,
    metric: Option<&str>,
) -> Result<RewardTable> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = split_records(text, delimiter, source)?.into_iter();
    let header = records.next().ok_or_else(|| Error::MissingHeader {
        file: source.to_string(),
    })?;

    let columns = select_columns(&header.fields, source, metric)?;
    let mut values = Vec::new();
    let mut rows = 0;
    for (row, record) in records.enumerate() {
        let reader = RowReader {
            file: source,
            record: &record,
            row,
            expected_fields: header.fields.len(),
        };
        reader.read_rewards(&columns, &mut values)?;
        rows += 1;
    }

    if rows == 0 {
        return Err(Error::NoDataRows {
            file: source.to_string(),
        });
    }
    let rewards = Matrix::new(rows, columns.models.len(), values)?;
    Ok(RewardTable {
        models: columns.models,
        metric: columns.metric,
        rewards,
    })
}

/// The header columns that carry the chosen metric.
#[derive(Debug)]
struct RewardColumns {
    metric: String,
    models: Vec<String>,
    /// Field index and full name of each model's column.
    fields: Vec<(usize, String)>,
}

/// Splits `<model>.<metric>` at the last `.`, when both parts are non-empty.
fn split_column_name(name: &str) -> Option<(&str, &str)> {
    let (model, metric) = name.rsplit_once('.')?;
    if model.is_empty() || metric.is_empty() {
        return None;
    }
    Some((model, metric))
}

fn select_columns(header: &[String], file: &str, metric: Option<&str>) -> Result<RewardColumns> {
    let names: Vec<&str> = header.iter().map(|name| name.trim()).collect();
    let mut available: Vec<String> = Vec::new();
    for (_, name_metric) in names.iter().filter_map(|name| split_column_name(name)) {
        if !available.iter().any(|m| m == name_metric) {
            available.push(name_metric.to_string());
        }
    }

    let metric = match (metric, available.first()) {
        (Some(requested), _) => requested.to_string(),
        (None, Some(first)) => first.clone(),
        (None, None) => {
            return Err(Error::NoRewardColumns {
                file: file.to_string(),
            })
        }
    };

    let suffix = format!(".{metric}");
    let mut columns = RewardColumns {
        metric,
        models: Vec::new(),
        fields: Vec::new(),
    };
    for (index, name) in names.iter().enumerate() {
        let Some(model) = name.strip_suffix(&suffix).filter(|m| !m.is_empty()) else {
            continue;
        };
        if columns.models.iter().any(|m| m == model) {
            return Err(Error::DuplicateColumn {
                file: file.to_string(),
                column: name.to_string(),
            });
        }
        columns.models.push(model.to_string());
        columns.fields.push((index, name.to_string()));
    }

    if columns.models.is_empty() {
        if available.is_empty() {
            return Err(Error::NoRewardColumns {
                file: file.to_string(),
            });
        }
        return Err(Error::MissingMetric {
            file: file.to_string(),
            metric: columns.metric,
            available,
        });
    }
    Ok(columns)
}

/// A data record with its position, for parsing and error messages.
struct RowReader<'a> {
    file: &'a str,
    record: &'a Record,
    row: usize,
    expected_fields: usize,
}

impl RowReader<'_> {
    /// Appends the rewards of this row, in model order, to `values`.
    fn read_rewards(&self, columns: &RewardColumns, values: &mut Vec<f64>) -> Result<()> {
        let found = self.record.fields.len();
        if found != self.expected_fields {
            return Err(Error::FieldCount {
                file: self.file.to_string(),
                line: self.record.line,
                row: self.row,
                expected: self.expected_fields,
                found,
            });
        }

        for (index, name) in &columns.fields {
            let text = self.record.fields.get(*index).map_or("", String::as_str);
            values.push(self.parse_reward(text, name)?);
        }
        Ok(())
    }

    fn parse_reward(&self, text: &str, column: &str) -> Result<f64> {
        let value: f64 = text.trim().parse().map_err(|_| Error::InvalidNumber {
            file: self.file.to_string(),
            line: self.record.line,
            row: self.row,
            column: column.to_string(),
            text: text.to_string(),
        })?;

        // NaN fails the range test as well.
        if !(0.0..=1.0).contains(&value) {
            return Err(Error::TableRewardOutOfRange {
                file: self.file.to_string(),
                line: self.record.line,
                row: self.row,
                column: column.to_string(),
                value,
            });
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests;
