//! The replay tab's component: the edited web ACL, the log (a file or the example), the replay's
//! progress with Cancel, and its difference against what AWS logged. A sample opens with the WAF
//! tab's trace view. Renders `ReplayState` and dispatches actions; the worker is
//! `services::waf_replay_worker`.

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::JsValue;
use web_sys::{Blob, BlobPropertyBag, File};
use yew::prelude::*;

use super::example::{example_log, EXAMPLE_RECORDS};
use super::state::{Action, Job, Progress, ReplayState, Source, Text};
use crate::pages::file_drop::use_file_drop;
use crate::pages::json_editor::JsonEditor;
use crate::pages::waf::state::Problem;
use crate::pages::waf::view::trace_view;
use crate::services::waf_replay_worker::ReplayWorker;

const MIB: f64 = 1024.0 * 1024.0;

fn at<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn problem_view(p: &Problem, id: &'static str) -> Html {
    html! { <p {id} class="inline-err" data-code={p.code.clone()}><code>{ &p.code }</code>{" "}{ &p.message }
    if let Some(place) = &p.place { <span class="muted">{ format!(" ({place})") }</span> }</p> }
}

/// A size in MiB, or KiB below one MiB.
fn size(bytes: f64) -> String {
    if bytes < MIB {
        format!("{:.1} KiB", bytes / 1024.0)
    } else {
        format!("{:.1} MiB", bytes / MIB)
    }
}

fn progress_line(p: &Progress) -> String {
    let mut s = format!("{} records", p.records);
    if p.total > 0.0 {
        s += &format!(", {} of {}", size(p.bytes), size(p.total));
    }
    s += &format!(
        ", {:.1} s, {:.0} records/s; worker wasm memory {:.1} MiB",
        p.ms / 1e3,
        p.rate(),
        p.wasm / MIB
    );
    if p.heap > 0.0 {
        s += &format!(", JS heap {:.1} MiB", p.heap / MIB);
    }
    if p.bad_lines > 0.0 {
        s += &format!("; {} bad lines", p.bad_lines);
    }
    s
}

