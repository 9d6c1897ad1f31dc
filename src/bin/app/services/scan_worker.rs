//! The scanner page's file worker: one module worker (`www/scan-worker.js`, over the JS package)
//! that reads a file through `SensitiveDataScanner` in 1 MiB slices.
//!
//! This service starts it, posts `run` and `cancel` messages and reads its messages into the page's
//! actions (`pages/scan/state.rs`). Messages cross as serde values (the `File` preserved as it is).

use gloo_events::EventListener;
use serde::Serialize;
use wasm_bindgen::JsCast;
use web_sys::{File, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use crate::pages::scan::state::{Action, Problem, WorkerMessage};

/// The worker script, beside the page.
const SCRIPT: &str = "scan-worker.js";

#[derive(Serialize)]
struct Run {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u32,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    file: File,
}

#[derive(Serialize)]
struct Cancel {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u32,
}

/// The worker and its message listener; the worker ends when this goes.
pub struct ScanWorker {
    worker: Worker,
    _on_message: EventListener,
}

fn worker_failed(message: &str) -> Problem {
    Problem::new("WorkerFailed", message)
}

impl ScanWorker {
    /// Starts the worker; its messages become actions sent to `dispatch`.
    pub fn start(dispatch: Callback<Action>) -> Result<Self, Problem> {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(SCRIPT, &opts).map_err(|_| {
            worker_failed("this browser could not start the scan worker (module workers are needed)")
        })?;
        let on_message = EventListener::new(&worker, "message", move |e| {
            let Some(data) = e.dyn_ref::<MessageEvent>().map(MessageEvent::data) else { return };
            let Ok(msg) = serde_wasm_bindgen::from_value::<WorkerMessage>(data) else { return };
            if let Some(action) = msg.action() {
                dispatch.emit(action);
            }
        });
        Ok(Self { worker, _on_message: on_message })
    }

    /// Sends job `id` to the worker.
    pub fn run(&self, id: u32, file: &File) -> Result<(), Problem> {
        self.post(&Run { kind: "run", id, file: file.clone() })
    }

    /// Asks the worker to stop job `id` (it answers `cancelled`).
    pub fn cancel(&self, id: u32) -> Result<(), Problem> {
        self.post(&Cancel { kind: "cancel", id })
    }

    fn post(&self, msg: &impl Serialize) -> Result<(), Problem> {
        let value = serde_wasm_bindgen::to_value(msg)
            .map_err(|_| worker_failed("could not build the message to the worker"))?;
        self.worker.post_message(&value).map_err(|_| worker_failed("could not reach the scan worker"))
    }
}

impl Drop for ScanWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
