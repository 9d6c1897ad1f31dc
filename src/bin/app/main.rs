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

/// Natively: `app gallery <index.html>` writes the home page's examples (`gallery.rs`) into a
/// built `index.html` (`tools/build-chunks.sh` runs it); anything else says where the app runs.
#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [command, path] = args.as_slice() {
        if command == "gallery" {
            let written = std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read `{path}`: {e}"))
                .and_then(|html| pages::gallery::inject(&html, &pages::gallery::cards()?))
                .and_then(|html| {
                    std::fs::write(path, html).map_err(|e| format!("cannot write `{path}`: {e}"))
                });
            return match written {
                Ok(()) => std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("app gallery: {e}");
                    std::process::ExitCode::FAILURE
                }
            };
        }
    }
    eprintln!(
        "secplay's app runs in the browser: `make run` builds it and serves it on http://127.0.0.1:8080"
    );
    std::process::ExitCode::SUCCESS
}
