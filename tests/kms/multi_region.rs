//! Multi-region keys: ReplicateKey, UpdatePrimaryRegion, shared and independent properties,
//! cross-region decryption, rotation, deletion of a primary with replicas, and cost.
//!
//! Behaviour from the KMS developer guide, "Multi-Region keys in AWS KMS"
//! (https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html),
//! "Creating multi-Region replica keys" (…/multi-region-keys-replicate.html), "Updating the primary
//! Region" (…/multi-region-update.html) and "Deleting multi-Region keys"
//! (…/multi-region-keys-delete.html).

use secplay::kms::{advance_clock, cost, World};
use serde_json::{json, Value};

use crate::common::*;

const EAST: &str = "us-east-1";
const WEST: &str = "us-west-2";
const EU: &str = "eu-west-1";

fn caller_in(region: &str) -> Value {
    json!({"principal": admin(MAIN), "region": region})
}

fn ok_in(w: &mut World, region: &str, op: &str, req: Value) -> Value {
    match try_call(w, op, req, caller_in(region)) {
        Ok(v) => v,
        Err(e) => panic!("{op} in {region} failed: {} {e}", e.code()),
    }
}

fn code_in(w: &mut World, region: &str, op: &str, req: Value) -> String {
    match try_call(w, op, req, caller_in(region)) {
        Ok(v) => panic!("{op} in {region} should have failed but answered {v}"),
        Err(e) => e.code().to_string(),
    }
}

/// A primary multi-region key in us-east-1 and its replica in us-west-2 (settled): (primary, replica).
fn pair(w: &mut World) -> (String, String) {
    let primary = create_key(w, &admin(MAIN), json!({"MultiRegion": true, "Description": "primary"}));
    let r = ok_in(w, EAST, "ReplicateKey", json!({"KeyId": primary, "ReplicaRegion": WEST}));
    let replica = r["ReplicaKeyMetadata"]["Arn"].as_str().unwrap().to_string();
    (primary, replica)
}

fn describe(w: &mut World, region: &str, arn: &str) -> Value {
    ok_in(w, region, "DescribeKey", json!({"KeyId": arn}))["KeyMetadata"].clone()
}

#[test]
fn replicate_key_makes_a_replica_with_the_same_mrk_id_in_the_other_region() {
    let mut w = world();
    let primary = create_key(&mut w, &admin(MAIN), json!({"MultiRegion": true}));
    let id = primary.rsplit('/').next().unwrap().to_string();
    assert!(id.starts_with("mrk-") && id.len() == 36, "multi-region key id {id}");
    let r = ok_in(
        &mut w,
        EAST,
        "ReplicateKey",
        json!({"KeyId": primary, "ReplicaRegion": WEST, "Description": "west copy",
               "Tags": [{"TagKey": "team", "TagValue": "west"}]}),
    );
    let m = &r["ReplicaKeyMetadata"];
    assert_eq!(m["Arn"], format!("arn:aws:kms:{WEST}:{MAIN}:key/{id}"));
    assert_eq!(m["KeyId"], id);
    assert_eq!(m["KeyState"], "Creating", "a new replica is Creating in the ReplicateKey response");
    assert_eq!(m["Description"], "west copy");
    assert_eq!(m["MultiRegionConfiguration"]["MultiRegionKeyType"], "REPLICA");
    assert_eq!(m["MultiRegionConfiguration"]["PrimaryKey"]["Arn"], primary.as_str());
    assert_eq!(r["ReplicaTags"], json!([{"TagKey": "team", "TagValue": "west"}]));
    assert!(r["ReplicaPolicy"].as_str().unwrap().contains("Enable IAM User Permissions"));
    // The next call finds it settled, and the primary lists it.
    let replica = m["Arn"].as_str().unwrap().to_string();
    assert_eq!(describe(&mut w, WEST, &replica)["KeyState"], "Enabled");
    let p = describe(&mut w, EAST, &primary);
    assert_eq!(p["MultiRegionConfiguration"]["MultiRegionKeyType"], "PRIMARY");
    assert_eq!(p["MultiRegionConfiguration"]["ReplicaKeys"], json!([{"Arn": replica, "Region": WEST}]));
    let sync = secplay::kms::audit::filter(&w, &json!({"eventName": "SynchronizeMultiRegionKey"})).unwrap();
    assert_eq!(sync.len(), 1, "settling the replica is recorded as a service event");
}

