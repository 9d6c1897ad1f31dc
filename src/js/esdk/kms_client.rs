//! `opts.kms` and `opts.caller` of the ESDK calls: the AWS KMS keyrings' client over a JS `Kms`
//! instance. Each keyring call goes through that instance's `call(operation, request, caller)`,
//! so it is authorized and audited in the instance's world like any other call; a request naming
//! a key ARN goes to the ARN's region (see `crate::kms::esdk_client`).
//!
//! Reads the two options out of the options object before the rest is converted to JSON (a `Kms`
//! is not JSON). A wrong `kms` or `caller` is an `InvalidInput` error.

use js_sys::{Function, Object, Reflect};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

use crate::crypto::keyring::aws_kms::{
    DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse, GenerateDataKeyRequest,
    GenerateDataKeyResponse, KmsClient, KmsClientError, KmsClientSupplier,
};
use crate::js::args::{self, Accept};
use crate::js::error::js_error;
use crate::js::json::to_js;
use crate::kms::esdk_client as wire;
use crate::kms::json::read_caller;
use crate::kms::CallerContext;

/// The KMS behind the options' KMS keyrings: a `Kms` instance and who calls it.
#[derive(Debug, Clone)]
pub struct JsKms {
    kms: JsValue,
    caller: CallerContext,
}

impl KmsClientSupplier for JsKms {
    fn client(&self) -> Box<dyn KmsClient> {
        Box::new(self.clone())
    }
}

/// Takes `kms` and `caller` out of the options object: the options without them (to convert as
/// JSON) and the KMS, if one was given. Anything but an object is returned as it is, for the
/// options check to refuse.
pub fn split_options(options: JsValue) -> Result<(JsValue, Option<JsKms>), JsValue> {
    if args::object(&options, "options").is_err() {
        return Ok((options, None));
    }
    let kms = Reflect::get(&options, &"kms".into())?;
    let caller = Reflect::get(&options, &"caller".into())?;
    if kms.is_undefined() && caller.is_undefined() {
        return Ok((options, None));
    }
    let rest = Object::assign(&Object::new(), options.unchecked_ref());
    Reflect::delete_property(&rest, &"kms".into())?;
    Reflect::delete_property(&rest, &"caller".into())?;
    let rest = JsValue::from(rest);
    if kms.is_undefined() || kms.is_null() {
        return Err(js_error(
            "InvalidInput",
            "`options.caller` is given without `options.kms` (a Kms instance)",
        ));
    }
    if !is_kms(&kms) {
        return Err(args::wrong_type("options.kms", "a Kms instance", &kms));
    }
    if caller.is_undefined() || caller.is_null() {
        return Err(js_error(
            "InvalidInput",
            "`options.caller` is required with `options.kms`: the principal ARN the keyrings call KMS as, or {principal, region?, …}",
        ));
    }
    let who = match args::json_or_text(caller, "options.caller", Accept::OBJECT_OR_TEXT)? {
        args::Json::Text(s) => Value::String(s),
        args::Json::Value(v) => v,
    };
    let caller =
        read_caller(&who).map_err(|e| js_error("InvalidInput", &format!("`options.caller`: {e}")))?;
    Ok((rest, Some(JsKms { kms, caller })))
}

/// A `Kms` instance: an object made by the `Kms` class, with its `call` method.
fn is_kms(v: &JsValue) -> bool {
    if !v.is_object() {
        return false;
    }
    let class = Reflect::get(v, &"constructor".into())
        .and_then(|c| Reflect::get(&c, &"name".into()))
        .ok()
        .and_then(|n| n.as_string());
    let call = Reflect::get(v, &"call".into()).map(|f| f.is_function()).unwrap_or(false);
    class.as_deref() == Some("Kms") && call
}

impl JsKms {
    fn run(&self, operation: &str, key_id: &str, request: &Value) -> Result<Value, KmsClientError> {
        let internal = |m: String| KmsClientError::new("KMSInternalException", m);
        let caller = wire::routed_caller(&self.caller, key_id)?;
        let call: Function = Reflect::get(&self.kms, &"call".into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| internal("the Kms instance has no call method".into()))?;
        let request = to_js(request).map_err(|_| internal("could not build the request".into()))?;
        let caller = to_js(&caller).map_err(|_| internal("could not build the caller".into()))?;
        match call.call3(&self.kms, &JsValue::from_str(operation), &request, &caller) {
            Ok(v) => args::convert(v, "response").map_err(|_| {
                KmsClientError::new(crate::crypto::keyring::aws_kms::BAD_RESPONSE, "the response is not JSON")
            }),
            Err(e) => Err(thrown(&e)),
        }
    }
}

/// A thrown `Kms.call` error: its `code` (the AWS exception name) and message.
fn thrown(e: &JsValue) -> KmsClientError {
    let field = |k: &str| Reflect::get(e, &k.into()).ok().and_then(|v| v.as_string());
    let code = field("code").or_else(|| field("name")).unwrap_or_else(|| "KmsError".into());
    let message = field("message").or_else(|| e.as_string()).unwrap_or_default();
    KmsClientError::new(code, message)
}

impl KmsClient for JsKms {
    fn generate_data_key(
        &self,
        r: &GenerateDataKeyRequest<'_>,
    ) -> Result<GenerateDataKeyResponse, KmsClientError> {
        wire::generate_data_key_response(&self.run(
            "GenerateDataKey",
            r.key_id,
            &wire::generate_data_key_json(r),
        )?)
    }

    fn encrypt(&self, r: &EncryptRequest<'_>) -> Result<EncryptResponse, KmsClientError> {
        wire::encrypt_response(&self.run("Encrypt", r.key_id, &wire::encrypt_json(r))?)
    }

    fn decrypt(&self, r: &DecryptRequest<'_>) -> Result<DecryptResponse, KmsClientError> {
        wire::decrypt_response(&self.run("Decrypt", r.key_id, &wire::decrypt_json(r))?)
    }
}
