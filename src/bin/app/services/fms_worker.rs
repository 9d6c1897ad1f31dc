//! The Firewall Manager page's evaluator: one module worker (`www/fms-worker.js`, over the JS
//! package's `evaluateFirewallManager` and `parseRequestText`) that evaluates the organisation
//! off the page's thread and answers the page's result (`pages/fms/state.rs`, `Action::Evaluated`).
//! Started at the page's first evaluation; a newer evaluation supersedes an older one in the
//! worker (only the newest queued runs) and in the page (an older answer is dropped), so no
//! cancel message is needed. A worker that cannot run (its script or the package would not load)
//! is answered as failed, and the page evaluates on its own thread.

use std::cell::Cell;
use std::rc::Rc;

use serde::Serialize;
use yew::Callback;

use super::module_worker::ModuleWorker;
use crate::pages::fms::state::Action;
use crate::pages::fms::worker::WorkerMessage;

/// The worker script, beside the page.
const SCRIPT: &str = "fms-worker.js";
/// What the page calls it in messages.
const WHAT: &str = "Firewall Manager evaluator";

#[derive(Serialize)]
struct Evaluate<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u32,
    /// The page's texts, clock and selected resource, as its state holds them.
    org: &'a str,
    policies: &'a str,
    request: &'a str,
    clock: u64,
    selected: Option<&'a str>,
}

/// What the page asks the worker to evaluate.
pub struct Job<'a> {
    pub id: u32,
    pub org: &'a str,
    pub policies: &'a str,
    pub request: &'a str,
    pub clock: u64,
    pub selected: Option<&'a str>,
}

/// The worker; it ends when this goes.
pub struct FmsWorker {
    worker: ModuleWorker,
    /// The newest job posted: the one a worker that failed to load leaves unanswered.
    last: Rc<Cell<u32>>,
    /// Set when the worker's script failed: later jobs are answered as failed at once.
    broken: Rc<Cell<bool>>,
}

impl FmsWorker {
    /// Starts the worker; its messages become actions sent to `dispatch`.
    pub fn start(dispatch: Callback<Action>) -> Result<Self, String> {
        let d = dispatch.clone();
        let mut worker = ModuleWorker::start(SCRIPT, WHAT, move |data| {
            let Ok(msg) = serde_wasm_bindgen::from_value::<WorkerMessage>(data) else { return };
            if let Some(action) = crate::pages::fms::worker::action(msg) {
                d.emit(action);
            }
        })?;
        let (last, broken) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(false)));
        let (l, b) = (last.clone(), broken.clone());
        // A module worker whose script (or the package it imports) does not load says so only
        // by an `error` event on the worker, and answers nothing after it.
        worker.on_error(move || {
            if !b.replace(true) {
                dispatch.emit(Action::Evaluated(l.get(), Err(format!("the {WHAT} could not start"))));
            }
        });
        Ok(Self { worker, last, broken })
    }

    /// Asks for `job`.
    pub fn evaluate(&self, job: &Job) -> Result<(), String> {
        if self.broken.get() {
            return Err(format!("the {WHAT} could not start"));
        }
        self.last.set(job.id);
        self.worker.post(&Evaluate {
            kind: "evaluate",
            id: job.id,
            org: job.org,
            policies: job.policies,
            request: job.request,
            clock: job.clock,
            selected: job.selected,
        })
    }
}
