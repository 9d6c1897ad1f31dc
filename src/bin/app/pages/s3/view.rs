//! The S3 replication page: the texts as AWS prints them, the verdict per object and destination,
//! an object's reasons with their documentation links and policy traces, the source →
//! destinations view, the KMS load, and an inventory report evaluated in the worker. Everything is
//! computed by `secplay::s3` in the page's reducer (`state.rs`) or, for a report, by the worker;
//! this component renders the state and dispatches actions.

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::state::{examples, Action, Diagram, Job, Problem, S3State, Text};
use crate::pages::file_drop::use_file_drop;
use crate::pages::json_editor::JsonEditor;
use crate::services::s3_worker::InventoryWorker;

const MIB: f64 = 1024.0 * 1024.0;

fn text_of(e: &InputEvent) -> String {
    let Some(t) = e.target() else { return String::new() };
    if let Some(a) = t.dyn_ref::<HtmlTextAreaElement>() {
        return a.value();
    }
    t.dyn_ref::<HtmlInputElement>().map(HtmlInputElement::value).unwrap_or_default()
}

fn at<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

fn problem_view(p: &Problem, id: &str) -> Html {
    html! {
        <p id={id.to_owned()} class="inline-err"><code>{ &p.code }</code>{" "}{ &p.message }
            if let Some(place) = &p.place { <span class="muted">{ format!(" (in the {place})") }</span> }</p>
    }
}

fn outcome_class(outcome: &str) -> &'static str {
    match outcome {
        "REPLICATED" => "allow",
        "FAILED" => "block",
        _ => "count",
    }
}

/// The deciding reason's code of a destination verdict.
fn decided(d: &Value) -> &str {
    list(at(d, "reasons")).iter().find(|r| at(r, "decided") == true).map(|r| str_at(r, "code")).unwrap_or("")
}

fn encryption_text(e: &Value) -> String {
    if e.is_null() {
        return "none".to_owned();
    }
    let mut s = str_at(e, "type").to_owned();
    if let Some(k) = e.get("kmsKeyArn").and_then(Value::as_str) {
        s = format!("{s} under {k}");
    }
    if at(e, "bucketKeyEnabled") == true {
        s.push_str(", Bucket Key");
    }
    s
}

fn trace_view(t: &Value) -> Html {
    let context: Vec<String> = t
        .get("context")
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| format!("{k} = {}", v.as_str().unwrap_or_default())).collect())
        .unwrap_or_default();
    html! {
        <details class="s3-trace">
            <summary>{ format!("Policy trace: {} on {} → {}", str_at(t, "action"), str_at(t, "resource"), str_at(t, "decision")) }</summary>
            if !context.is_empty() { <p class="small">{"Context S3 sends: "}<code>{ context.join(", ") }</code></p> }
            <ul class="plain small">
                { for list(at(t, "matchedStatements")).iter().map(|m| html! {
                    <li class="decisive">{ format!("{} statement {} ({}) of {}: {}",
                        str_at(m, "policyType"), at(m, "statementIndex"),
                        m.get("sid").and_then(Value::as_str).unwrap_or("no Sid"), str_at(m, "policy"), str_at(m, "effect")) }</li>
                }) }
                { for list(at(t, "trace")).iter().map(|s| html! {
                    <li>{ format!("{} — {}: {}", str_at(s, "subject"), str_at(s, "outcome"), str_at(s, "message")) }</li>
                }) }
            </ul>
        </details>
    }
}

fn reasons_view(object: &Value) -> Html {
    html! {
        <section class="card" id="s3-reasons">
            <h2>{ format!("Why: {}", str_at(object, "key")) }</h2>
            <p class="muted">{ format!("Version {} · source status {}",
                object.get("versionId").and_then(Value::as_str).unwrap_or("(none given)"),
                object.get("sourceStatus").and_then(Value::as_str).unwrap_or("none (not in scope)")) }</p>
            { for list(at(object, "destinations")).iter().map(|d| html! {
                <div class="s3-dest">
                    <h3><span class={classes!("badge", outcome_class(str_at(d, "outcome")))}>{ str_at(d, "outcome") }</span>
                        { format!(" {} (rule {})", str_at(d, "bucket"), d.get("ruleId").and_then(Value::as_str).unwrap_or("none")) }</h3>
                    if at(d, "replicated") == true {
                        <p class="small">{ format!("Replica: {}, owner {}, storage class {}",
                            encryption_text(at(d, "replicaEncryption")),
                            d.get("replicaOwner").and_then(Value::as_str).unwrap_or("?"),
                            d.get("replicaStorageClass").and_then(Value::as_str).unwrap_or("?")) }</p>
                    }
                    <ul class="plain s3-reason-list">
                        { for list(at(d, "reasons")).iter().map(|r| html! {
                            <li class={classes!("s3-reason", (at(r, "decided") == true).then_some("decided"))} data-code={str_at(r, "code").to_owned()}>
                                <code>{ str_at(r, "code") }</code>
                                if at(r, "decided") == true { <span class="badge rule">{"decided"}</span> }
                                {" "}{ str_at(r, "message") }{" "}
                                <a class="doc" href={str_at(r, "doc").to_owned()} target="_blank" rel="noopener noreferrer">{"AWS documentation"}</a>
                                if let Some(t) = r.get("trace") { { trace_view(t) } }
                            </li>
                        }) }
                    </ul>
                </div>
            }) }
        </section>
    }
}

