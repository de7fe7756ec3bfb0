//! Splitting of delimited text into records of fields.
//!
//! Lines end in `\n` or `\r\n`. A line that is empty or contains only
//! whitespace (spaces, tabs, `\r`) is skipped wherever it appears, so it
//! never makes a record. With a tab delimiter fields are split on every tab,
//! without quoting. With any other delimiter, fields follow RFC 4180: a field
//! that starts with `"` is quoted, may contain the delimiter and line breaks,
//! and writes a quote as `""`. A quote inside an unquoted field is kept as
//! text.

use crate::error::{Error, Result};

/// One record: its fields and the 1-based line on which it starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Record {
    pub(crate) line: usize,
    pub(crate) fields: Vec<String>,
}

/// Decodes `bytes` as UTF-8, or names the line of the first invalid byte.
pub(crate) fn decode_utf8<'a>(bytes: &'a [u8], file: &str) -> Result<&'a str> {
    std::str::from_utf8(bytes).map_err(|error| {
        let valid = bytes.get(..error.valid_up_to()).unwrap_or_default();
        let line = 1 + valid.iter().filter(|&&byte| byte == b'\n').count();
        Error::InvalidUtf8 {
            file: file.to_string(),
            line,
        }
    })
}

/// Splits `text` into records, skipping blank lines.
pub(crate) fn split_records(text: &str, delimiter: u8, file: &str) -> Result<Vec<Record>> {
    let delimiter = char::from(delimiter);
    if delimiter == '\t' {
        return Ok(split_unquoted(text, delimiter));
    }

    let mut splitter = QuotedSplitter::new(delimiter, file);
    for (index, raw_line) in text.split('\n').enumerate() {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        splitter.push_line(line, index + 1)?;
    }
    splitter.finish()
}

fn split_unquoted(text: &str, delimiter: char) -> Vec<Record> {
    let mut records = Vec::new();
    for (index, raw_line) in text.split('\n').enumerate() {
        let line = raw_line.strip_suffix('\r').unwrap_or(raw_line);
        if line.trim().is_empty() {
            continue;
        }

        let fields = line.split(delimiter).map(str::to_string).collect();
        records.push(Record {
            line: index + 1,
            fields,
        });
    }
    records
}

/// Position of the CSV scanner inside the current field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FieldState {
    Start,
    Unquoted,
    Quoted,
    AfterClosingQuote,
}

/// RFC 4180 scanner that is fed one line at a time.
struct QuotedSplitter<'a> {
    delimiter: char,
    file: &'a str,
    records: Vec<Record>,
    fields: Vec<String>,
    field: String,
    state: FieldState,
    record_line: usize,
}

impl<'a> QuotedSplitter<'a> {
    fn new(delimiter: char, file: &'a str) -> Self {
        Self {
            delimiter,
            file,
            records: Vec::new(),
            fields: Vec::new(),
            field: String::new(),
            state: FieldState::Start,
            record_line: 0,
        }
    }

    fn push_line(&mut self, line: &str, line_number: usize) -> Result<()> {
        if self.state == FieldState::Quoted {
            // The line break belongs to the quoted field.
            self.field.push('\n');
        } else if line.trim().is_empty() {
            return Ok(());
        } else {
            self.record_line = line_number;
        }

        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            let escaped_quote = c == '"' && chars.peek() == Some(&'"');
            if escaped_quote && self.state == FieldState::Quoted {
                chars.next();
            }
            self.push_char(c, escaped_quote, line_number)?;
        }

