//! Arbitrary bytes as an HTTP request to the local KMS endpoint (`secplay::kms::wire::handle`):
//! the first line is `METHOD PATH`, then `name: value` header lines up to an empty line, then the
//! body. Every answer is a status AWS uses with a JSON body, never a panic. Half of the inputs
//! (by the first byte) are signed with the world's administrator key after they are read, so
//! mutations get past SigV4 and reach the target, the body reader and the engine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secplay::kms::sigv4::{canonical_request, signature, signing_key, string_to_sign, Request};
use secplay::kms::wire::{access_keys, handle, HttpRequest};
use secplay::kms::World;

const NOW: i64 = 1_780_000_000;
const AMZ_DATE: &str = "20260528T202640Z";

fn split_request(data: &[u8]) -> (String, String, Vec<(String, String)>, &[u8]) {
    let (head, body) = match data.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => (&data[..i], &data[i + 4..]),
        None => (data, &b""[..]),
    };
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split("\r\n");
    let first = lines.next().unwrap_or("");
    let (method, path) = first.split_once(' ').unwrap_or((first, "/"));
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    (method.to_string(), path.to_string(), headers, body)
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let mut w = World::new();
    let Ok(admin) = access_keys::admin(&mut w) else { return };
    let (method, path, mut headers, body) = split_request(rest);
    if mode & 1 == 1 {
        headers.retain(|(n, _)| !n.eq_ignore_ascii_case("authorization") && !n.eq_ignore_ascii_case("x-amz-date"));
        headers.push(("Host".into(), "127.0.0.1:4599".into()));
        headers.push(("X-Amz-Date".into(), AMZ_DATE.into()));
        let mut signed: Vec<String> = headers.iter().map(|(n, _)| n.to_ascii_lowercase()).collect();
        signed.sort();
        signed.dedup();
        let req = Request { method: &method, path: &path, headers: &headers, body };
        let Ok(canonical) = canonical_request(&req, &signed) else { return };
        let scope = "20260528/us-east-1/kms/aws4_request";
        let sts = string_to_sign(AMZ_DATE, scope, &canonical);
        let sig = signature(&signing_key(admin.secret.as_str(), "20260528", "us-east-1", "kms"), &sts);
        headers.push((
            "Authorization".into(),
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={}, Signature={sig}",
                admin.access_key_id,
                signed.join(";")
            ),
        ));
    }
    let r = handle(
        &mut w,
        &HttpRequest {
            method: &method,
            path: &path,
            headers: &headers,
            body,
            source_ip: Some("192.0.2.1"),
            now: Some(NOW),
        },
    );
    assert!(matches!(r.status, 200 | 400 | 413 | 500 | 503), "status {}", r.status);
    let v: serde_json::Value = serde_json::from_str(&r.body).expect("every answer is JSON");
    if r.status != 200 {
        assert!(v.get("__type").and_then(|t| t.as_str()).is_some(), "an error without __type: {v}");
    }
    assert!(!r.body.contains(admin.secret.as_str()), "the secret reached a response");
});
