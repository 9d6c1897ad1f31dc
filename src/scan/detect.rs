//! The detectors: one regular expression per shape of candidate, then validation (`checks`) and
//! context rules (edges, keywords) on each match. `candidates` runs them all over one window of
//! bytes; it neither resolves overlaps nor knows about chunks (see `stream`). Patterns are ASCII
//! (`(?-u)`), so invalid UTF-8 simply never matches.

use std::sync::OnceLock;

use regex::bytes::Regex;

use super::checks::{self, RrnCheck};
use super::error::ScanError;
use super::kind::Kind;

/// The longest candidate any detector reports, in bytes (a PEM block with its END line). The
/// streaming overlap must exceed it.
pub const MAX_MATCH: usize = 12 * 1024;

/// How far before a candidate a keyword may stand, in bytes.
pub const KEYWORD_SPAN: usize = 80;

/// One validated candidate, positions relative to the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// What it is.
    pub kind: Kind,
    /// A short note on why (the card network, the IBAN country, the key type, …).
    pub detail: &'static str,
}

struct Detectors {
    pem: Regex,
    jwt: Regex,
    aws_secret: Regex,
    aws_id: Regex,
    iban: Regex,
    card: Regex,
    ssn: Regex,
    ssn_bare: Regex,
    rrn: Regex,
    rrn_bare: Regex,
    date: Regex,
    email: Regex,
    phone: Regex,
}

const MONTHS: &str = "(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)";

fn build() -> Result<Detectors, regex::Error> {
    let r = |p: &str| Regex::new(&format!("(?-u){p}"));
    Ok(Detectors {
        pem: r(r"-----BEGIN (OPENSSH |RSA |EC |DSA |ENCRYPTED |PGP )?PRIVATE KEY( BLOCK)?-----")?,
        jwt: r(r"e[wy][A-Za-z0-9_-]{6,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*")?,
        aws_secret: r(r"[A-Za-z0-9/+]{40,}")?,
        aws_id: r(r"(?:AKIA|ASIA)[A-Z0-9]{16,}")?,
        iban: r(r"[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?")?,
        card: r(concat!(
            r"\d{4} \d{4} \d{4} \d{4}(?: \d{3})?|\d{4}-\d{4}-\d{4}-\d{4}(?:-\d{3})?",
            r"|\d{4} \d{6} \d{4,5}|\d{4}-\d{6}-\d{4,5}|\d{13,19}"
        ))?,
        ssn: r(r"(\d{3})[- ](\d{2})[- ](\d{4})")?,
        ssn_bare: r(r"(\d{3})(\d{2})(\d{4})")?,
        rrn: r(r"\d{6}-\d{7}")?,
        rrn_bare: r(r"\d{13}")?,
        date: r(&format!(
            r"\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}|\d{{1,2}}[-/.]\d{{1,2}}[-/.]\d{{4}}|{MONTHS}\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{4}}|\d{{1,2}}(?:st|nd|rd|th)? {MONTHS}\.?,? \d{{4}}"
        ))?,
        email: r(concat!(
            r"[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?",
            r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,24}"
        ))?,
        phone: r(concat!(
            r"\+\d{1,3}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d{1,5}){1,5}",
            r"|\(\d{3}\) ?\d{3}-\d{4}|\d{3}-\d{3}-\d{4}|\d{3}\.\d{3}\.\d{4}",
            r"|0(?:1[016789]|2|[3-6][1-5])-\d{3,4}-\d{4}",
            r"|07\d{3} \d{6}|0\d{4} \d{6}|0\d{3} \d{3} \d{4}|0\d{2} \d{4} \d{4}"
        ))?,
    })
}

static DETECTORS: OnceLock<Result<Detectors, String>> = OnceLock::new();

