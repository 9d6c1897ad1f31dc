//! The BP1–BP7 checklist of AWS's "Best Practices for DDoS Resiliency" (BP1 CloudFront and
//! Global Accelerator at the edge, BP2 AWS WAF, BP3 Route 53, BP4 API Gateway, BP5 security
//! groups and network ACLs, BP6 Elastic Load Balancing, BP7 EC2 Auto Scaling; the notes list
//! the same seven), plus Shield Advanced, judged for a described architecture: each practice is
//! in place, missing (with what to change) or not applicable (with why). The architecture is a
//! small JSON description, not AWS output. Source: the whitepaper, summary of best practices,
//! https://docs.aws.amazon.com/whitepapers/latest/aws-best-practices-ddos-resiliency/aws-best-practices-ddos-resiliency.html

use serde::Serialize;
use serde_json::Value;

use crate::waf::error::WafError;
use crate::waf::reader::{as_str, Obj};

/// The whitepaper.
pub const WHITEPAPER: &str =
    "https://docs.aws.amazon.com/whitepapers/latest/aws-best-practices-ddos-resiliency/aws-best-practices-ddos-resiliency.html";

/// Entry-point and origin types.
pub const TYPES: &[&str] = &[
    "CLOUDFRONT",
    "GLOBAL_ACCELERATOR",
    "ALB",
    "NLB",
    "CLB",
    "API_GATEWAY",
    "APPSYNC",
    "COGNITO_USER_POOL",
    "EC2",
    "ECS",
    "ELASTIC_IP",
    "LAMBDA",
    "LAMBDA_URL",
    "S3",
];

/// Most entry points, origins or web ACLs described.
pub const MAX_ITEMS: usize = 200;

/// Something the internet reaches directly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryPoint {
    /// Its name.
    pub name: String,
    /// One of `TYPES`.
    pub kind: String,
    /// The web ACL attached (by name), if any.
    pub web_acl: Option<String>,
    /// Whether Shield Advanced protects it.
    pub shield_advanced: bool,
    /// API Gateway: `EDGE`, `REGIONAL` or `PRIVATE`.
    pub endpoint_type: Option<String>,
    /// API Gateway: whether stage/usage-plan throttling is set.
    pub throttling: bool,
}

/// Something behind an entry point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Its name.
    pub name: String,
    /// One of `TYPES`.
    pub kind: String,
    /// The entry point or origin in front of it.
    pub behind: Option<String>,
    /// Whether its security group / network ACL admits the whole internet.
    pub publicly_reachable: bool,
    /// Whether it scales out (EC2 Auto Scaling, ECS service auto scaling).
    pub auto_scaling: bool,
}

/// A web ACL, described.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AclInfo {
    /// Its name.
    pub name: String,
    /// How many rate-based rules it has.
    pub rate_based_rules: u64,
}

/// A described architecture.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Architecture {
    /// Internet-facing entry points.
    pub entry_points: Vec<EntryPoint>,
    /// Origins.
    pub origins: Vec<Origin>,
    /// Web ACLs.
    pub web_acls: Vec<AclInfo>,
    /// DNS: `Some(provider)` when described (`ROUTE_53` or `OTHER`).
    pub dns: Option<String>,
    /// Route 53 health checks on the protected resources.
    pub health_checks: bool,
}

fn items<'a>(o: &Obj<'a>, name: &str) -> Result<Vec<(&'a Value, String)>, WafError> {
    let list = o.opt_array(name)?;
    if list.len() > MAX_ITEMS {
        return Err(WafError::constraint(
            &o.at(name),
            format!("{} items", list.len()),
            format!("Member must have length less than or equal to {MAX_ITEMS}"),
        ));
    }
    Ok(list)
}

fn name_of(o: &Obj<'_>) -> Result<String, WafError> {
    let n = o.req_str("name")?;
    crate::waf::reader::check_len(n, &o.at("name"), 1, 128)?;
    Ok(n.to_owned())
}

