//! The envelope-encryption page: type a message, encrypt it under a fresh AES-256-GCM data key,
//! wrap the key with an RSA-OAEP-SHA256 key pair generated in the page (WebCrypto, off the main
//! thread), look at the envelope, edit it if you like, and open it again.

use std::rc::Rc;

use secplay::crypto::envelope::{self as engine, Envelope, KeyPair};
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// One state for the page's async steps.
#[derive(Clone, PartialEq)]
enum Busy {
    Idle,
    GeneratingKey,
}

#[derive(Clone)]
struct Keys {
    pair: Rc<KeyPair>,
    public_pem: String,
    millis: f64,
}

fn text_of(e: &InputEvent) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()).map(|t| t.value()).unwrap_or_default()
}

fn b64_len(s: &str) -> usize {
    let pad = s.bytes().rev().take_while(|b| *b == b'=').count();
    (s.len() / 4 * 3).saturating_sub(pad)
}

#[function_component]
pub fn EnvelopePage() -> Html {
    let message = use_state(|| "Meet me at the usual place at seven.".to_owned());
    let keys = use_state(|| None::<Keys>);
    let envelope_json = use_state(String::new);
    let decrypted = use_state(|| None::<String>);
    let error = use_state(|| None::<(String, String)>);
    let busy = use_state(|| Busy::Idle);

    // Run `then` with the page's key pair, generating one with WebCrypto first if there is none
    // (or if `fresh` asks for a new one).
    let with_keys = {
        let (keys, error, busy) = (keys.clone(), error.clone(), busy.clone());
        Rc::new(move |fresh: bool, then: Box<dyn FnOnce(Keys)>| {
            if let (false, Some(k)) = (fresh, (*keys).clone()) {
                then(k);
                return;
            }
            let (keys, error, busy) = (keys.clone(), error.clone(), busy.clone());
            busy.set(Busy::GeneratingKey);
            wasm_bindgen_futures::spawn_local(async move {
                let start = now_ms();
                let result = secplay::web::webcrypto::generate_rsa_key_pair(2048).await;
                busy.set(Busy::Idle);
                match result.and_then(|pair| {
                    let public_pem = pair.public().to_pem()?;
                    Ok(Keys { pair: Rc::new(pair), public_pem, millis: now_ms() - start })
                }) {
                    Ok(k) => {
                        keys.set(Some(k.clone()));
                        then(k);
                    }
                    Err(e) => error.set(Some((e.code().to_owned(), e.to_string()))),
                }
            });
        })
    };

    let on_keygen = {
        let (envelope_json, decrypted, with_keys) =
            (envelope_json.clone(), decrypted.clone(), with_keys.clone());
        Callback::from(move |_: MouseEvent| {
            // Envelopes sealed for the old pair can no longer be opened here: clear them.
            envelope_json.set(String::new());
            decrypted.set(None);
            with_keys(true, Box::new(|_| {}));
        })
    };

    let on_encrypt = {
        let (message, envelope_json, decrypted, error, with_keys) =
            (message.clone(), envelope_json.clone(), decrypted.clone(), error.clone(), with_keys.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            decrypted.set(None);
            let (message, envelope_json, error) = (message.clone(), envelope_json.clone(), error.clone());
            with_keys(
                false,
                Box::new(move |k| match engine::seal(message.as_bytes(), &k.pair.public()) {
                    Ok(env) => match serde_json::to_string_pretty(&env) {
                        Ok(text) => envelope_json.set(text),
                        Err(e) => error.set(Some(("Internal".into(), e.to_string()))),
                    },
                    Err(e) => error.set(Some((e.code().into(), e.to_string()))),
                }),
            );
        })
    };

    let on_decrypt = {
        let (keys, envelope_json, decrypted, error) =
            (keys.clone(), envelope_json.clone(), decrypted.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            error.set(None);
            decrypted.set(None);
            let Some(k) = (*keys).clone() else {
                error.set(Some(("NoKey".into(), "generate a key pair and encrypt a message first".into())));
                return;
            };
            let env: Envelope = match serde_json::from_str(&envelope_json) {
                Ok(env) => env,
                Err(e) => {
                    error.set(Some((
                        "MalformedEnvelope".into(),
                        format!("the envelope is not valid JSON: {e}"),
                    )));
                    return;
                }
            };
            match engine::open(&env, &k.pair) {
                Ok(bytes) => decrypted.set(Some(String::from_utf8_lossy(&bytes).into_owned())),
                Err(e) => error.set(Some((e.code().into(), e.to_string()))),
            }
        })
    };

    let on_message = {
        let message = message.clone();
        Callback::from(move |e: InputEvent| message.set(text_of(&e)))
    };
    let on_envelope = {
        let envelope_json = envelope_json.clone();
        Callback::from(move |e: InputEvent| envelope_json.set(text_of(&e)))
    };

    let parsed: Option<Envelope> = serde_json::from_str(&envelope_json).ok();
    let generating = *busy == Busy::GeneratingKey;

    html! {
        <article class="envelope">
            <h1>{"Envelope encryption"}</h1>
            <p class="lede">{"A fresh 256-bit data key encrypts your message with AES-256-GCM; an RSA key pair \
                made in this page wraps the data key with RSA-OAEP (SHA-256). Only the private key can \
                unwrap it. This is the client-side encryption model of the notes: whoever stores the \
                envelope cannot read it."}</p>

            <section class="card">
                <h2>{"1. Key pair"}</h2>
                { match &*keys {
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
                <button id="keygen" onclick={on_keygen} disabled={generating}>{"New key pair"}</button>
            </section>

            <section class="card">
                <h2>{"2. Message"}</h2>
                <label for="message">{"Plaintext"}</label>
                <textarea id="message" rows="3" value={(*message).clone()} oninput={on_message} />
                <button id="encrypt" class="primary" onclick={on_encrypt} disabled={generating}>{"Encrypt"}</button>
            </section>

            <section class="card">
                <h2>{"3. Envelope"}</h2>
                <p class="muted">{"Edit any field and decrypt: a single changed bit makes decryption fail."}</p>
                <label for="envelope">{"Envelope (JSON, binary fields base64)"}</label>
                <textarea id="envelope" class="mono" rows="9" value={(*envelope_json).clone()} oninput={on_envelope}
                    placeholder="Encrypt a message to see its envelope" />
                if let Some(env) = parsed {
                    <table class="fields">
                        <tr><th>{"wrapped key"}</th><td>{ format!("{} bytes (RSA-OAEP of the 32-byte data key)", b64_len(&env.wrapped_key)) }</td></tr>
                        <tr><th>{"IV"}</th><td>{ format!("{} bytes, random per message", b64_len(&env.iv)) }</td></tr>
                        <tr><th>{"ciphertext"}</th><td>{ format!("{} bytes, as long as the message", b64_len(&env.ciphertext)) }</td></tr>
                        <tr><th>{"tag"}</th><td>{ format!("{} bytes; also covers the algorithm and the wrapped key", b64_len(&env.tag)) }</td></tr>
                    </table>
                }
                <button id="decrypt" onclick={on_decrypt}>{"Decrypt"}</button>
            </section>

            if let Some(text) = &*decrypted {
                <section class="card ok">
                    <h2>{"4. Decrypted"}</h2>
                    <pre id="decrypted">{ text }</pre>
                </section>
            }
            if let Some((code, msg)) = &*error {
                <section class="card err" role="alert">
                    <h2>{"Error"}</h2>
                    <p id="error"><code>{ code }</code>{" "}{ msg }</p>
                </section>
            }
        </article>
    }
}
