//! The shapes the ACM view produces, checked against botocore's ACM model
//! (`../shared/vectors/aws-models/acm-2015-12-08.service-2.json`): `DescribeCertificate`'s
//! `Certificate` (`CertificateDetail`): member names, types, enums, bounds, patterns.

use serde_json::{json, Value};

use crate::common::*;

#[path = "../shared/botocore_model.rs"]
mod botocore_model;
use botocore_model::Model;

const MODEL: &str = "../shared/vectors/aws-models/acm-2015-12-08.service-2.json";

/// `DomainNameString`'s pattern, which the model states as a Java regex: labels of letters, digits
/// and hyphens (not leading), at least one dot, an optional leading `*.`.
fn domain_name(shape: &str, t: &str) -> Option<String> {
    if shape != "DomainNameString" {
        return None;
    }
    let labels_ok = t.trim_start_matches("*.").split('.').all(|l| {
        !l.is_empty() && !l.starts_with('-') && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    (!labels_ok || !t.contains('.')).then(|| format!("`{t}` does not match DomainNameString's pattern"))
}

#[test]
fn describe_certificate_detail_matches_the_model() {
    let mut model = Model::load(MODEL);
    model.string_rule = Some(domain_name);
    assert_eq!(
        model.json["operations"]["DescribeCertificate"]["output"]["shape"],
        "DescribeCertificateResponse"
    );
    let mut problems = Vec::new();
    let mut checked = 0;
    for stem in ["rsa2048", "ec-p256-pss-signed", "ec-p384", "ed25519", "wildcard", "expired", "leaf-is-ca"] {
        for options in [
            json!({}),
            json!({"type": "AMAZON_ISSUED", "exportEnabled": true, "requestedAt": epoch("2026-01-01T00:00:00Z")}),
            json!({"type": "AMAZON_ISSUED", "validationMethod": "EMAIL", "inUse": false}),
            json!({"type": "PRIVATE", "region": "eu-west-1"}),
        ] {
            let v = secplay::acm::json::timeline(&fixture(&format!("{stem}.pem")), &options).unwrap();
            let response = &v["describeCertificate"];
            model.check("DescribeCertificateResponse", response, stem, &mut problems);
            checked += 1;
        }
    }
    assert_eq!(checked, 28);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn key_algorithms_and_usages_use_the_model_enums() {
    let model: Value = serde_json::from_str(&std::fs::read_to_string(MODEL).unwrap()).unwrap();
    let d = &secplay::acm::json::timeline(&fixture("rsa2048.pem"), &json!({})).unwrap()
        ["describeCertificate"]["Certificate"];
    assert_eq!(d["KeyAlgorithm"], "RSA_2048");
    assert_eq!(d["KeyUsages"], json!([{"Name": "DIGITAL_SIGNATURE"}, {"Name": "KEY_ENCIPHERMENT"}]));
    assert_eq!(
        d["ExtendedKeyUsages"],
        json!([{"Name": "TLS_WEB_SERVER_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.1"}, {"Name": "TLS_WEB_CLIENT_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.2"}])
    );
    assert_eq!(d["SubjectAlternativeNames"], json!(["www.example.com", "example.com"]));
    assert_eq!(d["Serial"], "10:02");
    assert!(model["shapes"]["KeyAlgorithm"]["enum"].as_array().unwrap().contains(&d["KeyAlgorithm"]));
}
