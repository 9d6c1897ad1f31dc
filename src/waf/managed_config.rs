//! `ManagedRuleGroupConfigs` of a `ManagedRuleGroupStatement`: the configuration AWS's
//! intelligent threat mitigation groups need (Bot Control's inspection level, ATP's login
//! endpoint and credential fields, ACFP's registration and account creation endpoints and
//! fields), read and checked against the WAFV2 model, and described in words for the trace.
//!
//! What the groups then do is mostly AWS's own (stolen-credential database, bot signatures,
//! client sessions and tokens, traffic statistics): it is not modelled here. What is modelled is
//! documented and deterministic: which requests a group inspects (ATP: `POST` to the login path;
//! ACFP: the registration page and the account creation path) and ATP's check for missing
//! credentials (see `managed::definition`).
//!
//! Sources: API reference `ManagedRuleGroupConfig`, `AWSManagedRulesBotControlRuleSet`,
//! `AWSManagedRulesATPRuleSet`, `AWSManagedRulesACFPRuleSet`, `RequestInspection`,
//! `RequestInspectionACFP`, `ResponseInspection`
//! (<https://docs.aws.amazon.com/waf/latest/APIReference/API_ManagedRuleGroupConfig.html>).

use serde_json::Value;

use super::error::{WafError, EXACTLY_ONE, ILLEGAL_COMBINATION};
use super::parse::{parsed, Errors};
use super::reader::{as_str, check_chars, check_items, check_len, check_range, Obj};
use super::regex_dialect;

/// The group names that take a configuration, and the member naming each.
pub const CONFIGURED_GROUPS: &[&str] =
    &["AWSManagedRulesBotControlRuleSet", "AWSManagedRulesATPRuleSet", "AWSManagedRulesACFPRuleSet"];

/// One `ManagedRuleGroupConfig`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ManagedConfig {
    /// `AWSManagedRulesBotControlRuleSet`.
    BotControl {
        /// `InspectionLevel`: `COMMON` or `TARGETED`.
        inspection_level: String,
        /// `EnableMachineLearning` (AWS's default when absent: on, for TARGETED).
        machine_learning: Option<bool>,
    },
    /// `AWSManagedRulesATPRuleSet`.
    Atp(Atp),
    /// `AWSManagedRulesACFPRuleSet`.
    Acfp(Acfp),
    /// `AWSManagedRulesAntiDDoSRuleSet` (read, not modelled).
    AntiDdos,
    /// The deprecated top-level members (`LoginPath`, `PayloadType`, `UsernameField`,
    /// `PasswordField`), which AWS replaced by the ATP configuration.
    Legacy {
        /// `LoginPath`.
        login_path: Option<String>,
        /// `PayloadType`, `UsernameField`, `PasswordField`.
        fields: Option<Credentials>,
    },
}

/// How a group finds the request's path: a prefix, or a regular expression (`EnableRegexInPath`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathMatch {
    /// The path as configured.
    pub path: String,
    /// Whether it is a regular expression.
    pub regex: bool,
}

/// `AWSManagedRulesATPRuleSet`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Atp {
    /// `LoginPath` (with `EnableRegexInPath`).
    pub login: PathMatch,
    /// `RequestInspection`.
    pub request: Option<Credentials>,
    /// `ResponseInspection`, in words.
    pub response: Option<String>,
}

/// `AWSManagedRulesACFPRuleSet`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acfp {
    /// `CreationPath`.
    pub creation: PathMatch,
    /// `RegistrationPagePath`.
    pub registration: PathMatch,
    /// `RequestInspection` (`RequestInspectionACFP`).
    pub request: Credentials,
    /// `ResponseInspection`, in words.
    pub response: Option<String>,
}

/// Where the credentials are in a login or sign-up request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    /// `PayloadType`: `JSON` (identifiers are JSON pointers) or `FORM_ENCODED` (form field names).
    pub payload_json: bool,
    /// `UsernameField.Identifier`.
    pub username: Option<String>,
    /// `PasswordField.Identifier`.
    pub password: Option<String>,
    /// `EmailField.Identifier` (ACFP).
    pub email: Option<String>,
    /// `PhoneNumberFields[].Identifier` (ACFP).
    pub phones: Vec<String>,
    /// `AddressFields[].Identifier` (ACFP).
    pub addresses: Vec<String>,
}

const CONFIG_MEMBERS: &[&str] = &[
    "LoginPath",
    "PayloadType",
    "UsernameField",
    "PasswordField",
    "AWSManagedRulesBotControlRuleSet",
    "AWSManagedRulesATPRuleSet",
    "AWSManagedRulesACFPRuleSet",
    "AWSManagedRulesAntiDDoSRuleSet",
];

