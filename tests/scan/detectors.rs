//! Each detector's documented rules, one test per rule, citing where the rule is written.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use secplay::scan::{scan, Options};

fn types(text: &str) -> Vec<&'static str> {
    scan(text.as_bytes(), Options::default()).unwrap().findings.iter().map(|f| f.type_id).collect()
}

fn found(text: &str, ty: &str) -> bool {
    types(text).contains(&ty)
}

// Luhn: ISO/IEC 7812-1; the test numbers are the networks' published test cards
// (https://docs.stripe.com/testing#cards).
#[test]
fn card_luhn_and_networks_stripe_test_cards() {
    for n in [
        "4242424242424242", // Visa
        "5555555555554444", // Mastercard
        "2223003122003222", // Mastercard 2-series
        "378282246310005",  // American Express
        "6011111111111117", // Discover
        "3566002020360505", // JCB
        "36227206271667",   // Diners Club (14 digits)
        "6200000000000005", // UnionPay
    ] {
        assert!(found(&format!("card {n}"), "CREDIT_CARD_NUMBER"), "{n}");
    }
    assert!(!found("card 4242424242424241", "CREDIT_CARD_NUMBER"), "Luhn fails");
}

// Mastercard 2-series: 222100–272099 (https://www.mastercard.us/en-us/business/overview/start-accepting/2-series-bins.html).
#[test]
fn mastercard_2_series_bounds() {
    // Luhn-valid numbers just inside and just outside 2221–2720.
    let inside = "2720990000000007";
    let outside = "2721000000000004";
    assert!(secplay::scan::checks::luhn(outside.as_bytes()));
    assert!(secplay::scan::checks::luhn(inside.as_bytes()));
    assert!(found(&format!("card {inside}"), "CREDIT_CARD_NUMBER"));
    assert_eq!(secplay::scan::checks::card_network(outside.as_bytes()), None);
}

// Macie: CREDIT_CARD_NUMBER needs a keyword near, CREDIT_CARD_NUMBER_(NO_KEYWORD) is the rest
// (https://docs.aws.amazon.com/macie/latest/user/mdis-reference-quick.html).
#[test]
fn macie_card_keyword_split() {
    assert_eq!(types("visa 4242 4242 4242 4242"), ["CREDIT_CARD_NUMBER"]);
    assert_eq!(types("ref 4242-4242-4242-4242"), ["CREDIT_CARD_NUMBER_(NO_KEYWORD)"]);
}

#[test]
fn card_followed_by_a_number_is_still_found() {
    assert_eq!(types("card 4242 4242 4242 4242 2024"), ["CREDIT_CARD_NUMBER"]);
}

// ISO 13616 mod-97 with the ECBS examples (https://www.ecbs.org/iban.htm).
#[test]
fn iban_mod97_and_length() {
    assert!(found("IBAN GB82 WEST 1234 5698 7654 32", "IBAN"));
    assert!(found("IBAN DE89370400440532013000.", "IBAN"));
    assert!(!found("IBAN GB82 WEST 1234 5698 7654 33", "IBAN"), "check fails");
    assert!(!found("IBAN DE8937040044053201300", "IBAN"), "21 characters, DE has 22");
    assert!(found("IBAN GB82 WEST 1234 5698 7654 32 EUR", "IBAN"), "trailing word");
}

// AWS access key ids: prefix + 16 base32 characters, 20 in all
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids).
#[test]
fn aws_access_key_id_shape() {
    assert!(found("aws_access_key_id = AKIAIOSFODNN7EXAMPLE", "AWS_ACCESS_KEY_ID"));
    assert!(found("ASIAJEXAMPLEXEG2JICE in the session", "AWS_ACCESS_KEY_ID"));
    assert!(!found("AKIAIOSFODNN7EXAMPL", "AWS_ACCESS_KEY_ID"), "19 characters");
    assert!(!found("AKIAIOSFODNN7EXAMPLEX", "AWS_ACCESS_KEY_ID"), "21 characters");
    assert!(!found("AKIAIOSFODNN1EXAMPLE", "AWS_ACCESS_KEY_ID"), "1 is not base32");
    assert!(!found("AIDAJQABLZS4A3QDU576", "AWS_ACCESS_KEY_ID"), "a user's unique id is not a key");
    assert!(!found("AROADBQP57FF2AEXAMPLE", "AWS_ACCESS_KEY_ID"), "nor a role's");
}

