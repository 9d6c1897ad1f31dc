//! The notes' chapters §1–§5 (`secplay::notes`, `src/notes/part1/`): each runs as written and
//! every variant breaks the step it names (`notes::check`), and each shows a specific figure or
//! text taken from the engines.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use secplay::notes::{self, Chapter, StepOutcome};

fn chapter(id: &str) -> Chapter {
    notes::find(id).unwrap_or_else(|| panic!("no chapter {id}"))
}

fn run(id: &str) -> Vec<StepOutcome> {
    let c = chapter(id);
    let steps = (c.run)(None);
    notes::check(&c).unwrap();
    steps
}

fn ok<'a>(steps: &'a [StepOutcome], id: &str) -> &'a str {
    let s = steps.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("no step {id}"));
    s.result.as_ref().unwrap_or_else(|e| panic!("step {id} failed: {e:?}"))
}

fn err<'a>(steps: &'a [StepOutcome], id: &str) -> &'a str {
    let s = steps.iter().find(|s| s.id == id).unwrap_or_else(|| panic!("no step {id}"));
    &s.result.as_ref().err().unwrap_or_else(|| panic!("step {id} succeeded")).code
}

/// The five sections' chapters are all there, in the digest's order.
#[test]
fn part_one_has_its_chapters_in_order() {
    let ids: Vec<(&str, u8)> =
        notes::all().iter().filter(|c| c.section <= 5).map(|c| (c.id, c.section)).collect();
    for id in [
        "three-models",
        "envelope-kms",
        "key-rotation",
        "no-usable-policy",
        "snapshot-copy",
        "cross-account",
        "multi-region-attributes",
    ] {
        assert!(ids.iter().any(|(i, _)| *i == id), "{id} missing: {ids:?}");
    }
    assert!(ids.windows(2).all(|w| w[0].1 <= w[1].1), "{ids:?}");
    for c in notes::all().iter().filter(|c| c.section <= 5) {
        let steps = (c.run)(None);
        assert!((3..=12).contains(&steps.len()), "{}: {} steps", c.id, steps.len());
        for s in &steps {
            assert!(!s.explain.is_empty(), "{}/{}: no explanation", c.id, s.id);
        }
    }
}

/// §1: the server and the client read the secret, the path and a disk thief do not, the server
/// cannot read client-side ciphertext.
/// https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/introduction.html
#[test]
fn three_models_who_can_read_what() {
    let steps = run("three-models");
    let secret = "card 4111 1111 1111 1111, exp 12/29";
    assert!(!ok(&steps, "in-flight").contains("4111"), "the path saw the plaintext");
    assert!(!ok(&steps, "server-stores").contains("4111"));
    assert_eq!(err(&steps, "disk-thief"), "AccessDeniedException");
    assert_eq!(ok(&steps, "server-reads"), format!("the server reads: {secret}"));
    assert!(!ok(&steps, "client-encrypts").contains("4111"));
    assert_eq!(err(&steps, "server-cannot-read"), "AccessDeniedException");
    assert_eq!(ok(&steps, "client-reads"), format!("the client reads: {secret}"));
    let denied = (chapter("three-models").run)(Some("server-no-decrypt"));
    let last = denied.last().unwrap();
    assert_eq!(
        (last.id, last.result.as_ref().unwrap_err().code.as_str()),
        ("server-decrypt", "AccessDeniedException")
    );
    assert!(last.result.as_ref().unwrap_err().message.contains("role/server"), "{:?}", last.result);
}

/// §2: the decrypted invoice equals the original; a changed encryption context is refused.
/// https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html
#[test]
fn envelope_round_trip_and_context() {
    let steps = run("envelope-kms");
    assert_eq!(ok(&steps, "decrypt-locally"), "decrypted: invoice 2026-001: 1,250.00 EUR to ACME");
    assert!(ok(&steps, "encrypt-locally").contains("plaintext data key: dropped"));
    assert!(ok(&steps, "data-key").contains("only in the caller's memory"), "the data key is not shown");
    let other = (chapter("envelope-kms").run)(Some("other-context"));
    assert_eq!(err(&other, "unwrap"), "InvalidCiphertextException");
}

