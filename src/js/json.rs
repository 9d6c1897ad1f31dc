//! Moving JSON across the boundary: JS values in, `serde_json::Value` for the engines' JSON layers,
//! plain JS objects out (never `Map`s, so results print and serialize as users expect).

use serde::Serialize as _;
use wasm_bindgen::JsValue;

use super::error::js_error;

/// A JS value (object, array, string, …) as JSON. A string is taken as a string, not parsed.
pub fn from_js(value: JsValue) -> Result<serde_json::Value, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| js_error("InvalidInput", &format!("not JSON-like input: {e}")))
}

/// A JSON value as a plain JS value.
pub fn to_js(value: &serde_json::Value) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error("Internal", &format!("could not build the result: {e}")))
}
