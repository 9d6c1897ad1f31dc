//! The DDoS page's component: renders `DdosState` (the form, the chart as inline SVG, the trips,
//! the users caught, the checklist) and dispatches its actions; a run goes to the flood worker
//! (`services::waf_ddos_worker`) with progress and Cancel. Nothing leaves the page.

use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::state::{chart, Action, DdosState, Field, Job, KINDS, PAGE_MAX_REQUESTS};
use crate::pages::json_editor::JsonEditor;
use crate::services::waf_ddos_worker::FloodWorker;

const W: f64 = 720.0;
const H: f64 = 220.0;

fn text_of(e: &InputEvent) -> String {
    let Some(t) = e.target() else { return String::new() };
    if let Some(a) = t.dyn_ref::<HtmlTextAreaElement>() {
        return a.value();
    }
    t.dyn_ref::<HtmlInputElement>().map(HtmlInputElement::value).unwrap_or_default()
}

fn select_of(e: &Event) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

fn s(v: &Value) -> String {
    match v {
        Value::String(t) => t.clone(),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

fn at<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

fn list(v: &Value, key: &str) -> Vec<Value> {
    v.get(key).and_then(Value::as_array).cloned().unwrap_or_default()
}

#[function_component]
pub fn DdosPage() -> Html {
    let state = use_reducer(DdosState::default);
    let worker = use_mut_ref(|| None::<FloodWorker>);
    let on = |field: Field| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Edit(field, text_of(&e))))
    };
    let on_json = |field: Field| {
        let state = state.clone();
        Callback::from(move |v: String| state.dispatch(Action::Edit(field, v)))
    };
    let on_select = |field: Field| {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(Action::Edit(field, select_of(&e))))
    };
    let run = {
        let (state, worker) = (state.clone(), worker.clone());
        Callback::from(move |_: MouseEvent| {
            if state.running_id().is_some() {
                return;
            }
            let request = match state.request() {
                Ok(r) => r,
                Err(e) => return state.dispatch(Action::Refused(e)),
            };
            if worker.borrow().is_none() {
                let dispatcher = state.dispatcher();
                match FloodWorker::start(Callback::from(move |a| dispatcher.dispatch(a))) {
                    Ok(w) => *worker.borrow_mut() = Some(w),
                    Err(e) => return state.dispatch(Action::Refused(e)),
                }
            }
            let id = state.next_id;
            match worker.borrow().as_ref().map(|w| w.run(id, &request)) {
                Some(Ok(())) => state.dispatch(Action::Started(id, request.expected)),
                Some(Err(e)) => state.dispatch(Action::Refused(e)),
                None => {}
            }
        })
    };
    // A run is one call into the engine: cancelling ends its worker (the next run starts another).
    let cancel = {
        let (state, worker) = (state.clone(), worker.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(id) = state.running_id() {
                worker.borrow_mut().take();
                state.dispatch(Action::Cancelled(id));
            }
        })
    };
    let check = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Check))
    };
    let input = |label: &str, id: &str, field: Field, value: &str| {
        html! {
            <label>{ label }{ " " }
                <input id={id.to_owned()} type="text" size="8" value={value.to_owned()} oninput={on(field)} />
            </label>
        }
    };
    let report = match &state.report {
        None => html! { <p class="muted">{ "Run a scenario to see what the rate-based rules do." }</p> },
        Some(Err(e)) => html! { <p class="error" id="ddos-error">{ e }</p> },
        Some(Ok(r)) => html! {
            <>
                if let Some(ms) = state.elapsed_ms {
                    <p id="ddos-elapsed" class="muted">{ format!("Run in {ms:.0} ms in a worker, off this page's thread.") }</p>
                }
                { render_report(r) }
            </>
        },
    };
    let job = match state.job {
        Job::Idle => html! {},
        Job::Running { done, expected, ms, .. } => html! {
            <p id="ddos-progress" role="status">
                <progress max={expected.max(1.0).to_string()} value={done.to_string()} aria-label="requests simulated" />
                { format!(" {done:.0} of about {expected:.0} requests, {:.1} s ", ms / 1000.0) }
                <button id="ddos-cancel" onclick={cancel}>{ "Cancel" }</button>
            </p>
        },
        Job::Cancelled => html! { <p id="ddos-cancelled" class="hint" role="status">{ "Cancelled." }</p> },
    };
    let checklist = match &state.checklist {
        None => html! {},
        Some(Err(e)) => html! { <p class="error" id="ddos-checklist-error">{ e }</p> },
        Some(Ok(c)) => render_checklist(c),
    };
    html! {
        <section class="ddos">
            <h1>{ "WAF: DDoS practice" }</h1>
            <p>
                <a href="#/waf">{ "← WAF" }</a>{ " · " }
                { "A flood is generated on a simulated clock (seeded: the same inputs give the same run) and goes through the web ACL below; rate-based rules count it with their own window, aggregation key and scope-down. " }
                { format!("A run goes to a worker, off the page's thread (up to {PAGE_MAX_REQUESTS} requests from this page; the JS API's FloodSimulator takes up to 5,000,000).") }
            </p>
            <details>
                <summary>{ "Web ACL (wafv2 get-web-acl output or a WebACL)" }</summary>
                <label for="ddos-acl">{ "The web ACL the flood goes through (JSON)" }</label>
                <JsonEditor id="ddos-acl" what="the web ACL" rows={14} value={state.acl.clone()} oninput={on_json(Field::Acl)} />
            </details>
            <fieldset>
                <legend>{ "Scenario" }</legend>
                <label>{ "Kind " }
                    <select id="ddos-kind" onchange={on_select(Field::Kind)}>
                        { for KINDS.iter().map(|(k, label)| html! { <option value={*k} selected={state.kind == *k}>{ *label }</option> }) }
                    </select>
                </label>
                { input("Seconds", "ddos-duration", Field::Duration, &state.duration) }
                { input("Attackers", "ddos-attackers", Field::Attackers, &state.attackers) }
                { input("req/s each", "ddos-attacker-rate", Field::AttackerRate, &state.attacker_rate) }
                { input("Users", "ddos-users", Field::Users, &state.users) }
                { input("req/s each", "ddos-user-rate", Field::UserRate, &state.user_rate) }
                if state.kind == "asnFlood" { { input("ASN", "ddos-asn", Field::Asn, &state.asn) } }
                if state.kind == "countryFlood" { { input("Country", "ddos-country", Field::Country, &state.country) } }
                { input("Seed", "ddos-seed", Field::Seed, &state.seed) }
                <label>{ "Rate model " }
                    <select id="ddos-model" onchange={on_select(Field::Model)}>
                        <option value="periodic" selected={state.model == "periodic"}>{ "AWS: a check every 10 s (default)" }</option>
                        <option value="exact" selected={state.model == "exact"}>{ "Exact sliding window" }</option>
                    </select>
                </label>
                if state.model == "periodic" { { input("Delay s", "ddos-delay", Field::Delay, &state.delay) } }
                <button id="ddos-run" onclick={run} disabled={state.running_id().is_some()}>{ "Run" }</button>
            </fieldset>
            { job }
            <div id="ddos-report">{ report }</div>
            <h2>{ "BP1–BP7: AWS Best Practices for DDoS Resiliency" }</h2>
            <p>{ "Describe the architecture (entry points, origins, web ACLs, DNS); each practice is judged in place, missing or not applicable." }</p>
            <label for="ddos-architecture">{ "Architecture (JSON)" }</label>
            <JsonEditor id="ddos-architecture" what="the architecture" rows={14} value={state.architecture.clone()} oninput={on_json(Field::Architecture)} />
            <div><button id="ddos-check" onclick={check}>{ "Check" }</button></div>
            <div id="ddos-checklist">{ checklist }</div>
        </section>
    }
}

