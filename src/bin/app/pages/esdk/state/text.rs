//! The text panel's state: the plaintext, the message (base64), what decrypting it gave, and the
//! last failure; encrypting and decrypting are the engine's JSON layer (`crypto::esdk::json`, the
//! same calls as `esdkEncrypt` / `esdkDecrypt`), called by the reducer with the page's options.
//!
//! Plain Rust for every target, tested natively.

use secplay::crypto::esdk::json as engine;
use serde_json::Value;

use super::{decode_message, Failure};

/// What decrypting gave: the text (lossy UTF-8) and the header the engine read.
#[derive(Clone, Debug, PartialEq)]
pub struct Decrypted {
    pub text: String,
    pub header: Value,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TextState {
    pub plaintext: String,
    /// The message as base64 lines.
    pub message: String,
    pub decrypted: Option<Decrypted>,
    pub error: Option<Failure>,
    /// Sizes of the last encryption, in words.
    pub stats: Option<String>,
}

impl Default for TextState {
    fn default() -> Self {
        Self {
            plaintext: "Quarterly numbers: revenue up 12 %. 분기 실적 🔐".to_owned(),
            message: String::new(),
            decrypted: None,
            error: None,
            stats: None,
        }
    }
}

#[derive(Debug)]
pub enum Action {
    Plaintext(String),
    Message(String),
    /// Encrypt the plaintext with these `esdkEncrypt` options.
    Encrypt(Value),
    /// Decrypt the message with these `esdkDecrypt` options.
    Decrypt(Value),
}

impl TextState {
    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::Plaintext(t) => self.plaintext = t,
            Action::Message(m) => self.message = m,
            Action::Encrypt(opts) => {
                self.decrypted = None;
                match engine::encrypt(self.plaintext.as_bytes(), &opts) {
                    Ok(bytes) => {
                        self.error = None;
                        self.stats = Some(format!(
                            "{} bytes of plaintext became a {}-byte message",
                            self.plaintext.len(),
                            bytes.len()
                        ));
                        self.message = base64_lines(&bytes);
                    }
                    Err(e) => {
                        self.stats = None;
                        self.error = Some(Failure::from(&e));
                    }
                }
            }
            Action::Decrypt(opts) => {
                self.decrypted = None;
                let result = decode_message(&self.message)
                    .and_then(|bytes| engine::decrypt(&bytes, &opts).map_err(|e| Failure::from(&e)));
                match result {
                    Ok((bytes, header)) => {
                        self.error = None;
                        self.decrypted =
                            Some(Decrypted { text: String::from_utf8_lossy(&bytes).into_owned(), header });
                    }
                    Err(f) => self.error = Some(f),
                }
            }
        }
        self
    }
}

reducible!(TextState, Action);

/// Base64 wrapped at 76 characters, as PEM and MIME do, so long messages stay readable.
pub fn base64_lines(bytes: &[u8]) -> String {
    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine as _;
    let text = B64.encode(bytes);
    let mut out = String::with_capacity(text.len() + text.len() / 76);
    for (i, c) in text.chars().enumerate() {
        if i > 0 && i % 76 == 0 {
            out.push('\n');
        }
        out.push(c);
    }
    out
}

pub fn header_line(h: &Value) -> String {
    let suite = format!(
        "{} {}",
        h.get("suiteHex").and_then(Value::as_str).unwrap_or("?"),
        h.get("suiteName").and_then(Value::as_str).unwrap_or("?")
    );
    let edks = h.get("encryptedDataKeys").and_then(Value::as_array).map_or(0, Vec::len);
    let ctx = h
        .get("encryptionContext")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter().map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or(""))).collect::<Vec<_>>().join(", ")
        })
        .unwrap_or_default();
    format!(
        "Message version {}, suite {suite}, {edks} encrypted data key{}, context {{{ctx}}}: every frame tag{} verified",
        h.get("messageVersion").and_then(Value::as_u64).unwrap_or(0),
        if edks == 1 { "" } else { "s" },
        if h.get("suiteName").and_then(Value::as_str).is_some_and(|n| n.contains("ECDSA")) {
            " and the signature"
        } else {
            ""
        }
    )
}

#[cfg(test)]
mod tests {
    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine as _;
    use serde_json::json;

    use super::*;

    fn options() -> Value {
        json!({"keyrings": [{"type": "raw-aes", "namespace": "ns", "name": "k", "key": B64.encode([9u8; 32])}],
               "encryptionContext": {"purpose": "test"}})
    }

    #[test]
    fn text_round_trips_through_the_engine() {
        let s = TextState::default().reduce(Action::Encrypt(options()));
        assert_eq!(s.error, None);
        assert!(s.stats.as_deref().is_some_and(|t| t.contains("bytes of plaintext")));
        assert!(s.message.lines().all(|l| l.len() <= 76));
        let s = s.reduce(Action::Decrypt(options()));
        let d = s.decrypted.clone().unwrap_or_else(|| panic!("{:?}", s.error));
        assert_eq!(d.text, TextState::default().plaintext);
        let line = header_line(&d.header);
        assert!(line.contains("1 encrypted data key,") && line.contains("purpose=test"), "{line}");
    }

    #[test]
    fn a_tampered_message_fails_and_clears_the_old_result() {
        let s = TextState::default().reduce(Action::Encrypt(options())).reduce(Action::Decrypt(options()));
        assert!(s.decrypted.is_some());
        let mut bytes = decode_message(&s.message).unwrap();
        let last = bytes.len() - 40;
        bytes[last] ^= 1;
        let s = s.reduce(Action::Message(base64_lines(&bytes))).reduce(Action::Decrypt(options()));
        assert_eq!(s.decrypted, None);
        assert!(s.error.is_some());
    }

    #[test]
    fn a_wrong_key_or_no_message_is_a_coded_failure() {
        let other = json!({"keyrings": [{"type": "raw-aes", "namespace": "ns", "name": "k", "key": B64.encode([1u8; 32])}]});
        let s = TextState::default().reduce(Action::Encrypt(options())).reduce(Action::Decrypt(other));
        assert!(s.error.as_ref().is_some_and(|f| !f.code.is_empty()));
        let s = TextState::default().reduce(Action::Decrypt(options()));
        assert_eq!(s.error.map(|f| f.code), Some("InvalidInput".into()));
        let s = TextState::default().reduce(Action::Encrypt(json!({"keyrings": []})));
        assert!(s.error.is_some() && s.stats.is_none() && s.message.is_empty());
    }

    #[test]
    fn base64_is_wrapped_at_76() {
        let text = base64_lines(&[7u8; 120]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.iter().map(|l| l.len()).collect::<Vec<_>>(), [76, 76, 8]);
    }
}
