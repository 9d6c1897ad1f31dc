//! The Parameter Store page: the notes' examples, who calls, the parameter tree, any operation as
//! raw JSON with the response or the AWS error and its policy trace, the KMS audit entries the
//! call caused, the clock with the EventBridge events of parameter policies, and the cost estimate.
//!
//! The component renders and dispatches; the state is `state.rs`, every call is the engine's
//! (`secplay::ssm`).

use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::super::kms::view::response_view;
use super::examples;
use super::state::{Action, SsmState};

impl Reducible for SsmState {
    type Action = Action;

    fn reduce(self: std::rc::Rc<Self>, action: Action) -> std::rc::Rc<Self> {
        std::rc::Rc::new((*self).clone().reduce(action))
    }
}

fn value_of(e: &Event) -> String {
    let Some(t) = e.target() else { return String::new() };
    if let Some(i) = t.dyn_ref::<HtmlInputElement>() {
        return i.value();
    }
    if let Some(s) = t.dyn_ref::<HtmlSelectElement>() {
        return s.value();
    }
    t.dyn_ref::<HtmlTextAreaElement>().map(HtmlTextAreaElement::value).unwrap_or_default()
}

fn on_value<E: AsRef<Event> + 'static>(
    state: &UseReducerHandle<SsmState>,
    make: fn(String) -> Action,
) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |e: E| state.dispatch(make(value_of(e.as_ref()))))
}

fn s<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or_default()
}

fn kms_audit_view(events: &[Value]) -> Html {
    html! {
        <section class="card" id="ssm-kms-card">
            <h2>{"KMS calls this request caused"}</h2>
            if events.is_empty() {
                <p class="muted small" id="ssm-kms-none">{"None: no SecureString was encrypted or decrypted."}</p>
            } else {
                <table id="ssm-kms-audit" class="kms-audit">
                    <thead><tr><th>{"Event"}</th><th>{"Principal"}</th><th>{"Invoked by"}</th><th>{"Encryption context"}</th><th>{"Error"}</th></tr></thead>
                    <tbody>
                    { for events.iter().map(|e| html! {
                        <tr data-event={s(e, "/eventName").to_string()} class={classes!((!s(e, "/errorCode").is_empty()).then_some("err"))}>
                            <td>{ s(e, "/eventName") }</td>
                            <td><code>{ s(e, "/userIdentity/arn") }</code></td>
                            <td><code>{ s(e, "/userIdentity/invokedBy") }</code></td>
                            <td><code>{ e.pointer("/requestParameters/encryptionContext").map(Value::to_string).unwrap_or_default() }</code></td>
                            <td>{ s(e, "/errorCode") }</td>
                        </tr>
                    }) }
                    </tbody>
                </table>
            }
        </section>
    }
}

fn tree_view(state: &UseReducerHandle<SsmState>) -> Html {
    let lines = state.tree();
    html! {
        <section class="card" id="ssm-tree-card">
            <h2>{ format!("Parameters in {} (the caller's account)", state.region) }</h2>
            if lines.is_empty() { <p class="muted small">{"No parameters yet."}</p> }
            <ul id="ssm-tree" class="plain mono small">
                { for lines.into_iter().map(|l| {
                    let pad = format!("padding-left: {}em", l.depth * 2);
                    match l.name {
                        Some(name) => {
                            let st = state.clone();
                            let n = name.clone();
                            html! {
                                <li style={pad} data-name={name.clone()}>
                                    <a href="#/ssm" onclick={Callback::from(move |e: MouseEvent| { e.prevent_default(); st.dispatch(Action::Pick(n.clone())) })}>{ l.label }</a>
                                    <span class="muted">{ format!("  {}", l.detail) }</span>
                                </li>
                            }
                        }
                        None => html! { <li style={pad} class="muted">{ l.label }</li> },
                    }
                }) }
            </ul>
        </section>
    }
}

