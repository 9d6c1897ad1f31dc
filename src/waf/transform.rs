//! Text transformations (`TextTransformation.Type`), applied to bytes in ascending priority.
//!
//! Semantics follow the AWS WAF developer guide, which describes them in ModSecurity's terms;
//! where AWS's text differs from ModSecurity/Coraza (the HTML entity set, `%u` and CSS decoding
//! keeping only the low byte) AWS's wins. This is not field extraction (see `field`).

use std::borrow::Cow;

use md5::Md5;
use sha2::{Digest, Sha256};

use crate::common::entity::{self, References};

/// Every `TextTransformationType` in the WAFv2 model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Transformation {
    /// `NONE`.
    None,
    /// `COMPRESS_WHITE_SPACE`.
    CompressWhiteSpace,
    /// `HTML_ENTITY_DECODE`.
    HtmlEntityDecode,
    /// `LOWERCASE`.
    Lowercase,
    /// `CMD_LINE`.
    CmdLine,
    /// `URL_DECODE`.
    UrlDecode,
    /// `BASE64_DECODE`.
    Base64Decode,
    /// `HEX_DECODE`.
    HexDecode,
    /// `MD5`.
    Md5,
    /// `REPLACE_COMMENTS`.
    ReplaceComments,
    /// `ESCAPE_SEQ_DECODE`.
    EscapeSeqDecode,
    /// `SQL_HEX_DECODE`.
    SqlHexDecode,
    /// `CSS_DECODE`.
    CssDecode,
    /// `JS_DECODE`.
    JsDecode,
    /// `NORMALIZE_PATH`.
    NormalizePath,
    /// `NORMALIZE_PATH_WIN`.
    NormalizePathWin,
    /// `REMOVE_NULLS`.
    RemoveNulls,
    /// `REPLACE_NULLS`.
    ReplaceNulls,
    /// `BASE64_DECODE_EXT`.
    Base64DecodeExt,
    /// `URL_DECODE_UNI`.
    UrlDecodeUni,
    /// `UTF8_TO_UNICODE`.
    Utf8ToUnicode,
    /// `REMOVE_WHITESPACE`.
    RemoveWhitespace,
    /// `TRIM`.
    Trim,
    /// `TRIM_LEFT`.
    TrimLeft,
    /// `TRIM_RIGHT`.
    TrimRight,
    /// `REMOVE_COMMENTS_CHAR`.
    RemoveCommentsChar,
    /// `UPPERCASE`.
    Uppercase,
    /// `CMD_LINE_WIN`.
    CmdLineWin,
    /// `CMD_LINE_UNIX`.
    CmdLineUnix,
    /// `JS_DECODE_EXT`.
    JsDecodeExt,
    /// `SHA256`.
    Sha256,
}

/// The AWS names, in model order, paired with their values.
pub const ALL: [(&str, Transformation); 31] = [
    ("NONE", Transformation::None),
    ("COMPRESS_WHITE_SPACE", Transformation::CompressWhiteSpace),
    ("HTML_ENTITY_DECODE", Transformation::HtmlEntityDecode),
    ("LOWERCASE", Transformation::Lowercase),
    ("CMD_LINE", Transformation::CmdLine),
    ("URL_DECODE", Transformation::UrlDecode),
    ("BASE64_DECODE", Transformation::Base64Decode),
    ("HEX_DECODE", Transformation::HexDecode),
    ("MD5", Transformation::Md5),
    ("REPLACE_COMMENTS", Transformation::ReplaceComments),
    ("ESCAPE_SEQ_DECODE", Transformation::EscapeSeqDecode),
    ("SQL_HEX_DECODE", Transformation::SqlHexDecode),
    ("CSS_DECODE", Transformation::CssDecode),
    ("JS_DECODE", Transformation::JsDecode),
    ("NORMALIZE_PATH", Transformation::NormalizePath),
    ("NORMALIZE_PATH_WIN", Transformation::NormalizePathWin),
    ("REMOVE_NULLS", Transformation::RemoveNulls),
    ("REPLACE_NULLS", Transformation::ReplaceNulls),
    ("BASE64_DECODE_EXT", Transformation::Base64DecodeExt),
    ("URL_DECODE_UNI", Transformation::UrlDecodeUni),
    ("UTF8_TO_UNICODE", Transformation::Utf8ToUnicode),
    ("REMOVE_WHITESPACE", Transformation::RemoveWhitespace),
    ("TRIM", Transformation::Trim),
    ("TRIM_LEFT", Transformation::TrimLeft),
    ("TRIM_RIGHT", Transformation::TrimRight),
    ("REMOVE_COMMENTS_CHAR", Transformation::RemoveCommentsChar),
    ("UPPERCASE", Transformation::Uppercase),
    ("CMD_LINE_WIN", Transformation::CmdLineWin),
    ("CMD_LINE_UNIX", Transformation::CmdLineUnix),
    ("JS_DECODE_EXT", Transformation::JsDecodeExt),
    ("SHA256", Transformation::Sha256),
];

