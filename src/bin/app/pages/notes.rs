//! The notes pages: `#/notes` lists the chapters of `secplay::notes` by the digest's section,
//! `#/notes/<id>` runs one chapter, its steps revealed one at a time, each with its engine, what
//! AWS does, the result, and a link to the engine's page with the step's state loaded; a variant
//! ("remove a permission") reruns it and shows the step that fails. The state (`state`) and the
//! links (`links`) are plain Rust, tested natively; the component (`view`) is the browser's.

pub mod links;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod view;

#[cfg(target_arch = "wasm32")]
pub use view::NotesPage;
