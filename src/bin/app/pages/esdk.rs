//! The AWS Encryption SDK page: a keyring editor and message settings shared by three tools, text
//! encryption and decryption, files of any size (streamed in a Web Worker to the origin private file
//! system), and a header inspector. It calls the engine's JSON layer (`crypto::esdk::json`), the
//! same functions the JS API exposes; the worker uses the JS package itself.

mod files;
mod inspect;
mod keyring;
mod settings;
mod text;

use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD};
use base64::Engine as _;
use secplay::crypto::esdk::EsdkError;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use keyring::{keyrings_json, KeyringEditor, Keyrings};
use settings::{Settings, SettingsEditor};

/// A failure to show: the engine's error code and message.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub code: String,
    pub message: String,
}

impl From<&EsdkError> for Failure {
    fn from(e: &EsdkError) -> Self {
        Self { code: e.code().to_owned(), message: e.to_string() }
    }
}

impl Failure {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.to_owned(), message: message.into() }
    }

    /// An error card whose text has the id `id`.
    pub fn view(&self, id: &str) -> Html {
        html! {
            <div class="card err" role="alert">
                <p id={id.to_owned()}><code>{ &self.code }</code>{" "}{ &self.message }</p>
            </div>
        }
    }
}

/// Pasted base64 (line breaks and spaces allowed, standard or URL-safe alphabet) to message bytes.
pub fn decode_message(text: &str) -> Result<Vec<u8>, Failure> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(Failure::new("InvalidInput", "paste a message first (base64)"));
    }
    B64.decode(&compact).or_else(|_| URL_SAFE_NO_PAD.decode(compact.trim_end_matches('='))).map_err(|_| {
        Failure::new(
            "InvalidInput",
            "this is not base64: paste the message as the Encrypt button shows it (the files tab takes raw bytes)",
        )
    })
}

pub fn input_value(e: &InputEvent) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).map(|t| t.value()).unwrap_or_default()
}

pub fn textarea_value(e: &InputEvent) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()).map(|t| t.value()).unwrap_or_default()
}

pub fn select_value(e: &Event) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|t| t.value()).unwrap_or_default()
}

pub fn checkbox_value(e: &Event) -> bool {
    e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|t| t.checked())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tab {
    Text,
    Files,
    Inspect,
}

#[function_component]
pub fn EsdkPage() -> Html {
    let keyrings = use_reducer(Keyrings::default);
    let settings = use_state(Settings::default);
    let tab = use_state(|| Tab::Text);
    let inspect_input = use_state(String::new);

    let ring_json = keyrings_json(&keyrings.entries);
    let encrypt_options = settings.encrypt_options(ring_json.clone());
    let decrypt_options = settings.decrypt_options(ring_json);

    let on_inspect = {
        let (tab, inspect_input) = (tab.clone(), inspect_input.clone());
        Callback::from(move |m: String| {
            inspect_input.set(m);
            tab.set(Tab::Inspect);
        })
    };
    let on_inspect_input = {
        let inspect_input = inspect_input.clone();
        Callback::from(move |m: String| inspect_input.set(m))
    };
    let tab_button = |t: Tab, id: &'static str, label: &'static str| {
        let tab = tab.clone();
        let active = *tab == t;
        html! {
            <button id={id} role="tab" aria-selected={if active { "true" } else { "false" }}
                class={classes!("tab", active.then_some("active"))}
                onclick={Callback::from(move |_: MouseEvent| tab.set(t))}>{ label }</button>
        }
    };

    html! {
        <article class="esdk">
            <h1>{"Encryption SDK"}</h1>
            <p class="lede">{"The AWS Encryption SDK message format, in this page: a fresh data key per message, \
                wrapped by each of your keyrings, the data encrypted frame by frame with AES-GCM under the \
                algorithm suite you choose (key commitment and ECDSA signatures included). Messages are \
                interoperable with the official SDKs."}</p>
            <KeyringEditor state={keyrings.clone()} />
            <SettingsEditor settings={settings.clone()} />
            <div class="tabs" role="tablist">
                { tab_button(Tab::Text, "tab-text", "Text") }
                { tab_button(Tab::Files, "tab-files", "Files") }
                { tab_button(Tab::Inspect, "tab-inspect", "Header inspector") }
            </div>
            // The file panel stays mounted so a running job survives a look at the other tabs.
            <div hidden={*tab != Tab::Text}>
                <text::TextPanel encrypt_options={encrypt_options.clone()} decrypt_options={decrypt_options.clone()}
                    on_inspect={on_inspect} />
            </div>
            <div hidden={*tab != Tab::Files}>
                <files::FilePanel encrypt_options={encrypt_options} decrypt_options={decrypt_options} />
            </div>
            if *tab == Tab::Inspect {
                <inspect::Inspector input={(*inspect_input).clone()} on_input={on_inspect_input} />
            }
        </article>
    }
}