/// Parses `ManagedRuleGroupConfigs` of the group `name`, every error kept.
pub(crate) fn parse(s: &Obj<'_>, name: &str) -> Result<Vec<ManagedConfig>, WafError> {
    let items = s.opt_array("ManagedRuleGroupConfigs")?;
    let mut errs = Errors::default();
    let mut out = Vec::new();
    for (v, p) in &items {
        if let Some(c) = errs.ok(config(v, p)) {
            out.push(c);
        }
    }
    // "This rule group requires additional configuration" (Bot Control, ATP, ACFP):
    // https://docs.aws.amazon.com/waf/latest/developerguide/waf-bot-control-rg-using.html,
    // https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-atp.html
    if errs.is_clean() && CONFIGURED_GROUPS.contains(&name) {
        let has_own = out.iter().any(|c| {
            matches!(
                (c, name),
                (ManagedConfig::BotControl { .. }, "AWSManagedRulesBotControlRuleSet")
                    | (ManagedConfig::Atp(_), "AWSManagedRulesATPRuleSet")
                    | (ManagedConfig::Acfp(_), "AWSManagedRulesACFPRuleSet")
            )
        }) || (name == "AWSManagedRulesATPRuleSet"
            && out.iter().any(|c| matches!(c, ManagedConfig::Legacy { login_path: Some(_), .. })));
        if !has_own {
            errs.push(WafError::invalid(
                &s.at("ManagedRuleGroupConfigs"),
                "The parameter contains formatting that isn't valid.",
                "MANAGED_RULE_GROUP_CONFIG",
                format!("{name} needs a ManagedRuleGroupConfig with its `{name}` member"),
            ));
        }
    }
    errs.finish(out)
}

fn config(v: &Value, pointer: &str) -> Result<ManagedConfig, WafError> {
    let o = Obj::new(v, pointer, CONFIG_MEMBERS)?;
    let present = o.present();
    let legacy = ["LoginPath", "PayloadType", "UsernameField", "PasswordField"];
    let (groups, old): (Vec<&str>, Vec<&str>) = present.iter().partition(|m| !legacy.contains(m));
    match (groups.as_slice(), old.is_empty()) {
        (["AWSManagedRulesBotControlRuleSet"], true) => bot_control(&o),
        (["AWSManagedRulesATPRuleSet"], true) => {
            let p = o.at("AWSManagedRulesATPRuleSet");
            atp(o.req("AWSManagedRulesATPRuleSet")?, &p).map(ManagedConfig::Atp)
        }
        (["AWSManagedRulesACFPRuleSet"], true) => {
            let p = o.at("AWSManagedRulesACFPRuleSet");
            acfp(o.req("AWSManagedRulesACFPRuleSet")?, &p).map(ManagedConfig::Acfp)
        }
        (["AWSManagedRulesAntiDDoSRuleSet"], true) => Ok(ManagedConfig::AntiDdos),
        ([], false) => legacy_config(&o),
        _ => Err(WafError::invalid(
            pointer,
            EXACTLY_ONE,
            "MANAGED_RULE_GROUP_CONFIG",
            "ManagedRuleGroupConfig",
        )),
    }
}

fn bot_control(o: &Obj<'_>) -> Result<ManagedConfig, WafError> {
    let p = o.at("AWSManagedRulesBotControlRuleSet");
    let b = Obj::new(
        o.req("AWSManagedRulesBotControlRuleSet")?,
        &p,
        &["InspectionLevel", "EnableMachineLearning"],
    )?;
    let level = b.req_enum("InspectionLevel", &["COMMON", "TARGETED"])?;
    Ok(ManagedConfig::BotControl {
        inspection_level: level.to_owned(),
        machine_learning: b.opt_bool("EnableMachineLearning")?,
    })
}

fn legacy_config(o: &Obj<'_>) -> Result<ManagedConfig, WafError> {
    let mut errs = Errors::default();
    let login_path = errs.ok(o
        .opt_str("LoginPath")
        .and_then(|lp| lp.map(|l| path_string(l, &o.at("LoginPath")).map(|()| l.to_owned())).transpose()));
    let payload = errs.ok(o.opt_enum("PayloadType", &["JSON", "FORM_ENCODED"])).flatten();
    let username = errs.ok(opt_field(o, "UsernameField")).flatten();
    let password = errs.ok(opt_field(o, "PasswordField")).flatten();
    errs.check()?;
    let fields = (payload.is_some() || username.is_some() || password.is_some()).then(|| Credentials {
        payload_json: payload == Some("JSON"),
        username,
        password,
        ..Credentials::default()
    });
    Ok(ManagedConfig::Legacy { login_path: login_path.flatten(), fields })
}