        if self.state != FieldState::Quoted {
            self.end_field();
            self.end_record();
        }
        Ok(())
    }

    /// Advances the state by one character. `escaped_quote` is true when
    /// `c` is the first of two quotes.
    fn push_char(&mut self, c: char, escaped_quote: bool, line: usize) -> Result<()> {
        match (self.state, c) {
            (FieldState::Start, '"') => self.state = FieldState::Quoted,
            (FieldState::Quoted, '"') if escaped_quote => self.field.push('"'),
            (FieldState::Quoted, '"') => self.state = FieldState::AfterClosingQuote,
            (FieldState::Quoted, _) => self.field.push(c),
            (_, c) if c == self.delimiter => self.end_field(),
            (FieldState::AfterClosingQuote, _) => {
                return Err(self.quote_error(line, "text follows the closing quote of a field"));
            }
            (FieldState::Start | FieldState::Unquoted, _) => {
                self.field.push(c);
                self.state = FieldState::Unquoted;
            }
        }
        Ok(())
    }

    fn end_field(&mut self) {
        self.fields.push(std::mem::take(&mut self.field));
        self.state = FieldState::Start;
    }

    fn end_record(&mut self) {
        self.records.push(Record {
            line: self.record_line,
            fields: std::mem::take(&mut self.fields),
        });
    }

    fn quote_error(&self, line: usize, reason: &'static str) -> Error {
        Error::InvalidQuote {
            file: self.file.to_string(),
            line,
            reason,
        }
    }

    fn finish(self) -> Result<Vec<Record>> {
        if self.state == FieldState::Quoted {
            return Err(self.quote_error(self.record_line, "a quoted field is not closed"));
        }
        Ok(self.records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(records: &[Record]) -> Vec<Vec<&str>> {
        records
            .iter()
            .map(|r| r.fields.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn tab_split_ignores_quotes() {
        let records = split_records("a\t\"b,c\"\n1\t2\n", b'\t', "t.tsv").unwrap();
        assert_eq!(fields(&records), vec![vec!["a", "\"b,c\""], vec!["1", "2"]]);
    }

    #[test]
    fn skips_blank_lines_and_keeps_line_numbers() {
        let text = "a,b\r\n\r\n  \n1,2\r\n\t\n3,4\n\n";
        let records = split_records(text, b',', "t.csv").unwrap();
        assert_eq!(
            fields(&records),
            vec![vec!["a", "b"], vec!["1", "2"], vec!["3", "4"]]
        );
        let lines: Vec<usize> = records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 4, 6]);

        let records = split_records(text.replace(',', "\t").as_str(), b'\t', "t.tsv").unwrap();
        let lines: Vec<usize> = records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![1, 4, 6]);
    }

    #[test]
    fn quoted_fields_keep_delimiters_quotes_and_newlines() {
        let text = "q,text\n1,\"a, \"\"b\"\"\"\n2,\"two\r\nlines\"\n3,\"\"\n";
        let records = split_records(text, b',', "t.csv").unwrap();
        assert_eq!(
            fields(&records),
            vec![
                vec!["q", "text"],
                vec!["1", "a, \"b\""],
                vec!["2", "two\nlines"],
                vec!["3", ""],
            ]
        );
        assert_eq!(records[3].line, 5);
    }

    #[test]
    fn quote_inside_unquoted_field_is_text() {
        let records = split_records("a,b\"c\n", b',', "t.csv").unwrap();
        assert_eq!(fields(&records), vec![vec!["a", "b\"c"]]);
    }

    #[test]
    fn empty_fields_are_kept() {
        let records = split_records(",,\n", b',', "t.csv").unwrap();
        assert_eq!(fields(&records), vec![vec!["", "", ""]]);
    }

    #[test]
    fn rejects_text_after_closing_quote() {
        let error = split_records("a,b\n\"x\"y,1\n", b',', "t.csv").unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, Error::InvalidQuote { line: 2, .. }),
            "{error:?}"
        );
        assert!(message.contains("t.csv line 2"), "{message}");
    }

    #[test]
    fn rejects_unclosed_quote_at_its_line() {
        let error = split_records("a,b\n1,\"open\n\n2,3\n", b',', "t.csv").unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, Error::InvalidQuote { line: 2, .. }),
            "{error:?}"
        );
        assert!(message.contains("not closed"), "{message}");
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let bytes = b"a\tb\n1\t2\n3\t\xff\n";
        let error = decode_utf8(bytes, "t.tsv").unwrap_err();
        let message = error.to_string();
        assert!(
            matches!(error, Error::InvalidUtf8 { line: 3, .. }),
            "{error:?}"
        );
        assert!(message.contains("t.tsv line 3"), "{message}");
        assert_eq!(decode_utf8(b"ok", "t.tsv").unwrap(), "ok");
    }
}