fn detectors() -> Result<&'static Detectors, ScanError> {
    match DETECTORS.get_or_init(|| build().map_err(|e| e.to_string())) {
        Ok(d) => Ok(d),
        Err(e) => Err(ScanError::Internal { message: format!("a detector did not compile: {e}") }),
    }
}

/// Compiles the detectors now (the first scan would otherwise pay for it).
pub fn warm() -> Result<(), ScanError> {
    detectors().map(|_| ())
}

fn byte(w: &[u8], i: usize) -> Option<u8> {
    w.get(i).copied()
}

/// Nothing number-like or word-like touches the candidate on the left.
fn left_ok(w: &[u8], start: usize) -> bool {
    match start.checked_sub(1).and_then(|i| byte(w, i)) {
        None => true,
        Some(b) => !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'/' | b'+' | b'@')),
    }
}

/// Nothing number-like or word-like touches the candidate on the right (a full stop or comma is
/// fine unless a digit or letter follows it).
fn right_ok(w: &[u8], end: usize) -> bool {
    match byte(w, end) {
        None => true,
        Some(b'.' | b',') => !byte(w, end + 1).is_some_and(|b| b.is_ascii_alphanumeric()),
        Some(b) => !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'/' | b'+' | b'@')),
    }
}

/// Whether one of `words` (lower case) occurs in the `KEYWORD_SPAN` bytes before `start`.
fn keyword_before(w: &[u8], start: usize, words: &[&str]) -> bool {
    let from = start.saturating_sub(KEYWORD_SPAN);
    let Some(before) = w.get(from..start) else { return false };
    let lower = before.to_ascii_lowercase();
    words.iter().any(|k| memchr::memmem::find(&lower, k.as_bytes()).is_some())
}