/// A path member: the model's `len[1..256] pattern=.*\S.*`, and with `EnableRegexInPath` a
/// regular expression AWS WAF accepts.
fn path(o: &Obj<'_>, name: &str, regex: bool) -> Result<PathMatch, WafError> {
    let p = o.req_str(name)?;
    path_string(p, &o.at(name))?;
    if regex {
        regex_dialect::compile(p, &o.at(name))?;
    }
    Ok(PathMatch { path: p.to_owned(), regex })
}

fn path_string(p: &str, pointer: &str) -> Result<(), WafError> {
    check_len(p, pointer, 1, 256)?;
    not_blank(p, pointer)
}

/// The model's `.*\S.*`: at least one non-space character.
fn not_blank(v: &str, pointer: &str) -> Result<(), WafError> {
    if v.chars().any(|c| !c.is_whitespace()) {
        Ok(())
    } else {
        check_chars(v, pointer, r".*\S.*", |_| false)
    }
}

fn atp(v: &Value, pointer: &str) -> Result<Atp, WafError> {
    let o =
        Obj::new(v, pointer, &["LoginPath", "RequestInspection", "ResponseInspection", "EnableRegexInPath"])?;
    let mut errs = Errors::default();
    let regex = errs.ok(o.opt_bool("EnableRegexInPath")).flatten().unwrap_or(false);
    // LoginPath is a plain `String` in the model (no length or pattern), required.
    let login = errs.ok(o.req_str("LoginPath").and_then(|p| {
        if regex {
            regex_dialect::compile(p, &o.at("LoginPath"))?;
        }
        Ok(PathMatch { path: p.to_owned(), regex })
    }));
    let request = match o.opt("RequestInspection") {
        Some(r) => errs.ok(request_inspection(r, &o.at("RequestInspection"), false)),
        None => None,
    };
    let response = errs.ok(response_inspection(&o)).flatten();
    errs.check()?;
    Ok(Atp { login: parsed(login, &o.at("LoginPath"))?, request, response })
}

fn acfp(v: &Value, pointer: &str) -> Result<Acfp, WafError> {
    let o = Obj::new(
        v,
        pointer,
        &[
            "CreationPath",
            "RegistrationPagePath",
            "RequestInspection",
            "ResponseInspection",
            "EnableRegexInPath",
        ],
    )?;
    let mut errs = Errors::default();
    let regex = errs.ok(o.opt_bool("EnableRegexInPath")).flatten().unwrap_or(false);
    let creation = errs.ok(path(&o, "CreationPath", regex));
    let registration = errs.ok(path(&o, "RegistrationPagePath", regex));
    let request = errs
        .ok(o.req("RequestInspection").and_then(|r| request_inspection(r, &o.at("RequestInspection"), true)));
    let response = errs.ok(response_inspection(&o)).flatten();
    errs.check()?;
    Ok(Acfp {
        creation: parsed(creation, &o.at("CreationPath"))?,
        registration: parsed(registration, &o.at("RegistrationPagePath"))?,
        request: parsed(request, &o.at("RequestInspection"))?,
        response,
    })
}

/// `RequestInspection` (ATP: payload type, username and password fields all required) or
/// `RequestInspectionACFP` (payload type required; username, password, email, phone numbers and
/// addresses optional).
fn request_inspection(v: &Value, pointer: &str, acfp: bool) -> Result<Credentials, WafError> {
    let members: &'static [&'static str] = if acfp {
        &["PayloadType", "UsernameField", "PasswordField", "EmailField", "PhoneNumberFields", "AddressFields"]
    } else {
        &["PayloadType", "UsernameField", "PasswordField"]
    };
    let o = Obj::new(v, pointer, members)?;
    let mut errs = Errors::default();
    let payload = errs.ok(o.req_enum("PayloadType", &["JSON", "FORM_ENCODED"]));
    let field = |name: &str| if acfp { opt_field(&o, name) } else { req_field(&o, name).map(Some) };
    let username = errs.ok(field("UsernameField")).flatten();
    let password = errs.ok(field("PasswordField")).flatten();
    let email = if acfp { errs.ok(opt_field(&o, "EmailField")).flatten() } else { None };
    let phones =
        if acfp { errs.ok(field_list(&o, "PhoneNumberFields")).unwrap_or_default() } else { Vec::new() };
    let addresses =
        if acfp { errs.ok(field_list(&o, "AddressFields")).unwrap_or_default() } else { Vec::new() };
    errs.check()?;
    Ok(Credentials {
        payload_json: parsed(payload, &o.at("PayloadType"))? == "JSON",
        username,
        password,
        email,
        phones,
        addresses,
    })
}

