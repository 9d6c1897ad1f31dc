//! One AWS WAF log line read into what the replay needs: the request AWS saw (rebuilt in the
//! shape `evaluate` takes) and what AWS decided (action, deciding rule, the rules that matched,
//! labels). Field names are AWS's
//! (<https://docs.aws.amazon.com/waf/latest/developerguide/logging-fields.html>); unknown fields
//! are ignored, so newer log versions and the playground's own records (which add `trace`,
//! `notes`, `geo`, `response`) read the same way.
//!
//! Accepted line shapes: a record (`{"timestamp":…,"httpRequest":{…}}`); a CloudWatch Logs export
//! line (`2024-05-06T12:00:00.000Z {…}`: a timestamp, a space, the record); a CloudWatch event
//! whose `message` member holds the record as text. AWS WAF logs carry no body.

use std::borrow::Cow;

use serde::Deserialize;

use crate::waf::log::LogRecord;
use crate::waf::request::{parse_ip, Request};

/// What AWS logged for one request, with the request rebuilt.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedRecord {
    /// Line number in the log.
    pub line: u64,
    /// `httpRequest.requestId`, when logged.
    pub request_id: Option<String>,
    /// `action` as logged (`ALLOW`, `BLOCK`, `CAPTCHA`, `CHALLENGE`).
    pub action: String,
    /// `terminatingRuleId` as logged (`Default_Action` when no rule decided).
    pub terminating_rule_id: String,
    /// The rules that matched, as [`matched_rules`] names them.
    pub matched: Vec<String>,
    /// `labels[].name`, sorted.
    pub labels: Vec<String>,
    /// The request rebuilt (no body).
    pub request: Request,
    /// When the client's CAPTCHA token was solved (from `captchaResponse.solveTimestamp`).
    pub captcha_solved_ms: Option<u64>,
    /// When the client's challenge token was solved (from `challengeResponse.solveTimestamp`).
    pub challenge_solved_ms: Option<u64>,
    /// Whether `ja3Fingerprint` / `ja4Fingerprint` were logged.
    pub has_fingerprints: (bool, bool),
}

/// Why a line is not a record (a counted "bad line", not a failure of the whole replay).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// `MalformedJson` (not JSON, or nested too deep) or `InvalidLogRecord` (JSON, not a record).
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
}

