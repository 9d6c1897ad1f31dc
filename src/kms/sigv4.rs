//! AWS Signature Version 4, the verifying side: reads an `Authorization: AWS4-HMAC-SHA256 …`
//! header, rebuilds the canonical request and the string to sign from the HTTP request as
//! received, derives the signing key from the secret and compares signatures in constant time.
//!
//! What is checked, as AWS checks it: the algorithm (`AWS4-HMAC-SHA256`), the credential scope
//! (`KEYID/YYYYMMDD/REGION/SERVICE/aws4_request`, its date equal to the `X-Amz-Date` day), that
//! `host` is among the signed headers and every signed header is present, the canonical request
//! (method, URI path encoded once more with dot segments removed, the query sorted and
//! re-encoded, signed headers lowercased, values trimmed with inner spaces collapsed, duplicates
//! joined with `,`, and the SHA-256 of the body as received), and that `X-Amz-Date` lies within
//! [`MAX_SKEW`] of the clock the caller passes (the endpoint passes the wall clock).
//!
//! What is not: presigned URLs (query-string authentication), chunked (streaming) payloads, and
//! SigV4a. The service name and the region are returned for the caller to check.
//! No secret is ever part of an error message.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// How far `X-Amz-Date` may be from the verifier's clock, either way (AWS: 15 minutes).
pub const MAX_SKEW: i64 = 15 * 60;
/// The only algorithm accepted.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The longest `Authorization` value read.
pub const MAX_AUTHORIZATION: usize = 4096;
/// The most headers a signature may name.
pub const MAX_SIGNED_HEADERS: usize = 64;

/// Why a request's signature is refused; [`SigError::code`] is AWS's exception name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SigError {
    /// No `Authorization` header (`MissingAuthenticationTokenException`).
    #[error("Missing Authentication Token")]
    Missing,
    /// An `Authorization` header that does not read (`IncompleteSignatureException`).
    #[error("{0}")]
    Incomplete(String),
    /// A signature that does not match, or a request outside its validity (`InvalidSignatureException`).
    #[error("{0}")]
    Invalid(String),
}

impl SigError {
    /// The AWS exception name.
    pub fn code(&self) -> &'static str {
        match self {
            SigError::Missing => "MissingAuthenticationTokenException",
            SigError::Incomplete(_) => "IncompleteSignatureException",
            SigError::Invalid(_) => "InvalidSignatureException",
        }
    }
}

/// The message AWS gives when the signatures differ.
pub const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";

/// The parts of an `Authorization` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authorization {
    pub access_key_id: String,
    /// `YYYYMMDD`.
    pub date: String,
    pub region: String,
    pub service: String,
    /// Lowercase names, in the order the client listed them.
    pub signed_headers: Vec<String>,
    /// 64 lowercase hex digits.
    pub signature: String,
}

impl Authorization {
    /// `YYYYMMDD/REGION/SERVICE/aws4_request`.
    pub fn scope(&self) -> String {
        format!("{}/{}/{}/aws4_request", self.date, self.region, self.service)
    }
}

/// One HTTP request as received: `path` is the request target (path and query, still encoded).
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    pub path: &'a str,
    /// Header names in any case; a name may repeat.
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

impl Request<'_> {
    /// The values of a header (case-insensitive name), joined with `,` as SigV4 joins them.
    pub fn header(&self, name: &str) -> Option<String> {
        let mut values =
            self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| trim_value(v));
        let first = values.next()?;
        Some(values.fold(first, |acc, v| acc + "," + &v))
    }
}

fn incomplete(what: &str) -> SigError {
    SigError::Incomplete(format!(
        "Authorization header requires {what}; the form is `AWS4-HMAC-SHA256 Credential=KEYID/YYYYMMDD/REGION/SERVICE/aws4_request, SignedHeaders=host;x-amz-date, Signature=HEX`"
    ))
}

