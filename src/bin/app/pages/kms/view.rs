//! The KMS page: who calls, the world's keys per region, any operation from a form or as raw JSON
//! with the response or the AWS error and its policy trace, the audit log, the clock, the cost
//! estimate, the snapshot, and the notes' scenarios step by step.
//!
//! The component renders and dispatches; the state is `state.rs`, every call is the engine's
//! (`secplay::kms`). Reading an uploaded snapshot and offering one as a download (a `blob:` URL,
//! so no key material is ever in an address) are the browser's, here.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_file::callbacks::FileReader;
use gloo_file::ObjectUrl;
use secplay::keystore::backend::KMS_WORLD_KIND;
use secplay::keystore::KeyStoreError;
use secplay::kms::ops::OPERATIONS;
use secplay::kms::scenarios::Run;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::kept::{self, Problem as KeptProblem, Read, WORLD_ID};
use super::state::{world, Action, Call, KmsState, Response, Trace};
use crate::services::keystore as ks;
use crate::services::webcrypto;

/// Milliseconds without a change before the world is saved.
const SAVE_DELAY_MS: i32 = 1_000;
/// Milliseconds before a read or save the store refused as busy is tried again, and how often.
const BUSY_RETRY_MS: i32 = 200;
const BUSY_RETRIES: u32 = 50;

/// Runs `f` once after `ms` milliseconds.
fn after(ms: i32, f: impl FnOnce() + 'static) {
    let f = Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), ms);
    }
}

/// Reads the kept world (when the store is unlocked): shows it, or says why it cannot be read.
/// `restored` turns true only when saving cannot overwrite a kept world the page did not read.
fn read_kept(state: UseReducerHandle<KmsState>, restored: Rc<RefCell<bool>>, attempt: u32) {
    if !ks::is_unlocked() {
        return;
    }
    ks::call(
        |s| async move {
            let r = s.get(WORLD_ID).map(|r| r.body.data.clone());
            (s, r)
        },
        move |r| match kept::read(r) {
            Read::Absent => *restored.borrow_mut() = true,
            Read::World(w) => {
                *restored.borrow_mut() = true;
                state.dispatch(Action::Kept(w));
            }
            Read::Unreadable(code, message) => {
                state.dispatch(Action::KeptProblem(Some(KeptProblem::Unreadable(code, message))))
            }
            Read::Later if attempt < BUSY_RETRIES => {
                after(BUSY_RETRY_MS, move || read_kept(state, restored, attempt + 1))
            }
            Read::Later | Read::Nothing => {}
        },
    );
}

/// Saves `bytes` as the kept world; a failure is shown, a busy store is tried again.
fn save_kept(state: UseReducerHandle<KmsState>, bytes: Rc<Vec<u8>>, attempt: u32) {
    let data = bytes.clone();
    ks::call(
        move |mut s| async move {
            let r = s.put(WORLD_ID, KMS_WORLD_KIND, "KMS world", &data, ks::now_ms()).await;
            (s, r)
        },
        move |r| match r {
            Ok(()) => {
                if state.kept.is_some() {
                    state.dispatch(Action::KeptProblem(None));
                }
            }
            Err(KeyStoreError::Busy) if attempt < BUSY_RETRIES => {
                after(BUSY_RETRY_MS, move || save_kept(state, bytes, attempt + 1))
            }
            Err(KeyStoreError::Locked) => {}
            Err(e) => state.dispatch(Action::KeptProblem(Some(KeptProblem::NotSaved(
                e.code().to_string(),
                e.to_string(),
            )))),
        },
    );
}

