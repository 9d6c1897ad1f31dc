//! Replay: a batch of timestamped requests (a JSON array, JSON lines, or a HAR file) run
//! through a web ACL on the simulated clock, summarised as per-rule match counts, actions per
//! minute, and the top blocked addresses and paths. Charts are the page's business.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use serde_json::{Map, Value};

use crate::common::date::parse_date;
use crate::common::json_source::JsonError;

use super::error::WafError;
use super::eval::{Context, Engine};
use super::parse;
use super::reader::{as_array, as_str};
use super::request::Request;

/// Most requests one replay accepts.
pub const MAX_REPLAY: usize = 100_000;

/// The replay summary.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ReplayReport {
    /// Requests evaluated.
    pub total: usize,
    /// Count per final action (`ALLOW`, `BLOCK`, ...).
    pub actions: BTreeMap<String, u64>,
    /// Per rule (group rules as `group/rule`): how often it matched and terminated.
    pub rules: Vec<RuleCount>,
    /// Actions per minute of simulated time.
    pub timeline: Vec<Minute>,
    /// Addresses most often not allowed.
    pub top_blocked_ips: Vec<Top>,
    /// Paths most often not allowed.
    pub top_blocked_uris: Vec<Top>,
    /// One line per request.
    pub results: Vec<ReplayResult>,
}

/// Per-rule counts.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct RuleCount {
    /// Rule name.
    pub rule: String,
    /// Requests its statement matched.
    pub matched: u64,
    /// Requests it terminated.
    pub terminated: u64,
}

/// Actions in one minute.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Minute {
    /// Start of the minute, epoch milliseconds.
    pub minute: u64,
    /// Count per action.
    pub actions: BTreeMap<String, u64>,
}

/// A value and how often it occurred.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Top {
    /// The address or path.
    pub value: String,
    /// Occurrences.
    pub count: u64,
}

/// The outcome of one replayed request.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ReplayResult {
    /// Final action.
    pub action: String,
    /// Terminating rule or `Default_Action`.
    pub terminating_rule_id: String,
    /// Simulated time.
    pub timestamp: u64,
}

/// Reads requests from a JSON array, JSON lines text, or a HAR document (object or text).
pub fn requests(input: &Value) -> Result<Vec<Request>, WafError> {
    let doc = match input {
        Value::String(text) => {
            let t = text.trim_start();
            if t.starts_with('[')
                || (t.starts_with('{')
                    && t.contains("\"log\"")
                    && serde_json::from_str::<Value>(text).is_ok())
            {
                parse::parse_text(text)?
            } else {
                let mut out = Vec::new();
                for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                    let v: Value =
                        serde_json::from_str(line).map_err(|e| match JsonError::from_serde(&e) {
                            JsonError::Malformed { column, message, .. } => WafError::MalformedJson {
                                line: u32::try_from(i + 1).unwrap_or(u32::MAX),
                                column,
                                message,
                            },
                            other => other.into(),
                        })?;
                    out.push(v);
                }
                Value::Array(out)
            }
        }
        other => other.clone(),
    };
    if let Some(entries) = doc.get("log").and_then(|l| l.get("entries")) {
        let items = as_array(entries, "/log/entries")?;
        check_len(items.len())?;
        return items.iter().map(|(e, p)| har_entry(e, p)).collect();
    }
    let items = as_array(&doc, "")?;
    check_len(items.len())?;
    items
        .iter()
        .map(|(v, p)| {
            Request::from_json(v).map_err(|e| match e {
                WafError::Request { pointer, reason } => {
                    WafError::Request { pointer: format!("{p}{pointer}"), reason }
                }
                other => other,
            })
        })
        .collect()
}

fn check_len(n: usize) -> Result<(), WafError> {
    if n > MAX_REPLAY {
        return Err(WafError::Limit { reason: format!("at most {MAX_REPLAY} requests per replay") });
    }
    Ok(())
}

