use super::*;

const HEADER: &str = "collection\tquery_id\tminilm_l6.mrr@10\tminilm_l6.hit@1\tbm25_v2.mrr@10\tbm25_v2.hit@1\ttyped_query";

fn tsv(rows: &[&str]) -> String {
    let mut text = format!("{HEADER}\n");
    for row in rows {
        text.push_str(row);
        text.push('\n');
    }
    text
}

fn parse_tsv(text: &str, metric: Option<&str>) -> Result<RewardTable> {
    parse_reward_table(text, b'\t', "r.tsv", metric)
}

#[test]
fn selects_models_for_requested_metric() {
    let text = tsv(&[
        "cran\t1\t0.5\t1\t0.25\t0\ta query",
        "cran\t2\t1\t1\t0\t0\tb",
    ]);
    let table = parse_tsv(&text, Some("hit@1")).unwrap();
    assert_eq!(table.metric, "hit@1");
    assert_eq!(table.models, ["minilm_l6", "bm25_v2"]);
    assert_eq!(table.rewards.rows(), 2);
    assert_eq!(table.rewards.row(0), Some(&[1.0, 0.0][..]));
}

#[test]
fn default_metric_is_first_reward_column() {
    let text = tsv(&["cran\t1\t0.5\t1\t0.25\t0\tq"]);
    let table = parse_tsv(&text, None).unwrap();
    assert_eq!(table.metric, "mrr@10");
    assert_eq!(table.rewards.row(0), Some(&[0.5, 0.25][..]));
}

#[test]
fn model_names_may_contain_dots() {
    let text = "id,bge.v1.5.ndcg@10,e5.ndcg@10\n1,0.5,0.75\n";
    let table = parse_reward_table(text, b',', "r.csv", Some("ndcg@10")).unwrap();
    assert_eq!(table.models, ["bge.v1.5", "e5"]);
}

#[test]
fn strips_bom_and_accepts_crlf() {
    let text = format!(
        "\u{feff}{}",
        tsv(&["c\t1\t0.5\t1\t0.25\t0\tq"]).replace('\n', "\r\n")
    );
    let table = parse_tsv(&text, Some("mrr@10")).unwrap();
    assert_eq!(table.models[0], "minilm_l6");
    assert_eq!(table.rewards.get(0, 1), Some(0.25));
}

#[test]
fn blank_lines_never_make_rows() {
    let text = format!(
        "\n{HEADER}\r\n\r\n \t \nc\t1\t0.5\t1\t0.25\t0\tq\n\n   \nc\t2\t1\t1\t0\t0\tq\n\n\n"
    );
    let table = parse_tsv(&text, Some("mrr@10")).unwrap();
    assert_eq!(table.rewards.rows(), 2);
    assert_eq!(table.rewards.row(1), Some(&[1.0, 0.0][..]));
}

#[test]
fn quoted_csv_text_may_contain_commas() {
    let text = "query_id,a.hit@1,typed_query,b.hit@1\n\
                1,1,\"hello, \"\"world\"\"\",0\n\
                2,0,\"multi\nline\",1\n\
                3,1,plain,1\n";
    let table = parse_reward_table(text, b',', "r.csv", None).unwrap();
    assert_eq!(table.rewards.rows(), 3);
    assert_eq!(table.rewards.row(1), Some(&[0.0, 1.0][..]));
    assert_eq!(table.rewards.row(2), Some(&[1.0, 1.0][..]));
}

#[test]
fn duplicate_column_is_named() {
    let text = "id\ta.hit@1\tb.hit@1\ta.hit@1\n1\t1\t0\t1\n";
    let error = parse_tsv(text, Some("hit@1")).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::DuplicateColumn { ref column, .. } if column == "a.hit@1"));
    assert!(message.contains("\"a.hit@1\" twice"), "{message}");
    assert!(message.contains("r.tsv"), "{message}");
}

#[test]
fn missing_metric_lists_present_metrics() {
    let text = tsv(&["c\t1\t0.5\t1\t0.25\t0\tq"]);
    let error = parse_tsv(&text, Some("ndcg@10")).unwrap_err();
    let message = error.to_string();
    let Error::MissingMetric { ref available, .. } = error else {
        panic!("expected MissingMetric, got {error:?}");
    };
    assert_eq!(available, &["mrr@10", "hit@1"]);
    assert!(message.contains("\"ndcg@10\""), "{message}");
    assert!(message.contains("[\"mrr@10\", \"hit@1\"]"), "{message}");
}

#[test]
fn no_reward_columns_is_an_error() {
    for metric in [None, Some("hit@1")] {
        let error = parse_tsv("collection\tquery_id\tx.\n1\t2\t3\n", metric).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, Error::NoRewardColumns { .. }), "{error:?}");
        assert!(message.contains("<model>.<metric>"), "{message}");
    }
}