/// While the key store is unlocked: restores the world kept there when the page opens, then saves
/// it a second after each change. Nothing is saved before the kept world has been read (or found
/// absent), so a slow, refused or unreadable read never lets a fresh world overwrite the kept one.
#[hook]
fn use_persisted_world(state: &UseReducerHandle<KmsState>) {
    let restored = use_mut_ref(|| false);
    {
        let (state, restored) = (state.clone(), restored.clone());
        use_effect_with((), move |_| read_kept(state, restored, 0));
    }
    let world = state.world.clone();
    let handle = state.clone();
    // A link's world waiting for its RSA material has keys without any: not kept until it has.
    let bare = state.furnishing.is_some();
    use_effect_with(Rc::as_ptr(&state.world) as usize, move |_| {
        let save = Closure::once(move || {
            if bare || !*restored.borrow() || !ks::is_unlocked() {
                return;
            }
            let Ok(bytes) = secplay::kms::snapshot::snapshot(&world) else { return };
            save_kept(handle, Rc::new(bytes), 0);
        });
        let id = web_sys::window().and_then(|w| {
            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                save.as_ref().unchecked_ref(),
                SAVE_DELAY_MS,
            )
            .ok()
        });
        move || {
            if let (Some(w), Some(id)) = (web_sys::window(), id) {
                w.clear_timeout_with_handle(id);
            }
            drop(save);
        }
    });
}

/// Has the keys a waiting call needs (RSA) made by WebCrypto, off the page's thread, and supplied
/// to the engine's pool; the call then runs again (`Action::Made`). Making them here, in the
/// reducer, froze the page for 236–353 ms (RSA_2048) to seconds (RSA_4096). WebCrypto rather than
/// one of the page's module workers: the browser already makes RSA keys on its own threads, and a
/// worker of ours would have to load the whole JS package to do the same work slower.
#[hook]
fn use_key_maker(state: &UseReducerHandle<KmsState>) {
    let handle = state.clone();
    use_effect_with(state.waiting.clone(), move |waiting| {
        if let Some(w) = waiting.clone() {
            let id = w.id;
            webcrypto::make_kms_keys(w.make, move |result| handle.dispatch(Action::Made { id, result }));
        }
    });
}

/// Has the RSA material a share link's world needs made by WebCrypto, off the page's thread
/// (`Action::Furnished`); until then the page shows the world and makes no call.
#[hook]
fn use_furnisher(state: &UseReducerHandle<KmsState>) {
    let handle = state.clone();
    let job = state.furnishing.as_ref().map(|f| (f.id, f.slow().to_vec()));
    use_effect_with(job.as_ref().map(|(id, _)| *id), move |_| {
        if let Some((id, needs)) = job {
            webcrypto::make_kms_materials(needs, move |made| handle.dispatch(Action::Furnished { id, made }));
        }
    });
}

/// "Making 3 RSA key versions …" while a share link's world waits for its material.
fn furnishing_view(state: &KmsState) -> Html {
    let Some(f) = state.furnishing.as_ref() else { return html! {} };
    let mut specs: Vec<&str> = f.slow().iter().map(|(_, s)| s.as_str()).collect();
    specs.dedup();
    html! {
        <p id="kms-furnishing" class="muted small" role="status">
            { format!("Making {} RSA key {} ({}) for the shared world with WebCrypto, off the page's thread; calls and the clock wait until they are ready.",
                f.slow().len(), if f.slow().len() == 1 { "version" } else { "versions" }, specs.join(", ")) }
        </p>
    }
}

/// "Making an RSA_4096 key …" while a call of kind `call` waits for its keys.
fn making_view(state: &KmsState, call: &[Call]) -> Html {
    let Some(w) = state.waiting.as_ref().filter(|w| call.contains(&w.call)) else { return html! {} };
    let names: Vec<&str> = w.make.iter().map(|s| s.as_str()).collect();
    let what = if names.len() == 1 {
        format!("an {} key", names.join(""))
    } else {
        format!("keys {}", names.join(", "))
    };
    html! {
        <p id="kms-making" class="muted small" aria-live="polite">
            { format!("Making {what} with WebCrypto, off the page's thread; the call runs when it is ready.") }
        </p>
    }
}

/// The value of the input, select or text area an event came from.
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

fn checked_of(e: &Event) -> bool {
    e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked())
}

