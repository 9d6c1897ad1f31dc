//! Message settings of the Encryption SDK page: algorithm suite, frame length, commitment policy and
//! encryption context, the actions that change them, and the JS API's options they stand for
//! (`esdkEncrypt` / `esdkDecrypt` shapes). Plain Rust for every target, tested natively.

use secplay::crypto::esdk::{AlgorithmSuite, CommitmentPolicy};
use serde_json::{json, Map, Value};

/// The most encryption-context pairs the editor holds.
pub const MAX_PAIRS: usize = 64;

pub const POLICIES: [CommitmentPolicy; 3] = [
    CommitmentPolicy::RequireEncryptRequireDecrypt,
    CommitmentPolicy::RequireEncryptAllowDecrypt,
    CommitmentPolicy::ForbidEncryptAllowDecrypt,
];

/// What the user chose.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub suite: u16,
    /// As typed; checked by the engine.
    pub frame_length: String,
    pub policy: CommitmentPolicy,
    pub context: Vec<(String, String)>,
    /// Pass the context again at decrypt (the ESDK's reproduced encryption context).
    pub check_context: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            suite: AlgorithmSuite::DEFAULT.id(),
            frame_length: "4096".into(),
            policy: CommitmentPolicy::default(),
            context: vec![
                ("purpose".into(), "playground demo".into()),
                ("department".into(), "finance".into()),
            ],
            check_context: true,
        }
    }
}

impl Settings {
    fn context_json(&self) -> Value {
        let map: Map<String, Value> = self
            .context
            .iter()
            .filter(|(k, v)| !(k.is_empty() && v.is_empty()))
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        Value::Object(map)
    }

    /// Options for `esdkEncrypt` / `EsdkEncryptor`. A frame length that is not a number is passed on
    /// as text so the engine names the field in its error.
    pub fn encrypt_options(&self, keyrings: Value) -> Value {
        let frame = self
            .frame_length
            .trim()
            .parse::<u64>()
            .map_or_else(|_| Value::from(self.frame_length.clone()), Value::from);
        json!({
            "keyrings": keyrings,
            "suiteId": self.suite,
            "frameLength": frame,
            "commitmentPolicy": self.policy.name(),
            "encryptionContext": self.context_json(),
        })
    }

    /// Options for `esdkDecrypt` / `EsdkDecryptor`.
    pub fn decrypt_options(&self, keyrings: Value) -> Value {
        let mut v = json!({ "keyrings": keyrings, "commitmentPolicy": self.policy.name() });
        if let (true, Some(obj)) = (self.check_context, v.as_object_mut()) {
            obj.insert("encryptionContext".into(), self.context_json());
        }
        v
    }
}

/// What the settings editor can do.
#[derive(Debug)]
pub enum Action {
    /// A suite id as the select gives it (decimal); anything else keeps the suite.
    Suite(String),
    FrameLength(String),
    /// A commitment policy's name; an unknown one keeps the policy.
    Policy(String),
    CheckContext(bool),
    AddPair,
    SetKey(usize, String),
    SetValue(usize, String),
    RemovePair(usize),
}

impl Settings {
    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::Suite(v) => {
                if let Some(s) =
                    v.parse::<u16>().ok().and_then(|id| AlgorithmSuite::ALL.iter().find(|s| s.id() == id))
                {
                    self.suite = s.id();
                }
            }
            Action::FrameLength(v) => self.frame_length = v,
            Action::Policy(v) => {
                if let Ok(p) = CommitmentPolicy::from_name(&v) {
                    self.policy = p;
                }
            }
            Action::CheckContext(on) => self.check_context = on,
            Action::AddPair => {
                if self.context.len() < MAX_PAIRS {
                    self.context.push((String::new(), String::new()));
                }
            }
            Action::SetKey(i, v) => {
                if let Some(row) = self.context.get_mut(i) {
                    row.0 = v;
                }
            }
            Action::SetValue(i, v) => {
                if let Some(row) = self.context.get_mut(i) {
                    row.1 = v;
                }
            }
            Action::RemovePair(i) => {
                if i < self.context.len() {
                    self.context.remove(i);
                }
            }
        }
        self
    }
}

reducible!(Settings, Action);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_make_the_js_api_options() {
        let s = Settings::default();
        let enc = s.encrypt_options(json!([]));
        assert_eq!(enc["suiteId"], json!(AlgorithmSuite::DEFAULT.id()));
        assert_eq!(enc["frameLength"], json!(4096));
        assert_eq!(enc["encryptionContext"], json!({"purpose": "playground demo", "department": "finance"}));
        let dec = s.decrypt_options(json!([]));
        assert_eq!(dec["encryptionContext"], enc["encryptionContext"]);
        assert_eq!(dec["commitmentPolicy"], enc["commitmentPolicy"]);
    }

    #[test]
    fn suites_and_policies_change_only_to_known_values() {
        let first = AlgorithmSuite::ALL[0].id();
        let s = Settings::default().reduce(Action::Suite(first.to_string()));
        assert_eq!(s.suite, first);
        for bad in ["", "abc", "65535", "-1"] {
            assert_eq!(s.clone().reduce(Action::Suite(bad.into())).suite, first, "{bad:?}");
        }
        let name = POLICIES[2].name();
        let s = s.reduce(Action::Policy(name.into()));
        assert_eq!(s.policy, POLICIES[2]);
        assert_eq!(s.clone().reduce(Action::Policy("Whatever".into())).policy, POLICIES[2]);
    }

    #[test]
    fn a_frame_length_that_is_not_a_number_goes_on_as_text() {
        let s = Settings::default().reduce(Action::FrameLength(" 12a".into()));
        assert_eq!(s.encrypt_options(json!([]))["frameLength"], json!(" 12a"));
        let s = s.reduce(Action::FrameLength("65536".into()));
        assert_eq!(s.encrypt_options(json!([]))["frameLength"], json!(65536));
    }

    #[test]
    fn context_pairs_are_edited_bounded_and_empty_ones_left_out() {
        let s = Settings::default()
            .reduce(Action::RemovePair(0))
            .reduce(Action::AddPair)
            .reduce(Action::SetKey(1, "tenant".into()))
            .reduce(Action::SetValue(1, "acme".into()))
            .reduce(Action::AddPair)
            .reduce(Action::SetKey(9, "lost".into()))
            .reduce(Action::RemovePair(9));
        assert_eq!(s.context.len(), 3);
        assert_eq!(
            s.encrypt_options(json!([]))["encryptionContext"],
            json!({"department": "finance", "tenant": "acme"})
        );
        let mut full = s.clone();
        for _ in 0..MAX_PAIRS + 3 {
            full = full.reduce(Action::AddPair);
        }
        assert_eq!(full.context.len(), MAX_PAIRS);
    }

    #[test]
    fn decrypting_without_the_context_check_sends_none() {
        let s = Settings::default().reduce(Action::CheckContext(false));
        assert!(s.decrypt_options(json!([])).get("encryptionContext").is_none());
    }
}
