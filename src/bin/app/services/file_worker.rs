//! The ESDK page's file worker: one module worker (`www/esdk-worker.js`, over the JS package) that
//! streams a file through `EsdkEncryptor` / `EsdkDecryptor` into the origin private file system.
//!
//! This service starts it, posts `run` and `cancel` messages, reads its messages into the file
//! panel's actions (`pages/esdk/state/files.rs`) and offers each result as a download link, which is
//! revoked when the next job starts or the worker goes. Messages cross as serde values
//! (`serde-wasm-bindgen`, the `File` and result `Blob` preserved as they are).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_events::EventListener;
use gloo_file::ObjectUrl;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{Blob, File, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use crate::pages::esdk::state::files::{Action, Mode, WorkerMessage};
use crate::pages::esdk::state::Failure;

/// The worker script, beside the page.
const SCRIPT: &str = "esdk-worker.js";

#[derive(Serialize)]
struct Run {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u32,
    mode: &'static str,
    #[serde(with = "serde_wasm_bindgen::preserve")]
    file: File,
    /// The options as JSON text (the worker passes them to the JS API).
    options: String,
}

#[derive(Serialize)]
struct Cancel {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u32,
}

/// The result of a `done` message.
#[derive(Deserialize)]
struct Done {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    file: Blob,
}

/// The worker, its message listener, and the current download link; the worker ends when this goes.
pub struct FileWorker {
    worker: Worker,
    _on_message: EventListener,
    download: Rc<RefCell<Option<ObjectUrl>>>,
    /// The download name of the running job's result.
    name: Rc<RefCell<String>>,
}

fn worker_failed(message: &str) -> Failure {
    Failure::new("WorkerFailed", message)
}

impl FileWorker {
    /// Starts the worker; its messages become actions sent to `dispatch`.
    pub fn start(dispatch: Callback<Action>) -> Result<Self, Failure> {
        let opts = WorkerOptions::new();
        opts.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(SCRIPT, &opts).map_err(|_| {
            worker_failed("this browser could not start the file worker (module workers are needed)")
        })?;
        let download = Rc::new(RefCell::new(None::<ObjectUrl>));
        let name = Rc::new(RefCell::new(String::new()));
        let on_message = {
            let (download, name) = (download.clone(), name.clone());
            EventListener::new(&worker, "message", move |e| {
                let Some(data) = e.dyn_ref::<MessageEvent>().map(MessageEvent::data) else { return };
                let Ok(msg) = serde_wasm_bindgen::from_value::<WorkerMessage>(data.clone()) else { return };
                let link = if msg.kind == "done" {
                    serde_wasm_bindgen::from_value::<Done>(data).ok().map(|d| {
                        let url = ObjectUrl::from(gloo_file::Blob::from(d.file));
                        let href = url.to_string();
                        // The previous result's link is revoked as it is replaced.
                        *download.borrow_mut() = Some(url);
                        (href, name.borrow().clone())
                    })
                } else {
                    None
                };
                if let Some(action) = msg.action(link) {
                    dispatch.emit(action);
                }
            })
        };
        Ok(Self { worker, _on_message: on_message, download, name })
    }

    /// Sends job `id` to the worker: `file` through `mode` with the JS API's `options`.
    pub fn run(&self, id: u32, mode: Mode, file: &File, options: &Value) -> Result<(), Failure> {
        // The old result's download link goes with the new job.
        self.download.borrow_mut().take();
        *self.name.borrow_mut() = mode.output_name(&file.name());
        let msg =
            Run { kind: "run", id, mode: mode.word(), file: file.clone(), options: options.to_string() };
        self.post(&msg)
    }

    /// Asks the worker to stop job `id` (it answers `cancelled`).
    pub fn cancel(&self, id: u32) -> Result<(), Failure> {
        self.post(&Cancel { kind: "cancel", id })
    }

    fn post(&self, msg: &impl Serialize) -> Result<(), Failure> {
        let value = serde_wasm_bindgen::to_value(msg)
            .map_err(|_| worker_failed("could not build the message to the worker"))?;
        self.worker.post_message(&value).map_err(|_| worker_failed("could not reach the file worker"))
    }
}

impl Drop for FileWorker {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}
