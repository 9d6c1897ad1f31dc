//! JS API of the AWS Encryption SDK engine: one-shot `esdkEncrypt` / `esdkDecrypt`, the streaming
//! `EsdkEncryptor` / `EsdkDecryptor` classes, and `esdkInspect` (the header inspector).

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use super::error::{js_error, to_js as err};
use super::json::{from_js, to_js};
use crate::crypto::esdk::{json as engine, Decryptor, Encryptor, EsdkError};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A keyring. `key` is base64 key material (16, 24 or 32 bytes). */
export type EsdkKeyring =
  | { type: "raw-aes"; namespace: string; name: string; key: string }
  | { type: "raw-rsa"; namespace: string; name: string; padding: "pkcs1" | "oaep-mgf1";
      paddingHash?: "sha1" | "sha256" | "sha384" | "sha512"; publicKeyPem?: string; privateKeyPem?: string };
export interface EsdkOptions {
  keyrings: EsdkKeyring[];
  encryptionContext?: Record<string, string>;
  /** Default 0x0578. */
  suiteId?: number | string;
  /** Default 4096. */
  frameLength?: number;
  /** Default "REQUIRE_ENCRYPT_REQUIRE_DECRYPT". */
  commitmentPolicy?: "FORBID_ENCRYPT_ALLOW_DECRYPT" | "REQUIRE_ENCRYPT_ALLOW_DECRYPT" | "REQUIRE_ENCRYPT_REQUIRE_DECRYPT";
  maxEncryptedDataKeys?: number;
  requiredEncryptionContextKeys?: string[];
  /** Decrypt only: what to do with signed messages while streaming (default "release"). */
  signedMessages?: "release" | "buffer" | "reject";
  maxBufferedPlaintext?: number;
  maxFrameLength?: number;
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

fn opts(value: JsValue) -> Result<serde_json::Value, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Err(js_error("InvalidInput", "options are required: at least `{ keyrings: [...] }`"));
    }
    from_js(value)
}

/// Encrypt a whole message.
#[wasm_bindgen(js_name = esdkEncrypt)]
pub fn esdk_encrypt(
    plaintext: &[u8],
    #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
) -> Result<Uint8Array, JsValue> {
    let out = engine::encrypt(plaintext, &opts(options)?).map_err(err::<EsdkError>)?;
    Ok(Uint8Array::from(&out[..]))
}

/// Decrypt a whole message; nothing is returned unless every check passed (tags, commitment,
/// signature).
#[wasm_bindgen(js_name = esdkDecrypt, unchecked_return_type = "EsdkDecryptResult")]
pub fn esdk_decrypt(
    ciphertext: &[u8],
    #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
) -> Result<JsValue, JsValue> {
    let (plaintext, header) = engine::decrypt(ciphertext, &opts(options)?).map_err(err::<EsdkError>)?;
    let out = Object::new();
    Reflect::set(&out, &"plaintext".into(), &Uint8Array::from(&plaintext[..]))?;
    Reflect::set(&out, &"header".into(), &to_js(&header)?)?;
    Ok(out.into())
}

/// Describe a message (or its first bytes) without any key: header fields, frames, footer.
#[wasm_bindgen(js_name = esdkInspect)]
pub fn esdk_inspect(message: &[u8]) -> Result<JsValue, JsValue> {
    to_js(&engine::inspect(message).map_err(err::<EsdkError>)?)
}

/// Output waiting for `drainInto`: lets a caller stream through one reused buffer, so no new JS
/// buffer is made per chunk (garbage that V8 frees only after ~64 MiB of it piles up).
#[derive(Default)]
struct Ready {
    bytes: Vec<u8>,
    pos: usize,
}

impl Ready {
    /// Copy as much as fits into `out`; returns how many bytes were copied.
    fn drain_into(&mut self, out: &mut [u8]) -> u32 {
        let src = self.bytes.get(self.pos..).unwrap_or_default();
        let n = src.len().min(out.len()).min(u32::MAX as usize);
        if let (Some(dst), Some(src)) = (out.get_mut(..n), src.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.pos += n;
        if self.pos >= self.bytes.len() {
            self.bytes.clear();
            self.pos = 0;
        }
        n as u32
    }

    /// What is left, followed by `tail`.
    fn take_with(&mut self, tail: Vec<u8>) -> Vec<u8> {
        let mut rest = self.bytes.split_off(self.pos.min(self.bytes.len()));
        self.bytes.clear();
        self.pos = 0;
        if rest.is_empty() {
            return tail;
        }
        rest.extend_from_slice(&tail);
        rest
    }
}

fn closed() -> JsValue {
    js_error("StreamClosed", "this stream has finished or failed: create a new one")
}

/// What the two engine streams have in common, so one [`Pipe`] serves both JS classes.
trait Stream {
    fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError>;
    fn end(self) -> Result<Vec<u8>, EsdkError>;
}

impl Stream for Encryptor {
    fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        self.update_into(chunk, out)
    }
    fn end(self) -> Result<Vec<u8>, EsdkError> {
        self.finish()
    }
}

impl Stream for Decryptor<'static> {
    fn push(&mut self, chunk: &[u8], out: &mut Vec<u8>) -> Result<(), EsdkError> {
        self.update_into(chunk, out)
    }
    fn end(self) -> Result<Vec<u8>, EsdkError> {
        self.finish()
    }
}

