//! The envelope-encryption page: type a message, encrypt it under a fresh AES-256-GCM data key,
//! wrap the key with an RSA-OAEP-SHA256 key pair generated in the page (WebCrypto, off the main
//! thread), look at the envelope, edit it if you like, and open it again.
//!
//! The component renders and dispatches; the state is `state.rs`, sealing and opening are the
//! engine's (`secplay::crypto::envelope`), key generation is `services::webcrypto`. While the key
//! store is unlocked, the key pair can be saved there (record `envelope/rsa`, its PKCS#8 PEM,
//! encrypted) and loaded back (`services::keystore`).

use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::state::{b64_len, Action, EnvelopeState, KEY_BITS};
use crate::services::{keystore as ks, webcrypto};

/// The key store record the page's key pair is saved under, and its kind.
const SAVED_ID: &str = "envelope/rsa";
const SAVED_KIND: &str = "rsa-private-key";

/// Saves the key pair's private key (PKCS#8 PEM) in the key store; `note` gets what happened.
fn save(state: &EnvelopeState, note: UseStateHandle<Option<String>>) {
    let Some(pem) = state.keys.as_ref().and_then(|k| k.pair.private_pem().ok()) else { return };
    ks::call(
        move |mut s| async move {
            let r =
                s.put(SAVED_ID, SAVED_KIND, "Envelope page RSA key pair", pem.as_bytes(), ks::now_ms()).await;
            (s, r)
        },
        move |r| {
            note.set(Some(match r {
                Ok(()) => format!("Key pair saved in the key store as `{SAVED_ID}`."),
                Err(e) => format!("{}: {e}", e.code()),
            }))
        },
    );
}

/// Loads the key pair saved in the key store.
fn load(state: UseReducerHandle<EnvelopeState>, note: UseStateHandle<Option<String>>) {
    ks::call(
        |s| async move {
            let r = s.data(SAVED_ID);
            (s, r)
        },
        move |r| {
            let pair = r.map_err(|e| (e.code().to_owned(), e.to_string())).and_then(|pem| {
                secplay::crypto::envelope::KeyPair::from_pkcs8(&pem)
                    .map(Box::new)
                    .map_err(|e| (e.code().to_owned(), e.to_string()))
            });
            note.set(pair.is_ok().then(|| "Key pair loaded from the key store.".to_owned()));
            state.dispatch(Action::KeyLoaded(pair));
        },
    );
}

fn text_of(e: &InputEvent) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()).map(|t| t.value()).unwrap_or_default()
}

/// Starts a WebCrypto generation whose answer comes back as [`Action::KeyReady`].
fn generate(state: UseReducerHandle<EnvelopeState>) {
    webcrypto::generate_rsa(KEY_BITS, move |result, millis| {
        let result =
            result.map(|pair| (Box::new(pair), millis)).map_err(|e| (e.code().to_owned(), e.to_string()));
        state.dispatch(Action::KeyReady(result));
    });
}

