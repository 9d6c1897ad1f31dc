//! Sealing and opening secret values as Secrets Manager does: envelope encryption through the
//! KMS engine's real operations, called as the caller through the service
//! (`kms:ViaService = secretsmanager.<region>.amazonaws.com`), so the key policy decides and KMS's
//! audit log shows each `GenerateDataKey` and `Decrypt`.
//!
//! Each value gets a fresh 256-bit data key (`GenerateDataKey`, `KeySpec` `AES_256`) with the
//! encryption context `{"SecretARN": …, "SecretVersionId": …}`; the value is encrypted outside
//! KMS with AES-256-GCM and the plaintext data key dropped (zeroized); the wrapped key is kept
//! with the ciphertext. Reading calls KMS `Decrypt` with the same context. Secrets Manager User
//! Guide, "Secret encryption and decryption",
//! <https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html>.
//! Without `KmsKeyId` the key is `alias/aws/secretsmanager`, which KMS creates on first use.
//! Decryption failures are opaque (no oracle on the tag).

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Tag};
use base64::Engine as _;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use crate::kms::{self, CallerContext, KmsError, World};

use super::error::SecretsError;
use super::store::Sealed;

/// The AWS-managed key Secrets Manager uses by default.
pub const DEFAULT_KEY: &str = "alias/aws/secretsmanager";
const NONCE: usize = 12;
const TAG: usize = 16;

fn b64() -> base64::engine::GeneralPurpose {
    base64::engine::general_purpose::STANDARD
}

/// The caller as KMS sees a call Secrets Manager makes on its behalf in `region`.
pub fn via_service(ctx: &CallerContext, region: &str) -> Result<Value, SecretsError> {
    let c = CallerContext {
        region: Some(region.to_string()),
        via_service: Some(format!("secretsmanager.{region}.amazonaws.com")),
        ..ctx.clone()
    };
    serde_json::to_value(c).map_err(|e| SecretsError::internal(format!("caller: {e}")))
}

/// KMS's refusal as Secrets Manager reports it.
fn kms_failure(e: KmsError, encrypting: bool) -> SecretsError {
    match e {
        KmsError::AccessDenied { message, trace } => {
            SecretsError::AccessDenied { message: format!("Access to KMS is not allowed ({message})"), trace }
        }
        other => {
            let m = format!("KMS answered {}: {other}", other.code());
            if encrypting {
                SecretsError::encryption_failure(m)
            } else {
                SecretsError::decryption_failure(m)
            }
        }
    }
}

fn context(secret_arn: &str, version_id: &str) -> Value {
    json!({"SecretARN": secret_arn, "SecretVersionId": version_id})
}

fn aad(secret_arn: &str, version_id: &str) -> Vec<u8> {
    format!("{secret_arn}\n{version_id}").into_bytes()
}

/// Which version of which secret (in which region) a value belongs to: bound into the KMS
/// encryption context and the AES-GCM associated data.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    pub region: &'a str,
    pub secret_arn: &'a str,
    pub version_id: &'a str,
}

/// Seals `value` for version `t` under `key_id` (or the default key), as the caller.
pub fn seal(
    w: &mut World,
    ctx: &CallerContext,
    t: Target<'_>,
    key_id: Option<&str>,
    value: &[u8],
    binary: bool,
) -> Result<Sealed, SecretsError> {
    let Target { region, secret_arn, version_id } = t;
    let caller = via_service(ctx, region)?;
    let req = json!({
        "KeyId": key_id.filter(|k| !k.is_empty()).unwrap_or(DEFAULT_KEY),
        "KeySpec": "AES_256",
        "EncryptionContext": context(secret_arn, version_id),
    });
    let out = kms::call(w, "GenerateDataKey", &req, &caller).map_err(|e| kms_failure(e, true))?;
    let bad = || SecretsError::internal("KMS answered GenerateDataKey without a data key");
    let key_arn = out.get("KeyId").and_then(Value::as_str).ok_or_else(bad)?.to_string();
    let wrapped_key = out.get("CiphertextBlob").and_then(Value::as_str).ok_or_else(bad)?.to_string();
    let dk = Zeroizing::new(
        b64().decode(out.get("Plaintext").and_then(Value::as_str).ok_or_else(bad)?).map_err(|_| bad())?,
    );
    let key: [u8; 32] = dk.as_slice().try_into().map_err(|_| bad())?;
    let key = Zeroizing::new(key);
    let mut nonce = [0u8; NONCE];
    getrandom::fill(&mut nonce).map_err(|e| SecretsError::internal(format!("no randomness: {e}")))?;
    let k: &Key<Aes256Gcm> = (&*key).into();
    let cipher = Aes256Gcm::new(k);
    let mut buf = value.to_vec();
    let tag = cipher
        .encrypt_inout_detached((&nonce).into(), &aad(secret_arn, version_id), buf.as_mut_slice().into())
        .map_err(|_| SecretsError::encryption_failure("the value could not be encrypted"))?;
    let mut blob = Vec::with_capacity(NONCE + buf.len() + TAG);
    blob.extend_from_slice(&nonce);
    blob.extend_from_slice(&buf);
    blob.extend_from_slice(tag.as_slice());
    Ok(Sealed { key_arn, wrapped_key, ciphertext: b64().encode(blob), binary })
}

/// Opens a sealed value of version `t` as the caller.
pub fn open(
    w: &mut World,
    ctx: &CallerContext,
    t: Target<'_>,
    sealed: &Sealed,
) -> Result<Zeroizing<Vec<u8>>, SecretsError> {
    let Target { region, secret_arn, version_id } = t;
    let caller = via_service(ctx, region)?;
    let req = json!({
        "CiphertextBlob": sealed.wrapped_key,
        "KeyId": sealed.key_arn,
        "EncryptionContext": context(secret_arn, version_id),
    });
    let out = kms::call(w, "Decrypt", &req, &caller).map_err(|e| kms_failure(e, false))?;
    let opaque = || SecretsError::decryption_failure("the secret value could not be decrypted");
    let dk = Zeroizing::new(
        b64()
            .decode(out.get("Plaintext").and_then(Value::as_str).ok_or_else(opaque)?)
            .map_err(|_| opaque())?,
    );
    let blob = b64().decode(&sealed.ciphertext).map_err(|_| opaque())?;
    if blob.len() < NONCE + TAG || dk.len() != 32 {
        return Err(opaque());
    }
    let (nonce, rest) = blob.split_at(NONCE);
    let (ct, tag) = rest.split_at(rest.len() - TAG);
    let nonce: [u8; NONCE] = nonce.try_into().map_err(|_| opaque())?;
    let tag: [u8; TAG] = tag.try_into().map_err(|_| opaque())?;
    let dk: Zeroizing<[u8; 32]> = Zeroizing::new(dk.as_slice().try_into().map_err(|_| opaque())?);
    let k: &Key<Aes256Gcm> = (&*dk).into();
    let cipher = Aes256Gcm::new(k);
    let mut buf = Zeroizing::new(ct.to_vec());
    let tag: &Tag = (&tag).into();
    cipher
        .decrypt_inout_detached((&nonce).into(), &aad(secret_arn, version_id), buf.as_mut_slice().into(), tag)
        .map_err(|_| opaque())?;
    Ok(buf)
}
