//! The CSV files of an experiment.
//!
//! Besides one row per learner, each point has a `best-fixed` row (the
//! best fixed model in hindsight) and, where the point fits one, a
//! `best-in-class` row (the reference of [`crate::reference`]). In the
//! adaptive setting of `drift` every learner faces its own query stream,
//! so these rows come once per learner, named `best-fixed[<learner>]` and
//! `best-in-class[<learner>]`.
//!
//! Numbers are written in Rust's shortest round-trip decimal form, and a
//! value that is not defined for a row (a second parameter, or a regret
//! against a reference that the point does not fit) is an empty field.

use std::fmt::Write as _;
use std::path::Path;

use crate::sensitivity::SensitivitySummary;
use crate::stats::Estimate;
use crate::summary::{Row, SlopeRow};
use crate::{Error, Result};

/// Columns of `<experiment>.csv`, one row per learner and point.
pub const ROW_COLUMNS: [&str; 17] = [
    "experiment",
    "setting",
    "learner",
    "parameter",
    "value",
    "parameter2",
    "value2",
    "seeds",
    "rounds",
    "gap_mean",
    "gap_stderr",
    "regret_best_fixed_mean",
    "regret_best_fixed_stderr",
    "regret_best_in_class_mean",
    "regret_best_in_class_stderr",
    "cumulative_regret_best_in_class_mean",
    "cumulative_regret_best_in_class_stderr",
];

/// Columns of `<experiment>_slopes.csv`, one row per learner and setting.
pub const SLOPE_COLUMNS: [&str; 9] = [
    "experiment",
    "setting",
    "learner",
    "parameter",
    "slope",
    "ci_low",
    "ci_high",
    "points",
    "skipped_points",
];

/// Columns of `sensitivity_summary.csv`, one row per setting.
pub const SENSITIVITY_COLUMNS: [&str; 8] = [
    "setting",
    "default_gap",
    "best_gap",
    "best_radius_factor",
    "best_step_factor",
    "default_over_best",
    "hpg_router_gap",
    "hpg_router_over_best",
];

/// Writes the rows of an experiment.
///
/// # Errors
/// [`Error::Write`] naming the file.
pub fn write_rows(path: &Path, rows: &[Row]) -> Result<()> {
    let mut text = header(&ROW_COLUMNS);
    for row in rows {
        let (parameter2, value2) = match row.parameter2 {
            Some((name, value)) => (name.to_owned(), value.to_string()),
            None => (String::new(), String::new()),
        };
        let fields = [
            field(row.experiment),
            field(&row.setting),
            field(&row.learner),
            field(row.parameter),
            row.value.to_string(),
            parameter2,
            value2,
            row.seeds.to_string(),
            row.rounds.to_string(),
        ];
        let mut line = fields.join(",");
        for estimate in [
            Some(row.gap),
            Some(row.regret_best_fixed),
            row.regret_best_in_class,
            row.cumulative_regret_best_in_class,
        ] {
            push_estimate(&mut line, estimate);
        }
        text.push_str(&line);
        text.push('\n');
    }
    write(path, &text)
}

/// Writes the slope rows of an experiment; a row without a fit has empty
/// slope and interval fields.
///
/// # Errors
/// [`Error::Write`] naming the file.
pub fn write_slopes(path: &Path, slopes: &[SlopeRow]) -> Result<()> {
    let mut text = header(&SLOPE_COLUMNS);
    for row in slopes {
        let fit = match row.fit {
            Some(fit) => format!(
                "{},{},{},{}",
                fit.slope, fit.ci_low, fit.ci_high, fit.points
            ),
            None => ",,,0".to_owned(),
        };
        let _ = writeln!(
            text,
            "{},{},{},{},{fit},{}",
            field(row.experiment),
            field(&row.setting),
            field(&row.learner),
            field(row.parameter),
            row.skipped
        );
    }
    write(path, &text)
}

/// Writes the sensitivity summary.
///
/// # Errors
/// [`Error::Write`] naming the file.
pub fn write_sensitivity(path: &Path, summaries: &[SensitivitySummary]) -> Result<()> {
    let mut text = header(&SENSITIVITY_COLUMNS);
    for s in summaries {
        let _ = writeln!(
            text,
            "{},{},{},{},{},{},{},{}",
            field(&s.setting),
            s.default_gap,
            s.best_gap,
            s.best_radius_factor,
            s.best_step_factor,
            s.ratio,
            s.router_gap,
            s.router_ratio
        );
    }
    write(path, &text)
}

fn header(columns: &[&str]) -> String {
    let mut text = columns.join(",");
    text.push('\n');
    text
}

fn push_estimate(line: &mut String, estimate: Option<Estimate>) {
    match estimate {
        Some(e) => {
            let _ = write!(line, ",{},{}", e.mean, e.stderr);
        }
        None => line.push_str(",,"),
    }
}

/// Quotes a text field that contains a comma, a quote or a line break
/// (RFC 4180).
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|source| Error::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_quotes_only_when_needed() {
        assert_eq!(field("hpg"), "hpg");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"x\""), "\"say \"\"x\"\"\"");
    }
}
