//! A module worker beside the page (over the JS package) that runs one file job at a time: started
//! on demand, sent `run` messages (each page's own) and `cancel`, its messages handed to the page's
//! service to read. The ESDK file worker, the S3 inventory worker and the scanner's file worker are
//! each this plus their own message types. The worker ends when this goes.

use gloo_events::EventListener;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{MessageEvent, Worker, WorkerOptions, WorkerType};

/// What failed, for the page to show (each page wraps it in its own problem type with the code
/// `WorkerFailed`).
pub type WorkerError = String;

#[derive(Serialize)]
struct Cancel {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u32,
}

/// The worker and its message listener.
pub struct ModuleWorker {
    worker: Worker,
    /// What the page calls the worker in messages ("inventory worker", …).
    what: &'static str,
    _on_message: EventListener,
    /// The `error` listener, when the page asked for one ([`Self::on_error`]).
    _on_error: Option<EventListener>,
}

impl ModuleWorker {
    /// Starts `script` as a module worker; each message's data goes to `on_message`.
    pub fn start(
        script: &str,
        what: &'static str,
        on_message: impl Fn(JsValue) + 'static,
    ) -> Result<Self, WorkerError> {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(script, &opts)
            .map_err(|_| format!("this browser could not start the {what} (module workers are needed)"))?;
        let listener = EventListener::new(&worker, "message", move |e| {
            if let Some(data) = e.dyn_ref::<MessageEvent>().map(MessageEvent::data) {
                on_message(data);
            }
        });
        Ok(Self { worker, what, _on_message: listener, _on_error: None })
    }

    /// Posts `msg` (a serde value; `File`s and `Blob`s marked `preserve` cross as they are).
    pub fn post(&self, msg: &impl Serialize) -> Result<(), WorkerError> {
        let value = serde_wasm_bindgen::to_value(msg)
            .map_err(|_| "could not build the message to the worker".to_string())?;
        self.worker.post_message(&value).map_err(|_| format!("could not reach the {}", self.what))
    }

    /// Calls `f` at each `error` event of the worker: its script or a module it imports did not
    /// load (offline before they were cached, say), or an exception escaped its handlers.
    pub fn on_error(&mut self, f: impl Fn() + 'static) {
        self._on_error = Some(EventListener::new(&self.worker, "error", move |_| f()));
    }

    /// Asks the worker to stop job `id` (it answers `cancelled`).
    pub fn cancel(&self, id: u32) -> Result<(), WorkerError> {
        self.post(&Cancel { kind: "cancel", id })
    }
}

impl Drop for ModuleWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
