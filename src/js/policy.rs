//! JS API of the policy engine: evaluation with a trace, validation, "what can this principal do",
//! templates and context-key suggestions. Inputs may be objects or JSON text (then positions in
//! results refer to that text).

use wasm_bindgen::prelude::*;

use super::args::{self, json_or_text, Accept, Json};
use super::error::to_js as err;
use super::json::to_js;
use crate::common::json_source::JsonError;
use crate::policy::{self as engine, PolicyError};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** One case of shared/vectors/iam/policy-eval-cases.json: `{ request, policies, grants? }`. */
export interface PolicyEvalInput {
  request: { principal: string | null; action: string; resource: string; resourceAccount?: string;
             anonymous?: boolean; context?: Record<string, string | string[] | number | boolean>;
             deriveGlobalKeys?: boolean };
  policies: { identity?: (object | string)[]; resource?: object | string; permissionsBoundary?: object | string;
              session?: object | string; scps?: (object | string)[][]; rcps?: (object | string)[][];
              vpcEndpoint?: (object | string)[] };
  grants?: object[];
}
export interface SourceRange { start: { line: number; column: number }; end: { line: number; column: number } }
export interface PolicyEvalResult {
  decision: "allowed" | "explicitDeny" | "implicitDeny";
  matchedStatements: { policyType: string; policy: string; statementIndex: number; sid: string | null;
                       effect: "Allow" | "Deny"; range: SourceRange | null }[];
  missingContextKeys: string[];
  trace: { subject: string; outcome: string; message: string }[];
}
export interface PolicyFinding {
  findingType: "ERROR" | "SECURITY_WARNING" | "WARNING" | "SUGGESTION";
  issueCode: string;
  message: string;
  location: { path: string; range: SourceRange | null };
}
export type PolicyType = "identity" | "resource" | "key" | "scp" | "rcp" | "boundary" | "session" | "trust";
"#;

/// An evaluation input: JSON text is parsed by the engine (positions refer to it), an object converted.
fn input(value: JsValue, name: &str) -> Result<serde_json::Value, JsValue> {
    match json_or_text(value, name, Accept::OBJECT_OR_TEXT)? {
        Json::Text(text) => {
            serde_json::from_str(&text).map_err(|e| err(PolicyError::from(JsonError::from_serde(&e))))
        }
        Json::Value(v) => Ok(v),
    }
}

/// Evaluate a request against policies as AWS does; returns the decision, the deciding statements,
/// the context keys the policies use but the request lacks, and a readable trace.
#[wasm_bindgen(js_name = evaluatePolicy, unchecked_return_type = "PolicyEvalResult")]
pub fn evaluate_policy(
    #[wasm_bindgen(js_name = input, unchecked_param_type = "PolicyEvalInput | string")] input_value: JsValue,
) -> Result<JsValue, JsValue> {
    let result = match json_or_text(input_value, "input", Accept::OBJECT_OR_TEXT)? {
        Json::Text(text) => engine::json::evaluate_policy_str(&text),
        Json::Value(v) => engine::json::evaluate_policy(&v),
    };
    to_js(&result.map_err(err::<PolicyError>)?)
}

/// Validate a policy (JSON text, or an object) as Access Analyzer does, for a policy type.
#[wasm_bindgen(js_name = validatePolicy, unchecked_return_type = "PolicyFinding[]")]
pub fn validate_policy(
    #[wasm_bindgen(unchecked_param_type = "string | object")] policy: JsValue,
    #[wasm_bindgen(js_name = policyType, unchecked_param_type = "PolicyType")] policy_type: JsValue,
) -> Result<JsValue, JsValue> {
    let text = match json_or_text(policy, "policy", Accept::OBJECT_OR_TEXT)? {
        Json::Text(t) => t,
        Json::Value(v) => v.to_string(),
    };
    let policy_type = args::string(&policy_type, "policyType")?;
    to_js(&engine::json::validate_policy_json(&text, &policy_type).map_err(err)?)
}

/// Every action of `service` (e.g. `"kms"`) evaluated for the input's principal and resource.
#[wasm_bindgen(js_name = evaluateActions, unchecked_return_type = "{ action: string; decision: string }[]")]
pub fn evaluate_actions(
    #[wasm_bindgen(js_name = input, unchecked_param_type = "PolicyEvalInput | string")] input_value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] service: JsValue,
) -> Result<JsValue, JsValue> {
    let input_value = input(input_value, "input")?;
    let service = args::string(&service, "service")?;
    to_js(&engine::json::evaluate_actions(&input_value, &service).map_err(err)?)
}

/// A policy template from the notes: `defaultKeyPolicy`, `consoleKeyPolicy`, `crossAccountKeyPolicy`,
/// `crossAccountIdentityPolicy`, `parameterStorePathPolicy`.
#[wasm_bindgen(js_name = policyTemplate, unchecked_return_type = "{ policyType: PolicyType; policy: string }")]
pub fn policy_template(
    #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "Record<string, unknown>")] params: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let name = args::string(&name, "name")?;
    let params = match args::optional_json(params, "params", Accept::OBJECT)? {
        serde_json::Value::Null => serde_json::json!({}),
        v => v,
    };
    to_js(&engine::json::policy_template(&name, &params).map_err(err)?)
}

/// The condition keys the input's policies use: suggestions for a request builder.
#[wasm_bindgen(js_name = referencedContextKeys, unchecked_return_type = "string[]")]
pub fn referenced_context_keys(
    #[wasm_bindgen(js_name = input, unchecked_param_type = "PolicyEvalInput | string")] input_value: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&engine::json::referenced_context_keys(&input(input_value, "input")?).map_err(err)?)
}

/// A policy set parsed once, for evaluating many requests: `new CompiledPolicies({ policies, grants? })`
/// (object or JSON text), then `evaluate(request)` or the cheaper `decision(request)`.
#[wasm_bindgen]
pub struct CompiledPolicies {
    inner: engine::json::CompiledPolicies,
}

#[wasm_bindgen]
impl CompiledPolicies {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = input, unchecked_param_type = "Omit<PolicyEvalInput, \"request\"> | string")]
        input_value: JsValue,
    ) -> Result<CompiledPolicies, JsValue> {
        let inner = match json_or_text(input_value, "input", Accept::OBJECT_OR_TEXT)? {
            Json::Text(text) => engine::json::CompiledPolicies::from_text(&text),
            Json::Value(v) => engine::json::CompiledPolicies::new(&v),
        };
        Ok(Self { inner: inner.map_err(err::<PolicyError>)? })
    }

    /// The full result for one request (the `request` shape of an evaluation input).
    #[wasm_bindgen(unchecked_return_type = "PolicyEvalResult")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PolicyEvalInput[\"request\"]")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request = args::json(request, "request", Accept::OBJECT)?;
        to_js(&self.inner.evaluate(&request).map_err(err::<PolicyError>)?)
    }

    /// Only the decision: `"allowed"`, `"explicitDeny"` or `"implicitDeny"`.
    #[wasm_bindgen(unchecked_return_type = "PolicyEvalResult[\"decision\"]")]
    pub fn decision(
        &self,
        #[wasm_bindgen(unchecked_param_type = "PolicyEvalInput[\"request\"]")] request: JsValue,
    ) -> Result<String, JsValue> {
        let request = args::json(request, "request", Accept::OBJECT)?;
        self.inner.decision(&request).map(str::to_owned).map_err(err::<PolicyError>)
    }
}