/// A `{Identifier}` field: `FieldIdentifier`, `len[1..512] pattern=.*\S.*`.
fn identifier(v: &Value, pointer: &str) -> Result<String, WafError> {
    let f = Obj::new(v, pointer, &["Identifier"])?;
    let id = f.req_str("Identifier")?;
    check_len(id, &f.at("Identifier"), 1, 512)?;
    not_blank(id, &f.at("Identifier"))?;
    Ok(id.to_owned())
}

fn req_field(o: &Obj<'_>, name: &str) -> Result<String, WafError> {
    identifier(o.req(name)?, &o.at(name))
}

fn opt_field(o: &Obj<'_>, name: &str) -> Result<Option<String>, WafError> {
    o.opt(name).map(|v| identifier(v, &o.at(name))).transpose()
}

fn field_list(o: &Obj<'_>, name: &str) -> Result<Vec<String>, WafError> {
    let mut errs = Errors::default();
    let out: Vec<String> = o.opt_array(name)?.iter().filter_map(|(v, p)| errs.ok(identifier(v, p))).collect();
    errs.finish(out)
}

/// `ResponseInspection`: "configuring exactly one component of the response to inspect ... You
/// can't configure more than one component" (API reference, `ResponseInspection`). In words.
fn response_inspection(o: &Obj<'_>) -> Result<Option<String>, WafError> {
    let Some(v) = o.opt("ResponseInspection") else {
        return Ok(None);
    };
    let ptr = o.at("ResponseInspection");
    let r = Obj::new(v, &ptr, &["StatusCode", "Header", "BodyContains", "Json"])?;
    let present = r.present();
    let kind = match present.as_slice() {
        [] => return Ok(None),
        [one] => *one,
        _ => {
            return Err(WafError::invalid(
                &ptr,
                ILLEGAL_COMBINATION,
                "RESPONSE_INSPECTION",
                "ResponseInspection (configure exactly one of StatusCode, Header, BodyContains, Json)",
            ))
        }
    };
    let ip = r.at(kind);
    let inner = r.req(kind)?;
    let strings = |k: &Obj<'_>, name: &str, max: usize| -> Result<Vec<String>, WafError> {
        let items = k.req_array(name)?;
        check_items(items.len(), &k.at(name), 1, max)?;
        let mut out = Vec::new();
        for (s, p) in items {
            let s = as_str(s, &p)?;
            check_len(s, &p, 1, 100)?;
            not_blank(s, &p)?;
            out.push(s.to_owned());
        }
        Ok(out)
    };
    let text = match kind {
        "StatusCode" => {
            let k = Obj::new(inner, &ip, &["SuccessCodes", "FailureCodes"])?;
            let codes = |name: &str| -> Result<Vec<String>, WafError> {
                let items = k.req_array(name)?;
                check_items(items.len(), &k.at(name), 1, 10)?;
                let mut out = Vec::new();
                for (c, p) in items {
                    let n = super::reader::as_i64(c, &p)?;
                    check_range(n, &p, 0, 999)?;
                    out.push(n.to_string());
                }
                Ok(out)
            };
            format!(
                "status code: success {}, failure {}",
                codes("SuccessCodes")?.join("/"),
                codes("FailureCodes")?.join("/")
            )
        }
        "Header" => {
            let k = Obj::new(inner, &ip, &["Name", "SuccessValues", "FailureValues"])?;
            let name = k.req_str("Name")?;
            check_len(name, &k.at("Name"), 1, 200)?;
            not_blank(name, &k.at("Name"))?;
            let (s, f) = (strings(&k, "SuccessValues", 3)?, strings(&k, "FailureValues", 3)?);
            format!("header `{name}`: success {}, failure {}", s.join("/"), f.join("/"))
        }
        "BodyContains" => {
            let k = Obj::new(inner, &ip, &["SuccessStrings", "FailureStrings"])?;
            let (s, f) = (strings(&k, "SuccessStrings", 5)?, strings(&k, "FailureStrings", 5)?);
            format!("body contains: success {}, failure {}", s.join("/"), f.join("/"))
        }
        _ => {
            let k = Obj::new(inner, &ip, &["Identifier", "SuccessValues", "FailureValues"])?;
            let id = k.req_str("Identifier")?;
            check_len(id, &k.at("Identifier"), 1, 512)?;
            let (s, f) = (strings(&k, "SuccessValues", 5)?, strings(&k, "FailureValues", 5)?);
            format!("JSON `{id}`: success {}, failure {}", s.join("/"), f.join("/"))
        }
    };
    Ok(Some(text))
}

