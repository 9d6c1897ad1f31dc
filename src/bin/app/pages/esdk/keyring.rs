//! The keyring editor of the Encryption SDK page: a list of raw AES and raw RSA keyrings (the first
//! is the generator, the others are children of a multi-keyring), as the JSON the JS API takes.
//!
//! Key material is made in the page (AES keys from `crypto.getRandomValues`, RSA key pairs from
//! WebCrypto's `generateKey`) or pasted. It is not a key store: nothing is saved or sent.

use std::rc::Rc;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Value};
use yew::prelude::*;

use super::{input_value, select_value, textarea_value};

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

pub enum Action {
    AddAes,
    AddRsa,
    Remove(usize),
    SetKind(usize, Kind),
    Edit(usize, Field, String),
    RsaGenerating(usize),
    RsaKeys { index: usize, public_pem: String, private_pem: String, note: String },
    RsaFailed(usize, String),
}

impl Reducible for Keyrings {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
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
        }
        Rc::new(s)
    }
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Generate an RSA key pair with WebCrypto (off the main thread) for entry `index`.
fn generate_rsa(state: UseReducerHandle<Keyrings>, index: usize, bits: usize) {
    state.dispatch(Action::RsaGenerating(index));
    wasm_bindgen_futures::spawn_local(async move {
        let start = now_ms();
        let result = secplay::web::webcrypto::generate_rsa_key_pair(bits).await;
        let action = match result.and_then(|pair| {
            let public = pair.public().to_pem()?;
            let private = pair.private_pem()?;
            Ok((public, private.to_string()))
        }) {
            Ok((public_pem, private_pem)) => Action::RsaKeys {
                index,
                public_pem,
                private_pem,
                note: format!("RSA-{bits} key pair generated with WebCrypto in {:.0} ms", now_ms() - start),
            },
            Err(e) => Action::RsaFailed(index, format!("{}: {e}", e.code())),
        };
        state.dispatch(action);
    });
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub state: UseReducerHandle<Keyrings>,
}

