//! JS API of the WAF engine: the `WebAcl` class (evaluate, replay, capacity) and the detectors and
//! transformations on their own.

use wasm_bindgen::prelude::*;

use super::error::{js_error, to_js as err};
use super::json::{from_js, to_js};
use crate::waf::{json as engine, WafError};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** An HTTP request as the WAF sees it. `uri` is path + `?query`; `body` is text (or use `bodyBase64`). */
export interface WafRequest {
  method: string;
  uri: string;
  headers: [string, string][];
  body?: string;
  bodyBase64?: string;
  clientIp: string;
  country?: string;
  asn?: number;
  timestamp?: number;
}
export interface WafContext {
  /** Epoch milliseconds on the simulated clock. */
  timestamp?: number;
  tokens?: { captcha?: number | boolean; challenge?: number | boolean };
}
export interface WafResources { ipSets?: (object | string)[]; regexPatternSets?: (object | string)[]; ruleGroups?: (object | string)[] }
export interface WafOptions {
  resourceType?: "APPLICATION_LOAD_BALANCER" | "API_GATEWAY" | "CLOUDFRONT" | "APPSYNC" | "COGNITO_USER_POOL" | "APP_RUNNER_SERVICE" | "VERIFIED_ACCESS_INSTANCE" | string;
  bodyLimit?: number;
  /** Include the per-rule trace in log records (default true). */
  trace?: boolean;
}
/** The AWS WAF log record, plus `trace` and `notes`. */
export interface WafLogRecord {
  action: "ALLOW" | "BLOCK" | "COUNT" | "CAPTCHA" | "CHALLENGE";
  terminatingRuleId: string;
  terminatingRuleType: string;
  terminatingRuleMatchDetails: object[];
  ruleGroupList: object[];
  nonTerminatingMatchingRules: object[];
  rateBasedRuleList: object[];
  labels?: { name: string }[];
  [field: string]: unknown;
}
"#;

/// A web ACL as AWS writes it (`get-web-acl` output or its `WebACL`, object or JSON text), with
/// the IP sets, regex pattern sets and rule groups it references (matched by ARN).
#[wasm_bindgen]
pub struct WebAcl {
    inner: engine::WebAcl,
}

#[wasm_bindgen]
impl WebAcl {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "object | string")] json: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WafResources")] resources: Option<JsValue>,
        #[wasm_bindgen(unchecked_param_type = "WafOptions")] options: Option<JsValue>,
    ) -> Result<WebAcl, JsValue> {
        let json = from_js(json)?;
        let opt = |v: Option<JsValue>| match v {
            Some(v) if !v.is_undefined() && !v.is_null() => from_js(v),
            _ => Ok(serde_json::Value::Null),
        };
        let source = json.as_str().map(str::to_owned);
        match engine::WebAcl::new(&json, &opt(resources)?, &opt(options)?) {
            Ok(inner) => Ok(Self { inner }),
            // Errors in JSON text carry line:column of that text in their message.
            Err(e) => Err(waf_error(&e, source.as_deref())),
        }
    }

    /// Evaluate one request; returns the AWS WAF log record.
    #[wasm_bindgen(unchecked_return_type = "WafLogRecord")]
    pub fn evaluate(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "WafRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_param_type = "WafContext")] context: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let context = match context {
            Some(c) if !c.is_undefined() && !c.is_null() => from_js(c)?,
            _ => serde_json::Value::Null,
        };
        let record = self.inner.evaluate_text(&plain_object(request)?, &context).map_err(err::<WafError>)?;
        js_sys::JSON::parse(&record).map_err(|_| js_error("Internal", "could not build the log record"))
    }

    /// Evaluate a batch (an array of requests, JSON-lines text, or a HAR document) on the simulated
    /// clock: per-rule counts, actions over time, top blocked addresses and paths.
    pub fn replay(&mut self, requests: JsValue) -> Result<JsValue, JsValue> {
        to_js(&self.inner.replay(&from_js(requests)?).map_err(err::<WafError>)?)
    }

    /// Web ACL capacity units (WCUs) used.
    pub fn capacity(&self) -> f64 {
        self.inner.capacity() as f64
    }

    /// Capacity per rule and the 1,500 / 5,000 limits.
    #[wasm_bindgen(js_name = capacityReport)]
    pub fn capacity_report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.capacity_report())
    }

    /// Reset the simulated clock and the rate-based counters.
    pub fn reset(&mut self) {
        self.inner.reset();
    }
}