#[test]
fn replicate_key_errors() {
    let mut w = world();
    let (primary, replica) = pair(&mut w);
    // One replica per region.
    assert_eq!(
        code_in(&mut w, EAST, "ReplicateKey", json!({"KeyId": primary, "ReplicaRegion": WEST})),
        "AlreadyExistsException"
    );
    // Only the primary replicates; a single-region key does not.
    assert_eq!(
        code_in(&mut w, WEST, "ReplicateKey", json!({"KeyId": replica, "ReplicaRegion": EU})),
        "UnsupportedOperationException"
    );
    let single = create_key(&mut w, &admin(MAIN), json!({}));
    assert_eq!(
        code_in(&mut w, EAST, "ReplicateKey", json!({"KeyId": single, "ReplicaRegion": EU})),
        "UnsupportedOperationException"
    );
    // Its own region, a malformed region, a region outside the world.
    assert_eq!(
        code_in(&mut w, EAST, "ReplicateKey", json!({"KeyId": primary, "ReplicaRegion": EAST})),
        "ValidationException"
    );
    assert_eq!(
        code_in(&mut w, EAST, "ReplicateKey", json!({"KeyId": primary, "ReplicaRegion": "Mars"})),
        "ValidationException"
    );
    assert_eq!(
        code_in(&mut w, EAST, "ReplicateKey", json!({"KeyId": primary, "ReplicaRegion": "ap-south-1"})),
        "UnsupportedOperationException"
    );
    // A reserved tag, a policy that locks the caller out.
    assert_eq!(
        code_in(
            &mut w,
            EAST,
            "ReplicateKey",
            json!({"KeyId": primary, "ReplicaRegion": EU, "Tags": [{"TagKey": "aws:x", "TagValue": "y"}]})
        ),
        "TagException"
    );
    let locked = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": root(PARTNER)}, "Action": "kms:*", "Resource": "*"}]})
    .to_string();
    assert_eq!(
        code_in(
            &mut w,
            EAST,
            "ReplicateKey",
            json!({"KeyId": primary, "ReplicaRegion": EU, "Policy": locked})
        ),
        "MalformedPolicyDocumentException"
    );
    // A primary pending deletion.
    ok_in(&mut w, WEST, "ScheduleKeyDeletion", json!({"KeyId": replica, "PendingWindowInDays": 7}));
    ok_in(&mut w, EAST, "ScheduleKeyDeletion", json!({"KeyId": primary, "PendingWindowInDays": 7}));
    assert_eq!(
        code_in(&mut w, EAST, "ReplicateKey", json!({"KeyId": primary, "ReplicaRegion": EU})),
        "KMSInvalidStateException"
    );
}

#[test]
fn replicate_key_needs_replicate_key_on_the_primary_and_create_key() {
    // https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-auth.html:
    // kms:ReplicateKey on the primary key and kms:CreateKey in the replica's region.
    let mut w = world();
    let primary = create_key(&mut w, &admin(MAIN), json!({"MultiRegion": true}));
    let only_replicate = format!("arn:aws:iam::{MAIN}:user/replicator");
    principal(&mut w, &only_replicate, &[allow(&["kms:ReplicateKey"], "*")]);
    let e = fails(
        &mut w,
        "ReplicateKey",
        json!({"KeyId": primary, "ReplicaRegion": WEST}),
        only_replicate.as_str(),
    );
    assert_eq!(e.code(), "AccessDeniedException");
    assert!(e.to_string().contains("kms:CreateKey"), "the denial names kms:CreateKey: {e}");
    let both = format!("arn:aws:iam::{MAIN}:user/both");
    principal(&mut w, &both, &[allow(&["kms:ReplicateKey", "kms:CreateKey"], "*")]);
    ok(&mut w, "ReplicateKey", json!({"KeyId": primary, "ReplicaRegion": WEST}), both.as_str());
}

