//! Evaluation: a request goes through the web ACL's rules in priority order; labels added by
//! matching rules are visible to later rules; Count (and CAPTCHA/Challenge with a valid
//! token) continue; Allow/Block/CAPTCHA/Challenge terminate; otherwise the default action
//! applies. Rule groups and managed groups run with their own label namespace, exclusions and
//! overrides. The result is an AWS WAF log record with a per-rule trace. Parsing is elsewhere.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use super::error::WafError;
use super::geo::GeoDb;
use super::ipset::IpSet;
use super::log::*;
use super::managed;
use super::model::*;
use super::rate::RateState;
use super::regex_dialect::RegexPatternSet;
use super::request::Request;

mod flow;
mod memo;
mod origin;
mod statement;

use flow::Run;
pub use statement::byte_match;

/// Referenced resources, keyed by ARN.
#[derive(Debug, Clone, Default)]
pub struct Resources {
    /// IP sets.
    pub ip_sets: HashMap<String, IpSet>,
    /// Regex pattern sets.
    pub regex_sets: HashMap<String, RegexPatternSet>,
    /// Own rule groups.
    pub rule_groups: HashMap<String, RuleGroupDef>,
}

/// Per-evaluation inputs besides the request.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// Epoch milliseconds; defaults to the request's, then to the simulated clock.
    pub timestamp_ms: Option<u64>,
    /// When the client's CAPTCHA token was solved (epoch ms), if it has one.
    pub captcha_solved_ms: Option<u64>,
    /// When the client's challenge token was solved (epoch ms), if it has one.
    pub challenge_solved_ms: Option<u64>,
}

/// Body inspection defaults per resource type, in bytes.
pub fn default_body_limit(resource_type: &str) -> usize {
    match resource_type {
        "APPLICATION_LOAD_BALANCER" | "APPSYNC" => 8 * 1024,
        _ => 16 * 1024,
    }
}

/// A web ACL ready to evaluate requests.
#[derive(Debug, Clone)]
pub struct Engine {
    /// The parsed ACL.
    pub acl: WebAclDef,
    /// Resolved references.
    pub resources: Resources,
    managed: HashMap<String, RuleGroupDef>,
    /// Body inspection limit in bytes.
    pub body_limit: usize,
    /// The resource type the ACL is evaluated for.
    pub resource_type: String,
    rate: RateState,
    clock_ms: u64,
    notes: Vec<String>,
    /// Whether evaluations record the inspected values (on by default; off is faster).
    pub trace: bool,
    /// The offline geo database GeoMatch/AsnMatch consult when a request has no country/ASN.
    pub geo: Option<Arc<GeoDb>>,
}

impl Engine {
    /// Builds an engine, checking every reference resolves. `body_limit` overrides the limit
    /// derived from `resource_type` and the ACL's `AssociationConfig`.
    pub fn new(
        acl: WebAclDef,
        resources: Resources,
        resource_type: Option<&str>,
        body_limit: Option<usize>,
    ) -> Result<Self, WafError> {
        let resource_type = resource_type.map_or_else(
            || {
                if acl.arn.contains(":global/") {
                    "CLOUDFRONT".to_owned()
                } else {
                    "APPLICATION_LOAD_BALANCER".to_owned()
                }
            },
            str::to_owned,
        );
        let configured = acl.body_limits.get(&resource_type).copied();
        let fixed = matches!(resource_type.as_str(), "APPSYNC");
        let body_limit = body_limit
            .or(if fixed { None } else { configured })
            .unwrap_or_else(|| default_body_limit(&resource_type))
            .min(64 * 1024);
        let refs: usize = acl.rules.iter().map(|r| count_refs(&r.statement)).sum();
        if refs > MAX_REFERENCES {
            return Err(WafError::Limit {
                reason: format!("the web ACL references {refs} IP sets, regex pattern sets and rule groups; the maximum is {MAX_REFERENCES}"),
            });
        }
        let mut notes = Vec::new();
        let mut managed_groups = HashMap::new();
        let group_rules = resources.rule_groups.values().flat_map(|g| &g.rules);
        for rule in acl.rules.iter().chain(group_rules) {
            check_refs(
                &rule.statement,
                &resources,
                &format!("{}/Statement", rule.pointer),
                &mut managed_groups,
                &mut notes,
                &resource_type,
            )?;
        }
        Ok(Self {
            acl,
            resources,
            managed: managed_groups,
            body_limit,
            resource_type,
            rate: RateState::default(),
            clock_ms: 0,
            notes,
            trace: true,
            geo: None,
        })
    }

