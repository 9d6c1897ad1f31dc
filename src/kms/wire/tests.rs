//! The wire layer with requests signed as the AWS SDKs sign them (headers `host`, `x-amz-date`,
//! `x-amz-target`, `content-type`; the body's SHA-256), and each refusal with AWS's exception
//! and status.

use serde_json::{json, Value};

use super::*;
use crate::kms::sigv4::{canonical_request, signature, signing_key, string_to_sign, Request};

const NOW: i64 = 1_780_000_000;

struct Signer {
    id: String,
    secret: String,
    region: String,
    service: String,
    date: i64,
}

fn amz(t: i64) -> String {
    crate::kms::time::iso8601(t).replace(['-', ':'], "")
}

impl Signer {
    fn headers(&self, target: &str, body: &[u8]) -> Vec<(String, String)> {
        let d = amz(self.date);
        let mut h = vec![
            ("Host".to_string(), "127.0.0.1:4599".to_string()),
            ("X-Amz-Date".to_string(), d.clone()),
            ("X-Amz-Target".to_string(), target.to_string()),
            ("Content-Type".to_string(), CONTENT_TYPE.to_string()),
        ];
        let signed: Vec<String> =
            ["content-type", "host", "x-amz-date", "x-amz-target"].map(String::from).to_vec();
        let req = Request { method: "POST", path: "/", headers: &h, body };
        let day = d.get(..8).unwrap().to_string();
        let scope = format!("{day}/{}/{}/aws4_request", self.region, self.service);
        let sts = string_to_sign(&d, &scope, &canonical_request(&req, &signed).unwrap());
        let sig = signature(&signing_key(&self.secret, &day, &self.region, &self.service), &sts);
        h.push((
            "Authorization".into(),
            format!(
                "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={}, Signature={sig}",
                self.id,
                signed.join(";")
            ),
        ));
        h
    }
}

fn world() -> (World, Signer) {
    let mut w = World::new();
    let c = access_keys::admin(&mut w).unwrap();
    let s = Signer {
        id: c.access_key_id,
        secret: c.secret.to_string(),
        region: "us-east-1".into(),
        service: "kms".into(),
        date: NOW,
    };
    (w, s)
}

fn send(w: &mut World, headers: &[(String, String)], body: &[u8]) -> (u16, Value, HttpResponse) {
    let r = handle(
        w,
        &HttpRequest {
            method: "POST",
            path: "/",
            headers,
            body,
            source_ip: Some("192.0.2.7"),
            now: Some(NOW),
        },
    );
    (r.status, serde_json::from_str(&r.body).unwrap(), r)
}

fn call(w: &mut World, s: &Signer, op: &str, body: &Value) -> (u16, Value, HttpResponse) {
    let b = body.to_string();
    let h = s.headers(&format!("TrentService.{op}"), b.as_bytes());
    send(w, &h, b.as_bytes())
}

fn code(v: &Value) -> &str {
    v["__type"].as_str().unwrap_or("")
}

#[test]
fn signed_calls_run_as_the_keys_principal_from_the_peer_address() {
    let (mut w, s) = world();
    let (status, v, r) = call(&mut w, &s, "CreateKey", &json!({"Description": "wire"}));
    assert_eq!(status, 200, "{v}");
    assert!(r.mutating);
    assert!(r.headers.contains(&("Content-Type".into(), CONTENT_TYPE.into())));
    let key = v["KeyMetadata"]["KeyId"].as_str().unwrap().to_string();
    let (status, v, r) = call(&mut w, &s, "Encrypt", &json!({"KeyId": key, "Plaintext": "aGk="}));
    assert_eq!(status, 200, "{v}");
    assert!(!r.mutating);
    let (_, v, _) = call(&mut w, &s, "Decrypt", &json!({"CiphertextBlob": v["CiphertextBlob"]}));
    assert_eq!(v["Plaintext"], "aGk=");
    let last = w.audit.last().unwrap();
    assert_eq!(last["sourceIPAddress"], "192.0.2.7");
    assert_eq!(last["awsRegion"], "us-east-1");
    assert!(last["userIdentity"]["arn"].as_str().unwrap().ends_with(":role/Admin"), "{last}");
    assert!(
        !serde_json::to_string(&w.audit).unwrap().contains(&s.secret),
        "the secret reached the audit log"
    );
}

#[test]
fn the_scope_region_is_the_region_called() {
    let (mut w, mut s) = world();
    s.region = "eu-west-1".into();
    let (_, v, _) = call(&mut w, &s, "CreateKey", &json!({}));
    assert!(
        v["KeyMetadata"]["Arn"].as_str().unwrap().starts_with("arn:aws:kms:eu-west-1:111122223333:key/"),
        "{v}"
    );
    s.region = "ap-south-2".into();
    let (status, v, _) = call(&mut w, &s, "ListKeys", &json!({}));
    assert_eq!((status, code(&v)), (400, "InvalidSignatureException"), "{v}");
    s.region = "us-east-1".into();
    s.service = "s3".into();
    let (status, v, _) = call(&mut w, &s, "ListKeys", &json!({}));
    assert_eq!((status, code(&v)), (400, "InvalidSignatureException"), "{v}");
}

