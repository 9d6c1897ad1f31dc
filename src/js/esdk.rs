//! JS API of the AWS Encryption SDK engine: one-shot `esdkEncrypt` / `esdkDecrypt`, the streaming
//! `EsdkEncryptor` / `EsdkDecryptor` classes, and `esdkInspect` (the header inspector).
//!
//! The one-shot calls and the streams' `updateAsync` / `finishAsync` return Promises: their frames
//! go through WebCrypto (`opts.aead`, default `"auto"`), a window of 1 MiB at a time, so neither the
//! input nor the output is ever copied whole into wasm memory. The streams' synchronous `update`,
//! `updateInto` and `finish` use the pure-Rust cipher.
//!
//! For the signing suites the Promise-returning calls also hash the signature in a worker where
//! the page allows one (`web/hash_worker.rs`): one-shot messages from 4 MiB up, and every
//! stream whose first call is a Promise-returning one. Such a stream must then end with
//! `finishAsync` (a decryptor: take the footer through `updateAsync`/`pushAsync`); the
//! synchronous call says so instead of waiting. Otherwise (smaller one-shot messages, no worker
//! allowed, Node) they hash on the calling thread a slice per task (`web/hash_slices.rs`), and
//! every Promise-returning call gives the event loop a turn between 1 MiB windows: none holds the
//! thread for the whole message. The synchronous calls hash and encrypt all they are given at once.

mod kms_client;
mod pipe;
mod stream;

use js_sys::{Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use self::kms_client::{split_options, JsKms};
use self::pipe::{stream_class, StreamHandle};
use self::stream::{pump, too_large, DecStream, EncStream, HashHandOff, Sink, Stream as _};
use super::args::{self, Accept};
use super::error::{js_error, to_js as err};
use super::json::to_js;
use crate::crypto::esdk::json::AeadChoice;
use crate::crypto::esdk::{json as engine, BatchDecryptor, EsdkError};
use crate::crypto::keyring::aws_kms::KmsClientSupplier;
use crate::web::esdk_aead::{AnyBackend, WebCryptoBackend};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** An AWS KMS discovery filter: only keys of this partition and these accounts are used. */
export interface EsdkDiscoveryFilter { partition: string; accountIds: string[] }
/** A keyring. `key` is base64 key material (16, 24 or 32 bytes). The `aws-kms*` keyrings call
 * `options.kms` as `options.caller`; `keyId` is a key ARN, key id, alias ARN or alias name. */
export type EsdkKeyring =
  | { type: "raw-aes"; namespace: string; name: string; key: string }
  | { type: "aws-kms"; keyId: string; grantTokens?: string[] }
  | { type: "aws-kms-mrk"; keyId: string; grantTokens?: string[] }
  | { type: "aws-kms-discovery"; discoveryFilter?: EsdkDiscoveryFilter; grantTokens?: string[] }
  | { type: "aws-kms-mrk-discovery"; region: string; discoveryFilter?: EsdkDiscoveryFilter; grantTokens?: string[] }
  | { type: "raw-rsa"; namespace: string; name: string; padding: "pkcs1" | "oaep-mgf1";
      paddingHash?: "sha1" | "sha256" | "sha384" | "sha512"; publicKeyPem?: string; privateKeyPem?: string };
export interface EsdkOptions {
  keyrings: EsdkKeyring[];
  /** The KMS emulator the `aws-kms*` keyrings call (each call authorized and audited there). */
  kms?: Kms;
  /** Who the `aws-kms*` keyrings call KMS as; required with `kms`. */
  caller?: KmsCaller;
  encryptionContext?: Record<string, string>;
  /** Default 0x0578. Decryption takes it from the message (the field is accepted and ignored). */
  suiteId?: number | string;
  /** Default 4096. Decryption takes it from the message (the field is accepted and ignored). */
  frameLength?: number;
  /** Default "REQUIRE_ENCRYPT_REQUIRE_DECRYPT". */
  commitmentPolicy?: "FORBID_ENCRYPT_ALLOW_DECRYPT" | "REQUIRE_ENCRYPT_ALLOW_DECRYPT" | "REQUIRE_ENCRYPT_REQUIRE_DECRYPT";
  maxEncryptedDataKeys?: number;
  requiredEncryptionContextKeys?: string[];
  /** Decrypt only: what to do with signed messages while streaming (default "release"). */
  signedMessages?: "release" | "buffer" | "reject";
  maxBufferedPlaintext?: number;
  maxFrameLength?: number;
  /** Which AES-GCM runs the frames of the Promise-returning calls: WebCrypto from 32 KiB up where
   * available ("auto", the default), always WebCrypto, or always the pure-Rust cipher. AES-192
   * suites always use the pure-Rust cipher (browsers' WebCrypto has no AES-192). */
  aead?: "auto" | "webcrypto" | "rust";
}
export interface EsdkHeader {
  messageVersion: 1 | 2;
  suiteId: number;
  suiteHex: string;
  suiteName: string;
  messageId: string;
  contentType: "framed" | "non-framed";
  frameLength: number;
  encryptionContext: Record<string, string>;
  encryptedDataKeys: { providerId: string; providerInfo: string; ciphertext: string }[];
  headerAuthTag: string;
  headerIv?: string;
  keyCommitment?: string;
}
export interface EsdkDecryptResult { plaintext: Uint8Array; header: EsdkHeader }
"#;

/// The options argument: an object, required; its `kms` and `caller` apart (they are not JSON).
fn opts(value: JsValue) -> Result<(serde_json::Value, Option<JsKms>), JsValue> {
    if value.is_undefined() || value.is_null() {
        return Err(js_error("InvalidInput", "`options` are required: at least `{ keyrings: [...] }`"));
    }
    let (rest, kms) = split_options(value)?;
    Ok((args::json(rest, "options", Accept::OBJECT)?, kms))
}

/// The KMS of the options as the engine takes it.
fn supplier(kms: &Option<JsKms>) -> engine::Kms<'_> {
    kms.as_ref().map(|k| k as &dyn KmsClientSupplier)
}

