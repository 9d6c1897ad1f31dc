//! The keyring editor's state: a list of raw AES and raw RSA keyrings (the first is the generator,
//! the others are children of a multi-keyring), as the JSON the JS API takes, and the actions that
//! change it. Plain Rust for every target, tested natively.
//!
//! AES keys are made here from the engine's randomness; RSA key pairs come from WebCrypto through
//! the page, which dispatches [`Action::RsaKeys`]. Nothing is sent; the page saves the list in the
//! key store (as [`keyrings_json`]) only when asked, and [`from_json`] reads it back.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Value};

/// Which keyring an entry describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    RawAes,
    RawRsa,
}

/// RSA paddings as shown in the editor: `(value, label, padding, paddingHash)`.
pub const PADDINGS: [(&str, &str, &str, Option<&str>); 5] = [
    ("oaep-sha256", "OAEP, SHA-256 + MGF1-SHA-256", "oaep-mgf1", Some("sha256")),
    ("oaep-sha1", "OAEP, SHA-1 + MGF1-SHA-1", "oaep-mgf1", Some("sha1")),
    ("oaep-sha384", "OAEP, SHA-384 + MGF1-SHA-384", "oaep-mgf1", Some("sha384")),
    ("oaep-sha512", "OAEP, SHA-512 + MGF1-SHA-512", "oaep-mgf1", Some("sha512")),
    ("pkcs1", "PKCS #1 v1.5", "pkcs1", None),
];

/// One keyring as the user edits it.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    /// Raw AES: the wrapping key, base64.
    pub key: String,
    /// Raw RSA: one of [`PADDINGS`]' values.
    pub padding: String,
    pub public_pem: String,
    pub private_pem: String,
}

impl Entry {
    /// A raw AES keyring with a fresh key of `bits` (empty key if randomness failed; the engine then
    /// says the key is missing).
    pub fn raw_aes(n: usize, bits: usize) -> Self {
        Self {
            kind: Kind::RawAes,
            namespace: "playground".into(),
            name: format!("aes-key-{n}"),
            key: random_key(bits).unwrap_or_default(),
            padding: "oaep-sha256".into(),
            public_pem: String::new(),
            private_pem: String::new(),
        }
    }

    /// A raw RSA keyring without keys yet.
    pub fn raw_rsa(n: usize) -> Self {
        Self { kind: Kind::RawRsa, name: format!("rsa-key-{n}"), key: String::new(), ..Self::raw_aes(n, 256) }
    }

    /// The keyring in the JS API's shape (`{ type: "raw-aes", namespace, name, key }` …).
    pub fn to_json(&self) -> Value {
        match self.kind {
            Kind::RawAes => json!({
                "type": "raw-aes", "namespace": self.namespace, "name": self.name, "key": self.key.trim(),
            }),
            Kind::RawRsa => {
                let (padding, hash) = PADDINGS
                    .iter()
                    .find(|p| p.0 == self.padding)
                    .map_or(("oaep-mgf1", Some("sha256")), |p| (p.2, p.3));
                let mut v = json!({ "type": "raw-rsa", "namespace": self.namespace, "name": self.name, "padding": padding });
                if let Some(obj) = v.as_object_mut() {
                    if let Some(h) = hash {
                        obj.insert("paddingHash".into(), h.into());
                    }
                    if !self.public_pem.trim().is_empty() {
                        obj.insert("publicKeyPem".into(), self.public_pem.trim().into());
                    }
                    if !self.private_pem.trim().is_empty() {
                        obj.insert("privateKeyPem".into(), self.private_pem.trim().into());
                    }
                }
                v
            }
        }
    }
}

/// A fresh AES key of `bits`, base64.
pub fn random_key(bits: usize) -> Option<String> {
    let mut key = zeroize::Zeroizing::new(vec![0u8; bits / 8]);
    secplay::crypto::envelope::fill_random(&mut key).ok()?;
    Some(B64.encode(&*key))
}

/// The keyring list, as the `keyrings` option.
pub fn keyrings_json(entries: &[Entry]) -> Value {
    Value::Array(entries.iter().map(Entry::to_json).collect())
}

