//! The Encryption SDK's AWS KMS keyrings over the emulator (`secplay::kms::esdk_client`): round
//! trips through each keyring, denials and KMS errors surfacing with their AWS exception name,
//! discovery filters, multi-Region keys across regions, and a multi-keyring with raw AES.

use std::cell::RefCell;

use secplay::crypto::esdk::{
    decrypt, encrypt, DataKey, DecryptOptions, EncryptOptions, EncryptionContext, EsdkError,
};
use secplay::crypto::keyring::aws_kms::{
    DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse, GenerateDataKeyRequest,
    GenerateDataKeyResponse, KmsClient, KmsClientError,
};
use secplay::crypto::keyring::{
    AwsKmsDiscoveryKeyring, AwsKmsKeyring, DiscoveryFilter, Keyring, MultiKeyring, RawAesKeyring,
};
use secplay::kms::esdk_client::WorldClient;
use secplay::kms::{CallerContext, World};
use serde_json::json;

use super::common::{admin, create_key, ok, MAIN, PARTNER};

fn caller(principal: &str, region: &str) -> CallerContext {
    CallerContext {
        principal: principal.to_string(),
        region: Some(region.to_string()),
        ..CallerContext::default()
    }
}

fn client<'w>(w: &'w RefCell<World>, principal: &str) -> Box<dyn KmsClient + 'w> {
    Box::new(WorldClient::new(w, caller(principal, "us-east-1")))
}

fn opts() -> EncryptOptions {
    EncryptOptions {
        encryption_context: EncryptionContext([("purpose".to_string(), "test".to_string())].into()),
        ..EncryptOptions::default()
    }
}

fn roundtrip_with(enc: &dyn Keyring, dec: &dyn Keyring) -> Result<Vec<u8>, EsdkError> {
    let message = encrypt(b"secret payload", &enc, &opts()).expect("encrypt");
    decrypt(&message, &dec, &DecryptOptions::default()).map(|d| d.plaintext)
}

fn events(w: &RefCell<World>) -> Vec<(String, String, String)> {
    w.borrow()
        .audit
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap_or_default().to_string();
            (s("eventName"), s("awsRegion"), s("errorCode"))
        })
        .collect()
}

/// A world with one symmetric key of the main account in us-east-1.
fn world_with_key() -> (RefCell<World>, String) {
    let mut w = World::new();
    let arn = create_key(&mut w, &admin(MAIN), json!({"Description": "esdk"}));
    (RefCell::new(w), arn)
}

#[test]
fn the_kms_keyring_round_trips_and_writes_the_key_arn_as_provider_info() {
    let (w, arn) = world_with_key();
    let k = AwsKmsKeyring::new(&arn, client(&w, &admin(MAIN)), vec![]).unwrap();
    let message = encrypt(b"secret payload", &k, &opts()).unwrap();
    let d = decrypt(&message, &k, &DecryptOptions::default()).unwrap();
    assert_eq!(d.plaintext, b"secret payload");
    let edk = &d.header.encrypted_data_keys[0];
    assert_eq!(edk.provider_id, "aws-kms");
    assert_eq!(edk.provider_info, arn.as_bytes());
    let names: Vec<_> = events(&w).into_iter().map(|e| e.0).collect();
    assert_eq!(names[names.len() - 2..], ["GenerateDataKey".to_string(), "Decrypt".to_string()]);
}

#[test]
fn an_alias_encrypts_but_only_the_key_arn_decrypts() {
    let (w, arn) = world_with_key();
    ok(
        &mut w.borrow_mut(),
        "CreateAlias",
        json!({"AliasName": "alias/esdk", "TargetKeyId": arn}),
        admin(MAIN),
    );
    let by_alias = AwsKmsKeyring::new("alias/esdk", client(&w, &admin(MAIN)), vec![]).unwrap();
    let by_arn = AwsKmsKeyring::new(&arn, client(&w, &admin(MAIN)), vec![]).unwrap();
    let message = encrypt(b"x", &by_alias, &opts()).unwrap();
    assert_eq!(decrypt(&message, &by_arn, &DecryptOptions::default()).unwrap().plaintext, b"x");
    let e = decrypt(&message, &by_alias, &DecryptOptions::default()).unwrap_err();
    assert_eq!(e.code(), "NoKeyringCouldDecrypt", "{e}");
}

