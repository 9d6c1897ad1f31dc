//! The playground's yew app, built by Trunk from `index.html`: this is its home module (the shell,
//! the navigation and the overview), what the first visit loads. Every other page is in a page
//! chunk (`chunk_*.rs`, `route::Chunk`) that `chunks.rs` fetches the first time it is opened.
//!
//! Page state lives in plain-Rust reducers (`pages/*/state.rs`), routes in `route.rs`: both compile
//! for every target and are tested natively (`cargo test --bin app`). Components (wasm32) render
//! state and dispatch actions; the browser's I/O sits in `services/`; domain logic is the library's.
//! Natively `main` only says where the app runs.

#[macro_use]
mod macros;

// Natively only the tests use the pages' state: the components that use the rest are wasm32's.
#[cfg(target_arch = "wasm32")]
mod chunks;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod pages;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod route;
#[cfg(target_arch = "wasm32")]
mod services;
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod share;
#[cfg(target_arch = "wasm32")]
mod shell;

/// This module's pages: the home ones.
#[cfg(target_arch = "wasm32")]
const CHUNK: route::Chunk = route::Chunk::Home;

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
