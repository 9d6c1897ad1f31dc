//! The keyring editor of the Encryption SDK page: renders `state::keyrings` and dispatches to it.
//!
//! Key material is made in the page (AES keys from `crypto.getRandomValues`, RSA key pairs from
//! WebCrypto's `generateKey`) or pasted. Nothing is sent; while the key store is unlocked the list
//! can be saved there (record `esdk/keyrings`, encrypted) and loaded back.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use yew::prelude::*;

use super::state::keyrings::{from_json, keyrings_json, random_key, Action, Field, Keyrings, Kind, PADDINGS};
use super::{input_value, select_value, textarea_value};
use crate::services::{keystore as ks, webcrypto};

/// The key store record the keyring list is saved under, and its kind.
const SAVED_ID: &str = "esdk/keyrings";
const SAVED_KIND: &str = "esdk-keyrings";

/// Saves the list in the key store; `note` gets what happened.
fn save(state: &UseReducerHandle<Keyrings>, note: UseStateHandle<Option<String>>) {
    let json = zeroize::Zeroizing::new(keyrings_json(&state.entries).to_string());
    let n = state.entries.len();
    ks::call(
        move |mut s| async move {
            let r =
                s.put(SAVED_ID, SAVED_KIND, "Encryption SDK keyrings", json.as_bytes(), ks::now_ms()).await;
            (s, r)
        },
        move |r| {
            note.set(Some(match r {
                Ok(()) => format!("Saved {n} keyring(s) in the key store as `{SAVED_ID}`."),
                Err(e) => format!("{}: {e}", e.code()),
            }))
        },
    );
}

/// Loads the list saved in the key store.
fn load(state: &UseReducerHandle<Keyrings>, note: UseStateHandle<Option<String>>) {
    let state = state.clone();
    ks::call(
        |s| async move {
            let r = s.data(SAVED_ID);
            (s, r)
        },
        move |r| {
            let entries = r.map_err(|e| format!("{}: {e}", e.code())).and_then(|bytes| {
                serde_json::from_slice(&bytes)
                    .ok()
                    .and_then(|v| from_json(&v))
                    .ok_or_else(|| format!("`{SAVED_ID}` is not a keyring list"))
            });
            match entries {
                Ok(entries) => {
                    note.set(Some(format!("Loaded {} keyring(s) from the key store.", entries.len())));
                    state.dispatch(Action::Load(entries));
                }
                Err(e) => note.set(Some(e)),
            }
        },
    );
}

/// Generate an RSA key pair with WebCrypto (off the main thread) for entry `index`.
fn generate_rsa(state: UseReducerHandle<Keyrings>, index: usize, bits: usize) {
    state.dispatch(Action::RsaGenerating(index));
    webcrypto::generate_rsa(bits, move |result, millis| {
        let action = match result.and_then(|pair| {
            let public = pair.public().to_pem()?;
            let private = pair.private_pem()?;
            Ok((public, private.to_string()))
        }) {
            Ok((public_pem, private_pem)) => Action::RsaKeys {
                index,
                public_pem,
                private_pem,
                note: format!("RSA-{bits} key pair generated with WebCrypto in {millis:.0} ms"),
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
    let stored = use_state(|| None::<String>);
    let on_save = {
        let (state, stored) = (state.clone(), stored.clone());
        Callback::from(move |_: MouseEvent| save(&state, stored.clone()))
    };
    let on_load = {
        let (state, stored) = (state.clone(), stored.clone());
        Callback::from(move |_: MouseEvent| load(&state, stored.clone()))
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
                if ks::is_unlocked() {
                    <button id="kr-save" onclick={on_save}>{"Save in the key store"}</button>
                    <button id="kr-load" onclick={on_load}>{"Load from the key store"}</button>
                } else {
                    <span class="hint">{"Unlock the key store (Key store page) to save these keyrings or load saved ones."}</span>
                }
            </div>
            if let Some(n) = &*stored { <p class="hint" id="kr-stored" aria-live="polite">{ n }</p> }
        </section>
    }
}
