//! Files of any size: choose or drop a file, and a module worker (`www/esdk-worker.js`, over the JS
//! package) streams it through `EsdkEncryptor` / `EsdkDecryptor` in 1 MiB slices into the origin
//! private file system. This component only starts, follows and cancels the job and offers the
//! result as a download; it holds no crypto and never holds the file's bytes.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use serde_json::Value;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{DragEvent, File, HtmlInputElement, MessageEvent, Url, Worker, WorkerOptions, WorkerType};
use yew::prelude::*;

use super::Failure;

const MIB: f64 = 1024.0 * 1024.0;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Encrypt,
    Decrypt,
}

impl Mode {
    fn word(self) -> &'static str {
        match self {
            Mode::Encrypt => "encrypt",
            Mode::Decrypt => "decrypt",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Job {
    Idle,
    Running { id: u32, mode: Mode, done: f64, total: f64, ms: f64, wasm: f64 },
    Done { mode: Mode, url: String, name: String, bytes: f64, total: f64, ms: f64, wasm: f64 },
    Failed(Failure),
    Cancelled,
}

#[derive(Clone, Debug, PartialEq)]
struct State {
    job: Job,
    next_id: u32,
    header: Option<Value>,
    /// The chosen file's name and size (the `File` itself sits in a ref beside the state).
    chosen: Option<(String, f64)>,
}

enum Action {
    Chosen(String, f64),
    Start(Mode),
    Progress { id: u32, done: f64, total: f64, ms: f64, wasm: f64 },
    Header(u32, Value),
    Done { id: u32, url: String, name: String, bytes: f64, total: f64, ms: f64, wasm: f64 },
    Failed(u32, Failure),
    Cancelled(u32),
}

impl State {
    fn running_id(&self) -> Option<u32> {
        match self.job {
            Job::Running { id, .. } => Some(id),
            _ => None,
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let current = s.running_id();
        if let Job::Done { url, .. } = &s.job {
            // A new job replaces the old result: its download link goes.
            if matches!(action, Action::Start(_) | Action::Chosen(..)) {
                let _ = Url::revoke_object_url(url);
            }
        }
        match action {
            Action::Chosen(name, size) => {
                s.chosen = Some((name, size));
                if current.is_none() {
                    s.job = Job::Idle;
                    s.header = None;
                }
            }
            Action::Start(mode) => {
                s.next_id += 1;
                s.header = None;
                let total = s.chosen.as_ref().map_or(0.0, |c| c.1);
                s.job = Job::Running { id: s.next_id, mode, done: 0.0, total, ms: 0.0, wasm: 0.0 };
            }
            Action::Progress { id, done, total, ms, wasm } if current == Some(id) => {
                if let Job::Running { mode, .. } = s.job {
                    s.job = Job::Running { id, mode, done, total, ms, wasm };
                }
            }
            Action::Header(id, h) if current == Some(id) => s.header = Some(h),
            Action::Done { id, url, name, bytes, total, ms, wasm } if current == Some(id) => {
                if let Job::Running { mode, .. } = s.job {
                    s.job = Job::Done { mode, url, name, bytes, total, ms, wasm };
                }
            }
            Action::Failed(id, f) if current == Some(id) => s.job = Job::Failed(f),
            Action::Cancelled(id) if current == Some(id) => s.job = Job::Cancelled,
            // A message from a job that is no longer the current one.
            Action::Progress { .. }
            | Action::Header(..)
            | Action::Done { .. }
            | Action::Failed(..)
            | Action::Cancelled(_) => return self,
        }
        Rc::new(s)
    }
}

fn field(v: &JsValue, key: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn num(v: &JsValue, key: &str) -> f64 {
    field(v, key).as_f64().unwrap_or(0.0)
}

fn text(v: &JsValue, key: &str) -> String {
    field(v, key).as_string().unwrap_or_default()
}

/// The download name of a result.
fn output_name(mode: Mode, input: &str) -> String {
    match mode {
        Mode::Encrypt => format!("{input}.esdk"),
        Mode::Decrypt => match input.strip_suffix(".esdk") {
            Some(stem) if !stem.is_empty() => stem.to_owned(),
            _ => format!("{input}.decrypted"),
        },
    }
}

/// One worker for the page's lifetime, with its message handler (kept alive beside it).
struct WorkerSlot {
    worker: Worker,
    _on_message: Closure<dyn Fn(MessageEvent)>,
}

fn start_worker(
    dispatch: UseReducerDispatcher<State>,
    names: Rc<RefCell<Option<String>>>,
) -> Result<WorkerSlot, Failure> {
    let opts = WorkerOptions::new();
    opts.set_type(WorkerType::Module);
    let worker = Worker::new_with_options("esdk-worker.js", &opts).map_err(|_| {
        Failure::new(
            "WorkerFailed",
            "this browser could not start the file worker (module workers are needed)",
        )
    })?;
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let d = e.data();
        let id = u32::try_from(num(&d, "id") as u64).unwrap_or(0);
        let action = match text(&d, "type").as_str() {
            "progress" => Action::Progress {
                id,
                done: num(&d, "done"),
                total: num(&d, "total"),
                ms: num(&d, "ms"),
                wasm: num(&d, "wasmBytes"),
            },
            "header" => match serde_wasm_bindgen::from_value::<Value>(field(&d, "header")) {
                Ok(h) => Action::Header(id, h),
                Err(_) => return,
            },
            "done" => {
                let file = field(&d, "file");
                let Some(blob) = file.dyn_ref::<web_sys::Blob>() else {
                    return dispatch.dispatch(Action::Failed(
                        id,
                        Failure::new("WorkerFailed", "the worker returned no file"),
                    ));
                };
                let url = match Url::create_object_url_with_blob(blob) {
                    Ok(u) => u,
                    Err(_) => {
                        return dispatch.dispatch(Action::Failed(
                            id,
                            Failure::new("WorkerFailed", "could not offer the result as a download"),
                        ))
                    }
                };
                Action::Done {
                    id,
                    url,
                    name: names.borrow().clone().unwrap_or_else(|| "result".into()),
                    bytes: num(&d, "bytes"),
                    total: num(&d, "total"),
                    ms: num(&d, "ms"),
                    wasm: num(&d, "wasmBytes"),
                }
            }
            "failed" => Action::Failed(id, Failure::new(&text(&d, "code"), text(&d, "message"))),
            "cancelled" => Action::Cancelled(id),
            _ => return,
        };
        dispatch.dispatch(action);
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    Ok(WorkerSlot { worker, _on_message: on_message })
}

fn post(worker: &Worker, fields: &[(&str, JsValue)]) -> Result<(), Failure> {
    let msg = Object::new();
    for (k, v) in fields {
        Reflect::set(&msg, &JsValue::from_str(k), v)
            .map_err(|_| Failure::new("WorkerFailed", "could not build the message to the worker"))?;
    }
    worker.post_message(&msg).map_err(|_| Failure::new("WorkerFailed", "could not reach the file worker"))
}

fn mib(bytes: f64) -> String {
    format!("{:.1} MiB", bytes / MIB)
}

fn rate(bytes: f64, ms: f64) -> String {
    if ms <= 0.0 {
        return "–".into();
    }
    format!("{:.0} MB/s", bytes / 1e6 / (ms / 1e3))
}

#[derive(Properties, PartialEq)]
pub struct FileProps {
    pub encrypt_options: Value,
    pub decrypt_options: Value,
}

#[function_component]
pub fn FilePanel(props: &FileProps) -> Html {
    let state = use_reducer(|| State { job: Job::Idle, next_id: 0, header: None, chosen: None });
    let file = use_mut_ref(|| None::<File>);
    let worker = use_mut_ref(|| None::<WorkerSlot>);
    let out_name = use_mut_ref(|| None::<String>);
    let dragging = use_state(|| false);
    let setup_error = use_state(|| None::<Failure>);
    // The frames' AES-GCM: pure Rust keeps memory flat; WebCrypto is ~3x faster but each frame's
    // result is a new browser buffer, and the renderer's memory grows with the file.
    let cipher = use_state(|| "rust".to_string());
    let on_cipher = {
        let cipher = cipher.clone();
        Callback::from(move |e: Event| cipher.set(super::select_value(&e)))
    };

    let choose = {
        let (file, state) = (file.clone(), state.clone());
        Rc::new(move |f: File| {
            state.dispatch(Action::Chosen(f.name(), f.size()));
            *file.borrow_mut() = Some(f);
        })
    };
    let on_change = {
        let choose = choose.clone();
        Callback::from(move |e: Event| {
            let input = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
            if let Some(f) = input.and_then(|i| i.files()).and_then(|l| l.get(0)) {
                choose(f);
            }
        })
    };
    let on_drop = {
        let (choose, dragging) = (choose.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(f) = e.data_transfer().and_then(|d| d.files()).and_then(|l| l.get(0)) {
                choose(f);
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };

    let run = |mode: Mode| {
        let (state, file, worker, out_name, setup_error) =
            (state.clone(), file.clone(), worker.clone(), out_name.clone(), setup_error.clone());
        let mut options = match mode {
            Mode::Encrypt => props.encrypt_options.clone(),
            Mode::Decrypt => props.decrypt_options.clone(),
        };
        if let Some(obj) = options.as_object_mut() {
            obj.insert("aead".into(), Value::String((*cipher).clone()));
        }
        Callback::from(move |_: MouseEvent| {
            let Some(f) = file.borrow().clone() else { return };
            setup_error.set(None);
            if worker.borrow().is_none() {
                match start_worker(state.dispatcher(), out_name.clone()) {
                    Ok(w) => *worker.borrow_mut() = Some(w),
                    Err(e) => return setup_error.set(Some(e)),
                }
            }
            *out_name.borrow_mut() = Some(output_name(mode, &f.name()));
            // The id the reducer gives this job (it counts from the state we start from).
            let id = state.next_id + 1;
            state.dispatch(Action::Start(mode));
            let sent = worker.borrow().as_ref().map(|w| {
                post(
                    &w.worker,
                    &[
                        ("type", "run".into()),
                        ("id", id.into()),
                        ("mode", mode.word().into()),
                        ("file", f.clone().into()),
                        ("options", options.to_string().into()),
                    ],
                )
            });
            if let Some(Err(e)) = sent {
                state.dispatch(Action::Failed(id, e));
            }
        })
    };
    let on_cancel = {
        let (state, worker) = (state.clone(), worker.clone());
        Callback::from(move |_: MouseEvent| {
            if let (Some(id), Some(w)) = (state.running_id(), worker.borrow().as_ref()) {
                let _ = post(&w.worker, &[("type", "cancel".into()), ("id", id.into())]);
            }
        })
    };
    // The worker ends with the page.
    {
        let worker = worker.clone();
        use_effect_with((), move |_| {
            move || {
                if let Some(w) = worker.borrow_mut().take() {
                    w.worker.terminate();
                }
            }
        });
    }

    let running = state.running_id().is_some();
    let chosen = state.chosen.clone();
    let status = match &state.job {
        Job::Idle => html! {},
        Job::Running { mode, done, total, ms, wasm, .. } => html! {
            <div class="job" id="esdk-file-job">
                <progress id="esdk-progress" max={total.max(1.0).to_string()} value={done.to_string()} />
                <p class="hint" id="esdk-file-progress">
                    { format!("{}ing: {} of {} · {} · wasm memory {}", if *mode == Mode::Encrypt { "Encrypt" } else { "Decrypt" },
                        mib(*done), mib(*total), rate(*done, *ms), mib(*wasm)) }
                </p>
                <button id="esdk-file-cancel" onclick={on_cancel}>{"Cancel"}</button>
            </div>
        },
        Job::Done { mode, url, name, bytes, total, ms, wasm } => html! {
            <div class="card ok" id="esdk-file-done">
                <p id="esdk-file-result" data-bytes={bytes.to_string()} data-ms={format!("{ms:.0}")} data-wasm={wasm.to_string()}>
                    { format!("{} {} into {} in {:.1} s ({}); wasm memory {}.",
                        if *mode == Mode::Encrypt { "Encrypted" } else { "Decrypted" }, mib(*total), mib(*bytes),
                        ms / 1e3, rate(*total, *ms), mib(*wasm)) }
                </p>
                <a id="esdk-file-download" class="button primary" href={url.clone()} download={name.clone()}>
                    { format!("Download {name}") }</a>
                <p class="hint">{"The result sits in this site's private file system until the next job replaces it."}</p>
            </div>
        },
        Job::Failed(f) => f.view("esdk-file-error"),
        Job::Cancelled => {
            html! { <p class="hint" id="esdk-file-cancelled">{"Cancelled; the partial output was deleted."}</p> }
        }
    };
    let header = state.header.as_ref().map(|h| {
        html! {
            <p class="hint" id="esdk-file-header">
                { format!("Message header: suite {} {}, frame length {}, context {}",
                    h.get("suiteHex").and_then(Value::as_str).unwrap_or("?"),
                    h.get("suiteName").and_then(Value::as_str).unwrap_or("?"),
                    h.get("frameLength").map(Value::to_string).unwrap_or_default(),
                    h.get("encryptionContext").map(Value::to_string).unwrap_or_default()) }
            </p>
        }
    });

    html! {
        <section class="card" id="esdk-files">
            <h2>{"Encrypt or decrypt a file"}</h2>
            <p class="muted">{"Any size: a worker reads the file in 1 MiB slices and writes the result to this \
                site's private file system, so memory stays flat whether the file is 1 KiB or many GiB. \
                The file never leaves this computer."}</p>
            <label for="esdk-file-input" id="esdk-drop"
                class={classes!("drop", (*dragging).then_some("over"))}
                ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
                <input id="esdk-file-input" type="file" onchange={on_change} />
                { match &chosen {
                    Some((name, size)) => html! { <span id="esdk-file-chosen"><strong>{ name }</strong>{ format!(" · {}", mib(*size)) }</span> },
                    None => html! { <span>{"Drop a file here, or click to choose one"}</span> },
                } }
            </label>
            <div class="row">
                <label for="esdk-file-cipher">{"AES-GCM "}</label>
                <select id="esdk-file-cipher" onchange={on_cipher} disabled={running}>
                    <option value="rust" selected={*cipher == "rust"}>{"pure Rust in wasm: memory stays flat (~50 MB/s)"}</option>
                    <option value="webcrypto" selected={*cipher == "webcrypto"}>{"WebCrypto: ~3× faster, but memory grows with the file (+114 MiB for 256 MiB, +319 MiB for 1 GiB here)"}</option>
                </select>
            </div>
            <div class="row">
                <button id="esdk-file-encrypt" class="primary" onclick={run(Mode::Encrypt)} disabled={running || chosen.is_none()}>{"Encrypt file"}</button>
                <button id="esdk-file-decrypt" onclick={run(Mode::Decrypt)} disabled={running || chosen.is_none()}>{"Decrypt file"}</button>
            </div>
            <p class="hint">{"Decrypting releases each frame once its tag verifies; for signed suites the signature \
                is checked at the end, and if it fails the output is deleted."}</p>
            if let Some(f) = &*setup_error { { f.view("esdk-file-error") } }
            { for header }
            { status }
        </section>
    }
}
