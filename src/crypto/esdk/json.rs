//! The JSON layer of the ESDK engine, in the shapes of the JS API (`esdkEncrypt`, `esdkDecrypt`,
//! `EsdkEncryptor`, `EsdkDecryptor`): options and keyrings in, header descriptions out.
//!
//! Plain functions over `serde_json::Value`, so the `#[wasm_bindgen]` layer is one line each.
//! Byte arrays stay byte slices (they are `Uint8Array`s in JS); only nested binary fields
//! (provider info, key material) are base64. Errors are [`EsdkError`]s whose `code()` is the JS
//! `Error.code`; option errors name the JSON pointer of the bad field.

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Map, Value};
use zeroize::Zeroizing;

use super::body::{parse_frame, parse_single_block, UnitKind, MAX_SINGLE_BLOCK};
use super::context::EncryptionContext;
use super::decrypt::{decrypt as decrypt_bytes, Decryptor};
use super::encrypt::{encrypt as encrypt_bytes, Encryptor};
use super::error::EsdkError;
use super::header::{ContentType, Header};
use super::materials::DataKey;
use super::options::{CommitmentPolicy, DecryptOptions, EncryptOptions, SignedMessagePolicy};
use super::reader::ParseError;
use super::suite::{AlgorithmSuite, MessageVersion};
use crate::crypto::keyring::aws_kms::KmsClientSupplier;
use crate::crypto::keyring::{
    AwsKmsDiscoveryKeyring, AwsKmsKeyring, DiscoveryFilter, Keyring, MultiKeyring, RawAesKeyring,
    RawRsaKeyring, RsaPadding,
};

/// Where the AWS KMS keyrings of the options get their KMS clients (`None`: KMS keyrings are
/// refused with a message saying what to pass).
pub type Kms<'a> = Option<&'a dyn KmsClientSupplier>;

/// `esdkEncrypt(plaintext, opts)`: the whole message.
pub fn encrypt(plaintext: &[u8], opts: &Value) -> Result<Vec<u8>, EsdkError> {
    encrypt_with(plaintext, opts, None)
}

/// [`encrypt`] with a KMS for the AWS KMS keyrings.
pub fn encrypt_with(plaintext: &[u8], opts: &Value, kms: Kms<'_>) -> Result<Vec<u8>, EsdkError> {
    let (keyring, o) = encrypt_options(opts, kms)?;
    encrypt_bytes(plaintext, &keyring, &o)
}

/// `esdkDecrypt(ciphertext, opts)`: the plaintext and the header description.
pub fn decrypt(ciphertext: &[u8], opts: &Value) -> Result<(Vec<u8>, Value), EsdkError> {
    decrypt_with(ciphertext, opts, None)
}

/// [`decrypt`] with a KMS for the AWS KMS keyrings.
pub fn decrypt_with(ciphertext: &[u8], opts: &Value, kms: Kms<'_>) -> Result<(Vec<u8>, Value), EsdkError> {
    let (keyring, o) = decrypt_options(opts, kms)?;
    let d = decrypt_bytes(ciphertext, &keyring, &o)?;
    Ok((d.plaintext, header_json(&d.header)))
}

/// `new EsdkEncryptor(opts)`: the header is produced with the first `update` (or `finish`).
pub fn encryptor(opts: &Value) -> Result<Encryptor, EsdkError> {
    encryptor_with(opts, None)
}

/// [`encryptor`] with a KMS for the AWS KMS keyrings.
pub fn encryptor_with(opts: &Value, kms: Kms<'_>) -> Result<Encryptor, EsdkError> {
    let (keyring, o) = encrypt_options(opts, kms)?;
    Encryptor::new(&keyring, &o)
}

/// `new EsdkDecryptor(opts)`; `opts.signedMessages` is `"release"` (default: frames are released
/// once their tag verifies, the signature is checked at the end), `"buffer"` (hold plaintext of
/// signed messages until the signature verifies, at most `maxBufferedPlaintext` bytes, default
/// 64 MiB) or `"reject"` (unsigned messages only).
pub fn decryptor(opts: &Value) -> Result<Decryptor<'static>, EsdkError> {
    decryptor_with(opts, None)
}