    /// Notes about what is approximated or not modelled.
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The managed groups this ACL uses that the playground models, by `Vendor#Name`.
    pub fn managed_groups(&self) -> &HashMap<String, RuleGroupDef> {
        &self.managed
    }

    /// Chooses how rate-based rules decide (exact sliding window, the default, or AWS's
    /// periodic checks); clears the rate-based counters.
    pub fn set_rate_mode(&mut self, mode: super::rate::RateMode) {
        self.rate.set_mode(mode);
    }

    /// Clears rate-based counters and the simulated clock.
    pub fn reset_clock(&mut self) {
        self.rate.reset();
        self.clock_ms = 0;
    }

    /// Evaluates one request.
    pub fn evaluate(&mut self, req: &Request, ctx: &Context) -> LogRecord {
        self.evaluate_with(req, ctx, true)
    }

    /// Evaluates one request without building the per-rule trace at all (`trace` stays empty,
    /// whatever `self.trace`): what `trace: false` gives a JS caller, without the cost.
    pub fn evaluate_untraced(&mut self, req: &Request, ctx: &Context) -> LogRecord {
        self.evaluate_with(req, ctx, false)
    }

    /// Evaluates one request for its decision only: no trace, and the record's `httpRequest` and
    /// `notes` left empty (the caller has the request): what the log replay needs, without copying
    /// every header of every request into a record it throws away.
    pub fn evaluate_decision(&mut self, req: &Request, ctx: &Context) -> LogRecord {
        self.evaluate_full(req, ctx, false, false)
    }

    fn evaluate_with(&mut self, req: &Request, ctx: &Context, rule_trace: bool) -> LogRecord {
        self.evaluate_full(req, ctx, rule_trace, true)
    }

    fn evaluate_full(
        &mut self,
        req: &Request,
        ctx: &Context,
        rule_trace: bool,
        log_request: bool,
    ) -> LogRecord {
        let now = ctx.timestamp_ms.or(req.timestamp).unwrap_or(self.clock_ms);
        self.clock_ms = self.clock_ms.max(now);
        let mut run = Run {
            acl: &self.acl,
            res: &self.resources,
            managed: &self.managed,
            rate: &mut self.rate,
            req,
            ctx,
            now,
            body_limit: self.body_limit,
            resource_type: &self.resource_type,
            trace: self.trace && rule_trace,
            rule_trace,
            labels: Vec::new(),
            oversize: BTreeSet::new(),
            rate_hits: Vec::new(),
            token_responses: (None, None),
            pending: Vec::new(),
            group_headers: Vec::new(),
            geo: self.geo.as_deref(),
            log_request,
            memo: memo::Memo::default(),
        };
        let mut record = run.run();
        if log_request {
            record.notes.clone_from(&self.notes);
        }
        record.http_source_name = match self.resource_type.as_str() {
            "CLOUDFRONT" => "CF",
            "API_GATEWAY" => "APIGW",
            "APPLICATION_LOAD_BALANCER" => "ALB",
            "COGNITO_USER_POOL" => "COGNITOIDP",
            "APP_RUNNER_SERVICE" => "APPRUNNER",
            "VERIFIED_ACCESS_INSTANCE" => "VERIFIED_ACCESS",
            other => other,
        }
        .to_owned();
        record
    }
}

/// AWS's limit on references to IP sets, regex pattern sets and rule groups per web ACL.
pub const MAX_REFERENCES: usize = 50;

fn count_refs(st: &Statement) -> usize {
    match st {
        Statement::IpSet(..) | Statement::RegexSet(..) | Statement::RuleGroup(_) => 1,
        Statement::And(list) | Statement::Or(list) => list.iter().map(count_refs).sum(),
        Statement::Not(s) => count_refs(s),
        Statement::RateBased(rb) => rb.scope_down.as_ref().map_or(0, count_refs),
        Statement::Managed(g) => g.scope_down.as_deref().map_or(0, count_refs),
        _ => 0,
    }
}

