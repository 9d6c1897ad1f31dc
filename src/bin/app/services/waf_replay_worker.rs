//! The WAF replay tab's worker: one module worker (`www/waf-replay-worker.js`, over the JS
//! package) that reads an AWS WAF log through `LogReplayer` in 1 MiB slices.
//!
//! This service starts it, posts `run` and `cancel` messages and reads its messages into the
//! tab's actions (`pages/waf/replay/state.rs`). Messages cross as serde values (the `Blob`, a
//! chosen `File` or the built-in example, preserved as it is).

use serde::Serialize;
use web_sys::Blob;
use yew::Callback;

use super::module_worker::ModuleWorker;
use crate::pages::waf::replay::state::{Action, WorkerMessage};
use crate::pages::waf::state::Problem;

/// The worker script, beside the page.
const SCRIPT: &str = "waf-replay-worker.js";

#[derive(Serialize)]
struct Run {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u32,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    file: Blob,
    /// The web ACL, its resources and `LogReplayer`'s options, as JSON text.
    acl: String,
    resources: String,
    options: String,
}

/// The worker; it ends when this goes.
pub struct ReplayWorker(ModuleWorker);

fn worker_failed(message: String) -> Problem {
    Problem { code: "WorkerFailed".into(), message, place: None, ..Problem::default() }
}

impl ReplayWorker {
    /// Starts the worker; its messages become actions sent to `dispatch`.
    pub fn start(dispatch: Callback<Action>) -> Result<Self, Problem> {
        let worker = ModuleWorker::start(SCRIPT, "replay worker", move |data| {
            let Ok(msg) = serde_wasm_bindgen::from_value::<WorkerMessage>(data) else { return };
            if let Some(action) = msg.action() {
                dispatch.emit(action);
            }
        });
        worker.map(Self).map_err(worker_failed)
    }

    /// Sends replay `id` to the worker: `file` through `acl` and `resources` with `options`.
    pub fn run(
        &self,
        id: u32,
        file: &Blob,
        acl: String,
        resources: String,
        options: String,
    ) -> Result<(), Problem> {
        let msg = Run { kind: "run", id, file: file.clone(), acl, resources, options };
        self.0.post(&msg).map_err(worker_failed)
    }

    /// Asks the worker to stop replay `id` (it answers `cancelled`).
    pub fn cancel(&self, id: u32) -> Result<(), Problem> {
        self.0.cancel(id).map_err(worker_failed)
    }
}
