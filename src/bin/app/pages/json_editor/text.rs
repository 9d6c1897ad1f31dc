//! The JSON editor's text work, plain Rust for every target (tested natively): the gutter's line
//! numbers, where a text stops being JSON and which characters to underline there, and the
//! "Format" pretty-printer over the crate's position-keeping reader (`secplay::common::json_source`),
//! which keeps member order, duplicate members and numbers exactly as written.
//!
//! Not here: the component (`json_editor.rs`, wasm32) and what a page does with the JSON.

use secplay::common::json_source::{parse_json, JsonError, Node, NodeValue, MAX_SOURCE_BYTES};

/// Longest run of characters underlined at an error (a long string or number is cut here).
const MAX_SPAN_CHARS: usize = 80;
/// Longest line prefix the underline layer writes out; past it, the underline is placed by an
/// offset in `ch` (exact for the ASCII a long minified line is made of).
pub const MAX_PREFIX_CHARS: usize = 4096;

/// The gutter's text for `lines` lines: `1\n2\n…`.
#[cfg(test)]
pub fn gutter(lines: usize) -> String {
    gutter_from(0, lines)
}

/// The gutter's numbers for `lines` lines from line `first` (0-based): `first + 1`, … Computed
/// when the window's lines change, not per keystroke.
pub fn gutter_from(first: usize, lines: usize) -> String {
    let mut out = String::with_capacity(lines.saturating_mul(6));
    for n in first.saturating_add(1)..=first.saturating_add(lines) {
        if n > first.saturating_add(1) {
            out.push('\n');
        }
        out.push_str(&n.to_string());
    }
    out
}

/// Where a text stops being JSON: its position, the reader's message, and the characters to
/// underline (`before` is the line up to them, for the layer that places the underline).
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    pub message: String,
    /// The line's characters before the underlined ones; empty when the line is longer than
    /// [`MAX_PREFIX_CHARS`] there (then [`Problem::indent`] places the underline).
    pub before: String,
    /// Characters before the underline, counted (for the `ch` offset of a very long line).
    pub indent: usize,
    /// The underlined characters (a space when the error is at the end of the line).
    pub span: String,
}

impl Problem {
    /// The error as a sentence: `line 3, column 5: expected `,` or `}``.
    pub fn describe(&self) -> String {
        format!("line {}, column {}: {}", self.line, self.column, self.message)
    }
}

/// Whether `text` is JSON: `None` when it is, or when it is blank (an empty editor is not an
/// error); otherwise where and why not. Reads with `serde_json` into nothing (no tree is built),
/// so a megabyte costs milliseconds; the position and message are the crate's (`JsonError`).
pub fn check(text: &str) -> Option<Problem> {
    if text.trim().is_empty() {
        return None;
    }
    if text.len() > MAX_SOURCE_BYTES {
        return Some(problem(
            text,
            1,
            1,
            format!("the text is larger than the {} MiB an editor reads", MAX_SOURCE_BYTES >> 20),
        ));
    }
    let e = serde_json::from_str::<serde::de::IgnoredAny>(text).err()?;
    match JsonError::from_serde(&e) {
        JsonError::Malformed { line, column, message } => Some(problem(text, line, column, message)),
        JsonError::TooLarge { limit } => {
            Some(problem(text, 1, 1, format!("the text is larger than {limit} bytes")))
        }
    }
}

/// A character that ends the underline: JSON's structure and white space.
fn ends_token(c: char) -> bool {
    c.is_whitespace() || matches!(c, ',' | ':' | '[' | ']' | '{' | '}')
}

fn problem(text: &str, line: u32, column: u32, message: String) -> Problem {
    let line = line.max(1);
    let row = text.split('\n').nth(line as usize - 1).unwrap_or_default();
    let row = row.strip_suffix('\r').unwrap_or(row);
    // serde_json places some errors (the end of the text) on the character after the last one.
    let at = column.saturating_sub(1) as usize;
    let mut before = String::new();
    let mut span = String::new();
    let mut indent = 0;
    for (i, c) in row.chars().enumerate() {
        if i < at {
            indent += 1;
            if i < MAX_PREFIX_CHARS {
                before.push(c);
            }
        } else if span.chars().count() < MAX_SPAN_CHARS && (span.is_empty() || !ends_token(c)) {
            span.push(c);
        } else {
            break;
        }
    }
    if indent > MAX_PREFIX_CHARS {
        before.clear();
    }
    if span.is_empty() || span.chars().all(char::is_whitespace) {
        span = " ".into();
    }
    Problem { line, column: column.max(1), message, before, indent, span }
}

