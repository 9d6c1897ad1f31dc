//! The notes' chapters §6–§12 run end to end: `notes::check` over each, and per chapter a figure
//! or text the engine produced.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use secplay::notes::{self, Chapter, StepOutcome};

fn chapter(id: &str) -> Chapter {
    notes::find(id).unwrap_or_else(|| panic!("no chapter `{id}`"))
}

fn step<'a>(run: &'a [StepOutcome], id: &str) -> &'a StepOutcome {
    run.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("no step `{id}` in {run:#?}"))
}

fn ok<'a>(run: &'a [StepOutcome], id: &str) -> &'a str {
    match &step(run, id).result {
        Ok(text) => text,
        Err(e) => panic!("step `{id}` failed: {e:?}"),
    }
}

#[test]
fn every_part2_chapter_passes_the_check() {
    for c in notes::all().iter().filter(|c| c.section >= 6) {
        notes::check(c).unwrap();
    }
}

#[test]
fn ami_sharing_reencrypts_to_the_partners_key_and_the_grant_variant_stops_at_the_grant() {
    let c = chapter("ami-sharing");
    let run = (c.run)(None);
    let launch_key = ok(&run, "launch-key").split(' ').nth(1).unwrap().to_owned();
    assert!(launch_key.starts_with("arn:aws:kms:us-east-1:444455556666:key/"), "{launch_key}");
    let re = ok(&run, "reencrypt");
    assert!(re.ends_with(&format!("to {launch_key}")), "{re}");
    assert!(re.contains(":111122223333:key/"), "{re}");
    let denied = (c.run)(Some("no-create-grant"));
    let last = denied.last().unwrap();
    assert_eq!(last.id, "grant");
    let e = last.result.as_ref().unwrap_err();
    assert_eq!(e.code, "AccessDeniedException");
    assert!(e.message.contains("kms:CreateGrant"), "{}", e.message);
}

#[test]
fn s3_replication_reencrypts_the_kms_object_under_the_replica_key_and_replicates_sse_c() {
    let c = chapter("s3-replication-kms");
    let run = (c.run)(None);
    let kms = ok(&run, "sse-kms");
    assert!(
        kms.contains(
            "SSE-KMS under arn:aws:kms:us-west-2:111122223333:key/2222bbbb-0000-4000-8000-000000000002"
        ),
        "{kms}"
    );
    assert!(ok(&run, "sse-s3").contains("as SSE-S3"), "{}", ok(&run, "sse-s3"));
    assert!(ok(&run, "sse-c").contains("SSE_C_REPLICATED"), "{}", ok(&run, "sse-c"));
    assert_eq!(c.outdated.len(), 1);
    // One object in four is SSE-KMS: 8000 objects/s make 2000 Decrypts in us-east-1 and 2000
    // Encrypts in us-west-2.
    assert_eq!(
        ok(&run, "kms-load"),
        "us-east-1 2000 requests/s of 100000/s; us-west-2 2000 requests/s of 100000/s"
    );
    let no_decrypt = (c.run)(Some("no-decrypt-source"));
    let e = no_decrypt.last().unwrap().result.as_ref().unwrap_err();
    assert_eq!(e.code, "ROLE_CANNOT_DECRYPT_SOURCE_KEY");
    // The objects before the KMS one still replicate under that variant.
    assert!(ok(&no_decrypt, "sse-s3").starts_with("replicated"));
}

