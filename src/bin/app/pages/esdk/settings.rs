//! The message settings editor of the Encryption SDK page: renders `state::settings` and
//! dispatches to it.

use secplay::crypto::esdk::AlgorithmSuite;
use yew::prelude::*;

use super::state::settings::{Action, Settings, POLICIES};

use super::{checkbox_value, input_value, select_value};

fn suite_label(s: AlgorithmSuite) -> String {
    let mut notes = Vec::new();
    if s.is_committing() {
        notes.push("key commitment");
    }
    if s.is_signed() {
        notes.push("signed");
    }
    if s == AlgorithmSuite::DEFAULT {
        notes.push("default");
    }
    let notes = if notes.is_empty() { String::new() } else { format!(" ({})", notes.join(", ")) };
    format!("0x{:04X} {}{notes}", s.id(), s.aws_name())
}

#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    pub settings: UseReducerHandle<Settings>,
}

/// Suite, frame length, policy and encryption context rows.
#[function_component]
pub fn SettingsEditor(props: &SettingsProps) -> Html {
    let s = props.settings.clone();
    let send = |make: fn(String) -> Action| {
        let s = s.clone();
        Callback::from(move |v: String| s.dispatch(make(v)))
    };
    let on_suite = send(Action::Suite).reform(|e: Event| select_value(&e));
    let on_frame = send(Action::FrameLength).reform(|e: InputEvent| input_value(&e));
    let on_policy = send(Action::Policy).reform(|e: Event| select_value(&e));
    let on_check = {
        let s = s.clone();
        Callback::from(move |e: Event| s.dispatch(Action::CheckContext(checkbox_value(&e))))
    };
    let on_add = {
        let s = s.clone();
        Callback::from(move |_: MouseEvent| s.dispatch(Action::AddPair))
    };
    let rows = s.context.iter().enumerate().map(|(i, (k, v))| {
        let set = |key: bool| {
            let s = s.clone();
            Callback::from(move |e: InputEvent| {
                let v = input_value(&e);
                s.dispatch(if key { Action::SetKey(i, v) } else { Action::SetValue(i, v) });
            })
        };
        let on_remove = {
            let s = s.clone();
            Callback::from(move |_: MouseEvent| s.dispatch(Action::RemovePair(i)))
        };
        html! {
            <div class="row ctx" key={i}>
                <input id={format!("ctx{i}-key")} type="text" placeholder="key" aria-label="context key"
                    value={k.clone()} oninput={set(true)} spellcheck="false" />
                <input id={format!("ctx{i}-value")} class="grow" type="text" placeholder="value" aria-label="context value"
                    value={v.clone()} oninput={set(false)} spellcheck="false" />
                <button class="link" onclick={on_remove} title="Remove this pair">{"Remove"}</button>
            </div>
        }
    });
    html! {
        <section class="card" id="esdk-settings">
            <h2>{"Message settings"}</h2>
            <div class="grid2">
                <div class="wide">
                    <label for="esdk-suite">{"Algorithm suite"}</label>
                    <select id="esdk-suite" onchange={on_suite}>
                        { for AlgorithmSuite::ALL.iter().rev().map(|x| html! {
                            <option value={x.id().to_string()} selected={x.id() == s.suite}>{ suite_label(*x) }</option>
                        }) }
                    </select>
                </div>
                <div>
                    <label for="esdk-policy">{"Commitment policy"}</label>
                    <select id="esdk-policy" onchange={on_policy}>
                        { for POLICIES.iter().map(|p| html! {
                            <option value={p.name()} selected={*p == s.policy}>{ p.name() }</option>
                        }) }
                    </select>
                </div>
                <div>
                    <label for="esdk-frame">{"Frame length (bytes of plaintext per frame)"}</label>
                    <input id="esdk-frame" type="number" min="1" value={s.frame_length.clone()} oninput={on_frame} />
                </div>
            </div>
            <label>{"Encryption context (authenticated, not secret: stored in the header in plain text)"}</label>
            { for rows }
            <div class="row">
                <button id="ctx-add" onclick={on_add}>{"+ Pair"}</button>
                <label class="check"><input id="esdk-check-context" type="checkbox" checked={s.check_context} onchange={on_check} />
                    {" Require these pairs when decrypting"}</label>
            </div>
        </section>
    }
}
