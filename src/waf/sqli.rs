//! SQL injection detection for `SqliMatchStatement`, written for this engine.
//!
//! The input is tokenised as SQL three times — as it is, as if it continued a single-quoted
//! string, and as if it continued a double-quoted string — because an injected value usually
//! starts inside a literal. Each token stream is then checked against grammar patterns of
//! injected SQL (tautologies after a closed literal, UNION SELECT, stacked statements, comment
//! truncation, dangerous functions, statement skeletons). `LOW` needs a pattern that benign
//! text practically never forms; `HIGH` also accepts weaker ones. This is neither a SQL parser
//! nor a port of libinjection (no fingerprint table).
//!
//! Speed: one lowercased copy of the input per reading (UTF-8 checked once) serves the three
//! token streams, whose tokens borrow from it; decoded readings are made only when the input has escapes or comments.

mod patterns;
pub mod tokenize;

use super::model::Sensitivity;
use super::transform::Transformation;
use std::borrow::Cow;
use tokenize::{tokenize_into, Src};

/// Longest input inspected (AWS inspects at most the body limit; this bounds work per call).
pub const MAX_INPUT: usize = 64 * 1024;

/// Why an input was flagged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliFinding {
    /// Short name of the pattern that fired.
    pub pattern: &'static str,
    /// The tokens that formed it (AWS logs these as `matchedData`).
    pub tokens: Vec<String>,
    /// Which context found it: `none`, `single-quote` or `double-quote`.
    pub context: &'static str,
}

/// Detects SQL injection in `input` at `sensitivity`.
pub fn detect(input: &[u8], sensitivity: Sensitivity) -> Option<SqliFinding> {
    let input = input.get(..MAX_INPUT.min(input.len())).unwrap_or_default();
    if input.is_empty() {
        return None;
    }
    if let Some(f) = detect_raw(input, sensitivity) {
        return Some(f);
    }
    // Percent-encoded input is also read decoded (up to twice, for double encoding), and
    // comments splitting keywords (`UN/**/ION`) are also read removed, as MySQL would.
    let mut current = Cow::Borrowed(input);
    for _ in 0..2 {
        if !has_percent_escape(&current) {
            break;
        }
        current = Cow::Owned(Transformation::UrlDecodeUni.apply(&current));
        if let Some(f) = detect_raw(&current, sensitivity) {
            return Some(f);
        }
    }
    if current.windows(2).any(|w| w == b"/*") {
        let joined = strip_block_comments(&current);
        if joined != *current {
            return detect_raw(&joined, sensitivity);
        }
    }
    None
}

/// Removes `/* … */` comments outright (MySQL-style keyword splitting); `/*!` code stays.
fn strip_block_comments(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        if b == b'/' && input.get(i + 1) == Some(&b'*') && input.get(i + 2) != Some(&b'!') {
            let body = input.get(i + 2..).unwrap_or_default();
            match body.windows(2).position(|w| w == b"*/") {
                Some(p) => i += 2 + p + 2,
                None => break,
            }
            continue;
        }
        out.push(b);
        i += 1;
    }
    out
}

fn has_percent_escape(input: &[u8]) -> bool {
    input.windows(3).any(|w| {
        matches!(w, [b'%', a, b] if a.is_ascii_hexdigit() && b.is_ascii_hexdigit())
            || matches!(w, [b'%', b'u' | b'U', _])
    })
}

fn detect_raw(input: &[u8], sensitivity: Sensitivity) -> Option<SqliFinding> {
    let contexts: [(Option<u8>, &'static str); 3] =
        [(None, "none"), (Some(b'\''), "single-quote"), (Some(b'"'), "double-quote")];
    let lower = input.to_ascii_lowercase();
    let (src, low) = (Src::new(input), Src::new(&lower));
    // Whether a trailing unterminated literal uses the context's quote (the injected
    // text then ends inside a literal the application closes).
    let last_quote = input.iter().rev().find(|b| matches!(b, b'\'' | b'"')).copied();
    let mut toks = Vec::with_capacity(input.len() / 2 + 8);
    for (quote, name) in contexts {
        if let Some(q) = quote {
            if !input.contains(&q) {
                continue;
            }
        }
        tokenize_into(src, low, quote, &mut toks);
        let tail_matches = quote.is_some() && last_quote == quote;
        if let Some((pattern, span)) = patterns::check(&toks, quote.is_some(), tail_matches, sensitivity) {
            let tokens =
                toks.get(span.0..span.1).unwrap_or_default().iter().map(|t| t.text.to_string()).collect();
            return Some(SqliFinding { pattern, tokens, context: name });
        }
    }
    None
}

/// Whether `input` holds SQL injection (the boolean form).
pub fn is_sqli(input: &[u8], sensitivity: Sensitivity) -> bool {
    detect(input, sensitivity).is_some()
}
