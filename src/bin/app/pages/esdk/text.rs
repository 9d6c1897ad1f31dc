//! Text in, ESDK message out (base64), and back: the same engine calls as `esdkEncrypt` /
//! `esdkDecrypt`. The page decodes pasted base64 itself, since the engine refuses base64 text passed
//! as message bytes (`Base64Input`).

use secplay::crypto::esdk::json as engine;
use serde_json::Value;
use yew::prelude::*;

use super::{decode_message, textarea_value, Failure};

#[derive(Properties, PartialEq)]
pub struct TextProps {
    pub encrypt_options: Value,
    pub decrypt_options: Value,
    /// Send a message to the header inspector.
    pub on_inspect: Callback<String>,
}

#[derive(Clone, PartialEq)]
struct Decrypted {
    text: String,
    header: Value,
}

#[function_component]
pub fn TextPanel(props: &TextProps) -> Html {
    let plaintext = use_state(|| "Quarterly numbers: revenue up 12 %. 분기 실적 🔐".to_owned());
    let message = use_state(String::new);
    let decrypted = use_state(|| None::<Decrypted>);
    let error = use_state(|| None::<Failure>);
    let stats = use_state(|| None::<String>);

    let on_encrypt = {
        let (plaintext, message, decrypted, error, stats) =
            (plaintext.clone(), message.clone(), decrypted.clone(), error.clone(), stats.clone());
        let opts = props.encrypt_options.clone();
        Callback::from(move |_: MouseEvent| {
            decrypted.set(None);
            match engine::encrypt(plaintext.as_bytes(), &opts) {
                Ok(bytes) => {
                    error.set(None);
                    stats.set(Some(format!(
                        "{} bytes of plaintext became a {}-byte message",
                        plaintext.len(),
                        bytes.len()
                    )));
                    message.set(base64_lines(&bytes));
                }
                Err(e) => {
                    stats.set(None);
                    error.set(Some(Failure::from(&e)));
                }
            }
        })
    };
    let on_decrypt = {
        let (message, decrypted, error) = (message.clone(), decrypted.clone(), error.clone());
        let opts = props.decrypt_options.clone();
        Callback::from(move |_: MouseEvent| {
            decrypted.set(None);
            let result = decode_message(&message)
                .and_then(|bytes| engine::decrypt(&bytes, &opts).map_err(|e| Failure::from(&e)));
            match result {
                Ok((bytes, header)) => {
                    error.set(None);
                    decrypted
                        .set(Some(Decrypted { text: String::from_utf8_lossy(&bytes).into_owned(), header }));
                }
                Err(f) => error.set(Some(f)),
            }
        })
    };
    let on_plaintext = {
        let plaintext = plaintext.clone();
        Callback::from(move |e: InputEvent| plaintext.set(textarea_value(&e)))
    };
    let on_message = {
        let message = message.clone();
        Callback::from(move |e: InputEvent| message.set(textarea_value(&e)))
    };
    let on_inspect = {
        let (message, cb) = (message.clone(), props.on_inspect.clone());
        Callback::from(move |_: MouseEvent| cb.emit((*message).clone()))
    };

    html! {
        <div class="text-panel">
            <section class="card">
                <h2>{"Encrypt text"}</h2>
                <label for="esdk-plaintext">{"Plaintext"}</label>
                <textarea id="esdk-plaintext" rows="3" value={(*plaintext).clone()} oninput={on_plaintext} />
                <button id="esdk-encrypt" class="primary" onclick={on_encrypt}>{"Encrypt"}</button>
                if let Some(s) = &*stats { <span class="hint inline" id="esdk-stats">{ s }</span> }
            </section>
            <section class="card">
                <h2>{"Message"}</h2>
                <label for="esdk-message">{"ESDK message, base64 (paste one here to decrypt or inspect it)"}</label>
                <textarea id="esdk-message" class="mono" rows="7" spellcheck="false" value={(*message).clone()}
                    oninput={on_message} placeholder="Encrypt some text, or paste a message (base64)" />
                <div class="row">
                    <button id="esdk-decrypt" class="primary" onclick={on_decrypt}>{"Decrypt"}</button>
                    <button id="esdk-inspect-this" onclick={on_inspect}>{"Inspect header"}</button>
                </div>
            </section>
            if let Some(d) = &*decrypted {
                <section class="card ok">
                    <h2>{"Decrypted"}</h2>
                    <pre id="esdk-decrypted">{ &d.text }</pre>
                    <p class="hint" id="esdk-decrypted-header">{ header_line(&d.header) }</p>
                </section>
            }
            if let Some(f) = &*error { { f.view("esdk-error") } }
        </div>
    }
}

/// Base64 wrapped at 76 characters, as PEM and MIME do, so long messages stay readable.
fn base64_lines(bytes: &[u8]) -> String {
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

fn header_line(h: &Value) -> String {
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