#[test]
fn parameter_store_reads_version_1_by_label_and_the_policy_expires_it() {
    let c = chapter("parameter-store");
    let run = (c.run)(None);
    assert_eq!(ok(&run, "put-v2"), "version 2 (Advanced)");
    assert_eq!(ok(&run, "read-decrypted"), "version 1 decrypted: the value put as version 1");
    assert_eq!(ok(&run, "notify"), "ExpirationNotification at 2026-01-26T00:00:00Z");
    assert_eq!(step(&run, "expired").result.as_ref().unwrap_err().code, "ParameterNotFound");
    let denied = (c.run)(Some("reader-without-kms-decrypt"));
    let e = denied.last().unwrap().result.as_ref().unwrap_err();
    assert!(e.message.contains("kms:Decrypt"), "{}", e.message);
    let other = (c.run)(Some("policy-for-another-path"));
    let e = other.last().unwrap().result.as_ref().unwrap_err();
    assert!(e.message.contains("ssm:GetParameter on resource: arn:aws:ssm:us-east-1:111122223333:parameter/my-department/my-app/db-password"), "{}", e.message);
    // No link carries the parameter's value.
    for s in &run {
        if let Some(link) = &s.open {
            assert!(!link.doc.to_string().contains("correct-horse"), "{}: {}", s.id, link.doc);
        }
    }
}

#[test]
fn secrets_manager_rotates_twice_and_promotes_the_replica() {
    let c = chapter("secrets-manager");
    let run = (c.run)(None);
    assert!(ok(&run, "create").ends_with("replicas: us-west-2 InSync"), "{}", ok(&run, "create"));
    assert!(ok(&run, "rotate").ends_with("(the first one)"), "{}", ok(&run, "rotate"));
    assert_eq!(ok(&run, "schedule"), "2 rotations succeeded");
    assert!(ok(&run, "replica-read")
        .starts_with("arn:aws:secretsmanager:us-west-2:111122223333:secret:prod/my-app/db-"));
    assert_eq!(ok(&run, "promote"), "PrimaryRegion is now us-west-2");
    let denied = (c.run)(Some("rotator-without-permissions"));
    let e = denied.last().unwrap().result.as_ref().unwrap_err();
    assert!(e.message.contains("rotate-db"), "{}", e.message);
}

#[test]
fn acm_renews_an_issued_certificate_60_days_ahead_and_warns_45_days_ahead_of_an_imported_one() {
    let c = chapter("acm-certificates");
    let run = (c.run)(None);
    assert_eq!(ok(&run, "inspect"), "names *.example.com, example.com; expires 2027-02-15T00:00:00Z");
    let issued = ok(&run, "acm-issued");
    assert!(issued.starts_with("renewal started 2026-12-17T00:00:00Z (60 days before expiry)"), "{issued}");
    let imported = ok(&run, "imported");
    assert!(imported.contains("from 2027-01-01T00:00:00Z (45 days before expiry)"), "{imported}");
    assert!(imported.starts_with("renewal INELIGIBLE"), "{imported}");
    let wrong = (c.run)(Some("certificate-in-eu-west-1"));
    let e = wrong.last().unwrap().result.as_ref().unwrap_err();
    assert!(
        e.message.contains("in eu-west-1") && e.message.contains("needs it in us-east-1"),
        "{}",
        e.message
    );
}

#[test]
fn waf_chapter_names_the_deciding_rules_and_the_flood_trips_every_attacker() {
    let c = chapter("waf-fms-ddos");
    let run = (c.run)(None);
    assert_eq!(ok(&run, "sqli"), "BLOCK by sqli-query");
    let fms = ok(&run, "fms-new-account");
    assert!(fms.starts_with("baseline-regional covers it (account 555555555555"), "{fms}");
    let blocks = ok(&run, "fms-blocks");
    assert!(blocks.ends_with("of AWS#AWSManagedRulesSQLiRuleSet) (in the last rule groups)"), "{blocks}");
    let flood = ok(&run, "flood");
    assert!(
        flood.starts_with("960 requests (900 attack): 600 blocked, 300 attack requests let through"),
        "{flood}"
    );
    assert!(flood.contains("for 3 addresses, 0 real users' requests stopped"), "{flood}");
    let allowed = (c.run)(Some("no-sqli-rule"));
    let e = allowed.last().unwrap().result.as_ref().unwrap_err();
    assert_eq!(e.message, "the request was not blocked: ALLOW by Default_Action");
}