fn diagram_view(d: &Diagram) -> Html {
    html! {
        <section class="card" id="s3-diagram">
            <h2>{"Source → destinations"}</h2>
            <div class="s3-flow">
                <div class="s3-bucket">
                    <strong>{ &d.bucket }</strong>
                    <span class="small">{ format!("{} · {}", d.account, d.region) }</span>
                    <ul class="plain small">{ for d.source_keys.iter().map(|k| html! { <li><code>{ k }</code></li> }) }</ul>
                </div>
                <div class="s3-arrows">
                    { for d.destinations.iter().map(|a| html! {
                        <div class="s3-arrow-row">
                            <div class="s3-arrow">
                                <span class="small">{ if a.rules.is_empty() { "no rule applies".to_owned() } else { format!("rule {}", a.rules.join(", ")) } }</span>
                                <span class="s3-line">{"⟶"}</span>
                                <span class="small">{ format!("{} replicated · {} failed · {} not replicated", a.replicated, a.failed, a.not_replicated) }</span>
                            </div>
                            <div class="s3-bucket" data-bucket={a.bucket.clone()}>
                                <strong>{ &a.bucket }</strong>
                                <span class="small">{ format!("{} · {}", a.account, a.region) }</span>
                                if a.replica_keys.is_empty() {
                                    <span class="small muted">{"no replica yet"}</span>
                                } else {
                                    <ul class="plain small s3-replica-keys">{ for a.replica_keys.iter().map(|k| html! { <li><code>{ k }</code></li> }) }</ul>
                                }
                                if !a.owners.is_empty() { <span class="small">{ format!("replicas owned by {}", a.owners.join(", ")) }</span> }
                            </div>
                        </div>
                    }) }
                </div>
            </div>
        </section>
    }
}

fn kms_load_view(load: &Value) -> Html {
    let regions = list(at(load, "regions"));
    if regions.is_empty() {
        return html! {};
    }
    html! {
        <section class="card" id="s3-kms-load">
            <h2>{"KMS load"}</h2>
            <table class="fields grid">
                <tr><th>{"Account"}</th><th>{"Region"}</th><th>{"Requests per object"}</th><th>{"Requests/s"}</th><th>{"Quota/s"}</th></tr>
                { for regions.iter().map(|r| html! {
                    <tr class={classes!((at(r, "throttles") == true).then_some("err"))}>
                        <td>{ str_at(r, "account") }</td><td>{ str_at(r, "region") }</td>
                        <td>{ at(r, "requestsPerObject").to_string() }</td>
                        <td>{ at(r, "requestsPerSecond").as_f64().map(|n| format!("{n:.0}")).unwrap_or_else(|| "–".into()) }</td>
                        <td>{ at(r, "quota").to_string() }</td>
                    </tr>
                }) }
            </table>
            { for list(at(load, "warnings")).iter().map(|w| html! { <p class="inline-err">{ w.as_str().unwrap_or_default() }</p> }) }
            <p class="hint">{ format!("Quotas as of {}; with S3 Bucket Keys a key is asked about {} as often.",
                str_at(load, "quotasAsOf"), at(load, "bucketKeyFactor")) }</p>
        </section>
    }
}

