//! AWS WAF's regular-expression dialect on top of the `regex` crate: rejects what AWS rejects
//! (backreferences, lookaround, atomic groups, possessive quantifiers, recursion, conditionals,
//! control verbs, `\C`, `\R`, `\K`, callouts) with a message naming the construct, and
//! rewrites the few PCRE spellings the crate lacks (`\Q…\E`, `\h`, `\H`, `\Z`). Also parses
//! `get-regex-pattern-set` output. It is not a regex engine.

use regex::bytes::{Regex, RegexBuilder};
use serde_json::Value;

use super::error::{shorten, WafError};
use super::reader::{check_entity_name, check_items, check_len, child, Obj};

/// Compiled-program size limit per pattern (keeps wasm memory bounded).
const SIZE_LIMIT: usize = 4 << 20;

fn reject(pointer: &str, pattern: &str, what: &str) -> WafError {
    WafError::Regex {
        pointer: pointer.to_owned(),
        pattern: shorten(pattern),
        reason: format!("{what} is not supported by AWS WAF (it uses automaton-only matching); rewrite the pattern without it"),
    }
}

/// Checks AWS's dialect and compiles `pattern` for byte matching.
pub fn compile(pattern: &str, pointer: &str) -> Result<Regex, WafError> {
    let translated = translate(pattern, pointer)?;
    RegexBuilder::new(&translated).size_limit(SIZE_LIMIT).build().map_err(|e| {
        let detail = e.to_string();
        let last = detail.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("").trim();
        WafError::Regex {
            pointer: pointer.to_owned(),
            pattern: shorten(pattern),
            reason: format!("the pattern does not compile: {}", last.trim_start_matches("error: ")),
        }
    })
}

fn translate(p: &str, pointer: &str) -> Result<String, WafError> {
    let chars: Vec<char> = p.chars().collect();
    let mut out = String::with_capacity(p.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    let at = |k: usize| chars.get(k).copied();
    while let Some(c) = at(i) {
        match c {
            '\\' => {
                let Some(n) = at(i + 1) else {
                    return Err(reject(pointer, p, "a trailing backslash"));
                };
                match n {
                    '1'..='9' if !in_class => {
                        return Err(reject(pointer, p, &format!("the backreference `\\{n}`")))
                    }
                    'k' | 'g' if !in_class => {
                        return Err(reject(pointer, p, &format!("the backreference `\\{n}`")))
                    }
                    'C' | 'R' | 'K' | 'X' | 'G' => {
                        return Err(reject(pointer, p, &format!("`\\{n}`")));
                    }
                    'Q' => {
                        let mut j = i + 2;
                        while let Some(q) = at(j) {
                            if q == '\\' && at(j + 1) == Some('E') {
                                break;
                            }
                            out.push_str(&regex::escape(&q.to_string()));
                            j += 1;
                        }
                        i = j + 2;
                        continue;
                    }
                    'E' => {}
                    'h' => out.push_str(if in_class { r"\t \xA0" } else { r"[\t \xA0]" }),
                    'H' if !in_class => out.push_str(r"[^\t \xA0]"),
                    'Z' if !in_class => out.push_str(r"(?:\n?\z)"),
                    _ => {
                        out.push('\\');
                        out.push(n);
                    }
                }
                i += 2;
                continue;
            }
            '[' if !in_class => {
                in_class = true;
                out.push('[');
                i += 1;
                if at(i) == Some('^') {
                    out.push('^');
                    i += 1;
                }
                if at(i) == Some(']') {
                    out.push_str(r"\]");
                    i += 1;
                }
                continue;
            }
            ']' if in_class => in_class = false,
            '(' if !in_class => {
                let rest: String = chars.iter().skip(i + 1).take(4).collect();
                let bad = [
                    ("?=", "lookahead `(?=`"),
                    ("?!", "negative lookahead `(?!`"),
                    ("?<=", "lookbehind `(?<=`"),
                    ("?<!", "negative lookbehind `(?<!`"),
                    ("?>", "the atomic group `(?>`"),
                    ("?(", "the conditional `(?(`"),
                    ("?R", "recursion `(?R)`"),
                    ("?C", "the callout `(?C`"),
                    ("?|", "the branch-reset group `(?|`"),
                    ("*", "the control verb `(*`"),
                ];
                if let Some((_, what)) = bad.iter().find(|(pre, _)| rest.starts_with(pre)) {
                    return Err(reject(pointer, p, what));
                }
                if rest.starts_with('?')
                    && rest.chars().nth(1).is_some_and(|d| d.is_ascii_digit() || d == '+' || d == '&')
                {
                    return Err(reject(pointer, p, "recursion `(?N)`"));
                }
            }
            '+' if !in_class && i > 0 => {
                let prev = at(i - 1);
                let escaped = i >= 2 && at(i - 2) == Some('\\');
                if matches!(prev, Some('*' | '+' | '?' | '}')) && !escaped {
                    return Err(reject(pointer, p, "a possessive quantifier"));
                }
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    Ok(out)
}

/// A parsed regex pattern set.
#[derive(Debug, Clone)]
pub struct RegexPatternSet {
    /// `Name`.
    pub name: String,
    /// `ARN`.
    pub arn: String,
    /// The patterns, compiled, with their source text.
    pub patterns: Vec<(String, Regex)>,
}

/// AWS's limit on patterns per set.
pub const MAX_PATTERNS: usize = 10;

impl RegexPatternSet {
    /// Parses a `RegexPatternSet` object or the whole `get-regex-pattern-set` output.
    pub fn parse(value: &Value, pointer: &str) -> Result<Self, WafError> {
        let (value, pointer) = match value.get("RegexPatternSet") {
            Some(inner) => (inner, child(pointer, "RegexPatternSet")),
            None => (value, pointer.to_owned()),
        };
        let o = Obj::new(
            value,
            &pointer,
            &["Name", "Id", "ARN", "Description", "RegularExpressionList", "LockToken"],
        )?;
        let name = o.req_str("Name")?;
        check_entity_name(name, &o.at("Name"))?;
        let arn = o.req_str("ARN")?.to_owned();
        let list = o.req_array("RegularExpressionList")?;
        check_items(list.len(), &o.at("RegularExpressionList"), 0, MAX_PATTERNS)?;
        let mut patterns = Vec::new();
        for (v, p) in list {
            let r = Obj::new(v, &p, &["RegexString"])?;
            let text = r.req_str("RegexString")?;
            check_len(text, &r.at("RegexString"), 1, 200)?;
            patterns.push((text.to_owned(), compile(text, &r.at("RegexString"))?));
        }
        Ok(Self { name: name.to_owned(), arn, patterns })
    }
}
