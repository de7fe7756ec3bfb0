//! The report as an aligned table or as one JSON object.

use std::fmt::Write as _;
use std::io::Write as _;

use hpg_core::{HoldoutScore, RouterReport, RunReport};
use serde_json::{json, Value};

use super::error::CliError;

/// Formats the report as a table of learners followed by the oracle and
/// best fixed model.
pub fn table(command: &str, dim: usize, report: &RunReport) -> String {
    let with_holdout = report.holdout_rows > 0;
    let name_width = report
        .routers
        .iter()
        .map(|r| r.name.len())
        .chain(["learner".len()])
        .max()
        .unwrap_or(7);
    let mut out = String::new();

    let _ = writeln!(
        out,
        "{command}: {} rounds, {} models, dim {dim}{}",
        report.rounds,
        report.model_names.len(),
        holdout_note(report)
    );
    let _ = write!(
        out,
        "{:<name_width$}  {:>10}  {:>8}  {:>11}  {:>9}",
        "learner", "avg reward", "gap", "regret/best", "us/round"
    );
    if with_holdout {
        let _ = write!(out, "  {:>15}  {:>11}", "holdout reward", "holdout gap");
    }
    out.push('\n');

    for router in &report.routers {
        push_row(&mut out, router, name_width, with_holdout);
    }

    let _ = writeln!(out, "oracle: avg reward {:.4}", report.oracle_avg_reward);
    let best = &report.best_fixed;
    let _ = write!(
        out,
        "best fixed: {}, avg reward {:.4}, gap {:.4}",
        best.name,
        best.avg_reward,
        report.oracle_avg_reward - best.avg_reward
    );
    if let Some(score) = &best.holdout {
        let _ = write!(
            out,
            ", holdout reward {:.4}, holdout gap {:.4}",
            score.avg_reward, score.gap
        );
    }
    out.push('\n');
    out
}

fn holdout_note(report: &RunReport) -> String {
    if report.holdout_rows == 0 {
        return String::new();
    }
    format!(", {} held-out queries", report.holdout_rows)
}

fn push_row(out: &mut String, router: &RouterReport, name_width: usize, with_holdout: bool) {
    let _ = write!(
        out,
        "{:<name_width$}  {:>10.4}  {:>8.4}  {:>11.4}  {:>9.2}",
        router.name, router.avg_reward, router.gap, router.regret_best_fixed, router.us_per_round
    );
    if with_holdout {
        match &router.holdout {
            Some(score) => {
                let _ = write!(out, "  {:>15.4}  {:>11.4}", score.avg_reward, score.gap);
            }
            None => {
                let _ = write!(out, "  {:>15}  {:>11}", "-", "-");
            }
        }
    }
    out.push('\n');
}

/// Formats the report as one JSON object.
///
/// # Errors
/// A failure when a number is not finite, which JSON cannot represent.
pub fn json(command: &str, dim: usize, report: &RunReport) -> Result<String, CliError> {
    let learners: Vec<Value> = report.routers.iter().map(learner_json).collect();
    let value = json!({
        "command": command,
        "rounds": report.rounds,
        "models": report.model_names,
        "dim": dim,
        "oracle": { "avg_reward": report.oracle_avg_reward },
        "best_fixed": {
            "model": report.best_fixed.name,
            "avg_reward": report.best_fixed.avg_reward,
            "holdout": holdout_json(report.best_fixed.holdout.as_ref()),
        },
        "learners": learners,
    });

    if let Some(path) = first_null(&value, "") {
        return Err(CliError::failure(format!(
            "the result {path} is not a finite number"
        )));
    }
    serde_json::to_string_pretty(&value)
        .map_err(|error| CliError::failure(format!("failed to format the JSON output: {error}")))
}

fn holdout_json(score: Option<&HoldoutScore>) -> Value {
    match score {
        Some(score) => json!({ "avg_reward": score.avg_reward, "gap": score.gap }),
        None => Value::Null,
    }
}

fn learner_json(router: &RouterReport) -> Value {
    let holdout = holdout_json(router.holdout.as_ref());
    json!({
        "name": router.name,
        "avg_reward": router.avg_reward,
        "gap": router.gap,
        "regret_best_fixed": router.regret_best_fixed,
        "us_per_round": router.us_per_round,
        "holdout": holdout,
    })
}

/// Finds a `null` that is not a learner's `holdout`: `json!` turns NaN and
/// infinities into `null`. Returns the key path of the first one.
fn first_null(value: &Value, path: &str) -> Option<String> {
    match value {
        Value::Null if !path.ends_with(".holdout") => Some(path.to_owned()),
        Value::Object(map) => map
            .iter()
            .find_map(|(key, v)| first_null(v, &format!("{path}.{key}"))),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| first_null(v, &format!("{path}[{i}]"))),
        _ => None,
    }
}

/// Writes `text` to stdout, ending it with a newline.
///
/// # Errors
/// A failure when stdout cannot be written.
pub fn print_stdout(text: &str) -> Result<(), CliError> {
    let mut stdout = std::io::stdout().lock();
    let newline = if text.ends_with('\n') { "" } else { "\n" };
    write!(stdout, "{text}{newline}")
        .and_then(|()| stdout.flush())
        .map_err(|error| CliError::failure(format!("failed to write to stdout: {error}")))
}

#[cfg(test)]
mod tests {
    use hpg_core::{BestFixed, CurvePoint, HoldoutScore, RouterReport, RunReport};

    use super::*;

    fn report(gap: f64, holdout: Option<HoldoutScore>) -> RunReport {
        let router = RouterReport {
            name: "log-linear".to_owned(),
            avg_reward: 0.5,
            gap,
            regret_best_fixed: 0.1,
            us_per_round: 3.0,
            curve: vec![CurvePoint {
                round: 1,
                avg_gap: 0.2,
            }],
            holdout,
        };
        RunReport {
            rounds: 10,
            model_names: vec!["a".to_owned(), "b".to_owned()],
            oracle_avg_reward: 0.7,
            best_fixed: BestFixed {
                model: 1,
                name: "b".to_owned(),
                avg_reward: 0.6,
                holdout,
            },
            routers: vec![router],
            holdout_rows: usize::from(holdout.is_some()),
        }
    }

    #[test]
    fn json_rejects_non_finite_number() {
        let error = json("simulate", 3, &report(f64::NAN, None)).unwrap_err();
        assert!(
            error.message.contains(".learners[0].gap"),
            "{}",
            error.message
        );
    }

    #[test]
    fn json_keeps_null_holdout() {
        let text = json("simulate", 3, &report(0.2, None)).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert!(value["learners"][0]["holdout"].is_null());
        assert_eq!(value["best_fixed"]["model"], "b");
        assert!(value["best_fixed"]["holdout"].is_null());
    }

    #[test]
    fn table_aligns_columns() {
        let score = HoldoutScore {
            avg_reward: 0.4,
            gap: 0.3,
        };
        let text = table("replay", 3, &report(0.2, Some(score)));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[1].len(), lines[2].len(), "{text}");
        assert!(lines[1].ends_with("holdout gap"), "{text}");
        assert!(lines[2].starts_with("log-linear"), "{text}");
        assert_eq!(lines[3], "oracle: avg reward 0.7000");
        assert_eq!(
            lines[4],
            "best fixed: b, avg reward 0.6000, gap 0.1000, holdout reward 0.4000, holdout gap 0.3000"
        );
    }
}
