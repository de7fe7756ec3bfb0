//! Runs the tiny profile of the `dimension` and `sensitivity` experiments
//! end to end and checks the files they write.

use std::path::Path;

use hpg_bench::output::csv::{ROW_COLUMNS, SENSITIVITY_COLUMNS, SLOPE_COLUMNS};
use hpg_bench::{default_synthetic_learners, run_experiment, Config, Experiment, Profile};

/// Columns that hold text; every other field must be empty or a finite
/// number.
const TEXT_COLUMNS: [&str; 5] = [
    "experiment",
    "setting",
    "learner",
    "parameter",
    "parameter2",
];

/// Reads a CSV file written by the runner (no quoted fields) into its
/// header and rows.
fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_owned)
        .collect();
    let rows = lines
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect();
    (header, rows)
}

/// Checks that every row has one field per column and that every
/// non-text field is empty or a finite number; returns the row count.
fn check_fields(path: &Path, header: &[String], rows: &[Vec<String>]) -> usize {
    for (index, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), header.len(), "{} row {index}", path.display());
        for (column, value) in header.iter().zip(row) {
            if TEXT_COLUMNS.contains(&column.as_str()) || value.is_empty() {
                continue;
            }
            let number: f64 = value.parse().unwrap_or_else(|_| {
                panic!(
                    "{} row {index} {column}: {value:?} is not a number",
                    path.display()
                )
            });
            assert!(
                number.is_finite(),
                "{} row {index} {column}: {value} is not finite",
                path.display()
            );
        }
    }
    rows.len()
}

fn column<'a>(header: &[String], row: &'a [String], name: &str) -> &'a str {
    let index = header.iter().position(|c| c == name).unwrap();
    &row[index]
}

fn tiny_config(out: &Path) -> Config {
    Config::new(Profile::Tiny, out)
}

#[test]
fn dimension_tiny_writes_finite_csv() {
    let dir = tempfile::tempdir().unwrap();
    let config = tiny_config(dir.path());
    let outcome = run_experiment(Experiment::Dimension, &config, &|_, _| {}).unwrap();

    let rows_path = dir.path().join("dimension.csv");
    let (header, rows) = read_csv(&rows_path);
    assert_eq!(header, ROW_COLUMNS);
    // 3 dimensions x (default learners + best fixed + best in class).
    let learners = default_synthetic_learners().len();
    assert_eq!(check_fields(&rows_path, &header, &rows), 3 * (learners + 2));
    for row in &rows {
        assert_eq!(column(&header, row, "seeds"), "2");
        assert!(!column(&header, row, "regret_best_in_class_mean").is_empty());
        assert!(!column(&header, row, "cumulative_regret_best_in_class_mean").is_empty());
    }

    let slopes_path = dir.path().join("dimension_slopes.csv");
    let (slope_header, slope_rows) = read_csv(&slopes_path);
    assert_eq!(slope_header, SLOPE_COLUMNS);
    // Default learners + best fixed.
    assert_eq!(
        check_fields(&slopes_path, &slope_header, &slope_rows),
        learners + 1
    );
    assert_eq!(outcome.slopes.len(), learners + 1);

    let svg = std::fs::read_to_string(dir.path().join("dimension.svg")).unwrap();
    assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(80)]);
}

#[test]
fn sensitivity_tiny_writes_finite_csv() {
    let dir = tempfile::tempdir().unwrap();
    let config = tiny_config(dir.path());
    let outcome = run_experiment(Experiment::Sensitivity, &config, &|_, _| {}).unwrap();

    let rows_path = dir.path().join("sensitivity.csv");
    let (header, rows) = read_csv(&rows_path);
    assert_eq!(header, ROW_COLUMNS);
    // 3 settings x (15 grid points x (scaled hpg + best fixed) + the hpg
    // router at the defaults).
    assert_eq!(check_fields(&rows_path, &header, &rows), 93);
    let learners: Vec<&str> = rows.iter().map(|r| column(&header, r, "learner")).collect();
    assert!(learners.contains(&"hpg radius x1 step x1"));
    assert!(learners.contains(&"hpg radius x0.25 step x2"));
    assert!(learners.contains(&"hpg"));

    let summary_path = dir.path().join("sensitivity_summary.csv");
    let (summary_header, summary_rows) = read_csv(&summary_path);
    assert_eq!(summary_header, SENSITIVITY_COLUMNS);
    assert_eq!(
        check_fields(&summary_path, &summary_header, &summary_rows),
        3
    );
    for summary in &outcome.sensitivity {
        assert!(summary.ratio >= 1.0, "{summary:?}");
    }
    assert!(dir.path().join("sensitivity.svg").is_file());
}

#[test]
fn same_seeds_give_same_csv() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let mut config = tiny_config(first.path());
    config.learners = Some(vec!["hpg".to_owned(), "constant".to_owned()]);
    run_experiment(Experiment::Rank, &config, &|_, _| {}).unwrap();

    config.out_dir = second.path().to_path_buf();
    config.threads = 1;
    run_experiment(Experiment::Rank, &config, &|_, _| {}).unwrap();

    let a = std::fs::read(first.path().join("rank.csv")).unwrap();
    let b = std::fs::read(second.path().join("rank.csv")).unwrap();
    assert_eq!(a, b);
}

#[test]
fn unknown_learner_fails_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = tiny_config(dir.path());
    config.learners = Some(vec!["hpg".to_owned(), "greedy".to_owned()]);
    let error = run_experiment(Experiment::Dimension, &config, &|_, _| {}).unwrap_err();
    assert!(error.to_string().contains("greedy"), "{error}");
    assert!(!dir.path().join("dimension.csv").exists());
}

#[test]
fn single_seed_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = tiny_config(dir.path());
    config.seeds = 1;
    let error = run_experiment(Experiment::Dimension, &config, &|_, _| {}).unwrap_err();
    assert!(error.to_string().contains("--seeds"), "{error}");
}
