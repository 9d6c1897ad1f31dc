//! The envelope page's state: the message, the key pair, the envelope text, what opening it gave
//! (or why not), and whether a key pair is being generated; the actions that change it.
//!
//! Plain data for every target, tested natively. Sealing and opening are the engine's
//! (`secplay::crypto::envelope`); key generation is WebCrypto's, started by the component through
//! `services::webcrypto`, whose answer comes back as [`Action::KeyReady`]. In the browser this is
//! yew's `Reducible`.

use std::rc::Rc;

use secplay::crypto::envelope::{self as engine, Envelope, KeyPair};

/// The message the page opens with.
pub const DEFAULT_MESSAGE: &str = "Meet me at the usual place at seven.";
/// The RSA modulus the page generates.
pub const KEY_BITS: usize = 2048;

/// The page's key pair, its public half as PEM, and how long WebCrypto took to make it.
#[derive(Clone, Debug)]
pub struct Keys {
    pub pair: Rc<KeyPair>,
    pub public_pem: String,
    pub millis: f64,
    /// Loaded from the key store rather than generated.
    pub loaded: bool,
}

/// What the page shows.
#[derive(Clone, Debug)]
pub struct EnvelopeState {
    pub message: String,
    pub keys: Option<Keys>,
    /// The envelope as editable JSON (empty until something is sealed).
    pub envelope_json: String,
    /// The plaintext of the last envelope opened.
    pub decrypted: Option<String>,
    /// The last failure: a stable code and a message.
    pub error: Option<(String, String)>,
    /// A key pair is being generated.
    pub generating: bool,
    /// The message an encryption asked for before there was a key pair: sealed when it arrives.
    pending: Option<String>,
}

impl Default for EnvelopeState {
    fn default() -> Self {
        Self {
            message: DEFAULT_MESSAGE.to_owned(),
            keys: None,
            envelope_json: String::new(),
            decrypted: None,
            error: None,
            generating: false,
            pending: None,
        }
    }
}

/// What can happen on the page.
#[derive(Debug)]
pub enum Action {
    /// The plaintext was edited.
    Message(String),
    /// The envelope text was edited.
    EnvelopeText(String),
    /// "New key pair": envelopes sealed for the old pair can no longer be opened, so they go;
    /// the component starts a generation.
    NewKeys,
    /// "Encrypt": seal the message now, or, with no key pair yet, once one is generated (the
    /// component starts the generation when [`EnvelopeState::needs_keys`]).
    Encrypt,
    /// "Decrypt": open the envelope text with the page's key pair.
    Decrypt,
    /// A generation finished: the key pair and the milliseconds it took, or an error code and
    /// message.
    KeyReady(Result<(Box<KeyPair>, f64), (String, String)>),
    /// A key pair saved in the key store was loaded (envelopes sealed for the old pair go), or an
    /// error code and message.
    KeyLoaded(Result<Box<KeyPair>, (String, String)>),
}

impl EnvelopeState {
    /// The state after `action`.
    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::Message(text) => self.message = text,
            Action::EnvelopeText(text) => self.envelope_json = text,
            Action::NewKeys => {
                self.envelope_json.clear();
                self.decrypted = None;
                self.generating = true;
            }
            Action::Encrypt => {
                self.error = None;
                self.decrypted = None;
                match &self.keys {
                    Some(keys) => {
                        let pair = Rc::clone(&keys.pair);
                        let message = self.message.clone();
                        self.seal(&message, &pair);
                    }
                    None => {
                        self.generating = true;
                        self.pending = Some(self.message.clone());
                    }
                }
            }
            Action::Decrypt => {
                self.error = None;
                self.decrypted = None;
                self.open();
            }
            Action::KeyReady(result) => {
                self.generating = false;
                let pending = self.pending.take();
                let keys = result.and_then(|(pair, millis)| {
                    let public_pem =
                        pair.public().to_pem().map_err(|e| (e.code().to_owned(), e.to_string()))?;
                    Ok(Keys { pair: Rc::from(pair), public_pem, millis, loaded: false })
                });
                match keys {
                    Ok(keys) => {
                        let pair = Rc::clone(&keys.pair);
                        self.keys = Some(keys);
                        if let Some(message) = pending {
                            self.seal(&message, &pair);
                        }
                    }
                    Err(e) => self.error = Some(e),
                }
            }
            Action::KeyLoaded(result) => {
                self.error = None;
                let keys = result.and_then(|pair| {
                    let public_pem =
                        pair.public().to_pem().map_err(|e| (e.code().to_owned(), e.to_string()))?;
                    Ok(Keys { pair: Rc::from(pair), public_pem, millis: 0.0, loaded: true })
                });
                match keys {
                    Ok(keys) => {
                        self.envelope_json.clear();
                        self.decrypted = None;
                        self.keys = Some(keys);
                    }
                    Err(e) => self.error = Some(e),
                }
            }
        }
        self
    }

    /// Whether an encryption now has to generate a key pair first (the component starts one).
    pub fn needs_keys(&self) -> bool {
        self.keys.is_none()
    }

    /// The envelope text, if it parses as an envelope (for the field table).
    pub fn parsed(&self) -> Option<Envelope> {
        serde_json::from_str(&self.envelope_json).ok()
    }

    fn seal(&mut self, message: &str, pair: &KeyPair) {
        match engine::seal(message.as_bytes(), &pair.public()) {
            Ok(env) => match serde_json::to_string_pretty(&env) {
                Ok(text) => self.envelope_json = text,
                Err(e) => self.error = Some(("Internal".into(), e.to_string())),
            },
            Err(e) => self.error = Some((e.code().into(), e.to_string())),
        }
    }

    fn open(&mut self) {
        let Some(keys) = &self.keys else {
            self.error = Some(("NoKey".into(), "generate a key pair and encrypt a message first".into()));
            return;
        };
        let env: Envelope = match serde_json::from_str(&self.envelope_json) {
            Ok(env) => env,
            Err(e) => {
                self.error =
                    Some(("MalformedEnvelope".into(), format!("the envelope is not valid JSON: {e}")));
                return;
            }
        };
        match engine::open(&env, &keys.pair) {
            Ok(bytes) => self.decrypted = Some(String::from_utf8_lossy(&bytes).into_owned()),
            Err(e) => self.error = Some((e.code().into(), e.to_string())),
        }
    }
}