#[test]
fn authentication_failures_are_awss_exceptions() {
    let (mut w, s) = world();
    let body = b"{}";
    let mut h = s.headers("TrentService.ListKeys", body);
    // No Authorization header.
    let unsigned: Vec<_> = h.iter().filter(|(n, _)| n != "Authorization").cloned().collect();
    let (status, v, _) = send(&mut w, &unsigned, body);
    assert_eq!((status, code(&v)), (400, "MissingAuthenticationTokenException"));
    // An access key id the world does not have.
    let other = Signer { id: "AKIAAAAAAAAAAAAAAAAA".into(), ..world().1 };
    let (status, v, _) = send(&mut w, &other.headers("TrentService.ListKeys", body), body);
    assert_eq!((status, code(&v)), (400, "UnrecognizedClientException"));
    // The right id, a wrong secret.
    let wrong = Signer { secret: "x".repeat(40), ..world().1 };
    let wrong = Signer { id: s.id.clone(), ..wrong };
    let (status, v, _) = send(&mut w, &wrong.headers("TrentService.ListKeys", body), body);
    assert_eq!((status, code(&v)), (400, "InvalidSignatureException"));
    // A body changed after signing.
    let (_, v, _) = send(&mut w, &h, b"{ }");
    assert_eq!(code(&v), "InvalidSignatureException");
    // Signed an hour ago.
    let stale = Signer { date: NOW - 3600, id: s.id.clone(), secret: s.secret.clone(), ..world().1 };
    let (_, v, _) = send(&mut w, &stale.headers("TrentService.ListKeys", body), body);
    assert!(v["message"].as_str().unwrap().starts_with("Signature expired"), "{v}");
    // A header that does not read.
    if let Some(a) = h.iter_mut().find(|(n, _)| n == "Authorization") {
        a.1 = "AWS4-HMAC-SHA256 Credential=junk".into();
    }
    let (status, v, _) = send(&mut w, &h, body);
    assert_eq!((status, code(&v)), (400, "IncompleteSignatureException"));
    assert!(w.audit.is_empty(), "an unauthenticated request reached the engine");
}

#[test]
fn protocol_errors_are_awss_exceptions() {
    let (mut w, s) = world();
    let (status, v, r) = call(&mut w, &s, "NoSuchOperation", &json!({}));
    assert_eq!((status, code(&v)), (400, "UnknownOperationException"), "{v}");
    assert!(!r.mutating);
    let (_, v, _) = send(&mut w, &s.headers("KmsService.ListKeys", b"{}"), b"{}");
    assert_eq!(code(&v), "UnknownOperationException");
    for bad in [&b"{"[..], b"[1]", b"\"x\"", b"\xff\xfe"] {
        let (status, v, _) = send(&mut w, &s.headers("TrentService.ListKeys", bad), bad);
        assert_eq!((status, code(&v)), (400, "SerializationException"), "{bad:?}");
    }
    let (status, v, _) = send(&mut w, &s.headers("TrentService.ListKeys", b""), b"");
    assert_eq!(status, 200, "an empty body reads as {{}}: {v}");
    let (status, v, _) = call(&mut w, &s, "DescribeKey", &json!({"KeyId": "alias/none"}));
    assert_eq!((status, code(&v)), (400, "NotFoundException"));
    let (status, v, _) = call(&mut w, &s, "Encrypt", &json!({"KeyId": 7}));
    assert_eq!((status, code(&v)), (400, "SerializationException"), "{v}");
}

#[test]
fn sizes_are_bounded_before_reading() {
    let (mut w, s) = world();
    let big = vec![b' '; MAX_BODY + 1];
    let (status, v, _) = send(&mut w, &s.headers("TrentService.ListKeys", &big), &big);
    assert_eq!((status, code(&v)), (413, "RequestEntityTooLargeException"));
    let many: Vec<(String, String)> = (0..=MAX_HEADERS).map(|i| (format!("x-{i}"), "v".into())).collect();
    let (status, v, _) = send(&mut w, &many, b"{}");
    assert_eq!((status, code(&v)), (400, "SerializationException"));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (status, v, _) = send(&mut w, &s.headers("TrentService.ListKeys", deep.as_bytes()), deep.as_bytes());
    assert_eq!((status, code(&v)), (400, "SerializationException"));
}

#[test]
fn statuses_follow_the_model_faults() {
    assert_eq!(status_of("KMSInternalException"), 500);
    assert_eq!(status_of("KeyUnavailableException"), 500);
    assert_eq!(status_of("DependencyTimeoutException"), 503);
    assert_eq!(status_of("NotFoundException"), 400);
    assert_eq!(status_of("AccessDeniedException"), 400);
}

#[test]
fn access_keys_survive_a_snapshot_and_stay_out_of_debug() {
    let (mut w, s) = world();
    let c = access_keys::admin(&mut w).unwrap();
    assert_eq!(c.access_key_id, s.id, "the admin keeps one key");
    assert_eq!(c.access_key_id.len(), 20);
    assert!(c.access_key_id.starts_with("ASIA"));
    assert_eq!(c.secret.len(), 40);
    let back = crate::kms::snapshot::restore(&crate::kms::snapshot::snapshot(&w).unwrap()).unwrap();
    assert_eq!(back.access_keys.get(&s.id).unwrap().secret.as_str(), s.secret);
    assert!(!format!("{w:?}").contains(&s.secret));
    w.add_principal("arn:aws:iam::111122223333:user/bob", None).unwrap();
    let bob = access_keys::create(&mut w, "arn:aws:iam::111122223333:user/bob").unwrap();
    assert!(bob.access_key_id.starts_with("AKIA"));
    assert!(access_keys::create(&mut w, "arn:aws:iam::111122223333:user/nobody").is_err());
}
