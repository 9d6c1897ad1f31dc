//! The log replay: each logged request is evaluated again by the edited web ACL and compared with
//! what AWS logged (action, matched rules, labels). Everything kept is bounded — counts per rule,
//! label and client are capped, samples are capped — so memory stays flat however many records
//! stream through.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;

use serde::Serialize;
use serde_json::{json, Value};

use super::record::{labels, matched_rules, LineError, LoggedRecord};
use super::unjudged;
use crate::waf::eval::{Context, Engine};

/// Limits of one replay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Samples of changed requests kept (default 50, at most 1,000).
    pub max_samples: usize,
    /// Distinct client addresses counted one by one (default 10,000, at most 100,000); the rest
    /// are counted together.
    pub max_clients: usize,
    /// Clients listed in the report (the most changed first; default 100).
    pub top_clients: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_samples: 50, max_clients: 10_000, top_clients: 100 }
    }
}

/// Distinct rule names and labels counted one by one; more are counted as `(other)`.
pub const MAX_KEYS: usize = 2_000;
/// Bad lines described in the report (all are counted).
pub const MAX_ERRORS: usize = 20;

/// Per rule: how many records it matched in the log and now.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RuleDiff {
    /// Web ACL rule name, or `<ruleGroupId>/<ruleId>` for a rule inside a group.
    pub rule_id: String,
    /// Records the log says it matched.
    pub matched_before: u64,
    /// Records it matches now.
    pub matched_after: u64,
    /// Records it matches now and did not before.
    pub gained: u64,
    /// Records it matched before and does not now.
    pub lost: u64,
    /// Why the replay cannot judge it, if it cannot.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unjudged: Option<String>,
}

/// Per label: records that gained or lost it.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct LabelDiff {
    /// Label name.
    pub label: String,
    /// Records that have it now and did not.
    pub added: u64,
    /// Records that had it and do not now.
    pub removed: u64,
}

/// Per client address.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ClientDiff {
    /// The address (`(other)` for those beyond the cap).
    pub client_ip: String,
    /// Records from it.
    pub records: u64,
    /// Records whose action changed.
    pub changed: u64,
    /// Records now blocked that were not.
    pub newly_blocked: u64,
    /// Records now allowed that were not.
    pub newly_allowed: u64,
}

/// A changed request to look at.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    /// Line in the log.
    pub line: u64,
    /// `httpRequest.requestId`, when logged.
    pub request_id: Option<String>,
    /// What AWS did.
    pub action_logged: String,
    /// What the edited ACL does.
    pub action_now: String,
    /// The rule that decided in the log.
    pub rule_logged: String,
    /// The rule that decides now.
    pub rule_now: String,
    /// Labels the request gains.
    pub labels_added: Vec<String>,
    /// Labels the request loses.
    pub labels_removed: Vec<String>,
    /// The request as `evaluate` takes it (to evaluate again with the trace).
    pub request: Value,
}

/// An action change and how often it happened.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Transition {
    /// Logged action.
    pub from: String,
    /// Action now.
    pub to: String,
    /// Records.
    pub count: u64,
}

/// A line that is not a record.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct BadLine {
    /// Line number.
    pub line: u64,
    /// `MalformedJson` or `InvalidLogRecord`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
}

/// The replay's result.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReplayDiff {
    /// Records replayed.
    pub records: u64,
    /// Records whose action is the same.
    pub unchanged: u64,
    /// Records now BLOCK that were not.
    pub newly_blocked: u64,
    /// Records now ALLOW that were not.
    pub newly_allowed: u64,
    /// Records whose action changed otherwise (to CAPTCHA or CHALLENGE).
    pub other_changes: u64,
    /// Records whose deciding rule changed (whatever the action).
    pub rule_changed: u64,
    /// Records whose labels changed.
    pub labels_changed: u64,
    /// Records that reached a rule the replay cannot judge (see `perRule[].unjudged`).
    pub unjudged: u64,
    /// Each action change and its count.
    pub transitions: Vec<Transition>,
    /// Every rule of the ACL, then any other the log names.
    pub per_rule: Vec<RuleDiff>,
    /// Labels gained or lost, most changed first.
    pub labels: Vec<LabelDiff>,
    /// Clients, most changed first (at most `topClients`).
    pub per_client: Vec<ClientDiff>,
    /// Distinct clients counted one by one.
    pub clients_counted: u64,
    /// Records from clients beyond the cap (counted together).
    pub clients_overflow: ClientDiff,
    /// Changed requests (at most `maxSamples`).
    pub samples: Vec<Sample>,
    /// Lines that are not records.
    pub bad_lines: u64,
    /// The first of them, described.
    pub errors: Vec<BadLine>,
    /// What the replay approximates.
    pub notes: Vec<String>,
}

