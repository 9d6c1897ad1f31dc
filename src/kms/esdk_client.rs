//! The KMS emulator as the Encryption SDK's KMS client: [`WorldClient`] implements the crypto
//! engine's [`KmsClient`] over a [`World`], calling [`super::json::call`] so every keyring call
//! is authorized, audited and counted like any other KMS call.
//!
//! A request whose `KeyId` is a key ARN goes to that ARN's region (as the AWS SDKs' per-region
//! clients the ESDKs make would send it); other key ids go to the caller's region. The AWS JSON
//! of the three requests and responses is built and read here, also for the JS layer's client
//! over a JS `Kms` instance. Not a general KMS client: only what the keyrings call.

use std::cell::RefCell;
use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::json::call;
use super::world::{CallerContext, World};
use crate::crypto::esdk::DataKey;
use crate::crypto::keyring::aws_kms::{
    DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse, GenerateDataKeyRequest,
    GenerateDataKeyResponse, KmsArn, KmsClient, KmsClientError,
};

/// A KMS client over a world, calling as one caller.
#[derive(Debug)]
pub struct WorldClient<'w> {
    world: &'w RefCell<World>,
    caller: CallerContext,
}

impl<'w> WorldClient<'w> {
    /// A client calling `world` as `caller` (its region is where key ids that are not ARNs are
    /// looked up).
    pub fn new(world: &'w RefCell<World>, caller: CallerContext) -> Self {
        Self { world, caller }
    }

    fn run(&self, operation: &str, key_id: &str, request: &Value) -> Result<Value, KmsClientError> {
        let caller = routed_caller(&self.caller, key_id)?;
        let mut w = self.world.try_borrow_mut().map_err(|_| {
            KmsClientError::new("KMSInternalException", "the world is in use by another call")
        })?;
        call(&mut w, operation, request, &caller).map_err(|e| KmsClientError::new(e.code(), e.to_string()))
    }
}

impl KmsClient for WorldClient<'_> {
    fn generate_data_key(
        &self,
        r: &GenerateDataKeyRequest<'_>,
    ) -> Result<GenerateDataKeyResponse, KmsClientError> {
        generate_data_key_response(&self.run("GenerateDataKey", r.key_id, &generate_data_key_json(r))?)
    }

    fn encrypt(&self, r: &EncryptRequest<'_>) -> Result<EncryptResponse, KmsClientError> {
        encrypt_response(&self.run("Encrypt", r.key_id, &encrypt_json(r))?)
    }

    fn decrypt(&self, r: &DecryptRequest<'_>) -> Result<DecryptResponse, KmsClientError> {
        decrypt_response(&self.run("Decrypt", r.key_id, &decrypt_json(r))?)
    }
}

/// The caller JSON for a request naming `key_id`: the caller with the ARN's region, if it is an ARN.
pub fn routed_caller(caller: &CallerContext, key_id: &str) -> Result<Value, KmsClientError> {
    let mut c = caller.clone();
    if let Ok(arn) = KmsArn::parse(key_id) {
        c.region = Some(arn.region);
    }
    serde_json::to_value(&c).map_err(|e| KmsClientError::new("SerializationException", e.to_string()))
}

fn common(key_id: &str, ec: &BTreeMap<String, String>, tokens: &[String]) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("KeyId".into(), json!(key_id));
    if !ec.is_empty() {
        m.insert("EncryptionContext".into(), json!(ec));
    }
    if !tokens.is_empty() {
        m.insert("GrantTokens".into(), json!(tokens));
    }
    m
}

/// The AWS JSON of a `GenerateDataKey` request.
pub fn generate_data_key_json(r: &GenerateDataKeyRequest<'_>) -> Value {
    let mut m = common(r.key_id, r.encryption_context, r.grant_tokens);
    m.insert("NumberOfBytes".into(), json!(r.number_of_bytes));
    Value::Object(m)
}

/// The AWS JSON of an `Encrypt` request.
pub fn encrypt_json(r: &EncryptRequest<'_>) -> Value {
    let mut m = common(r.key_id, r.encryption_context, r.grant_tokens);
    m.insert("Plaintext".into(), json!(B64.encode(r.plaintext)));
    Value::Object(m)
}

/// The AWS JSON of a `Decrypt` request.
pub fn decrypt_json(r: &DecryptRequest<'_>) -> Value {
    let mut m = common(r.key_id, r.encryption_context, r.grant_tokens);
    m.insert("CiphertextBlob".into(), json!(B64.encode(r.ciphertext_blob)));
    Value::Object(m)
}

fn blob(v: &Value, member: &str) -> Result<Vec<u8>, KmsClientError> {
    let text = v.get(member).and_then(Value::as_str).ok_or_else(|| {
        KmsClientError::new("KmsResponseInvalid", format!("the response has no `{member}`"))
    })?;
    B64.decode(text).map_err(|_| {
        KmsClientError::new("KmsResponseInvalid", format!("the response's `{member}` is not base64"))
    })
}

fn key_id(v: &Value) -> Option<String> {
    v.get("KeyId").and_then(Value::as_str).map(str::to_string)
}

/// Reads a `GenerateDataKey` response.
pub fn generate_data_key_response(v: &Value) -> Result<GenerateDataKeyResponse, KmsClientError> {
    Ok(GenerateDataKeyResponse {
        key_id: key_id(v),
        plaintext: DataKey::new(blob(v, "Plaintext")?),
        ciphertext_blob: blob(v, "CiphertextBlob")?,
    })
}

/// Reads an `Encrypt` response.
pub fn encrypt_response(v: &Value) -> Result<EncryptResponse, KmsClientError> {
    Ok(EncryptResponse { key_id: key_id(v), ciphertext_blob: blob(v, "CiphertextBlob")? })
}

/// Reads a `Decrypt` response.
pub fn decrypt_response(v: &Value) -> Result<DecryptResponse, KmsClientError> {
    Ok(DecryptResponse { key_id: key_id(v), plaintext: DataKey::new(blob(v, "Plaintext")?) })
}
