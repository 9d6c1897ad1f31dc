//! JS API of Parameter Store: the `Ssm` class, a few lines per method over the engine's JSON
//! layer (`crate::ssm::json`). `new Ssm(kms)` shares the `Kms` instance's world (accounts,
//! principals, keys, clock, audit log): a SecureString read shows in `kms.auditLog()` as a
//! `Decrypt` invoked by `ssm.<region>.amazonaws.com`. A failed call throws an `Error` whose `name`
//! and `code` are the AWS exception name, with `trace` on `AccessDeniedException`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Reflect;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::args::{self, Accept};
use super::error::js_error;
use super::json::to_js;
use super::kms::borrow_world;
use super::secrets::borrow_store;
use crate::kms::World;
use crate::secrets::ssm_reference::References;
use crate::secrets::Store as SecretsStore;
use crate::ssm::{self as engine, SsmError, Store};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
export interface SsmCostOptions { account?: string; region?: string; higherThroughput?: boolean }
"#;

/// The error a JS caller sees: `name` and `code` = the AWS exception, `trace` when denied.
fn ssm_error(e: &SsmError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    let code = e.code();
    err.set_name(code);
    let _ = Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    if let SsmError::AccessDenied { trace, .. } = e {
        if let Ok(t) = to_js(trace) {
            let _ = Reflect::set(&err, &JsValue::from_str("trace"), &t);
        }
    }
    err.into()
}

fn out(v: Result<Value, SsmError>) -> Result<JsValue, JsValue> {
    match v {
        Ok(v) => to_js(&v),
        Err(e) => Err(ssm_error(&e)),
    }
}

fn busy() -> JsValue {
    js_error("Busy", "this KMS world is in use by a call that has not returned")
}

/// An object, JSON text, or nothing (`null`).
fn json_arg(v: JsValue, what: &str) -> Result<Value, JsValue> {
    match args::present(Some(v)) {
        None => Ok(Value::Null),
        Some(v) => match args::json_or_text(v, what, Accept::OBJECT_OR_TEXT)? {
            args::Json::Value(value) => Ok(value),
            args::Json::Text(s) => serde_json::from_str(&s)
                .map_err(|e| ssm_error(&SsmError::serialization(format!("`{what}` is not JSON: {e}")))),
        },
    }
}

/// AWS Systems Manager Parameter Store over a `Kms` instance's world.
#[wasm_bindgen]
pub struct Ssm {
    world: Rc<RefCell<World>>,
    store: Store,
    /// The Secrets Manager behind `/aws/reference/secretsmanager/…`, once connected.
    secrets: Option<Rc<RefCell<SecretsStore>>>,
}

#[wasm_bindgen]
impl Ssm {
    /// An empty Parameter Store sharing `kms`'s world.
    #[wasm_bindgen(constructor)]
    pub fn new(#[wasm_bindgen(unchecked_param_type = "Kms")] kms: JsValue) -> Result<Ssm, JsValue> {
        Ok(Ssm { world: borrow_world(&kms)?, store: Store::new(), secrets: None })
    }

    /// Runs one operation (`"PutParameter"`, …) with its AWS JSON request, as `caller` (a
    /// principal ARN or `{principal, region?, sourceIp?, …}`, as for `Kms.call`).
    pub fn call(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] operation: JsValue,
        #[wasm_bindgen(unchecked_param_type = "object | string | null")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KmsCaller")] caller: JsValue,
    ) -> Result<JsValue, JsValue> {
        let op = args::string(&operation, "operation")?;
        let req = json_arg(request, "request")?;
        if caller.is_undefined() || caller.is_null() {
            return Err(args::wrong_type("caller", "a principal ARN or {principal, region?, …}", &caller));
        }
        let who = match args::json_or_text(caller, "caller", Accept::OBJECT_OR_TEXT)? {
            args::Json::Text(s) => Value::String(s),
            args::Json::Value(v) => v,
        };
        let mut w = self.world.try_borrow_mut().map_err(|_| busy())?;
        match &self.secrets {
            None => out(engine::call(&mut self.store, &mut w, &op, &req, &who)),
            Some(sm) => {
                let mut sm = sm.try_borrow_mut().map_err(|_| busy())?;
                let mut refs = References { store: &mut sm };
                out(engine::call_with(&mut self.store, &mut w, &mut refs, &op, &req, &who))
            }
        }
    }

    /// Answers `/aws/reference/secretsmanager/<id>` reads from `secretsManager` (a
    /// `SecretsManager` over the same `Kms`): each is its `GetSecretValue` as the caller.
    #[wasm_bindgen(js_name = connectSecretsManager)]
    pub fn connect_secrets_manager(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "SecretsManager")] secrets_manager: JsValue,
    ) -> Result<(), JsValue> {
        let (world, store) = borrow_store(&secrets_manager)?;
        if !Rc::ptr_eq(&world, &self.world) {
            return Err(js_error(
                "InvalidInput",
                "`secretsManager` is over another Kms: connect one made with this Parameter Store's Kms",
            ));
        }
        self.secrets = Some(store);
        Ok(())
    }

    /// Moves the shared clock forward by `days` (as `Kms.advanceClock`) and applies parameter
    /// policies: `{now, time, events, parameterEvents}`.
    #[wasm_bindgen(js_name = advanceClock)]
    pub fn advance_clock(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] days: JsValue,
    ) -> Result<JsValue, JsValue> {
        let d = days.as_f64().filter(|d| d.is_finite() && *d >= 0.0 && *d <= 36_500.0);
        let d = d.ok_or_else(|| args::wrong_type("days", "a number from 0 to 36500", &days))?;
        let mut w = self.world.try_borrow_mut().map_err(|_| busy())?;
        out(engine::advance(&mut self.store, &mut w, (d * 86_400.0).round() as i64))
    }

    /// The EventBridge events emitted (Parameter Store Change, Parameter Store Policy Action),
    /// oldest first; policies that fell due since the last call are applied first.
    pub fn events(&mut self) -> Result<JsValue, JsValue> {
        let w = self.world.try_borrow().map_err(|_| busy())?;
        engine::json::catch_up(&mut self.store, &w);
        to_js(&engine::json::events(&self.store, None))
    }

    /// The monthly cost estimate of one account and region (default: the world's first account
    /// and region).
    #[wasm_bindgen(js_name = costEstimate)]
    pub fn cost_estimate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "SsmCostOptions | null")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let o = json_arg(options, "options")?;
        let w = self.world.try_borrow().map_err(|_| busy())?;
        let s = |k: &str| o.get(k).and_then(Value::as_str).map(str::to_string);
        let account = s("account").or_else(|| w.accounts.keys().next().cloned()).unwrap_or_default();
        let region = s("region").unwrap_or_else(|| w.default_region().to_string());
        let higher = o.get("higherThroughput").and_then(Value::as_bool).unwrap_or(false);
        to_js(&engine::cost::estimate(&self.store, &account, &region, higher))
    }

    /// The store as JSON: every parameter with its versions (SecureString values as ciphertext),
    /// for display.
    pub fn state(&self) -> Result<JsValue, JsValue> {
        let v =
            serde_json::to_value(&self.store).map_err(|e| ssm_error(&SsmError::internal(e.to_string())))?;
        to_js(&v)
    }
}