/// The AWS maximum number of transformations per statement (current documentation).
pub const MAX_PER_STATEMENT: usize = 10;

impl Transformation {
    /// Looks up an AWS name such as `URL_DECODE`.
    pub fn from_aws(name: &str) -> Option<Self> {
        ALL.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// The AWS name.
    pub fn aws_name(self) -> &'static str {
        ALL.iter().find(|(_, t)| *t == self).map_or("NONE", |(n, _)| n)
    }

    /// Applies this transformation.
    pub fn apply(self, input: &[u8]) -> Vec<u8> {
        match self {
            Self::None => input.to_vec(),
            Self::CompressWhiteSpace => compress_whitespace(input),
            Self::HtmlEntityDecode => entity::decode(input, &AWS_REFERENCES),
            Self::Lowercase => input.to_ascii_lowercase(),
            Self::Uppercase => input.to_ascii_uppercase(),
            Self::CmdLine => cmd_line(input),
            Self::CmdLineWin => cmd_line_win(input),
            Self::CmdLineUnix => cmd_line_unix(input),
            Self::UrlDecode => url_decode(input, false),
            Self::UrlDecodeUni => url_decode(input, true),
            Self::Base64Decode => base64_decode(input, false),
            Self::Base64DecodeExt => base64_decode(input, true),
            Self::HexDecode => hex_decode(input),
            Self::Md5 => Md5::digest(input).to_vec(),
            Self::Sha256 => Sha256::digest(input).to_vec(),
            Self::ReplaceComments => replace_comments(input),
            Self::RemoveCommentsChar => remove_comments_char(input),
            Self::EscapeSeqDecode => escape_seq_decode(input),
            Self::SqlHexDecode => sql_hex_decode(input),
            Self::CssDecode => css_decode(input),
            Self::JsDecode => js_decode(input, false),
            Self::JsDecodeExt => js_decode(input, true),
            Self::NormalizePath => normalize_path(input, false),
            Self::NormalizePathWin => normalize_path(input, true),
            Self::RemoveNulls => input.iter().copied().filter(|&b| b != 0).collect(),
            Self::ReplaceNulls => input.iter().map(|&b| if b == 0 { b' ' } else { b }).collect(),
            Self::Utf8ToUnicode => utf8_to_unicode(input),
            Self::RemoveWhitespace => input.iter().copied().filter(|&b| !is_space(b)).collect(),
            Self::Trim => trim_right(trim_left(input)).to_vec(),
            Self::TrimLeft => trim_left(input).to_vec(),
            Self::TrimRight => trim_right(input).to_vec(),
        }
    }
}

