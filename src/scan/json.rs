//! The JSON layer: options in, the report out. The JS API and the page call these.
//!
//! Options: `{types?: string[], maxFindings?: number, mimeType?: string}`. The report:
//! `{findings, counts, bytesScanned, truncated, finding}` where `finding` is the Macie-shaped
//! sensitive data finding (see `macie`) or `null`.

use serde_json::{json, Map, Value};

use super::error::ScanError;
use super::kind::Kind;
use super::macie;
use super::stream::{self, Options, Report, Scanner};

/// Options read from JSON, with the MIME type the Macie finding reports.
#[derive(Debug, Clone)]
pub struct JsonOptions {
    /// Engine options.
    pub options: Options,
    /// `mimeType` (default `text/plain`).
    pub mime_type: String,
}

/// Reads `{types?, maxFindings?, mimeType?}` (`null` for all defaults).
pub fn options(v: &Value) -> Result<JsonOptions, ScanError> {
    let mut out = JsonOptions { options: Options::default(), mime_type: "text/plain".to_owned() };
    let obj = match v {
        Value::Null => return Ok(out),
        Value::Object(o) => o,
        _ => {
            return Err(ScanError::option("", "options must be an object {types?, maxFindings?, mimeType?}"))
        }
    };
    for (name, value) in obj {
        match name.as_str() {
            "types" => {
                let Value::Array(list) = value else {
                    return Err(ScanError::option("/types", "must be an array of type ids"));
                };
                for (i, t) in list.iter().enumerate() {
                    let id = t.as_str().unwrap_or("");
                    let Some(k) = Kind::from_id(id) else {
                        let known: Vec<&str> = Kind::ALL.iter().map(|k| k.id()).collect();
                        return Err(ScanError::option(
                            &format!("/types/{i}"),
                            format!("unknown type `{id}`, must be one of: {}", known.join(", ")),
                        ));
                    };
                    out.options.kinds.push(k);
                }
            }
            "maxFindings" => {
                let n = value.as_u64().filter(|n| *n as usize <= stream::LIMIT_MAX_FINDINGS);
                let Some(n) = n else {
                    return Err(ScanError::option(
                        "/maxFindings",
                        format!("must be a whole number from 0 to {}", stream::LIMIT_MAX_FINDINGS),
                    ));
                };
                out.options.max_findings = n as usize;
            }
            "mimeType" => match value.as_str() {
                Some(s) if s.len() <= 128 => out.mime_type = s.to_owned(),
                _ => {
                    return Err(ScanError::option("/mimeType", "must be a string of at most 128 characters"))
                }
            },
            other => {
                return Err(ScanError::option(
                    "",
                    format!("unknown option `{other}`, must be one of: types, maxFindings, mimeType"),
                ))
            }
        }
    }
    Ok(out)
}

/// The report as JSON.
pub fn report(r: &Report, mime_type: &str) -> Value {
    let counts: Map<String, Value> = r.counts.iter().map(|(k, n)| (k.id().to_owned(), json!(n))).collect();
    json!({
        "findings": r.findings,
        "counts": counts,
        "bytesScanned": r.bytes,
        "truncated": r.truncated,
        "finding": macie::finding(r, mime_type),
    })
}

/// Scans a whole input.
pub fn scan(input: &[u8], opts: &Value) -> Result<Value, ScanError> {
    let o = options(opts)?;
    let r = stream::scan(input, o.options)?;
    Ok(report(&r, &o.mime_type))
}

/// The streaming form for the JS class.
#[derive(Debug)]
pub struct JsonScanner {
    inner: Scanner,
    mime_type: String,
}

impl JsonScanner {
    /// A scanner with these options.
    pub fn new(opts: &Value) -> Result<Self, ScanError> {
        let o = options(opts)?;
        Ok(Self { inner: Scanner::new(o.options)?, mime_type: o.mime_type })
    }
    /// Takes a chunk; returns `{bytesScanned, total}` for progress.
    pub fn push(&mut self, chunk: &[u8]) -> Result<Value, ScanError> {
        self.inner.push(chunk)?;
        Ok(json!({"bytesScanned": self.inner.bytes_seen(), "total": self.inner.total()}))
    }
    /// The report.
    pub fn finish(&mut self) -> Result<Value, ScanError> {
        let r = self.inner.finish()?;
        Ok(report(&r, &self.mime_type))
    }
}