/// The figures a benchmark reads, as data attributes.
fn progress_attrs(p: &Progress) -> [(&'static str, String); 6] {
    [
        ("records", p.records.to_string()),
        ("ms", p.ms.to_string()),
        ("bytes", p.bytes.to_string()),
        ("wasm", p.wasm.to_string()),
        ("idle-wasm", p.idle_wasm.to_string()),
        ("heap", p.heap.to_string()),
    ]
}

const HEADLINE: [(&str, &str); 8] = [
    ("records", "records"),
    ("unchanged", "unchanged"),
    ("newlyBlocked", "newly blocked"),
    ("newlyAllowed", "newly allowed"),
    ("otherChanges", "other changes"),
    ("labelsChanged", "labels changed"),
    ("unjudged", "reached an unjudged rule"),
    ("badLines", "bad lines"),
];

fn result_view(r: &Value, progress: &Progress, on_select: Callback<usize>) -> Html {
    let [a, b, c, d, e, f] = progress_attrs(progress);
    let unjudged: Vec<&Value> =
        list(at(r, "perRule")).iter().filter(|x| at(x, "unjudged").is_string()).collect();
    html! {
        <div id="waf-replay-result" data-records={a.1} data-ms={b.1} data-bytes={c.1} data-wasm={d.1} data-idle-wasm={e.1} data-heap={f.1}>
            <p id="waf-replay-done" class="muted">{ format!("Done: {}.", progress_line(progress)) }</p>
            <table class="trace" id="waf-replay-counts"><tbody>
                { for HEADLINE.iter().map(|(key, label)| html! {
                    <tr data-key={*key}><th>{ *label }</th><td class="num">{ text(at(r, key)) }</td></tr>
                }) }
            </tbody></table>
            if !list(at(r, "transitions")).is_empty() {
                <p id="waf-replay-transitions">{"Action changes: "}
                    { for list(at(r, "transitions")).iter().map(|t| html! {
                        <span class="transition">
                            <span class={classes!("badge", text(at(t, "from")).to_ascii_lowercase())}>{ text(at(t, "from")) }</span>{" → "}
                            <span class={classes!("badge", text(at(t, "to")).to_ascii_lowercase())}>{ text(at(t, "to")) }</span>
                            { format!(" {}  ", text(at(t, "count"))) }</span>
                    }) }</p>
            }
            <h3>{"Per rule"}</h3>
            <table class="trace" id="waf-replay-rules">
                <thead><tr><th>{"rule"}</th><th>{"matched in the log"}</th><th>{"matched now"}</th><th>{"gained"}</th><th>{"lost"}</th></tr></thead>
                <tbody>{ for list(at(r, "perRule")).iter().map(|x| html! {
                    <tr data-rule={text(at(x, "ruleId"))} class={classes!(at(x, "unjudged").is_string().then_some("unjudged"))}>
                        <td class="mono">{ text(at(x, "ruleId")) }{ if at(x, "unjudged").is_string() { " (unjudged)" } else { "" } }</td>
                        <td class="num">{ text(at(x, "matchedBefore")) }</td><td class="num">{ text(at(x, "matchedAfter")) }</td>
                        <td class="num">{ text(at(x, "gained")) }</td><td class="num">{ text(at(x, "lost")) }</td>
                    </tr>
                }) }</tbody>
            </table>
            if !unjudged.is_empty() {
                <h3>{"Rules the log cannot judge"}</h3>
                <ul id="waf-replay-unjudged">{ for unjudged.iter().map(|x| html! {
                    <li data-rule={text(at(x, "ruleId"))}><code>{ text(at(x, "ruleId")) }</code>{": "}{ text(at(x, "unjudged")) }</li>
                }) }</ul>
            }
            <div class="grid2">
                <div>
                    <h3>{"Per client"}</h3>
                    <table class="trace" id="waf-replay-clients">
                        <thead><tr><th>{"client"}</th><th>{"records"}</th><th>{"changed"}</th><th>{"newly blocked"}</th><th>{"newly allowed"}</th></tr></thead>
                        <tbody>{ for list(at(r, "perClient")).iter().map(|x| html! {
                            <tr data-client={text(at(x, "clientIp"))}><td class="mono">{ text(at(x, "clientIp")) }</td>
                                <td class="num">{ text(at(x, "records")) }</td><td class="num">{ text(at(x, "changed")) }</td>
                                <td class="num">{ text(at(x, "newlyBlocked")) }</td><td class="num">{ text(at(x, "newlyAllowed")) }</td></tr>
                        }) }</tbody>
                    </table>
                    <p class="muted">{ format!("{} clients counted one by one", text(at(r, "clientsCounted"))) }
                        { match at(at(r, "clientsOverflow"), "records").as_u64() {
                            Some(n) if n > 0 => format!("; {n} records from further clients counted together"),
                            _ => String::new(),
                        } }</p>
                </div>
                <div>
                    <h3>{"Labels"}</h3>
                    <table class="trace" id="waf-replay-labels">
                        <thead><tr><th>{"label"}</th><th>{"added"}</th><th>{"removed"}</th></tr></thead>
                        <tbody>{ for list(at(r, "labels")).iter().map(|x| html! {
                            <tr><td class="mono">{ text(at(x, "label")) }</td><td class="num">{ text(at(x, "added")) }</td><td class="num">{ text(at(x, "removed")) }</td></tr>
                        }) }</tbody>
                    </table>
                </div>
            </div>
            <h3>{"Samples"}</h3>
            <p class="muted">{"Changed requests (the first ones of the log). Click one to see what the web ACL now does with it."}</p>
            <table class="trace" id="waf-replay-samples">
                <thead><tr><th>{"line"}</th><th>{"request id"}</th><th>{"logged"}</th><th>{"now"}</th><th>{"labels"}</th></tr></thead>
                <tbody>{ for list(at(r, "samples")).iter().enumerate().map(|(i, s)| {
                    let on_select = on_select.clone();
                    let labels: Vec<String> = list(at(s, "labelsAdded")).iter().map(|l| format!("+{}", text(l)))
                        .chain(list(at(s, "labelsRemoved")).iter().map(|l| format!("−{}", text(l)))).collect();
                    html! {
                    <tr class="sample" data-index={i.to_string()} onclick={Callback::from(move |_: MouseEvent| on_select.emit(i))}>
                        <td class="num">{ text(at(s, "line")) }</td>
                        <td class="mono"><button class="sample-open">{ at(s, "requestId").as_str().unwrap_or("(none)").to_owned() }</button></td>
                        <td><span class={classes!("badge", text(at(s, "actionLogged")).to_ascii_lowercase())}>{ text(at(s, "actionLogged")) }</span>
                            {" "}<code>{ text(at(s, "ruleLogged")) }</code></td>
                        <td><span class={classes!("badge", text(at(s, "actionNow")).to_ascii_lowercase())}>{ text(at(s, "actionNow")) }</span>
                            {" "}<code>{ text(at(s, "ruleNow")) }</code></td>
                        <td class="mono">{ labels.join(" ") }</td>
                    </tr>
                } }) }</tbody>
            </table>
            if !list(at(r, "errors")).is_empty() {
                <h3>{"Lines that are not records"}</h3>
                <ul id="waf-replay-errors">{ for list(at(r, "errors")).iter().map(|e| html! {
                    <li><code>{ text(at(e, "code")) }</code>{ format!(" line {}: {}", text(at(e, "line")), text(at(e, "message"))) }</li>
                }) }</ul>
            }
            <ul class="muted" id="waf-replay-notes">{ for list(at(r, "notes")).iter().map(|n| html! { <li>{ text(n) }</li> }) }</ul>
        </div>
    }
}

fn sample_view(sample: &Value, record: &Result<Value, Problem>) -> Html {
    let req = at(sample, "request");
    html! {
        <section class="card" id="waf-replay-trace" data-request-id={text(at(sample, "requestId"))}>
            <h2>{ format!("Sample: line {}", text(at(sample, "line"))) }</h2>
            <p class="mono">{ format!("{} {}  from {}", text(at(req, "method")), text(at(req, "uri")), text(at(req, "clientIp"))) }</p>
            <p>{"AWS logged "}<span class={classes!("badge", text(at(sample, "actionLogged")).to_ascii_lowercase())}>{ text(at(sample, "actionLogged")) }</span>
                {" by "}<code>{ text(at(sample, "ruleLogged")) }</code>{"; in the replay "}
                <span class={classes!("badge", text(at(sample, "actionNow")).to_ascii_lowercase())}>{ text(at(sample, "actionNow")) }</span>
                {" by "}<code>{ text(at(sample, "ruleNow")) }</code>{"."}</p>
            <p class="muted">{"Below, this request evaluated alone by the web ACL the replay ran with: rate-based rules see only it \
                (in the replay they counted every record before it), and the body is empty (AWS WAF logs carry none)."}</p>
            { match record {
                Ok(r) => html! { <>
                    <p id="waf-replay-verdict">
                        <span class={classes!("badge", text(at(r, "action")).to_ascii_lowercase())}>{ text(at(r, "action")) }</span>
                        {" by "}<code>{ text(at(r, "terminatingRuleId")) }</code></p>
                    { trace_view(r, "waf-replay") }
                </> },
                Err(p) => problem_view(p, "waf-replay-trace-error"),
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ReplayProps {
    /// Whether the tab is showing.
    pub visible: bool,
    /// The WAF tab's ACL and resources, and whether they are what that tab opened with.
    pub waf_acl: String,
    pub waf_resources: String,
    pub waf_untouched: bool,
}

fn example_blob() -> Result<Blob, Problem> {
    let parts = js_sys::Array::of1(&JsValue::from_str(&example_log()));
    let opts = BlobPropertyBag::new();
    opts.set_type("application/x-ndjson");
    Blob::new_with_str_sequence_and_options(&parts, &opts).map_err(|_| Problem {
        code: "WorkerFailed".into(),
        message: "could not make the example log".into(),
        place: None,
        ..Problem::default()
    })
}

#[function_component]
pub fn ReplayTab(props: &ReplayProps) -> Html {
    let state = use_reducer(ReplayState::default);
    let file = use_mut_ref(|| None::<File>);
    let worker = use_mut_ref(|| None::<ReplayWorker>);
    let setup_error = use_state(|| None::<Problem>);
    // Opening the tab takes the WAF tab's ACL when the user loaded or edited one there (and has not
    // edited this tab's copy); otherwise the example ACL stays for the example log.
    {
        let state = state.clone();
        let key = (props.visible, props.waf_acl.clone(), props.waf_resources.clone(), props.waf_untouched);
        use_effect_with(key, move |(visible, acl, resources, untouched)| {
            if *visible
                && !*untouched
                && !state.edited
                && (state.acl != *acl || state.resources != *resources)
            {
                state.dispatch(Action::UseAcl(acl.clone(), resources.clone()));
            }
        });
    }
    let on = |t: Text| {
        let state = state.clone();
        Callback::from(move |v: String| state.dispatch(Action::Edit(t, v)))
    };
    let choose = {
        let (file, state) = (file.clone(), state.clone());
        Rc::new(move |f: File| {
            state.dispatch(Action::Chosen(f.name(), f.size()));
            *file.borrow_mut() = Some(f);
        }) as Rc<dyn Fn(File)>
    };
    let zone = use_file_drop(choose);
    let start = {
        let (state, file, worker, setup_error) =
            (state.clone(), file.clone(), worker.clone(), setup_error.clone());
        move |example: bool| {
            let (blob, source) = if example {
                match example_blob() {
                    Ok(b) => (b, Source::Example),
                    Err(p) => return setup_error.set(Some(p)),
                }
            } else {
                let Some(f) = file.borrow().clone() else { return };
                let source = Source::File(f.name(), f.size());
                (Blob::from(f), source)
            };
            if let Some(p) = state.acl_problem() {
                return setup_error.set(Some(p));
            }
            setup_error.set(None);
            if worker.borrow().is_none() {
                let dispatcher = state.dispatcher();
                match ReplayWorker::start(Callback::from(move |a| dispatcher.dispatch(a))) {
                    Ok(w) => *worker.borrow_mut() = Some(w),
                    Err(e) => return setup_error.set(Some(e)),
                }
            }
            // The id the reducer gives this replay (it counts from the state we start from).
            let id = state.next_id.saturating_add(1);
            state.dispatch(Action::Start(source));
            let options = ReplayState::options().to_string();
            let sent = worker
                .borrow()
                .as_ref()
                .map(|w| w.run(id, &blob, state.acl.clone(), state.resources.clone(), options));
            if let Some(Err(e)) = sent {
                state.dispatch(Action::Failed(id, e));
            }
        }
    };
    let on_example = {
        let start = start.clone();
        Callback::from(move |_: MouseEvent| start(true))
    };
    let on_run = Callback::from(move |_: MouseEvent| start(false));
    let on_cancel = {
        let (state, worker, setup_error) = (state.clone(), worker.clone(), setup_error.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(id) = state.running_id() else { return };
            if let Some(Err(e)) = worker.borrow().as_ref().map(|w| w.cancel(id)) {
                setup_error.set(Some(e));
            }
        })
    };
    let on_use_waf = {
        let (state, acl, resources) = (state.clone(), props.waf_acl.clone(), props.waf_resources.clone());
        Callback::from(move |_: MouseEvent| state.dispatch(Action::UseAcl(acl.clone(), resources.clone())))
    };
    let on_example_acl = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::ExampleAcl))
    };
    let on_select = {
        let state = state.clone();
        Callback::from(move |i: usize| state.dispatch(Action::Select(i)))
    };
    let running = state.running_id().is_some();
    // Built once per text of this tab, not at each render (the WAF tab's edits render this tab).
    let acl_problem = {
        let s = state.clone();
        use_memo((state.acl.clone(), state.resources.clone()), move |_| s.acl_problem())
    };
    let source = match &state.source {
        Some(Source::Example) => "the example log".to_owned(),
        Some(Source::File(name, _)) => name.clone(),
        None => String::new(),
    };

    html! {
        <div class="waf-replay">
            <p class="lede">{"Replay an AWS WAF log through an edited web ACL and see what the change would have done: \
                requests newly blocked or allowed, per rule and per client, with samples to open. Give the log as AWS \
                writes it (JSON lines, the gzip files AWS delivers to S3, or a CloudWatch Logs export) or the playground's \
                own records. A worker reads it in 1 MiB slices, so its memory stays flat whatever the size; the file never \
                leaves this computer."}</p>
            <div class="grid2">
                <section class="card">
                    <h2>{"Edited web ACL"}</h2>
                    <div class="row">
                        <button id="waf-replay-use-waf" onclick={on_use_waf}>{"Use the WAF tab's ACL"}</button>{" "}
                        <button id="waf-replay-example-acl" onclick={on_example_acl}>{"The example's ACL"}</button>
                    </div>
                    <label for="waf-replay-acl">{"WebACL JSON (or the whole get-web-acl output)"}</label>
                    <JsonEditor id="waf-replay-acl" what="the edited web ACL" rows={16} value={state.acl.clone()} oninput={on(Text::Acl)} />
                    <label for="waf-replay-resources">{"Resources: { ipSets, regexPatternSets, ruleGroups }"}</label>
                    <JsonEditor id="waf-replay-resources" what="the resources" rows={3} value={state.resources.clone()} oninput={on(Text::Resources)} />
                    if let Some(p) = &*acl_problem { { problem_view(p, "waf-replay-acl-error") } }
                </section>
                <section class="card">
                    <h2>{"Log"}</h2>
                    <p class="muted">{ format!("The example: {EXAMPLE_RECORDS} records made from the AWS documentation's log \
                        examples (a rate-based block, a default allow, a managed rule group block, a CAPTCHA), for the \
                        example's ACL (the rate limit lowered to 10, the CAPTCHA made a CHALLENGE, the managed group left \
                        out, a body size rule added).") }</p>
                    <button id="waf-replay-example" class="primary" onclick={on_example} disabled={running}>{"Replay the example log"}</button>
                    <label for="waf-replay-file" id="waf-replay-drop" class={classes!("drop", zone.dragging.then_some("over"))}
                        ondrop={zone.on_drop} ondragover={zone.on_drag_over} ondragleave={zone.on_drag_leave}>
                        <input id="waf-replay-file" type="file" accept=".gz,.log,.json,.jsonl,.txt,application/gzip,application/json" onchange={zone.on_change} />
                        { match &state.chosen {
                            Some((name, bytes)) => html! { <span id="waf-replay-chosen"><strong>{ name }</strong>{ format!(" · {}", size(*bytes)) }</span> },
                            None => html! { <span>{"Drop a WAF log here (gzip or not), or click to choose one"}</span> },
                        } }
                    </label>
                    <div class="row">
                        <button id="waf-replay-run" class="primary" onclick={on_run} disabled={running || state.chosen.is_none()}>{"Replay the file"}</button>{" "}
                        <button id="waf-replay-cancel" onclick={on_cancel} disabled={!running}>{"Cancel"}</button>
                    </div>
                    if let Some(p) = &*setup_error { { problem_view(p, "waf-replay-error") } }
                    { match &state.job {
                        Job::Idle | Job::Done { .. } => html! {},
                        Job::Running { progress, .. } => {
                            let [a, b, c, d, e, f] = progress_attrs(progress);
                            html! {
                            <div class="job" id="waf-replay-progress" data-records={a.1} data-ms={b.1} data-bytes={c.1} data-wasm={d.1} data-idle-wasm={e.1} data-heap={f.1}>
                                if progress.total > 0.0 { <progress max={progress.total.to_string()} value={progress.bytes.to_string()} /> }
                                <span>{ format!("{source}: {}", progress_line(progress)) }</span>
                            </div>
                        } }
                        Job::Failed(p) => problem_view(p, "waf-replay-error"),
                        Job::Cancelled => html! { <p class="hint" id="waf-replay-cancelled">{"Cancelled."}</p> },
                    } }
                </section>
            </div>
            if let Job::Done { result, progress, .. } = &state.job {
                <section class="card">
                    <h2>{ format!("The difference: {source}") }</h2>
                    { result_view(result, progress, on_select) }
                </section>
                if let Some((i, record)) = &state.selected {
                    if let Some(sample) = list(at(result, "samples")).get(*i) { { sample_view(sample, record) } }
                }
            }
        </div>
    }
}