/// Applies transformations in order (the caller sorts them by priority). The input is borrowed
/// through as long as no transformation changes it (no copy per rule for `NONE`, or for
/// `URL_DECODE` / `HTML_ENTITY_DECODE` / `LOWERCASE` on text without `%`/`+`, `&`, capitals).
pub fn apply_all<'a>(input: &'a [u8], transformations: &[Transformation]) -> Cow<'a, [u8]> {
    let mut current = Cow::Borrowed(input);
    for t in transformations {
        if !t.leaves_unchanged(&current) {
            current = Cow::Owned(t.apply(&current));
        }
    }
    current
}

impl Transformation {
    /// Whether applying `self` to `input` certainly gives `input` back (a cheap test).
    fn leaves_unchanged(self, input: &[u8]) -> bool {
        match self {
            Self::None => true,
            Self::UrlDecode | Self::UrlDecodeUni => memchr::memchr2(b'%', b'+', input).is_none(),
            Self::HtmlEntityDecode => memchr::memchr(b'&', input).is_none(),
            Self::Lowercase => !input.iter().any(u8::is_ascii_uppercase),
            Self::NormalizePath => path_is_normal(input),
            _ => false,
        }
    }
}

/// Whether `normalize_path` gives `input` back: no `.` or `..` segment and no empty segment but
/// a leading or trailing one (the `/` of an absolute path or a trailing slash), so every segment
/// is kept, in order, joined as it was.
fn path_is_normal(input: &[u8]) -> bool {
    let last = input.iter().filter(|&&b| b == b'/').count();
    input.split(|&b| b == b'/').enumerate().all(|(i, seg)| match seg {
        b"." | b".." => false,
        b"" => i == 0 || i == last,
        _ => true,
    })
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn trim_left(input: &[u8]) -> &[u8] {
    let start = input.iter().position(|&b| !is_space(b)).unwrap_or(input.len());
    input.get(start..).unwrap_or_default()
}

fn trim_right(input: &[u8]) -> &[u8] {
    let end = input.iter().rposition(|&b| !is_space(b)).map_or(0, |p| p + 1);
    input.get(..end).unwrap_or_default()
}

fn compress_whitespace(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut in_space = false;
    for &b in input {
        if is_space(b) || b == 0xa0 {
            if !in_space {
                out.push(b' ');
            }
            in_space = true;
        } else {
            out.push(b);
            in_space = false;
        }
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn hex_pair(input: &[u8], at: usize) -> Option<u8> {
    let hi = hex_val(*input.get(at)?)?;
    let lo = hex_val(*input.get(at + 1)?)?;
    Some(hi << 4 | lo)
}

/// `HTML_ENTITY_DECODE`, AWS's set: `&quot; &nbsp; &lt; &gt;` in any letter case, `&#xhhhh;`
/// (also `&#X`) and `&#nnnn;`, with the semicolon optional for numeric references as in
/// ModSecurity. `&amp;` is not in AWS's list and stays as it is.
const AWS_REFERENCES: References<'static> = References {
    named: &[(b"quot;", b"\""), (b"nbsp;", &[0xa0]), (b"lt;", b"<"), (b"gt;", b">")],
    names_ignore_case: true,
    capital_x: true,
    numeric: push_reference,
};

/// A numeric reference as UTF-8; a number that is no character (a surrogate, beyond U+10FFFF,
/// beyond 32 bits) becomes U+FFFD.
fn push_reference(out: &mut Vec<u8>, code: Option<u32>) {
    push_utf8(out, code.unwrap_or(u32::MAX));
}

fn push_utf8(out: &mut Vec<u8>, code: u32) {
    let c = char::from_u32(code).unwrap_or('\u{fffd}');
    let mut buf = [0u8; 4];
    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
}

/// Deletes `\ " ' ^`, deletes spaces before `/` and `(`, turns `,` and `;` into spaces,
/// collapses whitespace and lowercases.
fn cmd_line(input: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = Vec::with_capacity(input.len());
    let mut space = false;
    for &b in input {
        match b {
            b'\\' | b'"' | b'\'' | b'^' => {}
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | b',' | b';' => {
                if !space {
                    out.push(b' ');
                    space = true;
                }
            }
            b'/' | b'(' => {
                if space {
                    out.pop();
                }
                out.push(b);
                space = false;
            }
            _ => {
                out.push(b.to_ascii_lowercase());
                space = false;
            }
        }
    }
    out
}

/// CMD_LINE_WIN: AWS publishes no semantics. The playground's interpretation: CMD_LINE
/// (which already deletes `^`, quotes and `\`) after dropping `@` echo-suppression prefixes.
fn cmd_line_win(input: &[u8]) -> Vec<u8> {
    let stripped: Vec<u8> = input.iter().copied().filter(|&b| b != b'@').collect();
    cmd_line(&stripped)
}

/// CMD_LINE_UNIX: AWS publishes no semantics. The playground's interpretation: CMD_LINE after
/// dropping `$@` and `$*`, which expand to nothing in an interactive shell (`c$@at` is `cat`);
/// CMD_LINE already deletes the quotes of `c''at`.
fn cmd_line_unix(input: &[u8]) -> Vec<u8> {
    let mut stripped = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        if b == b'$' && matches!(input.get(i + 1), Some(b'@' | b'*')) {
            i += 2;
            continue;
        }
        stripped.push(b);
        i += 1;
    }
    cmd_line(&stripped)
}

/// `%u` code points: the full-width ASCII range FF01–FF5E maps to ASCII, otherwise only the
/// low byte is kept (AWS's documented rule).
fn unicode_low(code: u32) -> u8 {
    if (0xff01..=0xff5e).contains(&code) {
        u8::try_from(code - 0xfee0).unwrap_or(b'?')
    } else {
        (code & 0xff) as u8
    }
}

fn url_decode(input: &[u8], unicode: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        match b {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                if unicode && matches!(input.get(i + 1), Some(b'u' | b'U')) {
                    if let (Some(hi), Some(lo)) = (hex_pair(input, i + 2), hex_pair(input, i + 4)) {
                        out.push(unicode_low(u32::from(hi) << 8 | u32::from(lo)));
                        i += 6;
                        continue;
                    }
                }
                if let Some(v) = hex_pair(input, i + 1) {
                    out.push(v);
                    i += 3;
                } else {
                    out.push(b'%');
                    i += 1;
                }
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn base64_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// BASE64_DECODE stops at the first character outside the alphabet (or `=`);
/// BASE64_DECODE_EXT skips such characters.
fn base64_decode(input: &[u8], forgiving: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for &b in input {
        if b == b'=' {
            if forgiving {
                continue;
            }
            break;
        }
        let Some(v) = base64_value(b) else {
            if forgiving {
                continue;
            }
            break;
        };
        acc = (acc << 6 | u32::from(v)) & 0xff_ffff;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits & 0xff) as u8);
        }
    }
    out
}