#[test]
fn a_decrypt_denied_by_the_key_policy_fails_with_access_denied() {
    let mut world = World::new();
    let app = format!("arn:aws:iam::{MAIN}:role/App");
    world.add_principal(&app, None).unwrap();
    world
        .put_identity_policy(&app, "kms", &json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:*", "Resource": "*"}]}).to_string())
        .unwrap();
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "Delegate", "Effect": "Allow", "Principal": {"AWS": format!("arn:aws:iam::{MAIN}:root")}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "NoDecryptForApp", "Effect": "Deny", "Principal": {"AWS": app}, "Action": "kms:Decrypt", "Resource": "*"}
    ]});
    let arn = create_key(&mut world, &admin(MAIN), json!({"Policy": policy.to_string()}));
    let w = RefCell::new(world);
    let as_app = AwsKmsKeyring::new(&arn, client(&w, &app), vec![]).unwrap();
    let e = roundtrip_with(&as_app, &as_app).unwrap_err();
    assert_eq!(e.code(), "AccessDeniedException", "{e}");
    assert!(e.to_string().contains(&arn), "the message names the key: {e}");
    assert_eq!(events(&w).last().unwrap().2, "AccessDeniedException", "the denial is audited");
    let as_admin = AwsKmsKeyring::new(&arn, client(&w, &admin(MAIN)), vec![]).unwrap();
    assert_eq!(roundtrip_with(&as_app, &as_admin).unwrap(), b"secret payload");
}

#[test]
fn a_disabled_key_fails_encryption_with_its_aws_exception() {
    let (w, arn) = world_with_key();
    ok(&mut w.borrow_mut(), "DisableKey", json!({"KeyId": arn}), admin(MAIN));
    let k = AwsKmsKeyring::new(&arn, client(&w, &admin(MAIN)), vec![]).unwrap();
    let e = encrypt(b"x", &k, &opts()).unwrap_err();
    assert_eq!(e.code(), "DisabledException", "{e}");
}

#[test]
fn the_discovery_keyring_decrypts_what_its_filter_allows() {
    let (w, arn) = world_with_key();
    let k = AwsKmsKeyring::new(&arn, client(&w, &admin(MAIN)), vec![]).unwrap();
    let message = encrypt(b"found", &k, &opts()).unwrap();
    let d = |filter: Option<DiscoveryFilter>| {
        let keyring = AwsKmsDiscoveryKeyring::new(client(&w, &admin(MAIN)), filter, vec![]);
        decrypt(&message, &keyring, &DecryptOptions::default()).map(|d| d.plaintext)
    };
    assert_eq!(d(None).unwrap(), b"found");
    assert_eq!(d(Some(DiscoveryFilter::new("aws", [MAIN.to_string()]).unwrap())).unwrap(), b"found");
    for (what, filter) in [
        ("another account", DiscoveryFilter::new("aws", [PARTNER.to_string()]).unwrap()),
        ("another partition", DiscoveryFilter::new("aws-cn", [MAIN.to_string()]).unwrap()),
    ] {
        let e = d(Some(filter)).unwrap_err();
        assert_eq!(e.code(), "NoKeyringCouldDecrypt", "{what}: {e}");
    }
    assert!(DiscoveryFilter::new("aws", Vec::<String>::new()).is_err());
    let discovery = AwsKmsDiscoveryKeyring::new(client(&w, &admin(MAIN)), None, vec![]);
    assert_eq!(encrypt(b"x", &discovery, &opts()).unwrap_err().code(), "InvalidKeyring");
}

