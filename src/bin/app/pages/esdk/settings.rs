//! Message settings of the Encryption SDK page: algorithm suite, frame length, commitment policy and
//! encryption context, turned into the JS API's options (`esdkEncrypt` / `esdkDecrypt` shapes).

use secplay::crypto::esdk::{AlgorithmSuite, CommitmentPolicy};
use serde_json::{json, Map, Value};
use yew::prelude::*;

use super::{checkbox_value, input_value, select_value};

pub const POLICIES: [CommitmentPolicy; 3] = [
    CommitmentPolicy::RequireEncryptRequireDecrypt,
    CommitmentPolicy::RequireEncryptAllowDecrypt,
    CommitmentPolicy::ForbidEncryptAllowDecrypt,
];

/// What the user chose.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub suite: u16,
    /// As typed; checked by the engine.
    pub frame_length: String,
    pub policy: CommitmentPolicy,
    pub context: Vec<(String, String)>,
    /// Pass the context again at decrypt (the ESDK's reproduced encryption context).
    pub check_context: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            suite: AlgorithmSuite::DEFAULT.id(),
            frame_length: "4096".into(),
            policy: CommitmentPolicy::default(),
            context: vec![
                ("purpose".into(), "playground demo".into()),
                ("department".into(), "finance".into()),
            ],
            check_context: true,
        }
    }
}

impl Settings {
    fn context_json(&self) -> Value {
        let map: Map<String, Value> = self
            .context
            .iter()
            .filter(|(k, v)| !(k.is_empty() && v.is_empty()))
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        Value::Object(map)
    }

    /// Options for `esdkEncrypt` / `EsdkEncryptor`. A frame length that is not a number is passed on
    /// as text so the engine names the field in its error.
    pub fn encrypt_options(&self, keyrings: Value) -> Value {
        let frame = self
            .frame_length
            .trim()
            .parse::<u64>()
            .map_or_else(|_| Value::from(self.frame_length.clone()), Value::from);
        json!({
            "keyrings": keyrings,
            "suiteId": self.suite,
            "frameLength": frame,
            "commitmentPolicy": self.policy.name(),
            "encryptionContext": self.context_json(),
        })
    }

    /// Options for `esdkDecrypt` / `EsdkDecryptor`.
    pub fn decrypt_options(&self, keyrings: Value) -> Value {
        let mut v = json!({ "keyrings": keyrings, "commitmentPolicy": self.policy.name() });
        if let (true, Some(obj)) = (self.check_context, v.as_object_mut()) {
            obj.insert("encryptionContext".into(), self.context_json());
        }
        v
    }
}

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
    pub settings: UseStateHandle<Settings>,
}

/// Suite, frame length, policy and encryption context rows.
#[function_component]
pub fn SettingsEditor(props: &SettingsProps) -> Html {
    let s = props.settings.clone();
    let update = |f: fn(&mut Settings, String)| {
        let s = s.clone();
        move |v: String| {
            let mut next = (*s).clone();
            f(&mut next, v);
            s.set(next);
        }
    };
    let on_suite = Callback::from(update(|s, v| s.suite = v.parse().unwrap_or(s.suite)))
        .reform(|e: Event| select_value(&e));
    let on_frame = Callback::from(update(|s, v| s.frame_length = v)).reform(|e: InputEvent| input_value(&e));
    let on_policy = Callback::from(update(|s, v| {
        if let Ok(p) = CommitmentPolicy::from_name(&v) {
            s.policy = p;
        }
    }))
    .reform(|e: Event| select_value(&e));
    let on_check = {
        let s = s.clone();
        Callback::from(move |e: Event| {
            let mut next = (*s).clone();
            next.check_context = checkbox_value(&e);
            s.set(next);
        })
    };
    let on_add = {
        let s = s.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*s).clone();
            next.context.push((String::new(), String::new()));
            s.set(next);
        })
    };
    let rows = s.context.iter().enumerate().map(|(i, (k, v))| {
        let set = |key: bool| {
            let s = s.clone();
            Callback::from(move |e: InputEvent| {
                let mut next = (*s).clone();
                if let Some(row) = next.context.get_mut(i) {
                    if key {
                        row.0 = input_value(&e);
                    } else {
                        row.1 = input_value(&e);
                    }
                }
                s.set(next);
            })
        };
        let on_remove = {
            let s = s.clone();
            Callback::from(move |_: MouseEvent| {
                let mut next = (*s).clone();
                if i < next.context.len() {
                    next.context.remove(i);
                }
                s.set(next);
            })
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
