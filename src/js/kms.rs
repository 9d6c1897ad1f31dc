//! JS API of the KMS emulator: the `Kms` class, a few lines per method over the engine's JSON
//! layer (`crate::kms::json`). Requests and responses are the AWS KMS JSON API's (base64 for
//! blobs); a failed call throws an `Error` whose `name` and `code` are the AWS exception name,
//! with `trace` (the policy evaluation) on `AccessDeniedException`. Every argument is
//! type-checked first ([`super::args`]): a wrong JS type is a `SecplayError` with code
//! `InvalidInput`, as everywhere in the package, never a trap.

use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

use js_sys::{Reflect, Uint8Array};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::args::{self, Accept};
use super::json::to_js;
use crate::kms::wire::{self, access_keys};
use crate::kms::{self as engine, KmsError, World};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Who calls: a principal ARN, or the principal with its request context. */
export type KmsCaller = string | {
  principal: string; region?: string; sourceIp?: string; viaService?: string; mfa?: boolean;
  tags?: Record<string, string>; sessionPolicy?: object | string; vpcEndpoint?: string;
};
export interface KmsOptions { accounts?: { id: string; name?: string }[]; regions?: string[]; now?: number }
/** Credentials of an access key, for SigV4-signing clients of the local endpoint. */
export interface KmsAccessKey { accessKeyId: string; secretAccessKey: string; principal: string }
/** The request context of `Kms.handleHttp` beside the HTTP request itself. */
export interface KmsHttpContext { sourceIp?: string; now?: number }
/** The answer of `Kms.handleHttp`: `body` is JSON text; `mutating` says whether the call may have
 * changed keys, aliases, grants or policies (persist at once), `operation` what ran. */
export interface KmsHttpResponse {
  status: number; headers: Record<string, string>; body: string; operation: string | null; mutating: boolean;
}
export interface KmsAuditFilter {
  eventName?: string; principal?: string; keyArn?: string; region?: string; errors?: boolean;
  errorCode?: string; readOnly?: boolean; since?: number; until?: number; limit?: number;
}
"#;

/// The error a JS caller sees: `name` and `code` = the AWS exception, `trace` when denied.
fn kms_error(e: &KmsError) -> JsValue {
    let err = js_sys::Error::new(&e.to_string());
    let code = e.code();
    err.set_name(code);
    let _ = Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    if let KmsError::AccessDenied { trace, .. } = e {
        if let Ok(t) = to_js(trace) {
            let _ = Reflect::set(&err, &JsValue::from_str("trace"), &t);
        }
    }
    err.into()
}

/// A call into a world already in use (a service calling back into its own KMS).
fn busy() -> JsValue {
    super::error::js_error("Busy", "this KMS world is in use by a call that has not returned")
}

fn invalid(message: &str) -> JsValue {
    kms_error(&KmsError::validation(message))
}

/// An object, JSON text, or nothing (`null`), depth-bounded; text is parsed here.
fn json_arg(v: JsValue, what: &str) -> Result<Value, JsValue> {
    match args::present(Some(v)) {
        None => Ok(Value::Null),
        Some(v) => match args::json_or_text(v, what, Accept::OBJECT_OR_TEXT)? {
            args::Json::Value(value) => Ok(value),
            args::Json::Text(s) => {
                serde_json::from_str(&s).map_err(|e| invalid(&format!("`{what}` is not JSON: {e}")))
            }
        },
    }
}

/// A policy argument as JSON text (objects are serialized).
fn policy_arg(v: JsValue, what: &str) -> Result<String, JsValue> {
    if let Some(s) = v.as_string() {
        return Ok(s);
    }
    if v.is_undefined() || v.is_null() {
        return Err(args::wrong_type(what, "a policy object or JSON text", &v));
    }
    match json_arg(v, what)? {
        Value::Object(o) => Ok(Value::Object(o).to_string()),
        _ => Err(invalid(&format!("{what} must be a policy object or JSON text"))),
    }
}

fn out(v: Result<Value, KmsError>) -> Result<JsValue, JsValue> {
    match v {
        Ok(v) => to_js(&v),
        Err(e) => Err(kms_error(&e)),
    }
}

/// The KMS emulator: a world of accounts, principals and keys, called as AWS KMS.
#[wasm_bindgen]
pub struct Kms {
    world: Rc<RefCell<World>>,
}

impl Kms {
    /// The world this instance calls into, for the services that share it (Parameter Store,
    /// Secrets Manager): their keys, principals, clock and audit log are this KMS's.
    pub(crate) fn shared_world(&self) -> Rc<RefCell<World>> {
        Rc::clone(&self.world)
    }