fn render_report(r: &Value) -> Html {
    let c = chart(r, W, H);
    let totals = at(r, "totals");
    let fps = list(r, "falsePositives");
    html! {
        <>
            <p id="ddos-summary">
                { format!(
                    "{} requests ({} attack, {} legitimate): {} allowed, {} blocked, {} challenged, {} counted. Attack requests allowed: {}. Legitimate requests stopped: {} ({} users).",
                    s(at(totals, "requests")), s(at(totals, "attack")), s(at(totals, "legit")), s(at(totals, "allowed")),
                    s(at(totals, "blocked")), s(at(totals, "challenged")), s(at(totals, "counted")), s(at(totals, "attackAllowed")),
                    s(at(totals, "legitStopped")), s(at(r, "falsePositiveUsers"))
                ) }
            </p>
            <svg id="ddos-chart" width={W.to_string()} height={(H + 30.0).to_string()} viewBox={format!("0 0 {W} {}", H + 30.0)} role="img"
                aria-label="allowed and blocked requests per second over time">
                <line x1="0" y1={H.to_string()} x2={W.to_string()} y2={H.to_string()} stroke="#888" />
                <polyline class="allowed" points={c.allowed.clone()} fill="none" stroke="#2a7" stroke-width="1.5" />
                <polyline class="stopped" points={c.stopped.clone()} fill="none" stroke="#c33" stroke-width="1.5" />
                { for c.trips.iter().map(|(x, name, t)| html! {
                    <g class="trip">
                        <line x1={format!("{x:.1}")} y1="0" x2={format!("{x:.1}")} y2={H.to_string()} stroke="#555" stroke-dasharray="4 3" />
                        <text x={format!("{:.1}", x + 3.0)} y="12" font-size="11">{ format!("{name} trips at {t:.1} s") }</text>
                    </g>
                }) }
                <text x="0" y={(H + 14.0).to_string()} font-size="11">{ "0 s" }</text>
                <text x={(W - 40.0).to_string()} y={(H + 14.0).to_string()} font-size="11">{ format!("{} s", c.duration) }</text>
                <text x="4" y={(H + 28.0).to_string()} font-size="11">{ format!("green: allowed/s, red: blocked or challenged/s; top = {:.0} req/s", c.max_rate) }</text>
            </svg>
            <h3>{ "Rate-based rules" }</h3>
            <table id="ddos-rules">
                <tr><th>{ "Rule" }</th><th>{ "Limit / window" }</th><th>{ "Key" }</th><th>{ "Action" }</th><th>{ "First trip (s)" }</th><th>{ "Keys limited" }</th><th>{ "Attack allowed before trip" }</th></tr>
                { for list(r, "rules").iter().map(|x| html! {
                    <tr>
                        <td>{ s(at(x, "name")) }</td>
                        <td>{ format!("{} / {} s{}", s(at(x, "limit")), s(at(x, "windowSec")), if at(x, "scopeDown") == &Value::Bool(true) { ", scoped down" } else { "" }) }</td>
                        <td>{ s(at(x, "aggregate")) }</td>
                        <td>{ s(at(x, "action")) }</td>
                        <td>{ s(at(x, "firstTripSec")) }</td>
                        <td>{ s(at(x, "keysLimited")) }</td>
                        <td>{ s(at(x, "attackAllowedBeforeTrip")) }</td>
                    </tr>
                }) }
            </table>
            <h3>{ "Legitimate users caught (false positives)" }</h3>
            if fps.is_empty() {
                <p id="ddos-fp-none">{ "None." }</p>
            } else {
                <table id="ddos-fp">
                    <tr><th>{ "User" }</th><th>{ "Address" }</th><th>{ "First stopped (s)" }</th><th>{ "Stopped / sent" }</th><th>{ "By" }</th></tr>
                    { for fps.iter().take(200).map(|f| html! {
                        <tr>
                            <td>{ s(at(f, "user")) }</td><td>{ s(at(f, "clientIp")) }</td><td>{ s(at(f, "firstAtSec")) }</td>
                            <td>{ format!("{} / {}", s(at(f, "stopped")), s(at(f, "requests"))) }</td>
                            <td>{ list(f, "rules").iter().map(s).collect::<Vec<_>>().join(", ") }</td>
                        </tr>
                    }) }
                </table>
            }
            <h3>{ "First trips per key" }</h3>
            <table id="ddos-trips">
                <tr><th>{ "Rule" }</th><th>{ "Key" }</th><th>{ "At (s)" }</th><th>{ "Client" }</th><th>{ "Allowed before" }</th></tr>
                { for list(r, "trips").iter().take(50).map(|t| html! {
                    <tr><td>{ s(at(t, "rule")) }</td><td>{ s(at(t, "key")) }</td><td>{ s(at(t, "atSec")) }</td><td>{ s(at(t, "client")) }</td><td>{ s(at(t, "allowedBefore")) }</td></tr>
                }) }
            </table>
            <ul class="notes">{ for list(r, "notes").iter().map(|n| html! { <li>{ s(n) }</li> }) }</ul>
        </>
    }
}

fn render_checklist(c: &Value) -> Html {
    html! {
        <table id="ddos-practices">
            <tr><th>{ "Practice" }</th><th>{ "Status" }</th><th>{ "Why" }</th></tr>
            { for list(c, "practices").iter().map(|p| {
                let status = s(at(p, "status"));
                let label = match status.as_str() { "inPlace" => "in place", "missing" => "missing", _ => "not applicable" };
                html! {
                    <tr class={classes!("practice", status.clone())} data-id={s(at(p, "id"))}>
                        <td>{ format!("{} — {}", s(at(p, "id")), s(at(p, "title"))) }</td>
                        <td class="status">{ label }</td>
                        <td>{ list(p, "reasons").iter().map(s).collect::<Vec<_>>().join(" ") }
                            { " " }<a href={s(at(p, "source"))} rel="noreferrer" target="_blank">{ "source" }</a></td>
                    </tr>
                }
            }) }
        </table>
    }
}
