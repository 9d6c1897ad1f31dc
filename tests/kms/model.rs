//! Requests and responses checked against the botocore model's shapes
//! (`../shared/vectors/aws-models/kms-2014-11-01.service-2.json`): member names and types,
//! required members, enums, length and range bounds.
//!
//! A scenario calls every operation the engine implements; each request is checked against the
//! operation's input shape, each response against its output shape, and each error against the
//! operation's declared errors.

use std::collections::BTreeSet;

use secplay::kms::ops::OPERATIONS;
use secplay::kms::World;
use serde_json::{json, Value};

use crate::common::*;

#[path = "../shared/botocore_model.rs"]
mod botocore_model;
use botocore_model::Model;

const MODEL: &str = "../shared/vectors/aws-models/kms-2014-11-01.service-2.json";

/// Calls an operation and checks request, response or error against the model.
fn checked(
    m: &Model,
    w: &mut World,
    seen: &mut BTreeSet<String>,
    op: &str,
    req: Value,
    caller: &str,
) -> Result<Value, String> {
    let o = &m.json["operations"][op];
    assert!(o.is_object(), "{op} is not in the model");
    let mut problems = Vec::new();
    if let Some(input) = o["input"]["shape"].as_str() {
        m.check(input, &req, &format!("{op} request"), &mut problems);
    }
    assert!(problems.is_empty(), "the test's own request breaks the model: {problems:#?}");
    seen.insert(op.to_string());
    match try_call(w, op, req, caller) {
        Ok(v) => {
            if let Some(output) = o["output"]["shape"].as_str() {
                m.check(output, &v, &format!("{op} response"), &mut problems);
            }
            assert!(problems.is_empty(), "{problems:#?}");
            Ok(v)
        }
        Err(e) => {
            let declared: Vec<&str> =
                o["errors"].as_array().into_iter().flatten().filter_map(|x| x["shape"].as_str()).collect();
            let generic = [
                "AccessDeniedException",
                "ValidationException",
                "SerializationException",
                "UnrecognizedClientException",
            ];
            assert!(
                declared.contains(&e.code()) || generic.contains(&e.code()),
                "{op} answered {} which the model does not declare for it ({declared:?})",
                e.code()
            );
            Err(e.code().to_string())
        }
    }
}