/// A replay in progress.
#[derive(Debug)]
pub struct Replay {
    engine: Engine,
    limits: Limits,
    rule_index: HashMap<String, usize>,
    rules: Vec<RuleDiff>,
    /// Index in priority order of the first web ACL rule that cannot be judged.
    first_unjudged: usize,
    acl_rules: HashMap<String, usize>,
    labels: BTreeMap<String, (u64, u64)>,
    clients: HashMap<IpAddr, ClientDiff>,
    transitions: BTreeMap<(String, String), u64>,
    out: ReplayDiff,
}

fn other_key() -> String {
    "(other)".to_owned()
}

impl Replay {
    /// A replay through `engine` (its rate-based counters start from zero).
    pub fn new(mut engine: Engine, limits: Limits) -> Self {
        engine.reset_clock();
        let mut rules = Vec::new();
        let mut rule_index = HashMap::new();
        let mut acl_rules = HashMap::new();
        let mut first_unjudged = usize::MAX;
        for (i, r) in engine.acl.rules.iter().enumerate() {
            let why = unjudged::reason(&engine, &r.statement);
            if why.is_some() && first_unjudged == usize::MAX {
                first_unjudged = i;
            }
            rule_index.insert(r.name.clone(), rules.len());
            acl_rules.insert(r.name.clone(), i);
            rules.push(RuleDiff { rule_id: r.name.clone(), unjudged: why, ..RuleDiff::default() });
        }
        let mut notes = vec![
            "AWS WAF logs carry no request body: rules that inspect it see an empty body".to_owned(),
            "rate-based rules count only the replayed records, on the logged timestamps".to_owned(),
        ];
        notes.extend(engine.notes().iter().cloned());
        let out = ReplayDiff { notes, ..ReplayDiff::default() };
        Self {
            engine,
            limits,
            rule_index,
            rules,
            first_unjudged,
            acl_rules,
            labels: BTreeMap::new(),
            clients: HashMap::new(),
            transitions: BTreeMap::new(),
            out,
        }
    }

    /// Counts a line that is not a record.
    pub fn bad_line(&mut self, line: u64, e: LineError) {
        self.out.bad_lines += 1;
        if self.out.errors.len() < MAX_ERRORS {
            self.out.errors.push(BadLine { line, code: e.code, message: e.message });
        }
    }

    /// Records replayed so far.
    pub fn records(&self) -> u64 {
        self.out.records
    }

    /// Lines that were not records so far.
    pub fn bad_lines(&self) -> u64 {
        self.out.bad_lines
    }

    fn rule_slot(&mut self, id: &str) -> usize {
        if let Some(&i) = self.rule_index.get(id) {
            return i;
        }
        let key = if self.rules.len() < MAX_KEYS { id.to_owned() } else { other_key() };
        if let Some(&i) = self.rule_index.get(&key) {
            return i;
        }
        self.rules.push(RuleDiff { rule_id: key.clone(), ..RuleDiff::default() });
        self.rule_index.insert(key, self.rules.len() - 1);
        self.rules.len() - 1
    }

    fn bump_rule(&mut self, id: &str, f: impl Fn(&mut RuleDiff)) {
        let i = self.rule_slot(id);
        if let Some(r) = self.rules.get_mut(i) {
            f(r);
        }
    }

