//! The table of cases in `cases.json`, written from the S3 User Guide (each case names its page
//! in `doc`): every case must come out as it states, and together they must produce every reason
//! and configuration code the engine defines.

use std::collections::BTreeSet;

use serde_json::Value;

use secplay::s3::evaluate_replication;
use secplay::s3::reason::{CONFIGURATION_CODES, REASON_CODES};

use super::common::{corpus, input_of};

/// The differences between what a case expects and what came out.
fn check_case(case: &Value, got: &Value) -> Vec<String> {
    let id = case["id"].as_str().unwrap();
    let mut wrong = Vec::new();
    let expect = &case["expect"];
    let want_cfg: BTreeSet<&str> = expect["configurationErrors"]
        .as_array()
        .map_or_else(BTreeSet::new, |a| a.iter().map(|c| c.as_str().unwrap()).collect());
    let got_cfg: BTreeSet<&str> =
        got["configurationErrors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    if want_cfg != got_cfg {
        wrong.push(format!("{id}: configuration errors {got_cfg:?}, expected {want_cfg:?}"));
    }
    for e in got["configurationErrors"].as_array().unwrap() {
        if !e["pointer"].as_str().unwrap().starts_with('/') {
            wrong.push(format!("{id}: configuration error without a pointer: {e}"));
        }
    }
    for (i, want) in expect["objects"].as_array().into_iter().flatten().enumerate() {
        let obj = &got["objects"][i];
        for (field, w) in want.as_object().unwrap() {
            if field == "sourceStatus" {
                if &obj["sourceStatus"] != w {
                    wrong
                        .push(format!("{id}: object {i} sourceStatus {}, expected {w}", obj["sourceStatus"]));
                }
                continue;
            }
            let Some(d) = obj["destinations"].as_array().unwrap().iter().find(|d| d["bucket"] == *field)
            else {
                wrong.push(format!("{id}: object {i} has no destination `{field}`"));
                continue;
            };
            let reasons = d["reasons"].as_array().unwrap();
            let decided: Vec<&Value> = reasons.iter().filter(|r| r["decided"] == true).collect();
            if decided.len() != 1 {
                wrong.push(format!("{id}: `{field}` has {} deciding reasons", decided.len()));
            }
            for (k, wv) in w.as_object().unwrap() {
                let ok = match k.as_str() {
                    "decided" => decided.first().is_some_and(|r| &r["code"] == wv),
                    "has" => wv.as_array().unwrap().iter().all(|c| reasons.iter().any(|r| &r["code"] == c)),
                    "trace" => decided.first().is_some_and(|r| &r["trace"]["decision"] == wv),
                    other => &d[other] == wv,
                };
                if !ok {
                    wrong.push(format!("{id}: `{field}`.{k}: expected {wv}, got {}", d));
                }
            }
            for r in reasons {
                if !r["doc"].as_str().unwrap().starts_with("https://docs.aws.amazon.com/") {
                    wrong.push(format!("{id}: reason {} cites no page", r["code"]));
                }
            }
        }
    }
    wrong
}

