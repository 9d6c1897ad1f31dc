//! The WAF page's web ACL checker: one module worker (`www/waf-acl-worker.js`, over the JS
//! package's `WebAcl`) that builds a big ACL off the page's thread and answers its capacity or its
//! errors (`pages/waf/check.rs`). Started at the first big text; a newer check supersedes an older
//! one in the worker (only the newest queued is built) and in the page (an older answer is
//! dropped), so no cancel message is needed.

use serde::Serialize;
use yew::Callback;

use super::module_worker::ModuleWorker;
use crate::pages::waf::check::WorkerMessage;
use crate::pages::waf::state::Action;

/// The worker script, beside the page.
const SCRIPT: &str = "waf-acl-worker.js";

#[derive(Serialize)]
struct Check<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    id: u32,
    /// The web ACL and its resources, as the page's texts hold them.
    acl: &'a str,
    resources: &'a str,
}

/// The worker; it ends when this goes.
pub struct AclWorker(ModuleWorker);

impl AclWorker {
    /// Starts the worker; its messages become actions sent to `dispatch`.
    pub fn start(dispatch: Callback<Action>) -> Result<Self, String> {
        let worker = ModuleWorker::start(SCRIPT, "web ACL checker", move |data| {
            let Ok(msg) = serde_wasm_bindgen::from_value::<WorkerMessage>(data) else { return };
            if let Some(action) = crate::pages::waf::check::action(msg) {
                dispatch.emit(action);
            }
        });
        worker.map(Self)
    }

    /// Asks for check `id` of `acl` and `resources`.
    pub fn check(&self, id: u32, acl: &str, resources: &str) -> Result<(), String> {
        self.0.post(&Check { kind: "check", id, acl, resources })
    }
}
