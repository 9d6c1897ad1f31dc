//! The shapes the ACM view produces, checked against botocore's ACM model
//! (`../shared/vectors/aws-models/acm-2015-12-08.service-2.json`): `DescribeCertificate`'s
//! `Certificate` (`CertificateDetail`): member names, types, enums, bounds, patterns.

use serde_json::{json, Value};

use crate::common::*;

const MODEL: &str = "../shared/vectors/aws-models/acm-2015-12-08.service-2.json";

fn check(m: &Value, name: &str, v: &Value, path: &str, out: &mut Vec<String>) {
    let s = &m["shapes"][name];
    let bound = |n: usize, out: &mut Vec<String>| {
        if s["min"].as_u64().is_some_and(|min| (n as u64) < min)
            || s["max"].as_u64().is_some_and(|max| n as u64 > max)
        {
            out.push(format!("{path}: length {n} out of bounds"));
        }
    };
    match s["type"].as_str().unwrap() {
        "structure" => {
            let Some(o) = v.as_object() else { return out.push(format!("{path}: not an object")) };
            let members = s["members"].as_object().unwrap();
            for (k, mv) in o {
                match members.get(k) {
                    Some(mm) => check(m, mm["shape"].as_str().unwrap(), mv, &format!("{path}.{k}"), out),
                    None => out.push(format!("{path}: `{k}` is not a member of {name}")),
                }
            }
            for r in s["required"].as_array().into_iter().flatten() {
                if !o.contains_key(r.as_str().unwrap()) {
                    out.push(format!("{path}: required `{r}` missing"));
                }
            }
        }
        "string" => {
            let Some(t) = v.as_str() else { return out.push(format!("{path}: not a string")) };
            if let Some(e) = s["enum"].as_array() {
                if !e.iter().any(|x| x == t) {
                    out.push(format!("{path}: `{t}` not in enum {name}"));
                }
            }
            bound(t.chars().count(), out);
            if name == "DomainNameString" {
                let labels_ok = t.trim_start_matches("*.").split('.').all(|l| {
                    !l.is_empty()
                        && !l.starts_with('-')
                        && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                });
                if !labels_ok || !t.contains('.') {
                    out.push(format!("{path}: `{t}` does not match DomainNameString's pattern"));
                }
            }
        }
        "timestamp" => {
            if !v.is_number() {
                out.push(format!("{path}: a timestamp is epoch seconds in AWS JSON 1.1"));
            }
        }
        "boolean" if !v.is_boolean() => out.push(format!("{path}: not a boolean")),
        "list" => {
            let Some(items) = v.as_array() else { return out.push(format!("{path}: not a list")) };
            bound(items.len(), out);
            for (i, it) in items.iter().enumerate() {
                check(m, s["member"]["shape"].as_str().unwrap(), it, &format!("{path}[{i}]"), out);
            }
        }
        "boolean" => {}
        other => out.push(format!("{path}: unhandled shape type {other}")),
    }
}

#[test]
fn describe_certificate_detail_matches_the_model() {
    let model: Value =
        serde_json::from_str(&std::fs::read_to_string(MODEL).expect("the botocore ACM model in ../shared"))
            .unwrap();
    assert_eq!(model["operations"]["DescribeCertificate"]["output"]["shape"], "DescribeCertificateResponse");
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
            check(&model, "DescribeCertificateResponse", response, stem, &mut problems);
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
