//! The page's example, from the notes ("Firewall Manager applies rules across accounts and to
//! new resources"): an organisation with a Prod OU (a nested Payments OU whose account keeps its
//! own web ACL), a Dev OU, an account that joins later and an API stage created later; a
//! regional baseline policy (Core rule set first, SQL database rule set last, remediation on,
//! the Dev OU excluded) and a global CloudFront policy with remediation off. Plain AWS-shaped
//! JSON; `tests/fms.rs` keeps it honest.

/// The organisation document.
pub const ORG: &str = include_str!("examples/org.json");
/// The policies (`fms get-policy` output, one per policy).
pub const POLICIES: &str = include_str!("examples/policies.json");
/// The example's load balancer in the shop account.
pub const SHOP_ALB: &str =
    "arn:aws:elasticloadbalancing:eu-west-1:222222222222:loadbalancer/app/shop/50dc6c495c0c9188";