/// A plain JS object (prototype `Object.prototype` or none) read through one `JSON.stringify`
/// and serde_json: far cheaper per request than walking it member by member from wasm. Anything
/// else (a string of JSON text, a `Map`, an object JSON cannot write) goes through the general
/// conversion, with its errors.
fn plain_object(value: JsValue) -> Result<serde_json::Value, JsValue> {
    let plain = value.is_object() && {
        let proto = js_sys::Object::get_prototype_of(&value);
        proto.is_null() || *proto == *js_sys::Object::get_prototype_of(&js_sys::Object::new())
    };
    if plain {
        if let Some(text) = js_sys::JSON::stringify(&value).ok().and_then(|t| t.as_string()) {
            if let Ok(v) = serde_json::from_str(&text) {
                return Ok(v);
            }
        }
    }
    from_js(value)
}

fn waf_error(e: &WafError, source: Option<&str>) -> JsValue {
    let v = match source {
        Some(text) => engine::error_value_in(e, text),
        None => engine::error_value(e),
    };
    let message = v.get("message").and_then(|m| m.as_str()).map_or_else(|| e.to_string(), str::to_owned);
    let out = js_error(e.code(), &message);
    if let Ok(detail) = to_js(&v) {
        let _ = js_sys::Reflect::set(&out, &"detail".into(), &detail);
    }
    out
}

/// Whether AWS WAF's SQL injection match would flag `input` (sensitivity `"LOW"` default, or `"HIGH"`).
#[wasm_bindgen(js_name = detectSqli)]
pub fn detect_sqli(input: &str, sensitivity: Option<String>) -> Result<bool, JsValue> {
    engine::detect_sqli(input, sensitivity.as_deref()).map_err(err::<WafError>)
}

/// Why `input` was (or was not) flagged as SQL injection: tokens, fingerprint, pattern.
#[wasm_bindgen(js_name = explainSqli)]
pub fn explain_sqli(input: &str, sensitivity: Option<String>) -> Result<JsValue, JsValue> {
    to_js(&engine::explain_sqli(input, sensitivity.as_deref()).map_err(err::<WafError>)?)
}

/// Whether AWS WAF's XSS match would flag `input`.
#[wasm_bindgen(js_name = detectXss)]
pub fn detect_xss(input: &str) -> bool {
    engine::detect_xss(input)
}

/// Why `input` was (or was not) flagged as XSS.
#[wasm_bindgen(js_name = explainXss)]
pub fn explain_xss(input: &str) -> Result<JsValue, JsValue> {
    to_js(&engine::explain_xss(input))
}

/// Apply WAF text transformations (`[{ Type, Priority }]`) in priority order, as AWS does.
#[wasm_bindgen(js_name = applyTransformations)]
pub fn apply_transformations(
    input: &str,
    #[wasm_bindgen(unchecked_param_type = "{ Type: string; Priority: number }[]")] transformations: JsValue,
) -> Result<String, JsValue> {
    engine::apply_transformations(input, &from_js(transformations)?).map_err(err::<WafError>)
}

/// A request pasted as raw HTTP text or as a `curl` command, in the shape `evaluate` takes.
#[wasm_bindgen(js_name = parseRequestText, unchecked_return_type = "WafRequest")]
pub fn parse_request_text(
    text: &str,
    #[wasm_bindgen(js_name = clientIp)] client_ip: &str,
) -> Result<JsValue, JsValue> {
    to_js(&crate::waf::http_text::parse_request_text(text, client_ip).map_err(err::<WafError>)?)
}