#[test]
fn the_discovery_keyring_calls_kms_in_the_region_of_the_edk() {
    let mut world = World::new();
    let mut west = caller(&admin(MAIN), "us-west-2");
    west.region = Some("us-west-2".into());
    let arn = secplay::kms::call(&mut world, "CreateKey", &json!({}), &serde_json::to_value(&west).unwrap())
        .unwrap()["KeyMetadata"]["Arn"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(arn.contains(":us-west-2:"));
    let w = RefCell::new(world);
    let message =
        encrypt(b"west", &AwsKmsKeyring::new(&arn, client(&w, &admin(MAIN)), vec![]).unwrap(), &opts())
            .unwrap();
    let discovery = AwsKmsDiscoveryKeyring::new(client(&w, &admin(MAIN)), None, vec![]);
    assert_eq!(decrypt(&message, &discovery, &DecryptOptions::default()).unwrap().plaintext, b"west");
    assert_eq!(events(&w).last().unwrap().1, "us-west-2");
    // The MRK discovery keyring of another region skips a single-region key of us-west-2.
    let east = AwsKmsDiscoveryKeyring::mrk(client(&w, &admin(MAIN)), "us-east-1", None, vec![]).unwrap();
    assert_eq!(
        decrypt(&message, &east, &DecryptOptions::default()).unwrap_err().code(),
        "NoKeyringCouldDecrypt"
    );
}

/// A multi-Region key in us-east-1 and its replica in us-west-2 (ReplicateKey).
fn world_with_mrk() -> (RefCell<World>, String, String) {
    let mut w = World::new();
    let primary = create_key(&mut w, &admin(MAIN), json!({"MultiRegion": true}));
    let r = ok(&mut w, "ReplicateKey", json!({"KeyId": primary, "ReplicaRegion": "us-west-2"}), admin(MAIN));
    let west = r["ReplicaKeyMetadata"]["Arn"].as_str().unwrap().to_string();
    assert_eq!(west, primary.replace(":us-east-1:", ":us-west-2:"));
    (RefCell::new(w), primary, west)
}

#[test]
fn an_mrk_encrypts_in_one_region_and_decrypts_in_another() {
    let (w, east, west) = world_with_mrk();
    assert!(east.contains(":key/mrk-"));
    let enc = AwsKmsKeyring::mrk(&east, client(&w, &admin(MAIN)), vec![]).unwrap();
    let message = encrypt(b"replicated", &enc, &opts()).unwrap();
    let dec = AwsKmsKeyring::mrk(&west, client(&w, &admin(MAIN)), vec![]).unwrap();
    assert_eq!(decrypt(&message, &dec, &DecryptOptions::default()).unwrap().plaintext, b"replicated");
    assert_eq!(events(&w).last().unwrap(), &("Decrypt".to_string(), "us-west-2".to_string(), String::new()));
    // The plain KMS keyring does not MRK-match: the west ARN is not the one in the message.
    let strict = AwsKmsKeyring::new(&west, client(&w, &admin(MAIN)), vec![]).unwrap();
    assert_eq!(
        decrypt(&message, &strict, &DecryptOptions::default()).unwrap_err().code(),
        "NoKeyringCouldDecrypt"
    );
    // The MRK discovery keyring of us-west-2 asks for the replica.
    let discovery = AwsKmsDiscoveryKeyring::mrk(
        client(&w, &admin(MAIN)),
        "us-west-2",
        Some(DiscoveryFilter::new("aws", [MAIN.to_string()]).unwrap()),
        vec![],
    )
    .unwrap();
    assert_eq!(decrypt(&message, &discovery, &DecryptOptions::default()).unwrap().plaintext, b"replicated");
    assert_eq!(events(&w).last().unwrap().1, "us-west-2");
}

#[test]
fn a_multi_keyring_with_kms_and_raw_aes_decrypts_with_either() {
    let (w, arn) = world_with_key();
    let raw = || RawAesKeyring::new("ns", "aes", DataKey::new(vec![9u8; 32])).unwrap();
    for kms_generates in [true, false] {
        let kms: Box<dyn Keyring> =
            Box::new(AwsKmsKeyring::new(&arn, client(&w, &admin(MAIN)), vec![]).unwrap());
        let list: Vec<Box<dyn Keyring>> =
            if kms_generates { vec![kms, Box::new(raw())] } else { vec![Box::new(raw()), kms] };
        let multi = MultiKeyring::from_list(list).unwrap();
        let message = encrypt(b"both", &multi, &opts()).unwrap();
        let kms_only = AwsKmsKeyring::new(&arn, client(&w, &admin(MAIN)), vec![]).unwrap();
        assert_eq!(decrypt(&message, &kms_only, &DecryptOptions::default()).unwrap().plaintext, b"both");
        assert_eq!(decrypt(&message, &raw(), &DecryptOptions::default()).unwrap().plaintext, b"both");
    }
    let names: Vec<_> = events(&w).into_iter().map(|e| e.0).collect();
    assert!(
        names.contains(&"Encrypt".to_string()),
        "a data key made by raw AES is wrapped with Encrypt: {names:?}"
    );
}

/// A client answering for another key than asked: the keyring must refuse its answers.
struct WrongKey;

impl KmsClient for WrongKey {
    fn generate_data_key(
        &self,
        r: &GenerateDataKeyRequest<'_>,
    ) -> Result<GenerateDataKeyResponse, KmsClientError> {
        Ok(GenerateDataKeyResponse {
            key_id: Some("not-an-arn".into()),
            plaintext: DataKey::new(vec![0; r.number_of_bytes as usize]),
            ciphertext_blob: vec![1],
        })
    }
    fn encrypt(&self, _: &EncryptRequest<'_>) -> Result<EncryptResponse, KmsClientError> {
        Err(KmsClientError::new("NotFoundException", "no"))
    }
    fn decrypt(&self, _: &DecryptRequest<'_>) -> Result<DecryptResponse, KmsClientError> {
        Ok(DecryptResponse {
            key_id: Some("arn:aws:kms:us-east-1:111122223333:key/other".into()),
            plaintext: DataKey::new(vec![0; 32]),
        })
    }
}

#[test]
fn answers_for_another_key_or_without_a_key_arn_are_refused() {
    let (w, arn) = world_with_key();
    let bad = AwsKmsKeyring::new(&arn, Box::new(WrongKey), vec![]).unwrap();
    assert_eq!(encrypt(b"x", &bad, &opts()).unwrap_err().code(), "KmsResponseInvalid");
    let good = AwsKmsKeyring::new(&arn, client(&w, &admin(MAIN)), vec![]).unwrap();
    let message = encrypt(b"x", &good, &opts()).unwrap();
    let e = decrypt(&message, &bad, &DecryptOptions::default()).unwrap_err();
    assert_eq!(e.code(), "KmsResponseInvalid", "{e}");
    let discovery = AwsKmsDiscoveryKeyring::new(Box::new(WrongKey), None, vec![]);
    assert_eq!(
        decrypt(&message, &discovery, &DecryptOptions::default()).unwrap_err().code(),
        "KmsResponseInvalid"
    );
}

#[test]
fn keyrings_refuse_empty_or_malformed_key_ids() {
    let (w, _) = world_with_key();
    for id in ["", "arn:aws:kms:us-east-1:111122223333", "arn:aws:s3:::bucket/x"] {
        let e = AwsKmsKeyring::new(id, client(&w, &admin(MAIN)), vec![]).unwrap_err();
        assert_eq!(e.code(), "InvalidKeyring", "`{id}`");
    }
    assert!(AwsKmsDiscoveryKeyring::mrk(client(&w, &admin(MAIN)), "", None, vec![]).is_err());
}

/// The JSON layer's KMS: clients over a world that lives as long as the test binary.
struct Supplier(&'static RefCell<World>);

impl secplay::crypto::keyring::aws_kms::KmsClientSupplier for Supplier {
    fn client(&self) -> Box<dyn KmsClient> {
        Box::new(WorldClient::new(self.0, caller(&admin(MAIN), "us-east-1")))
    }
}

#[test]
fn the_json_layer_builds_each_kms_keyring_and_names_bad_fields() {
    use secplay::crypto::esdk::json;
    let (w, east, west) = world_with_mrk();
    let kms = Supplier(Box::leak(Box::new(w)));
    let enc = json!({"keyrings": [{"type": "aws-kms-mrk", "keyId": east, "grantTokens": []}], "encryptionContext": {"a": "b"}});
    let message = json::encrypt_with(b"json", &enc, Some(&kms)).unwrap();
    for keyring in [
        json!({"type": "aws-kms", "keyId": east}),
        json!({"type": "aws-kms-mrk", "keyId": west}),
        json!({"type": "aws-kms-discovery", "discoveryFilter": {"partition": "aws", "accountIds": [MAIN]}}),
        json!({"type": "aws-kms-mrk-discovery", "region": "us-west-2"}),
    ] {
        let (pt, _) = json::decrypt_with(&message, &json!({"keyrings": [keyring]}), Some(&kms))
            .unwrap_or_else(|e| panic!("{keyring}: {e}"));
        assert_eq!(pt, b"json", "{keyring}");
    }
    for (keyring, code, words) in [
        (json!({"type": "aws-kms", "keyId": east}), "InvalidInput", "needs a KMS"),
        (json!({"type": "aws-kms"}), "InvalidInput", "/keyrings/0/keyId"),
        (json!({"type": "aws-kms", "keyId": east, "region": "x"}), "InvalidInput", "/keyrings/0/region"),
        (json!({"type": "aws-kms-mrk-discovery"}), "InvalidInput", "/keyrings/0/region"),
        (
            json!({"type": "aws-kms-discovery", "discoveryFilter": {"partition": "aws"}}),
            "InvalidInput",
            "account",
        ),
        (
            json!({"type": "aws-kms", "keyId": east, "grantTokens": vec!["t"; 11]}),
            "InvalidInput",
            "at most 10",
        ),
    ] {
        let with = if words == "needs a KMS" {
            None
        } else {
            Some(&kms as &dyn secplay::crypto::keyring::aws_kms::KmsClientSupplier)
        };
        let e = json::decrypt_with(&message, &json!({"keyrings": [keyring]}), with).unwrap_err();
        assert_eq!(e.code(), code, "{keyring}: {e}");
        assert!(e.to_string().contains(words), "{keyring}: `{e}` should mention {words}");
    }
}
