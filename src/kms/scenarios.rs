//! The notes' KMS scenarios as data, runnable step by step against the emulator.
//!
//! A [`Scenario`] is a world set-up (IAM principals and their identity policies in a fresh
//! [`World`]) and a list of [`Step`]s: a KMS operation (or a client-side action such as RSA-OAEP
//! with a downloaded public key), the caller, the AWS JSON request, and what AWS does and why,
//! citing the notes' section. A request or caller may use an earlier step's output: a string
//! `"${step/Json/Pointer}"` is replaced by that value (inside a longer string, by its text). A key
//! policy may be written as a JSON object in `Policy`: it is sent as the JSON text AWS expects.
//!
//! A [`Variant`] removes one permission and says which step then fails with which error. The page
//! runs these with [`Run::next`]; the native tests run every scenario and variant to its end.
//!
//! Not here: the page's rendering, or anything the engine does not do itself (the client-side
//! steps in [`client`] are what an application would do with the AWS SDK and a crypto library).

pub mod client;

mod ami;
mod lambda;
mod multi_region;
mod public_key;
mod snapshot;

use std::collections::BTreeMap;

use serde_json::Value;

use super::error::KmsError;
use super::json::call;
use super::world::World;

/// The world's first account (`main`), which owns the keys.
const MAIN: &str = "111122223333";
/// The world's second account (`partner`).
const PARTNER: &str = "444455556666";

/// Base64 of a text, for `Plaintext` members.
fn b64(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// One of the notes' scenarios.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// A stable id, used by the page (`lambda-env`, `public-key`, …).
    pub id: &'static str,
    pub title: &'static str,
    /// The notes' section it comes from, e.g. `§2 KMS`.
    pub section: &'static str,
    /// What it shows, in two or three sentences.
    pub summary: &'static str,
    /// IAM users and roles to add to a fresh world, each with its identity policies.
    pub principals: Vec<SetupPrincipal>,
    pub steps: Vec<Step>,
    pub variants: Vec<Variant>,
}

/// A user or role the scenario adds, with identity policies (name, policy object).
#[derive(Debug, Clone, PartialEq)]
pub struct SetupPrincipal {
    pub arn: &'static str,
    pub policies: Vec<(&'static str, Value)>,
}

/// One step: an operation, who calls, the request, and what AWS does.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The name later steps refer to (`${id/…}`).
    pub id: &'static str,
    /// A KMS operation (`Encrypt`) or a client-side action (`Client.RsaOaepEncrypt`, see [`client`]).
    pub operation: &'static str,
    /// The caller: a principal ARN or `{principal, region?, viaService?, …}`.
    pub caller: Value,
    pub request: Value,
    /// What AWS does and why, in one or two sentences, citing the notes.
    pub explain: &'static str,
    /// `Some(code)` when the step fails on purpose (to show a check), with the AWS error code.
    pub expect_error: Option<&'static str>,
}

/// "Remove one permission": the change, and the step that then fails with which error.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub id: &'static str,
    pub label: &'static str,
    pub change: Change,
    /// The id of the step that fails.
    pub fails_at: &'static str,
    /// The AWS error code it fails with.
    pub error: &'static str,
    /// Why, in a sentence.
    pub explain: &'static str,
}

/// What a variant removes.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Removes `action` from the statement `sid` of the key policy a step sends (`Policy`).
    KeyPolicyAction { step: &'static str, sid: &'static str, action: &'static str },
    /// Removes `action` from every identity policy of a set-up principal.
    IdentityAction { principal: &'static str, action: &'static str },
    /// Removes an operation from a `CreateGrant` step's `Operations`.
    GrantOperation { step: &'static str, operation: &'static str },
}

/// What one step gave.
#[derive(Debug, Clone, PartialEq)]
pub struct StepResult {
    /// Index of the step in the scenario.
    pub step: usize,
    /// The caller and request as sent (references resolved).
    pub caller: Value,
    pub request: Value,
    /// The response, or the AWS error.
    pub outcome: Result<Value, KmsError>,
    /// The error code the notes say this step gives (`None`: it succeeds).
    pub documented_error: Option<&'static str>,
}

