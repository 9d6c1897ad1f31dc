//! JS API of the Secrets Manager emulator: the `SecretsManager` class over a `Kms` instance's
//! world (its accounts, principals, keys, clock and audit log), a few lines per method over the
//! engine's JSON layer (`crate::secrets::json`). Requests and responses are the AWS Secrets
//! Manager JSON API's; a failed call throws an `Error` whose `name` and `code` are the AWS
//! exception name, with `trace` (the policy evaluation) on `AccessDeniedException`. Arguments are
//! type-checked first ([`super::args`]): a wrong JS type is a `SecplayError` `InvalidInput`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Reflect;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::args::{self, Accept};
use super::json::to_js;
use super::kms::borrow_world;
use crate::kms::World;
use crate::secrets::{self as engine, SecretsError, Store};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Options of an emulated rotation function: the step it fails at, and the role it calls as. */
export interface RotationFunctionOptions {
  failAt?: "createSecret" | "setSecret" | "testSecret" | "finishSecret"; role?: string;
}
/** One entry of a secret's rotation timeline. */
export interface RotationEvent { time: number; versionId: string; step: string; ok: boolean; message: string }
/** What moving the clock ran: KMS's events and Secrets Manager's. */
export interface SecretsClockResult {
  now: number; time: string; kms: { now: number; time: string; events: { eventName: string; keyArn: string }[] };
  events: { eventName: string; secretArn: string; time: string }[];
}
"#;

/// The error a JS caller sees: `name` and `code` = the AWS exception, `trace` when denied.
fn secrets_error(e: &SecretsError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    let code = e.code();
    err.set_name(code);
    let _ = Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    if let SecretsError::AccessDenied { trace, .. } = e {
        if let Ok(t) = to_js(trace) {
            let _ = Reflect::set(&err, &JsValue::from_str("trace"), &t);
        }
    }
    err.into()
}

fn busy() -> JsValue {
    super::error::js_error("Busy", "the KMS world is in use by a call that has not returned")
}

/// An object, JSON text, or nothing (`null`), depth-bounded.
fn json_arg(v: JsValue, what: &str) -> Result<Value, JsValue> {
    match args::present(Some(v)) {
        None => Ok(Value::Null),
        Some(v) => match args::json_or_text(v, what, Accept::OBJECT_OR_TEXT)? {
            args::Json::Value(value) => Ok(value),
            args::Json::Text(s) => serde_json::from_str(&s).map_err(|e| {
                secrets_error(&SecretsError::invalid_parameter(format!("`{what}` is not JSON: {e}")))
            }),
        },
    }
}

/// The caller: a principal ARN or `{principal, region?, …}`.
fn caller_arg(caller: JsValue) -> Result<Value, JsValue> {
    if caller.is_undefined() || caller.is_null() {
        return Err(args::wrong_type("caller", "a principal ARN or {principal, region?, …}", &caller));
    }
    Ok(match args::json_or_text(caller, "caller", Accept::OBJECT_OR_TEXT)? {
        args::Json::Text(s) => Value::String(s),
        args::Json::Value(v) => v,
    })
}

fn out(v: Result<Value, SecretsError>) -> Result<JsValue, JsValue> {
    match v {
        Ok(v) => to_js(&v),
        Err(e) => Err(secrets_error(&e)),
    }
}

/// The Secrets Manager emulator over a `Kms` instance's world.
#[wasm_bindgen]
pub struct SecretsManager {
    world: Rc<RefCell<World>>,
    /// Shared with a Parameter Store connected to this instance (`Ssm.connectSecretsManager`).
    store: Rc<RefCell<Store>>,
}

/// A Secrets Manager instance's world and store, as lent to a Parameter Store.
pub(crate) type Lent = (Rc<RefCell<World>>, Rc<RefCell<Store>>);

thread_local! {
    /// A store handed over by `SecretsManager.__secplayLendStore`, taken at once by [`borrow_store`].
    static LENT: RefCell<Option<Lent>> = const { RefCell::new(None) };
}