/// §2: after a rotation the old record names the first material and still decrypts; the new one
/// uses another material. https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html
#[test]
fn rotation_keeps_old_material() {
    let steps = run("key-rotation");
    let compare = ok(&steps, "compare");
    let field = |name: &str| {
        compare
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(str::trim)
            .unwrap_or_else(|| panic!("{name}: {compare}"))
    };
    let first = field("first material:");
    assert!(!first.is_empty());
    assert_eq!(field("old record's material:"), first);
    assert_ne!(field("new record's material:"), first);
    assert_eq!(field("old record decrypts to:"), "order 17: shipped");
    assert!(ok(&steps, "list-rotations").contains("ON_DEMAND"), "{}", ok(&steps, "list-rotations"));
    let c = chapter("key-rotation");
    assert!(c.outdated.iter().all(|o| o.source.starts_with("https://docs.aws.amazon.com/")));
}

/// §4: the lockout safety check refuses a policy that locks the caller out; bypassed, even the
/// administrator is locked out. https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
#[test]
fn a_key_nobody_can_manage() {
    let steps = run("no-usable-policy");
    assert_eq!(err(&steps, "create-checked"), "MalformedPolicyDocumentException");
    assert!(ok(&steps, "app-encrypts").contains("CiphertextBlob"));
    assert_eq!(err(&steps, "admin-describe"), "AccessDeniedException");
    assert_eq!(err(&steps, "admin-fix"), "AccessDeniedException");
}

/// §3: the partner's copy decrypts under its own key; ReEncrypt cannot cross regions.
/// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopySnapshot.html
#[test]
fn snapshot_copy_ends_under_the_partners_key() {
    let steps = run("snapshot-copy");
    let reencrypt = ok(&steps, "reencrypt");
    assert!(reencrypt.contains("444455556666"), "{reencrypt}");
    assert!(ok(&steps, "partner-decrypt").contains("444455556666"));
    let link = steps.iter().find(|s| s.id == "grant").and_then(|s| s.open.as_ref()).unwrap();
    assert_eq!(link.route, "#/kms");
    assert_eq!(link.doc["scenario"], "snapshot-copy");
}

/// §4: both policies allow; the policy engine names both statements; a key id alone is not found.
/// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html
#[test]
fn cross_account_needs_both_sides() {
    let steps = run("cross-account");
    assert_eq!(err(&steps, "partner-by-id"), "NotFoundException");
    let deciding = ok(&steps, "deciding");
    assert!(deciding.starts_with("allowed"), "{deciding}");
    assert!(deciding.contains("Allow the partner account to use the key"), "{deciding}");
    assert!(deciding.contains("Use the main account's keys"), "{deciding}");
    for v in ["no-key-policy", "no-iam"] {
        let r = (chapter("cross-account").run)(Some(v));
        assert_eq!(err(&r, "partner-decrypt"), "AccessDeniedException", "{v}");
    }
    let link = steps.iter().find(|s| s.id == "deciding").and_then(|s| s.open.as_ref()).unwrap();
    assert_eq!(link.route, "#/policies");
    assert_eq!(link.doc["action"], "kms:Decrypt");
}

/// §5: the replica has the primary's key id; eu-west-1 reads the attributes; the operator sees
/// ciphertext only. https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html
#[test]
fn multi_region_attributes() {
    let steps = run("multi-region-attributes");
    let primary = ok(&steps, "primary");
    let replica = ok(&steps, "replica");
    let id = primary.split("\"KeyId\": \"").nth(1).and_then(|t| t.split('"').next()).unwrap();
    assert!(id.starts_with("mrk-"), "{id}");
    assert!(replica.contains(&format!("arn:aws:kms:eu-west-1:111122223333:key/{id}")), "{replica}");
    let rows = ok(&steps, "decrypt-rows");
    assert!(rows.contains("078-05-1120") && rows.contains("5500 0000 0000 0004"), "{rows}");
    let seen = ok(&steps, "operator-reads");
    assert!(seen.starts_with("0 rows with a readable"), "{seen}");
    assert!(!seen.contains("078-05-1120"));
    assert_eq!(err(&steps, "operator-decrypt"), "AccessDeniedException");
}

/// No link carries a plaintext or a data key.
#[test]
fn links_carry_no_plaintext() {
    for c in notes::all().iter().filter(|c| c.section <= 5) {
        for s in (c.run)(None) {
            let Some(link) = &s.open else { continue };
            let text = link.doc.to_string();
            for secret in ["4111 1111", "078-05-1120", "invoice 2026-001:", "order 17", "Q3 report"] {
                assert!(!text.contains(secret), "{}/{}: {secret} in the link", c.id, s.id);
            }
            if let Some(req) = link.doc.get("request").and_then(|r| r.as_str()) {
                let v: serde_json::Value = serde_json::from_str(req).unwrap();
                assert!(v.get("Plaintext").is_none_or(|p| p == ""), "{}/{}", c.id, s.id);
            }
        }
    }
}