/// Reads an `Authorization` header value.
pub fn parse_authorization(value: &str) -> Result<Authorization, SigError> {
    if value.len() > MAX_AUTHORIZATION {
        return Err(SigError::Incomplete("the Authorization header is too long".into()));
    }
    let rest = value
        .trim()
        .strip_prefix(ALGORITHM)
        .filter(|r| r.starts_with(' '))
        .ok_or_else(|| SigError::Incomplete(format!("only the {ALGORITHM} algorithm is supported")))?;
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (name, v) = part.trim().split_once('=').ok_or_else(|| incomplete("name=value parts"))?;
        match name {
            "Credential" => credential = Some(v),
            "SignedHeaders" => signed = Some(v),
            "Signature" => signature = Some(v),
            _ => return Err(incomplete("only Credential, SignedHeaders and Signature")),
        }
    }
    let credential = credential.ok_or_else(|| incomplete("a Credential"))?;
    let signed = signed.ok_or_else(|| incomplete("a SignedHeaders list"))?;
    let signature = signature.ok_or_else(|| incomplete("a Signature"))?;
    let mut c = credential.split('/');
    let (Some(id), Some(date), Some(region), Some(service), Some(term), None) =
        (c.next(), c.next(), c.next(), c.next(), c.next(), c.next())
    else {
        return Err(incomplete("a Credential of five parts separated by `/`"));
    };
    if term != "aws4_request" {
        return Err(SigError::Invalid(format!(
            "Credential should be scoped with a valid terminator: 'aws4_request', not '{term}'"
        )));
    }
    if id.is_empty() || id.len() > 128 || !id.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(incomplete("an access key id of letters and digits"));
    }
    if date.len() != 8 || !date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(incomplete("a credential date of the form YYYYMMDD"));
    }
    let name_ok =
        |s: &str| !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
    if !name_ok(region) || !name_ok(service) {
        return Err(incomplete("a region and a service name in the credential"));
    }
    let signed_headers: Vec<String> = signed.split(';').map(str::to_string).collect();
    if signed_headers.len() > MAX_SIGNED_HEADERS
        || signed_headers.iter().any(|h| h.is_empty() || h.len() > 256)
    {
        return Err(incomplete("a SignedHeaders list of at most 64 names separated by `;`"));
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(incomplete("a Signature of 64 hex digits"));
    }
    Ok(Authorization {
        access_key_id: id.to_string(),
        date: date.to_string(),
        region: region.to_string(),
        service: service.to_string(),
        signed_headers,
        signature: signature.to_ascii_lowercase(),
    })
}

/// The characters SigV4 leaves unencoded.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

