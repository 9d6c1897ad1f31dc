//! SecureString values through the KMS emulator, as Parameter Store uses AWS KMS ("How AWS
//! Systems Manager Parameter Store uses AWS KMS",
//! <https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html>):
//!
//! - a standard parameter's value is encrypted by KMS `Encrypt` itself (values ≤ 4 KB fit);
//! - an advanced parameter's value (≤ 8 KB) is envelope-encrypted: KMS `GenerateDataKey`
//!   (AES-256) gives a data key, the value is sealed locally with AES-256-GCM, and only the
//!   encrypted data key is kept; reading calls KMS `Decrypt` on it.
//!
//! Every KMS call is made as the calling principal, through the service
//! (`kms:ViaService = ssm.<region>.amazonaws.com`), with the encryption context
//! `{"PARAMETER_ARN": <parameter ARN>}`, so the key policy decides and the calls appear in the
//! KMS audit log as AWS logs them.
//!
//! The envelope, base64 in the store and in a response without decryption:
//! `0x01 | u16 big-endian length of the encrypted data key | encrypted data key | 12-byte nonce |
//! ciphertext | 16-byte tag`, the parameter ARN as additional authenticated data.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::error::SsmError;
use super::store::{StoredValue, Tier};
use crate::crypto::envelope::{aes_gcm_open, aes_gcm_seal, DataKey, Sealed};
use crate::kms::world::{CallerContext, World};

/// The AWS-managed key Parameter Store uses when no `KeyId` is given.
pub const DEFAULT_KEY: &str = "alias/aws/ssm";
const ENVELOPE_V1: u8 = 1;
const NONCE: usize = 12;
const TAG: usize = 16;
/// A KMS ciphertext blob is far smaller; anything longer is not ours.
const MAX_EDK: usize = 6144;

/// The caller as KMS sees it: the same principal, through Parameter Store in its region.
pub fn via_ssm(ctx: &CallerContext, region: &str) -> Result<Value, SsmError> {
    let mut c = ctx.clone();
    c.region = Some(region.to_string());
    c.via_service = Some(format!("ssm.{region}.amazonaws.com"));
    serde_json::to_value(c).map_err(|e| SsmError::internal(format!("caller: {e}")))
}

fn context(arn: &str) -> Value {
    json!({"PARAMETER_ARN": arn})
}

fn blob(v: &Value, member: &str) -> Result<Zeroizing<Vec<u8>>, SsmError> {
    let s = v
        .get(member)
        .and_then(Value::as_str)
        .ok_or_else(|| SsmError::internal(format!("KMS answered no {member}")))?;
    STANDARD.decode(s).map(Zeroizing::new).map_err(|e| SsmError::internal(format!("KMS {member}: {e}")))
}

/// Encrypts a SecureString value under `key_id` for the parameter `arn`.
pub fn encrypt(
    w: &mut World,
    caller: &Value,
    key_id: &str,
    arn: &str,
    value: &str,
    tier: Tier,
) -> Result<StoredValue, SsmError> {
    match tier {
        Tier::Standard => {
            let req = json!({"KeyId": key_id, "Plaintext": STANDARD.encode(value), "EncryptionContext": context(arn)});
            let out = crate::kms::call(w, "Encrypt", &req, caller).map_err(SsmError::from_kms)?;
            let ct = out
                .get("CiphertextBlob")
                .and_then(Value::as_str)
                .ok_or_else(|| SsmError::internal("KMS answered no CiphertextBlob"))?;
            Ok(StoredValue::Kms(ct.to_string()))
        }
        Tier::Advanced => {
            let req = json!({"KeyId": key_id, "KeySpec": "AES_256", "EncryptionContext": context(arn)});
            let out = crate::kms::call(w, "GenerateDataKey", &req, caller).map_err(SsmError::from_kms)?;
            let key = DataKey::from_bytes(&blob(&out, "Plaintext")?)
                .map_err(|e| SsmError::internal(e.to_string()))?;
            let edk = blob(&out, "CiphertextBlob")?;
            let len = u16::try_from(edk.len()).map_err(|_| SsmError::internal("KMS ciphertext too long"))?;
            let sealed = aes_gcm_seal(&key, value.as_bytes(), arn.as_bytes())
                .map_err(|e| SsmError::internal(e.to_string()))?;
            let mut b = Vec::with_capacity(3 + edk.len() + NONCE + sealed.ciphertext.len() + TAG);
            b.push(ENVELOPE_V1);
            b.extend_from_slice(&len.to_be_bytes());
            b.extend_from_slice(&edk);
            b.extend_from_slice(&sealed.iv);
            b.extend_from_slice(&sealed.ciphertext);
            b.extend_from_slice(&sealed.tag);
            Ok(StoredValue::Envelope(STANDARD.encode(b)))
        }
    }
}

/// Decrypts a stored value (a plain value is returned as is).
pub fn decrypt(
    w: &mut World,
    caller: &Value,
    arn: &str,
    stored: &StoredValue,
) -> Result<Zeroizing<String>, SsmError> {
    let bad = || SsmError::internal("the stored SecureString is damaged");
    let bytes = match stored {
        StoredValue::Plain(s) => return Ok(Zeroizing::new(s.clone())),
        StoredValue::Kms(ct) => {
            let req = json!({"CiphertextBlob": ct, "EncryptionContext": context(arn)});
            let out = crate::kms::call(w, "Decrypt", &req, caller).map_err(SsmError::from_kms)?;
            blob(&out, "Plaintext")?
        }
        StoredValue::Envelope(b64) => {
            let b = Zeroizing::new(STANDARD.decode(b64).map_err(|_| bad())?);
            let (&version, rest) = b.split_first().ok_or_else(bad)?;
            let (len, rest) = rest.split_at_checked(2).ok_or_else(bad)?;
            let len = usize::from(u16::from_be_bytes([
                *len.first().ok_or_else(bad)?,
                *len.get(1).ok_or_else(bad)?,
            ]));
            if version != ENVELOPE_V1 || len > MAX_EDK {
                return Err(bad());
            }
            let (edk, rest) = rest.split_at_checked(len).ok_or_else(bad)?;
            let (iv, rest) = rest.split_at_checked(NONCE).ok_or_else(bad)?;
            let tag_at = rest.len().checked_sub(TAG).ok_or_else(bad)?;
            let (ct, tag) = rest.split_at_checked(tag_at).ok_or_else(bad)?;
            let req = json!({"CiphertextBlob": STANDARD.encode(edk), "EncryptionContext": context(arn)});
            let out = crate::kms::call(w, "Decrypt", &req, caller).map_err(SsmError::from_kms)?;
            let key = DataKey::from_bytes(&blob(&out, "Plaintext")?)
                .map_err(|e| SsmError::internal(e.to_string()))?;
            let sealed = Sealed {
                iv: iv.try_into().map_err(|_| bad())?,
                ciphertext: ct.to_vec(),
                tag: tag.try_into().map_err(|_| bad())?,
            };
            Zeroizing::new(aes_gcm_open(&key, &sealed, arn.as_bytes()).map_err(|_| bad())?)
        }
    };
    String::from_utf8(bytes.to_vec()).map(Zeroizing::new).map_err(|_| bad())
}

/// The value a response shows without decryption: the ciphertext (base64) or the plain value.
pub fn shown(stored: &StoredValue) -> &str {
    match stored {
        StoredValue::Plain(s) | StoredValue::Kms(s) | StoredValue::Envelope(s) => s,
    }
}