#[test]
fn encrypt_in_one_region_decrypt_in_the_other_with_the_replica() {
    let mut w = world();
    let (primary, replica) = pair(&mut w);
    let ctx = json!({"table": "orders"});
    let ct = ok_in(
        &mut w,
        EAST,
        "Encrypt",
        json!({"KeyId": primary, "Plaintext": b64(b"row"), "EncryptionContext": ctx}),
    )["CiphertextBlob"]
        .clone();
    let d = ok_in(
        &mut w,
        WEST,
        "Decrypt",
        json!({"CiphertextBlob": ct, "KeyId": replica, "EncryptionContext": ctx}),
    );
    assert_eq!(unb64(&d["Plaintext"]), b"row");
    assert_eq!(d["KeyId"], replica.as_str(), "Decrypt answers with the key of the region called");
    // Without KeyId the blob finds the related key of the region called.
    let d = ok_in(&mut w, WEST, "Decrypt", json!({"CiphertextBlob": ct, "EncryptionContext": ctx}));
    assert_eq!(d["KeyId"], replica.as_str());
    // And the other way round.
    let ct2 = ok_in(&mut w, WEST, "Encrypt", json!({"KeyId": replica, "Plaintext": b64(b"back")}))
        ["CiphertextBlob"]
        .clone();
    assert_eq!(unb64(&ok_in(&mut w, EAST, "Decrypt", json!({"CiphertextBlob": ct2}))["Plaintext"]), b"back");
    // A region with no related key cannot decrypt.
    assert_eq!(code_in(&mut w, EU, "Decrypt", json!({"CiphertextBlob": ct})), "InvalidCiphertextException");
}

#[test]
fn policy_tags_description_aliases_and_state_are_per_region() {
    let mut w = world();
    let (primary, replica) = pair(&mut w);
    ok_in(&mut w, WEST, "DisableKey", json!({"KeyId": replica}));
    ok_in(&mut w, WEST, "CreateAlias", json!({"AliasName": "alias/app", "TargetKeyId": replica}));
    ok_in(&mut w, WEST, "TagResource", json!({"KeyId": replica, "Tags": [{"TagKey": "r", "TagValue": "w"}]}));
    ok_in(&mut w, WEST, "UpdateKeyDescription", json!({"KeyId": replica, "Description": "west"}));
    let p = describe(&mut w, EAST, &primary);
    assert_eq!(p["KeyState"], "Enabled", "disabling the replica leaves the primary enabled");
    assert_eq!(p["Description"], "primary");
    assert_eq!(ok_in(&mut w, EAST, "ListResourceTags", json!({"KeyId": primary}))["Tags"], json!([]));
    assert_eq!(code_in(&mut w, EAST, "DescribeKey", json!({"KeyId": "alias/app"})), "NotFoundException");
    assert_eq!(
        code_in(&mut w, WEST, "Encrypt", json!({"KeyId": "alias/app", "Plaintext": b64(b"x")})),
        "DisabledException"
    );
    ok_in(&mut w, EAST, "Encrypt", json!({"KeyId": primary, "Plaintext": b64(b"x")}));
    // Shared: spec, usage, origin.
    let r = describe(&mut w, WEST, &replica);
    for m in ["KeySpec", "KeyUsage", "Origin", "KeyId"] {
        assert_eq!(r[m], p[m], "{m} is shared");
    }
}

