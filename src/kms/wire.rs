//! The KMS wire protocol (AWS JSON 1.1), the server side: one HTTP request in (method, target,
//! headers, body bytes), one HTTP response out (status, headers, body). The local endpoint
//! `secplay-kms-server` is a thin `node:http` loop over [`handle`]; this module holds every
//! decision, so it is tested natively and fuzzed.
//!
//! In order, as AWS answers:
//! 1. sizes: at most [`MAX_HEADERS`] headers of at most [`MAX_HEADER_BYTES`] each, a body of at
//!    most [`MAX_BODY`] (checked before anything is copied): `413 RequestEntityTooLargeException`
//!    or `400 SerializationException` otherwise;
//! 2. SigV4 ([`super::sigv4`]): no `Authorization` → `MissingAuthenticationTokenException`, an
//!    unknown access key id → `UnrecognizedClientException`, a credential scope whose service is
//!    not `kms` or whose region is not one of the world's, a stale `X-Amz-Date` (more than 15
//!    minutes from the clock the caller passes: the endpoint passes the wall clock, since
//!    clients sign with it; the world's simulated clock is separate), or a wrong signature →
//!    `InvalidSignatureException`; a header that does not read → `IncompleteSignatureException`;
//! 3. `POST /` only; `X-Amz-Target: TrentService.<Operation>` (else `UnknownOperationException`);
//!    `Content-Type: application/x-amz-json-1.1` (or `application/json`);
//! 4. the body: a JSON object (an empty body reads as `{}`), else `SerializationException`;
//! 5. the operation through [`super::json::call`], as the key's principal, in the scope's region,
//!    from the peer's address (`sourceIp`): `200` with the response, or the exception's body
//!    `{"__type", "message"}` with AWS's status — `500` for `KMSInternalException` and
//!    `KeyUnavailableException`, `503` for `DependencyTimeoutException`, `400` for the rest.
//!
//! Every response has `Content-Type: application/x-amz-json-1.1` and an `x-amzn-RequestId`.

pub mod access_keys;

use serde_json::{json, Value};

use super::error::KmsError;
use super::ops::crypto::CRYPTO_OPERATIONS;
use super::sigv4::{self, SigError};
use super::world::World;

/// The largest request body read (KMS's largest requests, ImportKeyMaterial and policies, are far smaller).
pub const MAX_BODY: usize = 1 << 20;
/// The most request headers read.
pub const MAX_HEADERS: usize = 100;
/// The longest header (name and value) read.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;
/// The prefix of every KMS `X-Amz-Target`.
pub const TARGET_PREFIX: &str = "TrentService.";
/// The content type of requests and responses.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// One HTTP request as the server received it.
#[derive(Debug, Clone, Copy)]
pub struct HttpRequest<'a> {
    pub method: &'a str,
    /// The request target: path and query, as sent.
    pub path: &'a str,
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
    /// The peer's IP address (`aws:SourceIp`, CloudTrail's `sourceIPAddress`).
    pub source_ip: Option<&'a str>,
    /// The verifier's clock for `X-Amz-Date` freshness, epoch seconds (`None`: not checked).
    pub now: Option<i64>,
}

/// The answer.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    /// JSON text.
    pub body: String,
    /// The operation run, when the request reached the engine.
    pub operation: Option<String>,
    /// Whether the operation may have changed keys, aliases, grants or policies (not a read-only
    /// call in CloudTrail's sense): the endpoint persists its world at once after these.
    pub mutating: bool,
}

/// The HTTP status AWS uses for an exception.
pub fn status_of(exception: &str) -> u16 {
    match exception {
        "KMSInternalException" | "KeyUnavailableException" | "InternalFailure" => 500,
        "DependencyTimeoutException" | "ServiceUnavailableException" => 503,
        "RequestEntityTooLargeException" => 413,
        _ => 400,
    }
}

/// Whether an operation is read-only in CloudTrail's sense (as the audit log marks it).
pub fn read_only(operation: &str) -> bool {
    operation.starts_with("Describe")
        || operation.starts_with("Get")
        || operation.starts_with("List")
        || CRYPTO_OPERATIONS.contains(&operation)
        || operation == "GenerateRandom"
}

fn request_id() -> String {
    super::ops::uuid().unwrap_or_else(|_| "00000000-0000-4000-8000-000000000000".into())
}