/// The number of bytes a padded base64 text decodes to (for the field table; not a validator).
pub fn b64_len(s: &str) -> usize {
    let pad = s.bytes().rev().take_while(|b| *b == b'=').count();
    (s.len() / 4 * 3).saturating_sub(pad)
}

reducible!(EnvelopeState, Action);

#[cfg(test)]
mod tests {
    use std::sync::OnceLock;

    use base64::engine::general_purpose::STANDARD as B64;
    use base64::Engine as _;

    use super::*;

    /// One RSA-2048 private key for the tests (generation is the slow part), as PKCS#8 PEM.
    fn pem() -> &'static str {
        static PEM: OnceLock<String> = OnceLock::new();
        PEM.get_or_init(|| KeyPair::generate(KEY_BITS).unwrap().private_pem().unwrap().to_string())
    }

    fn pair() -> Box<KeyPair> {
        Box::new(KeyPair::from_pkcs8(pem().as_bytes()).unwrap())
    }

    /// The page after "Encrypt" with no key pair and the generation's answer.
    fn sealed(message: &str) -> EnvelopeState {
        let s = EnvelopeState::default().reduce(Action::Message(message.into())).reduce(Action::Encrypt);
        s.reduce(Action::KeyReady(Ok((pair(), 12.0))))
    }

    #[test]
    fn a_key_pair_loaded_from_the_store_replaces_the_old_one_and_opens_its_envelopes() {
        let s = sealed("kept");
        let envelope = s.envelope_json.clone();
        let s = s.reduce(Action::KeyLoaded(Ok(pair())));
        assert!(s.keys.as_ref().unwrap().loaded);
        assert!(s.envelope_json.is_empty(), "envelopes of the old pair go");
        let s = s.reduce(Action::EnvelopeText(envelope)).reduce(Action::Decrypt);
        assert_eq!(s.decrypted.as_deref(), Some("kept"), "the same key pair from the same PEM");
        let s = s.reduce(Action::KeyLoaded(Err(("NotFound".into(), "none".into()))));
        assert!(s.keys.is_some(), "a failed load keeps the key pair");
        assert_eq!(s.error.as_ref().unwrap().0, "NotFound");
    }

    #[test]
    fn the_page_opens_with_the_default_message_and_no_key_pair() {
        let s = EnvelopeState::default();
        assert_eq!(s.message, DEFAULT_MESSAGE);
        assert!(s.needs_keys());
        assert!(!s.generating);
        assert!(s.envelope_json.is_empty() && s.decrypted.is_none() && s.error.is_none());
        assert!(s.parsed().is_none());
    }

    #[test]
    fn encrypting_without_a_key_pair_waits_for_one_then_seals_the_message_of_the_click() {
        let s = EnvelopeState::default().reduce(Action::Message("first".into())).reduce(Action::Encrypt);
        assert!(s.generating, "the page shows the generation");
        assert!(s.envelope_json.is_empty(), "nothing sealed before the key pair arrives");
        // Typing while the key is made does not change what was asked to be sealed.
        let s = s.reduce(Action::Message("second".into()));
        let s = s.reduce(Action::KeyReady(Ok((pair(), 12.0))));
        assert!(!s.generating);
        let keys = s.keys.as_ref().expect("the key pair is kept");
        assert_eq!(keys.pair.bits(), KEY_BITS);
        assert!(keys.public_pem.starts_with("-----BEGIN PUBLIC KEY-----"), "{}", keys.public_pem);
        assert_eq!(keys.millis, 12.0);
        let env = s.parsed().expect("the envelope text is an envelope");
        assert_eq!(env.algorithm, engine::ALGORITHM);
        assert_eq!(B64.decode(&env.ciphertext).unwrap().len(), "first".len());
        let s = s.reduce(Action::Decrypt);
        assert_eq!(s.error, None);
        assert_eq!(s.decrypted.as_deref(), Some("first"));
    }

    #[test]
    fn seal_and_open_round_trip_through_the_engine() {
        let message = "Meet me at the usual place at seven. ✉";
        let s = sealed(message).reduce(Action::Decrypt);
        assert_eq!(s.error, None);
        assert_eq!(s.decrypted.as_deref(), Some(message));
        // A second encryption reuses the key pair: no generation, a fresh envelope.
        let before = s.envelope_json.clone();
        let s = s.reduce(Action::Encrypt);
        assert!(!s.generating && !s.needs_keys());
        assert!(s.decrypted.is_none(), "encrypting clears the last plaintext");
        assert_ne!(s.envelope_json, before, "a fresh data key and IV per envelope");
        assert_eq!(s.reduce(Action::Decrypt).decrypted.as_deref(), Some(message));
    }

    #[test]
    fn a_tampered_envelope_shows_the_decryption_error_and_no_plaintext() {
        let s = sealed("attack at dawn");
        let sealed_env = s.parsed().unwrap();
        let mut env = sealed_env.clone();
        let mut ct = B64.decode(&env.ciphertext).unwrap();
        ct[0] ^= 1;
        env.ciphertext = B64.encode(&ct);
        let s = s.reduce(Action::EnvelopeText(serde_json::to_string_pretty(&env).unwrap()));
        let s = s.reduce(Action::Decrypt);
        assert!(s.decrypted.is_none());
        let (code, message) = s.error.clone().expect("tampering is reported");
        assert_eq!(code, "DecryptionFailed");
        assert_eq!(message, engine::EnvelopeError::DecryptionFailed.to_string());
        // The untouched envelope opens again, and the error goes.
        let original = serde_json::to_string_pretty(&sealed_env).unwrap();
        let s = s.reduce(Action::EnvelopeText(original)).reduce(Action::Decrypt);
        assert_eq!(s.error, None);
        assert_eq!(s.decrypted.as_deref(), Some("attack at dawn"));
    }

    #[test]
    fn an_envelope_that_is_not_json_or_has_another_algorithm_is_named() {
        let s = sealed("x").reduce(Action::EnvelopeText("{ not json".into())).reduce(Action::Decrypt);
        assert_eq!(s.error.as_ref().map(|e| e.0.as_str()), Some("MalformedEnvelope"));
        assert!(s.parsed().is_none(), "no field table for text that is not an envelope");
        let mut env = sealed("x").parsed().unwrap();
        env.algorithm = "RSA1_5+A128CBC".into();
        let s = sealed("x").reduce(Action::EnvelopeText(serde_json::to_string(&env).unwrap()));
        let s = s.reduce(Action::Decrypt);
        assert_eq!(s.error.as_ref().map(|e| e.0.as_str()), Some("MalformedEnvelope"));
        assert!(s.error.unwrap().1.contains("`RSA1_5+A128CBC`"));
    }

    #[test]
    fn decrypting_before_any_key_pair_says_what_to_do() {
        let s = EnvelopeState::default().reduce(Action::Decrypt);
        let (code, message) = s.error.expect("an error");
        assert_eq!(code, "NoKey");
        assert_eq!(message, "generate a key pair and encrypt a message first");
    }

    #[test]
    fn a_new_key_pair_clears_the_envelopes_of_the_old_one() {
        let s = sealed("old").reduce(Action::Decrypt);
        assert!(s.decrypted.is_some());
        let s = s.reduce(Action::NewKeys);
        assert!(s.generating);
        assert!(s.envelope_json.is_empty() && s.decrypted.is_none());
        assert!(s.keys.is_some(), "the old pair shows until the new one arrives");
        let s = s.reduce(Action::KeyReady(Ok((pair(), 30.0))));
        assert!(!s.generating);
        assert!(s.envelope_json.is_empty(), "a new key pair alone seals nothing");
        assert_eq!(s.keys.map(|k| k.millis), Some(30.0));
    }

    #[test]
    fn a_failed_generation_shows_its_code_and_cancels_the_waiting_encryption() {
        let s = EnvelopeState::default().reduce(Action::Encrypt);
        assert!(s.generating);
        let failure = ("WebCryptoUnavailable".to_owned(), "WebCrypto is not available here".to_owned());
        let s = s.reduce(Action::KeyReady(Err(failure.clone())));
        assert!(!s.generating);
        assert_eq!(s.error, Some(failure));
        assert!(s.needs_keys() && s.envelope_json.is_empty());
        // A later generation does not seal the cancelled message.
        let s = s.reduce(Action::NewKeys).reduce(Action::KeyReady(Ok((pair(), 1.0))));
        assert!(s.envelope_json.is_empty());
    }

    #[test]
    fn b64_len_counts_decoded_bytes() {
        assert_eq!(b64_len(""), 0);
        assert_eq!(b64_len("AAAA"), 3);
        assert_eq!(b64_len("AAA="), 2);
        assert_eq!(b64_len("AA=="), 1);
        assert_eq!(b64_len(&B64.encode([0u8; 256])), 256);
        assert_eq!(b64_len(&B64.encode([0u8; 12])), 12);
    }
}