/// The entries of a keyring list in [`keyrings_json`]'s shape (as saved in the key store); `None`
/// if it is not one, or is empty.
pub fn from_json(v: &Value) -> Option<Vec<Entry>> {
    let text = |e: &Value, k: &str| e.get(k).and_then(Value::as_str).map(str::to_owned);
    let entries = v
        .as_array()?
        .iter()
        .map(|e| {
            let kind = match e.get("type")?.as_str()? {
                "raw-aes" => Kind::RawAes,
                "raw-rsa" => Kind::RawRsa,
                _ => return None,
            };
            let padding = PADDINGS
                .iter()
                .find(|p| {
                    Some(p.2) == e.get("padding").and_then(Value::as_str)
                        && p.3 == e.get("paddingHash").and_then(Value::as_str)
                })
                .map_or("oaep-sha256", |p| p.0);
            Some(Entry {
                kind,
                namespace: text(e, "namespace")?,
                name: text(e, "name")?,
                key: text(e, "key").unwrap_or_default(),
                padding: padding.into(),
                public_pem: text(e, "publicKeyPem").unwrap_or_default(),
                private_pem: text(e, "privateKeyPem").unwrap_or_default(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    (!entries.is_empty()).then_some(entries)
}

/// A field of an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Namespace,
    Name,
    Key,
    Padding,
    PublicPem,
    PrivatePem,
}

/// The editor's state: keyrings, and which one is waiting for WebCrypto.
#[derive(Clone, Debug, PartialEq)]
pub struct Keyrings {
    pub entries: Vec<Entry>,
    pub generating: Option<usize>,
    pub note: Option<(usize, String)>,
    added: usize,
}

impl Default for Keyrings {
    fn default() -> Self {
        Self { entries: vec![Entry::raw_aes(1, 256)], generating: None, note: None, added: 1 }
    }
}

#[derive(Debug)]
pub enum Action {
    AddAes,
    AddRsa,
    Remove(usize),
    SetKind(usize, Kind),
    Edit(usize, Field, String),
    RsaGenerating(usize),
    RsaKeys {
        index: usize,
        public_pem: String,
        private_pem: String,
        note: String,
    },
    RsaFailed(usize, String),
    /// A saved list replaces the editor's (from the key store).
    Load(Vec<Entry>),
}

impl Keyrings {
    pub fn reduce(mut self, action: Action) -> Self {
        let s = &mut self;
        match action {
            Action::AddAes => {
                s.added += 1;
                s.entries.push(Entry::raw_aes(s.added, 256));
            }
            Action::AddRsa => {
                s.added += 1;
                s.entries.push(Entry::raw_rsa(s.added));
            }
            Action::Remove(i) => {
                if i < s.entries.len() && s.entries.len() > 1 {
                    s.entries.remove(i);
                    s.note = None;
                    s.generating = None;
                }
            }
            Action::SetKind(i, kind) => {
                if let Some(e) = s.entries.get_mut(i) {
                    let n = i + 1;
                    *e = match kind {
                        Kind::RawAes => Entry { namespace: e.namespace.clone(), ..Entry::raw_aes(n, 256) },
                        Kind::RawRsa => Entry { namespace: e.namespace.clone(), ..Entry::raw_rsa(n) },
                    };
                }
            }
            Action::Edit(i, field, value) => {
                if let Some(e) = s.entries.get_mut(i) {
                    match field {
                        Field::Namespace => e.namespace = value,
                        Field::Name => e.name = value,
                        Field::Key => e.key = value,
                        Field::Padding => e.padding = value,
                        Field::PublicPem => e.public_pem = value,
                        Field::PrivatePem => e.private_pem = value,
                    }
                }
            }
            Action::RsaGenerating(i) => {
                s.generating = Some(i);
                s.note = None;
            }
            Action::RsaKeys { index, public_pem, private_pem, note } => {
                s.generating = None;
                if let Some(e) = s.entries.get_mut(index) {
                    e.public_pem = public_pem;
                    e.private_pem = private_pem;
                    s.note = Some((index, note));
                }
            }
            Action::RsaFailed(index, why) => {
                s.generating = None;
                s.note = Some((index, why));
            }
            Action::Load(entries) => {
                if !entries.is_empty() {
                    s.added = s.added.max(entries.len());
                    s.entries = entries;
                    s.generating = None;
                    s.note = None;
                }
            }
        }
        self
    }
}

reducible!(Keyrings, Action);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_list_reads_back_as_the_same_entries() {
        let mut rsa = Entry::raw_rsa(2);
        rsa.padding = "pkcs1".into();
        rsa.public_pem = "-----BEGIN PUBLIC KEY-----".into();
        let mut sha1 = Entry::raw_rsa(3);
        sha1.padding = "oaep-sha1".into();
        let entries = vec![Entry::raw_aes(1, 256), rsa, sha1];
        assert_eq!(from_json(&keyrings_json(&entries)), Some(entries.clone()));
        let k = Keyrings::default().reduce(Action::Load(entries.clone()));
        assert_eq!(k.entries, entries);
        assert_eq!(
            k.clone().reduce(Action::AddAes).entries.last().map(|e| e.name.as_str()),
            Some("aes-key-4")
        );
        assert_eq!(from_json(&json!([])), None, "an empty list is not loaded");
        assert_eq!(from_json(&json!([{ "type": "aws-kms" }])), None);
        assert_eq!(from_json(&json!({ "type": "raw-aes" })), None);
        assert_eq!(k.reduce(Action::Load(vec![])).entries, entries, "nothing to load keeps the list");
    }

    #[test]
    fn the_editor_opens_with_one_fresh_aes_256_keyring() {
        let k = Keyrings::default();
        assert_eq!(k.entries.len(), 1);
        let key = B64.decode(&k.entries[0].key).unwrap();
        assert_eq!(key.len(), 32);
        assert_ne!(key, [0u8; 32]);
        assert_ne!(Keyrings::default().entries[0].key, k.entries[0].key, "each key is fresh");
    }

    #[test]
    fn keyrings_are_added_named_apart_and_the_last_one_stays() {
        let k = Keyrings::default().reduce(Action::AddAes).reduce(Action::AddRsa);
        let names: Vec<&str> = k.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["aes-key-1", "aes-key-2", "rsa-key-3"]);
        let k = k.reduce(Action::Remove(0)).reduce(Action::Remove(0)).reduce(Action::Remove(0));
        assert_eq!(k.entries.len(), 1, "the generator cannot be removed");
        assert_eq!(k.entries[0].kind, Kind::RawRsa);
        assert_eq!(k.clone().reduce(Action::Remove(5)), k);
    }

    #[test]
    fn edits_reach_their_field_and_a_kind_change_keeps_the_namespace() {
        let k = Keyrings::default()
            .reduce(Action::Edit(0, Field::Namespace, "team".into()))
            .reduce(Action::Edit(0, Field::Name, "k".into()))
            .reduce(Action::Edit(3, Field::Name, "lost".into()))
            .reduce(Action::SetKind(0, Kind::RawRsa));
        let e = &k.entries[0];
        assert_eq!(
            (e.kind, e.namespace.as_str(), e.name.as_str(), e.key.as_str()),
            (Kind::RawRsa, "team", "rsa-key-1", "")
        );
    }

    #[test]
    fn rsa_keys_arrive_for_their_entry_or_a_failure_is_noted() {
        let k = Keyrings::default().reduce(Action::AddRsa).reduce(Action::RsaGenerating(1));
        assert_eq!(k.generating, Some(1));
        let done = k.clone().reduce(Action::RsaKeys {
            index: 1,
            public_pem: "PUB".into(),
            private_pem: "PRIV".into(),
            note: "made".into(),
        });
        assert_eq!(done.generating, None);
        assert_eq!(
            (done.entries[1].public_pem.as_str(), done.entries[1].private_pem.as_str()),
            ("PUB", "PRIV")
        );
        assert_eq!(done.note, Some((1, "made".into())));
        let failed = k.reduce(Action::RsaFailed(1, "no WebCrypto".into()));
        assert_eq!((failed.generating, failed.note), (None, Some((1, "no WebCrypto".into()))));
    }

    #[test]
    fn the_json_is_the_js_api_shape() {
        let aes = Entry { key: " AAAA ".into(), ..Entry::raw_aes(1, 128) };
        assert_eq!(
            aes.to_json(),
            json!({"type": "raw-aes", "namespace": "playground", "name": "aes-key-1", "key": "AAAA"})
        );
        let mut rsa = Entry::raw_rsa(2);
        rsa.padding = "pkcs1".into();
        rsa.public_pem = " PUB\n".into();
        assert_eq!(
            rsa.to_json(),
            json!({"type": "raw-rsa", "namespace": "playground", "name": "rsa-key-2", "padding": "pkcs1", "publicKeyPem": "PUB"})
        );
        rsa.padding = "made-up".into();
        assert_eq!(
            rsa.to_json()["paddingHash"],
            json!("sha256"),
            "an unknown padding falls back to OAEP-SHA-256"
        );
        assert_eq!(keyrings_json(&[aes.clone(), aes]).as_array().map(Vec::len), Some(2));
    }
}