/// [`decryptor`] with a KMS for the AWS KMS keyrings.
pub fn decryptor_with(opts: &Value, kms: Kms<'_>) -> Result<Decryptor<'static>, EsdkError> {
    let (keyring, o) = decrypt_options(opts, kms)?;
    Ok(Decryptor::new(keyring, o))
}

/// Which AES-GCM runs the body frames (`opts.aead`): the pure-Rust cipher, WebCrypto, or
/// WebCrypto when the input is large enough to gain from it (the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AeadChoice {
    /// WebCrypto for inputs of at least [`AeadChoice::AUTO_MIN`] bytes where available.
    Auto,
    /// Always WebCrypto; an error where it is missing.
    WebCrypto,
    /// Always the pure-Rust cipher.
    Rust,
}

impl AeadChoice {
    /// Below this many bytes the cost of WebCrypto's calls outweighs its speed.
    pub const AUTO_MIN: usize = 32 * 1024;
}

/// `opts.aead`: `"auto"` (default), `"webcrypto"` or `"rust"`.
pub fn aead_choice(opts: &Value) -> Result<AeadChoice, EsdkError> {
    match opts.get("aead") {
        None | Some(Value::Null) => Ok(AeadChoice::Auto),
        Some(Value::String(s)) => match s.as_str() {
            "auto" => Ok(AeadChoice::Auto),
            "webcrypto" => Ok(AeadChoice::WebCrypto),
            "rust" => Ok(AeadChoice::Rust),
            other => Err(invalid("/aead", format!("unknown value `{other}`: use auto, webcrypto or rust"))),
        },
        Some(_) => Err(invalid("/aead", "expected a string")),
    }
}

/// The decryptor behind a one-shot `esdkDecrypt` that is fed in pieces: the options of
/// [`super::decrypt::one_shot_options`].
pub fn one_shot_decryptor(opts: &Value) -> Result<Decryptor<'static>, EsdkError> {
    one_shot_decryptor_with(opts, None)
}

/// [`one_shot_decryptor`] with a KMS for the AWS KMS keyrings.
pub fn one_shot_decryptor_with(opts: &Value, kms: Kms<'_>) -> Result<Decryptor<'static>, EsdkError> {
    let (keyring, o) = decrypt_options(opts, kms)?;
    Ok(Decryptor::new(keyring, super::decrypt::one_shot_options(&o)))
}

/// `{ code, message }` for a thrown JS `Error`.
pub fn error_json(e: &EsdkError) -> Value {
    json!({ "code": e.code(), "message": e.to_string() })
}

/// The header description returned by `esdkDecrypt` (spec field names in camelCase).
pub fn header_json(h: &Header) -> Value {
    let edks: Vec<Value> = h
        .encrypted_data_keys
        .iter()
        .map(|e| {
            json!({
                "providerId": e.provider_id,
                "providerInfo": B64.encode(&e.provider_info),
                "ciphertext": B64.encode(&e.ciphertext),
            })
        })
        .collect();
    let mut v = json!({
        "messageVersion": h.version().byte(),
        "suiteId": h.suite.id(),
        "suiteHex": format!("0x{:04X}", h.suite.id()),
        "suiteName": h.suite.aws_name(),
        "messageId": B64.encode(&h.message_id),
        "contentType": match h.content_type { ContentType::Framed => "framed", ContentType::NonFramed => "non-framed" },
        "frameLength": h.frame_length,
        "encryptionContext": h.encryption_context.0,
        "encryptedDataKeys": edks,
        "headerAuthTag": B64.encode(h.auth_tag),
    });
    if let Some(obj) = v.as_object_mut() {
        match h.version() {
            MessageVersion::V1 => {
                obj.insert("headerIv".into(), B64.encode(h.header_iv).into());
            }
            MessageVersion::V2 => {
                if let Some(c) = &h.commitment {
                    obj.insert("keyCommitment".into(), B64.encode(c).into());
                }
            }
        }
    }
    v
}

/// The header inspector: parse a (possibly partial) message without any key and describe its
/// header and body layout (frames, final frame length, footer). Nothing is decrypted.
pub fn inspect(message: &[u8]) -> Result<Value, EsdkError> {
    let parsed = Header::from_bytes(message)?;
    let h = &parsed.header;
    let mut pos = parsed.total_len;
    let mut frames = 0u64;
    let mut final_len = None;
    let mut complete = false;
    let mut seq = 1u32;
    while let Some(rest) = message.get(pos..) {
        let unit = match h.content_type {
            ContentType::Framed => parse_frame(rest, pos, h.frame_length, seq),
            ContentType::NonFramed => parse_single_block(rest, pos, MAX_SINGLE_BLOCK),
        };
        match unit {
            Ok(u) => {
                frames += 1;
                pos += u.len;
                if u.kind != UnitKind::Frame {
                    final_len = Some(u.ciphertext.len());
                    complete = true;
                    break;
                }
                seq = seq.saturating_add(1);
            }
            Err(ParseError::Incomplete(_)) => break,
            Err(ParseError::Invalid(e)) => return Err(e),
        }
    }
    let (footer, footer_complete) = match (complete, h.suite.is_signed(), message.get(pos..)) {
        (true, true, Some([a, b, rest @ ..])) => {
            let n = usize::from(u16::from_be_bytes([*a, *b]));
            (json!({ "signatureLength": n, "complete": rest.len() >= n }), rest.len() >= n)
        }
        (_, signed, _) => (Value::Null, !signed),
    };
    Ok(json!({
        "header": header_json(h),
        "headerLength": parsed.total_len,
        "signed": h.suite.is_signed(),
        "committing": h.suite.is_committing(),
        "body": {
            "units": frames,
            "finalFrameLength": final_len,
            "complete": complete,
        },
        "footer": footer,
        "complete": complete && footer_complete,
    }))
}

// ---- options ----

const ENCRYPT_FIELDS: &[&str] = &[
    "keyrings",
    "encryptionContext",
    "suiteId",
    "frameLength",
    "commitmentPolicy",
    "maxEncryptedDataKeys",
    "requiredEncryptionContextKeys",
    "aead",
];
/// `suiteId` and `frameLength` are accepted so one options object serves both calls; decryption
/// takes both from the message.
const DECRYPT_FIELDS: &[&str] = &[
    "keyrings",
    "suiteId",
    "frameLength",
    "encryptionContext",
    "commitmentPolicy",
    "maxEncryptedDataKeys",
    "requiredEncryptionContextKeys",
    "maxFrameLength",
    "signedMessages",
    "maxBufferedPlaintext",
    "aead",
];

fn invalid(pointer: &str, what: impl std::fmt::Display) -> EsdkError {
    EsdkError::InvalidInput(format!("`{pointer}`: {what}"))
}

fn object<'a>(v: &'a Value, pointer: &str, allowed: &[&str]) -> Result<&'a Map<String, Value>, EsdkError> {
    let obj = v.as_object().ok_or_else(|| invalid(pointer, "expected an object"))?;
    if let Some(k) = obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(invalid(
            &format!("{pointer}/{k}"),
            format!("unknown field (expected one of {})", allowed.join(", ")),
        ));
    }
    Ok(obj)
}