    /// The world, read-only; a `Busy` error (never a panic) if a call into it is under way.
    pub(crate) fn world_ref(&self) -> Result<Ref<'_, World>, JsValue> {
        self.world.try_borrow().map_err(|_| busy())
    }

    /// The world, to change; a `Busy` error (never a panic) if a call into it is under way.
    pub(crate) fn world_mut(&self) -> Result<RefMut<'_, World>, JsValue> {
        self.world.try_borrow_mut().map_err(|_| busy())
    }
}

#[wasm_bindgen]
impl Kms {
    /// A fresh world (two accounts with an `Admin` role each, three regions) or one from options.
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<Kms, JsValue> {
        let o = json_arg(options, "options")?;
        engine::new_world(&o)
            .map(|world| Kms { world: Rc::new(RefCell::new(world)) })
            .map_err(|e| kms_error(&e))
    }

    /// Runs one KMS operation (`"Encrypt"`, …) with its AWS JSON request, as `caller`.
    pub fn call(
        &mut self,
        operation: JsValue,
        request: JsValue,
        caller: JsValue,
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
        out(engine::call(&mut *self.world_mut()?, &op, &req, &who))
    }

    /// The audit log (CloudTrail events), optionally filtered.
    #[wasm_bindgen(js_name = auditLog)]
    pub fn audit_log(&self, filter: JsValue) -> Result<JsValue, JsValue> {
        let f = json_arg(filter, "filter")?;
        out(engine::audit::filter(&*self.world_ref()?, &f).map(Value::Array))
    }

    /// The audit log as a CloudTrail log file, `{Records: [...]}`.
    #[wasm_bindgen(js_name = exportAuditLog)]
    pub fn export_audit_log(&self) -> Result<JsValue, JsValue> {
        to_js(&engine::audit::export(&*self.world_ref()?))
    }

    /// Moves the simulated clock forward by `days` (fractions allowed); returns what fell due.
    #[wasm_bindgen(js_name = advanceClock)]
    pub fn advance_clock(&mut self, days: JsValue) -> Result<JsValue, JsValue> {
        let d = days.as_f64().filter(|d| d.is_finite() && *d >= 0.0 && *d <= 36_500.0);
        let d = d.ok_or_else(|| args::wrong_type("days", "a number from 0 to 36500", &days))?;
        out(engine::advance_clock(&mut *self.world_mut()?, (d * 86_400.0).round() as i64))
    }

    /// The simulated time, in epoch seconds.
    pub fn now(&self) -> Result<f64, JsValue> {
        Ok(self.world_ref()?.now as f64)
    }

    /// The cost estimate; `monthly` is an optional `{requestClass: requestsPerMonth}`.
    #[wasm_bindgen(js_name = costEstimate)]
    pub fn cost_estimate(&self, monthly: JsValue) -> Result<JsValue, JsValue> {
        let m = json_arg(monthly, "monthly")?;
        out(engine::cost::estimate(&*self.world_ref()?, &m))
    }

    /// The whole world in the snapshot format (holds key material: keep it like the keys).
    pub fn snapshot(&self) -> Result<Uint8Array, JsValue> {
        engine::snapshot::snapshot(&*self.world_ref()?)
            .map(|b| Uint8Array::from(b.as_slice()))
            .map_err(|e| kms_error(&e))
    }

    /// A world from snapshot bytes.
    pub fn restore(bytes: JsValue) -> Result<Kms, JsValue> {
        let b = args::bytes(&bytes, "bytes")?;
        engine::snapshot::restore(&b)
            .map(|world| Kms { world: Rc::new(RefCell::new(world)) })
            .map_err(|e| kms_error(&e))
    }

    /// Adds an account (12 digits).
    #[wasm_bindgen(js_name = addAccount)]
    pub fn add_account(&mut self, id: JsValue, name: JsValue) -> Result<(), JsValue> {
        let id = args::string(&id, "id")?;
        let name =
            if name.is_undefined() || name.is_null() { String::new() } else { args::string(&name, "name")? };
        self.world_mut()?.add_account(&id, &name).map_err(|e| kms_error(&e))
    }

    /// Adds a region.
    #[wasm_bindgen(js_name = addRegion)]
    pub fn add_region(&mut self, region: JsValue) -> Result<(), JsValue> {
        let r = args::string(&region, "region")?;
        self.world_mut()?.add_region(&r).map_err(|e| kms_error(&e))
    }