#[test]
fn rotation_of_the_primary_applies_to_its_replicas() {
    let mut w = world();
    let (primary, replica) = pair(&mut w);
    let ct = ok_in(&mut w, WEST, "Encrypt", json!({"KeyId": replica, "Plaintext": b64(b"old")}))
        ["CiphertextBlob"]
        .clone();
    // Rotation is set and run on the primary; a replica refuses.
    assert_eq!(
        code_in(&mut w, WEST, "RotateKeyOnDemand", json!({"KeyId": replica})),
        "UnsupportedOperationException"
    );
    assert_eq!(
        code_in(&mut w, WEST, "EnableKeyRotation", json!({"KeyId": replica})),
        "UnsupportedOperationException"
    );
    ok_in(&mut w, EAST, "RotateKeyOnDemand", json!({"KeyId": primary}));
    let rp = ok_in(&mut w, EAST, "ListKeyRotations", json!({"KeyId": primary}))["Rotations"].clone();
    let rr = ok_in(&mut w, WEST, "ListKeyRotations", json!({"KeyId": replica}))["Rotations"].clone();
    assert_eq!(rr.as_array().unwrap().len(), 1);
    assert_eq!(rp[0]["KeyMaterialId"], rr[0]["KeyMaterialId"], "the replica has the primary's new material");
    assert_eq!(
        describe(&mut w, EAST, &primary)["CurrentKeyMaterialId"],
        describe(&mut w, WEST, &replica)["CurrentKeyMaterialId"]
    );
    assert_eq!(unb64(&ok_in(&mut w, EAST, "Decrypt", json!({"CiphertextBlob": ct}))["Plaintext"]), b"old");
    // Automatic rotation on the clock.
    ok_in(&mut w, EAST, "EnableKeyRotation", json!({"KeyId": primary, "RotationPeriodInDays": 90}));
    let s = ok_in(&mut w, WEST, "GetKeyRotationStatus", json!({"KeyId": replica}));
    assert_eq!(s["KeyRotationEnabled"], true, "the replica shows the primary's rotation schedule");
    advance_clock(&mut w, 91 * 86_400).unwrap();
    let rr = ok_in(&mut w, WEST, "ListKeyRotations", json!({"KeyId": replica}))["Rotations"].clone();
    assert_eq!(rr.as_array().unwrap().len(), 2, "{rr}");
    assert_eq!(rr[1]["RotationType"], "AUTOMATIC");
}

