//! Typed values for web ACLs, rule groups, rules, actions and statements, as parsed once from
//! AWS JSON. No parsing here (see `parse`) and no evaluation (see `eval`).

use std::collections::BTreeMap;

use super::field::FieldToMatch;
use super::transform::Transformation;

/// A parsed web ACL (`WebACL`).
#[derive(Debug, Clone)]
pub struct WebAclDef {
    /// `Name`.
    pub name: String,
    /// `Id`.
    pub id: String,
    /// `ARN`.
    pub arn: String,
    /// `DefaultAction` (only Allow or Block).
    pub default_action: RuleAction,
    /// `Rules`, sorted by priority.
    pub rules: Vec<Rule>,
    /// Prefix for the ACL's own rule labels (`awswaf:<account>:webacl:<name>:`).
    pub label_namespace: String,
    /// `CustomResponseBodies`.
    pub custom_response_bodies: BTreeMap<String, CustomResponseBody>,
    /// `CaptchaConfig.ImmunityTimeProperty.ImmunityTime` (seconds, default 300).
    pub captcha_immunity: u64,
    /// `ChallengeConfig.ImmunityTimeProperty.ImmunityTime` (seconds, default 300).
    pub challenge_immunity: u64,
    /// `AssociationConfig.RequestBody`: resource type → inspection limit in bytes.
    pub body_limits: BTreeMap<String, usize>,
    /// `Capacity` as printed by AWS, if present.
    pub declared_capacity: Option<i64>,
}

/// A parsed rule group (`RuleGroup`).
#[derive(Debug, Clone)]
pub struct RuleGroupDef {
    /// `Name`.
    pub name: String,
    /// `ARN`.
    pub arn: String,
    /// `Capacity` (declared; AWS charges this to every referencing web ACL).
    pub capacity: u64,
    /// `Rules`, sorted by priority.
    pub rules: Vec<Rule>,
    /// Prefix for the group's rule labels.
    pub label_namespace: String,
    /// `CustomResponseBodies`.
    pub custom_response_bodies: BTreeMap<String, CustomResponseBody>,
}

/// `CustomResponseBody`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomResponseBody {
    /// `TEXT_PLAIN`, `TEXT_HTML` or `APPLICATION_JSON`.
    pub content_type: String,
    /// The body.
    pub content: String,
}

/// One rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// `Name`.
    pub name: String,
    /// `Priority`.
    pub priority: i64,
    /// `Statement`.
    pub statement: Statement,
    /// `Action` or `OverrideAction`.
    pub action: RuleActionKind,
    /// `RuleLabels` names, not yet qualified.
    pub labels: Vec<String>,
    /// Rule-level captcha immunity override, seconds.
    pub captcha_immunity: Option<u64>,
    /// Rule-level challenge immunity override, seconds.
    pub challenge_immunity: Option<u64>,
    /// JSON pointer of the rule in its document.
    pub pointer: String,
}

/// A rule's action: a plain action, or an override for a rule-group statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleActionKind {
    /// `Action`.
    Action(RuleAction),
    /// `OverrideAction: {Count}` (true) or `{None}` (false).
    Override {
        /// Whether the group's terminating actions are turned into Count.
        count: bool,
        /// Headers to insert when counting.
        insert_headers: Vec<(String, String)>,
    },
}

/// An action (`RuleAction` or `DefaultAction`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleAction {
    /// `Allow`, with headers to insert.
    Allow(Vec<(String, String)>),
    /// `Block`, with an optional custom response.
    Block(Option<CustomResponse>),
    /// `Count`, with headers to insert.
    Count(Vec<(String, String)>),
    /// `Captcha`, with headers to insert.
    Captcha(Vec<(String, String)>),
    /// `Challenge`, with headers to insert.
    Challenge(Vec<(String, String)>),
}

impl RuleAction {
    /// The log-record spelling (`ALLOW`, `BLOCK`, ...).
    pub fn log_name(&self) -> &'static str {
        match self {
            Self::Allow(_) => "ALLOW",
            Self::Block(_) => "BLOCK",
            Self::Count(_) => "COUNT",
            Self::Captcha(_) => "CAPTCHA",
            Self::Challenge(_) => "CHALLENGE",
        }
    }
}

