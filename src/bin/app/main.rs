//! The playground's yew app, built by Trunk from `index.html` (wasm32 only; natively an empty `main`).
//!
//! Components render state and dispatch to the engines in the library; they hold no domain logic.

#[cfg(target_arch = "wasm32")]
mod pages;
#[cfg(target_arch = "wasm32")]
mod route;
#[cfg(target_arch = "wasm32")]
mod shell;

#[cfg(target_arch = "wasm32")]
fn main() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(boot) = document.get_element_by_id("boot") {
        boot.remove();
    }
    match document.get_element_by_id("app") {
        Some(root) => {
            yew::Renderer::<shell::App>::with_root(root).render();
        }
        None => web_sys::console::error_1(&"secplay: no #app element in the page".into()),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "secplay's app runs in the browser: `make run` builds it and serves it on http://127.0.0.1:8080"
    );
}