/// Where a keyword-bound detector can match: from each occurrence of one of `words` (in the lower-cased
/// window) to `KEYWORD_SPAN + reach` bytes after it, merged. Detectors that need a keyword run their
/// pattern only there; edges and keywords are still checked on the whole window, so the candidates
/// are those a scan of the whole window would give.
fn keyword_regions(lower: &[u8], words: &[&str], reach: usize) -> Vec<(usize, usize)> {
    let mut starts: Vec<usize> = Vec::new();
    for k in words {
        starts.extend(memchr::memmem::find_iter(lower, k.as_bytes()));
    }
    starts.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::new();
    for s in starts {
        let e = lower.len().min(s + KEYWORD_SPAN + reach);
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Matches of `re` inside `regions` of `w`, as (start, end) in `w`.
fn matches_in(re: &Regex, w: &[u8], regions: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for &(a, b) in regions {
        let Some(part) = w.get(a..b) else { continue };
        out.extend(re.find_iter(part).map(|m| (a + m.start(), a + m.end())));
    }
    out
}

fn digits_of(s: &[u8]) -> Vec<u8> {
    s.iter().copied().filter(u8::is_ascii_digit).collect()
}

fn num(s: &[u8]) -> u32 {
    s.iter()
        .filter(|b| b.is_ascii_digit())
        .fold(0u32, |a, d| a.saturating_mul(10).saturating_add(u32::from(d - b'0')))
}

const CARD_WORDS: &[&str] = &[
    "card",
    "credit",
    "debit",
    "visa",
    "mastercard",
    "amex",
    "american express",
    "discover",
    "jcb",
    "diners",
    "unionpay",
    "cc#",
    "ccn",
    "cc no",
    "cc num",
    "pan:",
];
const AWS_SECRET_WORDS: &[&str] = &[
    "aws_secret_access_key",
    "secret access key",
    "secret_access_key",
    "secretaccesskey",
    "secret key",
    "secret_key",
    "secretkey",
    "credentials",
    "set-awscredential",
    "aws_secret",
];
const SSN_WORDS: &[&str] = &["ssn", "social security", "ss#", "ss #", "social sec"];
const RRN_WORDS: &[&str] = &["rrn", "resident registration", "주민등록번호", "주민번호"];
const DOB_WORDS: &[&str] = &["birth", "dob", "d.o.b", "born", "생년월일", "bday", "b-day", "birthday"];
/// Macie's documented fictitious AWS secret keys, never reported
/// (<https://docs.aws.amazon.com/macie/latest/user/mdis-reference-credentials.html>).
const EXAMPLE_SECRETS: &[&[u8]] =
    &[b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", b"je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"];

/// Every validated candidate of the enabled kinds in `w`.
pub fn candidates(w: &[u8], enabled: &dyn Fn(Kind) -> bool) -> Result<Vec<Candidate>, ScanError> {
    let d = detectors()?;
    let mut out = Vec::new();
    let mut push = |start: usize, end: usize, kind: Kind, detail: &'static str| {
        if enabled(kind) {
            out.push(Candidate { start, end, kind, detail });
        }
    };

    if enabled(Kind::OpensshPrivateKey) || enabled(Kind::PkcsPrivateKey) || enabled(Kind::PgpPrivateKey) {
        for c in d.pem.captures_iter(w) {
            let Some(m) = c.get(0) else { continue };
            let label = c.get(1).map(|g| g.as_bytes()).unwrap_or(b"");
            let (kind, detail) = match label {
                b"OPENSSH " => (Kind::OpensshPrivateKey, "OpenSSH private key"),
                b"PGP " => (Kind::PgpPrivateKey, "PGP private key block"),
                b"RSA " => (Kind::PkcsPrivateKey, "PKCS#1 RSA private key"),
                b"EC " => (Kind::PkcsPrivateKey, "SEC1 EC private key"),
                b"DSA " => (Kind::PkcsPrivateKey, "DSA private key"),
                b"ENCRYPTED " => (Kind::PkcsPrivateKey, "PKCS#8 encrypted private key"),
                _ => (Kind::PkcsPrivateKey, "PKCS#8 private key"),
            };
            if let Some(end) = pem_body(w, m.end()) {
                push(m.start(), end, kind, detail);
            }
        }
    }

    if enabled(Kind::JsonWebToken) {
        for m in d.jwt.find_iter(w) {
            let (s, e) = (m.start(), m.end());
            if e - s > MAX_MATCH || !left_ok(w, s) || byte(w, e).is_some_and(|b| b == b'-' || b == b'_') {
                continue;
            }
            // A fourth segment (a JWE or a dotted name) is not a JWS.
            if byte(w, e) == Some(b'.') && byte(w, e + 1).is_some_and(|b| b.is_ascii_alphanumeric()) {
                continue;
            }
            let mut parts = m.as_bytes().split(|b| *b == b'.');
            let (Some(h), Some(p)) = (parts.next(), parts.next()) else { continue };
            if checks::jwt_header(h) && checks::jwt_payload(p) {
                push(s, e, Kind::JsonWebToken, "JWS compact serialization");
            }
        }
    }

    let lower = w.to_ascii_lowercase();
    if enabled(Kind::AwsSecretKey) {
        // Every keyword holds `secret` or `credential`; the key comes within the keyword span after it.
        for (s, e) in matches_in(&d.aws_secret, w, &keyword_regions(&lower, &["secret", "credential"], 64)) {
            let Some(t) = w.get(s..e) else { continue };
            let left = s.checked_sub(1).and_then(|i| byte(w, i));
            let right = byte(w, e);
            let edge = |b: Option<u8>| b.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'/' || b == b'+');
            if t.len() != 40 || edge(left) || edge(right) || right == Some(b'=') {
                continue;
            }
            let mixed = t.iter().any(u8::is_ascii_uppercase)
                && t.iter().any(u8::is_ascii_lowercase)
                && t.iter().any(u8::is_ascii_digit);
            if mixed && !EXAMPLE_SECRETS.contains(&t) && keyword_before(w, s, AWS_SECRET_WORDS) {
                push(s, e, Kind::AwsSecretKey, "AWS secret access key");
            }
        }
    }

    if enabled(Kind::AwsAccessKeyId) {
        for m in d.aws_id.find_iter(w) {
            let (s, e) = (m.start(), m.end());
            let t = m.as_bytes();
            let body_ok = t
                .get(4..)
                .is_some_and(|b| b.iter().all(|c| c.is_ascii_uppercase() || (b'2'..=b'7').contains(c)));
            if t.len() == 20 && body_ok && left_ok(w, s) && right_ok(w, e) {
                let detail =
                    if t.starts_with(b"ASIA") { "temporary (STS) access key id" } else { "access key id" };
                push(s, e, Kind::AwsAccessKeyId, detail);
            }
        }
    }

    if enabled(Kind::Iban) {
        for m in d.iban.find_iter(w) {
            let s = m.start();
            if !left_ok(w, s) {
                continue;
            }
            let t = m.as_bytes();
            let Some(len) = t.get(..2).and_then(checks::iban_length) else { continue };
            // Take exactly the country's length of characters; what follows must be an edge.
            let mut compact = Vec::with_capacity(len);
            let mut end = s;
            for (i, b) in t.iter().enumerate() {
                if compact.len() == len {
                    break;
                }
                if *b != b' ' {
                    compact.push(*b);
                }
                end = s + i + 1;
            }
            if compact.len() == len && right_ok(w, end) && checks::iban(&compact) {
                push(s, end, Kind::Iban, "IBAN (length and mod-97 checked)");
            }
        }
    }

    if enabled(Kind::CreditCard) || enabled(Kind::CreditCardNoKeyword) {
        for m in d.card.find_iter(w) {
            let s = m.start();
            if !left_ok(w, s) {
                continue;
            }
            let mut ends = vec![m.end()];
            // `4111 1111 1111 1111 202…`: the optional fifth group may belong to what follows.
            let groups = m.as_bytes().iter().filter(|b| **b == b' ' || **b == b'-').count();
            if groups == 4 {
                ends.push(m.end() - 4);
            }
            for e in ends {
                let Some(text) = w.get(s..e) else { continue };
                let digits = digits_of(text);
                if !right_ok(w, e) || !checks::luhn(&digits) {
                    continue;
                }
                if let Some(net) = checks::card_network(&digits) {
                    let kind = if keyword_before(w, s, CARD_WORDS) {
                        Kind::CreditCard
                    } else {
                        Kind::CreditCardNoKeyword
                    };
                    push(s, e, kind, net);
                    break;
                }
            }
        }
    }

    if enabled(Kind::KoreaRrn) {
        let mut found: Vec<(usize, usize)> = d.rrn.find_iter(w).map(|m| (m.start(), m.end())).collect();
        // Thirteen digits without the hyphen only after a keyword.
        found.extend(matches_in(&d.rrn_bare, w, &keyword_regions(&lower, RRN_WORDS, 20)));
        for (s, e) in found {
            let Some(t) = w.get(s..e) else { continue };
            if !left_ok(w, s) || !right_ok(w, e) || (t.len() == 13 && !keyword_before(w, s, RRN_WORDS)) {
                continue;
            }
            match checks::korea_rrn(&digits_of(t)) {
                RrnCheck::Valid => push(s, e, Kind::KoreaRrn, "check digit valid"),
                RrnCheck::NotApplicable => {
                    push(s, e, Kind::KoreaRrn, "born on or after 2020-10-05: no check digit since then")
                }
                RrnCheck::Invalid => {}
            }
        }
    }

    if enabled(Kind::UsaSsn) {
        let ssn_regions = keyword_regions(&lower, SSN_WORDS, 16);
        let whole = [(0, w.len())];
        for (re, need_keyword) in [(&d.ssn, false), (&d.ssn_bare, true)] {
            let regions: &[(usize, usize)] = if need_keyword { &ssn_regions } else { &whole };
            for &(a, b) in regions {
                let Some(part) = w.get(a..b) else { continue };
                for c in re.captures_iter(part) {
                    let Some(m) = c.get(0) else { continue };
                    let (s, e) = (a + m.start(), a + m.end());
                    let t = m.as_bytes();
                    // Separators, when present, are the same on both sides (`123-45-6789`, `123 45 6789`).
                    if t.len() == 11 && t.get(3) != t.get(6) {
                        continue;
                    }
                    let part = |i| c.get(i).map(|g| num(g.as_bytes())).unwrap_or(0);
                    if left_ok(w, s)
                        && right_ok(w, e)
                        && (!need_keyword || keyword_before(w, s, SSN_WORDS))
                        && checks::ssn(part(1), part(2), part(3))
                    {
                        push(s, e, Kind::UsaSsn, "area, group and serial in range");
                    }
                }
            }
        }
    }

    if enabled(Kind::DateOfBirth) {
        for (s, e) in matches_in(&d.date, w, &keyword_regions(&lower, DOB_WORDS, 32)) {
            let Some(t) = w.get(s..e) else { continue };
            if left_ok(w, s) && right_ok(w, e) && date_ok(t) && keyword_before(w, s, DOB_WORDS) {
                push(s, e, Kind::DateOfBirth, "a date near a birth keyword");
            }
        }
    }

    if enabled(Kind::Email) && memchr::memchr(b'@', w).is_some() {
        for m in d.email.find_iter(w) {
            let (s, e) = (m.start(), m.end());
            let t = m.as_bytes();
            let local = t.split(|b| *b == b'@').next().unwrap_or(b"");
            let local_ok = !local.starts_with(b".")
                && !local.ends_with(b".")
                && memchr::memmem::find(local, b"..").is_none();
            let left = s
                .checked_sub(1)
                .and_then(|i| byte(w, i))
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || b"._%+-".contains(&b)));
            let right = byte(w, e)
                .is_none_or(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'@'));
            if local_ok && left && right {
                push(s, e, Kind::Email, "address syntax");
            }
        }
    }

    if enabled(Kind::Phone) {
        for m in d.phone.find_iter(w) {
            let (s, e) = (m.start(), m.end());
            if !left_ok(w, s) || !right_ok(w, e) {
                continue;
            }
            if let Some(detail) = phone_ok(m.as_bytes()) {
                push(s, e, Kind::Phone, detail);
            }
        }
    }
    Ok(out)
}

