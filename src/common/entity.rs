//! HTML character references (`&#65;`, `&#x41;`, `&lt;`): one scanner for the two readers that
//! decode them, the WAF's `HTML_ENTITY_DECODE` transformation and the XSS detector's reading of
//! attribute values as a browser would.
//!
//! The scanner finds references; a [`References`] table says which names it knows, whether
//! `&#X` counts as hexadecimal, and what a numeric reference becomes. A numeric reference is
//! `&#` then decimal digits, or `&#x` then hexadecimal digits, with the closing `;` optional (as
//! browsers and ModSecurity read it); a named one must match with its `;`. Anything else,
//! including `&#` with no digit, stays as written. Not an HTML parser: no context, no full
//! entity list.

/// How one reader decodes references.
#[derive(Debug, Clone, Copy)]
pub struct References<'a> {
    /// Known names, spelt with their `;` and without the `&`, and the bytes each stands for.
    pub named: &'a [(&'a [u8], &'a [u8])],
    /// Whether a name also matches in other letter cases (`&LT;`).
    pub names_ignore_case: bool,
    /// Whether `&#X41;` is hexadecimal like `&#x41;`.
    pub capital_x: bool,
    /// Writes what a numeric reference stands for: its code point, or `None` when the number
    /// does not fit in 32 bits.
    pub numeric: fn(&mut Vec<u8>, Option<u32>),
}

/// Decodes every reference in `input` that `refs` knows; other bytes are copied as they are.
pub fn decode(input: &[u8], refs: &References<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while let Some(rest) = input.get(i..) {
        let Some(amp) = memchr::memchr(b'&', rest) else {
            out.extend_from_slice(rest);
            break;
        };
        out.extend_from_slice(rest.get(..amp).unwrap_or_default());
        i += amp;
        let after = input.get(i + 1..).unwrap_or_default();
        match reference(after, refs, &mut out) {
            Some(len) => i += 1 + len,
            None => {
                out.push(b'&');
                i += 1;
            }
        }
    }
    out
}

/// Decodes the reference that `after` (the text after a `&`) starts with into `out`, and says
/// how many bytes of `after` it took; `None` (and nothing written) when it starts with none.
fn reference(after: &[u8], refs: &References<'_>, out: &mut Vec<u8>) -> Option<usize> {
    if let Some(number) = after.strip_prefix(b"#") {
        let (hex, digits) = match number.split_first() {
            Some((b'x', rest)) => (true, rest),
            Some((b'X', rest)) if refs.capital_x => (true, rest),
            _ => (false, number),
        };
        let radix = if hex { 16 } else { 10 };
        let len = digits.iter().take_while(|d| char::from(**d).is_digit(radix)).count();
        if len == 0 {
            return None;
        }
        let code =
            digits.get(..len).unwrap_or_default().iter().try_fold(0u32, |acc, d| {
                acc.checked_mul(radix)?.checked_add(char::from(*d).to_digit(radix)?)
            });
        (refs.numeric)(out, code);
        let semicolon = usize::from(digits.get(len) == Some(&b';'));
        return Some(1 + usize::from(hex) + len + semicolon);
    }
    let (name, value) = refs.named.iter().find(|(name, _)| {
        after.get(..name.len()).is_some_and(|head| {
            if refs.names_ignore_case {
                head.eq_ignore_ascii_case(name)
            } else {
                head == *name
            }
        })
    })?;
    out.extend_from_slice(value);
    Some(name.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf8(out: &mut Vec<u8>, code: Option<u32>) {
        let c = code.and_then(char::from_u32).unwrap_or('\u{fffd}');
        out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
    }

    const HTML: References<'static> = References {
        named: &[(b"lt;", b"<"), (b"amp;", b"&")],
        names_ignore_case: true,
        capital_x: true,
        numeric: utf8,
    };
    const STRICT: References<'static> =
        References { named: &[(b"lt;", b"<")], names_ignore_case: false, capital_x: false, numeric: utf8 };

    fn html(s: &str) -> String {
        String::from_utf8(decode(s.as_bytes(), &HTML)).unwrap()
    }

    fn strict(s: &str) -> String {
        String::from_utf8(decode(s.as_bytes(), &STRICT)).unwrap()
    }

    #[test]
    fn numeric_references() {
        assert_eq!(html("&#65;&#x42;&#X43;&#x1F600;"), "ABC😀");
        assert_eq!(html("&#65&#66x"), "ABx", "the `;` is optional");
        assert_eq!(html("&#0065;"), "A", "leading zeros");
        assert_eq!(html("&#99999999999;"), "\u{fffd}", "beyond 32 bits");
        assert_eq!(html("&#xD800;"), "\u{fffd}", "a surrogate is no character");
        assert_eq!(strict("&#X43;"), "&#X43;", "capital X not taken");
    }

    #[test]
    fn named_references() {
        assert_eq!(html("a &lt; b &LT; c &amp;lt;"), "a < b < c &lt;", "one pass only");
        assert_eq!(strict("&lt;&LT;"), "<&LT;");
        assert_eq!(html("&lt"), "&lt", "a name needs its `;`");
        assert_eq!(html("&unknown; &"), "&unknown; &");
    }

    #[test]
    fn incomplete_references_stay() {
        for s in ["&", "&#", "&#;", "&#x", "&#x;", "&#xg", "a&&b", "&#-1;"] {
            assert_eq!(html(s), s, "{s}");
        }
    }
}