/// A callback that dispatches the action made from the event's value.
fn on_value<E: AsRef<Event> + 'static>(
    state: &UseReducerHandle<KmsState>,
    make: fn(String) -> Action,
) -> Callback<E> {
    let state = state.clone();
    Callback::from(move |e: E| state.dispatch(make(value_of(e.as_ref()))))
}

fn on_click(state: &UseReducerHandle<KmsState>, make: fn() -> Action) -> Callback<MouseEvent> {
    let state = state.clone();
    Callback::from(move |_| state.dispatch(make()))
}

/// "1 event", "3 events".
fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

fn s<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or_default()
}

fn outcome_class(outcome: &str) -> &'static str {
    match outcome {
        "allow" => "badge allow",
        "deny" => "badge deny",
        "rule" => "badge rule",
        _ => "badge none",
    }
}

/// A denial's evaluation: the deciding statements and the trace (as the policy page shows one);
/// element ids start with `prefix` (`kms`, `ssm`), as the pages that call a service show it.
pub(crate) fn trace_view(prefix: &str, t: &Trace) -> Html {
    html! {
        <div class="kms-trace">
            <p class="decision" data-decision={t.decision.clone()}>{"Decision: "}<code>{ &t.decision }</code></p>
            if !t.matched.is_empty() {
                <h3>{"Deciding statements"}</h3>
                <ul id={format!("{prefix}-matched")} class="plain">
                    { for t.matched.iter().map(|(policy, idx, sid, effect)| html! {
                        <li>
                            <span class={if effect == "Deny" { "badge deny" } else { "badge allow" }}>{ effect }</span>{" "}
                            <strong>{ policy }</strong>{ format!(", statement {idx}") }
                            if let Some(sid) = sid { {" "}<code>{ sid }</code> }
                        </li>
                    }) }
                </ul>
            }
            <h3>{"Trace"}</h3>
            <ol id={format!("{prefix}-trace")} class="trace">
                { for t.steps.iter().map(|(subject, outcome, message)| html! {
                    <li class={classes!((subject == "decision").then_some("decisive"))}>
                        <span class={outcome_class(outcome)}>{ outcome }</span>{" "}
                        <strong>{ subject }</strong>{": "}{ message }
                    </li>
                }) }
            </ol>
        </div>
    }
}

/// A call's response, or its error with the denial's trace; ids start with `prefix`.
pub(crate) fn response_view(prefix: &str, r: &Response) -> Html {
    let id = |what: &str| format!("{prefix}-{what}");
    match r {
        Response::Ok { operation, body } => html! {
            <section class="card ok" id={id("result")} aria-live="polite">
                <h2>{ format!("{operation}: response") }</h2>
                <pre id={id("response")} class="mono">{ body }</pre>
            </section>
        },
        Response::Err { operation, code, message, trace } => html! {
            <section class="card err" id={id("result")} role="alert">
                <h2>{ format!("{operation}: error") }</h2>
                <p id={id("error")}><code id={id("error-code")}>{ code }</code>{" "}{ message }</p>
                if let Some(t) = trace { { trace_view(prefix, t) } }
            </section>
        },
    }
}