/// A stream plus the bytes it has made ready but the caller has not taken yet. A failed stream
/// is dropped: every later call says `StreamClosed`.
struct Pipe<S> {
    inner: Option<S>,
    ready: Ready,
}

impl<S: Stream> Pipe<S> {
    fn new(stream: S) -> Self {
        Self { inner: Some(stream), ready: Ready::default() }
    }

    fn push(&mut self, chunk: &[u8]) -> Result<(), JsValue> {
        let stream = self.inner.as_mut().ok_or_else(closed)?;
        stream.push(chunk, &mut self.ready.bytes).map_err(|e| {
            self.inner = None;
            err(e)
        })
    }

    fn update(&mut self, chunk: &[u8]) -> Result<Uint8Array, JsValue> {
        self.push(chunk)?;
        Ok(Uint8Array::from(&self.ready.take_with(Vec::new())[..]))
    }

    fn update_into(&mut self, chunk: &[u8], out: &mut [u8]) -> Result<u32, JsValue> {
        self.push(chunk)?;
        Ok(self.ready.drain_into(out))
    }

    fn finish(&mut self) -> Result<Uint8Array, JsValue> {
        let stream = self.inner.take().ok_or_else(closed)?;
        let out = self.ready.take_with(stream.end().map_err(err::<EsdkError>)?);
        Ok(Uint8Array::from(&out[..]))
    }
}

/// Streaming encryption: `update(chunk)` returns the bytes ready so far, `finish()` the rest.
/// Memory stays at about one frame whatever the message size.
#[wasm_bindgen(js_name = EsdkEncryptor)]
pub struct EsdkEncryptor {
    pipe: Pipe<Encryptor>,
}

#[wasm_bindgen(js_class = EsdkEncryptor)]
impl EsdkEncryptor {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
    ) -> Result<Self, JsValue> {
        Ok(Self { pipe: Pipe::new(engine::encryptor(&opts(options)?).map_err(err::<EsdkError>)?) })
    }

    /// Push plaintext; returns ciphertext bytes that are ready (possibly none).
    pub fn update(&mut self, chunk: &[u8]) -> Result<Uint8Array, JsValue> {
        self.pipe.update(chunk)
    }

    /// Push plaintext and copy the message bytes that are ready into `out` (a buffer you reuse);
    /// returns how many were copied. If more were ready than fit, call `drainInto(out)` until it
    /// returns 0 before the next `updateInto`. `finish()` returns anything not yet drained.
    #[wasm_bindgen(js_name = updateInto)]
    pub fn update_into(&mut self, chunk: &[u8], out: &mut [u8]) -> Result<u32, JsValue> {
        self.pipe.update_into(chunk, out)
    }

    /// Copy more ready bytes into `out`; returns how many (0 when none are left).
    #[wasm_bindgen(js_name = drainInto)]
    pub fn drain_into(&mut self, out: &mut [u8]) -> u32 {
        self.pipe.ready.drain_into(out)
    }

    /// End the message: the final frame and, for signed suites, the footer.
    pub fn finish(&mut self) -> Result<Uint8Array, JsValue> {
        self.pipe.finish()
    }
}

/// Streaming decryption: `update(chunk)` returns plaintext of frames whose tags verified;
/// `finish()` checks the message is complete (and its signature) and returns what is left.
#[wasm_bindgen(js_name = EsdkDecryptor)]
pub struct EsdkDecryptor {
    pipe: Pipe<Decryptor<'static>>,
}

#[wasm_bindgen(js_class = EsdkDecryptor)]
impl EsdkDecryptor {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "EsdkOptions")] options: JsValue,
    ) -> Result<Self, JsValue> {
        Ok(Self { pipe: Pipe::new(engine::decryptor(&opts(options)?).map_err(err::<EsdkError>)?) })
    }

    /// Push ciphertext; returns verified plaintext that is ready (possibly none).
    pub fn update(&mut self, chunk: &[u8]) -> Result<Uint8Array, JsValue> {
        self.pipe.update(chunk)
    }

    /// The header, once enough bytes have arrived to read it.
    #[wasm_bindgen(unchecked_return_type = "EsdkHeader | undefined")]
    pub fn header(&self) -> Result<JsValue, JsValue> {
        match self.pipe.inner.as_ref().and_then(|d| d.header()) {
            Some(h) => to_js(&engine::header_json(h)),
            None => Ok(JsValue::UNDEFINED),
        }
    }

    /// Push message bytes and copy the verified plaintext bytes that are ready into `out` (a buffer
    /// you reuse); returns how many were copied. If more were ready than fit, call `drainInto(out)`
    /// until it returns 0 before the next `updateInto`. `finish()` returns anything not yet drained.
    #[wasm_bindgen(js_name = updateInto)]
    pub fn update_into(&mut self, chunk: &[u8], out: &mut [u8]) -> Result<u32, JsValue> {
        self.pipe.update_into(chunk, out)
    }

    /// Copy more ready bytes into `out`; returns how many (0 when none are left).
    #[wasm_bindgen(js_name = drainInto)]
    pub fn drain_into(&mut self, out: &mut [u8]) -> u32 {
        self.pipe.ready.drain_into(out)
    }

    /// End of input: fails if the message is incomplete or its signature does not verify.
    pub fn finish(&mut self) -> Result<Uint8Array, JsValue> {
        self.pipe.finish()
    }
}