/// `CustomResponse` of a Block action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomResponse {
    /// `ResponseCode` (200–599).
    pub code: u16,
    /// `CustomResponseBodyKey`.
    pub body_key: Option<String>,
    /// `ResponseHeaders` as (name, value).
    pub headers: Vec<(String, String)>,
}

/// A statement (16 kinds).
#[derive(Debug, Clone)]
pub enum Statement {
    /// `ByteMatchStatement`.
    ByteMatch(ByteMatch),
    /// `SqliMatchStatement`.
    Sqli(Inspect, Sensitivity),
    /// `XssMatchStatement`.
    Xss(Inspect),
    /// `SizeConstraintStatement`.
    Size(Inspect, Comparison, u64),
    /// `GeoMatchStatement`.
    Geo(Vec<String>, Option<ForwardedIp>),
    /// `AsnMatchStatement`.
    Asn(Vec<u64>, Option<ForwardedIp>),
    /// `IPSetReferenceStatement`.
    IpSet(String, Option<IpSetForwarded>),
    /// `RegexPatternSetReferenceStatement`: ARN and what to inspect.
    RegexSet(String, Inspect),
    /// `RegexMatchStatement`.
    Regex(Box<regex::bytes::Regex>, String, Inspect),
    /// `RateBasedStatement`.
    RateBased(Box<RateBased>),
    /// `AndStatement`.
    And(Vec<Statement>),
    /// `OrStatement`.
    Or(Vec<Statement>),
    /// `NotStatement`.
    Not(Box<Statement>),
    /// `LabelMatchStatement`: namespace scope? and key.
    LabelMatch(LabelScope, String),
    /// `RuleGroupReferenceStatement`.
    RuleGroup(GroupRef),
    /// `ManagedRuleGroupStatement`.
    Managed(GroupRef),
}

/// `LabelMatchStatement.Scope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelScope {
    /// Match a full label.
    Label,
    /// Match a namespace prefix.
    Namespace,
}

/// The field and transformations shared by inspecting statements.
#[derive(Debug, Clone)]
pub struct Inspect {
    /// `FieldToMatch`.
    pub field: FieldToMatch,
    /// `TextTransformations`, sorted by priority.
    pub transformations: Vec<Transformation>,
    /// `PreParseTextTransformations`, sorted by priority (query-argument fields only).
    pub pre_parse: Vec<PreParse>,
}

/// `PreParseTextTransformation.Type` (applied to the query string before it is split into
/// arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreParse {
    /// `URL_DECODE`.
    UrlDecode,
    /// `URL_DECODE_UNI`.
    UrlDecodeUni,
    /// `COMBINE_DUPLICATE_QUERY_ARGS_BY_COMMA`.
    CombineDuplicates,
    /// `REPLACE_SEMICOLONS_WITH_AMPERSANDS`.
    SemicolonsToAmpersands,
}

/// `ByteMatchStatement`.
#[derive(Debug, Clone)]
pub struct ByteMatch {
    /// Decoded `SearchString`.
    pub search: Vec<u8>,
    /// `PositionalConstraint`.
    pub position: Positional,
    /// Field and transformations.
    pub inspect: Inspect,
}

/// `PositionalConstraint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Positional {
    /// `EXACTLY`.
    Exactly,
    /// `STARTS_WITH`.
    StartsWith,
    /// `ENDS_WITH`.
    EndsWith,
    /// `CONTAINS`.
    Contains,
    /// `CONTAINS_WORD`.
    ContainsWord,
}

/// `SensitivityLevel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sensitivity {
    /// `LOW` (the default).
    Low,
    /// `HIGH`.
    High,
}

/// `ComparisonOperator`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Comparison {
    /// `EQ`.
    Eq,
    /// `NE`.
    Ne,
    /// `LE`.
    Le,
    /// `LT`.
    Lt,
    /// `GE`.
    Ge,
    /// `GT`.
    Gt,
}

