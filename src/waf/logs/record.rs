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

mod scan;

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

/// A JSON string borrowed from the line where it has no escapes (`Cow<str>` itself, or inside an
/// `Option`, would always be deserialised as an owned copy): a member only compared, or copied
/// once into the request, costs no allocation of its own.
#[derive(Debug, Default)]
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<Text<'a>>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(Visit(std::marker::PhantomData))
    }
}

impl Text<'_> {
    fn into_owned(self) -> String {
        self.0.into_owned()
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawRecord<'a> {
    timestamp: Option<u64>,
    #[serde(borrow)]
    action: Option<Text<'a>>,
    #[serde(borrow)]
    terminating_rule_id: Option<Text<'a>>,
    #[serde(borrow)]
    rule_group_list: Option<Vec<RawGroup<'a>>>,
    #[serde(borrow)]
    non_terminating_matching_rules: Option<Vec<RawHit<'a>>>,
    #[serde(borrow)]
    labels: Option<Vec<RawLabel<'a>>>,
    #[serde(borrow)]
    http_request: Option<RawHttp<'a>>,
    #[serde(borrow)]
    ja3_fingerprint: Option<Text<'a>>,
    #[serde(borrow)]
    ja4_fingerprint: Option<Text<'a>>,
    client_asn: Option<u64>,
    #[serde(borrow)]
    captcha_response: Option<RawToken<'a>>,
    #[serde(borrow)]
    challenge_response: Option<RawToken<'a>>,
    /// A CloudWatch Logs event: the record as text.
    #[serde(borrow)]
    message: Option<Text<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawGroup<'a> {
    #[serde(borrow)]
    rule_group_id: Option<Text<'a>>,
    #[serde(borrow)]
    terminating_rule: Option<RawHit<'a>>,
    #[serde(borrow)]
    non_terminating_matching_rules: Option<Vec<RawHit<'a>>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawHit<'a> {
    #[serde(borrow)]
    rule_id: Option<Text<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawLabel<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawToken<'a> {
    response_code: Option<u64>,
    solve_timestamp: Option<u64>,
    #[serde(borrow)]
    failure_reason: Option<Text<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", default)]
struct RawHttp<'a> {
    #[serde(borrow)]
    client_ip: Option<Text<'a>>,
    #[serde(borrow)]
    country: Option<Text<'a>>,
    #[serde(borrow)]
    headers: Option<Vec<RawHeader<'a>>>,
    #[serde(borrow)]
    uri: Option<Text<'a>>,
    #[serde(borrow)]
    args: Option<Text<'a>>,
    #[serde(borrow)]
    http_method: Option<Text<'a>>,
    #[serde(borrow)]
    request_id: Option<Text<'a>>,
    #[serde(borrow)]
    fragment: Option<Text<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawHeader<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
    #[serde(borrow)]
    value: Option<Text<'a>>,
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
    let mut rec = from_slice(json)?;
    if rec.http_request.is_none() {
        if let Some(message) = rec.message.take() {
            return build(line_no, from_slice(message.trim().as_bytes())?).map(Some);
        }
    }
    build(line_no, rec).map(Some)
}

fn from_slice(bytes: &[u8]) -> Result<RawRecord<'_>, LineError> {
    // serde_json stops at 128 levels of nesting (also inside ignored members): no stack overflow.
    // A line that is UTF-8 (checked once, in one pass) is read as text, so serde does not check
    // each string again; any other line is read as bytes, which reports what is wrong where.
    // The scanner reads the lines it is sure of (every well-formed record) in one pass; serde
    // reads the rest, so what is wrong with a line is said the same way.
    let read = match std::str::from_utf8(bytes) {
        Ok(text) => match scan::record(text) {
            Some(rec) => return Ok(rec),
            None => serde_json::from_str(text),
        },
        Err(_) => serde_json::from_slice(bytes),
    };
    read.map_err(|e| {
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

fn build(line: u64, rec: RawRecord<'_>) -> Result<LoggedRecord, LineError> {
    let http = rec.http_request.ok_or_else(|| invalid("the record has no `httpRequest`"))?;
    let ip_text = http.client_ip.ok_or_else(|| invalid("`httpRequest.clientIp` is missing"))?;
    let client_ip = parse_ip(&ip_text).ok_or_else(|| {
        invalid(format!("`httpRequest.clientIp` `{}` is not an IP address", shorten(&ip_text)))
    })?;
    let action = rec.action.ok_or_else(|| invalid("`action` is missing"))?.into_owned();
    let path = http.uri.as_deref().unwrap_or("/");
    let args = http.args.as_deref().filter(|a| !a.is_empty());
    let fragment = http.fragment.as_deref().filter(|f| !f.is_empty());
    // One allocation for the whole URI.
    let mut uri = String::with_capacity(
        path.len() + args.map_or(0, |a| a.len() + 1) + fragment.map_or(0, |f| f.len() + 1),
    );
    uri.push_str(path);
    if let Some(args) = args {
        uri.push('?');
        uri.push_str(args);
    }
    if let Some(f) = fragment {
        uri.push('#');
        uri.push_str(f);
    }
    let headers = http
        .headers
        .unwrap_or_default()
        .into_iter()
        .filter_map(|h| Some((h.name?.into_owned(), h.value.map(Text::into_owned).unwrap_or_default())))
        .collect();
    // AWS writes `-` when it cannot place the address.
    let country = http.country.filter(|c| c.len() == 2).map(|c| c.to_ascii_uppercase());
    let request = Request {
        method: http.http_method.map_or_else(|| "GET".to_owned(), Text::into_owned),
        uri,
        headers,
        body: Vec::new(),
        client_ip,
        country,
        region: None,
        asn: rec.client_asn,
        forwarded_country: None,
        forwarded_asn: None,
        ja3: rec.ja3_fingerprint.as_deref().map(str::to_owned),
        ja4: rec.ja4_fingerprint.as_deref().map(str::to_owned),
        timestamp: rec.timestamp,
    };
    let groups = rec.rule_group_list.unwrap_or_default();
    let terminating_rule_id =
        rec.terminating_rule_id.map_or_else(|| "Default_Action".to_owned(), Text::into_owned);
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
    let mut labels: Vec<String> =
        rec.labels.unwrap_or_default().into_iter().filter_map(|l| l.name.map(Text::into_owned)).collect();
    labels.sort_unstable();
    labels.dedup();
    let solved = |t: Option<RawToken<'_>>| {
        t.filter(|t| t.failure_reason.is_none() && t.response_code.unwrap_or(0) == 0)
            .and_then(|t| t.solve_timestamp)
            .map(|s| s.saturating_mul(1000))
    };
    Ok(LoggedRecord {
        line,
        request_id: http.request_id.map(Text::into_owned),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_borrows_plain_strings_and_decodes_escaped_ones() {
        let line = br#"{"action":"BLOCK","terminatingRuleId":"r\u0031","httpRequest":{"clientIp":"192.0.2.1","uri":"/a\/b","args":"q=\"x\"","headers":[{"name":"User-Agent","value":"tab\there \u00e9"}]}}"#;
        let raw = from_slice(line).unwrap();
        assert!(matches!(raw.action, Some(Text(Cow::Borrowed("BLOCK")))));
        assert!(matches!(&raw.terminating_rule_id, Some(Text(Cow::Owned(s))) if s == "r1"));
        let rec = build(7, raw).unwrap();
        assert_eq!(rec.terminating_rule_id, "r1");
        assert_eq!(rec.request.uri, "/a/b?q=\"x\"");
        assert_eq!(rec.request.headers, vec![("User-Agent".to_owned(), "tab\there é".to_owned())]);
        assert_eq!(rec.request.method, "GET");
        assert_eq!(rec.line, 7);
    }

    #[test]
    fn a_member_of_the_wrong_type_is_an_invalid_record() {
        let e = parse_line(1, br#"{"action":7,"httpRequest":{"clientIp":"192.0.2.1"}}"#).unwrap_err();
        assert_eq!(e.code, "InvalidLogRecord");
        assert!(e.message.contains("a string"), "{}", e.message);
    }
}