// Macie AWS_CREDENTIALS: keyword required; its two documented example keys are never reported
// (https://docs.aws.amazon.com/macie/latest/user/mdis-reference-credentials.html).
#[test]
fn aws_secret_key_keyword_and_examples() {
    let k = "Zx9aQ2mN8pL4vB7cR1sT6wY3uE5iO0kJhGfDsA2q";
    assert!(found(&format!("aws_secret_access_key = {k}"), "AWS_CREDENTIALS"));
    assert!(!found(&format!("random {k}"), "AWS_CREDENTIALS"), "no keyword");
    assert!(!found("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "AWS_CREDENTIALS"));
    assert!(!found("aws_secret_access_key = je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY", "AWS_CREDENTIALS"));
}

// RFC 7468 PEM labels; Macie's OPENSSH_PRIVATE_KEY / PKCS / PGP_PRIVATE_KEY
// (https://docs.aws.amazon.com/macie/latest/user/mdis-reference-credentials.html).
#[test]
fn private_key_blocks() {
    let body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nAAAA\n";
    for (label, ty) in [
        ("RSA PRIVATE KEY", "PKCS"),
        ("EC PRIVATE KEY", "PKCS"),
        ("PRIVATE KEY", "PKCS"),
        ("ENCRYPTED PRIVATE KEY", "PKCS"),
        ("OPENSSH PRIVATE KEY", "OPENSSH_PRIVATE_KEY"),
    ] {
        let text = format!("x\n-----BEGIN {label}-----\n{body}-----END {label}-----\n");
        let r = scan(text.as_bytes(), Options::default()).unwrap();
        assert_eq!(r.findings.len(), 1, "{label}");
        let f = &r.findings[0];
        assert_eq!(f.type_id, ty);
        assert_eq!(f.end.byte as usize, text.len() - 1, "the block runs to its END line");
        assert!(!f.excerpt.contains("MIIEvQ"), "the key body is never shown: {}", f.excerpt);
    }
    assert!(!found("-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n", "PKCS"));
}

// RFC 7519 §5 / RFC 7515 §4.1.1: the JOSE header is JSON with `alg`.
#[test]
fn jwt_needs_alg() {
    let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    assert!(found(&format!("Bearer {jwt}"), "JSON_WEB_TOKEN"));
    // {"typ":"JWT"} only.
    assert!(!found("t=eyJ0eXAiOiJKV1QifQ.eyJzdWIiOiIxIn0.abcdefgh", "JSON_WEB_TOKEN"));
}

#[test]
fn emails() {
    assert!(found("mail jane.doe+tag@mail.example.co.uk now", "EMAIL_ADDRESS"));
    assert!(!found("lodash@4.17.21", "EMAIL_ADDRESS"));
    assert!(!found("root@localhost", "EMAIL_ADDRESS"));
}

// E.164: at most 15 digits (ITU-T E.164 §6); NANP area codes and exchanges start 2–9
// (https://nationalnanpa.com/area_codes/index.html).
#[test]
fn phones() {
    for p in [
        "+1 415 555 2671",
        "(415) 555-2671",
        "415-555-2671",
        "+44 20 7946 0958",
        "020 7946 0958",
        "07700 900123",
        "+82 10-1234-5678",
        "010-1234-5678",
        "02-123-4567",
    ] {
        assert!(found(&format!("call {p}"), "PHONE_NUMBER"), "{p}");
    }
    for p in ["123-456-7890", "+1234567890123456", "1.2.3.4", "192.168.100.200"] {
        assert!(!found(&format!("call {p}"), "PHONE_NUMBER"), "{p}");
    }
}

// SSA: no area 000, 666 or 900–999, no group 00, no serial 0000
// (https://www.ssa.gov/employer/randomization.html); 078-05-1120 misused (https://www.ssa.gov/history/ssn/misused.html).
#[test]
fn ssn_ranges() {
    assert!(found("SSN 123-45-6789", "USA_SOCIAL_SECURITY_NUMBER"));
    for bad in ["000-12-3456", "666-12-3456", "900-12-3456", "123-00-4567", "123-45-0000", "078-05-1120"] {
        assert!(!found(&format!("SSN {bad}"), "USA_SOCIAL_SECURITY_NUMBER"), "{bad}");
    }
    assert!(found("ssn: 123456789", "USA_SOCIAL_SECURITY_NUMBER"), "bare with keyword");
    assert!(!found("id 123456789", "USA_SOCIAL_SECURITY_NUMBER"), "bare without keyword");
    assert!(!found("SSN 123-45 6789", "USA_SOCIAL_SECURITY_NUMBER"), "mixed separators");
}

// Korean RRN: check digit over weights 2..9,2..5; numbers issued from 2020-10-05 carry none
// (Ministry of the Interior and Safety, 2020 reform of the resident registration number).
#[test]
fn korean_rrn() {
    // 900101-1234568: weights → check digit 8.
    let sum: u32 = "900101123456"
        .bytes()
        .zip([2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5])
        .map(|(c, w)| u32::from(c - b'0') * w)
        .sum();
    let check = (11 - sum % 11) % 10;
    assert!(found(&format!("RRN 900101-123456{check}"), "KOREA_RESIDENT_REGISTRATION_NUMBER"));
    assert!(!found(&format!("RRN 900101-123456{}", (check + 1) % 10), "KOREA_RESIDENT_REGISTRATION_NUMBER"));
    // Born 2021-03-04, 7th digit 3: no check digit to verify.
    assert!(found("RRN 210304-3123451", "KOREA_RESIDENT_REGISTRATION_NUMBER"));
    assert!(!found("RRN 901301-1234568", "KOREA_RESIDENT_REGISTRATION_NUMBER"), "month 13");
}

// Macie DATE_OF_BIRTH requires a keyword (https://docs.aws.amazon.com/macie/latest/user/mdis-reference-quick.html).
#[test]
fn date_of_birth_needs_keyword() {
    for d in ["1985-07-14", "07/14/1985", "14.07.1985", "July 14, 1985", "14 July 1985"] {
        assert!(found(&format!("DOB: {d}"), "DATE_OF_BIRTH"), "{d}");
        assert!(!found(&format!("shipped {d}"), "DATE_OF_BIRTH"), "{d}");
    }
    assert!(!found("DOB: 1985-02-30", "DATE_OF_BIRTH"));
}

#[test]
fn masking_never_shows_the_secret() {
    let r = scan(
        b"visa 4242 4242 4242 4242 and aws_secret_access_key=Zx9aQ2mN8pL4vB7cR1sT6wY3uE5iO0kJhGfDsA2q",
        Options::default(),
    )
    .unwrap();
    assert_eq!(r.findings.len(), 2);
    for f in &r.findings {
        assert!(!f.excerpt.contains("4242 4242 4242 4242"), "{}", f.excerpt);
        assert!(!f.excerpt.contains("Zx9aQ2mN8pL4"), "{}", f.excerpt);
    }
    assert_eq!(r.findings[0].masked, "**** **** **** 4242");
}