#[test]
fn every_case_comes_out_as_the_documentation_says() {
    let corpus = corpus();
    let mut wrong = Vec::new();
    let mut ids = BTreeSet::new();
    for case in corpus["cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        assert!(ids.insert(id), "case id {id} appears twice");
        assert!(
            case["doc"].as_str().unwrap().starts_with("https://docs.aws.amazon.com/"),
            "{id} cites no page"
        );
        match evaluate_replication(&input_of(&corpus, case), None) {
            Ok(got) => wrong.extend(check_case(case, &got)),
            Err(e) => wrong.push(format!("{id}: the input was refused: {e}")),
        }
    }
    assert!(wrong.is_empty(), "{} differences:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn every_code_is_produced_by_a_case() {
    let corpus = corpus();
    let mut seen = BTreeSet::new();
    for case in corpus["cases"].as_array().unwrap() {
        let got = evaluate_replication(&input_of(&corpus, case), None).unwrap();
        for e in got["configurationErrors"].as_array().unwrap() {
            seen.insert(e["code"].as_str().unwrap().to_string());
        }
        for o in got["objects"].as_array().unwrap() {
            for d in o["destinations"].as_array().unwrap() {
                for r in d["reasons"].as_array().unwrap() {
                    seen.insert(r["code"].as_str().unwrap().to_string());
                }
            }
        }
    }
    // Made by the tests below from generated configurations (too large for the case file).
    seen.insert("TOO_MANY_RULES".into());
    seen.insert("RULE_ID_TOO_LONG".into());
    let missing: Vec<&str> = REASON_CODES
        .iter()
        .chain(CONFIGURATION_CODES)
        .map(|(c, _)| *c)
        .filter(|c| !seen.contains(*c))
        .collect();
    assert!(missing.is_empty(), "codes no case produces: {missing:?}");
}

#[test]
fn too_many_rules_and_long_ids_are_rejected() {
    let mut input = super::common::base("base");
    let rule = input["replication"]["ReplicationConfiguration"]["Rules"][0].clone();
    let rules: Vec<Value> = (0..1001)
        .map(|i| {
            let mut r = rule.clone();
            r["ID"] = Value::String(if i == 0 { "x".repeat(256) } else { format!("r{i}") });
            r["Priority"] = Value::from(i);
            r
        })
        .collect();
    input["replication"]["ReplicationConfiguration"]["Rules"] = Value::Array(rules);
    let got = evaluate_replication(&input, None).unwrap();
    let codes: Vec<&str> =
        got["configurationErrors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"TOO_MANY_RULES"), "{codes:?}");
    assert!(codes.contains(&"RULE_ID_TOO_LONG"), "{codes:?}");
}

#[test]
fn a_kms_world_supplies_keys_and_roles() {
    use secplay::kms::{call, new_world};
    let mut world = new_world(&Value::Null).unwrap();
    let mk = |w: &mut _, region: &str| {
        let caller =
            serde_json::json!({"principal": "arn:aws:iam::111122223333:role/Admin", "region": region});
        call(w, "CreateKey", &serde_json::json!({}), &caller).unwrap()["KeyMetadata"]["Arn"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let src = mk(&mut world, "us-east-1");
    let dst = mk(&mut world, "us-west-2");
    let mut input = super::common::base("base");
    input["keys"] = serde_json::json!([]);
    input["objects"][0]["kmsKeyArn"] = Value::String(src.clone());
    input["source"]["encryption"] = Value::Null;
    input["replication"]["ReplicationConfiguration"]["Rules"][0]["Destination"]["EncryptionConfiguration"]
        ["ReplicaKmsKeyID"] = Value::String(dst.clone());
    // The world's Admin role is the replication role: allowed everything, and the default key
    // policies delegate to the account.
    input["replication"]["ReplicationConfiguration"]["Role"] =
        Value::String("arn:aws:iam::111122223333:role/Admin".into());
    input["roles"] = serde_json::json!({});
    let got = evaluate_replication(&input, Some(&world)).unwrap();
    let d = &got["objects"][0]["destinations"][0];
    assert_eq!(d["outcome"], "REPLICATED", "{d}");
    assert_eq!(d["replicaEncryption"]["kmsKeyArn"], Value::String(dst), "{d}");
    // Without the world the keys are unknown (the role, described inline, may do everything).
    input["roles"] = serde_json::json!({"arn:aws:iam::111122223333:role/Admin": {"policies": [
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]}});
    let got = evaluate_replication(&input, None).unwrap();
    let d = &got["objects"][0]["destinations"][0];
    assert_eq!(d["reasons"][0]["code"], "KEY_NOT_DESCRIBED", "{d}");
}

#[test]
fn hostile_input_gets_coded_errors() {
    let base = super::common::base("base");
    let bad: Vec<(&str, Value)> = vec![
        ("/objects", serde_json::json!("x")),
        (
            "/objects/0/tags",
            serde_json::json!({"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9","j":"10","k":"11"}),
        ),
        ("/objects/0/encryption", serde_json::json!("ROT13")),
        ("/keys/0/policy", serde_json::json!("{not json")),
        ("/keys/0/arn", serde_json::json!("arn:aws:s3:::bucket")),
        ("/destinations", serde_json::json!([])),
        ("/source", serde_json::json!(5)),
        ("/objectsPerSecond", serde_json::json!(-1)),
    ];
    for (p, v) in bad {
        let mut input = base.clone();
        super::common::set(&mut input, p, v);
        let e = evaluate_replication(&input, None).expect_err(p);
        assert!(["InvalidInput", "InvalidPolicy", "TooLarge"].contains(&e.code()), "{p}: {e}");
    }
    assert_eq!(evaluate_replication(&Value::Null, None).unwrap_err().code(), "InvalidInput");
}
