//! The scanner page: the text with its findings highlighted and masked in place, the findings
//! table, the Macie-shaped finding, and a dropped file scanned in the worker with progress and
//! cancel. Everything is computed by `secplay::scan` in the reducer (`state.rs`) or, for a file,
//! by the worker; this component renders the state and dispatches actions.

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlTextAreaElement};
use yew::prelude::*;

use super::state::{Action, Job, Problem, ScanState, Segment, EXAMPLES};
use crate::pages::file_drop::use_file_drop;
use crate::services::scan_worker::ScanWorker;

const MIB: f64 = 1024.0 * 1024.0;

fn str_at<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn num_at(v: &Value, path: &[&str]) -> u64 {
    path.iter().try_fold(v, |v, k| v.get(*k)).and_then(Value::as_u64).unwrap_or(0)
}

fn problem_view(p: &Problem, id: &str) -> Html {
    html! { <p id={id.to_owned()} class="inline-err"><code>{ &p.code }</code>{" "}{ &p.message }</p> }
}

fn severity_class(s: &str) -> &'static str {
    match s {
        "High" => "block",
        "Medium" => "count",
        _ => "allow",
    }
}

/// Rows of the findings table put in the page at once, and added by each "Show more": a file's
/// report can hold thousands of findings, and building a few hundred table rows in one go took
/// the page's thread for a long task (so the rows come in steps, each a short task).
const ROWS_STEP: usize = 100;
/// The most rows the table shows (the counts above it are complete).
const MAX_ROWS: usize = 500;

#[derive(Properties)]
struct ReportProps {
    report: Rc<Value>,
    prefix: AttrValue,
}

/// The same report (by pointer: a file's report is never compared field by field) renders nothing
/// again, so typing in the text leaves a file's findings alone.
impl PartialEq for ReportProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.report, &other.report) && self.prefix == other.prefix
    }
}

/// A report: the summary, the findings table (its first rows; more on request), the Macie finding.
#[function_component]
fn Report(props: &ReportProps) -> Html {
    let shown = use_state(|| ROWS_STEP);
    {
        // A new report starts from its first rows again.
        let shown = shown.clone();
        use_effect_with(Rc::as_ptr(&props.report) as usize, move |_| {
            if *shown != ROWS_STEP {
                shown.set(ROWS_STEP);
            }
        });
    }
    let (report, prefix) = (&*props.report, props.prefix.as_str());
    let findings = report.get("findings").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    let listed = findings.len().min(MAX_ROWS);
    let rows = (*shown).min(listed);
    let on_more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(shown.saturating_add(ROWS_STEP)))
    };
    let counts = report.get("counts").and_then(Value::as_object);
    let macie =
        serde_json::to_string_pretty(report.get("finding").unwrap_or(&Value::Null)).unwrap_or_default();
    html! {
        <>
            <p id={format!("{prefix}-summary")}>
                { format!("{} bytes scanned, {} findings", num_at(report, &["bytesScanned"]),
                    counts.map(|c| c.values().filter_map(Value::as_u64).sum::<u64>()).unwrap_or(0)) }
                if report.get("truncated") == Some(&Value::Bool(true)) { <span class="muted">{" (list truncated; counts are complete)"}</span> }
            </p>
            <table class="fields grid" id={format!("{prefix}-findings")}>
                <tr><th>{"Type"}</th><th>{"Severity"}</th><th>{"Line:col"}</th><th>{"Masked"}</th><th>{"In context"}</th><th>{"Why"}</th></tr>
                { for findings.iter().take(rows).map(|f| html! {
                    <tr class="scan-finding" data-type={str_at(f, "type").to_owned()}>
                        <td><code>{ str_at(f, "type") }</code>
                            if f.get("macie") == Some(&Value::Bool(false)) { <span class="muted">{" (not a Macie id)"}</span> }</td>
                        <td><span class={classes!("badge", severity_class(str_at(f, "severity")))}>{ str_at(f, "severity") }</span></td>
                        <td>{ format!("{}:{}", num_at(f, &["start", "line"]), num_at(f, &["start", "column"])) }</td>
                        <td class="mono">{ str_at(f, "masked") }</td>
                        <td class="mono muted">{ str_at(f, "excerpt") }</td>
                        <td class="muted">{ str_at(f, "detail") }</td>
                    </tr>
                }) }
            </table>
            if rows < listed {
                <p class="muted" id={format!("{prefix}-rows")}>{ format!("The first {rows} of {} findings. ", findings.len()) }
                    <button id={format!("{prefix}-more")} onclick={on_more}>
                        { format!("Show {} more", (listed - rows).min(ROWS_STEP)) }</button></p>
            }
            <details>
                <summary>{"As a Macie sensitive data finding (classificationDetails.result.sensitiveData)"}</summary>
                <pre class="mono" id={format!("{prefix}-macie")}>{ macie }</pre>
            </details>
        </>
    }
}

