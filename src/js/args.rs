//! The arguments of every exported function, checked before anything reaches an engine.
//!
//! Without TypeScript nothing stops a caller from passing `0` where a string belongs, and
//! wasm-bindgen's own conversions trust the declared types: a `&str` or `&[u8]` parameter given a
//! number reads wasm memory at a nonsense address (a trap), an `Option<u32>` given a string reads
//! 0. So exported functions take their arguments as `JsValue` and check them here; a wrong type is
//! a `SecplayError` with code `InvalidInput` whose message names the argument, what it expected
//! and what it got.
//!
//! JSON-like values are also bounded before conversion: [`MAX_DEPTH`] levels of objects and arrays
//! and [`MAX_NODES`] of them in all, measured by a loop in JS (`args.js`). Converting a value nested
//! 100,000 deep would overflow the stack in the middle of a call and leave the instance unusable;
//! a value that contains itself counts as too deep.
//!
//! This is not where domain checks live (a key of the wrong length, an unknown policy type): the
//! engines make those, with their own codes.

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;

use super::error::js_error;

/// Deepest nesting of objects and arrays accepted in a JS value: serde_json's own limit, which
/// bounds the JSON-text inputs of the engines that parse with it.
pub const MAX_DEPTH: u32 = 128;

/// Most objects and arrays accepted in one JS value (about a million requests of a WAF replay).
pub const MAX_NODES: u32 = 1 << 24;

#[wasm_bindgen(module = "/src/js/args.js")]
extern "C" {
    #[wasm_bindgen(js_name = kindOf)]
    fn kind_of(value: &JsValue) -> String;

    #[wasm_bindgen(js_name = nestingOver, catch)]
    fn nesting_over(value: &JsValue, max_depth: u32, max_nodes: u32) -> Result<u32, JsValue>;
}

/// The error for argument `name` that is not `expected`.
pub fn wrong_type(name: &str, expected: &str, value: &JsValue) -> JsValue {
    js_error("InvalidInput", &format!("`{name}` must be {expected}, got {}", kind_of(value)))
}

/// `undefined` and `null` stand for an optional argument left out.
pub fn present(value: Option<JsValue>) -> Option<JsValue> {
    value.filter(|v| !v.is_undefined() && !v.is_null())
}

/// A string.
pub fn string(value: &JsValue, name: &str) -> Result<String, JsValue> {
    value.as_string().ok_or_else(|| wrong_type(name, "a string", value))
}

/// An optional string.
pub fn optional_string(value: Option<JsValue>, name: &str) -> Result<Option<String>, JsValue> {
    present(value).map(|v| string(&v, name)).transpose()
}

/// A `Uint8Array` (a Node `Buffer` is one), not copied.
pub fn uint8_array(value: &JsValue, name: &str) -> Result<Uint8Array, JsValue> {
    value.dyn_ref::<Uint8Array>().cloned().ok_or_else(|| wrong_type(name, "a Uint8Array", value))
}

/// The bytes of a `Uint8Array`, copied into wasm memory.
pub fn bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    uint8_array(value, name).map(|a| a.to_vec())
}

/// The bytes of an optional `Uint8Array`.
pub fn optional_bytes(value: Option<JsValue>, name: &str) -> Result<Option<Vec<u8>>, JsValue> {
    present(value).map(|v| bytes(&v, name)).transpose()
}

/// An optional whole number from 0 to 2^32 - 1.
pub fn optional_u32(value: Option<JsValue>, name: &str) -> Result<Option<u32>, JsValue> {
    let Some(v) = present(value) else { return Ok(None) };
    let n = v.as_f64().ok_or_else(|| wrong_type(name, "a whole number", &v))?;
    if n.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&n) {
        return Err(js_error(
            "InvalidInput",
            &format!("`{name}` must be a whole number from 0 to 4294967295, got {n}"),
        ));
    }
    // In range and whole, so the conversion is exact.
    Ok(Some(n as u32))
}