/// Converts one HAR entry (`startedDateTime`, `request{method, url, headers, postData}`,
/// optional `_clientIp`, `_country`) into the request shape.
fn har_entry(e: &Value, pointer: &str) -> Result<Request, WafError> {
    let req = e
        .get("request")
        .ok_or_else(|| WafError::MissingField { pointer: pointer.to_owned(), name: "request".to_owned() })?;
    let url =
        req.get("url").map(|u| as_str(u, &format!("{pointer}/request/url"))).transpose()?.unwrap_or("/");
    let uri = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').and_then(|i| rest.get(i..)).unwrap_or("/").to_owned(),
        None => url.to_owned(),
    };
    let mut m = Map::new();
    m.insert("method".to_owned(), req.get("method").cloned().unwrap_or(Value::String("GET".to_owned())));
    m.insert("uri".to_owned(), Value::String(uri));
    let headers: Vec<Value> = req
        .get("headers")
        .and_then(Value::as_array)
        .map(|hs| {
            hs.iter()
                .filter_map(|h| Some(Value::Array(vec![h.get("name")?.clone(), h.get("value")?.clone()])))
                .filter(|h| h.get(0).and_then(Value::as_str).is_some_and(|n| !n.starts_with(':')))
                .collect()
        })
        .unwrap_or_default();
    m.insert("headers".to_owned(), Value::Array(headers));
    if let Some(pd) = req.get("postData") {
        if let Some(text) = pd.get("text") {
            let key = if pd.get("encoding").and_then(Value::as_str) == Some("base64") {
                "bodyBase64"
            } else {
                "body"
            };
            m.insert(key.to_owned(), text.clone());
        }
    }
    m.insert(
        "clientIp".to_owned(),
        e.get("_clientIp").cloned().unwrap_or(Value::String("127.0.0.1".to_owned())),
    );
    if let Some(c) = e.get("_country") {
        m.insert("country".to_owned(), c.clone());
    }
    if let Some(ts) = e.get("startedDateTime").and_then(Value::as_str).and_then(har_time) {
        m.insert("timestamp".to_owned(), Value::from(ts));
    }
    Request::from_json(&Value::Object(m)).map_err(|err| match err {
        WafError::Request { pointer: p, reason } => {
            WafError::Request { pointer: format!("{pointer}{p}"), reason }
        }
        other => other,
    })
}

/// A HAR `startedDateTime` (ISO 8601) as epoch milliseconds; `None` for text that is not a date
/// or a time before 1970.
fn har_time(text: &str) -> Option<u64> {
    parse_date(text).and_then(|ms| u64::try_from(ms).ok())
}

/// Evaluates `requests` in order and summarises them.
pub fn run(engine: &mut Engine, requests: &[Request]) -> ReplayReport {
    let mut report = ReplayReport { total: requests.len(), ..ReplayReport::default() };
    let mut per_rule: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut timeline: BTreeMap<u64, BTreeMap<String, u64>> = BTreeMap::new();
    let mut ips: HashMap<String, u64> = HashMap::new();
    let mut uris: HashMap<String, u64> = HashMap::new();
    for req in requests {
        let ctx = Context { timestamp_ms: req.timestamp, ..Context::default() };
        let rec = engine.evaluate(req, &ctx);
        *report.actions.entry(rec.action.clone()).or_default() += 1;
        *timeline
            .entry(rec.timestamp / 60_000 * 60_000)
            .or_default()
            .entry(rec.action.clone())
            .or_default() += 1;
        for t in &rec.trace {
            let key = t.group.as_ref().map_or_else(|| t.rule.clone(), |g| format!("{g}/{}", t.rule));
            let e = per_rule.entry(key).or_default();
            e.0 += u64::from(t.matched);
        }
        if rec.terminating_rule_id != "Default_Action" {
            per_rule.entry(rec.terminating_rule_id.clone()).or_default().1 += 1;
        }
        if rec.action != "ALLOW" {
            *ips.entry(rec.http_request.client_ip.clone()).or_default() += 1;
            *uris.entry(rec.http_request.uri.clone()).or_default() += 1;
        }
        report.results.push(ReplayResult {
            action: rec.action,
            terminating_rule_id: rec.terminating_rule_id,
            timestamp: rec.timestamp,
        });
    }
    report.rules = per_rule
        .into_iter()
        .map(|(rule, (matched, terminated))| RuleCount { rule, matched, terminated })
        .collect();
    report.timeline = timeline.into_iter().map(|(minute, actions)| Minute { minute, actions }).collect();
    report.top_blocked_ips = top(ips);
    report.top_blocked_uris = top(uris);
    report
}

fn top(m: HashMap<String, u64>) -> Vec<Top> {
    let mut v: Vec<(String, u64)> = m.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v.into_iter().take(10).map(|(value, count)| Top { value, count }).collect()
}
