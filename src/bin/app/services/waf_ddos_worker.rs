//! The DDoS practice page's worker: one module worker (`www/waf-ddos-worker.js`, over the JS
//! package) that runs a flood through `FloodSimulator` off the page's thread, with progress.
//!
//! This service starts it, posts `run` messages and reads its messages into the page's actions
//! (`pages/waf_ddos/state.rs`). Cancel is dropping this (the worker is terminated): a run is one
//! call into the engine, so a `cancel` message could not reach it before the end.

use serde::Serialize;
use yew::Callback;

use super::module_worker::ModuleWorker;
use crate::pages::waf_ddos::state::{Action, RunRequest, WorkerMessage};

/// The worker script, beside the page.
const SCRIPT: &str = "waf-ddos-worker.js";

#[derive(Serialize)]
struct Run<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u32,
    /// The web ACL, the scenario and the simulator's options, as JSON text.
    acl: &'a str,
    scenario: &'a str,
    options: &'a str,
}

/// The worker; it ends when this goes.
pub struct FloodWorker(ModuleWorker);

impl FloodWorker {
    /// Starts the worker; its messages become actions sent to `dispatch`.
    pub fn start(dispatch: Callback<Action>) -> Result<Self, String> {
        let worker = ModuleWorker::start(SCRIPT, "flood worker", move |data| {
            let Ok(msg) = serde_wasm_bindgen::from_value::<WorkerMessage>(data) else { return };
            if let Some(action) = msg.action() {
                dispatch.emit(action);
            }
        });
        worker.map(Self)
    }

    /// Sends run `id` to the worker.
    pub fn run(&self, id: u32, request: &RunRequest) -> Result<(), String> {
        let msg = Run {
            kind: "run",
            id,
            acl: &request.acl,
            scenario: &request.scenario,
            options: &request.options,
        };
        self.0.post(&msg)
    }
}