/// The end of a private key block whose header ends at `after`, or `None` when no base64 body
/// follows the header (a header quoted in prose). Lines may end in a newline or in the two
/// characters `\n` (a key inside a JSON string). The block runs over RFC 7468 / RFC 4880 armour:
/// header lines (`Proc-Type: …`, `Version: …`) and blank lines before the body, then base64 lines,
/// up to its `-----END …-----` line; without one it ends after the last body line. At most
/// `MAX_MATCH` bytes.
fn pem_body(w: &[u8], after: usize) -> Option<usize> {
    let limit = w.len().min(after + MAX_MATCH - 64);
    let mut i = after;
    let mut body_end = None;
    let mut headers = 0;
    let mut first = true;
    while i < limit {
        // One line: up to `\n` or a newline.
        let rest = w.get(i..limit)?;
        let (len, skip) = match (memchr::memchr(b'\n', rest), memchr::memmem::find(rest, b"\\n")) {
            (Some(a), Some(b)) if b < a => (b, 2),
            (Some(a), _) => (a, 1),
            (None, Some(b)) => (b, 2),
            (None, None) => (rest.len(), 0),
        };
        let line = rest.get(..len)?;
        let trimmed = line.trim_ascii();
        let next = i + len + skip;
        if first {
            // The rest of the header line must be empty.
            first = false;
            if !trimmed.is_empty() {
                return None;
            }
        } else if trimmed.starts_with(b"-----END ") {
            // An END line with no body before it is not a key.
            body_end?;
            let close = memchr::memmem::find(trimmed.get(9..)?, b"-----")?;
            let lead = line.len() - line.trim_ascii_start().len();
            return Some(i + lead + 9 + close + 5);
        } else if trimmed.is_empty() {
            // Blank lines are allowed before the body (after armour headers).
            if body_end.is_some() {
                return body_end;
            }
        } else if body_end.is_none() && trimmed.contains(&b':') && headers < 8 {
            headers += 1;
        } else if trimmed.len() >= 4
            && trimmed.len() <= 100
            && trimmed.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
        {
            if body_end.is_none() && trimmed.len() < 16 {
                return None;
            }
            body_end = Some(i + line.trim_ascii_end().len());
        } else {
            return body_end;
        }
        if skip == 0 {
            break;
        }
        i = next;
    }
    body_end
}