/// The backend for `choice` and an input of `len` bytes (`None`: a stream, length unknown).
fn backend(choice: AeadChoice, len: Option<usize>) -> Result<AnyBackend, JsValue> {
    let web = WebCryptoBackend::available();
    match (choice, web) {
        (AeadChoice::Rust, _) => Ok(AnyBackend::Rust),
        (AeadChoice::WebCrypto, Some(w)) => Ok(AnyBackend::WebCrypto(w)),
        (AeadChoice::WebCrypto, None) => Err(js_error(
            "WebCryptoUnavailable",
            "`aead: \"webcrypto\"` but crypto.subtle is missing here (serve the page over https or from localhost)",
        )),
        (AeadChoice::Auto, Some(w)) if len.is_none_or(|n| n >= AeadChoice::AUTO_MIN) => {
            Ok(AnyBackend::WebCrypto(w))
        }
        (AeadChoice::Auto, _) => Ok(AnyBackend::Rust),
    }
}

fn choice(opts: &serde_json::Value) -> Result<AeadChoice, JsValue> {
    engine::aead_choice(opts).map_err(err::<EsdkError>)
}

/// Encrypt a whole message. Frames go through WebCrypto from 32 KiB up (see `opts.aead`).
#[wasm_bindgen(js_name = esdkEncrypt, unchecked_return_type = "Uint8Array")]
pub async fn esdk_encrypt(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] plaintext: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let plaintext = args::uint8_array(&plaintext, "plaintext")?;
    let (o, kms) = opts(options)?;
    let len = plaintext.length() as usize;
    let backend = backend(choice(&o)?, Some(len))?;
    let enc = engine::encryptor_with(&o, supplier(&kms)).map_err(err::<EsdkError>)?;
    let bound = u32::try_from(enc.message_len_bound(len as u64)).map_err(|_| too_large())?;
    let mut stream = EncStream { enc, backend, aead: None, hash: HashHandOff::for_len(len) };
    let mut sink = Sink::Fixed { buf: Uint8Array::new_with_length(bound), len: 0 };
    pump(&mut stream, &plaintext, &mut sink).await?;
    sink.write(&stream.end_batched().await.map_err(err::<EsdkError>)?)?;
    Ok(sink.into_array().into())
}

