//! The S3 page's inventory worker: one module worker (`www/s3-worker.js`, over the JS package) that
//! reads an S3 Inventory report through `ReplicationEvaluator` in 1 MiB slices.
//!
//! This service starts it, posts `run` and `cancel` messages and reads its messages into the page's
//! actions (`pages/s3/state.rs`). Messages cross as serde values (the `File` preserved as it is).

use serde::Serialize;
use web_sys::File;
use yew::Callback;

use super::module_worker::ModuleWorker;
use crate::pages::s3::state::{Action, Problem, WorkerMessage};

/// The worker script, beside the page.
const SCRIPT: &str = "s3-worker.js";

#[derive(Serialize)]
struct Run {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u32,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    file: File,
    /// The evaluation input as JSON text.
    input: String,
}

/// The worker; it ends when this goes.
pub struct InventoryWorker(ModuleWorker);

fn worker_failed(message: String) -> Problem {
    Problem::new("WorkerFailed", message)
}

impl InventoryWorker {
    /// Starts the worker; its messages become actions sent to `dispatch`.
    pub fn start(dispatch: Callback<Action>) -> Result<Self, Problem> {
        let worker = ModuleWorker::start(SCRIPT, "inventory worker", move |data| {
            let Ok(msg) = serde_wasm_bindgen::from_value::<WorkerMessage>(data) else { return };
            if let Some(action) = msg.action() {
                dispatch.emit(action);
            }
        });
        worker.map(Self).map_err(worker_failed)
    }

    /// Sends job `id` to the worker: `file` evaluated with `input` (JSON text).
    pub fn run(&self, id: u32, file: &File, input: String) -> Result<(), Problem> {
        self.0.post(&Run { kind: "run", id, file: file.clone(), input }).map_err(worker_failed)
    }

    /// Asks the worker to stop job `id` (it answers `cancelled`).
    pub fn cancel(&self, id: u32) -> Result<(), Problem> {
        self.0.cancel(id).map_err(worker_failed)
    }
}