/// Decodes pairs of hex digits; an odd or invalid input yields an empty result, as in
/// ModSecurity.
fn hex_decode(input: &[u8]) -> Vec<u8> {
    if !input.len().is_multiple_of(2) {
        return Vec::new();
    }
    let mut out = Vec::with_capacity(input.len() / 2);
    for pair in input.chunks(2) {
        match (pair.first().and_then(|b| hex_val(*b)), pair.get(1).and_then(|b| hex_val(*b))) {
            (Some(h), Some(l)) => out.push(h << 4 | l),
            _ => return Vec::new(),
        }
    }
    out
}

/// Each `/* … */` (or an unterminated `/*` to the end) becomes one space; a lone `*/` stays.
fn replace_comments(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        if b == b'/' && input.get(i + 1) == Some(&b'*') {
            let body = input.get(i + 2..).unwrap_or_default();
            match body.windows(2).position(|w| w == b"*/") {
                Some(p) => i += 2 + p + 2,
                None => i = input.len(),
            }
            out.push(b' ');
        } else {
            out.push(b);
            i += 1;
        }
    }
    out
}

/// Removes the comment markers `/*`, `*/`, `--` and `#`, keeping what they enclose.
fn remove_comments_char(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        let next = input.get(i + 1).copied();
        match (b, next) {
            (b'/', Some(b'*')) | (b'*', Some(b'/')) | (b'-', Some(b'-')) => i += 2,
            (b'#', _) => i += 1,
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

fn is_octal(b: u8) -> bool {
    (b'0'..=b'7').contains(&b)
}

/// ANSI C escapes: `\a \b \f \n \r \t \v \\ \? \' \"`, `\xHH`, `\OOO` (1–3 octal digits);
/// invalid escapes drop the backslash, a trailing lone backslash stays.
fn escape_seq_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let Some(&n) = input.get(i + 1) else {
            out.push(b'\\');
            break;
        };
        let simple = match n {
            b'a' => Some(7),
            b'b' => Some(8),
            b'f' => Some(0x0c),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            b'v' => Some(0x0b),
            b'\\' | b'?' | b'\'' | b'"' => Some(n),
            _ => None,
        };
        if let Some(v) = simple {
            out.push(v);
            i += 2;
        } else if n == b'x' || n == b'X' {
            if let Some(v) = hex_pair(input, i + 2) {
                out.push(v);
                i += 4;
            } else {
                out.push(n);
                i += 2;
            }
        } else if is_octal(n) {
            let digits = input
                .get(i + 1..)
                .unwrap_or_default()
                .iter()
                .take(3)
                .take_while(|d| is_octal(**d))
                .fold((0u32, 0usize), |(v, c), d| (v * 8 + u32::from(d - b'0'), c + 1));
            out.push((digits.0 & 0xff) as u8);
            i += 1 + digits.1;
        } else {
            out.push(n);
            i += 2;
        }
    }
    out
}