fn summary_view(result: &Value, total: f64, ms: f64, wasm: f64) -> Html {
    let s = at(result, "summary");
    let rows = at(s, "rows").as_f64().unwrap_or(0.0);
    let rate = if ms > 0.0 { rows / (ms / 1e3) } else { 0.0 };
    let csv = str_at(s, "csv");
    let href = format!("data:text/csv;charset=utf-8,{}", String::from(js_sys::encode_uri_component(csv)));
    let mut prefixes = list(at(s, "prefixes")).to_vec();
    prefixes.truncate(20);
    html! {
        <div id="s3-inventory-summary" data-rows={rows.to_string()}>
            <p>{ format!("{rows} rows ({:.1} MiB) in {:.1} s, {rate:.0} rows/s; {} distinct cases evaluated{}; wasm memory {:.1} MiB.",
                total / MIB, ms / 1e3, at(s, "evaluated"),
                if at(s, "memoised") == true { " (the rest memoised)" } else { " (a policy names the object, so every row is evaluated)" },
                wasm / MIB) }</p>
            { for list(at(result, "configurationErrors")).iter().map(|e| html! {
                <p class="inline-err"><code>{ str_at(e, "code") }</code>{" "}{ str_at(e, "message") }</p>
            }) }
            <div class="grid2">
                <table class="fields grid" id="s3-inventory-outcomes">
                    <tr><th>{"Destination"}</th><th>{"Outcome"}</th><th>{"Objects"}</th></tr>
                    { for list(at(s, "outcomes")).iter().map(|o| html! {
                        <tr><td>{ str_at(o, "destination") }</td><td>{ str_at(o, "outcome") }</td><td>{ at(o, "count").to_string() }</td></tr>
                    }) }
                </table>
                <table class="fields grid" id="s3-inventory-reasons">
                    <tr><th>{"Destination"}</th><th>{"Deciding reason"}</th><th>{"Objects"}</th></tr>
                    { for list(at(s, "reasons")).iter().map(|o| html! {
                        <tr><td>{ str_at(o, "destination") }</td><td><code>{ str_at(o, "code") }</code></td><td>{ at(o, "count").to_string() }</td></tr>
                    }) }
                </table>
            </div>
            <table class="fields grid">
                <tr><th>{"Prefix"}</th><th>{"Replicated"}</th><th>{"Not replicated"}</th><th>{"Failed"}</th></tr>
                { for prefixes.iter().map(|p| html! {
                    <tr><td><code>{ str_at(p, "prefix") }</code></td><td>{ at(p, "replicated").to_string() }</td>
                        <td>{ at(p, "notReplicated").to_string() }</td><td>{ at(p, "failed").to_string() }</td></tr>
                }) }
            </table>
            <a id="s3-inventory-download" class="button" href={href} download="replication-summary.csv">{"Download the summary (CSV)"}</a>
        </div>
    }
}