#[test]
fn update_primary_region_swaps_primary_and_replica() {
    let mut w = world();
    let (primary, replica) = pair(&mut w);
    ok_in(&mut w, EAST, "ReplicateKey", json!({"KeyId": primary, "ReplicaRegion": EU}));
    ok_in(&mut w, EAST, "UpdatePrimaryRegion", json!({"KeyId": primary, "PrimaryRegion": WEST}));
    // Both keys are Updating in a snapshot taken right after the call.
    let snap = secplay::kms::snapshot::restore(&secplay::kms::snapshot::snapshot(&w).unwrap()).unwrap();
    assert_eq!(snap.keys[&primary].state.as_str(), "Updating");
    assert_eq!(snap.keys[&replica].state.as_str(), "Updating");
    let r = describe(&mut w, WEST, &replica);
    assert_eq!(r["KeyState"], "Enabled");
    assert_eq!(r["MultiRegionConfiguration"]["MultiRegionKeyType"], "PRIMARY");
    let mut replicas: Vec<&str> = r["MultiRegionConfiguration"]["ReplicaKeys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["Region"].as_str().unwrap())
        .collect();
    replicas.sort_unstable();
    assert_eq!(replicas, [EU, EAST]);
    let p = describe(&mut w, EAST, &primary);
    assert_eq!(p["MultiRegionConfiguration"]["MultiRegionKeyType"], "REPLICA");
    assert_eq!(p["MultiRegionConfiguration"]["PrimaryKey"]["Region"], WEST);
    // Now rotation is run from us-west-2.
    ok_in(&mut w, WEST, "RotateKeyOnDemand", json!({"KeyId": replica}));
    assert_eq!(
        code_in(&mut w, EAST, "RotateKeyOnDemand", json!({"KeyId": primary})),
        "UnsupportedOperationException"
    );
}

#[test]
fn update_primary_region_errors() {
    let mut w = world();
    let (primary, replica) = pair(&mut w);
    assert_eq!(
        code_in(&mut w, WEST, "UpdatePrimaryRegion", json!({"KeyId": replica, "PrimaryRegion": EAST})),
        "UnsupportedOperationException",
        "called on a replica"
    );
    assert_eq!(
        code_in(&mut w, EAST, "UpdatePrimaryRegion", json!({"KeyId": primary, "PrimaryRegion": EU})),
        "NotFoundException",
        "no replica there"
    );
    let single = create_key(&mut w, &admin(MAIN), json!({}));
    assert_eq!(
        code_in(&mut w, EAST, "UpdatePrimaryRegion", json!({"KeyId": single, "PrimaryRegion": WEST})),
        "UnsupportedOperationException"
    );
    ok_in(&mut w, WEST, "DisableKey", json!({"KeyId": replica}));
    assert_eq!(
        code_in(&mut w, EAST, "UpdatePrimaryRegion", json!({"KeyId": primary, "PrimaryRegion": WEST})),
        "DisabledException"
    );
    ok_in(&mut w, WEST, "EnableKey", json!({"KeyId": replica}));
    // kms:UpdatePrimaryRegion is needed on both keys: a replica policy that names no one stops it.
    let nobody = json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
        "Principal": {"AWS": root(PARTNER)}, "Action": "kms:*", "Resource": "*"}]})
    .to_string();
    ok_in(
        &mut w,
        WEST,
        "PutKeyPolicy",
        json!({"KeyId": replica, "Policy": nobody, "BypassPolicyLockoutSafetyCheck": true}),
    );
    assert_eq!(
        code_in(&mut w, EAST, "UpdatePrimaryRegion", json!({"KeyId": primary, "PrimaryRegion": WEST})),
        "AccessDeniedException"
    );
}

#[test]
fn a_primary_with_replicas_waits_in_pending_replica_deletion() {
    let mut w = world();
    let (primary, replica) = pair(&mut w);
    let r = ok_in(&mut w, EAST, "ScheduleKeyDeletion", json!({"KeyId": primary, "PendingWindowInDays": 7}));
    assert_eq!(r["KeyState"], "PendingReplicaDeletion");
    advance_clock(&mut w, 30 * 86_400).unwrap();
    assert_eq!(
        describe(&mut w, EAST, &primary)["KeyState"],
        "PendingReplicaDeletion",
        "waits for its replica"
    );
    ok_in(&mut w, WEST, "ScheduleKeyDeletion", json!({"KeyId": replica, "PendingWindowInDays": 7}));
    advance_clock(&mut w, 7 * 86_400).unwrap();
    assert_eq!(code_in(&mut w, WEST, "DescribeKey", json!({"KeyId": replica})), "NotFoundException");
    // Its own waiting period starts when the last replica is gone.
    let p = describe(&mut w, EAST, &primary);
    assert_eq!(p["KeyState"], "PendingDeletion");
    assert_eq!(p["DeletionDate"], w.now + 7 * 86_400);
    advance_clock(&mut w, 7 * 86_400).unwrap();
    assert_eq!(code_in(&mut w, EAST, "DescribeKey", json!({"KeyId": primary})), "NotFoundException");
}

#[test]
fn each_replica_costs_a_key_month() {
    let mut w = world();
    let (primary, _) = pair(&mut w);
    ok_in(&mut w, EAST, "ReplicateKey", json!({"KeyId": primary, "ReplicaRegion": EU}));
    let e = cost::estimate(&w, &Value::Null).unwrap();
    assert_eq!(e["projection"]["keysPerMonth"], 3.0, "a primary and two replicas: {e}");
}
