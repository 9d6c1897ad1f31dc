//! The AWS WAF log record (field names and values as AWS writes them) plus the playground's
//! per-rule trace and the response the client would get. Plain data; filled in by `eval`.

use serde::Serialize;

/// One AWS WAF log record.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LogRecord {
    /// Epoch milliseconds of the evaluation (simulated clock).
    pub timestamp: u64,
    /// Always 1.
    pub format_version: u8,
    /// The web ACL ARN.
    pub webacl_id: String,
    /// Rule that terminated, or `Default_Action`.
    pub terminating_rule_id: String,
    /// `REGULAR`, `RATE_BASED`, `GROUP` or `MANAGED_RULE_GROUP`.
    pub terminating_rule_type: String,
    /// `ALLOW`, `BLOCK`, `CAPTCHA` or `CHALLENGE`.
    pub action: String,
    /// SQLi/XSS details of the terminating rule.
    pub terminating_rule_match_details: Vec<MatchDetail>,
    /// The source kind (from the resource type).
    pub http_source_name: String,
    /// Rule-group results.
    pub rule_group_list: Vec<RuleGroupEntry>,
    /// Rate-based rules that matched.
    pub rate_based_rule_list: Vec<RateEntry>,
    /// Rules that matched without terminating.
    pub non_terminating_matching_rules: Vec<RuleHit>,
    /// Headers inserted into an allowed request.
    pub request_headers_inserted: Option<Vec<Header>>,
    /// Custom response code, when a custom response was sent.
    pub response_code_sent: Option<u16>,
    /// The request, as AWS logs it.
    pub http_request: HttpRequest,
    /// Labels on the request at the end (first 100).
    pub labels: Vec<Label>,
    /// Fields that were over AWS's inspection limits.
    pub oversize_fields: Option<Vec<String>>,
    /// CAPTCHA outcome, when a CAPTCHA rule was met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub captcha_response: Option<TokenResponse>,
    /// Challenge outcome, when a Challenge rule was met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub challenge_response: Option<TokenResponse>,
    /// Playground extra: what the client receives.
    pub response: Response,
    /// Playground extra: per-rule trace.
    pub trace: Vec<RuleTrace>,
    /// Playground extra: notes (e.g. managed groups that are not modelled).
    pub notes: Vec<String>,
    /// Playground extra: the client address's country and ASN and where each came from.
    pub geo: GeoOrigin,
}

/// `geo`: the client's country and ASN, each with its source: `request` (supplied with it),
/// `database` (the offline geo database) or `unknown`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct GeoOrigin {
    /// Country, when known.
    pub country: Option<String>,
    /// `request`, `database` or `unknown`.
    pub country_source: &'static str,
    /// ASN, when known.
    pub asn: Option<u64>,
    /// `request`, `database` or `unknown`.
    pub asn_source: &'static str,
}

/// `{name, value}`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Header {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
}

/// `{name}`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Label {
    /// Fully qualified label.
    pub name: String,
}

/// `httpRequest`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct HttpRequest {
    /// Client address.
    pub client_ip: String,
    /// Country, when known.
    pub country: Option<String>,
    /// Headers.
    pub headers: Vec<Header>,
    /// Path.
    pub uri: String,
    /// Query string.
    pub args: String,
    /// Always `HTTP/1.1` here.
    pub http_version: String,
    /// Method.
    pub http_method: String,
    /// Fragment, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fragment: Option<String>,
}

/// `terminatingRuleMatchDetails` / `ruleMatchDetails` entry.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct MatchDetail {
    /// `SQL_INJECTION` or `XSS`.
    pub condition_type: String,
    /// `HIGH`/`LOW` for SQLi.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sensitivity_level: Option<String>,
    /// Where (`HEADER`, `ALL_QUERY_ARGS`, `BODY`, ...).
    pub location: String,
    /// The matched tokens or text.
    pub matched_data: Vec<String>,
    /// Playground extra: the pattern that fired.
    pub pattern: String,
}