fn keys_view(state: &KmsState) -> Html {
    html! {
        <section class="card" id="kms-world">
            <h2>{"Accounts, regions and keys"}</h2>
            <p class="muted small">
                { for state.world.accounts.values().map(|a| html! {
                    <span class="chip">{ format!("{} {} ({} principals)", a.id, a.name, a.principals.len()) }</span>
                }) }
            </p>
            { for state.world.regions.iter().map(|region| {
                let keys = state.keys_in(region);
                html! {
                    <div class="kms-region" data-region={region.clone()}>
                        <h3>{ format!("{region} — {}", plural(keys.len(), "key")) }</h3>
                        if !keys.is_empty() {
                            <table class="kms-keys">
                                <thead><tr><th>{"Key"}</th><th>{"State"}</th><th>{"Spec / usage"}</th><th>{"Rotations"}</th><th>{"Policy"}</th></tr></thead>
                                <tbody>
                                { for keys.iter().map(|k| html! {
                                    <tr data-key={k.arn.clone()}>
                                        <td><code title={k.arn.clone()}>{ &k.key_id }</code>
                                            <div class="muted small">{ format!("{} · {}", k.account, k.description) }</div></td>
                                        <td class="kms-state" data-state={k.state.as_str()}>{ k.state.as_str() }</td>
                                        <td>{ format!("{} / {}{}", k.key_spec, k.key_usage,
                                            if k.multi_region { if k.primary_arn.is_some() { " · MRK replica" } else { " · MRK primary" } } else { "" }) }</td>
                                        <td>{ format!("{} done", k.materials.len().saturating_sub(1)) }
                                            { k.rotation_period_days.map(|d| format!(", every {d} days")).unwrap_or_default() }</td>
                                        <td><details><summary>{"policy"}</summary><pre class="mono small">{ &k.policy }</pre></details></td>
                                    </tr>
                                }) }
                                </tbody>
                            </table>
                        }
                    </div>
                }
            }) }
        </section>
    }
}