/// The list of keyrings with add, remove and key generation.
#[function_component]
pub fn KeyringEditor(props: &EditorProps) -> Html {
    let state = props.state.clone();
    let count = state.entries.len();
    let rows = state.entries.iter().enumerate().map(|(i, e)| {
        let edit = |field: Field| {
            let state = state.clone();
            Callback::from(move |v: String| state.dispatch(Action::Edit(i, field, v)))
        };
        let on_kind = {
            let state = state.clone();
            Callback::from(move |e: Event| {
                let kind = if select_value(&e) == "raw-rsa" { Kind::RawRsa } else { Kind::RawAes };
                state.dispatch(Action::SetKind(i, kind));
            })
        };
        let on_remove = {
            let state = state.clone();
            Callback::from(move |_: MouseEvent| state.dispatch(Action::Remove(i)))
        };
        let on_ns = edit(Field::Namespace).reform(|e: InputEvent| input_value(&e));
        let on_name = edit(Field::Name).reform(|e: InputEvent| input_value(&e));
        let role = if i == 0 { "generator" } else { "child" };
        let id = |what: &str| format!("kr{i}-{what}");
        let body = match e.kind {
            Kind::RawAes => {
                let on_key = edit(Field::Key).reform(|e: InputEvent| input_value(&e));
                let gen = |bits: usize| {
                    let set = edit(Field::Key);
                    Callback::from(move |_: MouseEvent| {
                        if let Some(k) = random_key(bits) {
                            set.emit(k);
                        }
                    })
                };
                let bytes = B64.decode(e.key.trim()).map(|k| k.len()).ok();
                html! {
                    <div class="kr-body">
                        <label for={id("key")}>{"Wrapping key (base64: 16, 24 or 32 bytes)"}</label>
                        <div class="row">
                            <input id={id("key")} class="mono grow" type="text" spellcheck="false" autocomplete="off"
                                value={e.key.clone()} oninput={on_key} />
                            <button id={id("gen128")} onclick={gen(128)}>{"New AES-128"}</button>
                            <button id={id("gen192")} onclick={gen(192)}>{"New AES-192"}</button>
                            <button id={id("gen256")} onclick={gen(256)}>{"New AES-256"}</button>
                        </div>
                        <p class="hint">{ match bytes {
                            Some(n @ (16 | 24 | 32)) => format!("AES-{} wrapping key; the data key is wrapped with AES-GCM", n * 8),
                            Some(n) => format!("{n} bytes: a raw AES keyring needs 16, 24 or 32"),
                            None => "not valid base64".to_owned(),
                        } }</p>
                    </div>
                }
            }
            Kind::RawRsa => {
                let on_padding = edit(Field::Padding).reform(|e: Event| select_value(&e));
                let on_public = edit(Field::PublicPem).reform(|e: InputEvent| textarea_value(&e));
                let on_private = edit(Field::PrivatePem).reform(|e: InputEvent| textarea_value(&e));
                let on_gen = {
                    let state = state.clone();
                    Callback::from(move |_: MouseEvent| generate_rsa(state.clone(), i, 2048))
                };
                let busy = state.generating == Some(i);
                let note = state.note.as_ref().filter(|(n, _)| *n == i).map(|(_, t)| t.clone());
                html! {
                    <div class="kr-body">
                        <div class="row">
                            <label for={id("padding")}>{"Padding"}</label>
                            <select id={id("padding")} onchange={on_padding}>
                                { for PADDINGS.iter().map(|(v, label, _, _)| html! {
                                    <option value={*v} selected={e.padding == *v}>{ *label }</option>
                                }) }
                            </select>
                            <button id={id("rsagen")} onclick={on_gen} disabled={busy}>
                                { if busy { "Generating…" } else { "Generate RSA-2048 key pair" } }
                            </button>
                        </div>
                        if let Some(n) = note { <p class="hint" id={id("note")}>{ n }</p> }
                        <div class="pems">
                            <div>
                                <label for={id("public")}>{"Public key (SPKI PEM): encrypts"}</label>
                                <textarea id={id("public")} class="mono" rows="4" spellcheck="false"
                                    placeholder="-----BEGIN PUBLIC KEY-----" value={e.public_pem.clone()} oninput={on_public} />
                            </div>
                            <div>
                                <label for={id("private")}>{"Private key (PKCS #8 PEM): decrypts"}</label>
                                <textarea id={id("private")} class="mono" rows="4" spellcheck="false"
                                    placeholder="-----BEGIN PRIVATE KEY-----" value={e.private_pem.clone()} oninput={on_private} />
                            </div>
                        </div>
                    </div>
                }
            }
        };
        html! {
            <div class="keyring" key={i}>
                <div class="row kr-head">
                    <span class={classes!("badge", role)}>{ role }</span>
                    <select id={id("type")} aria-label="Keyring type" onchange={on_kind}>
                        <option value="raw-aes" selected={e.kind == Kind::RawAes}>{"Raw AES keyring"}</option>
                        <option value="raw-rsa" selected={e.kind == Kind::RawRsa}>{"Raw RSA keyring"}</option>
                    </select>
                    <label for={id("ns")}>{"namespace"}</label>
                    <input id={id("ns")} type="text" value={e.namespace.clone()} oninput={on_ns} spellcheck="false" />
                    <label for={id("name")}>{"name"}</label>
                    <input id={id("name")} type="text" value={e.name.clone()} oninput={on_name} spellcheck="false" />
                    <button id={id("remove")} class="link" title="Remove this keyring" onclick={on_remove} disabled={count < 2}>{"Remove"}</button>
                </div>
                { body }
            </div>
        }
    });
    let on_add_aes = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::AddAes))
    };
    let on_add_rsa = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::AddRsa))
    };
    html! {
        <section class="card" id="esdk-keyrings">
            <h2>{"Keyrings"}</h2>
            <p class="muted">{"The first keyring generates the data key; every keyring wraps it, so any one of them \
                can decrypt (a multi-keyring). Namespace and name are the key provider ID and key name the \
                message records."}</p>
            { for rows }
            <div class="row">
                <button id="kr-add-aes" onclick={on_add_aes}>{"+ Raw AES keyring"}</button>
                <button id="kr-add-rsa" onclick={on_add_rsa}>{"+ Raw RSA keyring"}</button>
            </div>
        </section>
    }
}
