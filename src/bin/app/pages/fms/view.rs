//! The Firewall Manager page: the clock with "add an account / a resource", the policies, the
//! organisation tree, the per resource status table, the selected resource's merged web ACL and
//! a request evaluated through it, and the two JSON texts. Everything is computed by
//! `secplay::fms`, in the page's worker (`services::fms_worker`) or, when it cannot, in the page's
//! state (`state.rs`); this component renders it, dispatches, and posts each evaluation the state
//! asks for to the worker.

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use super::state::{Action, FmsState, Text, STEP};
use crate::pages::json_editor::JsonEditor;
use crate::services::fms_worker::{FmsWorker, Job};

impl Reducible for FmsState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

fn text_of(e: &InputEvent) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()).map(|a| a.value()).unwrap_or_default()
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default()
}

/// The resource part of an ARN, for tables.
fn short(arn: &str) -> &str {
    arn.splitn(6, ':').nth(5).unwrap_or(arn)
}

fn status_of(r: &Value) -> (&'static str, &'static str, String) {
    let why = |p: &Value| -> String {
        if let Some(m) = p.get("message").and_then(Value::as_str) {
            return format!("{}: {m}", str_at(p, "policyName"));
        }
        let reasons: Vec<&str> = list(p, "reasons").iter().map(|x| str_at(x, "message")).collect();
        format!("{}: {}", str_at(p, "policyName"), reasons.join("; "))
    };
    let policies = list(r, "policies");
    match r.get("compliant").and_then(Value::as_bool) {
        Some(true) => (
            "Compliant",
            "allow",
            policies.iter().filter(|p| p["inScope"] == true).map(why).collect::<Vec<_>>().join(" · "),
        ),
        Some(false) => (
            "Non-compliant",
            "block",
            policies.iter().filter(|p| p["compliant"] == false).map(why).collect::<Vec<_>>().join(" · "),
        ),
        None => ("Out of scope", "count", policies.iter().map(why).collect::<Vec<_>>().join(" · ")),
    }
}

fn web_acl_text(w: &Value) -> String {
    match str_at(w, "source") {
        "none" => "none".to_owned(),
        "own" => format!("{} (the account's own)", str_at(w, "name")),
        "retrofitted" => format!("{} (own, retrofitted by {})", str_at(w, "name"), str_at(w, "policyName")),
        _ => str_at(w, "name").to_owned(),
    }
}

fn tree(v: &Value) -> Html {
    let units = list(v, "units");
    let accounts = list(v, "accounts");
    let resources = list(v, "resources");
    html! {
        <ul class="plain fms-tree" id="fms-tree">
            { for units.iter().map(|u| {
                let id = str_at(u, "id");
                let depth = u.get("depth").and_then(Value::as_u64).unwrap_or(0);
                let here: Vec<&Value> = accounts.iter().filter(|a| {
                    list(a, "path").last().and_then(Value::as_str) == Some(id)
                }).collect();
                html! {
                    <li style={format!("margin-left: {}em", depth * 2)}>
                        <strong>{ format!("{} ", str_at(u, "name")) }</strong><code class="small">{ id }</code>
                        <ul class="plain">
                            { for here.iter().map(|a| {
                                let aid = str_at(a, "id");
                                let n = resources.iter().filter(|r| str_at(r, "accountId") == aid).count();
                                let note = if a["exists"] == true { format!("{n} resources") } else { format!("joins at t={}s", a["joinedAt"]) };
                                html! { <li style="margin-left: 1em">{ format!("{} {} — {note}", str_at(a, "name"), aid) }</li> }
                            }) }
                        </ul>
                    </li>
                }
            }) }
        </ul>
    }
}

fn merged_view(v: &Value) -> Html {
    let Some(m) = v.get("merged") else {
        return html! { <p class="muted">{"Pick a resource in the table to see its web ACL."}</p> };
    };
    let e = v.get("evaluation").unwrap_or(&Value::Null);
    let action = str_at(e, "action");
    let class = if action == "BLOCK" { "block" } else { "allow" };
    let record = e.get("record").unwrap_or(&Value::Null);
    html! {
        <>
            <p>{ format!("{} → web ACL ", short(str_at(m, "resource"))) }<code id="fms-webacl">{ web_acl_text(&m["webAcl"]) }</code>
                if let Some(c) = m.get("capacity").and_then(Value::as_u64) { <span class="muted">{ format!(" · {c} WCUs") }</span> }</p>
            if list(m, "rules").is_empty() {
                <p class="muted">{"No rules: without a web ACL every request reaches the resource."}</p>
            } else {
                <ol id="fms-rules" class="small">
                    { for list(m, "rules").iter().map(|r| html! {
                        <li data-set={str_at(r, "set").to_owned()}>
                            <span class={classes!("badge", match str_at(r, "set") { "first" => "rule", "last" => "count", _ => "allow" })}>{ str_at(r, "set") }</span>
                            {" "}<code>{ str_at(r, "name") }</code>
                            if let Some(g) = r.get("ruleGroup").and_then(Value::as_str) { { format!(" runs {g}") } }
                        </li>
                    }) }
                </ol>
            }
            if !e.is_null() {
                <p id="fms-verdict" data-action={action.to_owned()} data-set={str_at(e, "set").to_owned()}>
                    <span class={classes!("badge", class)}>{ action }</span>
                    { format!(" by {} ({} set)", record.get("terminatingRuleId").and_then(Value::as_str).unwrap_or("no web ACL"),
                        e.get("set").and_then(Value::as_str).unwrap_or("none")) }
                    if let Some(n) = e.get("note").and_then(Value::as_str) { <span class="muted">{ format!(" — {n}") }</span> }
                </p>
                if !record.is_null() {
                    <details><summary>{"The WAF log record with its trace"}</summary>
                        <pre class="small">{ serde_json::to_string_pretty(record).unwrap_or_default() }</pre></details>
                }
            }
        </>
    }
}

