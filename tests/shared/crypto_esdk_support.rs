//! Shared helpers for the ESDK vector tests: loading `../shared/vectors/esdk`, building the
//! keyrings a vector names, and the error kind each negative category must produce.
//! Included by the other `crypto_esdk_*` test files with `#[path]` (kept in `shared/` so cargo does
//! not build it as a test target of its own). In wasm, which has no file system, the files come
//! from the bounded subset compiled in by `esdk_subset.rs` (see `tools/esdk-subset.py`).
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::Value;

use secplay::crypto::esdk::{
    CommitmentPolicy, DataKey, DecryptOptions, DecryptionMaterials, EncryptedDataKey, EncryptionContext,
    EncryptionMaterials, EsdkError, SignedMessagePolicy,
};
use secplay::crypto::keyring::{Keyring, MultiKeyring, RawAesKeyring, RawRsaKeyring, RsaPadding};

pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/esdk");

#[cfg(not(target_arch = "wasm32"))]
pub fn read(rel: &str) -> Vec<u8> {
    std::fs::read(format!("{DIR}/{rel}")).unwrap_or_else(|e| panic!("reading {rel}: {e}"))
}

/// The vectors compiled into the wasm test binaries.
#[cfg(target_arch = "wasm32")]
pub mod subset {
    include!("esdk_subset.rs");
}

#[cfg(target_arch = "wasm32")]
pub fn read(rel: &str) -> Vec<u8> {
    subset::FILES
        .iter()
        .find(|(path, _)| *path == rel)
        .map(|(_, bytes)| bytes.to_vec())
        .unwrap_or_else(|| panic!("{rel} is not in the embedded subset: run tools/esdk-subset.py"))
}

pub fn manifest() -> &'static Value {
    static M: OnceLock<Value> = OnceLock::new();
    M.get_or_init(|| serde_json::from_slice(&read("manifest.json")).unwrap())
}

pub fn tests_by_id() -> &'static HashMap<String, Value> {
    static T: OnceLock<HashMap<String, Value>> = OnceLock::new();
    T.get_or_init(|| {
        manifest()["tests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["id"].as_str().unwrap().to_string(), t.clone()))
            .collect()
    })
}

pub fn keys() -> &'static Value {
    static K: OnceLock<Value> = OnceLock::new();
    K.get_or_init(|| serde_json::from_slice(&read("keys.json")).unwrap())
}

pub fn key_material(name: &str) -> &'static str {
    keys()["keys"][name]["material"].as_str().unwrap_or_else(|| panic!("no key {name}"))
}

/// Injects a known plaintext data key (the commitment vectors were made with KMS).
pub struct StaticKeyring(pub DataKey);

impl Keyring for StaticKeyring {
    fn on_encrypt(&self, _: &mut EncryptionMaterials) -> Result<(), EsdkError> {
        Err(EsdkError::InvalidKeyring("static keyring is decrypt-only".into()))
    }
    fn on_decrypt(
        &self,
        _: &DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<Option<DataKey>, EsdkError> {
        Ok((!edks.is_empty()).then(|| self.0.clone()))
    }
}

pub fn keyring_from(spec: &Value) -> Box<dyn Keyring> {
    let ns = spec["namespace"].as_str().unwrap_or_default();
    let name = spec["name"].as_str().unwrap_or_default();
    match spec["type"].as_str().unwrap() {
        "raw-aes" => {
            let key = B64.decode(key_material(spec["key"].as_str().unwrap())).unwrap();
            Box::new(RawAesKeyring::new(ns, name, DataKey::new(key)).unwrap())
        }
        "raw-rsa" => {
            let key = &keys()["keys"][spec["key"].as_str().unwrap()];
            let pem = key["material"].as_str().unwrap();
            let padding =
                RsaPadding::from_names(spec["padding"].as_str().unwrap(), spec["padding-hash"].as_str())
                    .unwrap();
            let (public, private) =
                if key["type"] == "private" { (None, Some(pem)) } else { (Some(pem), None) };
            Box::new(RawRsaKeyring::from_pem(ns, name, padding, public, private).unwrap())
        }
        "static-dek" => {
            Box::new(StaticKeyring(DataKey::new(B64.decode(spec["dek"].as_str().unwrap()).unwrap())))
        }
        other => panic!("unknown keyring type {other}"),
    }
}

/// The listed keyrings, tried in order (a multi-keyring without generator when there are several).
pub fn keyring_for(test: &Value) -> Box<dyn Keyring> {
    let mut list: Vec<Box<dyn Keyring>> =
        test["keyrings"].as_array().unwrap().iter().map(keyring_from).collect();
    if list.len() == 1 {
        list.pop().unwrap()
    } else {
        Box::new(MultiKeyring::new(None, list).unwrap())
    }
}

fn context(v: &Value) -> Option<EncryptionContext> {
    let obj = v.as_object()?;
    let map: BTreeMap<String, String> =
        obj.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string())).collect();
    Some(EncryptionContext(map))
}

