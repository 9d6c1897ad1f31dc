//! The Secrets Manager page: who calls, any operation as JSON with the answer or the AWS error,
//! the clock, the secrets of the region with their versions and labels, the rotation timeline,
//! the KMS audit entries the last action caused, and the notes' examples. The component renders
//! and dispatches; the state is `state.rs`.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::state::{Action, Answer, SecretsState, EXAMPLES, TEMPLATES};

impl Reducible for SecretsState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

fn value_of(e: &Event) -> String {
    let t = e.target();
    if let Some(i) = t.clone().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
        return i.value();
    }
    if let Some(s) = t.clone().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()) {
        return s.value();
    }
    t.and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()).map(|a| a.value()).unwrap_or_default()
}

#[function_component(SecretsPage)]
pub fn secrets_page() -> Html {
    let opening = use_memo((), |_| {
        super::super::share_bar::Opening::new(
            super::share::open,
            SecretsState::default,
            |mut s: SecretsState, a| {
                s.apply(a);
                s
            },
        )
    });
    let state = use_reducer(|| opening.take());
    let share_link = {
        let state = state.clone();
        Callback::from(move |()| Ok(super::share::encode(&state)))
    };
    let on = |f: fn(String) -> Action| {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(f(value_of(&e))))
    };
    let send = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Send))
    };
    let advance = |days: i64| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(Action::Advance(days)))
    };
    let answer = match &state.answer {
        None => html! { <p class="muted">{"Pick an operation, edit its request, and send it."}</p> },
        Some(Answer::Ok { operation, body }) => html! {
            <div class="ok"><h3>{ format!("{operation}: OK") }</h3><pre id="sm-answer">{ body }</pre></div>
        },
        Some(Answer::Err { operation, code, message }) => html! {
            <div class="error"><h3>{ format!("{operation}: {code}") }</h3><pre id="sm-answer" data-code={code.clone()}>{ message }</pre></div>
        },
    };
    html! {
        <div class="secrets-page">
            <h1>{"Secrets Manager"}</h1>
            <super::super::share_bar::ShareBar link={share_link} error={opening.error.clone()}
                holds={"A link holds the caller and the request; never a secret value."} />
            <p>{"Secrets over the KMS emulator: each value is sealed with a data key from KMS GenerateDataKey and read with Decrypt, as the caller through secretsmanager.<region>.amazonaws.com. Rotation runs an emulated four-step function on the simulated clock."}</p>
            <section class="card" id="sm-examples">
                <h2>{"The notes' examples"}</h2>
                { for EXAMPLES.iter().enumerate().map(|(i, title)| {
                    let state = state.clone();
                    html! { <p><button id={format!("sm-example-{i}")} onclick={Callback::from(move |_| state.dispatch(Action::Example(i)))}>{ *title }</button></p> }
                }) }
                <ol id="sm-steps">
                    { for state.steps.iter().map(|(ok, t)| html! { <li class={if *ok { "ok" } else { "error" }} data-ok={ok.to_string()}>{ t }</li> }) }
                </ol>
            </section>
            <section class="card" id="sm-call">
                <h2>{"Call"}</h2>
                <label>{"Principal "}<input id="sm-principal" value={state.principal.clone()} onchange={on(Action::Principal)} /></label>
                <label>{" Region "}
                    <select id="sm-region" onchange={on(Action::Region)}>
                        { for state.world.regions.iter().map(|r| html! { <option value={r.clone()} selected={*r == state.region}>{ r }</option> }) }
                    </select>
                </label>
                <p>
                    <select id="sm-operation" aria-label="Operation" onchange={on(Action::Operation)}>
                        { for TEMPLATES.iter().map(|(op, _)| html! { <option value={*op} selected={*op == state.operation}>{ *op }</option> }) }
                    </select>
                    <button id="sm-send" onclick={send}>{"Send"}</button>
                </p>
                <label for="sm-request">{"Request (JSON)"}</label>
                <crate::pages::json_editor::JsonEditor id="sm-request" what="the request" rows={6} value={state.request.clone()}
                    oninput={{ let state = state.clone(); Callback::from(move |v: String| state.dispatch(Action::Request(v))) }} />
                { answer }
            </section>
            <section class="card" id="sm-clock">
                <h2>{"Clock"}</h2>
                <p>{"Now: "}<span id="sm-now">{ state.now() }</span>{" "}
                    <button id="sm-day" onclick={advance(1)}>{"+1 day"}</button>
                    <button id="sm-month" onclick={advance(30)}>{"+30 days"}</button></p>
            </section>
            <section class="card" id="sm-secrets-card">
                <h2>{ format!("Secrets in {}", state.region) }</h2>
                <table id="sm-secrets">
                    <thead><tr><th>{"Secret"}</th><th>{"Version"}</th><th>{"Labels"}</th><th>{"Created"}</th></tr></thead>
                    <tbody>
                        { for state.secrets().into_iter().flat_map(|(name, arn, versions, deleted)| {
                            let n = name.clone();
                            let head = html! { <tr data-secret={name.clone()}><td colspan="4" title={arn}><strong>{ name }</strong>{ if deleted { " (scheduled for deletion)" } else { "" } }</td></tr> };
                            std::iter::once(head).chain(versions.into_iter().map(move |(id, labels, created)| html! {
                                <tr data-version={id.clone()} data-of={n.clone()} data-labels={labels.join(",")}>
                                    <td></td><td><code>{ id }</code></td><td>{ if labels.is_empty() { "(deprecated)".to_string() } else { labels.join(", ") } }</td>
                                    <td>{ secplay::kms::time::iso8601(created) }</td>
                                </tr>
                            }))
                        }) }
                    </tbody>
                </table>
            </section>
            <section class="card" id="sm-timeline-card">
                <h2>{"Rotation timeline"}</h2>
                <table id="sm-timeline">
                    <thead><tr><th>{"Secret"}</th><th>{"Time"}</th><th>{"Step"}</th><th>{"Outcome"}</th></tr></thead>
                    <tbody>
                        { for state.timeline().into_iter().map(|(name, t, step, ok, msg)| html! {
                            <tr data-step={step.clone()} data-ok={ok.to_string()}><td>{ name }</td><td>{ t }</td><td>{ step }</td><td>{ msg }</td></tr>
                        }) }
                    </tbody>
                </table>
            </section>
            <section class="card" id="sm-kms-card">
                <h2>{"KMS audit entries of the last action"}</h2>
                <table id="sm-kms-audit">
                    <thead><tr><th>{"Time"}</th><th>{"Event"}</th><th>{"Caller"}</th><th>{"Via"}</th><th>{"Error"}</th></tr></thead>
                    <tbody>
                        { for state.kms_events.iter().map(|e| {
                            let s = |k: &str| e.get(k).and_then(|v| v.as_str()).unwrap_or_default().to_string();
                            let who = e.pointer("/userIdentity/arn").and_then(|v| v.as_str()).unwrap_or("(KMS)").to_string();
                            html! { <tr data-event={s("eventName")}><td>{ s("eventTime") }</td><td>{ s("eventName") }</td><td>{ who }</td><td>{ s("sourceIPAddress") }</td><td>{ s("errorCode") }</td></tr> }
                        }) }
                    </tbody>
                </table>
            </section>
        </div>
    }
}
