//! The theme choice in the browser: `localStorage["secplay-theme"]` (the same key `www/theme.js`
//! reads before the first paint) and the `<html data-theme>` attribute `www/style.css` selects on.
//! Strings only: which values mean what is `pages::theme::Theme`'s. Storage that throws (a sandboxed
//! frame, storage switched off) is treated as empty: the theme then lasts for the page's life.

use wasm_bindgen::prelude::*;

const KEY: &str = "secplay-theme";

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = localStorage, js_name = getItem)]
    fn get_item(key: &str) -> Result<Option<String>, JsValue>;
    #[wasm_bindgen(catch, js_namespace = localStorage, js_name = setItem)]
    fn set_item(key: &str, value: &str) -> Result<(), JsValue>;
    #[wasm_bindgen(catch, js_namespace = localStorage, js_name = removeItem)]
    fn remove_item(key: &str) -> Result<(), JsValue>;
}

/// The stored choice, if any.
pub fn saved() -> Option<String> {
    get_item(KEY).ok().flatten()
}

/// Shows and remembers a choice: `Some(value)` sets `data-theme` and stores it; `None` (follow
/// the system) removes both.
pub fn apply(value: Option<&str>) {
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element());
    match value {
        Some(v) => {
            if let Some(root) = root {
                let _ = root.set_attribute("data-theme", v);
            }
            let _ = set_item(KEY, v);
        }
        None => {
            if let Some(root) = root {
                let _ = root.remove_attribute("data-theme");
            }
            let _ = remove_item(KEY);
        }
    }
}