    fn bump_label(&mut self, label: &str, added: bool) {
        let key = if self.labels.len() < MAX_KEYS || self.labels.contains_key(label) {
            label.to_owned()
        } else {
            other_key()
        };
        let e = self.labels.entry(key).or_default();
        if added {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }

    /// Replays one logged request.
    pub fn record(&mut self, logged: LoggedRecord) {
        let ctx = Context {
            timestamp_ms: logged.request.timestamp,
            captcha_solved_ms: logged.captcha_solved_ms,
            challenge_solved_ms: logged.challenge_solved_ms,
        };
        let now = self.engine.evaluate_decision(&logged.request, &ctx);
        let after = matched_rules(&now);
        let labels_now = labels(&now);
        self.out.records += 1;

        for id in &logged.matched {
            let gone = !after.iter().any(|a| a == id);
            self.bump_rule(id, |r| {
                r.matched_before += 1;
                r.lost += u64::from(gone);
            });
        }
        for id in &after {
            let new = !logged.matched.iter().any(|m| m == id);
            self.bump_rule(id, |r| {
                r.matched_after += 1;
                r.gained += u64::from(new);
            });
        }

        let added: Vec<String> = labels_now
            .iter()
            .filter(|l| !logged.labels.iter().any(|x| x == *l))
            .map(|l| (*l).to_owned())
            .collect();
        let removed: Vec<String> =
            logged.labels.iter().filter(|l| !labels_now.contains(&l.as_str())).cloned().collect();
        if !added.is_empty() || !removed.is_empty() {
            self.out.labels_changed += 1;
        }
        for l in &added {
            self.bump_label(l, true);
        }
        for l in &removed {
            self.bump_label(l, false);
        }

        let changed = now.action != logged.action;
        let blocked = changed && now.action == "BLOCK";
        let allowed = changed && now.action == "ALLOW";
        if !changed {
            self.out.unchanged += 1;
        } else if blocked {
            self.out.newly_blocked += 1;
        } else if allowed {
            self.out.newly_allowed += 1;
        } else {
            self.out.other_changes += 1;
        }
        if changed {
            *self.transitions.entry((logged.action.clone(), now.action.clone())).or_default() += 1;
        }
        if now.terminating_rule_id != logged.terminating_rule_id {
            self.out.rule_changed += 1;
        }
        let decided_at = self.acl_rules.get(&now.terminating_rule_id).copied().unwrap_or(usize::MAX - 1);
        if self.first_unjudged <= decided_at {
            self.out.unjudged += 1;
        }

        let ip = logged.request.client_ip;
        let slot = if self.clients.len() < self.limits.max_clients || self.clients.contains_key(&ip) {
            self.clients.entry(ip).or_default()
        } else {
            &mut self.out.clients_overflow
        };
        slot.records += 1;
        slot.changed += u64::from(changed);
        slot.newly_blocked += u64::from(blocked);
        slot.newly_allowed += u64::from(allowed);

        if (changed || !added.is_empty() || !removed.is_empty())
            && self.out.samples.len() < self.limits.max_samples
        {
            self.out.samples.push(Sample {
                line: logged.line,
                request_id: logged.request_id.clone(),
                action_logged: logged.action.clone(),
                action_now: now.action.clone(),
                rule_logged: logged.terminating_rule_id.clone(),
                rule_now: now.terminating_rule_id.clone(),
                labels_added: added,
                labels_removed: removed,
                request: request_json(&logged),
            });
        }
    }

    /// The difference so far (the replay can go on).
    pub fn report(&self) -> ReplayDiff {
        let mut out = self.out.clone();
        out.clients_overflow.client_ip = other_key();
        out.per_rule = self.rules.clone();
        out.transitions = self
            .transitions
            .iter()
            .map(|((from, to), count)| Transition { from: from.clone(), to: to.clone(), count: *count })
            .collect();
        let mut labels: Vec<LabelDiff> = self
            .labels
            .iter()
            .map(|(label, (added, removed))| LabelDiff {
                label: label.clone(),
                added: *added,
                removed: *removed,
            })
            .collect();
        labels.sort_by(|a, b| {
            (b.added + b.removed).cmp(&(a.added + a.removed)).then_with(|| a.label.cmp(&b.label))
        });
        out.labels = labels;
        let mut clients: Vec<(&IpAddr, &ClientDiff)> = self.clients.iter().collect();
        clients.sort_by(|(ia, a), (ib, b)| {
            b.changed.cmp(&a.changed).then(b.records.cmp(&a.records)).then_with(|| ia.cmp(ib))
        });
        out.per_client = clients
            .into_iter()
            .take(self.limits.top_clients)
            .map(|(ip, c)| ClientDiff { client_ip: ip.to_string(), ..c.clone() })
            .collect();
        out.clients_counted = self.clients.len() as u64;
        out
    }
}

/// A logged request in the shape `evaluate` takes.
pub fn request_json(logged: &LoggedRecord) -> Value {
    let r = &logged.request;
    let mut v = json!({
        "method": r.method,
        "uri": r.uri,
        "headers": r.headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
        "clientIp": r.client_ip.to_string(),
    });
    if let Some(o) = v.as_object_mut() {
        let mut put = |k: &str, x: Option<Value>| {
            if let Some(x) = x {
                o.insert(k.to_owned(), x);
            }
        };
        put("country", r.country.clone().map(Value::from));
        put("asn", r.asn.map(Value::from));
        put("ja3", r.ja3.clone().map(Value::from));
        put("ja4", r.ja4.clone().map(Value::from));
        put("timestamp", r.timestamp.map(Value::from));
    }
    v
}