impl Comparison {
    /// Compares `size` (left) with the configured value (right).
    pub fn holds(self, size: u64, value: u64) -> bool {
        match self {
            Self::Eq => size == value,
            Self::Ne => size != value,
            Self::Le => size <= value,
            Self::Lt => size < value,
            Self::Ge => size >= value,
            Self::Gt => size > value,
        }
    }
}

/// `ForwardedIPConfig`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardedIp {
    /// `HeaderName`.
    pub header: String,
    /// `FallbackBehavior` is `MATCH`.
    pub fallback_match: bool,
}

/// `IPSetForwardedIPConfig`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpSetForwarded {
    /// Header and fallback.
    pub config: ForwardedIp,
    /// `Position`.
    pub position: ForwardedPosition,
}

/// `ForwardedIPPosition`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ForwardedPosition {
    /// `FIRST`.
    First,
    /// `LAST`.
    Last,
    /// `ANY` (at most the last 10 addresses).
    Any,
}

/// `RateBasedStatement`.
#[derive(Debug, Clone)]
pub struct RateBased {
    /// `Limit`.
    pub limit: u64,
    /// `EvaluationWindowSec`.
    pub window_sec: u64,
    /// `AggregateKeyType`.
    pub aggregate: Aggregate,
    /// `ScopeDownStatement`.
    pub scope_down: Option<Statement>,
    /// `ForwardedIPConfig` (for FORWARDED_IP aggregation or ForwardedIP keys).
    pub forwarded: Option<ForwardedIp>,
}

/// `AggregateKeyType` with its keys.
#[derive(Debug, Clone)]
pub enum Aggregate {
    /// `IP`.
    Ip,
    /// `FORWARDED_IP`.
    ForwardedIp,
    /// `CONSTANT`.
    Constant,
    /// `CUSTOM_KEYS`.
    Custom(Vec<CustomKey>),
}

/// One `RateBasedStatementCustomKey`.
#[derive(Debug, Clone)]
pub enum CustomKey {
    /// `Header{Name}`.
    Header(String, Vec<Transformation>),
    /// `Cookie{Name}`.
    Cookie(String, Vec<Transformation>),
    /// `QueryArgument{Name}`.
    QueryArgument(String, Vec<Transformation>),
    /// `QueryString`.
    QueryString(Vec<Transformation>),
    /// `HTTPMethod`.
    HttpMethod,
    /// `ForwardedIP`.
    ForwardedIp,
    /// `IP`.
    Ip,
    /// `LabelNamespace{Namespace}`.
    LabelNamespace(String),
    /// `UriPath`.
    UriPath(Vec<Transformation>),
    /// `JA3Fingerprint` / `JA4Fingerprint` (not available in the playground's request model).
    Fingerprint(bool),
    /// `ASN`.
    Asn,
}

/// A rule-group reference (own or managed).
#[derive(Debug, Clone)]
pub struct GroupRef {
    /// ARN (own group) or `VendorName`.
    pub arn_or_vendor: String,
    /// Managed group name (empty for own groups).
    pub name: String,
    /// `Version`.
    pub version: Option<String>,
    /// `ExcludedRules` names.
    pub excluded: Vec<String>,
    /// `RuleActionOverrides` (rule name → action).
    pub overrides: Vec<(String, RuleAction)>,
    /// `ScopeDownStatement` (managed groups only).
    pub scope_down: Option<Box<Statement>>,
    /// `ManagedRuleGroupConfigs` (managed groups only).
    pub configs: Vec<crate::waf::managed_config::ManagedConfig>,
}

impl GroupRef {
    /// `Vendor#Name`, as AWS logs a managed group's `ruleGroupId`.
    pub fn managed_id(&self) -> String {
        format!("{}#{}", self.arn_or_vendor, self.name)
    }

    /// The key of the playground's definition of a managed group: its id, and when it has
    /// `ManagedRuleGroupConfigs` (which change the definition) a digest of them, so two
    /// statements of one group with different configurations keep different definitions.
    pub fn managed_key(&self) -> String {
        if self.configs.is_empty() {
            return self.managed_id();
        }
        // FNV-1a over the configurations' debug text: a key, not a security measure.
        let text = format!("{:?}", self.configs);
        let digest = text
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
        format!("{}#{digest:016x}", self.managed_id())
    }
}
