//! Moving JSON across the boundary: JS values in, `serde_json::Value` for the engines' JSON layers,
//! plain JS objects out (never `Map`s, so results print and serialize as users expect).

use serde::Serialize as _;
use wasm_bindgen::JsValue;

use super::error::js_error;

/// A JS value (object, array, string, …) as JSON, nesting and size bounded. A string is taken as a
/// string, not parsed. Exported functions check an argument's kind first with [`super::args::json`].
pub fn from_js(value: JsValue) -> Result<serde_json::Value, JsValue> {
    super::args::convert(value, "value")
}

/// A JSON value as a plain JS value.
pub fn to_js(value: &serde_json::Value) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error("Internal", &format!("could not build the result: {e}")))
}