impl Credentials {
    fn describe(&self) -> String {
        let mut parts = vec![format!("payload {}", if self.payload_json { "JSON" } else { "FORM_ENCODED" })];
        let mut add = |what: &str, v: &Option<String>| {
            if let Some(id) = v {
                parts.push(format!("{what} `{id}`"));
            }
        };
        add("username", &self.username);
        add("password", &self.password);
        add("email", &self.email);
        if !self.phones.is_empty() {
            parts.push(format!("phone numbers `{}`", self.phones.join("`, `")));
        }
        if !self.addresses.is_empty() {
            parts.push(format!("address `{}`", self.addresses.join("`, `")));
        }
        parts.join(", ")
    }
}

impl PathMatch {
    fn describe(&self) -> String {
        if self.regex {
            format!("paths matching the regular expression `{}`", self.path)
        } else {
            format!("paths starting with `{}`", self.path)
        }
    }
}

impl ManagedConfig {
    /// The configuration in words, and what of the group it drives is modelled and what is not.
    pub fn describe(&self, resource_type: &str) -> String {
        match self {
            Self::BotControl { inspection_level, machine_learning } => {
                let ml = match (inspection_level.as_str(), machine_learning) {
                    ("TARGETED", Some(false)) => ", machine learning off",
                    ("TARGETED", _) => ", machine learning on",
                    _ => "",
                };
                format!(
                    "Bot Control, inspection level {inspection_level}{ml}. Approximation: not modelled — its \
                     rules need AWS's bot signatures and verification{}; evaluated as matching nothing",
                    if inspection_level == "TARGETED" {
                        ", and for TARGETED (TGT_ rules) browser interrogation, tokens and traffic statistics"
                    } else {
                        ""
                    }
                )
            }
            Self::Atp(a) => {
                let mut s = format!("ATP: login requests are POST to {}", a.login.describe());
                match &a.request {
                    Some(c) => s.push_str(&format!("; request inspection: {}", c.describe())),
                    None => s.push_str("; no request inspection"),
                }
                if let Some(r) = &a.response {
                    s.push_str(&format!("; response inspection: {r}"));
                    if resource_type != "CLOUDFRONT" {
                        s.push_str(" (AWS inspects responses only for CloudFront: ignored here)");
                    }
                }
                s.push_str(
                    ". Approximation: modelled — which requests are login requests and the \
                     MissingCredential rule (block a login request without the username or password \
                     field); not modelled — stolen credentials, traversal and volumetric rules, \
                     tokens, response counting",
                );
                s
            }
            Self::Acfp(a) => {
                let mut s = format!(
                    "ACFP: registration page GET at {}, account creation POST at {}; request inspection: {}",
                    a.registration.describe(),
                    a.creation.describe(),
                    a.request.describe()
                );
                if let Some(r) = &a.response {
                    s.push_str(&format!("; response inspection: {r}"));
                    if resource_type != "CLOUDFRONT" {
                        s.push_str(" (AWS inspects responses only for CloudFront: ignored here)");
                    }
                }
                s.push_str(
                    ". Approximation: not modelled — its rules need AWS's risk scores, stolen \
                     credentials, tokens and volumetric counts; evaluated as matching nothing",
                );
                s
            }
            Self::AntiDdos => "Anti-DDoS configuration: not modelled".to_owned(),
            Self::Legacy { login_path, fields } => {
                let mut s = "deprecated top-level configuration (use the AWSManagedRulesATPRuleSet member)"
                    .to_owned();
                if let Some(p) = login_path {
                    s.push_str(&format!("; login path `{p}`"));
                }
                if let Some(c) = fields {
                    s.push_str(&format!("; {}", c.describe()));
                }
                s
            }
        }
    }

    /// The ATP configuration with its login path, from the current or the deprecated members.
    pub fn atp(&self) -> Option<Atp> {
        match self {
            Self::Atp(a) => Some(a.clone()),
            Self::Legacy { login_path: Some(p), fields } => Some(Atp {
                login: PathMatch { path: p.clone(), regex: false },
                request: fields.clone().filter(|c| c.username.is_some() && c.password.is_some()),
                response: None,
            }),
            _ => None,
        }
    }
}