impl StepResult {
    /// Whether the step did what the scenario documents (success, or the documented error).
    pub fn as_documented(&self) -> bool {
        match (&self.outcome, self.documented_error) {
            (Ok(_), None) => true,
            (Err(e), Some(code)) => e.code() == code,
            _ => false,
        }
    }
}

/// A scenario in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub scenario: Scenario,
    /// Index of the variant applied, if any.
    pub variant: Option<usize>,
    pub results: Vec<StepResult>,
    outputs: BTreeMap<&'static str, Value>,
    /// No more steps run: the end was reached, or a step failed (later steps need its output).
    pub finished: bool,
}

/// Every scenario, in the notes' order.
pub fn all() -> Vec<Scenario> {
    vec![
        lambda::scenario(),
        public_key::scenario(),
        snapshot::scenario(),
        ami::scenario(),
        multi_region::scenario(),
    ]
}

/// A scenario by id.
pub fn by_id(id: &str) -> Option<Scenario> {
    all().into_iter().find(|s| s.id == id)
}

impl Scenario {
    /// The scenario with a variant's permission removed (`None` = as written).
    pub fn with_variant(&self, variant: Option<usize>) -> Result<Scenario, KmsError> {
        let mut s = self.clone();
        let Some(i) = variant else {
            return Ok(s);
        };
        let v = self
            .variants
            .get(i)
            .ok_or_else(|| KmsError::validation(format!("scenario `{}` has no variant {i}", self.id)))?;
        match &v.change {
            Change::KeyPolicyAction { step, sid, action } => {
                let st = s.steps.iter_mut().find(|x| x.id == *step).ok_or_else(|| missing(self.id, step))?;
                let statements = st.request.pointer_mut("/Policy/Statement").and_then(Value::as_array_mut);
                let found = statements
                    .into_iter()
                    .flatten()
                    .find(|x| x.get("Sid").and_then(Value::as_str) == Some(sid))
                    .ok_or_else(|| missing(self.id, sid))?;
                remove_action(found, action);
            }
            Change::IdentityAction { principal, action } => {
                let p = s
                    .principals
                    .iter_mut()
                    .find(|p| p.arn == *principal)
                    .ok_or_else(|| missing(self.id, principal))?;
                for (_, policy) in &mut p.policies {
                    for st in policy.get_mut("Statement").and_then(Value::as_array_mut).into_iter().flatten()
                    {
                        remove_action(st, action);
                    }
                }
            }
            Change::GrantOperation { step, operation } => {
                let st = s.steps.iter_mut().find(|x| x.id == *step).ok_or_else(|| missing(self.id, step))?;
                if let Some(ops) = st.request.get_mut("Operations").and_then(Value::as_array_mut) {
                    ops.retain(|o| o.as_str() != Some(operation));
                }
            }
        }
        Ok(s)
    }

    /// A fresh world with the scenario's principals, and a run at its first step.
    pub fn start(&self, variant: Option<usize>) -> Result<(World, Run), KmsError> {
        let scenario = self.with_variant(variant)?;
        let mut w = World::new();
        for p in &scenario.principals {
            w.add_principal(p.arn, None)?;
            for (name, policy) in &p.policies {
                w.put_identity_policy(p.arn, name, &policy.to_string())?;
            }
        }
        let run = Run { scenario, variant, results: Vec::new(), outputs: BTreeMap::new(), finished: false };
        Ok((w, run))
    }
}

fn missing(scenario: &str, what: &str) -> KmsError {
    KmsError::validation(format!("scenario `{scenario}` has no `{what}`"))
}

/// Removes an action from a statement's `Action` (a string or a list).
fn remove_action(statement: &mut Value, action: &str) {
    match statement.get_mut("Action") {
        Some(Value::Array(list)) => list.retain(|a| a.as_str() != Some(action)),
        Some(a) if a.as_str() == Some(action) => *a = Value::Array(Vec::new()),
        _ => {}
    }
}

impl Run {
    /// The index of the next step, if any is left to run.
    pub fn next_step(&self) -> Option<usize> {
        (!self.finished && self.results.len() < self.scenario.steps.len()).then_some(self.results.len())
    }

    /// The variant applied.
    pub fn variant(&self) -> Option<&Variant> {
        self.variant.and_then(|i| self.scenario.variants.get(i))
    }

