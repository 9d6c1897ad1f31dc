//! JS API of the envelope slice: data keys, AES-256-GCM, RSA-OAEP key pairs, seal and open.

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use zeroize::Zeroizing;

use super::args;
use super::error::{js_error, to_js};
use crate::crypto::envelope::{self as engine, DataKey, Envelope, KeyPair, PublicKey, Sealed};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** An envelope: every binary field base64. */
export interface Envelope {
  algorithm: "RSA-OAEP-256+A256GCM";
  wrappedKey: string;
  iv: string;
  ciphertext: string;
  tag: string;
}
/** AES-256-GCM output with its parts apart. */
export interface SealedBytes {
  iv: Uint8Array;
  ciphertext: Uint8Array;
  tag: Uint8Array;
}
/** An RSA key pair as PEM (PKCS#8 private, SPKI public). */
export interface RsaKeyPairPem {
  publicKeyPem: string;
  privateKeyPem: string;
  bits: number;
}
"#;

/// A fresh random 256-bit data key.
#[wasm_bindgen(js_name = generateDataKey)]
pub fn generate_data_key() -> Result<Uint8Array, JsValue> {
    let key = DataKey::generate().map_err(to_js)?;
    Ok(Uint8Array::from(key.as_bytes()))
}

/// AES-256-GCM encryption with a fresh random IV.
#[wasm_bindgen(js_name = aesGcmEncrypt, unchecked_return_type = "SealedBytes")]
pub fn aes_gcm_encrypt(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] key: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] plaintext: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Uint8Array")] aad: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let key = Zeroizing::new(args::bytes(&key, "key")?);
    let plaintext = args::bytes(&plaintext, "plaintext")?;
    let aad = args::optional_bytes(aad, "aad")?;
    let key = DataKey::from_bytes(&key).map_err(to_js)?;
    let sealed = engine::aes_gcm_seal(&key, &plaintext, aad.as_deref().unwrap_or_default()).map_err(to_js)?;
    let out = Object::new();
    for (name, bytes) in
        [("iv", &sealed.iv[..]), ("ciphertext", &sealed.ciphertext[..]), ("tag", &sealed.tag[..])]
    {
        Reflect::set(&out, &name.into(), &Uint8Array::from(bytes))?;
    }
    Ok(out.into())
}

/// AES-256-GCM decryption; throws `DecryptionFailed` if the tag does not verify.
#[wasm_bindgen(js_name = aesGcmDecrypt)]
pub fn aes_gcm_decrypt(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] key: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SealedBytes")] sealed: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Uint8Array")] aad: Option<JsValue>,
) -> Result<Uint8Array, JsValue> {
    let key = Zeroizing::new(args::bytes(&key, "key")?);
    args::object(&sealed, "sealed")?;
    let aad = args::optional_bytes(aad, "aad")?;
    let key = DataKey::from_bytes(&key).map_err(to_js)?;
    let field = |name: &str| -> Result<Vec<u8>, JsValue> {
        Reflect::get(&sealed, &name.into())
            .map_err(|_| js_error("MalformedEnvelope", &format!("`{name}` could not be read")))?
            .dyn_into::<Uint8Array>()
            .map(|a| a.to_vec())
            .map_err(|_| js_error("MalformedEnvelope", &format!("`{name}` must be a Uint8Array")))
    };
    let fixed = |name: &str, len: usize| -> Result<Vec<u8>, JsValue> {
        let v = field(name)?;
        if v.len() == len {
            Ok(v)
        } else {
            Err(js_error("MalformedEnvelope", &format!("`{name}` must be {len} bytes, got {}", v.len())))
        }
    };
    let mut iv = [0u8; engine::IV_LEN];
    iv.copy_from_slice(&fixed("iv", engine::IV_LEN)?);
    let mut tag = [0u8; engine::TAG_LEN];
    tag.copy_from_slice(&fixed("tag", engine::TAG_LEN)?);
    let sealed = Sealed { iv, ciphertext: field("ciphertext")?, tag };
    let plain = engine::aes_gcm_open(&key, &sealed, aad.as_deref().unwrap_or_default()).map_err(to_js)?;
    Ok(Uint8Array::from(&plain[..]))
}

/// Generate an RSA-OAEP key pair (2048, 3072 or 4096 bits; default 2048) with WebCrypto, off the
/// main thread; resolves to PEM.
#[wasm_bindgen(js_name = generateRsaKeyPair, unchecked_return_type = "RsaKeyPairPem")]
pub async fn generate_rsa_key_pair(
    #[wasm_bindgen(unchecked_optional_param_type = "number")] bits: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let bits = args::optional_u32(bits, "bits")?.map_or(2048, |b| b as usize);
    let pair = crate::web::webcrypto::generate_rsa_key_pair(bits).await.map_err(to_js)?;
    let out = Object::new();
    Reflect::set(&out, &"publicKeyPem".into(), &pair.public().to_pem().map_err(to_js)?.into())?;
    Reflect::set(&out, &"privateKeyPem".into(), &pair.private_pem().map_err(to_js)?.as_str().into())?;
    Reflect::set(&out, &"bits".into(), &JsValue::from_f64(pair.bits() as f64))?;
    Ok(out.into())
}

/// Encrypt for the holder of the private key matching `publicKeyPem` (SPKI PEM).
/// `plaintext` is bytes or a string (encoded as UTF-8).
#[wasm_bindgen(js_name = envelopeSeal, unchecked_return_type = "Envelope")]
pub fn envelope_seal(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array | string")] plaintext: JsValue,
    #[wasm_bindgen(js_name = publicKeyPem, unchecked_param_type = "string")] public_key_pem: JsValue,
) -> Result<JsValue, JsValue> {
    let bytes = match plaintext.as_string() {
        Some(s) => s.into_bytes(),
        None => args::bytes(&plaintext, "plaintext")
            .map_err(|_| args::wrong_type("plaintext", "a Uint8Array or a string", &plaintext))?,
    };
    let public_key_pem = args::string(&public_key_pem, "publicKeyPem")?;
    let public = PublicKey::from_spki(public_key_pem.as_bytes()).map_err(to_js)?;
    let env = engine::seal(&bytes, &public).map_err(to_js)?;
    serde_wasm_bindgen::to_value(&env).map_err(|e| js_error("InvalidInput", &e.to_string()))
}

/// Decrypt an envelope with `privateKeyPem` (PKCS#8 PEM); throws `DecryptionFailed` when the key
/// does not match or anything was modified.
#[wasm_bindgen(js_name = envelopeOpen)]
pub fn envelope_open(
    #[wasm_bindgen(unchecked_param_type = "Envelope")] envelope: JsValue,
    #[wasm_bindgen(js_name = privateKeyPem, unchecked_param_type = "string")] private_key_pem: JsValue,
) -> Result<Uint8Array, JsValue> {
    args::object(&envelope, "envelope")?;
    args::bounded(&envelope, "envelope")?;
    let private_key_pem = Zeroizing::new(args::string(&private_key_pem, "privateKeyPem")?);
    let env: Envelope = serde_wasm_bindgen::from_value(envelope)
        .map_err(|e| js_error("MalformedEnvelope", &format!("not an envelope: {e}")))?;
    let pair = KeyPair::from_pkcs8(private_key_pem.as_bytes()).map_err(to_js)?;
    let plain = engine::open(&env, &pair).map_err(to_js)?;
    Ok(Uint8Array::from(&plain[..]))
}