fn events_view(state: &SsmState) -> Html {
    let events = state.events();
    html! {
        <section class="card" id="ssm-events-card">
            <h2>{ format!("EventBridge events ({})", events.len()) }</h2>
            <ol id="ssm-events" class="plain small">
                { for events.iter().take(50).map(|e| {
                    let what = if s(e, "/detail-type") == "Parameter Store Policy Action" {
                        format!("{} on {}", s(e, "/detail/policy-type"), s(e, "/detail/parameter-name"))
                    } else {
                        format!("{} {}", s(e, "/detail/operation"), s(e, "/detail/name"))
                    };
                    html! {
                        <li data-detail-type={s(e, "/detail-type").to_string()}>
                            <code>{ s(e, "/time") }</code>{" "}<strong>{ s(e, "/detail-type") }</strong>{": "}{ what }
                            <details><summary>{"event"}</summary><pre class="mono small">{ serde_json::to_string_pretty(e).unwrap_or_default() }</pre></details>
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

/// The Parameter Store page.
#[function_component(SsmPage)]
pub fn ssm_page() -> Html {
    let opening = use_memo((), |_| {
        super::super::share_bar::Opening::new(super::share::open, SsmState::default, SsmState::reduce)
    });
    let state = use_reducer(|| opening.take());
    let share_link = {
        let state = state.clone();
        Callback::from(move |()| Ok(super::share::encode(&state)))
    };
    let send = {
        let st = state.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(Action::Send))
    };
    let advance = {
        let st = state.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(Action::Advance))
    };
    let reset = {
        let st = state.clone();
        Callback::from(move |_: MouseEvent| st.dispatch(Action::Reset))
    };
    let cost = state.cost();
    let n = |p: &str| cost.pointer(p).and_then(Value::as_f64).unwrap_or_default();
    html! {
        <div class="ssm">
            <h1>{"Parameter Store"}</h1>
            <super::super::share_bar::ShareBar link={share_link} error={opening.error.clone()}
                holds={"A link holds the example, the caller and the request; not the parameters or a SecureString value."} />
            <p class="lead">{"AWS Systems Manager Parameter Store over the KMS emulator's world: paths, versions and labels, SecureString encrypted by KMS as the caller through ssm.<region>.amazonaws.com, tiers and their limits, parameter policies on the simulated clock, and path-based access decided by the policy engine."}</p>
            <section class="card" id="ssm-examples-card">
                <h2>{"The notes' examples"}</h2>
                <div class="buttons" id="ssm-examples">
                    { for examples::all().into_iter().map(|ex| {
                        let st = state.clone();
                        let id = ex.id;
                        html! {
                            <button data-example={id} title={ex.explain}
                                class={classes!((state.example == Some(id)).then_some("active"))}
                                onclick={Callback::from(move |_| st.dispatch(Action::Example(id.to_string())))}>{ ex.title }</button>
                        }
                    }) }
                </div>
                if let Some(n) = &state.notice { <p id="ssm-notice" class="small">{ n }</p> }
            </section>
            <section class="card" id="ssm-call">
                <h2>{"Call"}</h2>
                <div class="kms-filters">
                    <label>{"Principal"}
                        <select id="ssm-principal" onchange={on_value::<Event>(&state, Action::Principal)}>
                            { for state.principals().into_iter().map(|p| html! { <option selected={p == state.principal} value={p.clone()}>{ p }</option> }) }
                        </select></label>
                    <label>{"Region"}
                        <select id="ssm-region" onchange={on_value::<Event>(&state, Action::Region)}>
                            { for state.world.regions.iter().map(|r| html! { <option selected={*r == state.region} value={r.clone()}>{ r }</option> }) }
                        </select></label>
                    <label>{"Operation"}
                        <select id="ssm-operation" onchange={on_value::<Event>(&state, Action::Operation)}>
                            { for state.operations().iter().map(|o| html! { <option selected={*o == state.operation} value={*o}>{ *o }</option> }) }
                        </select></label>
                </div>
                <label for="ssm-request">{"Request (JSON)"}</label>
                <crate::pages::json_editor::JsonEditor id="ssm-request" what="the request" rows={8} value={state.request.clone()}
                    oninput={{ let state = state.clone(); Callback::from(move |v: String| state.dispatch(Action::Request(v))) }} />
                <p><button id="ssm-send" class="primary" onclick={send}>{"Send"}</button>{" "}
                   <button id="ssm-reset" onclick={reset}>{"Start over"}</button></p>
            </section>
            if let Some(r) = &state.response { { response_view("ssm", r) } }
            { kms_audit_view(&state.kms_events) }
            { tree_view(&state) }
            <section class="card" id="ssm-clock">
                <h2>{ format!("Clock: {}", secplay::kms::time::iso8601(state.world.now)) }</h2>
                <label>{"Days"}<input id="ssm-days" value={state.days.clone()} oninput={on_value::<InputEvent>(&state, Action::Days)} /></label>
                {" "}<button id="ssm-advance" onclick={advance}>{"Advance the clock"}</button>
            </section>
            { events_view(&state) }
            <section class="card" id="ssm-cost-card">
                <h2>{"Cost estimate"}</h2>
                <p id="ssm-cost">{ format!("{} standard parameters (no charge), {} advanced parameters: ${:.2} a month.",
                    n("/standardParameters"), n("/advancedParameters"), n("/totalUsd")) }</p>
                <p class="muted small">{"Advanced parameters $0.05 per parameter-month; with higher throughput, API interactions $0.05 per 10,000 (AWS Systems Manager pricing)."}</p>
            </section>
        </div>
    }
}
