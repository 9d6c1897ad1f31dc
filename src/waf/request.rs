//! The HTTP request model given to `evaluate`: `{method, uri, headers: [[name, value]...],
//! body?, clientIp, country?, asn?}` parsed once into typed parts (path, query arguments,
//! cookies, fragment, forwarded addresses). No rule logic here.

use std::net::IpAddr;

use base64::Engine as _;
use serde_json::Value;

use super::error::WafError;
use super::reader::{as_array, as_str, child, Obj};

/// A request as the engine sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// HTTP method, as sent.
    pub method: String,
    /// Path and query as sent (`/a/b?x=1#frag`).
    pub uri: String,
    /// Headers in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
    /// Client (peer) address.
    pub client_ip: IpAddr,
    /// ISO country of the client address, when known.
    pub country: Option<String>,
    /// ISO 3166-2 region suffix (e.g. `CA` for `US-CA`) of the client address, when known.
    pub region: Option<String>,
    /// ASN of the client address, when known.
    pub asn: Option<u64>,
    /// Country of the forwarded address, when known.
    pub forwarded_country: Option<String>,
    /// ASN of the forwarded address, when known.
    pub forwarded_asn: Option<u64>,
    /// JA3 fingerprint, when known.
    pub ja3: Option<String>,
    /// JA4 fingerprint, when known.
    pub ja4: Option<String>,
    /// Epoch milliseconds, when given.
    pub timestamp: Option<u64>,
}

const FIELDS: &[&str] = &[
    "method",
    "uri",
    "headers",
    "body",
    "bodyBase64",
    "isBase64Encoded",
    "clientIp",
    "country",
    "region",
    "asn",
    "forwardedCountry",
    "forwardedAsn",
    "ja3",
    "ja4",
    "timestamp",
];

/// Largest body accepted by the playground (bodies beyond every inspection limit are cut).
pub const MAX_BODY: usize = 1 << 20;