fn string<'a>(obj: &'a Map<String, Value>, key: &str, pointer: &str) -> Result<Option<&'a str>, EsdkError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(invalid(&format!("{pointer}/{key}"), "expected a string")),
    }
}

fn required<'a>(obj: &'a Map<String, Value>, key: &str, pointer: &str) -> Result<&'a str, EsdkError> {
    string(obj, key, pointer)?.ok_or_else(|| invalid(&format!("{pointer}/{key}"), "is required"))
}

fn number(obj: &Map<String, Value>, key: &str) -> Result<Option<u64>, EsdkError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => {
            v.as_u64().map(Some).ok_or_else(|| invalid(&format!("/{key}"), "expected a non-negative integer"))
        }
    }
}

fn context(obj: &Map<String, Value>) -> Result<Option<EncryptionContext>, EsdkError> {
    let Some(v) = obj.get("encryptionContext").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let m = v.as_object().ok_or_else(|| invalid("/encryptionContext", "expected an object of strings"))?;
    let mut out = BTreeMap::new();
    for (k, v) in m {
        let s = v.as_str().ok_or_else(|| invalid(&format!("/encryptionContext/{k}"), "expected a string"))?;
        out.insert(k.clone(), s.to_string());
    }
    Ok(Some(EncryptionContext(out)))
}

fn string_list(obj: &Map<String, Value>, key: &str) -> Result<Vec<String>, EsdkError> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| invalid(&format!("/{key}/{i}"), "expected a string"))
            })
            .collect(),
        Some(_) => Err(invalid(&format!("/{key}"), "expected an array of strings")),
    }
}

fn policy(obj: &Map<String, Value>) -> Result<CommitmentPolicy, EsdkError> {
    match string(obj, "commitmentPolicy", "")? {
        None => Ok(CommitmentPolicy::default()),
        Some(s) => CommitmentPolicy::from_name(s).map_err(|e| invalid("/commitmentPolicy", e)),
    }
}

fn max_edks(obj: &Map<String, Value>) -> Result<Option<u16>, EsdkError> {
    match number(obj, "maxEncryptedDataKeys")? {
        None => Ok(None),
        Some(0) => Err(invalid("/maxEncryptedDataKeys", "must be at least 1")),
        // More than 65535 cannot occur in a message, so it is the same as no limit.
        Some(n) => Ok(u16::try_from(n).ok()),
    }
}

