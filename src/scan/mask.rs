//! Masking: what a finding shows of the text. The match itself is masked by kind (a card keeps
//! its last four digits, an access key id its four-letter prefix, a private key its BEGIN line);
//! the excerpt around it masks every other finding it touches, so no secret is ever shown whole.

use super::kind::Kind;

/// Characters of context either side of a match in an excerpt.
pub const CONTEXT_CHARS: usize = 24;
/// The longest masked match shown.
const MAX_MASKED: usize = 96;

fn star_alnum(bytes: &[u8], keep_first: usize, keep_last: usize) -> String {
    let alnum = bytes.iter().filter(|b| b.is_ascii_alphanumeric()).count();
    let mut seen = 0usize;
    let mut out = String::with_capacity(bytes.len().min(MAX_MASKED));
    for &b in bytes {
        if out.len() >= MAX_MASKED {
            out.push('…');
            break;
        }
        if b.is_ascii_alphanumeric() {
            seen += 1;
            let shown = seen <= keep_first || seen + keep_last > alnum;
            out.push(if shown { char::from(b) } else { '*' });
        } else if b.is_ascii() && !b.is_ascii_control() {
            out.push(char::from(b));
        } else if b == b'\n' || b == b'\r' || b == b'\t' {
            out.push(' ');
        } else {
            out.push('*');
        }
    }
    out
}

/// The match, masked for its kind.
pub fn mask(kind: Kind, m: &[u8]) -> String {
    match kind {
        Kind::CreditCard | Kind::CreditCardNoKeyword | Kind::UsaSsn => star_alnum(m, 0, 4),
        Kind::Iban => star_alnum(m, 2, 4),
        Kind::AwsAccessKeyId => star_alnum(m, 4, 0),
        Kind::Phone => star_alnum(m, 0, 2),
        Kind::Email => {
            let at = m.iter().position(|b| *b == b'@').unwrap_or(0);
            let (local, domain) = m.split_at(at);
            let mut s = star_alnum(local, 1, 0);
            s.push_str(&String::from_utf8_lossy(domain));
            s
        }
        Kind::OpensshPrivateKey | Kind::PkcsPrivateKey | Kind::PgpPrivateKey => {
            let header_end = m.iter().position(|b| *b == b'\n').unwrap_or(m.len()).min(64);
            let header = String::from_utf8_lossy(m.get(..header_end).unwrap_or(b"")).trim_end().to_owned();
            let rest = m.len().saturating_sub(header_end);
            if rest == 0 {
                header
            } else {
                format!("{header} …({rest} bytes masked)…")
            }
        }
        Kind::JsonWebToken | Kind::AwsSecretKey | Kind::KoreaRrn | Kind::DateOfBirth => star_alnum(m, 0, 0),
    }
}

/// Context text, with the bytes inside `hidden` spans (relative to `bytes`) masked.
pub fn context(bytes: &[u8], offset: usize, hidden: &[(usize, usize)]) -> String {
    let mut out = Vec::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        let at = offset + i;
        let inside = hidden.iter().any(|(s, e)| at >= *s && at < *e);
        out.push(match b {
            b'\n' | b'\r' | b'\t' => b' ',
            _ if inside && b.is_ascii_alphanumeric() => b'*',
            _ => b,
        });
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Steps back from `at` over at most `n` characters (UTF-8 lead bytes), not before `floor`.
pub fn back_chars(w: &[u8], at: usize, n: usize, floor: usize) -> usize {
    let mut i = at;
    let mut chars = 0;
    while i > floor && chars < n {
        i -= 1;
        if w.get(i).is_some_and(|b| b & 0xC0 != 0x80) {
            chars += 1;
        }
    }
    i
}

/// Steps forward from `at` over at most `n` characters, not past `ceil`.
pub fn forward_chars(w: &[u8], at: usize, n: usize, ceil: usize) -> usize {
    let mut i = at;
    let mut chars = 0;
    while i < ceil {
        let lead = w.get(i).is_some_and(|b| b & 0xC0 != 0x80);
        if lead {
            if chars == n {
                break;
            }
            chars += 1;
        }
        i += 1;
    }
    i
}