fn encode(bytes: &[u8], keep_slash: bool, out: &mut String) {
    for &b in bytes {
        if unreserved(b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes; a `%` not followed by two hex digits stays as it is.
fn decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        let pair = (b.get(i + 1).copied().and_then(hex_value), b.get(i + 2).copied().and_then(hex_value));
        match (c, pair) {
            (b'%', (Some(h), Some(l))) => {
                out.push(h << 4 | l);
                i += 3;
            }
            _ => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// The canonical URI: dot segments removed, then every byte but unreserved ones and `/` encoded
/// (so an already encoded path is encoded twice, as SigV4 does for every service but S3).
pub fn canonical_uri(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for s in path.split('/') {
        match s {
            "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(s),
        }
    }
    let mut joined = segments.join("/");
    if !joined.starts_with('/') {
        joined.insert(0, '/');
    }
    let mut out = String::with_capacity(joined.len());
    encode(joined.as_bytes(), true, &mut out);
    out
}

/// The canonical query: names and values decoded, re-encoded, sorted by name then value.
pub fn canonical_query(query: &str) -> String {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            let (mut name, mut value) = (String::new(), String::new());
            encode(&decode(n), false, &mut name);
            encode(&decode(v), false, &mut value);
            (name, value)
        })
        .collect();
    pairs.sort();
    pairs.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("&")
}

/// A header value trimmed, inner runs of spaces collapsed to one.
fn trim_value(v: &str) -> String {
    v.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The canonical request for the headers named in `signed` (lowercase, in that order).
pub fn canonical_request(req: &Request<'_>, signed: &[String]) -> Result<String, SigError> {
    let (path, query) = req.path.split_once('?').unwrap_or((req.path, ""));
    let mut headers = String::new();
    for name in signed {
        let v = req
            .header(name)
            .ok_or_else(|| SigError::Invalid(format!("the signed header `{name}` is not in the request")))?;
        headers.push_str(name);
        headers.push(':');
        headers.push_str(&v);
        headers.push('\n');
    }
    Ok(format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        req.method,
        canonical_uri(path),
        canonical_query(query),
        headers,
        signed.join(";"),
        hex(&Sha256::digest(req.body))
    ))
}

/// `AWS4-HMAC-SHA256\nDATE\nSCOPE\nhex(SHA-256(canonical request))`.
pub fn string_to_sign(amz_date: &str, scope: &str, canonical_request: &str) -> String {
    format!("{ALGORITHM}\n{amz_date}\n{scope}\n{}", hex(&Sha256::digest(canonical_request.as_bytes())))
}

fn hmac(key: &[u8], data: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut out = Zeroizing::new([0u8; 32]);
    // HMAC takes keys of any length: `new_from_slice` cannot fail for it.
    if let Ok(mut m) = <Hmac<Sha256> as KeyInit>::new_from_slice(key) {
        m.update(data);
        out.copy_from_slice(&m.finalize().into_bytes());
    }
    out
}

/// The signing key: HMAC chain over `AWS4` + secret, the date, the region, the service, `aws4_request`.
pub fn signing_key(secret: &str, date: &str, region: &str, service: &str) -> Zeroizing<[u8; 32]> {
    let k0 = Zeroizing::new(format!("AWS4{secret}"));
    let k1 = hmac(k0.as_bytes(), date.as_bytes());
    let k2 = hmac(k1.as_slice(), region.as_bytes());
    let k3 = hmac(k2.as_slice(), service.as_bytes());
    hmac(k3.as_slice(), b"aws4_request")
}

/// The signature (lowercase hex) of a string to sign.
pub fn signature(key: &[u8; 32], string_to_sign: &str) -> String {
    hex(hmac(key, string_to_sign.as_bytes()).as_slice())
}

/// Epoch seconds of an `X-Amz-Date` (`YYYYMMDDTHHMMSSZ`).
pub fn parse_amz_date(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() != 16 || b.get(8) != Some(&b'T') || b.get(15) != Some(&b'Z') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<i64> { s.get(r)?.parse::<u32>().ok().map(i64::from) };
    let (y, m, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (hh, mm, ss) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 60 {
        return None;
    }
    Some(days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss)
}

/// Days since 1970-01-01 of a date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Verifies a request signed with `secret` under `auth` (already parsed, its key id looked up),
/// at `now` (epoch seconds; `None` skips the freshness check).
pub fn verify(
    req: &Request<'_>,
    auth: &Authorization,
    secret: &str,
    now: Option<i64>,
) -> Result<(), SigError> {
    if !auth.signed_headers.iter().any(|h| h == "host") {
        return Err(SigError::Invalid("'Host' must be a 'SignedHeader' in the AWS Authorization.".into()));
    }
    let amz_date = req.header("x-amz-date").ok_or_else(|| {
        SigError::Incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.".into(),
        )
    })?;
    let t = parse_amz_date(&amz_date).ok_or_else(|| {
        SigError::Incomplete(format!("`{amz_date}` is not an X-Amz-Date of the form YYYYMMDDTHHMMSSZ"))
    })?;
    if amz_date.get(..8) != Some(auth.date.as_str()) {
        return Err(SigError::Invalid(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{amz_date}'.",
            auth.date,
            amz_date.get(..8).unwrap_or("")
        )));
    }
    if let Some(now) = now {
        if t < now - MAX_SKEW {
            return Err(SigError::Invalid(format!(
                "Signature expired: {amz_date} is now earlier than {} ({} - 15 min.)",
                amz(now - MAX_SKEW),
                amz(now)
            )));
        }
        if t > now + MAX_SKEW {
            return Err(SigError::Invalid(format!(
                "Signature not yet current: {amz_date} is still later than {} ({} + 15 min.)",
                amz(now + MAX_SKEW),
                amz(now)
            )));
        }
    }
    let canonical = canonical_request(req, &auth.signed_headers)?;
    let sts = string_to_sign(&amz_date, &auth.scope(), &canonical);
    let key = signing_key(secret, &auth.date, &auth.region, &auth.service);
    let expected = signature(&key, &sts);
    if bool::from(expected.as_bytes().ct_eq(auth.signature.as_bytes())) {
        Ok(())
    } else {
        Err(SigError::Invalid(MISMATCH.into()))
    }
}

/// `YYYYMMDDTHHMMSSZ` of epoch seconds.
fn amz(t: i64) -> String {
    super::time::iso8601(t).replace(['-', ':'], "")
}

#[cfg(test)]
mod tests;