fn keyrings(obj: &Map<String, Value>, kms: Kms<'_>) -> Result<MultiKeyring<'static>, EsdkError> {
    let list = obj
        .get("keyrings")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("/keyrings", "give an array of at least one keyring"))?;
    let built = list
        .iter()
        .enumerate()
        .map(|(i, k)| keyring_with(k, &format!("/keyrings/{i}"), kms))
        .collect::<Result<Vec<_>, _>>()?;
    MultiKeyring::from_list(built).map_err(|e| invalid("/keyrings", e))
}

/// One keyring from its JSON description (no KMS keyrings).
pub fn keyring(v: &Value, pointer: &str) -> Result<Box<dyn Keyring>, EsdkError> {
    keyring_with(v, pointer, None)
}

/// One keyring from its JSON description, the AWS KMS ones with clients from `kms`.
pub fn keyring_with(v: &Value, pointer: &str, kms: Kms<'_>) -> Result<Box<dyn Keyring>, EsdkError> {
    let obj = v.as_object().ok_or_else(|| invalid(pointer, "expected a keyring object"))?;
    let at = |e: EsdkError| invalid(pointer, e);
    match required(obj, "type", pointer)? {
        "raw-aes" => {
            object(v, pointer, &["type", "namespace", "name", "key"])?;
            let key = Zeroizing::new(
                B64.decode(required(obj, "key", pointer)?)
                    .map_err(|_| invalid(&format!("{pointer}/key"), "not valid base64"))?,
            );
            let k = RawAesKeyring::new(
                required(obj, "namespace", pointer)?,
                required(obj, "name", pointer)?,
                DataKey::new(key.to_vec()),
            )
            .map_err(at)?;
            Ok(Box::new(k))
        }
        "raw-rsa" => {
            object(
                v,
                pointer,
                &["type", "namespace", "name", "padding", "paddingHash", "publicKeyPem", "privateKeyPem"],
            )?;
            let padding = RsaPadding::from_names(
                required(obj, "padding", pointer)?,
                string(obj, "paddingHash", pointer)?,
            )
            .map_err(at)?;
            let k = RawRsaKeyring::from_pem(
                required(obj, "namespace", pointer)?,
                required(obj, "name", pointer)?,
                padding,
                string(obj, "publicKeyPem", pointer)?,
                string(obj, "privateKeyPem", pointer)?,
            )
            .map_err(at)?;
            Ok(Box::new(k))
        }
        t @ ("aws-kms" | "aws-kms-mrk" | "aws-kms-discovery" | "aws-kms-mrk-discovery") => {
            kms_keyring(t, v, obj, pointer, kms)
        }
        other => Err(invalid(
            &format!("{pointer}/type"),
            format!(
                "unknown keyring type `{other}`: use raw-aes, raw-rsa, aws-kms, aws-kms-mrk, aws-kms-discovery or aws-kms-mrk-discovery"
            ),
        )),
    }
}

/// An AWS KMS keyring: `{type: "aws-kms" | "aws-kms-mrk", keyId, grantTokens?}`,
/// `{type: "aws-kms-discovery", discoveryFilter?, grantTokens?}` or
/// `{type: "aws-kms-mrk-discovery", region, discoveryFilter?, grantTokens?}`.
fn kms_keyring(
    t: &str,
    v: &Value,
    obj: &Map<String, Value>,
    pointer: &str,
    kms: Kms<'_>,
) -> Result<Box<dyn Keyring>, EsdkError> {
    let fields: &[&str] = match t {
        "aws-kms" | "aws-kms-mrk" => &["type", "keyId", "grantTokens"],
        "aws-kms-discovery" => &["type", "discoveryFilter", "grantTokens"],
        _ => &["type", "region", "discoveryFilter", "grantTokens"],
    };
    object(v, pointer, fields)?;
    let supplier = kms.ok_or_else(|| {
        invalid(
            pointer,
            format!("a `{t}` keyring needs a KMS: pass `kms` (a Kms instance) and `caller` in the options"),
        )
    })?;
    let at = |e: EsdkError| invalid(pointer, e);
    let tokens = string_list(obj, "grantTokens").map_err(at)?;
    if tokens.len() > 10 {
        return Err(invalid(&format!("{pointer}/grantTokens"), "at most 10 grant tokens"));
    }
    let client = supplier.client();
    Ok(match t {
        "aws-kms" => {
            Box::new(AwsKmsKeyring::new(required(obj, "keyId", pointer)?, client, tokens).map_err(at)?)
        }
        "aws-kms-mrk" => {
            Box::new(AwsKmsKeyring::mrk(required(obj, "keyId", pointer)?, client, tokens).map_err(at)?)
        }
        "aws-kms-discovery" => {
            Box::new(AwsKmsDiscoveryKeyring::new(client, discovery_filter(obj, pointer)?, tokens))
        }
        _ => Box::new(
            AwsKmsDiscoveryKeyring::mrk(
                client,
                required(obj, "region", pointer)?,
                discovery_filter(obj, pointer)?,
                tokens,
            )
            .map_err(at)?,
        ),
    })
}

