//! Imported key material: GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial,
//! expiry on the simulated clock, and on-demand rotation to new imported material.
//!
//! The material is wrapped here as a user would with OpenSSL, with the `rsa` crate (RSAES-OAEP)
//! and RFC 5649 AES key wrap with padding (`kwp`, checked against the RFC's vectors).
//! Behaviour from the KMS developer guide: "Importing key material"
//! (https://docs.aws.amazon.com/kms/latest/developerguide/importing-keys.html), "Step 4: Import
//! the key material" (…/importing-keys-import-key-material.html: the first material is
//! permanently associated; symmetric keys with EXTERNAL origin support on-demand rotation with
//! ImportType NEW_KEY_MATERIAL; EXISTING_KEY_MATERIAL, the default, must bring material already
//! associated; a key with deleted or expired material is PendingImport), and "Rotate keys on
//! demand" (…/rotating-keys-on-demand.html).

use rsa::pkcs8::DecodePublicKey;
use secplay::kms::ops::import::kwp;
use secplay::kms::{advance_clock, World};
use serde_json::{json, Value};

use crate::common::*;

/// Wraps `material` with the public key of `params` as `algorithm` names.
fn wrap(params: &Value, algorithm: &str, material: &[u8]) -> String {
    let public = rsa::PublicKey::from_public_key_der(&unb64(&params["PublicKey"])).unwrap();
    let oaep = |data: &[u8]| match algorithm {
        "RSAES_OAEP_SHA_1" | "RSA_AES_KEY_WRAP_SHA_1" => {
            public.oaep_encrypt_with_rng::<sha1::Sha1, _>(&mut getrandom::SysRng, data).unwrap()
        }
        _ => public.oaep_encrypt_with_rng::<sha2::Sha256, _>(&mut getrandom::SysRng, data).unwrap(),
    };
    let out = if algorithm.starts_with("RSA_AES_KEY_WRAP") {
        let ephemeral = [0x5au8; 32];
        let mut out = oaep(&ephemeral);
        out.extend(kwp::wrap(&ephemeral, material).unwrap());
        out
    } else {
        oaep(material)
    };
    b64(&out)
}

fn external_key(w: &mut World) -> String {
    create_key(w, &admin(MAIN), json!({"Origin": "EXTERNAL"}))
}

fn params(w: &mut World, arn: &str, algorithm: &str) -> Value {
    ok(
        w,
        "GetParametersForImport",
        json!({"KeyId": arn, "WrappingAlgorithm": algorithm, "WrappingKeySpec": "RSA_2048"}),
        admin(MAIN),
    )
}

/// Imports `material` with a fresh token; returns the response or the error code.
fn import(w: &mut World, arn: &str, material: &[u8], extra: Value) -> Result<Value, String> {
    let alg = "RSAES_OAEP_SHA_256";
    let p = params(w, arn, alg);
    let mut req = json!({"KeyId": arn, "ImportToken": p["ImportToken"], "EncryptedKeyMaterial": wrap(&p, alg, material)});
    for (k, v) in extra.as_object().unwrap() {
        req[k] = v.clone();
    }
    try_call(w, "ImportKeyMaterial", req, admin(MAIN)).map_err(|e| e.code().to_string())
}

fn state(w: &mut World, arn: &str) -> Value {
    ok(w, "DescribeKey", json!({"KeyId": arn}), admin(MAIN))["KeyMetadata"].clone()
}

