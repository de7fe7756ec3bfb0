//! Parser for the Python dict literal in a .npy header.
//!
//! The header is written by `numpy.lib.format` as a Python literal such as
//! `{'descr': '<f4', 'fortran_order': False, 'shape': (8442, 392), }`. This
//! parser reads strings, `True`/`False`/`None`, non-negative integers (with
//! an optional Python 2 `L` suffix), tuples, lists and dicts, with any
//! whitespace and key order. String escapes keep the escaped character as is.

use std::fmt;

/// Maximum nesting of brackets, so a hostile header cannot exhaust the stack.
const MAX_DEPTH: usize = 16;

/// A parsed Python literal.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Str(String),
    Bool(bool),
    None,
    /// Decimal digits, kept as text so that values beyond `u64` stay visible.
    Int(String),
    Tuple(Vec<Literal>),
    List(Vec<Literal>),
    Dict(Vec<(Literal, Literal)>),
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Str(text) => write!(f, "'{text}'"),
            Literal::Bool(true) => f.write_str("True"),
            Literal::Bool(false) => f.write_str("False"),
            Literal::None => f.write_str("None"),
            Literal::Int(digits) => f.write_str(digits),
            Literal::Tuple(items) if items.len() == 1 => write_sequence(f, "(", items, ",)"),
            Literal::Tuple(items) => write_sequence(f, "(", items, ")"),
            Literal::List(items) => write_sequence(f, "[", items, "]"),
            Literal::Dict(entries) => {
                f.write_str("{")?;
                for (index, (key, value)) in entries.iter().enumerate() {
                    if index > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{key}: {value}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn write_sequence(
    f: &mut fmt::Formatter<'_>,
    open: &str,
    items: &[Literal],
    close: &str,
) -> fmt::Result {
    f.write_str(open)?;
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    f.write_str(close)
}

/// Parses `text` as one Python literal followed only by whitespace.
///
/// The error is a short description of the first problem, for the message
/// of [`Error::InvalidNpyHeader`](crate::Error::InvalidNpyHeader).
pub(crate) fn parse_literal(text: &str) -> Result<Literal, String> {
    let mut parser = Parser {
        chars: text.chars().collect(),
        position: 0,
    };
    let literal = parser.parse_value(0)?;

    parser.skip_whitespace();
    if let Some(c) = parser.peek() {
        return Err(format!("unexpected {c:?} after the header dictionary"));
    }
    Ok(literal)
}

struct Parser {
    chars: Vec<char>,
    position: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.position).copied()
    }

    fn next_char(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.position += 1;
        Some(c)
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.position += 1;
        }
    }

    fn parse_value(&mut self, depth: usize) -> Result<Literal, String> {
        if depth > MAX_DEPTH {
            return Err(format!("brackets nest deeper than {MAX_DEPTH} levels"));
        }

        self.skip_whitespace();
        match self.peek() {
            Some('\'' | '"') => self.parse_string().map(Literal::Str),
            Some('(') => self.parse_sequence(')', depth).map(Literal::Tuple),
            Some('[') => self.parse_sequence(']', depth).map(Literal::List),
            Some('{') => self.parse_dict(depth),
            Some(c) if c.is_ascii_digit() => Ok(self.parse_integer()),
            Some(c) if c.is_alphabetic() => self.parse_word(),
            Some(c) => Err(format!("unexpected {c:?}")),
            None => Err("the header ends before a value".to_string()),
        }
    }

    fn parse_string(&mut self) -> Result<String, String> {
        let quote = self.next_char();
        let mut text = String::new();

        loop {
            match self.next_char() {
                None => return Err("a string is not closed".to_string()),
                Some('\\') => match self.next_char() {
                    Some(escaped) => text.push(escaped),
                    None => return Err("a string is not closed".to_string()),
                },
                Some(c) if Some(c) == quote => return Ok(text),
                Some(c) => text.push(c),
            }
        }
    }

    fn parse_integer(&mut self) -> Literal {
        let mut digits = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            digits.push(c);
            self.position += 1;
        }

        if matches!(self.peek(), Some('L' | 'l')) {
            self.position += 1;
        }
        Literal::Int(digits)
    }

    fn parse_word(&mut self) -> Result<Literal, String> {
        let mut word = String::new();
        while let Some(c) = self.peek().filter(|c| c.is_alphanumeric() || *c == '_') {
            word.push(c);
            self.position += 1;
        }

        match word.as_str() {
            "True" => Ok(Literal::Bool(true)),
            "False" => Ok(Literal::Bool(false)),
            "None" => Ok(Literal::None),
            _ => Err(format!("unexpected word {word:?}")),
        }
    }

    /// Parses a comma-separated sequence after its opening bracket, allowing
    /// a trailing comma.
    fn parse_sequence(&mut self, close: char, depth: usize) -> Result<Vec<Literal>, String> {
        self.position += 1;
        let mut items = Vec::new();

        loop {
            self.skip_whitespace();
            if self.peek() == Some(close) {
                self.position += 1;
                return Ok(items);
            }

            items.push(self.parse_value(depth + 1)?);
            self.expect_separator(close)?;
        }
    }

    fn parse_dict(&mut self, depth: usize) -> Result<Literal, String> {
        self.position += 1;
        let mut entries = Vec::new();

        loop {
            self.skip_whitespace();
            if self.peek() == Some('}') {
                self.position += 1;
                return Ok(Literal::Dict(entries));
            }

            let key = self.parse_value(depth + 1)?;
            self.skip_whitespace();
            if self.next_char() != Some(':') {
                return Err(format!("expected ':' after the key {key}"));
            }
            let value = self.parse_value(depth + 1)?;
            entries.push((key, value));
            self.expect_separator('}')?;
        }
    }

    /// Consumes a `,`, or leaves `close` for the caller to consume.
    fn expect_separator(&mut self, close: char) -> Result<(), String> {
        self.skip_whitespace();
        match self.peek() {
            Some(',') => {
                self.position += 1;
                Ok(())
            }
            Some(c) if c == close => Ok(()),
            Some(c) => Err(format!("expected ',' or {close:?} but found {c:?}")),
            None => Err(format!("the header ends before {close:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(digits: &str) -> Literal {
        Literal::Int(digits.to_string())
    }

    #[test]
    fn parses_numpy_header() {
        let text = "{'descr': '<f4', 'fortran_order': False, 'shape': (8442, 392), }      \n";
        let literal = parse_literal(text).unwrap();
        let expected = Literal::Dict(vec![
            (Literal::Str("descr".into()), Literal::Str("<f4".into())),
            (Literal::Str("fortran_order".into()), Literal::Bool(false)),
            (
                Literal::Str("shape".into()),
                Literal::Tuple(vec![int("8442"), int("392")]),
            ),
        ]);
        assert_eq!(literal, expected);
    }

    #[test]
    fn tolerates_whitespace_quotes_and_long_suffix() {
        let text = "{ \"shape\" :( 3L ,) ,'fortran_order':True,'descr':'>f8'}";
        let Literal::Dict(entries) = parse_literal(text).unwrap() else {
            panic!("not a dict");
        };
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].1, Literal::Tuple(vec![int("3")]));
        assert_eq!(entries[1].1, Literal::Bool(true));
    }

    #[test]
    fn parses_structured_descr_and_displays_it() {
        let text = "[('x', '<f4'), ('y', '<i8', (2,))]";
        let literal = parse_literal(text).unwrap();
        assert_eq!(literal.to_string(), "[('x', '<f4'), ('y', '<i8', (2,))]");
    }

    #[test]
    fn keeps_escaped_characters() {
        let literal = parse_literal(r"'a\'b'").unwrap();
        assert_eq!(literal, Literal::Str("a'b".into()));
    }

    #[test]
    fn rejects_malformed_input() {
        let cases = [
            ("", "ends before a value"),
            ("{'a': 1", "ends before '}'"),
            ("{'a' 1}", "expected ':'"),
            ("(1 2)", "expected ','"),
            ("'open", "not closed"),
            ("{'a': maybe}", "unexpected word"),
            ("{'a': -1}", "unexpected '-'"),
            ("{} x", "after the header dictionary"),
        ];
        for (text, expected) in cases {
            let error = parse_literal(text).unwrap_err();
            assert!(error.contains(expected), "{text:?} gave {error:?}");
        }
    }

    #[test]
    fn rejects_deep_nesting() {
        let text = "[".repeat(10_000);
        let error = parse_literal(&text).unwrap_err();
        assert!(error.contains("nest deeper"), "{error}");
    }
}