fn respond(status: u16, body: &Value, operation: Option<&str>) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![
            ("Content-Type".into(), CONTENT_TYPE.into()),
            ("x-amzn-RequestId".into(), request_id()),
        ],
        body: body.to_string(),
        operation: operation.map(str::to_string),
        mutating: operation.is_some_and(|o| super::ops::OPERATIONS.contains(&o) && !read_only(o)),
    }
}

/// An error response `{"__type", "message"}` for a protocol-level exception.
pub fn error(exception: &str, message: &str) -> HttpResponse {
    respond(status_of(exception), &json!({ "__type": exception, "message": message }), None)
}

fn kms_error(e: &KmsError, operation: Option<&str>) -> HttpResponse {
    respond(status_of(e.code()), &e.to_json(), operation)
}

fn sig_error(e: &SigError) -> HttpResponse {
    error(e.code(), &e.to_string())
}

fn header<'a>(req: &'a HttpRequest<'_>, name: &str) -> Option<&'a str> {
    req.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
}

/// Answers one HTTP request against the world.
pub fn handle(w: &mut World, req: &HttpRequest<'_>) -> HttpResponse {
    if req.body.len() > MAX_BODY {
        return error(
            "RequestEntityTooLargeException",
            &format!("the request body is over {MAX_BODY} bytes"),
        );
    }
    if req.headers.len() > MAX_HEADERS
        || req.headers.iter().any(|(n, v)| n.len() + v.len() > MAX_HEADER_BYTES)
        || req.path.len() > MAX_HEADER_BYTES
    {
        return error(
            "SerializationException",
            &format!("at most {MAX_HEADERS} headers of at most {MAX_HEADER_BYTES} bytes each are read"),
        );
    }
    // 2. SigV4.
    let Some(authorization) = header(req, "authorization") else {
        return sig_error(&SigError::Missing);
    };
    let auth = match sigv4::parse_authorization(authorization) {
        Ok(a) => a,
        Err(e) => return sig_error(&e),
    };
    let Some(key) = w.access_keys.get(&auth.access_key_id) else {
        return error(
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        );
    };
    if auth.service != "kms" {
        return sig_error(&SigError::Invalid(format!(
            "Credential should be scoped to correct service: 'kms', not '{}'.",
            auth.service
        )));
    }
    if !w.regions.contains(&auth.region) {
        return sig_error(&SigError::Invalid(format!(
            "Credential should be scoped to a valid region, not '{}'. This endpoint serves {}.",
            auth.region,
            w.regions.join(", ")
        )));
    }
    let signed = sigv4::Request { method: req.method, path: req.path, headers: req.headers, body: req.body };
    if let Err(e) = sigv4::verify(&signed, &auth, key.secret.as_str(), req.now) {
        return sig_error(&e);
    }
    let principal = key.principal.clone();
    // 3. The operation.
    let path = req.path.split_once('?').map_or(req.path, |(p, _)| p);
    if req.method != "POST" || path != "/" {
        return error(
            "UnknownOperationException",
            &format!(
                "KMS answers `POST /`, not `{} {path}`",
                req.method.chars().take(16).collect::<String>()
            ),
        );
    }
    let Some(operation) = header(req, "x-amz-target").and_then(|t| t.strip_prefix(TARGET_PREFIX)) else {
        return error(
            "UnknownOperationException",
            "the X-Amz-Target header must be `TrentService.<Operation>`",
        );
    };
    let content_type = header(req, "content-type").unwrap_or("");
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.eq_ignore_ascii_case(CONTENT_TYPE) && !media.eq_ignore_ascii_case("application/json") {
        return error("SerializationException", &format!("the Content-Type must be `{CONTENT_TYPE}`"));
    }
    // 4. The body.
    let request: Value = if req.body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match serde_json::from_slice::<Value>(req.body) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => return error("SerializationException", "the request body must be a JSON object"),
            Err(e) => {
                return error(
                    "SerializationException",
                    &format!("the request body is not JSON (line {}, column {})", e.line(), e.column()),
                )
            }
        }
    };
    // 5. The engine.
    let mut caller = json!({ "principal": principal, "region": auth.region });
    if let (Some(ip), Some(o)) = (req.source_ip, caller.as_object_mut()) {
        o.insert("sourceIp".into(), Value::String(ip.to_string()));
    }
    match super::json::call(w, operation, &request, &caller) {
        Ok(v) => respond(200, &v, Some(operation)),
        Err(e) => kms_error(&e, Some(operation)),
    }
}

#[cfg(test)]
mod tests;
