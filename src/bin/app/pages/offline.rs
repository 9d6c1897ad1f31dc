//! The shell's offline status (wasm32): registers the service worker through `www/offline.js`
//! and says, in a live region in the header, "Works offline" once the app is cached, and "A new
//! version is available — Reload" when a new build is waiting. The page reloads only when the
//! person presses Reload. What is cached and when is the worker's (`www/sw.js`).

use wasm_bindgen::prelude::*;
use yew::prelude::*;

#[wasm_bindgen(module = "/www/offline.js")]
extern "C" {
    /// Registers `sw.js` and calls `report` with "ready", "update", "unsupported" or "failed".
    #[wasm_bindgen(js_name = startOffline)]
    fn start_offline(report: &Closure<dyn FnMut(String)>);

    /// Lets the waiting build take over, then reloads.
    #[wasm_bindgen(js_name = applyUpdate)]
    fn apply_update();
}

/// What the worker reported: an update, once announced, stays announced.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Offline {
    ready: bool,
    update: bool,
}

impl Reducible for Offline {
    type Action = String;

    fn reduce(self: std::rc::Rc<Self>, report: String) -> std::rc::Rc<Self> {
        let mut next = *self;
        match report.as_str() {
            "ready" => next.ready = true,
            "update" => next.update = true,
            _ => {}
        }
        std::rc::Rc::new(next)
    }
}

#[function_component]
pub fn OfflineStatus() -> Html {
    let status = use_reducer(Offline::default);
    {
        let status = status.clone();
        use_effect_with((), move |_| {
            let report = Closure::<dyn FnMut(String)>::new(move |s: String| status.dispatch(s));
            start_offline(&report);
            // The shell lives as long as the page, and so does the worker's reporter.
            report.forget();
        });
    }
    let onclick = Callback::from(|_: MouseEvent| apply_update());
    html! {
        <span id="offline" class="offline" aria-live="polite">
            if status.update {
                <span id="offline-update">{"A new version is available — "}
                    <button type="button" id="offline-reload" class="link" {onclick}>{"Reload"}</button></span>
            } else if status.ready {
                <span id="offline-ready" title="This site is cached in your browser: it opens and runs without a network">{"Works offline"}</span>
            }
        </span>
    }
}
