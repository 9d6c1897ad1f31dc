//! The AWS Encryption SDK page: a keyring editor and message settings shared by three tools, text
//! encryption and decryption, files of any size (streamed in a Web Worker to the origin private file
//! system), and a header inspector. It calls the engine's JSON layer (`crypto::esdk::json`), the
//! same functions the JS API exposes; the worker uses the JS package itself.

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::keyring::KeyringEditor;
use super::settings::SettingsEditor;
use super::state::keyrings::{keyrings_json, Keyrings};
use super::state::settings::Settings;
use super::state::{Action, EsdkState, Failure, Tab};
use super::{files, inspect, text};

/// An error card whose text has the id `id`.
pub fn failure_view(f: &Failure, id: &str) -> Html {
    html! {
        <div class="card err" role="alert">
            <p id={id.to_owned()}><code>{ &f.code }</code>{" "}{ &f.message }</p>
        </div>
    }
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

#[function_component]
pub fn EsdkPage() -> Html {
    let keyrings = use_reducer(Keyrings::default);
    let settings = use_reducer(Settings::default);
    let opening = use_memo((), |_| {
        super::super::share_bar::Opening::new(super::share::open, EsdkState::default, EsdkState::reduce)
    });
    let page = use_reducer(|| opening.take());
    let share_link = {
        let page = page.clone();
        Callback::from(move |()| Ok(super::share::encode(&page)))
    };

    let ring_json = keyrings_json(&keyrings.entries);
    let encrypt_options = settings.encrypt_options(ring_json.clone());
    let decrypt_options = settings.decrypt_options(ring_json);

    let on_inspect = {
        let page = page.clone();
        Callback::from(move |m: String| page.dispatch(Action::Inspect(m)))
    };
    let on_inspect_input = {
        let page = page.clone();
        Callback::from(move |m: String| page.dispatch(Action::InspectInput(m)))
    };
    let tab_button = |t: Tab, id: &'static str, label: &'static str| {
        let page = page.clone();
        let active = page.tab == t;
        html! {
            <button id={id} role="tab" aria-selected={if active { "true" } else { "false" }}
                class={classes!("tab", active.then_some("active"))}
                onclick={Callback::from(move |_: MouseEvent| page.dispatch(Action::Tab(t)))}>{ label }</button>
        }
    };

    html! {
        <article class="esdk">
            <h1>{"Encryption SDK"}</h1>
            <super::super::share_bar::ShareBar link={share_link} error={opening.error.clone()}
                holds={"A link holds the open tool and the message in the inspector; not keyrings, keys or plaintexts."} />
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
            <div hidden={page.tab != Tab::Text}>
                <text::TextPanel encrypt_options={encrypt_options.clone()} decrypt_options={decrypt_options.clone()}
                    on_inspect={on_inspect} />
            </div>
            <div hidden={page.tab != Tab::Files}>
                <files::FilePanel encrypt_options={encrypt_options} decrypt_options={decrypt_options} />
            </div>
            if page.tab == Tab::Inspect {
                <inspect::Inspector input={page.inspect_input.clone()} on_input={on_inspect_input} />
            }
        </article>
    }
}
