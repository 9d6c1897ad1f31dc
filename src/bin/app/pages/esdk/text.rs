//! Text in, ESDK message out (base64), and back: the same engine calls as `esdkEncrypt` /
//! `esdkDecrypt`, made by the reducer in `state::text`. The page decodes pasted base64 itself, since
//! the engine refuses base64 text passed as message bytes (`Base64Input`).

use serde_json::Value;
use yew::prelude::*;

use super::state::text::{header_line, Action, TextState};
use super::{decode_message, failure_view, textarea_value};

#[derive(Properties, PartialEq)]
pub struct TextProps {
    pub encrypt_options: Value,
    pub decrypt_options: Value,
    /// Send a message to the header inspector.
    pub on_inspect: Callback<String>,
}

#[function_component]
pub fn TextPanel(props: &TextProps) -> Html {
    let state = use_reducer(TextState::default);
    let on_encrypt = {
        let (state, opts) = (state.clone(), props.encrypt_options.clone());
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Encrypt(opts.clone())))
    };
    let on_decrypt = {
        let (state, opts) = (state.clone(), props.decrypt_options.clone());
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Decrypt(opts.clone())))
    };
    let on_plaintext = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Plaintext(textarea_value(&e))))
    };
    let on_message = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Message(textarea_value(&e))))
    };
    let on_inspect = {
        let (state, cb) = (state.clone(), props.on_inspect.clone());
        Callback::from(move |_: MouseEvent| cb.emit(state.message.clone()))
    };

    // The message just made or opened, drawn from its header as the engine parses it.
    let just_done = state.error.is_none() && (state.stats.is_some() || state.decrypted.is_some());
    let drawing = use_memo((state.message.clone(), just_done), |(message, done)| {
        done.then(|| decode_message(message).ok())
            .flatten()
            .and_then(|bytes| secplay::crypto::esdk::json::inspect(&bytes).ok())
            .map(|v| crate::pages::envelope::diagram::layout(&super::diagram::parts(&v)))
    });
    html! {
        <div class="text-panel">
            <section class="card">
                <h2>{"Encrypt text"}</h2>
                <label for="esdk-plaintext">{"Plaintext"}</label>
                <textarea id="esdk-plaintext" rows="3" value={state.plaintext.clone()} oninput={on_plaintext} />
                <button id="esdk-encrypt" class="primary" onclick={on_encrypt}>{"Encrypt"}</button>
                if let Some(s) = &state.stats { <span class="hint inline" id="esdk-stats">{ s }</span> }
            </section>
            <section class="card">
                <h2>{"Message"}</h2>
                <label for="esdk-message">{"ESDK message, base64 (paste one here to decrypt or inspect it)"}</label>
                <textarea id="esdk-message" class="mono" rows="7" spellcheck="false" value={state.message.clone()}
                    oninput={on_message} placeholder="Encrypt some text, or paste a message (base64)" />
                <div class="row">
                    <button id="esdk-decrypt" class="primary" onclick={on_decrypt}>{"Decrypt"}</button>
                    <button id="esdk-inspect-this" onclick={on_inspect}>{"Inspect header"}</button>
                </div>
            </section>
            if let Some(d) = &state.decrypted {
                <section class="card ok">
                    <h2>{"Decrypted"}</h2>
                    <pre id="esdk-decrypted">{ &d.text }</pre>
                    <p class="hint" id="esdk-decrypted-header">{ header_line(&d.header) }</p>
                </section>
            }
            if let Some(l) = &*drawing { { crate::pages::envelope::diagram_view::envelope_view(l, "esdk-diagram") } }
            if let Some(f) = &state.error { { failure_view(f, "esdk-error") } }
        </div>
    }
}