impl Architecture {
    /// Reads `{entryPoints, origins?, webAcls?, dns?}`.
    pub fn from_json(v: &Value) -> Result<Self, WafError> {
        let o = Obj::new(v, "", &["entryPoints", "origins", "webAcls", "dns"])?;
        let mut a = Self::default();
        for (e, p) in items(&o, "entryPoints")? {
            let e =
                Obj::new(e, &p, &["name", "type", "webAcl", "shieldAdvanced", "endpointType", "throttling"])?;
            a.entry_points.push(EntryPoint {
                name: name_of(&e)?,
                kind: e.req_enum("type", TYPES)?.to_owned(),
                web_acl: e.opt_str("webAcl")?.map(str::to_owned),
                shield_advanced: e.opt_bool("shieldAdvanced")?.unwrap_or(false),
                endpoint_type: e
                    .opt_enum("endpointType", &["EDGE", "REGIONAL", "PRIVATE"])?
                    .map(str::to_owned),
                throttling: e.opt_bool("throttling")?.unwrap_or(false),
            });
        }
        for (x, p) in items(&o, "origins")? {
            let x = Obj::new(x, &p, &["name", "type", "behind", "publiclyReachable", "autoScaling"])?;
            a.origins.push(Origin {
                name: name_of(&x)?,
                kind: x.req_enum("type", TYPES)?.to_owned(),
                behind: x.opt_str("behind")?.map(str::to_owned),
                publicly_reachable: x.opt_bool("publiclyReachable")?.unwrap_or(false),
                auto_scaling: x.opt_bool("autoScaling")?.unwrap_or(false),
            });
        }
        for (w, p) in items(&o, "webAcls")? {
            let w = Obj::new(w, &p, &["name", "rateBasedRules"])?;
            let n = w.opt_i64("rateBasedRules")?.unwrap_or(0);
            crate::waf::reader::check_range(n, &w.at("rateBasedRules"), 0, 100)?;
            a.web_acls.push(AclInfo { name: name_of(&w)?, rate_based_rules: n.unsigned_abs() });
        }
        if let Some(d) = o.opt("dns") {
            let d = Obj::new(d, &o.at("dns"), &["provider", "healthChecks"])?;
            a.dns = Some(d.req_enum("provider", &["ROUTE_53", "OTHER"])?.to_owned());
            a.health_checks = d.opt_bool("healthChecks")?.unwrap_or(false);
        }
        // Every reference resolves.
        for (i, e) in a.entry_points.iter().enumerate() {
            if let Some(acl) = &e.web_acl {
                if !a.web_acls.iter().any(|w| &w.name == acl) {
                    return Err(WafError::request(
                        &format!("/entryPoints/{i}/webAcl"),
                        format!("web ACL `{acl}` is not described in `webAcls`"),
                    ));
                }
            }
        }
        for (i, x) in a.origins.iter().enumerate() {
            if let Some(b) = &x.behind {
                let known =
                    a.entry_points.iter().any(|e| &e.name == b) || a.origins.iter().any(|y| &y.name == b);
                if !known {
                    return Err(WafError::request(
                        &format!("/origins/{i}/behind"),
                        format!("`{b}` is neither an entry point nor an origin"),
                    ));
                }
            }
        }
        let _ = as_str;
        Ok(a)
    }

    fn kind_of(&self, name: &str) -> Option<&str> {
        self.entry_points
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.kind.as_str())
            .or_else(|| self.origins.iter().find(|o| o.name == name).map(|o| o.kind.as_str()))
    }
}

/// A practice's verdict.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Status {
    /// In place.
    InPlace,
    /// Missing.
    Missing,
    /// Not applicable to this architecture.
    NotApplicable,
}

/// One line of the checklist.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Practice {
    /// `BP1` … `BP7`, or `SHIELD`.
    pub id: &'static str,
    /// What it is.
    pub title: &'static str,
    /// The verdict.
    pub status: Status,
    /// Why (and what to change when missing).
    pub reasons: Vec<String>,
    /// Where AWS says so.
    pub source: &'static str,
}

/// The checklist's result.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Checklist {
    /// BP1–BP7 then SHIELD.
    pub practices: Vec<Practice>,
    /// How many are in place.
    pub in_place: usize,
    /// How many are missing.
    pub missing: usize,
}

const WAF_TYPES: &[&str] = &["CLOUDFRONT", "ALB", "API_GATEWAY", "APPSYNC", "COGNITO_USER_POOL"];
const HTTP_TYPES: &[&str] =
    &["CLOUDFRONT", "ALB", "CLB", "API_GATEWAY", "APPSYNC", "COGNITO_USER_POOL", "EC2", "LAMBDA_URL", "S3"];