    /// The error the notes document for a step in this run (the variant's, at its failing step).
    pub fn documented_error(&self, step: usize) -> Option<&'static str> {
        let s = self.scenario.steps.get(step)?;
        match self.variant() {
            Some(v) if v.fails_at == s.id => Some(v.error),
            _ => s.expect_error,
        }
    }

    /// Runs the next step against `w`; `None` when the run is over.
    pub fn next(&mut self, w: &mut World) -> Option<&StepResult> {
        let i = self.next_step()?;
        let step = self.scenario.steps.get(i)?.clone();
        let resolved = resolve(&self.outputs, &step.caller)
            .and_then(|caller| Ok((caller, resolve(&self.outputs, &step.request)?)));
        let (caller, request, outcome) = match resolved {
            Ok((caller, request)) => {
                let outcome = match step.operation.strip_prefix("Client.") {
                    Some(action) => client::run(action, &request),
                    None => call(w, step.operation, &request, &caller),
                };
                (caller, request, outcome)
            }
            Err(e) => (step.caller.clone(), step.request.clone(), Err(e)),
        };
        let result =
            StepResult { step: i, caller, request, outcome, documented_error: self.documented_error(i) };
        match &result.outcome {
            Ok(v) => {
                self.outputs.insert(step.id, v.clone());
            }
            // A documented error shows a check; the run goes on unless it is the variant's.
            Err(_) if result.as_documented() && step.expect_error.is_some() => {}
            Err(_) => self.finished = true,
        }
        if self.results.len() + 1 >= self.scenario.steps.len() {
            self.finished = true;
        }
        self.results.push(result);
        self.results.last()
    }

    /// Runs every remaining step.
    pub fn run_all(&mut self, w: &mut World) {
        while self.next(w).is_some() {}
    }
}

/// Replaces `${step/pointer}` references with earlier outputs, and sends a `Policy` object as text.
fn resolve(outputs: &BTreeMap<&'static str, Value>, v: &Value) -> Result<Value, KmsError> {
    Ok(match v {
        Value::String(s) => resolve_str(outputs, s)?,
        Value::Array(a) => Value::Array(a.iter().map(|x| resolve(outputs, x)).collect::<Result<_, _>>()?),
        Value::Object(o) => {
            let mut out = serde_json::Map::new();
            for (k, x) in o {
                let r = resolve(outputs, x)?;
                let r = match (k.as_str(), r) {
                    ("Policy", p @ Value::Object(_)) => Value::String(p.to_string()),
                    (_, r) => r,
                };
                out.insert(k.clone(), r);
            }
            Value::Object(out)
        }
        other => other.clone(),
    })
}

fn lookup(outputs: &BTreeMap<&'static str, Value>, reference: &str) -> Result<Value, KmsError> {
    let (id, pointer) = reference.split_once('/').unwrap_or((reference, ""));
    let out = outputs.get(id).ok_or_else(|| {
        KmsError::validation(format!("step `{id}` has no output yet: run the steps before this one first"))
    })?;
    let pointer = if pointer.is_empty() { String::new() } else { format!("/{pointer}") };
    out.pointer(&pointer)
        .cloned()
        .ok_or_else(|| KmsError::validation(format!("the output of step `{id}` has no `{pointer}`")))
}

fn resolve_str(outputs: &BTreeMap<&'static str, Value>, s: &str) -> Result<Value, KmsError> {
    if let Some(inner) = s.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        if !inner.contains("${") && !inner.contains('}') {
            return lookup(outputs, inner);
        }
    }
    if !s.contains("${") {
        return Ok(Value::String(s.to_string()));
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(rest.get(..start).unwrap_or_default());
        let after = rest.get(start + 2..).unwrap_or_default();
        let Some(end) = after.find('}') else {
            out.push_str(rest.get(start..).unwrap_or_default());
            rest = "";
            break;
        };
        let v = lookup(outputs, after.get(..end).unwrap_or_default())?;
        match v {
            Value::String(t) => out.push_str(&t),
            other => out.push_str(&other.to_string()),
        }
        rest = after.get(end + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    Ok(Value::String(out))
}

#[cfg(test)]
mod tests;
