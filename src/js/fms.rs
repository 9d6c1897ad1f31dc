//! JS API of the Firewall Manager engine: `evaluateFirewallManager(orgJson, policiesJson,
//! options?)`, a few lines over `crate::fms::json`. A failed call throws a `SecplayError` whose
//! `code` is the engine's and whose `pointer` (when there is one) locates the mistake.

use js_sys::Reflect;
use wasm_bindgen::prelude::*;

use super::args::{self, Accept};
use super::json::to_js;
use crate::fms::json as engine;
use crate::fms::FmsError;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A resource an AWS WAF policy can protect. `Type` defaults from the ARN's service. */
export interface FmsResource {
  Arn: string;
  Type?: "AWS::ElasticLoadBalancingV2::LoadBalancer" | "AWS::ApiGateway::Stage" | "AWS::CloudFront::Distribution" |
    "AWS::AppSync::GraphQLApi" | "AWS::Cognito::UserPool" | "AWS::AppRunner::Service" | "AWS::EC2::VerifiedAccessInstance";
  Tags?: { Key: string; Value?: string }[];
  /** The name of one of the account's own `WebACLs` associated with it. */
  WebACL?: string;
  /** Seconds on the simulated clock when it appears (default 0). */
  CreatedAt?: number;
}
export interface FmsAccount {
  Id: string; Name?: string;
  /** Seconds on the simulated clock when the account joins the organisation (default 0). */
  JoinedAt?: number;
  Resources?: FmsResource[];
  /** The account's own web ACLs (`wafv2 get-web-acl` output or its `WebACL`). */
  WebACLs?: object[];
  RuleGroups?: object[]; IPSets?: object[]; RegexPatternSets?: object[];
  /** Rules the account's managers added to a Firewall Manager web ACL, by policy name. */
  ManagedWebACLRules?: Record<string, object[]>;
}
export interface FmsOrgUnit { Id: string; Name?: string; Accounts?: FmsAccount[]; OrganizationalUnits?: FmsOrgUnit[] }
/** The simulated organisation, with the administrator's rule groups, IP sets and resource sets. */
export interface FmsOrganization {
  Root: FmsOrgUnit;
  ResourceSets?: { Id: string; Name: string; ResourceTypeList?: string[]; Resources?: string[] }[];
  RuleGroups?: object[]; IPSets?: object[]; RegexPatternSets?: object[];
}
/** `fms get-policy` output, or a bare `Policy` (its region then `options.region`, or `Region`). */
export type FmsPolicyEntry = { Policy: object; PolicyArn?: string; Region?: string } | object;
export interface FmsOptions {
  /** Seconds on the simulated clock: what exists then is assessed (default: everything). */
  at?: number;
  /** Region of policies that carry neither a `PolicyArn` nor a `Region` (default us-east-1). */
  region?: string;
  /** The policy creation time in `FMManagedWebACLV2-<policy>-<timestamp>` (epoch ms). */
  epochMs?: number;
  /** A resource ARN: its web ACL (merged) is returned. */
  resource?: string;
  /** A request evaluated through that web ACL by the WAF engine. */
  request?: WafRequest;
  context?: WafContext;
}
export interface FmsPolicyStatus {
  policyName: string; inScope: boolean;
  reasons?: { code: "RESOURCE_TYPE" | "REGION" | "ACCOUNT_NOT_INCLUDED" | "ACCOUNT_EXCLUDED" | "NOT_IN_RESOURCE_SET" | "TAGS_MISSING" | "TAGS_EXCLUDED"; message: string }[];
  compliant?: boolean; violation?: "RESOURCE_MISSING_WEB_ACL" | "RESOURCE_INCORRECT_WEB_ACL"; message?: string;
}
export interface FmsWebAclRef { source: "none" | "own" | "firewall-manager" | "retrofitted"; name: string | null; policyName?: string }
export interface FmsResourceVerdict {
  arn: string; type: string; kind: string; region: string; accountId: string; accountName: string; path: string[];
  tags: Record<string, string>; since: number; ownWebAcl: string | null; webAcl: FmsWebAclRef;
  inScope: boolean; compliant: boolean | null; policies: FmsPolicyStatus[];
}
export interface FmsMergedRule { name: string; set: "first" | "account" | "last"; priority: number; ruleGroup: string | null; source: string }
export interface FmsEvaluation {
  at: number | null; warnings: string[];
  policies: { policyName: string; policyId: string | null; region: string; resourceTypes: string[]; remediationEnabled: boolean;
    deleteUnusedFMManagedResources: boolean; overrideCustomerWebACLAssociation: boolean; webACLSource: string | null;
    defaultAction: "ALLOW" | "BLOCK"; webAclName: string; firstRuleGroups: { name: string; overrideAction: string }[];
    lastRuleGroups: { name: string; overrideAction: string }[]; inScope: number; compliant: number; nonCompliant: number }[];
  units: { id: string; name: string; parent: string | null; depth: number }[];
  accounts: { id: string; name: string; path: string[]; joinedAt: number; exists: boolean }[];
  resources: FmsResourceVerdict[];
  upcoming: { arn: string; since: number }[];
  timeline: { at: number; resources: number; inScope: number; compliant: number; nonCompliant: number }[];
  merged?: { resource: string; webAcl: FmsWebAclRef; rules: FmsMergedRule[]; capacity?: number; document: object | null };
  evaluation?: { record: WafLogRecord | null; action: string; set: "first" | "account" | "last" | "default" | null; note?: string };
}
"#;

/// The error a JS caller sees: `SecplayError` with `code`, and `pointer` when there is one.
fn fms_error(e: &FmsError) -> JsValue {
    let err = super::error::js_error(e.code(), &e.to_string());
    if let Some(p) = e.pointer() {
        // Setting a property on a fresh Error cannot fail; if it did, the message still says where.
        let _ = Reflect::set(&err, &JsValue::from_str("pointer"), &JsValue::from_str(p));
    }
    err
}

/// Assesses every resource of a simulated organisation against Firewall Manager AWS WAF
/// policies: in scope or not and why, compliant or not and why, which web ACL it ends up with;
/// with `options.resource` that web ACL (first rule groups, account rules, last rule groups),
/// and with `options.request` the WAF log record of the request evaluated through it.
#[wasm_bindgen(js_name = evaluateFirewallManager, unchecked_return_type = "FmsEvaluation")]
pub fn evaluate_firewall_manager(
    #[wasm_bindgen(js_name = orgJson, unchecked_param_type = "FmsOrganization | string")] org: JsValue,
    #[wasm_bindgen(js_name = policiesJson, unchecked_param_type = "FmsPolicyEntry[] | FmsPolicyEntry | string")]
    policies: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "FmsOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let org = args::json(org, "orgJson", Accept::OBJECT_OR_TEXT)?;
    let policies = args::json(policies, "policiesJson", Accept::ANY)?;
    let options = args::optional_json(options, "options", Accept::OBJECT_OR_TEXT)?;
    to_js(&engine::evaluate(&org, &policies, &options).map_err(|e| fms_error(&e))?)
}
