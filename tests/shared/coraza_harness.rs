#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The Coraza transformation harness's string conventions, shared by the native WAF tests and the
//! wasm engine cases that read the same vectors (`shared/vectors/waf/transformations`).

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
