//! Choosing a file from a file input or by dropping it on a zone: the callbacks the ESDK and S3 file
//! panels share, so each page says only what it does with the file it is given.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

/// A drop zone's callbacks, and whether a file is being dragged over it (for its `over` class).
pub struct FileDrop {
    pub dragging: bool,
    pub on_change: Callback<Event>,
    pub on_drop: Callback<DragEvent>,
    pub on_drag_over: Callback<DragEvent>,
    pub on_drag_leave: Callback<DragEvent>,
}

/// The callbacks for a zone whose file input and drop both hand the first file to `choose`.
#[hook]
pub fn use_file_drop(choose: Rc<dyn Fn(File)>) -> FileDrop {
    let dragging = use_state(|| false);
    let on_change = {
        let choose = choose.clone();
        Callback::from(move |e: Event| {
            let input = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
            if let Some(f) = input.and_then(|i| i.files()).and_then(|l| l.get(0)) {
                choose(f);
            }
        })
    };
    let on_drop = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(f) = e.data_transfer().and_then(|d| d.files()).and_then(|l| l.get(0)) {
                choose(f);
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*dragging {
                dragging.set(true);
            }
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    FileDrop { dragging: *dragging, on_change, on_drop, on_drag_over, on_drag_leave }
}
