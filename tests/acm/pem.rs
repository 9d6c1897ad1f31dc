//! Bad input: each kind of broken PEM or DER gives its coded error with the place, never a panic.

use secplay::acm::json::inspect;
use secplay::acm::pem::{MAX_CERTS, MAX_CERT_BYTES};

use crate::common::*;

fn err(input: &[u8]) -> (String, String) {
    let e = inspect(input, None).unwrap_err();
    (e.code().to_owned(), e.to_string())
}

#[test]
fn empty_and_prose_are_no_certificate() {
    assert_eq!(err(b"").0, "NoCertificate");
    assert_eq!(err(b"hello, this is not a certificate\n").0, "NoCertificate");
}

#[test]
fn missing_end_line_names_the_begin_line() {
    let pem = String::from_utf8(fixture("rsa2048.pem")).unwrap();
    let cut: String = pem.lines().filter(|l| !l.starts_with("-----END")).map(|l| format!("{l}\n")).collect();
    let text = format!("comment line\n{cut}");
    let (code, msg) = err(text.as_bytes());
    assert_eq!(code, "MalformedPem");
    assert!(msg.starts_with("line 2:"), "{msg}");
}

#[test]
fn a_bad_base64_character_names_its_line() {
    let pem = String::from_utf8(fixture("rsa2048.pem")).unwrap();
    let mut lines: Vec<String> = pem.lines().map(str::to_owned).collect();
    lines[3].replace_range(5..6, "!");
    let (code, msg) = err(lines.join("\n").as_bytes());
    assert_eq!(code, "MalformedPem");
    assert!(msg.starts_with("line 4:") && msg.contains('!'), "{msg}");
}

#[test]
fn a_private_key_is_refused_with_advice() {
    let (code, msg) = err(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assert_eq!(code, "MalformedPem");
    assert!(msg.contains("private key"), "{msg}");
}

#[test]
fn truncated_der_says_where() {
    let der = fixture("rsa2048.der");
    let (code, msg) = err(&der[..der.len() - 10]);
    assert_eq!(code, "MalformedDer");
    assert!(msg.contains("truncated"), "{msg}");
}

#[test]
fn corrupt_der_inside_pem_gives_a_byte_offset() {
    use base64::Engine as _;
    let mut der = fixture("rsa2048.der");
    der[4] = 0x05; // the tbsCertificate SEQUENCE tag becomes NULL
    let b64 = base64::engine::general_purpose::STANDARD.encode(&der);
    let text = format!("-----BEGIN CERTIFICATE-----\n{b64}\n-----END CERTIFICATE-----\n");
    let e = inspect(text.as_bytes(), None).unwrap_err();
    assert_eq!(e.code(), "MalformedDer");
    assert!(matches!(e, secplay::acm::AcmError::Der { index: 0, .. }), "{e}");
}

#[test]
fn limits_are_checked_before_decoding() {
    let one = String::from_utf8(fixture("ed25519.pem")).unwrap();
    let eleven = one.repeat(MAX_CERTS + 1);
    assert_eq!(err(eleven.as_bytes()).0, "TooLarge");
    assert!(inspect(one.repeat(MAX_CERTS).as_bytes(), None).is_ok());
    // A DER header claiming more than 64 KiB.
    let len = MAX_CERT_BYTES + 1;
    let header = [0x30, 0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8];
    assert_eq!(err(&header).0, "TooLarge");
}

#[test]
fn every_truncation_of_a_chain_is_an_error_or_a_result_never_a_panic() {
    let chain = fixture("chain3.pem");
    for n in (0..chain.len()).step_by(7) {
        let _ = inspect(&chain[..n], None);
    }
    let der = fixture("rsa2048.der");
    for n in 0..der.len() {
        assert!(
            inspect(&der[..n], None).is_err(),
            "a DER prefix of {n} bytes must not read as a certificate"
        );
    }
}