#[function_component]
pub fn EnvelopePage() -> Html {
    let opening = use_memo((), |_| {
        super::super::share_bar::Opening::new(
            super::share::open,
            EnvelopeState::default,
            EnvelopeState::reduce,
        )
    });
    let state = use_reducer(|| opening.take());
    let share_link = {
        let state = state.clone();
        Callback::from(move |()| Ok(super::share::encode(&state)))
    };

    let on_keygen = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::NewKeys);
            generate(state.clone());
        })
    };
    let on_encrypt = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            // Generate a key pair first if there is none; the reducer seals when it arrives.
            let needs_keys = state.needs_keys();
            state.dispatch(Action::Encrypt);
            if needs_keys {
                generate(state.clone());
            }
        })
    };
    let on_decrypt = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Decrypt))
    };
    let on_message = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Message(text_of(&e))))
    };
    let on_envelope = {
        let state = state.clone();
        Callback::from(move |v: String| state.dispatch(Action::EnvelopeText(v)))
    };

    let stored = use_state(|| None::<String>);
    let on_save = {
        let (state, stored) = (state.clone(), stored.clone());
        Callback::from(move |_: MouseEvent| save(&state, stored.clone()))
    };
    let on_load = {
        let (state, stored) = (state.clone(), stored.clone());
        Callback::from(move |_: MouseEvent| load(state.clone(), stored.clone()))
    };

    let parsed = state.parsed();
    let generating = state.generating;

    html! {
        <article class="envelope">
            <h1>{"Envelope encryption"}</h1>
            <super::super::share_bar::ShareBar link={share_link} error={opening.error.clone()}
                holds={"A link holds the envelope (wrapped key and ciphertext); not the message or the key pair, so it opens only where the private key is."} />
            <p class="lede">{"A fresh 256-bit data key encrypts your message with AES-256-GCM; an RSA key pair \
                made in this page wraps the data key with RSA-OAEP (SHA-256). Only the private key can \
                unwrap it. This is the client-side encryption model of the notes: whoever stores the \
                envelope cannot read it."}</p>

            <section class="card">
                <h2>{"1. Key pair"}</h2>
                { match &state.keys {
                    Some(k) if k.loaded => html! {
                        <>
                        <p id="key-status">{ format!("RSA-{} key pair loaded from the key store.", k.pair.bits()) }</p>
                        <details><summary>{"Public key (SPKI PEM)"}</summary><pre class="pem">{ &k.public_pem }</pre></details>
                        </>
                    },
                    Some(k) => html! {
                        <>
                        <p id="key-status">{ format!("RSA-{} key pair generated with WebCrypto in {:.0} ms. \
                            The private key stays in this tab's memory.", k.pair.bits(), k.millis) }</p>
                        <details><summary>{"Public key (SPKI PEM)"}</summary><pre class="pem">{ &k.public_pem }</pre></details>
                        </>
                    },
                    None if generating => html! { <p id="key-status" class="muted">{"Generating an RSA-2048 key pair…"}</p> },
                    None => html! { <p id="key-status" class="muted">{"No key pair yet: one is generated when you encrypt."}</p> },
                } }
                <div class="row">
                    <button id="keygen" onclick={on_keygen} disabled={generating}>{"New key pair"}</button>
                    if ks::is_unlocked() {
                        <button id="key-save" onclick={on_save} disabled={state.keys.is_none()}>{"Save in the key store"}</button>
                        <button id="key-load" onclick={on_load}>{"Load from the key store"}</button>
                    }
                </div>
                if let Some(n) = &*stored { <p class="hint" id="key-stored" aria-live="polite">{ n }</p> }
            </section>

            <section class="card">
                <h2>{"2. Message"}</h2>
                <label for="message">{"Plaintext"}</label>
                <textarea id="message" rows="3" value={state.message.clone()} oninput={on_message} />
                <button id="encrypt" class="primary" onclick={on_encrypt} disabled={generating}>{"Encrypt"}</button>
            </section>

            <section class="card">
                <h2>{"3. Envelope"}</h2>
                <p class="muted">{"Edit any field and decrypt: a single changed bit makes decryption fail."}</p>
                <label for="envelope">{"Envelope (JSON, binary fields base64)"}</label>
                <crate::pages::json_editor::JsonEditor id="envelope" what="the envelope" rows={9} value={state.envelope_json.clone()}
                    oninput={on_envelope} placeholder="Encrypt a message to see its envelope" />
                if let Some(env) = &parsed {
                    <table class="fields">
                        <tr><th>{"wrapped key"}</th><td>{ format!("{} bytes (RSA-OAEP of the 32-byte data key)", b64_len(&env.wrapped_key)) }</td></tr>
                        <tr><th>{"IV"}</th><td>{ format!("{} bytes, random per message", b64_len(&env.iv)) }</td></tr>
                        <tr><th>{"ciphertext"}</th><td>{ format!("{} bytes, as long as the message", b64_len(&env.ciphertext)) }</td></tr>
                        <tr><th>{"tag"}</th><td>{ format!("{} bytes; also covers the algorithm and the wrapped key", b64_len(&env.tag)) }</td></tr>
                    </table>
                }
                <button id="decrypt" onclick={on_decrypt}>{"Decrypt"}</button>
            </section>
            if let Some(env) = &parsed {
                { super::diagram_view::envelope_view(&super::diagram::layout(&super::diagram::simple(env)), "envelope-diagram") }
            }

            if let Some(text) = &state.decrypted {
                <section class="card ok">
                    <h2>{"4. Decrypted"}</h2>
                    <pre id="decrypted">{ text }</pre>
                </section>
            }
            if let Some((code, msg)) = &state.error {
                <section class="card err" role="alert">
                    <h2>{"Error"}</h2>
                    <p id="error"><code>{ code }</code>{" "}{ msg }</p>
                </section>
            }
        </article>
    }
}