#[function_component]
pub fn ScanPage() -> Html {
    let opening = use_memo((), |_| {
        let mut left_out = false;
        let o = super::super::share_bar::Opening::new(
            |h| {
                super::share::open(h).map(|x| {
                    x.map(|(actions, l)| {
                        left_out = l;
                        actions
                    })
                })
            },
            ScanState::opened,
            ScanState::reduce,
        );
        (o, left_out)
    });
    let state = use_reducer(|| opening.0.take());
    let share_link = {
        let state = state.clone();
        Callback::from(move |()| Ok(super::share::encode(&state)))
    };
    let file = use_mut_ref(|| None::<File>);
    let worker = use_mut_ref(|| None::<ScanWorker>);
    let setup_error = use_state(|| None::<Problem>);

    let on_input = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let text = e.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()).map(|a| a.value());
            state.dispatch(Action::Edit(text.unwrap_or_default()));
        })
    };
    let choose = {
        let (file, state, worker, setup_error) =
            (file.clone(), state.clone(), worker.clone(), setup_error.clone());
        Rc::new(move |f: File| {
            setup_error.set(None);
            if worker.borrow().is_none() {
                let dispatcher = state.dispatcher();
                match ScanWorker::start(Callback::from(move |a| dispatcher.dispatch(a))) {
                    Ok(w) => *worker.borrow_mut() = Some(w),
                    Err(e) => return setup_error.set(Some(e)),
                }
            }
            let id = state.next_id.saturating_add(1);
            state.dispatch(Action::Start(f.name(), f.size()));
            if let Some(Err(e)) = worker.borrow().as_ref().map(|w| w.run(id, &f)) {
                state.dispatch(Action::Failed(id, e));
            }
            *file.borrow_mut() = Some(f);
        }) as Rc<dyn Fn(File)>
    };
    let zone = use_file_drop(choose);
    let on_cancel = {
        let (state, worker, setup_error) = (state.clone(), worker.clone(), setup_error.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(id) = state.running_id() else { return };
            if let Some(Err(e)) = worker.borrow().as_ref().map(|w| w.cancel(id)) {
                setup_error.set(Some(e));
            }
        })
    };

    let segments = state.segments();
    html! {
        <article class="scan">
            <h1>{"Sensitive-data scanner"}</h1>
            <super::super::share_bar::ShareBar link={share_link} error={opening.0.error.clone()}
                holds={"A link holds which example is open; never the text being scanned."} />
            if opening.1 {
                <p class="card" id="share-left-out">{"The text in the shared page was not in the link (a scanned text never is): this is the example it started from."}</p>
            }
            <p class="lede">{"Paste text or drop a file: pattern detectors with validation (Luhn and issuer ranges, IBAN \
                mod-97, SSN ranges, the Korean RRN check digit, JWT headers, key blocks), as Amazon Macie's managed data \
                identifiers would flag them. Findings are shown masked; nothing leaves the page."}</p>
            <section class="card">
                <h2>{"Examples"}</h2>
                <div class="examples">
                    { for EXAMPLES.iter().enumerate().map(|(i, (title, _))| {
                        let state = state.clone();
                        html! { <button class={classes!("example", (state.example == Some(i)).then_some("selected"))} data-example={i.to_string()}
                            onclick={Callback::from(move |_: MouseEvent| state.dispatch(Action::Example(i)))}>{ *title }</button> }
                    }) }
                </div>
            </section>
            <div class="grid2">
                <section class="card">
                    <h2 id="scan-text-title">{"Text"}</h2>
                    <textarea id="scan-text" aria-labelledby="scan-text-title" class="mono" rows="12" spellcheck="false" value={state.text.clone()} oninput={on_input} />
                </section>
                <section class="card">
                    <h2>{"Findings in place (masked)"}</h2>
                    <pre class="mono scan-highlight" id="scan-highlight">
                        { for segments.iter().map(|s| match s {
                            Segment::Plain(t) => html! { { t.clone() } },
                            Segment::Found { index, type_id, severity, masked } => html! {
                                <mark class={classes!("scan-mark", severity_class(severity))} title={type_id.clone()} data-index={index.to_string()}>{ masked.clone() }</mark>
                            },
                        }) }
                    </pre>
                </section>
            </div>
            <section class="card" id="scan-results">
                <h2>{"Findings"}</h2>
                { match &state.report {
                    None => html! { <p class="muted">{"Nothing to scan."}</p> },
                    Some(Err(p)) => problem_view(p, "scan-error"),
                    Some(Ok(r)) => html! { <Report report={Rc::new(r.clone())} prefix="scan" /> },
                } }
            </section>
            <section class="card" id="scan-file">
                <h2>{"A file"}</h2>
                <p class="muted">{"A file of any size is read in 1 MiB slices by a worker; memory stays bounded and \
                    findings across slices are kept."}</p>
                <label for="scan-file-input" id="scan-drop" class={classes!("drop", zone.dragging.then_some("over"))}
                    ondrop={zone.on_drop} ondragover={zone.on_drag_over} ondragleave={zone.on_drag_leave}>
                    <input id="scan-file-input" type="file" onchange={zone.on_change} />
                    <span>{"Drop a file here, or choose one"}</span>
                </label>
                if let Some(p) = &*setup_error { { problem_view(p, "scan-file-error") } }
                { match &state.job {
                    Job::Idle => html! {},
                    Job::Running { name, done, total, .. } => html! {
                        <div class="job" id="scan-file-progress">
                            <progress max={total.to_string()} value={done.to_string()} />
                            <span>{ format!(" {name}: {:.1} of {:.1} MiB ", done / MIB, total / MIB) }</span>
                            <button id="scan-file-cancel" onclick={on_cancel}>{"Cancel"}</button>
                        </div>
                    },
                    Job::Done { name, report, ms } => html! {
                        <div id="scan-file-done">
                            <p>{ format!("{name}: scanned in {:.1} s", ms / 1e3) }</p>
                            <Report report={report.clone()} prefix="scan-file" />
                        </div>
                    },
                    Job::Failed(p) => problem_view(p, "scan-file-error"),
                    Job::Cancelled => html! { <p class="hint" id="scan-file-cancelled">{"Cancelled."}</p> },
                } }
            </section>
        </article>
    }
}
