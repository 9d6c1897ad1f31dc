//! The rule loop of one evaluation: rules in priority order, actions (Count and valid-token
//! CAPTCHA/Challenge continue; Allow/Block/CAPTCHA/Challenge terminate), rule groups with
//! exclusions and overrides, labels, inserted headers, and the log record. What a statement
//! matches is decided in `statement`.

use std::collections::{BTreeSet, HashMap};

use crate::waf::log::*;
use crate::waf::model::*;
use crate::waf::rate::RateState;
use crate::waf::request::Request;

use super::{Context, Resources};

fn group_def<'a>(
    res: &'a Resources,
    managed: &'a HashMap<String, RuleGroupDef>,
    st: &Statement,
) -> Option<(&'a RuleGroupDef, String)> {
    match st {
        Statement::RuleGroup(g) => {
            res.rule_groups.get(&g.arn_or_vendor).map(|d| (d, g.arn_or_vendor.clone()))
        }
        Statement::Managed(g) => managed.get(&g.managed_key()).map(|d| (d, g.managed_id())),
        _ => None,
    }
}

/// Where a rule runs: its label namespace and its group (if any).
#[derive(Debug, Clone, Copy)]
pub(super) struct Scope<'a> {
    pub(super) namespace: &'a str,
    pub(super) group: Option<&'a str>,
}

pub(super) struct Run<'a> {
    pub(super) acl: &'a WebAclDef,
    pub(super) res: &'a Resources,
    pub(super) managed: &'a HashMap<String, RuleGroupDef>,
    pub(super) rate: &'a mut RateState,
    pub(super) req: &'a Request,
    pub(super) ctx: &'a Context,
    pub(super) now: u64,
    pub(super) body_limit: usize,
    /// The resource type the ACL protects (what some managed group configurations depend on).
    pub(super) resource_type: &'a str,
    /// Whether to record inspected values in the trace.
    pub(super) trace: bool,
    /// Whether to record the per-rule trace at all (the log record's `trace`, which replay
    /// counts from); off, no rule costs an allocation for it.
    pub(super) rule_trace: bool,
    pub(super) labels: Vec<String>,
    pub(super) oversize: BTreeSet<&'static str>,
    pub(super) rate_hits: Vec<RateEntry>,
    /// CAPTCHA/Challenge outcomes met inside rule groups, for the log record.
    pub(super) token_responses: (Option<TokenResponse>, Option<TokenResponse>),
    /// Labels a statement adds whatever the outcome (geo labels), applied when its rule ends.
    pub(super) pending: Vec<String>,
    /// Headers inserted by counting rules inside the last rule group evaluated.
    pub(super) group_headers: Vec<(String, String)>,
    /// The offline geo database, when the engine has one.
    pub(super) geo: Option<&'a crate::waf::geo::GeoDb>,
    /// Whether the record carries the request (`httpRequest`); off for a decision only.
    pub(super) log_request: bool,
    /// Transformed field values computed so far for this request.
    pub(super) memo: super::memo::Memo,
}

/// What one rule did.
pub(super) enum Verdict {
    NoMatch,
    Continue,
    Terminate(RuleAction),
}

pub(super) fn lossy(bytes: &[u8]) -> String {
    let cut = bytes.get(..bytes.len().min(256)).unwrap_or_default();
    String::from_utf8_lossy(cut).into_owned()
}