    /// Adds an IAM user or role (`arn:aws:iam::ACCOUNT:user/NAME` or `…:role/NAME`), with tags.
    #[wasm_bindgen(js_name = addPrincipal)]
    pub fn add_principal(&mut self, arn: JsValue, tags: JsValue) -> Result<(), JsValue> {
        let arn = args::string(&arn, "arn")?;
        let tags = match json_arg(tags, "tags")? {
            Value::Null => None,
            v => Some(serde_json::from_value(v).map_err(|_| invalid("tags must be {key: value} strings"))?),
        };
        self.world_mut()?.add_principal(&arn, tags).map_err(|e| kms_error(&e))
    }

    /// Sets an identity policy of a user or role.
    #[wasm_bindgen(js_name = putIdentityPolicy)]
    pub fn put_identity_policy(
        &mut self,
        arn: JsValue,
        name: JsValue,
        policy: JsValue,
    ) -> Result<(), JsValue> {
        let (arn, name) = (args::string(&arn, "arn")?, args::string(&name, "name")?);
        let p = policy_arg(policy, "policy")?;
        self.world_mut()?.put_identity_policy(&arn, &name, &p).map_err(|e| kms_error(&e))
    }

    /// Removes an identity policy.
    #[wasm_bindgen(js_name = deleteIdentityPolicy)]
    pub fn delete_identity_policy(&mut self, arn: JsValue, name: JsValue) -> Result<(), JsValue> {
        let (arn, name) = (args::string(&arn, "arn")?, args::string(&name, "name")?);
        self.world_mut()?.delete_identity_policy(&arn, &name).map_err(|e| kms_error(&e))
    }

    /// Sets (or with `null` clears) a permissions boundary.
    #[wasm_bindgen(js_name = setPermissionsBoundary)]
    pub fn set_permissions_boundary(&mut self, arn: JsValue, policy: JsValue) -> Result<(), JsValue> {
        let arn = args::string(&arn, "arn")?;
        let p = if policy.is_null() || policy.is_undefined() {
            None
        } else {
            Some(policy_arg(policy, "policy")?)
        };
        self.world_mut()?.set_permissions_boundary(&arn, p.as_deref()).map_err(|e| kms_error(&e))
    }