#[test]
fn every_wrapping_algorithm_imports_and_the_key_encrypts() {
    for alg in
        ["RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "RSA_AES_KEY_WRAP_SHA_1", "RSA_AES_KEY_WRAP_SHA_256"]
    {
        let mut w = world();
        let arn = external_key(&mut w);
        let m = state(&mut w, &arn);
        assert_eq!(m["KeyState"], "PendingImport", "{alg}: a new EXTERNAL key waits for its material");
        assert_eq!(m["Origin"], "EXTERNAL");
        let p = params(&mut w, &arn, alg);
        assert_eq!(p["ParametersValidTo"], w.now + 86_400, "{alg}: the token is valid for 24 hours");
        let r = ok(
            &mut w,
            "ImportKeyMaterial",
            json!({"KeyId": arn, "ImportToken": p["ImportToken"], "EncryptedKeyMaterial": wrap(&p, alg, &[9u8; 32]),
                   "ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE"}),
            admin(MAIN),
        );
        assert_eq!(r["KeyMaterialId"].as_str().unwrap().len(), 64, "{alg}");
        let m = state(&mut w, &arn);
        assert_eq!(m["KeyState"], "Enabled", "{alg}");
        assert_eq!(m["ExpirationModel"], "KEY_MATERIAL_DOES_NOT_EXPIRE", "{alg}");
        let ct = ok(&mut w, "Encrypt", json!({"KeyId": arn, "Plaintext": b64(b"imported")}), admin(MAIN));
        let d = ok(&mut w, "Decrypt", json!({"CiphertextBlob": ct["CiphertextBlob"]}), admin(MAIN));
        assert_eq!(unb64(&d["Plaintext"]), b"imported", "{alg}");
    }
}

#[test]
fn import_errors() {
    let mut w = world();
    let arn = external_key(&mut w);
    let kms_made = create_key(&mut w, &admin(MAIN), json!({}));
    expect_code(
        &mut w,
        "GetParametersForImport",
        json!({"KeyId": kms_made, "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"}),
        admin(MAIN),
        "UnsupportedOperationException",
    );
    for (alg, spec) in [("RSAES_PKCS1_V1_5", "RSA_2048"), ("SM2PKE", "SM2"), ("RSAES_OAEP_SHA_256", "SM2")] {
        expect_code(
            &mut w,
            "GetParametersForImport",
            json!({"KeyId": arn, "WrappingAlgorithm": alg, "WrappingKeySpec": spec}),
            admin(MAIN),
            "ValidationException",
        );
    }
    // A token of another key, or an old token once a new one was asked for.
    let other = external_key(&mut w);
    let p_other = params(&mut w, &other, "RSAES_OAEP_SHA_256");
    let p = params(&mut w, &arn, "RSAES_OAEP_SHA_256");
    let req = |token: &Value, p: &Value| json!({"KeyId": arn, "ImportToken": token, "EncryptedKeyMaterial": wrap(p, "RSAES_OAEP_SHA_256", &[1u8; 32])});
    expect_code(
        &mut w,
        "ImportKeyMaterial",
        req(&p_other["ImportToken"], &p),
        admin(MAIN),
        "InvalidImportTokenException",
    );
    let p2 = params(&mut w, &arn, "RSAES_OAEP_SHA_256");
    expect_code(
        &mut w,
        "ImportKeyMaterial",
        req(&p["ImportToken"], &p),
        admin(MAIN),
        "InvalidImportTokenException",
    );
    // Material wrapped with another key's public key, or not 256 bits.
    expect_code(
        &mut w,
        "ImportKeyMaterial",
        req(&p2["ImportToken"], &p_other),
        admin(MAIN),
        "InvalidCiphertextException",
    );
    expect_code(
        &mut w,
        "ImportKeyMaterial",
        json!({"KeyId": arn, "ImportToken": p2["ImportToken"], "EncryptedKeyMaterial": wrap(&p2, "RSAES_OAEP_SHA_256", &[1u8; 16])}),
        admin(MAIN),
        "ValidationException",
    );
    // Expiry model and ValidTo must agree; ValidTo in the future, at most a year ahead.
    assert_eq!(
        import(&mut w, &arn, &[1; 32], json!({"ExpirationModel": "KEY_MATERIAL_EXPIRES"})).unwrap_err(),
        "ValidationException"
    );
    let now = w.now;
    assert_eq!(
        import(
            &mut w,
            &arn,
            &[1; 32],
            json!({"ExpirationModel": "KEY_MATERIAL_DOES_NOT_EXPIRE", "ValidTo": now + 86_400})
        )
        .unwrap_err(),
        "ValidationException"
    );
    assert_eq!(
        import(&mut w, &arn, &[1; 32], json!({"ValidTo": now - 1})).unwrap_err(),
        "ValidationException"
    );
    assert_eq!(
        import(&mut w, &arn, &[1; 32], json!({"ValidTo": now + 366 * 86_400})).unwrap_err(),
        "ValidationException"
    );
    // The token expires after 24 hours on the clock.
    let p3 = params(&mut w, &arn, "RSAES_OAEP_SHA_256");
    advance_clock(&mut w, 86_400).unwrap();
    expect_code(
        &mut w,
        "ImportKeyMaterial",
        req(&p3["ImportToken"], &p3),
        admin(MAIN),
        "ExpiredImportTokenException",
    );
    // A key of KMS-made material takes no import.
    expect_code(
        &mut w,
        "DeleteImportedKeyMaterial",
        json!({"KeyId": kms_made}),
        admin(MAIN),
        "UnsupportedOperationException",
    );
    // Using a key still pending import.
    expect_code(
        &mut w,
        "Encrypt",
        json!({"KeyId": arn, "Plaintext": b64(b"x")}),
        admin(MAIN),
        "KMSInvalidStateException",
    );
}

#[test]
fn only_the_same_material_can_be_reimported() {
    let mut w = world();
    let arn = external_key(&mut w);
    let first = import(&mut w, &arn, &[1; 32], json!({})).unwrap();
    let again = import(&mut w, &arn, &[1; 32], json!({"KeyMaterialDescription": "again"})).unwrap();
    assert_eq!(first["KeyMaterialId"], again["KeyMaterialId"], "the same material has the same id");
    assert_eq!(import(&mut w, &arn, &[2; 32], json!({})).unwrap_err(), "IncorrectKeyMaterialException");
    assert_eq!(
        import(&mut w, &arn, &[1; 32], json!({"KeyMaterialId": "0".repeat(64)})).unwrap_err(),
        "IncorrectKeyMaterialException"
    );
}

#[test]
fn deleted_or_expired_material_makes_the_key_pending_import_until_reimported() {
    let mut w = world();
    let arn = external_key(&mut w);
    let valid_to = w.now + 10 * 86_400;
    import(&mut w, &arn, &[3; 32], json!({"ExpirationModel": "KEY_MATERIAL_EXPIRES", "ValidTo": valid_to}))
        .unwrap();
    let m = state(&mut w, &arn);
    assert_eq!(m["ExpirationModel"], "KEY_MATERIAL_EXPIRES");
    assert_eq!(m["ValidTo"], valid_to);
    let ct = ok(&mut w, "Encrypt", json!({"KeyId": arn, "Plaintext": b64(b"kept")}), admin(MAIN))
        ["CiphertextBlob"]
        .clone();
    let r = advance_clock(&mut w, 10 * 86_400).unwrap();
    assert_eq!(r["events"][0]["eventName"], "DeleteExpiredKeyMaterial", "{r}");
    assert_eq!(state(&mut w, &arn)["KeyState"], "PendingImport");
    expect_code(&mut w, "Decrypt", json!({"CiphertextBlob": ct}), admin(MAIN), "KMSInvalidStateException");
    import(&mut w, &arn, &[3; 32], json!({})).unwrap();
    assert_eq!(state(&mut w, &arn)["KeyState"], "Enabled");
    assert_eq!(
        unb64(&ok(&mut w, "Decrypt", json!({"CiphertextBlob": ct}), admin(MAIN))["Plaintext"]),
        b"kept"
    );
    // Deleting the material: PendingImport again, until the same material is back.
    let d = ok(&mut w, "DeleteImportedKeyMaterial", json!({"KeyId": arn}), admin(MAIN));
    assert_eq!(d["KeyId"], arn.as_str());
    assert_eq!(state(&mut w, &arn)["KeyState"], "PendingImport");
    let rot = ok(
        &mut w,
        "ListKeyRotations",
        json!({"KeyId": arn, "IncludeKeyMaterial": "ALL_KEY_MATERIAL"}),
        admin(MAIN),
    );
    assert_eq!(rot["Rotations"][0]["ImportState"], "PENDING_IMPORT", "{rot}");
    import(&mut w, &arn, &[3; 32], json!({})).unwrap();
    assert_eq!(state(&mut w, &arn)["KeyState"], "Enabled");
}

#[test]
fn imported_keys_rotate_on_demand_to_new_material_only() {
    // https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-on-demand.html:
    // symmetric keys with imported material rotate on demand (new material imported first),
    // never automatically.
    let mut w = world();
    let arn = external_key(&mut w);
    let first = import(&mut w, &arn, &[4; 32], json!({})).unwrap()["KeyMaterialId"].clone();
    expect_code(
        &mut w,
        "EnableKeyRotation",
        json!({"KeyId": arn}),
        admin(MAIN),
        "UnsupportedOperationException",
    );
    expect_code(&mut w, "RotateKeyOnDemand", json!({"KeyId": arn}), admin(MAIN), "KMSInvalidStateException");
    let old = ok(&mut w, "Encrypt", json!({"KeyId": arn, "Plaintext": b64(b"old")}), admin(MAIN))
        ["CiphertextBlob"]
        .clone();
    let new = import(
        &mut w,
        &arn,
        &[5; 32],
        json!({"ImportType": "NEW_KEY_MATERIAL", "KeyMaterialDescription": "2026 material"}),
    )
    .unwrap()["KeyMaterialId"]
        .clone();
    let rot = ok(
        &mut w,
        "ListKeyRotations",
        json!({"KeyId": arn, "IncludeKeyMaterial": "ALL_KEY_MATERIAL"}),
        admin(MAIN),
    );
    assert_eq!(rot["Rotations"][1]["KeyMaterialState"], "PENDING_ROTATION", "{rot}");
    assert_eq!(state(&mut w, &arn)["CurrentKeyMaterialId"], first, "staged material is not current yet");
    ok(&mut w, "RotateKeyOnDemand", json!({"KeyId": arn}), admin(MAIN));
    assert_eq!(state(&mut w, &arn)["CurrentKeyMaterialId"], new);
    let rot = ok(&mut w, "ListKeyRotations", json!({"KeyId": arn}), admin(MAIN));
    assert_eq!(rot["Rotations"][0]["RotationType"], "ON_DEMAND");
    assert_eq!(rot["Rotations"][0]["KeyMaterialDescription"], "2026 material");
    assert_eq!(
        unb64(&ok(&mut w, "Decrypt", json!({"CiphertextBlob": old}), admin(MAIN))["Plaintext"]),
        b"old"
    );
    let ct = ok(&mut w, "Encrypt", json!({"KeyId": arn, "Plaintext": b64(b"new")}), admin(MAIN));
    assert_eq!(ct["KeyId"], arn.as_str());
}

#[test]
fn a_multi_region_imported_key_takes_the_same_material_in_each_region() {
    let mut w = world();
    let primary = create_key(&mut w, &admin(MAIN), json!({"Origin": "EXTERNAL", "MultiRegion": true}));
    import(&mut w, &primary, &[6; 32], json!({})).unwrap();
    let west = json!({"principal": admin(MAIN), "region": "us-west-2"});
    let r = ok(&mut w, "ReplicateKey", json!({"KeyId": primary, "ReplicaRegion": "us-west-2"}), admin(MAIN));
    let replica = r["ReplicaKeyMetadata"]["Arn"].as_str().unwrap().to_string();
    let d = ok(&mut w, "DescribeKey", json!({"KeyId": replica}), west.clone());
    assert_eq!(d["KeyMetadata"]["KeyState"], "PendingImport", "a replica of imported material waits for it");
    let p = ok(
        &mut w,
        "GetParametersForImport",
        json!({"KeyId": replica, "WrappingAlgorithm": "RSA_AES_KEY_WRAP_SHA_256", "WrappingKeySpec": "RSA_2048"}),
        west.clone(),
    );
    let req = |m: &[u8]| json!({"KeyId": replica, "ImportToken": p["ImportToken"], "EncryptedKeyMaterial": wrap(&p, "RSA_AES_KEY_WRAP_SHA_256", m)});
    expect_code(&mut w, "ImportKeyMaterial", req(&[7; 32]), west.clone(), "IncorrectKeyMaterialException");
    ok(&mut w, "ImportKeyMaterial", req(&[6; 32]), west.clone());
    let ct = ok(&mut w, "Encrypt", json!({"KeyId": primary, "Plaintext": b64(b"mr")}), admin(MAIN))
        ["CiphertextBlob"]
        .clone();
    assert_eq!(unb64(&ok(&mut w, "Decrypt", json!({"CiphertextBlob": ct}), west)["Plaintext"]), b"mr");
}

#[test]
fn requests_leave_the_token_and_wrapped_material_out_of_the_audit_log() {
    let mut w = world();
    let arn = external_key(&mut w);
    import(&mut w, &arn, &[8; 32], json!({})).unwrap();
    let events = secplay::kms::audit::filter(&w, &json!({"eventName": "ImportKeyMaterial"})).unwrap();
    let rp = &events[0]["requestParameters"];
    assert!(rp.get("importToken").is_none() && rp.get("encryptedKeyMaterial").is_none(), "{rp}");
    assert_eq!(rp["keyId"], arn.as_str());
    let events = secplay::kms::audit::filter(&w, &json!({"eventName": "GetParametersForImport"})).unwrap();
    let re = &events[0]["responseElements"];
    assert!(re.get("importToken").is_none() && re.get("publicKey").is_none(), "{re}");
}
