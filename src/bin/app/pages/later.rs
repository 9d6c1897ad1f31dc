//! Work a page puts off until after its first render, in tasks of their own: the page's frame
//! (headings, texts, controls, "Working…" where the result goes) in the task that mounts it, the
//! first evaluation of its state in the next, and the render of what that found in a third.
//!
//! Why: on a page chunk's first open, V8 compiles each wasm function the first time it is called,
//! on the page's thread (lazy compilation: `wasm.CompileLazy` in a Chromium trace; the streaming
//! compile does not compile function bodies). The first render and the first evaluation called
//! some 1,500 functions for the first time in one task: 329 ms for `#/fms` (237 ms of it
//! compiling), 127 ms for `#/acm`, on the shared 2-core machine at load 12
//! (`tools/trace-first-open.mjs`), over the long-task budget (issue 16, `tests/e2e/harness.mjs`).
//! Spread over three tasks, each compiles and runs only its part. A `setTimeout(0)` and not a
//! worker: a worker would compile the same engine code again in its own thread on every first
//! open and copy the state in and out, for work that is tens of milliseconds once compiled.
//! Not for the Firewall Manager page, whose evaluation is a worker's (`services::fms_worker`):
//! its first one alone is over the budget on a loaded machine, and every edit evaluates the
//! whole organisation again.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Runs `f` in a later browser task (`setTimeout(0)`), unless `gone` is set by then.
fn after(gone: std::rc::Rc<std::cell::Cell<bool>>, f: impl FnOnce() + 'static) {
    let f = Closure::once_into_js(move || {
        if !gone.get() {
            f();
        }
    });
    if let Some(w) = web_sys::window() {
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(f.unchecked_ref(), 0);
    }
}

/// After the component's first render: `work()` in a task of its own, then `show(result)` in the
/// next (so what `show` dispatches renders apart from the work). Neither runs once the component
/// is gone.
#[hook]
pub fn use_later<T, W, S>(work: W, show: S)
where
    T: 'static,
    W: FnOnce() -> T + 'static,
    S: FnOnce(T) + 'static,
{
    use_effect_with((), move |_| {
        let gone = std::rc::Rc::new(std::cell::Cell::new(false));
        let then = gone.clone();
        after(gone.clone(), move || {
            let result = work();
            after(then, move || show(result));
        });
        move || gone.set(true)
    });
}