/// `0x414243` → `ABC`: every `0x` followed by an even run of hex digits is decoded.
fn sql_hex_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        if b == b'0' && matches!(input.get(i + 1), Some(b'x' | b'X')) {
            let digits =
                input.get(i + 2..).unwrap_or_default().iter().take_while(|d| d.is_ascii_hexdigit()).count();
            if digits >= 2 {
                let even = digits - digits % 2;
                let decoded = hex_decode(input.get(i + 2..i + 2 + even).unwrap_or_default());
                out.extend_from_slice(&decoded);
                i += 2 + even;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

/// CSS 2.x escapes: `\` + 1–6 hex digits (one following whitespace consumed), using at most
/// the last two bytes (full-width ASCII mapped, otherwise the low byte); `\` + newline is
/// removed; `\` + any other character yields that character.
fn css_decode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let Some(&n) = input.get(i + 1) else {
            break;
        };
        let run = input
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .take(6)
            .take_while(|d| d.is_ascii_hexdigit())
            .count();
        if run > 0 {
            let mut code: u32 = 0;
            for d in input.get(i + 1..i + 1 + run).unwrap_or_default() {
                code = (code << 4 | u32::from(hex_val(*d).unwrap_or(0))) & 0xffff;
            }
            out.push(unicode_low(code));
            i += 1 + run;
            if input.get(i).is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0c)) {
                i += 1;
            }
        } else if n == b'\n' {
            i += 2;
        } else {
            out.push(n);
            i += 2;
        }
    }
    out
}

