//! Files of any size: choose or drop a file, and a module worker (`www/esdk-worker.js`, over the JS
//! package) streams it through `EsdkEncryptor` / `EsdkDecryptor` in 1 MiB slices into the origin
//! private file system. This component only starts, follows and cancels the job and offers the
//! result as a download (through `services::file_worker`); its state is `state::files`; it holds no
//! crypto and never holds the file's bytes.

use std::rc::Rc;

use serde_json::Value;
use web_sys::File;
use yew::prelude::*;

use super::state::files::{Action, FileState, Job, Mode};
use super::{failure_view, Failure};
use crate::pages::file_drop::use_file_drop;
use crate::services::file_worker::FileWorker;

const MIB: f64 = 1024.0 * 1024.0;

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
    let state = use_reducer(FileState::default);
    let file = use_mut_ref(|| None::<File>);
    let worker = use_mut_ref(|| None::<FileWorker>);
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
        }) as Rc<dyn Fn(File)>
    };
    let zone = use_file_drop(choose);

    let run = |mode: Mode| {
        let (state, file, worker, setup_error) =
            (state.clone(), file.clone(), worker.clone(), setup_error.clone());
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
                let dispatcher = state.dispatcher();
                match FileWorker::start(Callback::from(move |a| dispatcher.dispatch(a))) {
                    Ok(w) => *worker.borrow_mut() = Some(w),
                    Err(e) => return setup_error.set(Some(e)),
                }
            }
            // The id the reducer gives this job (it counts from the state we start from).
            let id = state.next_id.saturating_add(1);
            state.dispatch(Action::Start(mode));
            if let Some(Err(e)) = worker.borrow().as_ref().map(|w| w.run(id, mode, &f, &options)) {
                state.dispatch(Action::Failed(id, e));
            }
        })
    };
    let on_cancel = {
        let (state, worker) = (state.clone(), worker.clone());
        Callback::from(move |_: MouseEvent| {
            if let (Some(id), Some(w)) = (state.running_id(), worker.borrow().as_ref()) {
                let _ = w.cancel(id);
            }
        })
    };
    // The worker (and the last download link) end with the page.
    {
        let worker = worker.clone();
        use_effect_with((), move |_| move || drop(worker.borrow_mut().take()));
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
        Job::Failed(f) => failure_view(f, "esdk-file-error"),
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
                class={classes!("drop", zone.dragging.then_some("over"))}
                ondrop={zone.on_drop} ondragover={zone.on_drag_over} ondragleave={zone.on_drag_leave}>
                <input id="esdk-file-input" type="file" onchange={zone.on_change} />
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
            if let Some(f) = &*setup_error { { failure_view(f, "esdk-file-error") } }
            { for header }
            { status }
        </section>
    }
}