#[function_component]
pub fn S3Page() -> Html {
    let opening = use_memo((), |_| {
        super::super::share_bar::Opening::new(super::share::open, S3State::default, S3State::reduce)
    });
    let state = use_reducer(|| opening.take());
    let share_link = {
        let state = state.clone();
        Callback::from(move |()| Ok(super::share::encode(&state)))
    };
    let file = use_mut_ref(|| None::<File>);
    let worker = use_mut_ref(|| None::<InventoryWorker>);
    let setup_error = use_state(|| None::<Problem>);

    let on = |text: Text| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Edit(text, text_of(&e))))
    };
    let choose = {
        let (file, state) = (file.clone(), state.clone());
        Rc::new(move |f: File| {
            state.dispatch(Action::Chosen(f.name(), f.size()));
            *file.borrow_mut() = Some(f);
        }) as Rc<dyn Fn(File)>
    };
    let zone = use_file_drop(choose);
    let on_run = {
        let (state, file, worker, setup_error) =
            (state.clone(), file.clone(), worker.clone(), setup_error.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(f) = file.borrow().clone() else { return };
            let input = match state.inventory_input() {
                Ok(i) => i,
                Err(p) => return setup_error.set(Some(p)),
            };
            setup_error.set(None);
            if worker.borrow().is_none() {
                let dispatcher = state.dispatcher();
                match InventoryWorker::start(Callback::from(move |a| dispatcher.dispatch(a))) {
                    Ok(w) => *worker.borrow_mut() = Some(w),
                    Err(e) => return setup_error.set(Some(e)),
                }
            }
            // The id the reducer gives this job (it counts from the state we start from).
            let id = state.next_id.saturating_add(1);
            state.dispatch(Action::Start);
            if let Some(Err(e)) = worker.borrow().as_ref().map(|w| w.run(id, &f, input)) {
                state.dispatch(Action::Failed(id, e));
            }
        })
    };
    let on_cancel = {
        let (state, worker, setup_error) = (state.clone(), worker.clone(), setup_error.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(id) = state.running_id() else { return };
            if let Some(Err(e)) = worker.borrow().as_ref().map(|w| w.cancel(id)) {
                setup_error.set(Some(e));
            }
        })
    };

    let example = state.example.and_then(|i| examples().get(i));
    let names: Vec<String> = state
        .result
        .as_ref()
        .ok()
        .map(|r| list(at(r, "destinations")).iter().filter_map(|d| d.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let verdicts = state.verdicts();
    let running = state.running_id().is_some();
    let edit = |text: Text| {
        let state = state.clone();
        Callback::from(move |t: String| state.dispatch(Action::Edit(text, t)))
    };
    let textarea = |t: Text, id: &'static str, rows: u32, hint: &'static str| {
        html! {
            <>
                <label for={id}>{ hint }</label>
                <JsonEditor id={id} what={format!("the {} JSON", id.trim_start_matches("s3-"))} rows={rows} value={state.text(t).to_owned()} oninput={edit(t)} />
            </>
        }
    };

    html! {
        <article class="s3">
            <h1>{"S3 replication"}</h1>
            <super::super::share_bar::ShareBar link={share_link} error={opening.error.clone()}
                holds={"A link holds every text of the page (as AWS prints them); not an inventory file."} />
            <p class="lede">{"Paste a replication configuration as "}<code>{"aws s3api get-bucket-replication"}</code>
                {" prints it, the buckets, the replication role's policies, the KMS keys with their policies, and the \
                objects. For each object and destination the page says what S3 would do — replicate it, under which \
                rule, encryption, key and owner, or why not — before anything is set up."}</p>

            <section class="card">
                <h2>{"Examples from the notes"}</h2>
                <div class="examples">
                    { for examples().iter().enumerate().map(|(i, e)| {
                        let state = state.clone();
                        html! { <button class="example" data-example={e.id.clone()} onclick={Callback::from(move |_: MouseEvent| state.dispatch(Action::Example(i)))}>{ &e.title }</button> }
                    }) }
                </div>
                if let Some(e) = example {
                    <p class="muted" id="s3-note">{ &e.note }{" "}<a href={e.doc.clone()} target="_blank" rel="noopener noreferrer">{"AWS documentation"}</a></p>
                }
            </section>

            <section class="card warn" id="s3-notes-outdated">
                <h2>{"Where the notes are out of date"}</h2>
                <ul>
                    <li>{"The notes say SSE-C objects never replicate: S3 replicates them since late 2022."}</li>
                    <li>{"Buckets created since April 2026 block SSE-C by default (blockedEncryptionTypes): \
                        replicating an SSE-C object into such a bucket fails (SSE_C_BLOCKED)."}</li>
                    <li>{"With S3 Bucket Keys the encryption context S3 sends KMS is the bucket ARN, not the object \
                        ARN: key policy and role conditions must name the bucket."}</li>
                    <li>{"Unencrypted objects do not stay unencrypted: since January 2023 every bucket encrypts by \
                        default, so a replica takes the destination's default encryption."}</li>
                </ul>
            </section>

            <div class="grid2">
                <section class="card">
                    <h2>{"Configuration and buckets"}</h2>
                    { textarea(Text::Replication, "s3-replication", 14, "Replication configuration (get-bucket-replication output)") }
                    { textarea(Text::Source, "s3-source", 8, "Source bucket: {bucket, account, region, versioning, encryption?, blockedEncryptionTypes?}") }
                    { textarea(Text::Destinations, "s3-destinations", 8, "Destination buckets: [{bucket, account, region, versioning, ownership?, bucketPolicy?, …}]") }
                </section>
                <section class="card">
                    <h2>{"Role, keys and objects"}</h2>
                    { textarea(Text::Roles, "s3-roles", 10, "Roles: {\"<role ARN>\": {policies: [...], trustPolicy?, permissionsBoundary?}}") }
                    { textarea(Text::Keys, "s3-keys", 8, "KMS keys: [{arn, keySpec?, multiRegion?, enabled?, policy}]") }
                    { textarea(Text::Objects, "s3-objects", 8, "Objects: [{key, encryption?, kmsKeyArn?, bucketKeyEnabled?, storageClass?, isReplica?, …}]") }
                    <label>{"New objects per second (for the KMS load) "}
                        <input id="s3-rate" class="narrow" value={state.rate.clone()} oninput={on(Text::Rate)} /></label>
                </section>
            </div>

            if let Err(p) = &state.result { { problem_view(p, "s3-error") } }
            if !state.configuration_errors().is_empty() {
                <section class="card err" id="s3-config-errors">
                    <h2>{"PutBucketReplication would reject this configuration"}</h2>
                    <ul class="plain">
                        { for state.configuration_errors().iter().map(|e| html! {
                            <li data-code={str_at(e, "code").to_owned()}><code>{ str_at(e, "code") }</code>{" "}{ str_at(e, "message") }
                                <span class="muted">{ format!(" at {}", str_at(e, "pointer")) }</span></li>
                        }) }
                    </ul>
                </section>
            }

            if let Some(d) = state.diagram() { { diagram_view(&d) } }

            if state.result.is_ok() {
                <section class="card" id="s3-verdicts">
                    <h2>{"Objects"}</h2>
                    <table class="fields grid s3-objects" id="s3-objects">
                        <tr><th>{"Key"}</th><th>{"Source status"}</th>
                            { for names.iter().map(|n| html! { <th>{ n }</th> }) }</tr>
                        { for verdicts.iter().enumerate().map(|(i, o)| {
                            let select = { let state = state.clone(); Callback::from(move |_: MouseEvent| state.dispatch(Action::Select(i))) };
                            html! {
                                <tr class={classes!("s3-row", (i == state.selected).then_some("selected"))} data-index={i.to_string()} onclick={select}>
                                    <td><button class="link">{ str_at(o, "key") }</button></td>
                                    <td>{ o.get("sourceStatus").and_then(Value::as_str).unwrap_or("—") }</td>
                                    { for list(at(o, "destinations")).iter().map(|d| html! {
                                        <td class="s3-verdict"><span class={classes!("badge", outcome_class(str_at(d, "outcome")))}>{ str_at(d, "outcome") }</span>
                                            {" "}<code>{ decided(d) }</code></td>
                                    }) }
                                </tr>
                            }
                        }) }
                    </table>
                    if verdicts.is_empty() { <p class="muted">{"No objects: add some above, or drop an inventory report below."}</p> }
                </section>
            }
            if let Some(o) = verdicts.get(state.selected) { { reasons_view(o) } }
            if let Ok(r) = &state.result { { kms_load_view(at(r, "kmsLoad")) } }

            <section class="card" id="s3-inventory">
                <h2>{"An S3 Inventory report"}</h2>
                <p class="muted">{"Drop the report's CSV (decompressed) and give its manifest's fileSchema: a worker \
                    reads it in 1 MiB slices against the configuration above, so memory stays flat whatever its size. \
                    The file never leaves this computer."}</p>
                <label for="s3-schema">{"fileSchema (from manifest.json)"}</label>
                <input id="s3-schema" class="mono wide" value={state.schema.clone()} oninput={on(Text::Schema)} />
                <label for="s3-inventory-file" id="s3-drop" class={classes!("drop", zone.dragging.then_some("over"))}
                    ondrop={zone.on_drop} ondragover={zone.on_drag_over} ondragleave={zone.on_drag_leave}>
                    <input id="s3-inventory-file" type="file" accept=".csv,text/csv" onchange={zone.on_change} />
                    { match &state.chosen {
                        Some((name, size)) => html! { <span id="s3-inventory-chosen"><strong>{ name }</strong>{ format!(" · {:.1} MiB", size / MIB) }</span> },
                        None => html! { <span>{"Drop an inventory CSV here, or click to choose one"}</span> },
                    } }
                </label>
                <div class="row">
                    <button id="s3-inventory-run" class="primary" onclick={on_run} disabled={running || state.chosen.is_none()}>{"Evaluate the report"}</button>
                    <button id="s3-inventory-cancel" onclick={on_cancel} disabled={!running}>{"Cancel"}</button>
                </div>
                if let Some(p) = &*setup_error { { problem_view(p, "s3-inventory-error") } }
                { match &state.job {
                    Job::Idle => html! {},
                    Job::Running { done, total, ms, wasm, .. } => html! {
                        <div class="job" id="s3-inventory-progress">
                            <progress max={total.to_string()} value={done.to_string()} />
                            <span>{ format!(" {:.1} of {:.1} MiB, {:.1} s; wasm memory {:.1} MiB", done / MIB, total / MIB, ms / 1e3, wasm / MIB) }</span>
                        </div>
                    },
                    Job::Done { result, total, ms, wasm } => summary_view(result, *total, *ms, *wasm),
                    Job::Failed(p) => problem_view(p, "s3-inventory-error"),
                    Job::Cancelled => html! { <p class="hint" id="s3-inventory-cancelled">{"Cancelled."}</p> },
                } }
            </section>
        </article>
    }
}