fn audit_view(state: &UseReducerHandle<KmsState>) -> Html {
    let rows = state.audit_rows();
    let on_errors = {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(Action::ErrorsOnly(checked_of(&e))))
    };
    let timeline = {
        let mut in_order = rows.clone();
        in_order.reverse();
        std::rc::Rc::new(super::diagram::layout(&in_order))
    };
    html! {
        <>
        <super::diagram_view::AuditTimeline {timeline} />
        <section class="card" id="kms-audit-card">
            <h2>{"Audit log (CloudTrail events)"}</h2>
            <div class="kms-filters">
                <label>{"Event name"}<input id="kms-filter-event" value={state.filter.event_name.clone()}
                    oninput={on_value::<InputEvent>(state, Action::FilterEventName)} placeholder="Decrypt" /></label>
                <label>{"Principal"}<input id="kms-filter-principal" value={state.filter.principal.clone()}
                    oninput={on_value::<InputEvent>(state, Action::FilterPrincipal)} placeholder="principal ARN" /></label>
                <label>{"Key"}<input id="kms-filter-key" value={state.filter.key.clone()}
                    oninput={on_value::<InputEvent>(state, Action::FilterKey)} placeholder="key ARN" /></label>
                <label class="inline"><input id="kms-errors-only" type="checkbox" checked={state.filter.errors_only}
                    onchange={on_errors} />{"Errors only"}</label>
            </div>
            <p class="muted small" id="kms-audit-count">{ plural(rows.len(), "event") }</p>
            <div class="scroll">
            <table id="kms-audit" class="kms-audit">
                <thead><tr><th>{"Time"}</th><th>{"Event"}</th><th>{"Principal"}</th><th>{"Region"}</th><th>{"Key"}</th><th>{"Error"}</th></tr></thead>
                <tbody>
                { for rows.iter().take(200).map(|e| {
                    let error = s(e, "/errorCode");
                    html! {
                        <tr class={classes!((!error.is_empty()).then_some("err"))} data-event={s(e, "/eventName").to_string()}>
                            <td>{ s(e, "/eventTime") }</td>
                            <td>{ s(e, "/eventName") }</td>
                            <td><code>{ s(e, "/userIdentity/arn") }</code></td>
                            <td>{ s(e, "/awsRegion") }</td>
                            <td><code>{ s(e, "/resources/0/ARN").rsplit('/').next().unwrap_or_default() }</code></td>
                            <td>{ error }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            </div>
        </section>
        </>
    }
}

fn cost_view(state: &KmsState) -> Html {
    let Some(c) = state.cost() else { return html! {} };
    let n = |v: &Value, p: &str| v.pointer(p).and_then(Value::as_f64).unwrap_or_default();
    html! {
        <section class="card" id="kms-cost-card">
            <h2>{"Cost estimate"}</h2>
            <p id="kms-cost">{ format!("Simulated usage so far: ${:.4}. Keys as they stand: ${:.2} a month.",
                n(&c, "/simulatedTotal"), n(&c, "/projection/keysPerMonth")) }</p>
            <ul class="plain small">
                { for c.get("accounts").and_then(Value::as_array).into_iter().flatten().map(|a| html! {
                    <li>{ format!("{}: {}, ${:.2} a month for keys; simulated ${:.4}", s(a, "/account"),
                        plural(a.get("keys").and_then(Value::as_array).map_or(0, Vec::len), "key"), n(a, "/monthlyKeys"), n(a, "/simulated/total")) }</li>
                }) }
            </ul>
            <p class="muted small">{ format!("AWS's published prices as of {}: $1 per key a month, requests beyond 20,000 free a month.", s(&c, "/pricesAsOf")) }</p>
        </section>
    }
}

fn scenario_steps(run: &Run) -> Html {
    html! {
        <ol id="kms-steps" class="kms-steps">
            { for run.scenario.steps.iter().enumerate().map(|(i, step)| {
                let result = run.results.get(i);
                let documented = run.documented_error(i);
                let status = match result {
                    None => "pending",
                    Some(r) if !r.as_documented() => "unexpected",
                    Some(r) if r.outcome.is_err() => "failed",
                    Some(_) => "done",
                };
                let principal = step.caller.as_str().map(str::to_string)
                    .or_else(|| step.caller.get("principal").and_then(Value::as_str).map(str::to_string))
                    .unwrap_or_default();
                html! {
                    <li data-step={step.id} data-status={status}>
                        <p><strong>{ step.operation }</strong>{" as "}<code>{ principal }</code>
                            if let Some(code) = documented { {" "}<span class="badge deny">{ format!("fails: {code}") }</span> }</p>
                        <p class="small">{ step.explain }</p>
                        if result.is_none() {
                            <details><summary>{"request"}</summary>
                                <pre class="mono small">{ serde_json::to_string_pretty(&step.request).unwrap_or_default() }</pre>
                            </details>
                        }
                        if let Some(r) = result {
                            { match &r.outcome {
                                Ok(v) => html! {
                                    <details><summary class="ok-text">{"✓ done: request and response"}</summary>
                                        <pre class="mono small">{ serde_json::to_string_pretty(&r.request).unwrap_or_default() }</pre>
                                        <pre class="mono small">{ serde_json::to_string_pretty(v).unwrap_or_default() }</pre>
                                    </details>
                                },
                                Err(e) => html! {
                                    <p class="step-error"><code>{ e.code() }</code>{" "}{ e.to_string() }</p>
                                },
                            } }
                        }
                    </li>
                }
            }) }
        </ol>
    }
}

fn scenarios_view(state: &UseReducerHandle<KmsState>) -> Html {
    let all = secplay::kms::scenarios::all();
    let picked = state.scenario();
    let on_variant = {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(Action::Variant(value_of(&e).parse::<usize>().ok())))
    };
    let run = state.run.as_deref();
    let idle = state.waiting.is_none() && state.furnishing.is_none();
    html! {
        <section class="card" id="kms-scenarios">
            <h2>{"Scenarios from the notes"}</h2>
            <div class="row">
                <label for="kms-scenario">{"Scenario"}</label>
                <select id="kms-scenario" onchange={on_value::<Event>(state, Action::Scenario)}>
                    { for all.iter().map(|s| html! {
                        <option value={s.id} selected={s.id == state.scenario_id}>{ format!("{} ({})", s.title, s.section) }</option>
                    }) }
                </select>
                <label for="kms-variant">{"Variant"}</label>
                <select id="kms-variant" onchange={on_variant}>
                    <option value="" selected={state.variant.is_none()}>{"As written"}</option>
                    { for picked.iter().flat_map(|s| s.variants.iter().enumerate()).map(|(i, v)| html! {
                        <option value={i.to_string()} data-variant={v.id} selected={state.variant == Some(i)}>{ v.label }</option>
                    }) }
                </select>
            </div>
            if let Some(s) = &picked { <p class="small" id="kms-scenario-summary">{ s.summary }</p> }
            <div class="row">
                <button id="kms-start" onclick={on_click(state, || Action::StartScenario)}>{"Start (fresh world)"}</button>
                <button id="kms-next" onclick={on_click(state, || Action::NextStep)}
                    disabled={!idle || run.is_none_or(|r| r.next_step().is_none())}>{"Next step"}</button>
                <button id="kms-run-all" class="primary" onclick={on_click(state, || Action::RunAll)}
                    disabled={!idle || run.is_none_or(|r| r.next_step().is_none())}>{"Run all"}</button>
            </div>
            { making_view(state, &[Call::Step, Call::RunAll]) }
            if let Some(run) = run {
                if let Some(v) = run.variant() {
                    <p class="muted small" id="kms-variant-note">{ format!("Variant: {} — expect step `{}` to fail with {}. {}", v.label, v.fails_at, v.error, v.explain) }</p>
                }
                { scenario_steps(run) }
                if run.finished {
                    <p id="kms-scenario-end" class={if run.results.iter().all(|r| r.as_documented()) { "ok-text" } else { "err-text" }}>
                        { if run.results.iter().all(|r| r.as_documented()) {
                            format!("Finished after {} of {} steps, each as documented.", run.results.len(), run.scenario.steps.len())
                        } else {
                            "Finished: a step did not do what the scenario documents.".to_string()
                        } }
                    </p>
                }
            }
        </section>
    }
}

#[function_component]
pub fn KmsPage() -> Html {
    let opening = use_memo((), |_| {
        super::super::share_bar::Opening::new(super::share::open, KmsState::default, KmsState::reduce)
    });
    let state = use_reducer(|| opening.take());
    let share_link = {
        let state = state.clone();
        Callback::from(move |()| super::share::encode(&state))
    };
    let link = use_state(|| None::<Rc<ObjectUrl>>);
    let reader = use_mut_ref(|| None::<FileReader>);
    use_persisted_world(&state);
    use_key_maker(&state);
    use_furnisher(&state);

    let on_snapshot = {
        let (state, link) = (state.clone(), link.clone());
        Callback::from(move |_: MouseEvent| match state.snapshot() {
            Ok(bytes) => {
                let blob =
                    gloo_file::Blob::new_with_options(bytes.as_slice(), Some("application/octet-stream"));
                link.set(Some(Rc::new(ObjectUrl::from(blob))));
            }
            Err(e) => state.dispatch(Action::Restore(Err(e.to_string()))),
        })
    };
    let on_restore = {
        let (state, reader) = (state.clone(), reader.clone());
        Callback::from(move |e: Event| {
            let input = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
            let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
            let state = state.clone();
            let task = gloo_file::callbacks::read_as_bytes(&gloo_file::File::from(file), move |r| {
                state.dispatch(Action::Restore(r.map_err(|e| e.to_string())));
            });
            *RefCell::borrow_mut(&reader) = Some(task);
        })
    };
    let principals = world::principals(&state.world);

    html! {
        <article class="kms">
            <h1>{"KMS emulator"}</h1>
            <super::super::share_bar::ShareBar link={share_link} error={opening.error.clone()}
                holds={"A link holds the world without key material (keys get new material when opened), the caller and the request (a Plaintext emptied)."} />
            <p class="lede">{"AWS KMS in this page: key policies, IAM policies and grants enforced on every call, \
                each call in a CloudTrail-style audit log, a simulated clock and a cost estimate. Call any operation \
                as any principal, or run the notes' scenarios step by step."}</p>

            <section class="card" id="kms-caller">
                <h2>{"Who calls, and when"}</h2>
                <div class="kms-filters">
                    <label>{"Calling principal"}
                        <input id="kms-principal" list="kms-principals" value={state.principal.clone()}
                            onchange={on_value::<Event>(&state, Action::Principal)} /></label>
                    <datalist id="kms-principals">{ for principals.iter().map(|p| html! { <option value={p.clone()} /> }) }</datalist>
                    <label>{"Region"}
                        <select id="kms-region" onchange={on_value::<Event>(&state, Action::Region)}>
                            { for state.world.regions.iter().map(|r| html! { <option value={r.clone()} selected={*r == state.region}>{ r }</option> }) }
                        </select></label>
                    <label>{"Via service (kms:ViaService)"}
                        <input id="kms-via" value={state.via_service.clone()} placeholder="lambda.us-east-1.amazonaws.com"
                            onchange={on_value::<Event>(&state, Action::ViaService)} /></label>
                </div>
                <div class="row">
                    <span>{"Simulated time: "}<time id="kms-now">{ state.now() }</time></span>
                    <label for="kms-days">{"Advance by days"}</label>
                    <input id="kms-days" type="number" min="1" value={state.days.clone()} class="narrow"
                        oninput={on_value::<InputEvent>(&state, Action::Days)} />
                    <button id="kms-advance" onclick={on_click(&state, || Action::Advance)} disabled={state.furnishing.is_some()}>{"Advance the clock"}</button>
                </div>
                if let Some(n) = &state.notice { <p id="kms-notice" class="muted small" aria-live="polite">{ n }</p> }
                { furnishing_view(&state) }
                if let Some((code, msg)) = &state.error {
                    <p id="kms-page-error" class="err-text" role="alert"><code>{ code }</code>{" "}{ msg }</p>
                }
                if let Some(p) = &state.kept {
                    <p id="kms-kept-problem" class="err-text" role="alert" data-problem={p.name()}>{ p.explain() }</p>
                }
            </section>

            { keys_view(&state) }

            <section class="card" id="kms-call">
                <h2>{"Call an operation"}</h2>
                <div class="row">
                    <label for="kms-operation">{"Operation"}</label>
                    <select id="kms-operation" onchange={on_value::<Event>(&state, Action::Operation)}>
                        { for OPERATIONS.iter().map(|op| html! { <option value={*op} selected={*op == state.operation}>{ op }</option> }) }
                    </select>
                </div>
                <label for="kms-request">{"Request (AWS KMS JSON; blobs in base64)"}</label>
                <crate::pages::json_editor::JsonEditor id="kms-request" what="the request" rows={8} value={state.request.clone()}
                    oninput={{ let state = state.clone(); Callback::from(move |t: String| state.dispatch(Action::Request(t))) }} />
                <button id="kms-send" class="primary" onclick={on_click(&state, || Action::Send)}
                    disabled={state.waiting.is_some() || state.furnishing.is_some()}>{ format!("Call {}", state.operation) }</button>
                { making_view(&state, &[Call::Send]) }
            </section>

            if let Some(r) = &state.response { { response_view("kms", r) } }

            { scenarios_view(&state) }
            { audit_view(&state) }
            { cost_view(&state) }

            <section class="card" id="kms-snapshot-card">
                <h2>{"Snapshot"}</h2>
                <p class="muted small">{"The whole world (keys and their material included) in the emulator's snapshot \
                    format, saved as a file: it never goes into an address. Restore it here or with Kms.restore(). \
                    While the key store (Key store page) is unlocked, the world is also kept there, encrypted: \
                    saved a second after every change and restored when this page opens."}</p>
                <div class="row">
                    <button id="kms-snapshot" onclick={on_snapshot} disabled={state.furnishing.is_some()}>{"Take a snapshot"}</button>
                    if let Some(url) = &*link {
                        <a id="kms-snapshot-link" class="button" href={url.to_string()} download="world.kms-snapshot">{"Download the snapshot"}</a>
                    }
                    <label for="kms-restore">{"Restore from a file"}</label>
                    <input id="kms-restore" type="file" onchange={on_restore} />
                    <button id="kms-reset" onclick={on_click(&state, || Action::Reset)}>{"Fresh world"}</button>
                </div>
            </section>
        </article>
    }
}
