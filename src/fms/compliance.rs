//! Per resource and policy: in scope or not, compliant or not, and which web ACL the resource
//! ends up with. Modelled on the developer guide ("Web ACL management for AWS WAF policies")
//! and AWS's knowledge-center article on FMS web ACL association behaviour:
//! - remediation off: Firewall Manager reports, never associates (`RESOURCE_MISSING_WEB_ACL`,
//!   or `RESOURCE_INCORRECT_WEB_ACL` when the resource has its own web ACL);
//! - remediation on: resources without a web ACL get the policy's `FMManagedWebACLV2-…`; a
//!   resource with its own web ACL keeps it (non-compliant) unless
//!   `overrideCustomerWebACLAssociation` replaces it, or `webACLSource: RETROFIT_EXISTING`
//!   adds the first and last rule groups to it (the resource's own web ACL, retrofitted);
//! - a resource holds one web ACL: a later policy finding it associated with an earlier
//!   policy's web ACL reports it non-compliant.
//!
//! The clock: an account's `JoinedAt` and a resource's `CreatedAt` say when it appears; what
//! exists at a moment is assessed as Firewall Manager would once it has caught up (AWS
//! remediates new resources within minutes; the playground does it at once).

use super::org::Org;
use super::policy::Policy;
use super::scope::{self, Reason};

/// `ViolationReason` values of the FMS API used here.
pub const MISSING_WEB_ACL: &str = "RESOURCE_MISSING_WEB_ACL";
/// The resource is associated with a web ACL other than the policy's.
pub const INCORRECT_WEB_ACL: &str = "RESOURCE_INCORRECT_WEB_ACL";

/// A resource's web ACL after Firewall Manager acted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Association {
    /// No web ACL: requests reach the resource uninspected.
    None,
    /// The account's own web ACL, untouched.
    Own(String),
    /// The Firewall Manager web ACL of policy `n` (index into the policies).
    Managed(usize),
    /// The account's own web ACL retrofitted by policy `n` with its first and last rule groups.
    Retrofitted(usize, String),
}

/// A resource's status under one policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Out of scope, with every reason.
    OutOfScope(Vec<Reason>),
    /// In scope and compliant; the message says how (already, or remediated).
    Compliant(String),
    /// In scope and not compliant: the `ViolationReason` and why.
    NonCompliant(&'static str, String),
}

/// One resource's assessment.
#[derive(Debug, Clone)]
pub struct Assessment {
    /// Index into [`Org::resources`].
    pub resource: usize,
    /// The moment the resource exists: the later of its account's `JoinedAt` and its `CreatedAt`.
    pub since: u64,
    /// Per policy, in policy order.
    pub statuses: Vec<Status>,
    /// The web ACL it ends up with.
    pub association: Association,
}

/// Assesses every resource of the organisation against the policies, in order.
pub fn assess(org: &Org, policies: &[Policy]) -> Vec<Assessment> {
    let mut out = Vec::with_capacity(org.resources.len());
    for (ri, r) in org.resources.iter().enumerate() {
        let Some(account) = org.accounts.get(r.account) else { continue };
        let mut association = match &r.web_acl {
            Some(name) => Association::Own(name.clone()),
            None => Association::None,
        };
        let mut statuses = Vec::with_capacity(policies.len());
        for (pi, p) in policies.iter().enumerate() {
            let reasons = scope::check(org, p, account, r);
            if !reasons.is_empty() {
                statuses.push(Status::OutOfScope(reasons));
                continue;
            }
            let status = match association.clone() {
                Association::Managed(j) | Association::Retrofitted(j, _) => Status::NonCompliant(
                    INCORRECT_WEB_ACL,
                    format!(
                        "already protected by policy `{}`'s web ACL; a resource holds one web ACL",
                        policies.get(j).map_or("?", |q| q.name.as_str())
                    ),
                ),
                Association::None if p.remediation => {
                    association = Association::Managed(pi);
                    Status::Compliant("remediated: associated with the policy's Firewall Manager web ACL".to_owned())
                }
                Association::None => Status::NonCompliant(
                    MISSING_WEB_ACL,
                    "no web ACL, and `RemediationEnabled` is false: Firewall Manager reports it but does not associate".to_owned(),
                ),
                Association::Own(name) if p.remediation && p.waf.retrofit => {
                    association = Association::Retrofitted(pi, name.clone());
                    Status::Compliant(format!(
                        "remediated: its own web ACL `{name}` is retrofitted with the policy's first and last rule groups (`webACLSource: RETROFIT_EXISTING`)"
                    ))
                }
                Association::Own(name) if p.remediation && p.waf.override_association => {
                    association = Association::Managed(pi);
                    Status::Compliant(format!(
                        "remediated: its own web ACL `{name}` is replaced (`overrideCustomerWebACLAssociation` is true)"
                    ))
                }
                Association::Own(name) if p.remediation => Status::NonCompliant(
                    INCORRECT_WEB_ACL,
                    format!("associated with its own web ACL `{name}`, which Firewall Manager does not replace while `overrideCustomerWebACLAssociation` is false"),
                ),
                Association::Own(name) => Status::NonCompliant(
                    INCORRECT_WEB_ACL,
                    format!("associated with its own web ACL `{name}`, and `RemediationEnabled` is false"),
                ),
            };
            statuses.push(status);
        }
        out.push(Assessment {
            resource: ri,
            since: r.created_at.max(account.joined_at),
            statuses,
            association,
        });
    }
    out
}
