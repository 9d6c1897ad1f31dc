//! The policy engine: AWS IAM and KMS key-policy evaluation with a trace of what decided, and
//! Access Analyzer-style validation.
//!
//! Parse once ([`parse_policy`] / [`parse_policy_value`] into [`Policy`]), evaluate many
//! ([`evaluate()`] over a [`PolicySet`] and a [`Request`]). The JSON layer in [`json`] takes and
//! returns the JS API's shapes. Pure Rust: no I/O, no clock, no web dependency.
//!
//! JS API (each a one-liner over [`json`]):
//! - `evaluatePolicy(input)` → `{decision, matchedStatements, missingContextKeys, trace}`, where
//!   `input` is one case of `shared/vectors/iam/policy-eval-cases.json` (`{request, policies}`,
//!   plus optional `grants`); policies as objects or JSON text ([`evaluate_policy`],
//!   [`evaluate_policy_str`]).
//! - `validatePolicy(policy, policyType)` → findings ([`validate_policy_json`]).
//! - `evaluateActions(input, service)` → the decision for every action of a service, e.g. "what
//!   can this principal do on this key" ([`evaluate_actions`]).
//! - `policyTemplate(name, params)` ([`policy_template`]), `referencedContextKeys(input)`
//!   ([`referenced_context_keys`]); errors as `{name, code, message}` ([`error_to_json`]).
//!
//! Modelled: every condition operator family with `IfExists` and set qualifiers, policy
//! variables (2012-10-17 only), ARN-aware resource and `Arn*` matching, explicit deny first,
//! SCP and RCP levels, VPC endpoint policies, resource policies, identity policies, permissions
//! boundaries, session policies, same- vs cross-account, KMS key policies and role trust
//! policies (the resource policy must allow), KMS grants, `sts:GetCallerIdentity`, direct grants
//! to user/session ARNs not limited by boundaries or session policies. Not modelled: service
//! specific protections (AWS-managed keys and roles), service-linked roles, SCP exemptions of
//! management accounts, unique ids (`aws:userid`), organisation membership lookups: callers
//! supply such facts as context keys.

pub mod actions;
pub mod condition;
pub mod condition_keys;
pub mod document;
pub mod error;
pub mod evaluate;
pub mod grants;
pub mod json;
pub mod operators;
pub mod parse;
pub mod pattern;
pub mod principal;
pub mod request;
pub mod result;
mod scan;
pub mod source;
pub mod statement;
pub mod templates;
pub mod validate;

pub use document::{Effect, Policy, Statement};
pub use error::PolicyError;
pub use evaluate::{evaluate, PolicySet};
pub use json::{
    error_to_json, evaluate_actions, evaluate_policy, evaluate_policy_str, policy_template,
    referenced_context_keys, validate_policy_json,
};
pub use parse::{parse_policy, parse_policy_value};
pub use request::{Caller, Context, Request};
pub use result::{Decision, Evaluation, MatchedStatement, PolicyKind, TraceStep};
pub use validate::{validate_policy, Finding, FindingLevel, PolicyType};