/// An object (not an array, a `Map` or a typed array), for reading fields one by one.
pub fn object(value: &JsValue, name: &str) -> Result<(), JsValue> {
    if kind_of(value) == "an object" {
        Ok(())
    } else {
        Err(wrong_type(name, "an object", value))
    }
}

/// Which JSON-like values an argument takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Accept {
    object: bool,
    array: bool,
    text: bool,
}

impl Accept {
    /// An object only.
    pub const OBJECT: Self = Self { object: true, array: false, text: false };
    /// An object, or JSON text.
    pub const OBJECT_OR_TEXT: Self = Self { object: true, array: false, text: true };
    /// An array, or JSON text.
    pub const ARRAY_OR_TEXT: Self = Self { object: false, array: true, text: true };
    /// An object, an array, or text.
    pub const ANY: Self = Self { object: true, array: true, text: true };

    fn describe(self) -> &'static str {
        match (self.object, self.array, self.text) {
            (true, false, false) => "an object",
            (true, false, true) => "an object or JSON text",
            (false, true, true) => "an array or JSON text",
            (false, true, false) => "an array",
            (true, true, false) => "an object or an array",
            _ => "an object, an array or text",
        }
    }
}

/// A JSON-like argument: text as given (positions in errors refer to it), or a converted value.
#[derive(Debug)]
pub enum Json {
    /// A string, not parsed here.
    Text(String),
    /// An object or array, converted.
    Value(serde_json::Value),
}

/// A JSON-like argument of one of the kinds `accept` names, converted (depth and size bounded).
pub fn json_or_text(value: JsValue, name: &str, accept: Accept) -> Result<Json, JsValue> {
    if let Some(text) = value.as_string() {
        return if accept.text {
            Ok(Json::Text(text))
        } else {
            Err(wrong_type(name, accept.describe(), &value))
        };
    }
    let kind = kind_of(&value);
    let fits = (accept.object && kind == "an object") || (accept.array && kind == "an array");
    if !fits {
        return Err(wrong_type(name, accept.describe(), &value));
    }
    convert(value, name).map(Json::Value)
}

/// As [`json_or_text`], with text as a JSON string value (for engines that take either).
pub fn json(value: JsValue, name: &str, accept: Accept) -> Result<serde_json::Value, JsValue> {
    Ok(match json_or_text(value, name, accept)? {
        Json::Text(text) => serde_json::Value::String(text),
        Json::Value(v) => v,
    })
}

/// An optional JSON-like argument; `Null` when left out.
pub fn optional_json(
    value: Option<JsValue>,
    name: &str,
    accept: Accept,
) -> Result<serde_json::Value, JsValue> {
    present(value).map_or(Ok(serde_json::Value::Null), |v| json(v, name, accept))
}

/// Any JS value as JSON, once its nesting and size are known to be within bounds.
pub fn convert(value: JsValue, name: &str) -> Result<serde_json::Value, JsValue> {
    bounded(&value, name)?;
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| js_error("InvalidInput", &format!("`{name}` is not JSON-like: {e}")))
}

/// Refuses a value nested deeper than [`MAX_DEPTH`] or holding more than [`MAX_NODES`] objects.
pub fn bounded(value: &JsValue, name: &str) -> Result<(), JsValue> {
    match nesting_over(value, MAX_DEPTH, MAX_NODES) {
        Ok(0) => Ok(()),
        Ok(1) => Err(js_error(
            "InvalidInput",
            &format!("`{name}`: nesting is too deep (more than {MAX_DEPTH} levels, or a value that contains itself)"),
        )),
        Ok(_) => Err(js_error("InvalidInput", &format!("`{name}` holds more than {MAX_NODES} objects and arrays"))),
        Err(e) => Err(js_error("InvalidInput", &format!("`{name}` could not be read: {}", describe_thrown(&e)))),
    }
}

/// The message of something thrown while reading a value (a getter, a proxy).
fn describe_thrown(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>().map_or_else(|| kind_of(e), |e| String::from(e.message()))
}