    /// Sets an account's SCPs: one array of policies per organisation level, root level first.
    #[wasm_bindgen(js_name = setScps)]
    pub fn set_scps(&mut self, account: JsValue, levels: JsValue) -> Result<(), JsValue> {
        let account = args::string(&account, "account")?;
        let Value::Array(ls) = args::json(levels, "levels", Accept::ARRAY_OR_TEXT)? else {
            return Err(invalid("`levels` must be an array of arrays of policies"));
        };
        let mut out = Vec::with_capacity(ls.len());
        for level in ls {
            let Value::Array(ps) = level else {
                return Err(invalid("each SCP level must be an array of policies"));
            };
            let texts = ps
                .into_iter()
                .map(|p| match p {
                    Value::String(s) => Ok(s),
                    Value::Object(_) => Ok(p.to_string()),
                    _ => Err(invalid("an SCP must be a policy object or JSON text")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            out.push(texts);
        }
        self.world_mut()?.set_scps(&account, out).map_err(|e| kms_error(&e))
    }

    /// The world as JSON (accounts, principals, keys without their material, aliases), for display.
    pub fn world(&self) -> Result<JsValue, JsValue> {
        let mut v = serde_json::to_value(&*self.world_ref()?).map_err(|e| invalid(&e.to_string()))?;
        if let Some(keys) = v.get_mut("keys").and_then(Value::as_object_mut) {
            for k in keys.values_mut() {
                if let Some(ms) = k.get_mut("materials").and_then(Value::as_array_mut) {
                    for m in ms {
                        if let Some(o) = m.as_object_mut() {
                            o.remove("bytes");
                        }
                    }
                }
            }
        }
        if let Some(o) = v.as_object_mut() {
            o.remove("grantTokens");
            o.remove("audit");
            o.insert("accessKeys".into(), serde_json::json!(access_keys::list(&*self.world_ref()?)));
        }
        to_js(&v)
    }

    /// A new access key for an IAM user or role: `{accessKeyId, secretAccessKey, principal}`.
    #[wasm_bindgen(js_name = createAccessKey, unchecked_return_type = "KmsAccessKey")]
    pub fn create_access_key(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] principal: JsValue,
    ) -> Result<JsValue, JsValue> {
        let p = args::string(&principal, "principal")?;
        let c = access_keys::create(&mut *self.world_mut()?, &p).map_err(|e| kms_error(&e))?;
        credentials(&c)
    }

    /// The credentials of the first account's `Admin` role (made on first use), as the local
    /// endpoint prints them.
    #[wasm_bindgen(js_name = adminCredentials, unchecked_return_type = "KmsAccessKey")]
    pub fn admin_credentials(&mut self) -> Result<JsValue, JsValue> {
        let c = access_keys::admin(&mut *self.world_mut()?).map_err(|e| kms_error(&e))?;
        credentials(&c)
    }

    /// Answers one HTTP request of the AWS JSON 1.1 KMS protocol, SigV4-verified against the
    /// world's access keys: what `secplay-kms-server` serves. `headers` is `{name: value}`
    /// (repeated headers joined with `,`); `context.now` (epoch seconds, default the wall clock)
    /// is the clock `X-Amz-Date` must be within 15 minutes of; `context.sourceIp` the peer.
    #[wasm_bindgen(js_name = handleHttp, unchecked_return_type = "KmsHttpResponse")]
    pub fn handle_http(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] method: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] path: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Record<string, string> | string")] headers: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] body: JsValue,
        #[wasm_bindgen(unchecked_param_type = "KmsHttpContext | string | null")] context: JsValue,
    ) -> Result<JsValue, JsValue> {
        let method = args::string(&method, "method")?;
        let path = args::string(&path, "path")?;
        if headers.is_undefined() || headers.is_null() {
            return Err(args::wrong_type("headers", "{name: value} strings", &headers));
        }
        let headers = match json_arg(headers, "headers")? {
            Value::Object(o) => o
                .into_iter()
                .map(|(n, v)| match v {
                    Value::String(s) => Ok((n, s)),
                    _ => Err(invalid("`headers` must be {name: value} strings")),
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => return Err(invalid("`headers` must be {name: value} strings")),
        };
        let body = args::bytes(&body, "body")?;
        let ctx: HttpContext = match json_arg(context, "context")? {
            Value::Null => HttpContext::default(),
            v => serde_json::from_value(v)
                .map_err(|e| invalid(&format!("`context` must be {{sourceIp?, now?}}: {e}")))?,
        };
        let now = ctx.now.unwrap_or_else(|| js_sys::Date::now() / 1000.0);
        if !now.is_finite() {
            return Err(invalid("`context.now` must be a finite number of epoch seconds"));
        }
        // Saturating, so a far-off clock refuses every signature rather than wrapping around.
        let now = Some(now.round() as i64);
        let r = wire::handle(
            &mut *self.world_mut()?,
            &wire::HttpRequest {
                method: &method,
                path: &path,
                headers: &headers,
                body: &body,
                source_ip: ctx.source_ip.as_deref(),
                now,
            },
        );
        let headers: serde_json::Map<String, Value> =
            r.headers.into_iter().map(|(n, v)| (n, Value::String(v))).collect();
        to_js(&serde_json::json!({
            "status": r.status,
            "headers": headers,
            "body": r.body,
            "operation": r.operation,
            "mutating": r.mutating,
        }))
    }
}

/// The `context` of [`Kms::handle_http`].
#[derive(Default, serde::Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct HttpContext {
    source_ip: Option<String>,
    now: Option<f64>,
}

fn credentials(c: &access_keys::Credentials) -> Result<JsValue, JsValue> {
    to_js(&serde_json::json!({
        "accessKeyId": c.access_key_id,
        "secretAccessKey": c.secret.as_str(),
        "principal": c.principal,
    }))
}

thread_local! {
    /// A world handed over by `Kms.__secplayLendWorld`, taken at once by [`borrow_world`].
    static LENT: RefCell<Option<Rc<RefCell<World>>>> = const { RefCell::new(None) };
}

#[wasm_bindgen]
impl Kms {
    /// Not for users: hands this instance's world to a service built over it (`new Ssm(kms)`,
    /// `new SecretsManager(kms)`; see [`borrow_world`]).
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __secplayLendWorld, skip_typescript)]
    pub fn lend_world(&self) {
        LENT.with(|l| *l.borrow_mut() = Some(self.shared_world()));
    }
}

/// The world behind `value`, which must be a live `Kms`, for a service that shares it. A `&Kms`
/// parameter would throw an uncoded error for anything else and wasm-bindgen's checked conversion
/// takes the object away from JS, so the object is asked to lend its world through a hidden method,
/// and anything that does not hand one over is refused with a coded error.
pub(crate) fn borrow_world(value: &JsValue) -> Result<Rc<RefCell<World>>, JsValue> {
    let refuse = || args::wrong_type("kms", "a Kms instance", value);
    args::object(value, "kms").map_err(|_| refuse())?;
    let lend = Reflect::get(value, &JsValue::from_str("__secplayLendWorld")).map_err(|_| refuse())?;
    let lend = lend.dyn_into::<js_sys::Function>().map_err(|_| refuse())?;
    LENT.with(|l| l.borrow_mut().take());
    lend.call0(value).map_err(|_| refuse())?;
    LENT.with(|l| l.borrow_mut().take()).ok_or_else(refuse)
}