fn month_number(name: &[u8]) -> Option<u32> {
    let n = name.to_ascii_lowercase();
    let p = n.get(..3)?;
    let names: [&[u8]; 12] =
        [b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"];
    names.iter().position(|m| *m == p).and_then(|i| u32::try_from(i + 1).ok())
}

/// A real calendar date between 1900 and 2099, in any of the matched layouts (day/month order
/// ambiguous: either reading may hold).
fn date_ok(t: &[u8]) -> bool {
    let fields: Vec<&[u8]> =
        t.split(|b| matches!(b, b'-' | b'/' | b'.' | b' ' | b',')).filter(|f| !f.is_empty()).collect();
    let year_ok = |y: u32| (1900..=2099).contains(&y);
    match fields.as_slice() {
        [a, b, c]
            if a.iter().all(u8::is_ascii_digit)
                && b.iter().all(u8::is_ascii_digit)
                && c.iter().all(u8::is_ascii_digit) =>
        {
            if a.len() == 4 {
                year_ok(num(a)) && checks::valid_date(num(a), num(b), num(c))
            } else {
                let y = num(c);
                year_ok(y) && (checks::valid_date(y, num(a), num(b)) || checks::valid_date(y, num(b), num(a)))
            }
        }
        [a, b, c] => {
            let y = num(c);
            let (mname, day) = if a.first().is_some_and(u8::is_ascii_alphabetic) { (a, b) } else { (b, a) };
            match month_number(mname) {
                Some(mo) => year_ok(y) && checks::valid_date(y, mo, num(day)),
                None => false,
            }
        }
        _ => false,
    }
}

/// Number plans: E.164 at most 15 digits (ITU-T E.164 §6); NANP numbers have area code and
/// exchange starting 2–9; Korean numbers 9–11 digits with a 0 trunk prefix; UK numbers 11 digits.
fn phone_ok(t: &[u8]) -> Option<&'static str> {
    let d = digits_of(t);
    let nanp = |n: &[u8]| {
        n.len() == 10 && n.first().is_some_and(|c| *c >= b'2') && n.get(3).is_some_and(|c| *c >= b'2')
    };
    if t.first() == Some(&b'+') {
        if !(8..=15).contains(&d.len()) {
            return None;
        }
        return match d.first() {
            Some(b'1') => d.get(1..).is_some_and(nanp).then_some("E.164 (NANP)"),
            Some(b'4') if d.starts_with(b"44") => matches!(d.len(), 11 | 12).then_some("E.164 (UK)"),
            Some(b'8') if d.starts_with(b"82") => matches!(d.len(), 10..=12).then_some("E.164 (Korea)"),
            Some(b'0') | None => None,
            Some(_) => Some("E.164"),
        };
    }
    if d.first() == Some(&b'0') {
        return if t.contains(&b'-') {
            (9..=11).contains(&d.len()).then_some("Korean national format")
        } else {
            (d.len() == 11).then_some("UK national format")
        };
    }
    nanp(&d).then_some("US national format")
}