#[test]
fn the_scanner_flags_the_tickets_pii_as_a_multiple_finding_and_ignores_look_alikes() {
    let c = chapter("sensitive-data");
    let run = (c.run)(None);
    assert_eq!(
        ok(&run, "scan"),
        "5 findings: EMAIL_ADDRESS, CREDIT_CARD_NUMBER, PHONE_NUMBER, PHONE_NUMBER, USA_SOCIAL_SECURITY_NUMBER"
    );
    assert_eq!(ok(&run, "card"), "CREDIT_CARD_NUMBER (Visa, High), shown as **** **** **** 4242");
    assert_eq!(
        ok(&run, "finding"),
        "SensitiveData:S3Object/Multiple, severity High; FINANCIAL_INFORMATION 1, PERSONAL_INFORMATION 4"
    );
    assert_eq!(ok(&run, "look-alikes"), "0 findings");
    let excluded = (c.run)(Some("cards-excluded"));
    assert!(!ok(&excluded, "scan").contains("CREDIT_CARD"), "{}", ok(&excluded, "scan"));
}

#[test]
fn no_link_carries_a_secret_value_or_key_material() {
    for c in notes::all().iter().filter(|c| c.section >= 6) {
        for v in std::iter::once(None).chain(c.variants.iter().map(|v| Some(v.id))) {
            for s in (c.run)(v) {
                let Some(link) = &s.open else { continue };
                let doc = link.doc.to_string();
                for secret in ["correct-horse", "initial-pass-1", "PRIVATE KEY"] {
                    assert!(!doc.contains(secret), "{}/{}: `{secret}` in {doc}", c.id, s.id);
                }
                assert!(link.route.starts_with("#/") && link.doc.is_object(), "{}/{}", c.id, s.id);
                texts_read_as_their_page_reads_them(link.route, &link.doc, &format!("{}/{}", c.id, s.id));
            }
        }
    }
}

/// What each page does with a link's texts, checked here so a link opens a working page: JSON
/// texts parse, requests of the WAF and Firewall Manager pages parse as HTTP, the rest are of
/// the type the page's share module reads.
fn texts_read_as_their_page_reads_them(route: &str, doc: &serde_json::Value, what: &str) {
    let json_texts: &[&str] = match route {
        "#/s3" => &["replication", "source", "destinations", "roles", "keys", "objects"],
        "#/ssm" | "#/secrets" | "#/kms" => &["request"],
        "#/waf" => &["acl", "resources"],
        "#/fms" => &["org", "policies"],
        "#/acm" | "#/scan" => &[],
        other => panic!("{what}: a link to {other}, which has no share link"),
    };
    for key in json_texts {
        if let Some(v) = doc.get(key) {
            let text = v.as_str().unwrap_or_else(|| panic!("{what}: `{key}` is not a text"));
            serde_json::from_str::<serde_json::Value>(text)
                .unwrap_or_else(|e| panic!("{what}: `{key}`: {e}"));
        }
    }
    if matches!(route, "#/waf" | "#/fms") {
        let request = doc["request"].as_str().unwrap();
        secplay::waf::http_text::parse_request_text(request, "192.0.2.44").unwrap();
    }
    match route {
        "#/kms" if doc.get("scenario").is_some() => {
            assert!(doc["variant"].is_null() || doc["variant"].as_u64().is_some_and(|n| n < 100), "{what}")
        }
        "#/acm" => {
            assert!(doc["inUse"].is_boolean() && doc["dnsRecordPresent"].is_boolean(), "{what}");
            assert!((1..=45).contains(&doc["daysBeforeExpiry"].as_i64().unwrap()), "{what}");
            assert!(
                secplay::acm::json::inspect(doc["text"].as_str().unwrap().as_bytes(), None).is_ok(),
                "{what}"
            );
        }
        "#/scan" => assert!(doc["example"].as_u64().is_some() && doc["textLeftOut"].is_boolean(), "{what}"),
        "#/fms" => assert!(doc["clock"].as_i64().is_some() && doc["selected"].is_string(), "{what}"),
        _ => {}
    }
}