/// Decrypt a whole message; nothing is returned unless every check passed (tags, commitment,
/// signature). Frames go through WebCrypto from 32 KiB up (see `opts.aead`).
#[wasm_bindgen(js_name = esdkDecrypt, unchecked_return_type = "EsdkDecryptResult")]
pub async fn esdk_decrypt(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] ciphertext: JsValue,
    #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let ciphertext = args::uint8_array(&ciphertext, "ciphertext")?;
    let (o, kms) = opts(options)?;
    let len = ciphertext.length();
    let backend = backend(choice(&o)?, Some(len as usize))?;
    let dec = engine::one_shot_decryptor_with(&o, supplier(&kms)).map_err(err::<EsdkError>)?;
    let mut stream =
        DecStream { dec: BatchDecryptor::new(dec, backend), hash: HashHandOff::for_len(len as usize) };
    let mut sink = Sink::Fixed { buf: Uint8Array::new_with_length(len), len: 0 };
    pump(&mut stream, &ciphertext, &mut sink).await?;
    let header = stream.dec.inner().header().map(engine::header_json);
    sink.write(&stream.end_batched().await.map_err(err::<EsdkError>)?)?;
    let header = header.ok_or_else(|| err(EsdkError::Truncated { what: "the header" }))?;
    let out = Object::new();
    Reflect::set(&out, &"plaintext".into(), &sink.into_array())?;
    Reflect::set(&out, &"header".into(), &to_js(&header)?)?;
    Ok(out.into())
}

/// Describe a message (or its first bytes) without any key: header fields, frames, footer.
#[wasm_bindgen(js_name = esdkInspect)]
pub fn esdk_inspect(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] message: JsValue,
) -> Result<JsValue, JsValue> {
    let message = args::bytes(&message, "message")?;
    to_js(&engine::inspect(&message).map_err(err::<EsdkError>)?)
}

/// Streaming encryption: `update(chunk)` returns the bytes ready so far, `finish()` the rest.
/// Memory stays at about one frame (or one 1 MiB window) whatever the message size.
#[wasm_bindgen(js_name = EsdkEncryptor)]
pub struct EsdkEncryptor {
    handle: StreamHandle<EncStream>,
}

#[wasm_bindgen(js_class = EsdkEncryptor)]
impl EsdkEncryptor {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
    ) -> Result<Self, JsValue> {
        let (o, kms) = opts(options)?;
        let backend = backend(choice(&o)?, None)?;
        let enc = engine::encryptor_with(&o, supplier(&kms)).map_err(err::<EsdkError>)?;
        let stream = EncStream { enc, backend, aead: None, hash: HashHandOff::default() };
        Ok(Self { handle: StreamHandle::new(stream) })
    }
}

stream_class!(
    EsdkEncryptor,
    update: "Push plaintext; returns ciphertext bytes that are ready (possibly none).",
    update_into: "Push plaintext and copy the message bytes that are ready into `out` (a buffer you reuse);
 returns how many were copied. If more were ready than fit, call `drainInto(out)` until it
 returns 0 before the next `updateInto`. `finish()` returns anything not yet drained.",
    finish: "End the message: the final frame and, for signed suites, the footer. A signing stream begun
 with a Promise-returning call hashes in a worker and must end with `finishAsync`."
);

/// Streaming decryption: `update(chunk)` returns plaintext of frames whose tags verified;
/// `finish()` checks the message is complete (and its signature) and returns what is left.
#[wasm_bindgen(js_name = EsdkDecryptor)]
pub struct EsdkDecryptor {
    handle: StreamHandle<DecStream>,
}

#[wasm_bindgen(js_class = EsdkDecryptor)]
impl EsdkDecryptor {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
    ) -> Result<Self, JsValue> {
        let (o, kms) = opts(options)?;
        let backend = backend(choice(&o)?, None)?;
        let dec = engine::decryptor_with(&o, supplier(&kms)).map_err(err::<EsdkError>)?;
        let dec = BatchDecryptor::new(dec, backend);
        Ok(Self { handle: StreamHandle::new(DecStream { dec, hash: HashHandOff::default() }) })
    }

    /// The header, once enough bytes have arrived to read it.
    #[wasm_bindgen(unchecked_return_type = "EsdkHeader | undefined")]
    pub fn header(&self) -> Result<JsValue, JsValue> {
        let pipe = self.handle.borrow()?;
        match pipe.inner.as_ref().and_then(|d| d.dec.inner().header()) {
            Some(h) => to_js(&engine::header_json(h)),
            None => Ok(JsValue::UNDEFINED),
        }
    }
}

stream_class!(
    EsdkDecryptor,
    update: "Push ciphertext; returns verified plaintext that is ready (possibly none). A signed message
 whose stream began with a Promise-returning call is hashed in a worker: its footer must
 come through `updateAsync` / `pushAsync`.",
    update_into: "Push message bytes and copy the verified plaintext bytes that are ready into `out` (a buffer
 you reuse); returns how many were copied. If more were ready than fit, call `drainInto(out)`
 until it returns 0 before the next `updateInto`. `finish()` returns anything not yet drained.",
    finish: "End of input: fails if the message is incomplete or its signature does not verify."
);
