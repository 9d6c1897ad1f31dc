//! The page chunk `notes`: the notes' chapters (`#/notes`, `#/notes/<id>`), a wasm module of
//! their own (with the engines the chapters run) that the home module fetches the first time one
//! of them is opened (`route::Chunk`, `chunks.rs`). The module tree is the app's; `CHUNK` keeps
//! only these pages' code.

#[macro_use]
mod macros;

#[cfg(target_arch = "wasm32")]
#[allow(dead_code)]
mod chunks;
#[allow(dead_code)]
mod pages;
#[allow(dead_code)]
mod route;
#[cfg(target_arch = "wasm32")]
#[allow(dead_code)]
mod services;
#[allow(dead_code)]
mod share;

/// This module's pages.
#[cfg(target_arch = "wasm32")]
const CHUNK: route::Chunk = route::Chunk::Notes;

/// Nothing runs at load: `www/chunks.js` calls `mount`.
fn main() {}