#[test]
fn every_operation_answers_in_the_model_shapes() {
    let m = Model::load(MODEL);
    let mut w = world();
    let mut seen = BTreeSet::new();
    let a = admin(MAIN);
    let a = a.as_str();
    let mut call = |w: &mut World, op: &str, req: Value| checked(&m, w, &mut seen, op, req, a);
    let sym =
        call(&mut w, "CreateKey", json!({"Description": "d", "Tags": [{"TagKey": "a", "TagValue": "b"}]}))
            .unwrap()["KeyMetadata"]["Arn"]
            .as_str()
            .unwrap()
            .to_string();
    let sig = call(&mut w, "CreateKey", json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}))
        .unwrap()["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    let ka = call(&mut w, "CreateKey", json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "KEY_AGREEMENT"}))
        .unwrap()["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    let mac = call(&mut w, "CreateKey", json!({"KeySpec": "HMAC_256"})).unwrap()["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    let rsa = call(&mut w, "CreateKey", json!({"KeySpec": "RSA_2048", "KeyUsage": "ENCRYPT_DECRYPT"}))
        .unwrap()["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    let kem =
        call(&mut w, "CreateKey", json!({"KeySpec": "ML_KEM_768", "KeyUsage": "ENCAPSULATE_DECAPSULATE"}))
            .ok()
            .map(|v| v["KeyMetadata"]["Arn"].as_str().unwrap().to_string());
    call(&mut w, "DescribeKey", json!({"KeyId": sym})).unwrap();
    call(&mut w, "ListKeys", json!({"Limit": 2})).unwrap();
    call(&mut w, "UpdateKeyDescription", json!({"KeyId": sym, "Description": "e"})).unwrap();
    call(&mut w, "DisableKey", json!({"KeyId": sym})).unwrap();
    call(&mut w, "EnableKey", json!({"KeyId": sym})).unwrap();
    call(&mut w, "EnableKeyRotation", json!({"KeyId": sym, "RotationPeriodInDays": 100})).unwrap();
    call(&mut w, "GetKeyRotationStatus", json!({"KeyId": sym})).unwrap();
    call(&mut w, "RotateKeyOnDemand", json!({"KeyId": sym})).unwrap();
    call(&mut w, "ListKeyRotations", json!({"KeyId": sym})).unwrap();
    call(&mut w, "DisableKeyRotation", json!({"KeyId": sym})).unwrap();
    let pol = call(&mut w, "GetKeyPolicy", json!({"KeyId": sym, "PolicyName": "default"})).unwrap()["Policy"]
        .clone();
    call(&mut w, "PutKeyPolicy", json!({"KeyId": sym, "PolicyName": "default", "Policy": pol})).unwrap();
    call(&mut w, "ListKeyPolicies", json!({"KeyId": sym})).unwrap();
    call(&mut w, "TagResource", json!({"KeyId": sym, "Tags": [{"TagKey": "c", "TagValue": "d"}]})).unwrap();
    call(&mut w, "UntagResource", json!({"KeyId": sym, "TagKeys": ["c"]})).unwrap();
    call(&mut w, "ListResourceTags", json!({"KeyId": sym})).unwrap();
    call(&mut w, "CreateAlias", json!({"AliasName": "alias/m", "TargetKeyId": sym})).unwrap();
    call(&mut w, "ListAliases", json!({})).unwrap();
    let sym2 =
        call(&mut w, "CreateKey", json!({})).unwrap()["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
    call(&mut w, "UpdateAlias", json!({"AliasName": "alias/m", "TargetKeyId": sym2})).unwrap();
    call(&mut w, "DeleteAlias", json!({"AliasName": "alias/m"})).unwrap();
    let ctx = json!({"k": "v"});
    let ct = call(&mut w, "Encrypt", json!({"KeyId": sym, "Plaintext": b64(b"p"), "EncryptionContext": ctx}))
        .unwrap()["CiphertextBlob"]
        .clone();
    call(&mut w, "Decrypt", json!({"CiphertextBlob": ct, "EncryptionContext": ctx})).unwrap();
    call(
        &mut w,
        "ReEncrypt",
        json!({"CiphertextBlob": ct, "SourceEncryptionContext": ctx, "DestinationKeyId": sym2}),
    )
    .unwrap();
    call(&mut w, "GenerateDataKey", json!({"KeyId": sym, "KeySpec": "AES_256"})).unwrap();
    call(&mut w, "GenerateDataKeyWithoutPlaintext", json!({"KeyId": sym, "NumberOfBytes": 16})).unwrap();
    call(&mut w, "GenerateDataKeyPair", json!({"KeyId": sym, "KeyPairSpec": "ECC_NIST_P256"})).unwrap();
    call(
        &mut w,
        "GenerateDataKeyPairWithoutPlaintext",
        json!({"KeyId": sym, "KeyPairSpec": "ECC_NIST_P256"}),
    )
    .unwrap();
    call(&mut w, "GenerateRandom", json!({"NumberOfBytes": 8})).unwrap();
    let s = call(
        &mut w,
        "Sign",
        json!({"KeyId": sig, "Message": b64(b"m"), "SigningAlgorithm": "ECDSA_SHA_256"}),
    )
    .unwrap();
    call(&mut w, "Verify", json!({"KeyId": sig, "Message": b64(b"m"), "SigningAlgorithm": "ECDSA_SHA_256", "Signature": s["Signature"]})).unwrap();
    let peer = call(&mut w, "GetPublicKey", json!({"KeyId": ka})).unwrap()["PublicKey"].clone();
    call(&mut w, "GetPublicKey", json!({"KeyId": sig})).unwrap();
    let _ = call(
        &mut w,
        "DeriveSharedSecret",
        json!({"KeyId": ka, "KeyAgreementAlgorithm": "ECDH", "PublicKey": peer}),
    );
    let tag = call(
        &mut w,
        "GenerateMac",
        json!({"KeyId": mac, "Message": b64(b"m"), "MacAlgorithm": "HMAC_SHA_256"}),
    )
    .unwrap();
    call(
        &mut w,
        "VerifyMac",
        json!({"KeyId": mac, "Message": b64(b"m"), "MacAlgorithm": "HMAC_SHA_256", "Mac": tag["Mac"]}),
    )
    .unwrap();
    let rct = call(
        &mut w,
        "Encrypt",
        json!({"KeyId": rsa, "Plaintext": b64(b"p"), "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"}),
    )
    .unwrap()["CiphertextBlob"]
        .clone();
    call(
        &mut w,
        "Decrypt",
        json!({"KeyId": rsa, "CiphertextBlob": rct, "EncryptionAlgorithm": "RSAES_OAEP_SHA_1"}),
    )
    .unwrap();
    match kem {
        Some(kem) => {
            let e = call(&mut w, "Encapsulate", json!({"KeyId": kem, "EncapsulationAlgorithm": "ML_KEM"}))
                .unwrap();
            call(&mut w, "Decapsulate", json!({"KeyId": kem, "EncapsulationAlgorithm": "ML_KEM", "SharedSecretCiphertextBlob": e["SharedSecretCiphertextBlob"]})).unwrap();
        }
        None => {
            let _ = call(&mut w, "Encapsulate", json!({"KeyId": sym, "EncapsulationAlgorithm": "ML_KEM"}));
            let _ = call(
                &mut w,
                "Decapsulate",
                json!({"KeyId": sym, "EncapsulationAlgorithm": "ML_KEM", "SharedSecretCiphertextBlob": b64(b"x")}),
            );
        }
    }
    let g = call(&mut w, "CreateGrant", json!({"KeyId": sym, "GranteePrincipal": admin(PARTNER), "RetiringPrincipal": admin(MAIN), "Operations": ["Decrypt"], "Constraints": {"EncryptionContextEquals": ctx}})).unwrap();
    call(&mut w, "ListGrants", json!({"KeyId": sym})).unwrap();
    call(&mut w, "ListRetirableGrants", json!({"RetiringPrincipal": admin(MAIN)})).unwrap();
    call(&mut w, "RetireGrant", json!({"GrantToken": g["GrantToken"]})).unwrap();
    let g = call(
        &mut w,
        "CreateGrant",
        json!({"KeyId": sym, "GranteePrincipal": admin(PARTNER), "Operations": ["Decrypt"]}),
    )
    .unwrap();
    call(&mut w, "RevokeGrant", json!({"KeyId": sym, "GrantId": g["GrantId"]})).unwrap();
    call(&mut w, "GetKeyLastUsage", json!({"KeyId": sym})).unwrap();
    call(&mut w, "ScheduleKeyDeletion", json!({"KeyId": sym2, "PendingWindowInDays": 7})).unwrap();
    call(&mut w, "CancelKeyDeletion", json!({"KeyId": sym2})).unwrap();
    let mrk = call(&mut w, "CreateKey", json!({"MultiRegion": true})).unwrap()["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    call(
        &mut w,
        "ReplicateKey",
        json!({"KeyId": mrk, "ReplicaRegion": "us-west-2", "Description": "r", "Tags": [{"TagKey": "a", "TagValue": "b"}]}),
    )
    .unwrap();
    let _ = call(&mut w, "ReplicateKey", json!({"KeyId": mrk, "ReplicaRegion": "us-west-2"}));
    call(&mut w, "UpdatePrimaryRegion", json!({"KeyId": mrk, "PrimaryRegion": "us-west-2"})).unwrap();
    let _ = call(&mut w, "UpdatePrimaryRegion", json!({"KeyId": mrk, "PrimaryRegion": "eu-west-1"}));
    let ext = call(&mut w, "CreateKey", json!({"Origin": "EXTERNAL"})).unwrap()["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    let ip = call(
        &mut w,
        "GetParametersForImport",
        json!({"KeyId": ext, "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"}),
    )
    .unwrap();
    let public = {
        use rsa::pkcs8::DecodePublicKey;
        rsa::PublicKey::from_public_key_der(&unb64(&ip["PublicKey"])).unwrap()
    };
    let wrapped =
        public.oaep_encrypt_with_rng::<sha2::Sha256, _>(&mut getrandom::SysRng, &[1u8; 32]).unwrap();
    let now = w.now;
    call(
        &mut w,
        "ImportKeyMaterial",
        json!({"KeyId": ext, "ImportToken": ip["ImportToken"], "EncryptedKeyMaterial": b64(&wrapped),
               "ExpirationModel": "KEY_MATERIAL_EXPIRES", "ValidTo": now + 86_400, "KeyMaterialDescription": "m"}),
    )
    .unwrap();
    let _ = call(
        &mut w,
        "ImportKeyMaterial",
        json!({"KeyId": ext, "ImportToken": b64(b"bad"), "EncryptedKeyMaterial": b64(&wrapped)}),
    );
    call(&mut w, "ListKeyRotations", json!({"KeyId": ext, "IncludeKeyMaterial": "ALL_KEY_MATERIAL"}))
        .unwrap();
    call(&mut w, "DeleteImportedKeyMaterial", json!({"KeyId": ext})).unwrap();
    let _ = call(&mut w, "DeleteImportedKeyMaterial", json!({"KeyId": sym}));
    // Documented errors are declared for their operations.
    let _ = call(&mut w, "Decrypt", json!({"CiphertextBlob": b64(b"junk")}));
    let _ = call(&mut w, "DescribeKey", json!({"KeyId": "alias/none"}));
    let _ = call(&mut w, "Encrypt", json!({"KeyId": mac, "Plaintext": b64(b"p")}));
    let missing: Vec<&&str> = OPERATIONS.iter().filter(|o| !seen.contains(**o)).collect();
    assert!(missing.is_empty(), "operations the scenario does not cover: {missing:?}");
}