impl Request {
    /// Parses the JSON request shape.
    pub fn from_json(value: &Value) -> Result<Self, WafError> {
        let o = Obj::new(value, "", FIELDS)?;
        let method = o.opt_str("method")?.unwrap_or("GET").to_owned();
        let uri = o.opt_str("uri")?.unwrap_or("/").to_owned();
        let items = o.opt_items("headers")?;
        let mut headers = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            // Pointers are built only for errors (this runs for every request evaluated).
            let ptr = || child(&o.at("headers"), &i.to_string());
            match item.as_array().map(Vec::as_slice) {
                Some([n, v]) => match (n.as_str(), v.as_str()) {
                    (Some(n), Some(v)) => headers.push((n.to_owned(), v.to_owned())),
                    _ => {
                        as_str(n, &child(&ptr(), "0"))?;
                        as_str(v, &child(&ptr(), "1"))?;
                    }
                },
                Some(_) => return Err(WafError::request(&ptr(), "a header is a `[name, value]` pair")),
                None => {
                    as_array(item, &ptr())?;
                }
            }
        }
        let b64 = o.opt_bool("isBase64Encoded")?.unwrap_or(false);
        let body = if let Some(text) = o.opt_str("bodyBase64")? {
            decode_b64(text, &o.at("bodyBase64"))?
        } else if let Some(text) = o.opt_str("body")? {
            if b64 {
                decode_b64(text, &o.at("body"))?
            } else {
                text.as_bytes().to_vec()
            }
        } else {
            Vec::new()
        };
        if body.len() > MAX_BODY {
            return Err(WafError::request(
                &o.at("body"),
                format!("the body is larger than {MAX_BODY} bytes"),
            ));
        }
        let ip_text = o.opt_str("clientIp")?.unwrap_or("127.0.0.1");
        let client_ip = parse_ip(ip_text).ok_or_else(|| {
            WafError::request(&o.at("clientIp"), format!("`{ip_text}` is not an IPv4 or IPv6 address"))
        })?;
        let asn = |name: &str| -> Result<Option<u64>, WafError> {
            Ok(o.opt_i64(name)?.and_then(|v| u64::try_from(v).ok()))
        };
        let upper = |name: &str| -> Result<Option<String>, WafError> {
            Ok(o.opt_str(name)?.map(|s| s.to_ascii_uppercase()))
        };
        Ok(Self {
            method,
            uri,
            headers,
            body,
            client_ip,
            country: upper("country")?,
            region: upper("region")?,
            asn: asn("asn")?,
            forwarded_country: upper("forwardedCountry")?,
            forwarded_asn: asn("forwardedAsn")?,
            ja3: o.opt_str("ja3")?.map(str::to_owned),
            ja4: o.opt_str("ja4")?.map(str::to_owned),
            timestamp: o.opt_i64("timestamp")?.and_then(|v| u64::try_from(v).ok()),
        })
    }

    /// A minimal request (for tests and examples).
    pub fn get(uri: &str, client_ip: IpAddr) -> Self {
        Self {
            method: "GET".to_owned(),
            uri: uri.to_owned(),
            headers: Vec::new(),
            body: Vec::new(),
            client_ip,
            country: None,
            region: None,
            asn: None,
            forwarded_country: None,
            forwarded_asn: None,
            ja3: None,
            ja4: None,
            timestamp: None,
        }
    }

    fn split_fragment(&self) -> (&str, Option<&str>) {
        // `#` and `?` are ASCII: a byte search finds the same place as a char search, and
        // splitting there stays on a character boundary (this runs for every rule inspecting
        // the URI).
        match memchr::memchr(b'#', self.uri.as_bytes()) {
            Some(i) => (self.uri.get(..i).unwrap_or_default(), self.uri.get(i + 1..)),
            None => (self.uri.as_str(), None),
        }
    }

    fn split_query(&self) -> (&str, &str) {
        let (u, _) = self.split_fragment();
        match memchr::memchr(b'?', u.as_bytes()) {
            Some(i) => (u.get(..i).unwrap_or_default(), u.get(i + 1..).unwrap_or_default()),
            None => (u, ""),
        }
    }

    /// The path, not normalised.
    pub fn path(&self) -> &str {
        self.split_query().0
    }

    /// The query string without `?` (empty when absent).
    pub fn query(&self) -> &str {
        self.split_query().1
    }

    /// The fragment after `#`, when present.
    pub fn fragment(&self) -> Option<&str> {
        self.split_fragment().1
    }

    /// Query arguments as (name, value), raw (not URL-decoded), in order.
    pub fn query_args(&self) -> Vec<(&str, &str)> {
        self.query()
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| p.split_once('=').unwrap_or((p, "")))
            .collect()
    }

    /// Values of the headers named `name` (case-insensitive).
    pub fn header_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers.iter().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Cookies from every `Cookie` header, as (name, value), in order.
    pub fn cookies(&self) -> Vec<(&str, &str)> {
        self.header_values("cookie")
            .flat_map(|h| h.split(';'))
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .map(|c| c.split_once('=').unwrap_or((c, "")))
            .collect()
    }

    /// Addresses in the forwarded header `name`, in order; `None` if the header is absent or
    /// any entry is not an address (AWS then applies the fallback behaviour).
    pub fn forwarded_ips(&self, name: &str) -> Option<Vec<IpAddr>> {
        let value = self.header_values(name).next()?;
        value.split(',').map(|p| parse_ip(p.trim())).collect()
    }
}

/// Parses an address; IPv6 may be bracketed and IPv4 may carry a port.
pub fn parse_ip(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip);
    }
    let unbracketed = text.strip_prefix('[').and_then(|t| t.split_once(']')).map(|(a, _)| a);
    if let Some(inner) = unbracketed {
        return inner.parse().ok();
    }
    text.rsplit_once(':').and_then(|(a, _)| a.parse::<std::net::Ipv4Addr>().ok()).map(IpAddr::V4)
}

fn decode_b64(text: &str, pointer: &str) -> Result<Vec<u8>, WafError> {
    if text.len() > MAX_BODY / 3 * 4 + 4 {
        return Err(WafError::request(pointer, format!("the body is larger than {MAX_BODY} bytes")));
    }
    base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|_| WafError::request(pointer, "the body is not valid base64"))
}