const SHIELD_TYPES: &[&str] = &["CLOUDFRONT", "GLOBAL_ACCELERATOR", "ALB", "CLB", "ELASTIC_IP", "EC2", "NLB"];
const COMPUTE: &[&str] = &["EC2", "ECS"];

fn practice(id: &'static str, title: &'static str, status: Status, reasons: Vec<String>) -> Practice {
    Practice { id, title, status, reasons, source: WHITEPAPER }
}

fn verdict(applicable: bool, problems: Vec<String>, ok: String, na: &str) -> (Status, Vec<String>) {
    if !applicable {
        (Status::NotApplicable, vec![na.to_owned()])
    } else if problems.is_empty() {
        (Status::InPlace, vec![ok])
    } else {
        (Status::Missing, problems)
    }
}

/// Judges every practice.
pub fn evaluate(a: &Architecture) -> Checklist {
    let mut out = Vec::new();
    let eps = &a.entry_points;

    // BP1: the internet reaches CloudFront or Global Accelerator (or an edge-optimized API).
    let edge = |e: &EntryPoint| {
        matches!(e.kind.as_str(), "CLOUDFRONT" | "GLOBAL_ACCELERATOR")
            || (e.kind == "API_GATEWAY" && e.endpoint_type.as_deref().unwrap_or("EDGE") == "EDGE")
    };
    let problems = eps
        .iter()
        .filter(|e| !edge(e) && e.endpoint_type.as_deref() != Some("PRIVATE"))
        .map(|e| format!("`{}` ({}) is reached directly from the internet; serve it through CloudFront (HTTP) or Global Accelerator (TCP/UDP) so edge locations absorb floods", e.name, e.kind))
        .collect();
    let (s, r) = verdict(
        !eps.is_empty(),
        problems,
        "every entry point is at the AWS edge".to_owned(),
        "no entry points described",
    );
    out.push(practice("BP1", "Amazon CloudFront / AWS Global Accelerator at the edge", s, r));

    // BP2: a web ACL with a rate-based rule on every HTTP entry point.
    let http: Vec<&EntryPoint> = eps.iter().filter(|e| HTTP_TYPES.contains(&e.kind.as_str())).collect();
    let mut problems = Vec::new();
    let mut any_rate = false;
    for e in &http {
        if !WAF_TYPES.contains(&e.kind.as_str()) {
            problems.push(format!(
                "`{}` ({}) cannot have a web ACL; put CloudFront or an ALB in front of it",
                e.name, e.kind
            ));
            continue;
        }
        match e.web_acl.as_ref().and_then(|n| a.web_acls.iter().find(|w| &w.name == n)) {
            None => problems.push(format!("`{}` has no web ACL", e.name)),
            Some(w) if w.rate_based_rules == 0 => {
                problems.push(format!("web ACL `{}` on `{}` has no rate-based rule", w.name, e.name))
            }
            Some(_) => any_rate = true,
        }
    }
    let _ = any_rate;
    let (s, r) = verdict(
        !http.is_empty(),
        problems,
        "every HTTP entry point has a web ACL with a rate-based rule".to_owned(),
        "no HTTP entry point",
    );
    out.push(practice("BP2", "AWS WAF with rate-based rules", s, r));

    // BP3: DNS on Route 53.
    let (s, r) = match a.dns.as_deref() {
        None => (Status::NotApplicable, vec!["no DNS described".to_owned()]),
        Some("ROUTE_53") => (Status::InPlace, vec!["names resolve on Route 53, at the edge".to_owned()]),
        Some(_) => (Status::Missing, vec!["names resolve outside Route 53; host the zone on Route 53 (shuffle sharding, anycast at the edge)".to_owned()]),
    };
    out.push(practice("BP3", "Amazon Route 53 for DNS", s, r));

    // BP4: APIs behind API Gateway, at the edge or behind CloudFront, with throttling.
    let apis: Vec<&EntryPoint> = eps.iter().filter(|e| e.kind == "API_GATEWAY").collect();
    let lambda_urls: Vec<&EntryPoint> = eps.iter().filter(|e| e.kind == "LAMBDA_URL").collect();
    let api_origins = a.origins.iter().any(|o| o.kind == "API_GATEWAY" || o.kind == "LAMBDA");
    let mut problems: Vec<String> = lambda_urls
        .iter()
        .map(|e| format!("`{}` is a Lambda function URL reached directly; front it with API Gateway", e.name))
        .collect();
    for e in &apis {
        if e.endpoint_type.as_deref() == Some("REGIONAL") {
            problems.push(format!("`{}` is a regional API reached directly; use an edge-optimized endpoint or CloudFront in front", e.name));
        }
        if !e.throttling {
            problems
                .push(format!("`{}` has no throttling (stage or usage-plan rate and burst limits)", e.name));
        }
    }
    let (s, r) = verdict(
        !apis.is_empty() || !lambda_urls.is_empty() || api_origins,
        problems,
        "APIs are behind API Gateway with throttling".to_owned(),
        "no API described",
    );
    out.push(practice("BP4", "Amazon API Gateway for APIs", s, r));

    // BP5: origins admit only what is in front of them.
    let problems = a
        .origins
        .iter()
        .filter(|o| o.publicly_reachable)
        .map(|o| format!("origin `{}` admits the whole internet; allow only its front (the CloudFront managed prefix list, the load balancer's security group) in its security group and network ACL", o.name))
        .collect();
    let (s, r) = verdict(
        !a.origins.is_empty(),
        problems,
        "no origin admits the internet directly".to_owned(),
        "no origins described",
    );
    out.push(practice("BP5", "Security groups and network ACLs", s, r));

    // BP6 and BP7: compute behind a load balancer, scaling out.
    let compute_eps: Vec<&EntryPoint> = eps.iter().filter(|e| COMPUTE.contains(&e.kind.as_str())).collect();
    let compute: Vec<&Origin> = a.origins.iter().filter(|o| COMPUTE.contains(&o.kind.as_str())).collect();
    let applicable = !compute_eps.is_empty() || !compute.is_empty();
    let mut problems: Vec<String> = compute_eps
        .iter()
        .map(|e| {
            format!("`{}` ({}) takes traffic itself; put an Elastic Load Balancer in front", e.name, e.kind)
        })
        .collect();
    for o in &compute {
        let lb = o
            .behind
            .as_deref()
            .and_then(|b| a.kind_of(b))
            .is_some_and(|k| matches!(k, "ALB" | "NLB" | "CLB"));
        if !lb {
            problems.push(format!("origin `{}` ({}) is not behind a load balancer", o.name, o.kind));
        }
    }
    let (s, r) = verdict(
        applicable,
        problems,
        "compute is behind Elastic Load Balancing".to_owned(),
        "no EC2 or ECS described",
    );
    out.push(practice("BP6", "Elastic Load Balancing", s, r));
    let mut problems: Vec<String> = compute
        .iter()
        .filter(|o| !o.auto_scaling)
        .map(|o| {
            format!(
                "origin `{}` does not scale out; use Auto Scaling so a flood is absorbed, not fatal",
                o.name
            )
        })
        .collect();
    problems.extend(compute_eps.iter().map(|e| format!("`{}` is a single instance taking traffic", e.name)));
    let (s, r) = verdict(applicable, problems, "compute scales out".to_owned(), "no EC2 or ECS described");
    out.push(practice("BP7", "Amazon EC2 Auto Scaling", s, r));

    // Shield Advanced on every protectable entry point, with health checks for detection.
    let protectable: Vec<&EntryPoint> =
        eps.iter().filter(|e| SHIELD_TYPES.contains(&e.kind.as_str())).collect();
    let mut problems: Vec<String> = protectable
        .iter()
        .filter(|e| !e.shield_advanced)
        .map(|e| format!("`{}` ({}) is not protected by Shield Advanced", e.name, e.kind))
        .collect();
    if protectable.iter().any(|e| e.shield_advanced) && !a.health_checks {
        problems.push(
            "no Route 53 health checks associated: Shield Advanced's health-based detection needs them"
                .to_owned(),
        );
    }
    let (s, r) = verdict(
        !protectable.is_empty(),
        problems,
        "every protectable entry point has Shield Advanced, with health checks".to_owned(),
        "nothing Shield Advanced protects is described",
    );
    out.push(practice("SHIELD", "AWS Shield Advanced (BP1, BP2, BP6 in the notes)", s, r));

    let in_place = out.iter().filter(|p| p.status == Status::InPlace).count();
    let missing = out.iter().filter(|p| p.status == Status::Missing).count();
    Checklist { practices: out, in_place, missing }
}
