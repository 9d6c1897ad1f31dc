//! The client-side steps of the scenarios: what an application does outside KMS with what KMS
//! gave it (a public key, a plaintext data key). Each takes and returns JSON like a KMS step.
//!
//! - `RsaOaepEncrypt` `{PublicKey, Plaintext, EncryptionAlgorithm}` → `{CiphertextBlob}`: RSAES-OAEP
//!   with the SPKI DER that `GetPublicKey` returned (SHA-1 or SHA-256, as KMS names them);
//! - `EncryptAttributes` `{DataKey, Rows, Attributes, EncryptedDataKey}` → `{Rows}`: each named
//!   attribute of each row sealed with AES-256-GCM under the data key (the attribute name and the
//!   row's `id` as additional data), the encrypted data key stored in the row (`_dataKey`);
//! - `ReplicateRows` `{Rows, Region}` → `{Region, Rows}`: what a global table does, a copy;
//! - `DecryptAttributes` `{DataKey, Rows, Attributes}` → `{Rows}`: the reverse.
//!
//! Plaintexts are UTF-8 text, blobs base64, as in the KMS JSON API. Not a client library: just
//! enough for the scenarios to show where the cryptography happens.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use getrandom::SysRng;
use pkcs8::DecodePublicKey;
use serde_json::{json, Map, Value};

use crate::crypto::envelope::{aes_gcm_open, aes_gcm_seal, DataKey, Sealed, IV_LEN, TAG_LEN};
use crate::kms::error::KmsError;

/// Rows a scenario may hold (the scenarios use a handful).
const MAX_ROWS: usize = 1000;

/// Runs a client-side action by name (without the `Client.` prefix).
pub fn run(action: &str, request: &Value) -> Result<Value, KmsError> {
    match action {
        "RsaOaepEncrypt" => rsa_oaep_encrypt(request),
        "EncryptAttributes" => attributes(request, true),
        "DecryptAttributes" => attributes(request, false),
        "ReplicateRows" => {
            let region = text(request, "Region")?;
            Ok(json!({"Region": region, "Rows": rows(request)?}))
        }
        other => Err(KmsError::validation(format!("`{other}` is not a client-side step of the scenarios"))),
    }
}

fn text<'a>(request: &'a Value, name: &str) -> Result<&'a str, KmsError> {
    request
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| KmsError::validation(format!("`{name}` must be a string")))
}

fn blob(request: &Value, name: &str) -> Result<Vec<u8>, KmsError> {
    B64.decode(text(request, name)?).map_err(|_| KmsError::validation(format!("`{name}` must be base64")))
}

fn rows(request: &Value) -> Result<Vec<Value>, KmsError> {
    let rows = request
        .get("Rows")
        .and_then(Value::as_array)
        .ok_or_else(|| KmsError::validation("`Rows` must be a list of objects"))?;
    if rows.len() > MAX_ROWS {
        return Err(KmsError::validation(format!("at most {MAX_ROWS} rows")));
    }
    Ok(rows.clone())
}

fn rsa_oaep_encrypt(request: &Value) -> Result<Value, KmsError> {
    let spki = blob(request, "PublicKey")?;
    let public = rsa::PublicKey::from_public_key_der(&spki)
        .map_err(|_| KmsError::validation("`PublicKey` is not an RSA public key in SPKI DER form"))?;
    let plaintext = text(request, "Plaintext")?.as_bytes();
    let ct = match text(request, "EncryptionAlgorithm")? {
        "RSAES_OAEP_SHA_256" => public.oaep_encrypt_with_rng::<sha2::Sha256, _>(&mut SysRng, plaintext),
        "RSAES_OAEP_SHA_1" => public.oaep_encrypt_with_rng::<sha1::Sha1, _>(&mut SysRng, plaintext),
        other => return Err(KmsError::validation(format!("`{other}` is not an RSAES-OAEP algorithm"))),
    }
    .map_err(|_| KmsError::validation("the plaintext is too long for this key and algorithm"))?;
    Ok(json!({"CiphertextBlob": B64.encode(ct)}))
}

fn attributes(request: &Value, encrypt: bool) -> Result<Value, KmsError> {
    let key = DataKey::from_bytes(&zeroize::Zeroizing::new(blob(request, "DataKey")?))
        .map_err(|e| KmsError::validation(format!("`DataKey`: {e}")))?;
    let names: Vec<&str> = request
        .get("Attributes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .ok_or_else(|| KmsError::validation("`Attributes` must be a list of names"))?;
    let edk = if encrypt { Some(text(request, "EncryptedDataKey")?) } else { None };
    let mut out = Vec::new();
    for row in rows(request)? {
        let Value::Object(mut row) = row else {
            return Err(KmsError::validation("each row must be an object"));
        };
        let id = row.get("id").map(Value::to_string).unwrap_or_default();
        for name in &names {
            let Some(Value::String(v)) = row.get(*name) else { continue };
            let aad = format!("{name}|{id}");
            let new = if encrypt {
                let s = aes_gcm_seal(&key, v.as_bytes(), aad.as_bytes())
                    .map_err(|e| KmsError::validation(e.to_string()))?;
                B64.encode([s.iv.as_slice(), &s.ciphertext, &s.tag].concat())
            } else {
                open(&key, v, aad.as_bytes())?
            };
            row.insert((*name).to_string(), Value::String(new));
        }
        if let Some(edk) = edk {
            row.insert("_dataKey".into(), Value::String(edk.to_string()));
        }
        out.push(Value::Object(row));
    }
    let mut m = Map::new();
    m.insert("Rows".into(), Value::Array(out));
    Ok(Value::Object(m))
}

fn open(key: &DataKey, sealed_b64: &str, aad: &[u8]) -> Result<String, KmsError> {
    let bad = || KmsError::invalid_ciphertext("an attribute did not decrypt: wrong data key or tampered row");
    let bytes = B64.decode(sealed_b64).map_err(|_| bad())?;
    if bytes.len() < IV_LEN + TAG_LEN {
        return Err(bad());
    }
    let (iv, rest) = bytes.split_at(IV_LEN);
    let (ct, tag) = rest.split_at(rest.len() - TAG_LEN);
    let sealed = Sealed {
        iv: iv.try_into().map_err(|_| bad())?,
        ciphertext: ct.to_vec(),
        tag: tag.try_into().map_err(|_| bad())?,
    };
    let pt = aes_gcm_open(key, &sealed, aad).map_err(|_| bad())?;
    String::from_utf8(pt).map_err(|_| bad())
}