impl Run<'_> {
    pub(super) fn run(&mut self) -> LogRecord {
        let geo = self.client_origin();
        let http_request = if !self.log_request {
            HttpRequest::default()
        } else {
            HttpRequest {
                client_ip: self.req.client_ip.to_string(),
                country: geo.country.clone(),
                headers: self
                    .req
                    .headers
                    .iter()
                    .map(|(n, v)| Header { name: n.clone(), value: v.clone() })
                    .collect(),
                uri: self.req.path().to_owned(),
                args: self.req.query().to_owned(),
                http_version: "HTTP/1.1".to_owned(),
                http_method: self.req.method.clone(),
                fragment: self.req.fragment().map(str::to_owned),
            }
        };
        let mut rec = LogRecord {
            timestamp: self.now,
            format_version: 1,
            webacl_id: if self.log_request { self.acl.arn.clone() } else { String::new() },
            http_request,
            geo,
            ..LogRecord::default()
        };
        let mut inserted: Vec<(String, String)> = Vec::new();
        let acl = self.acl;
        let scope = Scope { namespace: &acl.label_namespace, group: None };
        let mut terminated: Option<(String, String, RuleAction, Vec<MatchDetail>)> = None;
        for rule in &acl.rules {
            let name = if self.rule_trace { rule.name.clone() } else { String::new() };
            let mut trace = RuleTrace { rule: name, priority: rule.priority, ..RuleTrace::default() };
            let before = self.labels.len();
            let mut inner_traces = Vec::new();
            let (verdict, rtype, details) = match (&rule.statement, &rule.action) {
                (
                    Statement::RuleGroup(g) | Statement::Managed(g),
                    RuleActionKind::Override { count, insert_headers },
                ) => {
                    let (v, entry, details) = self.group_rule(rule, g, *count, &mut trace, &mut inner_traces);
                    if let Some(e) = entry {
                        rec.rule_group_list.push(e);
                    }
                    inserted.append(&mut self.group_headers);
                    let (captcha, challenge) = std::mem::take(&mut self.token_responses);
                    rec.captcha_response = captcha.or(rec.captcha_response.take());
                    rec.challenge_response = challenge.or(rec.challenge_response.take());
                    if matches!(v, Verdict::Continue) && *count {
                        inserted.extend(insert_headers.iter().cloned());
                        let original = rec
                            .rule_group_list
                            .last()
                            .and_then(|e| e.terminating_rule.as_ref())
                            .map(|t| t.action.clone());
                        rec.non_terminating_matching_rules.push(RuleHit {
                            rule_id: rule.name.clone(),
                            action: "COUNT".to_owned(),
                            overridden_action: original,
                            rule_match_details: details.clone(),
                        });
                    }
                    let rtype = if matches!(rule.statement, Statement::Managed(_)) {
                        "MANAGED_RULE_GROUP"
                    } else {
                        "GROUP"
                    };
                    (v, rtype, details)
                }
                (_, RuleActionKind::Action(action)) => {
                    let mut details = Vec::new();
                    let matched = self.statement(
                        &rule.statement,
                        scope,
                        &rule.name,
                        "",
                        &mut trace.statements,
                        &mut details,
                    );
                    self.flush_pending();
                    trace.matched = matched;
                    let rtype = if matches!(rule.statement, Statement::RateBased(_)) {
                        "RATE_BASED"
                    } else {
                        "REGULAR"
                    };
                    if !matched {
                        (Verdict::NoMatch, rtype, details)
                    } else {
                        self.add_labels(&rule.labels, scope.namespace);
                        let v = self.apply_action(
                            action,
                            rule,
                            &mut rec,
                            &mut inserted,
                            &rule.name,
                            &details,
                            None,
                        );
                        (v, rtype, details)
                    }
                }
                _ => (Verdict::NoMatch, "REGULAR", Vec::new()),
            };
            if self.rule_trace {
                trace.labels_added = self.labels.get(before..).unwrap_or_default().to_vec();
                trace.outcome = match &verdict {
                    Verdict::NoMatch if trace.outcome.is_empty() => "NO_MATCH".to_owned(),
                    Verdict::NoMatch => trace.outcome.clone(),
                    Verdict::Continue => {
                        if trace.outcome.is_empty() {
                            "COUNT".to_owned()
                        } else {
                            trace.outcome.clone()
                        }
                    }
                    Verdict::Terminate(a) => a.log_name().to_owned(),
                };
                rec.trace.push(trace);
                rec.trace.append(&mut inner_traces);
            }
            if let Verdict::Terminate(action) = verdict {
                terminated = Some((rule.name.clone(), rtype.to_owned(), action, details));
                break;
            }
        }
        rec.rate_based_rule_list = std::mem::take(&mut self.rate_hits);
        let (rule_id, rtype, action, details) = terminated.unwrap_or_else(|| {
            ("Default_Action".to_owned(), "REGULAR".to_owned(), acl.default_action.clone(), Vec::new())
        });
        rec.terminating_rule_id = rule_id;
        rec.terminating_rule_type = rtype;
        rec.terminating_rule_match_details = details;
        rec.action = action.log_name().to_owned();
        let bodies = self.bodies_for(&rec);
        self.finish(&mut rec, &action, inserted, &bodies);
        rec.labels = self.labels.iter().take(100).map(|l| Label { name: l.clone() }).collect();
        rec.oversize_fields = if self.oversize.is_empty() {
            None
        } else {
            Some(self.oversize.iter().map(|s| (*s).to_owned()).collect())
        };
        rec
    }

    pub(super) fn bodies_for(
        &self,
        rec: &LogRecord,
    ) -> std::collections::BTreeMap<String, CustomResponseBody> {
        // A rule group's Block uses the group's own bodies; the ACL's fill in the rest.
        let mut bodies = std::collections::BTreeMap::new();
        if rec.terminating_rule_type == "GROUP" {
            if let Some(def) =
                rec.rule_group_list.last().and_then(|g| self.res.rule_groups.get(&g.rule_group_id))
            {
                bodies.clone_from(&def.custom_response_bodies);
            }
        }
        for (k, v) in &self.acl.custom_response_bodies {
            bodies.entry(k.clone()).or_insert_with(|| v.clone());
        }
        bodies
    }

    pub(super) fn finish(
        &self,
        rec: &mut LogRecord,
        action: &RuleAction,
        mut inserted: Vec<(String, String)>,
        bodies: &std::collections::BTreeMap<String, CustomResponseBody>,
    ) {
        let prefix =
            |h: &(String, String)| Header { name: format!("x-amzn-waf-{}", h.0), value: h.1.clone() };
        match action {
            RuleAction::Allow(headers) => {
                inserted.extend(headers.iter().cloned());
                rec.request_headers_inserted =
                    if inserted.is_empty() { None } else { Some(inserted.iter().map(prefix).collect()) };
                rec.response = Response { forwarded_to_origin: true, ..Response::default() };
            }
            RuleAction::Block(custom) => {
                let mut resp = Response { status: Some(403), ..Response::default() };
                if let Some(c) = custom {
                    resp.status = Some(c.code);
                    rec.response_code_sent = Some(c.code);
                    resp.headers = c.headers.iter().map(prefix).collect();
                    if let Some(body) = c.body_key.as_ref().and_then(|k| bodies.get(k)) {
                        resp.body = Some(body.content.clone());
                        resp.content_type = Some(body.content_type.clone());
                    }
                }
                rec.response = resp;
            }
            RuleAction::Captcha(_) => {
                rec.response = Response {
                    status: Some(405),
                    headers: vec![Header {
                        name: "x-amzn-waf-action".to_owned(),
                        value: "captcha".to_owned(),
                    }],
                    ..Response::default()
                };
            }
            RuleAction::Challenge(_) => {
                rec.response = Response {
                    status: Some(202),
                    headers: vec![Header {
                        name: "x-amzn-waf-action".to_owned(),
                        value: "challenge".to_owned(),
                    }],
                    ..Response::default()
                };
            }
            RuleAction::Count(_) => {
                rec.response = Response { forwarded_to_origin: true, ..Response::default() };
            }
        }
    }

    /// Applies a matched rule's action (after overrides). Returns whether evaluation goes on.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn apply_action(
        &mut self,
        action: &RuleAction,
        rule: &Rule,
        rec: &mut LogRecord,
        inserted: &mut Vec<(String, String)>,
        rule_id: &str,
        details: &[MatchDetail],
        overridden: Option<String>,
    ) -> Verdict {
        let hit = |a: &str| RuleHit {
            rule_id: rule_id.to_owned(),
            action: a.to_owned(),
            overridden_action: overridden.clone(),
            rule_match_details: details.to_vec(),
        };
        match action {
            RuleAction::Count(h) => {
                inserted.extend(h.iter().cloned());
                rec.non_terminating_matching_rules.push(hit("COUNT"));
                Verdict::Continue
            }
            RuleAction::Captcha(h) | RuleAction::Challenge(h) => {
                let captcha = matches!(action, RuleAction::Captcha(_));
                let (solved, immunity) = if captcha {
                    (self.ctx.captcha_solved_ms, rule.captcha_immunity.unwrap_or(self.acl.captcha_immunity))
                } else {
                    (
                        self.ctx.challenge_solved_ms,
                        rule.challenge_immunity.unwrap_or(self.acl.challenge_immunity),
                    )
                };
                let valid =
                    solved.is_some_and(|s| s <= self.now && self.now - s <= immunity.saturating_mul(1000));
                let response = TokenResponse {
                    response_code: if valid {
                        0
                    } else if captcha {
                        405
                    } else {
                        202
                    },
                    solve_timestamp: if valid { solved.map(|s| s / 1000) } else { None },
                    failure_reason: if valid {
                        None
                    } else if solved.is_some() {
                        Some("TOKEN_EXPIRED".to_owned())
                    } else {
                        Some("TOKEN_MISSING".to_owned())
                    },
                };
                if captcha {
                    rec.captcha_response = Some(response);
                } else {
                    rec.challenge_response = Some(response);
                }
                if valid {
                    inserted.extend(h.iter().cloned());
                    rec.non_terminating_matching_rules.push(hit(action.log_name()));
                    Verdict::Continue
                } else {
                    Verdict::Terminate(action.clone())
                }
            }
            RuleAction::Allow(_) | RuleAction::Block(_) => Verdict::Terminate(action.clone()),
        }
    }

    /// Runs a rule-group reference rule. Returns the verdict for the ACL, the log entry and
    /// the terminating rule's match details.
    pub(super) fn group_rule(
        &mut self,
        rule: &Rule,
        g: &GroupRef,
        override_count: bool,
        trace: &mut RuleTrace,
        all_traces: &mut Vec<RuleTrace>,
    ) -> (Verdict, Option<RuleGroupEntry>, Vec<MatchDetail>) {
        let acl_scope = Scope { namespace: &self.acl.label_namespace, group: None };
        if self.rule_trace && !g.configs.is_empty() {
            // The rules of a configured group are the playground's approximation: say which.
            let described: Vec<String> = g.configs.iter().map(|c| c.describe(self.resource_type)).collect();
            trace.approximation = described.join(" | ");
        }
        if let Some(sd) = &g.scope_down {
            let mut d = Vec::new();
            let inside = self.statement(
                sd,
                acl_scope,
                &rule.name,
                "ScopeDownStatement",
                &mut trace.statements,
                &mut d,
            );
            self.flush_pending();
            if !inside {
                trace.outcome = "NOT_EVALUATED".to_owned();
                return (Verdict::NoMatch, None, Vec::new());
            }
        }
        let Some((def, group_id)) = group_def(self.res, self.managed, &rule.statement) else {
            trace.outcome = "NOT_MODELLED".to_owned();
            return (Verdict::NoMatch, None, Vec::new());
        };
        let mut entry = RuleGroupEntry { rule_group_id: group_id, ..RuleGroupEntry::default() };
        let mut excluded = Vec::new();
        let scope = Scope { namespace: &def.label_namespace, group: Some(&def.name) };
        let mut result = (Verdict::NoMatch, Vec::new());
        let mut scratch = LogRecord::default();
        let mut scratch_headers = Vec::new();
        for inner in &def.rules {
            let RuleActionKind::Action(own) = &inner.action else {
                continue;
            };
            let mut t = RuleTrace {
                rule: inner.name.clone(),
                priority: inner.priority,
                group: Some(def.name.clone()),
                approximation: if g.configs.is_empty() {
                    String::new()
                } else {
                    "approximation: the playground's rule, from AWS's documented behaviour and this \
                     group's ManagedRuleGroupConfigs"
                        .to_owned()
                },
                ..RuleTrace::default()
            };
            let before = self.labels.len();
            let mut details = Vec::new();
            let matched =
                self.statement(&inner.statement, scope, &inner.name, "", &mut t.statements, &mut details);
            self.flush_pending();
            t.matched = matched;
            if !matched {
                t.outcome = "NO_MATCH".to_owned();
                t.labels_added = self.labels.get(before..).unwrap_or_default().to_vec();
                all_traces.push(t);
                continue;
            }
            self.add_labels(&inner.labels, scope.namespace);
            t.labels_added = self.labels.get(before..).unwrap_or_default().to_vec();
            if g.excluded.contains(&inner.name) {
                excluded.push(Excluded {
                    exclusion_type: "EXCLUDED_AS_COUNT".to_owned(),
                    rule_id: inner.name.clone(),
                });
                t.outcome = "EXCLUDED_AS_COUNT".to_owned();
                all_traces.push(t);
                continue;
            }
            let (action, overridden) = match g.overrides.iter().find(|(n, _)| n == &inner.name) {
                Some((_, a)) => (a.clone(), Some(own.log_name().to_owned())),
                None => (own.clone(), None),
            };
            let before_nt = scratch.non_terminating_matching_rules.len();
            let v = self.apply_action(
                &action,
                inner,
                &mut scratch,
                &mut scratch_headers,
                &inner.name,
                &details,
                overridden.clone(),
            );
            entry
                .non_terminating_matching_rules
                .extend(scratch.non_terminating_matching_rules.drain(before_nt..));
            match v {
                Verdict::Terminate(a) => {
                    t.outcome = a.log_name().to_owned();
                    all_traces.push(t);
                    entry.terminating_rule = Some(RuleHit {
                        rule_id: inner.name.clone(),
                        action: a.log_name().to_owned(),
                        overridden_action: overridden,
                        rule_match_details: details.clone(),
                    });
                    result = (Verdict::Terminate(a), details);
                    break;
                }
                _ => {
                    t.outcome = action.log_name().to_owned();
                    all_traces.push(t);
                }
            }
        }
        if !excluded.is_empty() {
            entry.excluded_rules = Some(excluded);
        }
        trace.matched = entry.terminating_rule.is_some();
        self.token_responses = (scratch.captcha_response, scratch.challenge_response);
        self.group_headers = scratch_headers;
        let verdict = match result.0 {
            Verdict::Terminate(_) if override_count => {
                trace.outcome = "COUNT".to_owned();
                self.add_labels(&rule.labels, &self.acl.label_namespace.clone());
                Verdict::Continue
            }
            Verdict::Terminate(a) => {
                self.add_labels(&rule.labels, &self.acl.label_namespace.clone());
                Verdict::Terminate(a)
            }
            _ => Verdict::NoMatch,
        };
        (verdict, Some(entry), result.1)
    }

    pub(super) fn add_labels(&mut self, names: &[String], namespace: &str) {
        for n in names {
            let full = format!("{namespace}{n}");
            self.push_label(full);
        }
    }

    pub(super) fn flush_pending(&mut self) {
        for l in std::mem::take(&mut self.pending) {
            self.push_label(l);
        }
    }

    pub(super) fn push_label(&mut self, label: String) {
        if !self.labels.contains(&label) {
            self.labels.push(label);
        }
    }

    pub(super) fn resolve_label(key: &str, namespace: &str) -> String {
        if key.starts_with("awswaf:") {
            key.to_owned()
        } else {
            format!("{namespace}{key}")
        }
    }
}