#[test]
fn empty_text_has_no_header() {
    for text in ["", "\u{feff}", "\n \r\n\t\n"] {
        let error = parse_tsv(text, None).unwrap_err();
        assert!(matches!(error, Error::MissingHeader { .. }), "{text:?}");
        assert!(error.to_string().contains("r.tsv is empty"));
    }
}

#[test]
fn header_only_has_no_data_rows() {
    let error = parse_tsv(&tsv(&["", "  "]), None).unwrap_err();
    assert!(matches!(error, Error::NoDataRows { .. }));
    assert!(error.to_string().contains("no data rows"));
}

#[test]
fn field_count_error_gives_line_row_and_counts() {
    let text = tsv(&["c\t1\t0.5\t1\t0.25\t0\tq", "", "c\t2\t0.5\t1\t0.25\t0"]);
    let error = parse_tsv(&text, None).unwrap_err();
    let message = error.to_string();
    assert!(matches!(
        error,
        Error::FieldCount {
            line: 4,
            row: 1,
            expected: 7,
            found: 6,
            ..
        }
    ));
    assert!(
        message.contains("r.tsv line 4 (data row 1) has 6 fields"),
        "{message}"
    );
    assert!(message.contains("header has 7"), "{message}");
}

#[test]
fn invalid_number_names_column_and_text() {
    let text = tsv(&["c\t1\t0.5\tyes\t0.25\t0\tq"]);
    let error = parse_tsv(&text, Some("hit@1")).unwrap_err();
    let message = error.to_string();
    assert!(matches!(
        error,
        Error::InvalidNumber {
            line: 2,
            row: 0,
            ..
        }
    ));
    assert!(message.contains("column minilm_l6.hit@1"), "{message}");
    assert!(message.contains("\"yes\" is not a number"), "{message}");
}

#[test]
fn empty_reward_cell_is_not_a_number() {
    let text = tsv(&["c\t1\t\t1\t0.25\t0\tq"]);
    let error = parse_tsv(&text, Some("mrr@10")).unwrap_err();
    assert!(matches!(error, Error::InvalidNumber { ref text, .. } if text.is_empty()));
}

#[test]
fn out_of_range_rewards_are_rejected_not_clamped() {
    for cell in ["1.5", "-0.1", "NaN", "inf", "-inf"] {
        let row = format!("c\t1\t0.5\t1\t{cell}\t0\tq");
        let error = parse_tsv(&tsv(&[&row]), Some("mrr@10")).unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(
                error,
                Error::TableRewardOutOfRange {
                    line: 2,
                    row: 0,
                    ..
                }
            ),
            "{cell}: {error:?}"
        );
        assert!(message.contains("column bm25_v2.mrr@10"), "{message}");
        assert!(message.contains("rescale the metric"), "{message}");
    }
}

#[test]
fn reward_cells_may_have_whitespace() {
    let text = tsv(&["c\t1\t 0.5 \t1\t1.0\t0\tq"]);
    let table = parse_tsv(&text, Some("mrr@10")).unwrap();
    assert_eq!(table.rewards.row(0), Some(&[0.5, 1.0][..]));
}

#[test]
fn bytes_entry_rejects_invalid_utf8_with_line() {
    let mut bytes = tsv(&["c\t1\t0.5\t1\t0.25\t0\tq"]).into_bytes();
    bytes.extend_from_slice(b"c\t2\t0.5\t1\t0.25\t0\t\xc3\x28\n");
    let error = parse_reward_table_bytes(&bytes, b'\t', "r.tsv", None).unwrap_err();
    assert!(
        matches!(error, Error::InvalidUtf8 { line: 3, .. }),
        "{error:?}"
    );
}

#[test]
fn read_reward_table_picks_delimiter_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let tsv_path = dir.path().join("r.TSV");
    std::fs::write(&tsv_path, tsv(&["c\t1\t0.5\t1\t0.25\t0\tq"])).unwrap();
    let table = read_reward_table(&tsv_path, None).unwrap();
    assert_eq!(table.models.len(), 2);

    let csv_path = dir.path().join("r.csv");
    std::fs::write(&csv_path, "id,a.hit@1\n1,1\n").unwrap();
    let table = read_reward_table(&csv_path, None).unwrap();
    assert_eq!(table.models, ["a"]);
}

#[test]
fn read_reward_table_rejects_other_extensions() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["r.txt", "rewards"] {
        let path = dir.path().join(name);
        std::fs::write(&path, "id,a.hit@1\n1,1\n").unwrap();
        let error = read_reward_table(&path, None).unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, Error::UnsupportedExtension { .. }),
            "{name}"
        );
        assert!(message.contains(".tsv"), "{message}");
        assert!(message.contains("rename the file"), "{message}");
    }
}

#[test]
fn read_reward_table_reports_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let error = read_reward_table(&dir.path().join("none.tsv"), None).unwrap_err();
    assert!(matches!(error, Error::Io { .. }));
    assert!(error.to_string().contains("none.tsv"));
}
