//! The ESDK page's file worker: one module worker (`www/esdk-worker.js`, over the JS package) that
//! streams a file through `EsdkEncryptor` / `EsdkDecryptor` into the origin private file system.
//!
//! This service starts it, posts `run` and `cancel` messages, reads its messages into the file
//! panel's actions (`pages/esdk/state/files.rs`) and offers each result as a download link, which is
//! revoked when the next job starts or the worker goes. Messages cross as serde values
//! (`serde-wasm-bindgen`, the `File` and result `Blob` preserved as they are).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_file::ObjectUrl;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use web_sys::{Blob, File};
use yew::Callback;

use super::module_worker::ModuleWorker;

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

/// The result of a `done` message.
#[derive(Deserialize)]
struct Done {
    #[serde(with = "serde_wasm_bindgen::preserve")]
    file: Blob,
}

/// The worker, its message listener, and the current download link; the worker ends when this goes.
pub struct FileWorker {
    worker: ModuleWorker,
    download: Rc<RefCell<Option<ObjectUrl>>>,
    /// The download name of the running job's result.
    name: Rc<RefCell<String>>,
}

fn worker_failed(message: String) -> Failure {
    Failure::new("WorkerFailed", message)
}

impl FileWorker {
    /// Starts the worker; its messages become actions sent to `dispatch`.
    pub fn start(dispatch: Callback<Action>) -> Result<Self, Failure> {
        let download = Rc::new(RefCell::new(None::<ObjectUrl>));
        let name = Rc::new(RefCell::new(String::new()));
        let (d, n) = (download.clone(), name.clone());
        let worker = ModuleWorker::start(SCRIPT, "file worker", move |data| {
            let Ok(msg) = serde_wasm_bindgen::from_value::<WorkerMessage>(data.clone()) else { return };
            let link = if msg.kind == "done" {
                serde_wasm_bindgen::from_value::<Done>(data).ok().map(|done| {
                    let url = ObjectUrl::from(gloo_file::Blob::from(done.file));
                    let href = url.to_string();
                    // The previous result's link is revoked as it is replaced.
                    *d.borrow_mut() = Some(url);
                    (href, n.borrow().clone())
                })
            } else {
                None
            };
            if let Some(action) = msg.action(link) {
                dispatch.emit(action);
            }
        })
        .map_err(worker_failed)?;
        Ok(Self { worker, download, name })
    }

    /// Sends job `id` to the worker: `file` through `mode` with the JS API's `options`.
    pub fn run(&self, id: u32, mode: Mode, file: &File, options: &Value) -> Result<(), Failure> {
        // The old result's download link goes with the new job.
        self.download.borrow_mut().take();
        *self.name.borrow_mut() = mode.output_name(&file.name());
        let msg =
            Run { kind: "run", id, mode: mode.word(), file: file.clone(), options: options.to_string() };
        self.worker.post(&msg).map_err(worker_failed)
    }

    /// Asks the worker to stop job `id` (it answers `cancelled`).
    pub fn cancel(&self, id: u32) -> Result<(), Failure> {
        self.worker.cancel(id).map_err(worker_failed)
    }
}
