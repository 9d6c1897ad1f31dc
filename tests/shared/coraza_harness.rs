#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The Coraza transformation harness's string conventions, shared by the native WAF tests and the
//! wasm engine cases that read the same vectors (`shared/vectors/waf/transformations`): how its
//! strings are written, which AWS transformation each vector tests, and where AWS differs.

use secplay::waf::transform::Transformation;

/// The Coraza harness reads `\u0000` literally as NUL and Go-unquotes strings holding `\x`
/// (an invalid Go escape makes the whole string empty).
pub fn harness_bytes(s: &str) -> Vec<u8> {
    let s = s.replace("\\u0000", "\u{0}");
    if !s.contains("\\x") {
        return s.into_bytes();
    }
    go_unquote(&s).unwrap_or_default()
}

fn go_unquote(s: &str) -> Option<Vec<u8>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'"' || c == b'\n' {
            return None;
        }
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = *b.get(i + 1)?;
        i += 2;
        match e {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'"' => out.push(b'"'),
            b'x' => {
                out.push(u8::from_str_radix(std::str::from_utf8(b.get(i..i + 2)?).ok()?, 16).ok()?);
                i += 2;
            }
            b'0'..=b'7' => {
                out.push(u8::from_str_radix(std::str::from_utf8(b.get(i - 1..i + 2)?).ok()?, 8).ok()?);
                i += 2;
            }
            b'u' => {
                let c = char::from_u32(
                    u32::from_str_radix(std::str::from_utf8(b.get(i..i + 4)?).ok()?, 16).ok()?,
                )?;
                out.extend_from_slice(c.to_string().as_bytes());
                i += 4;
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Cases whose Coraza output is not AWS's documented behaviour.
pub const AWS_DIFFERS: &[(&str, usize, &str)] = &[
    (
        "urlDecodeUni",
        5,
        "AWS keeps the low byte of %u0080-%u00ff; Coraza maps Latin-1 letters to best-fit ASCII",
    ),
    ("urlDecodeUni", 33, "AWS keeps the low byte of %u201c; Coraza maps it to a best-fit ASCII quote"),
    (
        "urlDecodeUni",
        34,
        "AWS keeps the low byte of %u201d/%u2019/%u2014; Coraza maps them to best-fit ASCII",
    ),
    ("urlDecodeUni", 35, "AWS keeps the low byte of %u00e9; Coraza maps accented letters to ASCII"),
    (
        "cssDecode",
        3,
        "AWS uses at most two bytes of a CSS escape (low byte); Coraza emits the full code point as UTF-8",
    ),
    (
        "cssDecode",
        5,
        "AWS uses at most two bytes of a CSS escape (low byte); Coraza emits the full code point as UTF-8",
    ),
];

/// The AWS transformation a Coraza vector's `name` tests (`None`: no AWS counterpart).
pub fn aws_name(modsec: &str) -> Option<Transformation> {
    let name = match modsec {
        "base64Decode" => "BASE64_DECODE",
        "base64DecodeExt" => "BASE64_DECODE_EXT",
        "cmdLine" => "CMD_LINE",
        "compressWhitespace" => "COMPRESS_WHITE_SPACE",
        "cssDecode" => "CSS_DECODE",
        "escapeSeqDecode" => "ESCAPE_SEQ_DECODE",
        "hexDecode" => "HEX_DECODE",
        "htmlEntityDecode" => "HTML_ENTITY_DECODE",
        "jsDecode" => "JS_DECODE",
        "lowercase" => "LOWERCASE",
        "normalisePath" => "NORMALIZE_PATH",
        "normalisePathWin" => "NORMALIZE_PATH_WIN",
        "removeCommentsChar" => "REMOVE_COMMENTS_CHAR",
        "removeNulls" => "REMOVE_NULLS",
        "removeWhitespace" => "REMOVE_WHITESPACE",
        "replaceComments" => "REPLACE_COMMENTS",
        "replaceNulls" => "REPLACE_NULLS",
        "sqlHexDecode" => "SQL_HEX_DECODE",
        "trim" => "TRIM",
        "trimLeft" => "TRIM_LEFT",
        "trimRight" => "TRIM_RIGHT",
        "uppercase" => "UPPERCASE",
        "urlDecode" => "URL_DECODE",
        "urlDecodeUni" => "URL_DECODE_UNI",
        "utf8toUnicode" => "UTF8_TO_UNICODE",
        n if n.starts_with("md5") => "MD5",
        _ => return None,
    };
    Transformation::from_aws(name)
}