fn invalid(message: impl Into<String>) -> LineError {
    LineError { code: "InvalidLogRecord", message: message.into() }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawRecord {
    timestamp: Option<u64>,
    action: Option<String>,
    terminating_rule_id: Option<String>,
    rule_group_list: Option<Vec<RawGroup>>,
    non_terminating_matching_rules: Option<Vec<RawHit>>,
    labels: Option<Vec<RawLabel>>,
    http_request: Option<RawHttp>,
    ja3_fingerprint: Option<String>,
    ja4_fingerprint: Option<String>,
    client_asn: Option<u64>,
    captcha_response: Option<RawToken>,
    challenge_response: Option<RawToken>,
    /// A CloudWatch Logs event: the record as text.
    message: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawGroup {
    rule_group_id: Option<String>,
    terminating_rule: Option<RawHit>,
    non_terminating_matching_rules: Option<Vec<RawHit>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawHit {
    rule_id: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawLabel {
    name: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawToken {
    response_code: Option<u64>,
    solve_timestamp: Option<u64>,
    failure_reason: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawHttp {
    client_ip: Option<String>,
    country: Option<String>,
    headers: Option<Vec<RawHeader>>,
    uri: Option<String>,
    args: Option<String>,
    http_method: Option<String>,
    request_id: Option<String>,
    fragment: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawHeader {
    name: Option<String>,
    value: Option<String>,
}

/// Reads one log line; `Ok(None)` for a blank line.
pub fn parse_line(line_no: u64, raw: &[u8]) -> Result<Option<LoggedRecord>, LineError> {
    let trimmed = trim(raw);
    if trimmed.is_empty() {
        return Ok(None);
    }
    // A CloudWatch Logs export line: `<timestamp> <record>`.
    let json = if matches!(trimmed.first(), Some(b'{' | b'[')) {
        trimmed
    } else {
        match memchr::memchr(b' ', trimmed) {
            Some(sp) if trimmed.first().is_some_and(u8::is_ascii_digit) => {
                trim(trimmed.get(sp + 1..).unwrap_or_default())
            }
            _ => return Err(invalid("the line is neither a JSON record nor `<timestamp> <record>`")),
        }
    };
    let mut rec: RawRecord = from_slice(json)?;
    if rec.http_request.is_none() {
        if let Some(message) = rec.message.take() {
            rec = from_slice(message.trim().as_bytes())?;
        }
    }
    build(line_no, rec).map(Some)
}

fn from_slice(bytes: &[u8]) -> Result<RawRecord, LineError> {
    // serde_json stops at 128 levels of nesting (also inside ignored members): no stack overflow.
    serde_json::from_slice(bytes).map_err(|e| {
        if e.is_data() {
            invalid(format!("not an AWS WAF log record: {e}"))
        } else {
            LineError { code: "MalformedJson", message: e.to_string() }
        }
    })
}

fn trim(b: &[u8]) -> &[u8] {
    let start = b.iter().position(|c| !c.is_ascii_whitespace()).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !c.is_ascii_whitespace()).map_or(start, |e| e + 1);
    b.get(start..end).unwrap_or_default()
}

fn build(line: u64, rec: RawRecord) -> Result<LoggedRecord, LineError> {
    let http = rec.http_request.ok_or_else(|| invalid("the record has no `httpRequest`"))?;
    let ip_text = http.client_ip.ok_or_else(|| invalid("`httpRequest.clientIp` is missing"))?;
    let client_ip = parse_ip(&ip_text).ok_or_else(|| {
        invalid(format!("`httpRequest.clientIp` `{}` is not an IP address", shorten(&ip_text)))
    })?;
    let action = rec.action.ok_or_else(|| invalid("`action` is missing"))?;
    let mut uri = http.uri.unwrap_or_else(|| "/".to_owned());
    if let Some(args) = http.args.filter(|a| !a.is_empty()) {
        uri.push('?');
        uri.push_str(&args);
    }
    if let Some(f) = http.fragment.filter(|f| !f.is_empty()) {
        uri.push('#');
        uri.push_str(&f);
    }
    let headers = http
        .headers
        .unwrap_or_default()
        .into_iter()
        .filter_map(|h| Some((h.name?, h.value.unwrap_or_default())))
        .collect();
    // AWS writes `-` when it cannot place the address.
    let country = http.country.filter(|c| c.len() == 2).map(|c| c.to_ascii_uppercase());
    let mut request = Request::get("/", client_ip);
    request.method = http.http_method.unwrap_or_else(|| "GET".to_owned());
    request.uri = uri;
    request.headers = headers;
    request.country = country;
    request.asn = rec.client_asn;
    request.ja3.clone_from(&rec.ja3_fingerprint);
    request.ja4.clone_from(&rec.ja4_fingerprint);
    request.timestamp = rec.timestamp;
    let groups = rec.rule_group_list.unwrap_or_default();
    let terminating_rule_id = rec.terminating_rule_id.unwrap_or_else(|| "Default_Action".to_owned());
    let mut matched = Vec::new();
    add_rule(&mut matched, &terminating_rule_id);
    for hit in rec.non_terminating_matching_rules.unwrap_or_default() {
        if let Some(id) = hit.rule_id {
            add_rule(&mut matched, &id);
        }
    }
    for g in groups {
        let gid = g.rule_group_id.unwrap_or_default();
        let hits = g.terminating_rule.into_iter().chain(g.non_terminating_matching_rules.unwrap_or_default());
        for hit in hits {
            if let Some(id) = hit.rule_id {
                add_rule(&mut matched, &group_rule(&gid, &id));
            }
        }
    }
    let mut labels: Vec<String> = rec.labels.unwrap_or_default().into_iter().filter_map(|l| l.name).collect();
    labels.sort_unstable();
    labels.dedup();
    let solved = |t: Option<RawToken>| {
        t.filter(|t| t.failure_reason.is_none() && t.response_code.unwrap_or(0) == 0)
            .and_then(|t| t.solve_timestamp)
            .map(|s| s.saturating_mul(1000))
    };
    Ok(LoggedRecord {
        line,
        request_id: http.request_id,
        action,
        terminating_rule_id,
        matched,
        labels,
        has_fingerprints: (rec.ja3_fingerprint.is_some(), rec.ja4_fingerprint.is_some()),
        request,
        captcha_solved_ms: solved(rec.captcha_response),
        challenge_solved_ms: solved(rec.challenge_response),
    })
}

fn shorten(s: &str) -> String {
    crate::waf::error::shorten(s)
}

/// How a rule inside a rule group is named in the replay: `<ruleGroupId>/<ruleId>`.
pub fn group_rule(group_id: &str, rule_id: &str) -> String {
    format!("{group_id}/{rule_id}")
}

fn add_rule(out: &mut Vec<String>, id: &str) {
    if id != "Default_Action" && !id.is_empty() && !out.iter().any(|r| r == id) {
        out.push(id.to_owned());
    }
}

fn add_rule_cow<'a>(out: &mut Vec<Cow<'a, str>>, id: Cow<'a, str>) {
    if id != "Default_Action" && !id.is_empty() && !out.contains(&id) {
        out.push(id);
    }
}

/// The rules a log record says matched: the terminating rule, the web ACL's non-terminating
/// matches, and each rule group's terminating and non-terminating rules (as
/// `<ruleGroupId>/<ruleId>`). The same for a logged record and a replayed one.
pub fn matched_rules(rec: &LogRecord) -> Vec<Cow<'_, str>> {
    let mut out = Vec::new();
    add_rule_cow(&mut out, Cow::Borrowed(&rec.terminating_rule_id));
    for hit in &rec.non_terminating_matching_rules {
        add_rule_cow(&mut out, Cow::Borrowed(&hit.rule_id));
    }
    for g in &rec.rule_group_list {
        for hit in g.terminating_rule.iter().chain(&g.non_terminating_matching_rules) {
            add_rule_cow(&mut out, Cow::Owned(group_rule(&g.rule_group_id, &hit.rule_id)));
        }
    }
    out
}

/// The label names on a replayed record, sorted.
pub fn labels(rec: &LogRecord) -> Vec<&str> {
    let mut v: Vec<&str> = rec.labels.iter().map(|l| l.name.as_str()).collect();
    v.sort_unstable();
    v.dedup();
    v
}
