//! SigV4 against the facts AWS published: the `get-vanilla` cases of the Signature Version 4 test
//! suite (credentials `AKIDEXAMPLE`, 2015-08-30T12:36:00Z, `us-east-1`, service `service`) and the
//! signed IAM `ListUsers` POST of the General Reference's "Signed Signature Version 4 Requests
//! Examples" page; then the verifier's refusals.

use super::*;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SUITE_DATE: &str = "20150830T123600Z";

fn headers(h: &[(&str, &str)]) -> Vec<(String, String)> {
    h.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect()
}

fn sign(req: &Request<'_>, date: &str, region: &str, service: &str, signed: &[&str]) -> String {
    let signed: Vec<String> = signed.iter().map(|s| s.to_string()).collect();
    let canonical = canonical_request(req, &signed).unwrap();
    let amz_date = req.header("x-amz-date").unwrap();
    let sts = string_to_sign(&amz_date, &format!("{date}/{region}/{service}/aws4_request"), &canonical);
    signature(&signing_key(SECRET, date, region, service), &sts)
}

#[test]
fn suite_get_vanilla() {
    let h = headers(&[("Host", "example.amazonaws.com"), ("X-Amz-Date", SUITE_DATE)]);
    let req = Request { method: "GET", path: "/", headers: &h, body: b"" };
    assert_eq!(
        sign(&req, "20150830", "us-east-1", "service", &["host", "x-amz-date"]),
        "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
    );
}

#[test]
fn suite_get_vanilla_query_order_key_case() {
    let h = headers(&[("Host", "example.amazonaws.com"), ("X-Amz-Date", SUITE_DATE)]);
    let req = Request { method: "GET", path: "/?Param2=value2&Param1=value1", headers: &h, body: b"" };
    assert_eq!(canonical_query("Param2=value2&Param1=value1"), "Param1=value1&Param2=value2");
    assert_eq!(
        sign(&req, "20150830", "us-east-1", "service", &["host", "x-amz-date"]),
        "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"
    );
}

#[test]
fn general_reference_iam_list_users_post() {
    let h = headers(&[
        ("host", "iam.amazonaws.com"),
        ("Content-type", "application/x-www-form-urlencoded; charset=utf-8"),
        ("x-amz-date", "20110909T233600Z"),
    ]);
    let req =
        Request { method: "POST", path: "/", headers: &h, body: b"Action=ListUsers&Version=2010-05-08" };
    assert_eq!(
        sign(&req, "20110909", "us-east-1", "iam", &["content-type", "host", "x-amz-date"]),
        "ced6826de92d2bdeed8f846f0bf508e8559e98e4b0199114b84c54174deb456c"
    );
    let auth = parse_authorization(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20110909/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=ced6826de92d2bdeed8f846f0bf508e8559e98e4b0199114b84c54174deb456c",
    )
    .unwrap();
    assert_eq!(auth.scope(), "20110909/us-east-1/iam/aws4_request");
    let at = parse_amz_date("20110909T233600Z").unwrap();
    verify(&req, &auth, SECRET, Some(at + 60)).unwrap();
    // A wrong secret, a changed body, an old request: each refused with its own reason.
    assert_eq!(verify(&req, &auth, "not-the-secret", Some(at)), Err(SigError::Invalid(MISMATCH.into())));
    let tampered = Request { body: b"Action=ListUsers&Version=2010-05-09", ..req };
    assert_eq!(verify(&tampered, &auth, SECRET, Some(at)), Err(SigError::Invalid(MISMATCH.into())));
    let late = verify(&req, &auth, SECRET, Some(at + MAX_SKEW + 1)).unwrap_err();
    assert!(
        matches!(&late, SigError::Invalid(m) if m.starts_with("Signature expired: 20110909T233600Z")),
        "{late:?}"
    );
    let early = verify(&req, &auth, SECRET, Some(at - MAX_SKEW - 1)).unwrap_err();
    assert!(
        matches!(&early, SigError::Invalid(m) if m.starts_with("Signature not yet current")),
        "{early:?}"
    );
}

#[test]
fn dates_read_as_epoch_seconds() {
    assert_eq!(parse_amz_date("19700101T000000Z"), Some(0));
    assert_eq!(parse_amz_date("20260101T000000Z"), Some(crate::kms::time::START_OF_2026));
    assert_eq!(parse_amz_date("20000229T010101Z"), Some(951_782_400 + 3661));
    for bad in [
        "",
        "2026-01-01T00:00:00Z",
        "20261301T000000Z",
        "20260101T250000Z",
        "20260101X000000Z",
        "2026010lT000000Z",
    ] {
        assert_eq!(parse_amz_date(bad), None, "{bad}");
    }
}

#[test]
fn canonical_uri_removes_dot_segments_and_encodes() {
    assert_eq!(canonical_uri("/"), "/");
    assert_eq!(canonical_uri(""), "/");
    assert_eq!(canonical_uri("/a/./b/../c"), "/a/c");
    assert_eq!(canonical_uri("/%E1%88%B4"), "/%25E1%2588%25B4");
    assert_eq!(canonical_uri("/a b"), "/a%20b");
}

#[test]
fn malformed_authorization_headers_are_incomplete() {
    let cases = [
        ("", "IncompleteSignatureException"),
        ("AWS4-HMAC-SHA1 Credential=a/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00", "IncompleteSignatureException"),
        ("AWS4-HMAC-SHA256 Credential=a/20150830/us-east-1/kms, SignedHeaders=host, Signature=00", "IncompleteSignatureException"),
        ("AWS4-HMAC-SHA256 Credential=a/20150830/us-east-1/kms/aws4_request, SignedHeaders=host", "IncompleteSignatureException"),
        ("AWS4-HMAC-SHA256 Credential=a/20150830/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=zz", "IncompleteSignatureException"),
        ("AWS4-HMAC-SHA256 Credential=a/20150830/us-east-1/kms/aws5_request, SignedHeaders=host, Signature=00", "InvalidSignatureException"),
        ("AWS4-HMAC-SHA256 Credential=a/2015083/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=00", "IncompleteSignatureException"),
        ("AWS4-HMAC-SHA256 Credential=a/20150830/us-east-1/kms/aws4_request, Extra=1, SignedHeaders=host, Signature=00", "IncompleteSignatureException"),
    ];
    for (value, code) in cases {
        assert_eq!(parse_authorization(value).unwrap_err().code(), code, "{value}");
    }
    assert!(parse_authorization(&"A".repeat(MAX_AUTHORIZATION + 1)).is_err());
}

#[test]
fn host_must_be_signed_and_signed_headers_present() {
    let h = headers(&[("Host", "example.amazonaws.com"), ("X-Amz-Date", SUITE_DATE)]);
    let req = Request { method: "GET", path: "/", headers: &h, body: b"" };
    let mut auth = parse_authorization(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
    )
    .unwrap();
    verify(&req, &auth, SECRET, None).unwrap();
    auth.signed_headers = vec!["x-amz-date".into()];
    assert!(matches!(verify(&req, &auth, SECRET, None), Err(SigError::Invalid(m)) if m.contains("'Host'")));
    auth.signed_headers = vec!["host".into(), "x-amz-target".into()];
    assert!(
        matches!(verify(&req, &auth, SECRET, None), Err(SigError::Invalid(m)) if m.contains("x-amz-target"))
    );
    auth.signed_headers = vec!["host".into(), "x-amz-date".into()];
    auth.date = "20150831".into();
    assert!(
        matches!(verify(&req, &auth, SECRET, None), Err(SigError::Invalid(m)) if m.starts_with("Date in Credential scope"))
    );
}