/// A rule that matched (`nonTerminatingMatchingRules` entry or a group's terminating rule).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RuleHit {
    /// Rule name.
    pub rule_id: String,
    /// Action taken.
    pub action: String,
    /// The rule's own action when an override changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overridden_action: Option<String>,
    /// SQLi/XSS details.
    pub rule_match_details: Vec<MatchDetail>,
}

/// `excludedRules` entry.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Excluded {
    /// Always `EXCLUDED_AS_COUNT`.
    pub exclusion_type: String,
    /// Rule name.
    pub rule_id: String,
}

/// `ruleGroupList` entry.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RuleGroupEntry {
    /// ARN, or `Vendor#Name` for managed groups.
    pub rule_group_id: String,
    /// The group rule that terminated the group, if any.
    pub terminating_rule: Option<RuleHit>,
    /// Group rules that matched without terminating.
    pub non_terminating_matching_rules: Vec<RuleHit>,
    /// Legacy exclusions that matched.
    pub excluded_rules: Option<Vec<Excluded>>,
}

/// `rateBasedRuleList` entry.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RateEntry {
    /// Rule name (AWS logs an id).
    pub rate_based_rule_id: String,
    /// Rule name.
    pub rate_based_rule_name: String,
    /// `IP`, `FORWARDEDIP`, `CUSTOMKEYS` or `CONSTANT`.
    pub limit_key: String,
    /// The limit.
    pub max_rate_allowed: u64,
    /// The window.
    pub evaluation_window_sec: u64,
    /// The key value (address or joined custom values).
    pub limit_value: String,
    /// Playground extra: requests counted in the window.
    pub count: u64,
}

/// `captchaResponse` / `challengeResponse`.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct TokenResponse {
    /// 405 (CAPTCHA) or 202 (Challenge) when a puzzle was sent; 0 when the token was valid.
    pub response_code: u16,
    /// When the token was solved (epoch seconds), if valid.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub solve_timestamp: Option<u64>,
    /// `TOKEN_MISSING` or `TOKEN_EXPIRED`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failure_reason: Option<String>,
}

/// What the client gets back.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Response {
    /// Forwarded to the origin (Allow) or answered by WAF.
    pub forwarded_to_origin: bool,
    /// Status WAF answers with (absent when forwarded).
    pub status: Option<u16>,
    /// Response headers WAF adds.
    pub headers: Vec<Header>,
    /// Custom body.
    pub body: Option<String>,
    /// Custom body content type.
    pub content_type: Option<String>,
}

/// Trace of one rule.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RuleTrace {
    /// Rule name.
    pub rule: String,
    /// Priority.
    pub priority: i64,
    /// Enclosing rule group, for group rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Whether the statement matched.
    pub matched: bool,
    /// What happened: `ALLOW`, `BLOCK`, `COUNT`, ..., `NO_MATCH`, `EXCLUDED_AS_COUNT`, `NOT_EVALUATED`.
    pub outcome: String,
    /// Labels the rule added.
    pub labels_added: Vec<String>,
    /// Each leaf statement evaluated.
    pub statements: Vec<StatementTrace>,
    /// For a managed rule group with `ManagedRuleGroupConfigs`: its configuration in words and
    /// what of the group is modelled and what is not (the rules are an approximation).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub approximation: String,
}

/// Trace of one leaf statement.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct StatementTrace {
    /// Path inside the rule, e.g. `AndStatement/1/ByteMatchStatement`.
    pub path: String,
    /// Whether it matched.
    pub matched: bool,
    /// The inspected values after transformations (text, truncated).
    pub inspected: Vec<Inspected>,
    /// Extra explanation.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// One inspected value.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Inspected {
    /// Sub-location (header name, JSON pointer, argument name).
    pub part: String,
    /// Value after transformations (lossy UTF-8, at most 256 bytes).
    pub value: String,
}