#[function_component(FmsPage)]
pub fn fms_page() -> Html {
    let opening = use_memo((), |_| {
        // A link's actions only ask for an evaluation: the one evaluation is posted after the
        // first render.
        super::super::share_bar::Opening::new(
            super::share::open,
            FmsState::unevaluated,
            |mut s: FmsState, a| {
                s.apply(a);
                s
            },
        )
    });
    let state = use_reducer(|| opening.take());
    // Each evaluation the state asks for (the first one after the page's frame, then one per
    // action) is posted to the worker, started at the first; the answer comes back as
    // `Action::Evaluated`. A worker that cannot answer is answered as failed: the state then
    // evaluates on this thread.
    let evaluator = use_mut_ref(|| None::<FmsWorker>);
    {
        let state = state.clone();
        use_effect_with(state.evaluating(), move |evaluating| {
            let Some(id) = *evaluating else { return };
            let dispatcher = state.dispatcher();
            let mut slot = evaluator.borrow_mut();
            if slot.is_none() {
                let d = dispatcher.clone();
                match FmsWorker::start(Callback::from(move |a| d.dispatch(a))) {
                    Ok(w) => *slot = Some(w),
                    Err(e) => return dispatcher.dispatch(Action::Evaluated(id, Err(e))),
                }
            }
            let job = Job {
                id,
                org: &state.org,
                policies: &state.policies,
                request: &state.request,
                clock: state.clock,
                selected: state.selected.as_deref(),
            };
            if let Some(Err(e)) = slot.as_ref().map(|w| w.evaluate(&job)) {
                dispatcher.dispatch(Action::Evaluated(id, Err(e)));
            }
        });
    }
    let busy = state.evaluating().is_some();
    let share_link = {
        let state = state.clone();
        Callback::from(move |()| Ok(super::share::encode(&state)))
    };
    let dispatch = |a: Action| {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(a.clone()))
    };
    let edit = |t: Text| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Edit(t, text_of(&e))))
    };
    let edit_json = |t: Text| {
        let state = state.clone();
        Callback::from(move |v: String| state.dispatch(Action::Edit(t, v)))
    };
    let body = match &state.result {
        // Only before the first result: after it, the last one shows while the next is computed.
        _ if state.pending => html! {
            <section class="card" id="fms-working"><p class="muted" role="status">{"Working…"}</p></section>
        },
        Err(p) => html! {
            <section class="card"><p id="fms-error" class="inline-err" data-code={p.code.clone()}>
                <code>{ &p.code }</code>{" "}{ &p.message }</p></section>
        },
        Ok(v) => {
            let selected = state.selected.clone().unwrap_or_default();
            html! {
                <>
                    <section class="card" id="fms-policies">
                        <h2>{"Policies"}</h2>
                        <table class="kms-audit"><thead><tr><th>{"Policy"}</th><th>{"Region"}</th><th>{"Types"}</th>
                            <th>{"Remediation"}</th><th>{"First → last rule groups"}</th><th>{"In scope"}</th><th>{"Compliant"}</th><th>{"Non-compliant"}</th></tr></thead>
                        <tbody>{ for list(v, "policies").iter().map(|p| html! {
                            <tr><td>{ str_at(p, "policyName") }</td><td>{ str_at(p, "region") }</td>
                                <td class="small">{ list(p, "resourceTypes").iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ") }</td>
                                <td>{ if p["remediationEnabled"] == true { "on" } else { "off" } }</td>
                                <td class="small">{ format!("{} → account rules → {}",
                                    list(p, "firstRuleGroups").iter().map(|g| str_at(g, "name")).collect::<Vec<_>>().join(", "),
                                    list(p, "lastRuleGroups").iter().map(|g| str_at(g, "name")).collect::<Vec<_>>().join(", ")) }</td>
                                <td>{ p["inScope"].to_string() }</td><td>{ p["compliant"].to_string() }</td><td>{ p["nonCompliant"].to_string() }</td></tr>
                        }) }</tbody></table>
                        { for list(v, "warnings").iter().filter_map(Value::as_str).map(|w| html! { <p class="muted small">{ w }</p> }) }
                    </section>
                    <section class="card" id="fms-status-card">
                        <h2>{ format!("Resources at t={}s", state.clock) }</h2>
                        <table class="kms-audit" id="fms-status"><thead><tr><th>{"Resource"}</th><th>{"Account"}</th><th>{"Region"}</th>
                            <th>{"Status"}</th><th>{"Web ACL"}</th><th>{"Why"}</th></tr></thead>
                        <tbody>{ for state.resources().iter().map(|r| {
                            let arn = str_at(r, "arn").to_owned();
                            let (label, class, why) = status_of(r);
                            let onclick = dispatch(Action::Select(arn.clone()));
                            html! {
                                <tr class={classes!("fms-row", (arn == selected).then_some("selected"))} data-arn={arn.clone()} data-status={label} onclick={onclick}>
                                    <td><strong>{ str_at(r, "kind") }</strong><br/><code class="small">{ short(&arn).to_owned() }</code></td>
                                    <td>{ format!("{} {}", str_at(r, "accountName"), str_at(r, "accountId")) }</td>
                                    <td>{ str_at(r, "region") }</td>
                                    <td><span class={classes!("badge", class)}>{ label }</span></td>
                                    <td class="small">{ web_acl_text(&r["webAcl"]) }</td>
                                    <td class="small">{ why }</td>
                                </tr>
                            }
                        }) }</tbody></table>
                        if !list(v, "upcoming").is_empty() {
                            <p class="muted small" id="fms-upcoming">{ format!("Later on the clock: {}",
                                list(v, "upcoming").iter().map(|u| format!("{} at t={}s", short(str_at(u, "arn")), u["since"])).collect::<Vec<_>>().join(", ")) }</p>
                        }
                    </section>
                    <section class="card" id="fms-merged">
                        <h2>{"The resource's web ACL and a request through it"}</h2>
                        <p class="muted small">{"First rule groups, then the account's rules, then last rule groups; within each set by priority."}</p>
                        { merged_view(v) }
                        <label for="fms-request">{"Request (raw HTTP)"}</label>
                        <textarea id="fms-request" class="mono" rows="4" spellcheck="false" value={state.request.clone()} oninput={edit(Text::Request)} />
                    </section>
                    <section class="card" id="fms-org">
                        <h2>{"Organisation"}</h2>
                        { tree(v) }
                    </section>
                </>
            }
        }
    };
    html! {
        <div class="fms-page">
            <h1>{"Firewall Manager"}</h1>
            <super::super::share_bar::ShareBar link={share_link} error={opening.error.clone()}
                holds={"A link holds the organisation, the policies, the request, the clock and the resource open."} />
            <p>{"AWS WAF policies across an organisation: which resources each policy covers and why not, whether they are compliant, \
                 which web ACL they end up with, and how that web ACL — the policy's first rule groups, the account's rules, the last \
                 rule groups — treats a request. Accounts and resources that appear later on the clock are covered at once when \
                 remediation is on, and reported non-compliant when it is off."}</p>
            <section class="card" id="fms-clock">
                <h2 id="fms-time">{ format!("Clock: t={}s", state.clock) }</h2>
                <button id="fms-advance" onclick={dispatch(Action::Advance(STEP))}>{ format!("+{} min", STEP / 60) }</button>{" "}
                <button id="fms-add-account" onclick={dispatch(Action::AddAccount)}>{"Add an account (joins now)"}</button>{" "}
                <button id="fms-add-resource" onclick={dispatch(Action::AddResource)}>{"Add a load balancer to the selected resource's account"}</button>{" "}
                <button id="fms-example" onclick={dispatch(Action::Example)}>{"Back to the example"}</button>
                <ul class="plain small" id="fms-events">{ for state.events.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            </section>
            if busy && !state.pending {
                <p id="fms-evaluating" class="muted small" role="status">{"Evaluating… (what follows is the last result)"}</p>
            }
            <div id="fms-results" aria-busy={busy.then_some("true")}>{ body }</div>
            <section class="card" id="fms-texts">
                <h2>{"The organisation and the policies"}</h2>
                <p class="muted small">{"The organisation: Root → OrganizationalUnits / Accounts → Resources (Arn, Tags, WebACL, CreatedAt), JoinedAt, \
                    WebACLs, ManagedWebACLRules. The policies: `fms get-policy` output, ManagedServiceData as the API writes it."}</p>
                <label for="fms-org-text">{"Organisation (JSON)"}</label>
                <JsonEditor id="fms-org-text" what="the organisation" rows={16} value={state.org.clone()} oninput={edit_json(Text::Org)} />
                <label for="fms-policies-text">{"Firewall Manager policies (JSON)"}</label>
                <JsonEditor id="fms-policies-text" what="the policies" rows={16} value={state.policies.clone()} oninput={edit_json(Text::Policies)} />
            </section>
        </div>
    }
}