/// `discoveryFilter: {partition, accountIds}`.
fn discovery_filter(obj: &Map<String, Value>, pointer: &str) -> Result<Option<DiscoveryFilter>, EsdkError> {
    let Some(v) = obj.get("discoveryFilter").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    let at = format!("{pointer}/discoveryFilter");
    let f = object(v, &at, &["partition", "accountIds"])?;
    let partition = required(f, "partition", &at)?;
    let accounts = string_list(f, "accountIds").map_err(|e| invalid(&at, e))?;
    DiscoveryFilter::new(partition, accounts).map(Some).map_err(|e| invalid(&at, e))
}

fn suite(obj: &Map<String, Value>) -> Result<Option<AlgorithmSuite>, EsdkError> {
    let id = match obj.get("suiteId") {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Number(n)) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Some(Value::String(s)) => {
            let hex = s.trim_start_matches("0x").trim_start_matches("0X");
            u16::from_str_radix(hex, 16).ok()
        }
        Some(_) => None,
    }
    .ok_or_else(|| invalid("/suiteId", "expected a suite id such as 0x0578 (1400) or \"0578\""))?;
    AlgorithmSuite::from_id(id).map(Some).map_err(|e| invalid("/suiteId", e))
}

fn encrypt_options(opts: &Value, kms: Kms<'_>) -> Result<(MultiKeyring<'static>, EncryptOptions), EsdkError> {
    let obj = object(opts, "", ENCRYPT_FIELDS)?;
    aead_choice(opts)?;
    let frame_length = match number(obj, "frameLength")? {
        None => super::options::DEFAULT_FRAME_LENGTH,
        Some(n) => u32::try_from(n)
            .ok()
            .filter(|n| *n > 0)
            .ok_or_else(|| invalid("/frameLength", "must be between 1 and 4294967295"))?,
    };
    let o = EncryptOptions {
        suite: suite(obj)?,
        frame_length,
        commitment_policy: policy(obj)?,
        max_encrypted_data_keys: max_edks(obj)?,
        encryption_context: context(obj)?.unwrap_or_default(),
        required_encryption_context_keys: string_list(obj, "requiredEncryptionContextKeys")?,
    };
    Ok((keyrings(obj, kms)?, o))
}

fn decrypt_options(opts: &Value, kms: Kms<'_>) -> Result<(MultiKeyring<'static>, DecryptOptions), EsdkError> {
    let obj = object(opts, "", DECRYPT_FIELDS)?;
    aead_choice(opts)?;
    suite(obj)?;
    number(obj, "frameLength")?;
    let mut o = DecryptOptions {
        commitment_policy: policy(obj)?,
        max_encrypted_data_keys: max_edks(obj)?,
        reproduced_encryption_context: context(obj)?,
        required_encryption_context_keys: string_list(obj, "requiredEncryptionContextKeys")?,
        ..DecryptOptions::default()
    };
    if let Some(n) = number(obj, "maxFrameLength")? {
        o.max_frame_length =
            u32::try_from(n).map_err(|_| invalid("/maxFrameLength", "must be below 2^32"))?;
    }
    o.signed_messages = match string(obj, "signedMessages", "")? {
        None | Some("release") => SignedMessagePolicy::ReleaseBeforeSignature,
        Some("buffer") => SignedMessagePolicy::BufferUntilVerified(
            number(obj, "maxBufferedPlaintext")?
                .unwrap_or(u64::from(super::options::DEFAULT_MAX_FRAME_LENGTH)),
        ),
        Some("reject") => SignedMessagePolicy::RejectSigned,
        Some(other) => {
            return Err(invalid(
                "/signedMessages",
                format!("unknown value `{other}`: use release, buffer or reject"),
            ))
        }
    };
    Ok((keyrings(obj, kms)?, o))
}