/// Decrypt options for a vector: REQUIRE_ENCRYPT_ALLOW_DECRYPT unless its `policy` says otherwise.
pub fn options_for(test: &Value) -> DecryptOptions {
    let mut o = DecryptOptions {
        commitment_policy: CommitmentPolicy::RequireEncryptAllowDecrypt,
        ..DecryptOptions::default()
    };
    o.reproduced_encryption_context = context(&test["reproduced_encryption_context"]);
    if let Some(keys) = test["required_encryption_context_keys"].as_array() {
        o.required_encryption_context_keys = keys.iter().map(|k| k.as_str().unwrap().to_string()).collect();
    }
    let policy = &test["policy"];
    if let Some(p) = policy["commitment_policy"].as_str() {
        o.commitment_policy = CommitmentPolicy::from_name(p).unwrap();
    }
    if let Some(n) = policy["max_encrypted_data_keys"].as_u64() {
        o.max_encrypted_data_keys = Some(u16::try_from(n).unwrap());
    }
    if policy["decryption_method"] == "streaming-unsigned-only" {
        o.signed_messages = SignedMessagePolicy::RejectSigned;
    }
    o
}

/// The error code each negative category must produce.
pub fn expected_codes(category: &str) -> &'static [&'static str] {
    match category {
        "header-authentication" | "flip-header-tag" | "flip-header-iv" => &["DecryptionFailed"],
        "flip-frame1-ciphertext" | "flip-final-frame-tag" => &["DecryptionFailed"],
        "key-commitment" | "flip-commitment" => &["CommitmentMismatch"],
        "wrong-key" | "wrong-keyname" | "wrong-namespace" | "flip-edk-ciphertext" | "flip-ec-value" => {
            &["NoKeyringCouldDecrypt"]
        }
        "flip-final-frame-length" => &["DecryptionFailed"],
        "swap-frames" | "truncate-1" | "truncate-header" | "drop-final-frame" | "drop-footer"
        | "half-sign" => &["MalformedMessage"],
        "flip-signature" => &["SignatureInvalid"],
        "commitment-policy" | "max-encrypted-data-keys" | "signed-message-unsigned-only" => {
            &["PolicyViolation"]
        }
        other => panic!("unknown negative category {other}"),
    }
}

/// Check an outcome against the vector's expectation.
pub fn check(test: &Value, result: Result<Vec<u8>, EsdkError>) {
    let id = test["id"].as_str().unwrap();
    match test["expect"].as_str().unwrap() {
        "success" => {
            let expected = read(test["plaintext"].as_str().unwrap());
            let got = result.unwrap_or_else(|e| panic!("{id}: expected success, got {} ({e})", e.code()));
            assert!(got == expected, "{id}: plaintext differs ({} vs {} bytes)", got.len(), expected.len());
        }
        "failure" => {
            let category = test["error"].as_str().unwrap();
            let err = match result {
                Ok(_) => panic!("{id}: expected failure ({category}), but it decrypted"),
                Err(e) => e,
            };
            let allowed = expected_codes(category);
            assert!(
                allowed.contains(&err.code()),
                "{id}: category {category} expects {allowed:?}, got {} ({err})",
                err.code()
            );
        }
        other => panic!("{id}: unknown expectation {other}"),
    }
}

/// A small deterministic PRNG (xorshift64*) so chunkings are reproducible.
pub struct Rng(pub u64);
impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}
