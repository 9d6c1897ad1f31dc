//! Turning engine errors into JS `Error` objects with a stable `code`: the one place that knows how.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

/// Build `Error(message)` with `name = "SecplayError"` and `code`.
pub fn js_error(code: &str, message: &str) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("SecplayError");
    // Setting a property on a fresh Error cannot fail; if it ever did, the message still arrives.
    let _ = Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    err.into()
}

/// An engine error with a `code()`.
pub trait Coded: std::fmt::Display {
    /// The stable code.
    fn code(&self) -> &'static str;
}

impl Coded for crate::crypto::envelope::EnvelopeError {
    fn code(&self) -> &'static str {
        Self::code(self)
    }
}

impl Coded for crate::crypto::esdk::EsdkError {
    fn code(&self) -> &'static str {
        Self::code(self)
    }
}

impl Coded for crate::waf::WafError {
    fn code(&self) -> &'static str {
        Self::code(self)
    }
}

impl Coded for crate::policy::PolicyError {
    fn code(&self) -> &'static str {
        Self::code(self)
    }
}

impl Coded for crate::web::webcrypto::WebCryptoError {
    fn code(&self) -> &'static str {
        Self::code(self)
    }
}

/// `?`-friendly conversion at the boundary.
pub fn to_js<E: Coded>(e: E) -> JsValue {
    js_error(e.code(), &e.to_string())
}