/// `text` pretty-printed (two spaces, one member or element per line), or why it is not JSON
/// (as [`Problem::describe`] says it). Member order, duplicates and number spellings are kept.
pub fn pretty(text: &str) -> Result<String, String> {
    let node = parse_json(text).map_err(|e| match e {
        JsonError::Malformed { line, column, message } => problem(text, line, column, message).describe(),
        JsonError::TooLarge { limit } => format!("the text is larger than {limit} bytes"),
    })?;
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    write(&node, 0, &mut out);
    out.push('\n');
    Ok(out)
}

fn indent(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn string(out: &mut String, s: &str) {
    out.push_str(&serde_json::Value::from(s).to_string());
}

/// Writes `node` at nesting `depth` (bounded by the reader's `MAX_DEPTH`).
fn write(node: &Node, depth: usize, out: &mut String) {
    match &node.value {
        NodeValue::Null => out.push_str("null"),
        NodeValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeValue::Number(n) => out.push_str(n),
        NodeValue::String(s) => string(out, s),
        NodeValue::Array(items) if items.is_empty() => out.push_str("[]"),
        NodeValue::Object(members) if members.is_empty() => out.push_str("{}"),
        NodeValue::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                write(item, depth + 1, out);
            }
            indent(out, depth);
            out.push(']');
        }
        NodeValue::Object(members) => {
            out.push('{');
            for (i, m) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                indent(out, depth + 1);
                string(out, &m.key);
                out.push_str(": ");
                write(&m.value, depth + 1, out);
            }
            indent(out, depth);
            out.push('}');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::json_editor::window::count_lines as line_count;

    #[test]
    fn lines_are_counted_and_numbered() {
        assert_eq!(line_count(""), 1);
        assert_eq!(line_count("{\n}\n"), 3);
        assert_eq!(gutter(3), "1\n2\n3");
        assert_eq!(gutter_from(99, 2), "100\n101");
        assert_eq!(gutter(line_count(&"x\n".repeat(100_000))).lines().last(), Some("100001"));
    }

    #[test]
    fn json_and_blank_texts_have_no_problem() {
        assert_eq!(check(""), None);
        assert_eq!(check("  \n"), None);
        assert_eq!(check("{\"a\": [1, 2e3, null]}"), None);
    }

    #[test]
    fn a_missing_comma_is_underlined_where_the_reader_stopped() {
        let text = "{\n  \"Version\": \"2012-10-17\"\n  \"Statement\": []\n}";
        let p = check(text).unwrap();
        assert_eq!((p.line, p.column), (3, 3), "{p:?}");
        assert_eq!(p.before, "  ");
        assert_eq!(p.span, "\"Statement\"");
        assert!(p.message.contains("expected `,` or `}`"), "{}", p.message);
        assert_eq!(p.describe(), format!("line 3, column 3: {}", p.message));
    }

    #[test]
    fn an_error_at_the_end_of_a_line_underlines_one_space() {
        let p = check("{\n  \"a\": [1,\n").unwrap();
        assert_eq!(p.line, 3, "{p:?}");
        assert_eq!(p.span, " ");
        let p = check("[1, tru]").unwrap();
        assert_eq!(p.line, 1);
        assert!(!p.span.trim().is_empty(), "{p:?}");
    }

    #[test]
    fn a_long_minified_line_is_placed_by_count_not_written_out() {
        let text = format!("[{}x]", "1,".repeat(10_000));
        let p = check(&text).unwrap();
        assert_eq!(p.indent, 20_001, "{p:?}");
        assert!(p.before.is_empty());
        assert_eq!(p.span, "x");
    }

    #[test]
    fn formatting_keeps_order_duplicates_numbers_and_escapes() {
        let text = r#"{"z":1,"a":[1.50,{"q":"\"é\n"}],"z":2,"e":{},"f":[]}"#;
        let out = pretty(text).unwrap();
        assert_eq!(
            out,
            "{\n  \"z\": 1,\n  \"a\": [\n    1.50,\n    {\n      \"q\": \"\\\"é\\n\"\n    }\n  ],\n  \"z\": 2,\n  \"e\": {},\n  \"f\": []\n}\n"
        );
        assert_eq!(pretty(&out).unwrap(), out, "formatting is idempotent");
    }

    #[test]
    fn formatting_broken_text_says_where_and_changes_nothing() {
        let e = pretty("{\n  \"a\": 1,\n  \"b\" 2\n}").unwrap_err();
        assert!(e.starts_with("line 3, column"), "{e}");
        assert!(pretty(&"[".repeat(1000)).is_err(), "nesting is bounded");
    }
}