/// The world and store behind `value`, which must be a live `SecretsManager` (asked through a
/// hidden method, as `Kms` lends its world): anything else is refused with a coded error.
pub(crate) fn borrow_store(value: &JsValue) -> Result<Lent, JsValue> {
    let refuse = || args::wrong_type("secretsManager", "a SecretsManager instance", value);
    args::object(value, "secretsManager").map_err(|_| refuse())?;
    let lend = Reflect::get(value, &JsValue::from_str("__secplayLendStore")).map_err(|_| refuse())?;
    let lend = lend.dyn_into::<js_sys::Function>().map_err(|_| refuse())?;
    LENT.with(|l| l.borrow_mut().take());
    lend.call0(value).map_err(|_| refuse())?;
    LENT.with(|l| l.borrow_mut().take()).ok_or_else(refuse)
}

#[wasm_bindgen]
impl SecretsManager {
    /// Secrets Manager over `kms`'s world: values are sealed with its keys, access is decided
    /// with its principals' policies, its clock runs deletions and rotations, its audit log
    /// shows each `GenerateDataKey` and `Decrypt`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Kms")] kms: JsValue,
    ) -> Result<SecretsManager, JsValue> {
        Ok(SecretsManager { world: borrow_world(&kms)?, store: Rc::new(RefCell::new(Store::default())) })
    }

    /// Runs one Secrets Manager operation (`"CreateSecret"`, …) with its AWS JSON request, as
    /// `caller` (a principal ARN or `{principal, region?, sourceIp?, …}` as for `Kms.call`).
    pub fn call(
        &mut self,
        operation: JsValue,
        request: JsValue,
        caller: JsValue,
    ) -> Result<JsValue, JsValue> {
        let op = args::string(&operation, "operation")?;
        let req = json_arg(request, "request")?;
        let who = caller_arg(caller)?;
        let mut w = self.world.try_borrow_mut().map_err(|_| busy())?;
        out(engine::call(&mut w, &mut *self.store.try_borrow_mut().map_err(|_| busy())?, &op, &req, &who))
    }

    /// Moves the shared clock forward by `days` (fractions allowed): KMS's due work, then
    /// deletions and rotations that fell due, each at its window's start.
    #[wasm_bindgen(js_name = advanceClock, unchecked_return_type = "SecretsClockResult")]
    pub fn advance_clock(&mut self, days: JsValue) -> Result<JsValue, JsValue> {
        let d = days.as_f64().filter(|d| d.is_finite() && *d >= 0.0 && *d <= 36_500.0);
        let d = d.ok_or_else(|| args::wrong_type("days", "a number from 0 to 36500", &days))?;
        let mut w = self.world.try_borrow_mut().map_err(|_| busy())?;
        out(engine::advance_clock(
            &mut w,
            &mut *self.store.try_borrow_mut().map_err(|_| busy())?,
            (d * 86_400.0).round() as i64,
        ))
    }

    /// Sets how the emulated rotation function `functionArn` behaves (not an AWS API: the
    /// playground's stand-in for deploying a Lambda function).
    #[wasm_bindgen(js_name = putRotationFunction)]
    pub fn put_rotation_function(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] function_arn: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RotationFunctionOptions | undefined")] options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let arn = args::string(&function_arn, "functionArn")?;
        let o = json_arg(options, "options")?;
        out(engine::put_rotation_function(&mut *self.store.try_borrow_mut().map_err(|_| busy())?, &arn, &o))
    }

    /// A secret's rotation timeline, for a caller allowed `secretsmanager:DescribeSecret` on it.
    #[wasm_bindgen(js_name = rotationHistory, unchecked_return_type = "RotationEvent[]")]
    pub fn rotation_history(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] secret_id: JsValue,
        caller: JsValue,
    ) -> Result<JsValue, JsValue> {
        let id = args::string(&secret_id, "secretId")?;
        let who = caller_arg(caller)?;
        let mut w = self.world.try_borrow_mut().map_err(|_| busy())?;
        out(engine::rotation_history(
            &mut w,
            &mut *self.store.try_borrow_mut().map_err(|_| busy())?,
            &id,
            &who,
        ))
    }

    /// Not for users: hands this instance's world and store to `Ssm.connectSecretsManager`.
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __secplayLendStore, skip_typescript)]
    pub fn lend_store(&self) {
        LENT.with(|l| *l.borrow_mut() = Some((Rc::clone(&self.world), Rc::clone(&self.store))));
    }
}