/// JavaScript escapes: `\uHHHH` (FF01–FF5E → ASCII, else the low byte), `\xHH`, octal,
/// and the single-character escapes. JS_DECODE_EXT also decodes `\u{H…}` code points.
fn js_decode(input: &[u8], extended: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(&b) = input.get(i) {
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let Some(&n) = input.get(i + 1) else {
            out.push(b'\\');
            break;
        };
        match n {
            b'u' | b'U' => {
                if let (Some(hi), Some(lo)) = (hex_pair(input, i + 2), hex_pair(input, i + 4)) {
                    out.push(unicode_low(u32::from(hi) << 8 | u32::from(lo)));
                    i += 6;
                    continue;
                }
                if extended && input.get(i + 2) == Some(&b'{') {
                    let body = input.get(i + 3..).unwrap_or_default();
                    let run = body.iter().take(6).take_while(|d| d.is_ascii_hexdigit()).count();
                    if run > 0 && body.get(run) == Some(&b'}') {
                        let code = body
                            .iter()
                            .take(run)
                            .fold(0u32, |v, d| v << 4 | u32::from(hex_val(*d).unwrap_or(0)));
                        out.push(unicode_low(code));
                        i += 3 + run + 1;
                        continue;
                    }
                }
                out.push(n);
                i += 2;
            }
            b'x' | b'X' => {
                if let Some(v) = hex_pair(input, i + 2) {
                    out.push(v);
                    i += 4;
                } else {
                    out.push(n);
                    i += 2;
                }
            }
            b'0'..=b'7' => {
                let (v, c) = input
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .take(3)
                    .take_while(|d| is_octal(**d))
                    .fold((0u32, 0usize), |(v, c), d| (v * 8 + u32::from(d - b'0'), c + 1));
                out.push((v & 0xff) as u8);
                i += 1 + c;
            }
            b'a' => {
                out.push(7);
                i += 2;
            }
            b'b' => {
                out.push(8);
                i += 2;
            }
            b'f' => {
                out.push(0x0c);
                i += 2;
            }
            b'n' => {
                out.push(b'\n');
                i += 2;
            }
            b'r' => {
                out.push(b'\r');
                i += 2;
            }
            b't' => {
                out.push(b'\t');
                i += 2;
            }
            b'v' => {
                out.push(0x0b);
                i += 2;
            }
            _ => {
                out.push(n);
                i += 2;
            }
        }
    }
    out
}

/// Removes empty and `.` segments and resolves `..`; leading `..` of a relative path stays.
/// A trailing slash is kept. NORMALIZE_PATH_WIN first turns `\` into `/`.
fn normalize_path(input: &[u8], windows: bool) -> Vec<u8> {
    if input.is_empty() {
        return Vec::new();
    }
    let path: Vec<u8> = if windows {
        input.iter().map(|&b| if b == b'\\' { b'/' } else { b }).collect()
    } else {
        input.to_vec()
    };
    let absolute = path.first() == Some(&b'/');
    let trailing = path.last() == Some(&b'/');
    let mut stack: Vec<&[u8]> = Vec::new();
    for seg in path.split(|&b| b == b'/') {
        match seg {
            b"" | b"." => {}
            b".." => {
                if stack.last().is_some_and(|s| *s != b"..") {
                    stack.pop();
                } else if !absolute {
                    stack.push(seg);
                }
            }
            _ => stack.push(seg),
        }
    }
    let mut out = Vec::with_capacity(path.len());
    if absolute {
        out.push(b'/');
    }
    out.extend_from_slice(&stack.join(&b'/'));
    if trailing && !stack.is_empty() {
        out.push(b'/');
    }
    out
}

/// UTF-8 multi-byte sequences become `%uHHHH` (lowercase hex); ASCII and invalid bytes stay.
fn utf8_to_unicode(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut rest = input;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                push_unicode_str(&mut out, s);
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                push_unicode_str(&mut out, std::str::from_utf8(good).unwrap_or_default());
                let skip = e.error_len().unwrap_or(bad.len());
                out.extend_from_slice(bad.get(..skip).unwrap_or_default());
                rest = bad.get(skip..).unwrap_or_default();
            }
        }
    }
    out
}

fn push_unicode_str(out: &mut Vec<u8>, s: &str) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c as u8);
        } else {
            out.extend_from_slice(format!("%u{:04x}", u32::from(c)).as_bytes());
        }
    }
}