fn check_refs(
    st: &Statement,
    res: &Resources,
    pointer: &str,
    managed_groups: &mut HashMap<String, RuleGroupDef>,
    notes: &mut Vec<String>,
    resource_type: &str,
) -> Result<(), WafError> {
    match st {
        Statement::IpSet(arn, _) if !res.ip_sets.contains_key(arn) => {
            return Err(WafError::MissingResource {
                pointer: format!("{pointer}/IPSetReferenceStatement/ARN"),
                kind: "IP set",
                arn: arn.clone(),
                command: "wafv2 get-ip-set",
                slot: "ipSets",
            });
        }
        Statement::RegexSet(arn, _) if !res.regex_sets.contains_key(arn) => {
            return Err(WafError::MissingResource {
                pointer: format!("{pointer}/RegexPatternSetReferenceStatement/ARN"),
                kind: "regex pattern set",
                arn: arn.clone(),
                command: "wafv2 get-regex-pattern-set",
                slot: "regexPatternSets",
            });
        }
        Statement::RuleGroup(g) => {
            if !res.rule_groups.contains_key(&g.arn_or_vendor) {
                return Err(WafError::MissingResource {
                    pointer: format!("{pointer}/RuleGroupReferenceStatement/ARN"),
                    kind: "rule group",
                    arn: g.arn_or_vendor.clone(),
                    command: "wafv2 get-rule-group",
                    slot: "ruleGroups",
                });
            }
            if let Some(group) = res.rule_groups.get(&g.arn_or_vendor) {
                for (name, _) in &g.overrides {
                    if !group.rules.iter().any(|r| &r.name == name) {
                        return Err(WafError::invalid(
                            &format!("{pointer}/RuleGroupReferenceStatement/RuleActionOverrides"),
                            "The referenced item doesn't exist.",
                            "RULE_ACTION_OVERRIDE",
                            name.clone(),
                        ));
                    }
                }
            }
        }
        Statement::Managed(g) => {
            let key = g.managed_id();
            for c in &g.configs {
                let note = format!("managed rule group `{key}`: {}", c.describe(resource_type));
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
            match managed::definition(&g.arn_or_vendor, &g.name, &g.configs) {
                Some(Ok(def)) => {
                    let note = format!("managed rule group `{key}` is the playground's approximation, built from the rules AWS documents");
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                    managed_groups.insert(g.managed_key(), def);
                }
                Some(Err(e)) => {
                    // Only a configuration the playground cannot turn into rules gets here (e.g. a
                    // JSON credential field that is not a JSON pointer): say so, match nothing.
                    let note = format!("managed rule group `{key}` could not be modelled ({e}); it is evaluated as matching nothing");
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                }
                None => {
                    let note = format!(
                        "managed rule group `{key}` is not modelled; it is evaluated as matching nothing"
                    );
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                }
            }
            if let Some(sd) = &g.scope_down {
                check_refs(
                    sd,
                    res,
                    &format!("{pointer}/ManagedRuleGroupStatement/ScopeDownStatement"),
                    managed_groups,
                    notes,
                    resource_type,
                )?;
            }
        }
        Statement::And(list) | Statement::Or(list) => {
            let kind = if matches!(st, Statement::And(_)) { "AndStatement" } else { "OrStatement" };
            for (i, s) in list.iter().enumerate() {
                check_refs(
                    s,
                    res,
                    &format!("{pointer}/{kind}/Statements/{i}"),
                    managed_groups,
                    notes,
                    resource_type,
                )?;
            }
        }
        Statement::Not(s) => check_refs(
            s,
            res,
            &format!("{pointer}/NotStatement/Statement"),
            managed_groups,
            notes,
            resource_type,
        )?,
        Statement::RateBased(rb) => {
            if let Some(sd) = &rb.scope_down {
                check_refs(
                    sd,
                    res,
                    &format!("{pointer}/RateBasedStatement/ScopeDownStatement"),
                    managed_groups,
                    notes,
                    resource_type,
                )?;
            }
        }
        _ => {}
    }
    Ok(())
}
