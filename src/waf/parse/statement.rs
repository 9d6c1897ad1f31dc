//! Parsing statements (all 16 kinds), text transformations, forwarded-IP configurations and
//! rate-based keys, with AWS's placement rules (rate-based and rule-group statements only at
//! the top of a rule; none inside a rule group's own rules). Rules and actions are parsed in
//! the parent module.

use std::collections::BTreeMap;

use base64::Engine as _;
use serde_json::Value;

use crate::waf::error::{WafError, DUPLICATE, EXACTLY_ONE, ILLEGAL_COMBINATION, THRESHOLD};
use crate::waf::field::FieldToMatch;
use crate::waf::model::*;
use crate::waf::reader::{
    as_i64, as_str, check_chars, check_entity_name, check_enum, check_items, check_label, check_len,
    check_range, Obj,
};
use crate::waf::regex_dialect;
use crate::waf::transform::{Transformation, MAX_PER_STATEMENT};

use super::{parsed, rule_action, Errors};
use crate::waf::managed_config;

const STATEMENTS: &[&str] = &[
    "ByteMatchStatement",
    "SqliMatchStatement",
    "XssMatchStatement",
    "SizeConstraintStatement",
    "GeoMatchStatement",
    "RuleGroupReferenceStatement",
    "IPSetReferenceStatement",
    "RegexPatternSetReferenceStatement",
    "RateBasedStatement",
    "AndStatement",
    "OrStatement",
    "NotStatement",
    "ManagedRuleGroupStatement",
    "LabelMatchStatement",
    "RegexMatchStatement",
    "AsnMatchStatement",
];

/// Largest statement nesting accepted (AWS has no documented figure; this bounds recursion).
pub const MAX_NESTING: usize = 20;

/// Where a statement sits, for AWS's placement rules.
#[derive(Debug, Clone, Copy)]
pub(super) struct Place {
    pub(super) depth: usize,
    pub(super) in_rule_group: bool,
    pub(super) in_scope_down: bool,
}

fn transformations(o: &Obj<'_>) -> Result<Vec<Transformation>, WafError> {
    let items = o.req_array("TextTransformations")?;
    check_items(items.len(), &o.at("TextTransformations"), 1, MAX_PER_STATEMENT)?;
    let names: Vec<&str> = crate::waf::transform::ALL.iter().map(|(n, _)| *n).collect();
    let mut list: Vec<(i64, Transformation)> = Vec::new();
    for (v, p) in items {
        let t = Obj::new(v, &p, &["Priority", "Type"])?;
        let prio = t.req_i64("Priority")?;
        check_range(prio, &t.at("Priority"), 0, i64::from(i32::MAX))?;
        let ty = t.req_enum("Type", &names)?;
        if list.iter().any(|(q, _)| *q == prio) {
            return Err(WafError::invalid(
                &t.at("Priority"),
                DUPLICATE,
                "TEXT_TRANSFORMATION",
                prio.to_string(),
            ));
        }
        list.push((prio, Transformation::from_aws(ty).unwrap_or(Transformation::None)));
    }
    list.sort_by_key(|(p, _)| *p);
    Ok(list.into_iter().map(|(_, t)| t).collect())
}

fn inspect(o: &Obj<'_>) -> Result<Inspect, WafError> {
    let mut pre_parse: Vec<(i64, PreParse)> = Vec::new();
    if let Some(pre) = o.opt("PreParseTextTransformations") {
        for (v, p) in crate::waf::reader::as_array(pre, &o.at("PreParseTextTransformations"))? {
            let t = Obj::new(v, &p, &["Priority", "Type"])?;
            let prio = t.req_i64("Priority")?;
            let ty = t.req_enum(
                "Type",
                &[
                    "NONE",
                    "URL_DECODE",
                    "URL_DECODE_UNI",
                    "COMBINE_DUPLICATE_QUERY_ARGS_BY_COMMA",
                    "REPLACE_SEMICOLONS_WITH_AMPERSANDS",
                ],
            )?;
            let kind = match ty {
                "URL_DECODE" => PreParse::UrlDecode,
                "URL_DECODE_UNI" => PreParse::UrlDecodeUni,
                "COMBINE_DUPLICATE_QUERY_ARGS_BY_COMMA" => PreParse::CombineDuplicates,
                "REPLACE_SEMICOLONS_WITH_AMPERSANDS" => PreParse::SemicolonsToAmpersands,
                _ => continue,
            };
            pre_parse.push((prio, kind));
        }
    }
    pre_parse.sort_by_key(|(p, _)| *p);
    Ok(Inspect {
        field: FieldToMatch::parse(o.req("FieldToMatch")?, &o.at("FieldToMatch"))?,
        transformations: transformations(o)?,
        pre_parse: pre_parse.into_iter().map(|(_, k)| k).collect(),
    })
}

fn forwarded(
    v: &Value,
    pointer: &str,
    with_position: bool,
) -> Result<(ForwardedIp, ForwardedPosition), WafError> {
    let allowed: &'static [&'static str] = if with_position {
        &["HeaderName", "FallbackBehavior", "Position"]
    } else {
        &["HeaderName", "FallbackBehavior"]
    };
    let o = Obj::new(v, pointer, allowed)?;
    let header = o.req_str("HeaderName")?;
    check_len(header, &o.at("HeaderName"), 1, 255)?;
    check_chars(header, &o.at("HeaderName"), "^[a-zA-Z0-9-]+$", |c| c.is_ascii_alphanumeric() || c == '-')?;
    let fb = o.req_enum("FallbackBehavior", &["MATCH", "NO_MATCH"])? == "MATCH";
    let position = if with_position {
        match o.req_enum("Position", &["FIRST", "LAST", "ANY"])? {
            "FIRST" => ForwardedPosition::First,
            "LAST" => ForwardedPosition::Last,
            _ => ForwardedPosition::Any,
        }
    } else {
        ForwardedPosition::First
    };
    Ok((ForwardedIp { header: header.to_owned(), fallback_match: fb }, position))
}

fn too_deep(pointer: &str) -> WafError {
    WafError::Limit {
        reason: format!("statements are nested more than {MAX_NESTING} levels deep at {pointer}"),
    }
}

pub(super) fn statement(v: &Value, pointer: &str, place: Place) -> Result<Statement, WafError> {
    if place.depth > MAX_NESTING {
        return Err(too_deep(pointer));
    }
    let o = Obj::new(v, pointer, STATEMENTS)?;
    let present = o.present();
    let [kind] = present.as_slice() else {
        return Err(WafError::invalid(pointer, EXACTLY_ONE, "STATEMENT", "Statement"));
    };
    let sp = o.at(kind);
    let inner = o.req(kind)?;
    let nested = Place { depth: place.depth + 1, ..place };
    let top_only = |what: &str| -> Result<(), WafError> {
        if place.depth > 0 || place.in_scope_down {
            return Err(WafError::invalid(
                &sp,
                ILLEGAL_COMBINATION,
                "STATEMENT",
                format!("{what} (allowed only as the top-level statement of a rule)"),
            ));
        }
        Ok(())
    };
    Ok(match *kind {
        "ByteMatchStatement" => {
            let s = Obj::new(
                inner,
                &sp,
                &[
                    "SearchString",
                    "FieldToMatch",
                    "TextTransformations",
                    "PreParseTextTransformations",
                    "PositionalConstraint",
                ],
            )?;
            let raw = s.req_str("SearchString")?;
            let search = base64::engine::general_purpose::STANDARD.decode(raw).map_err(|_| {
                WafError::invalid(
                    &s.at("SearchString"),
                    "The parameter contains formatting that isn't valid.",
                    "SEARCH_STRING",
                    format!(
                        "{} (SearchString is a blob: base64 in JSON, as the CLI prints it)",
                        crate::waf::error::shorten(raw)
                    ),
                )
            })?;
            if search.is_empty() || search.len() > 200 {
                return Err(WafError::constraint(
                    &s.at("SearchString"),
                    raw,
                    "Member must have length between 1 and 200 bytes once base64-decoded".to_owned(),
                ));
            }
            let position = match s.req_enum(
                "PositionalConstraint",
                &["EXACTLY", "STARTS_WITH", "ENDS_WITH", "CONTAINS", "CONTAINS_WORD"],
            )? {
                "EXACTLY" => Positional::Exactly,
                "STARTS_WITH" => Positional::StartsWith,
                "ENDS_WITH" => Positional::EndsWith,
                "CONTAINS" => Positional::Contains,
                _ => Positional::ContainsWord,
            };
            let inspect = inspect(&s)?;
            if matches!(inspect.field, FieldToMatch::Ja3(_) | FieldToMatch::Ja4(_))
                && position != Positional::Exactly
            {
                return Err(WafError::invalid(
                    &s.at("PositionalConstraint"),
                    ILLEGAL_COMBINATION,
                    "POSITIONAL_CONSTRAINT",
                    "JA3/JA4 fingerprints take EXACTLY only",
                ));
            }
            Statement::ByteMatch(ByteMatch { search, position, inspect })
        }
        "SqliMatchStatement" => {
            let s = Obj::new(
                inner,
                &sp,
                &["FieldToMatch", "TextTransformations", "PreParseTextTransformations", "SensitivityLevel"],
            )?;
            let sens = match s.opt_enum("SensitivityLevel", &["LOW", "HIGH"])? {
                Some("HIGH") => Sensitivity::High,
                _ => Sensitivity::Low,
            };
            Statement::Sqli(inspect(&s)?, sens)
        }
        "XssMatchStatement" => {
            let s = Obj::new(
                inner,
                &sp,
                &["FieldToMatch", "TextTransformations", "PreParseTextTransformations"],
            )?;
            Statement::Xss(inspect(&s)?)
        }
        "SizeConstraintStatement" => {
            let s = Obj::new(
                inner,
                &sp,
                &[
                    "FieldToMatch",
                    "ComparisonOperator",
                    "Size",
                    "TextTransformations",
                    "PreParseTextTransformations",
                ],
            )?;
            let op = match s.req_enum("ComparisonOperator", &["EQ", "NE", "LE", "LT", "GE", "GT"])? {
                "EQ" => Comparison::Eq,
                "NE" => Comparison::Ne,
                "LE" => Comparison::Le,
                "LT" => Comparison::Lt,
                "GE" => Comparison::Ge,
                _ => Comparison::Gt,
            };
            let size = s.req_i64("Size")?;
            check_range(size, &s.at("Size"), 0, 21_474_836_480)?;
            Statement::Size(inspect(&s)?, op, u64::try_from(size).unwrap_or(0))
        }
        "GeoMatchStatement" => {
            let s = Obj::new(inner, &sp, &["CountryCodes", "ForwardedIPConfig"])?;
            let codes = s.req_array("CountryCodes")?;
            check_items(codes.len(), &s.at("CountryCodes"), 1, usize::MAX)?;
            let mut out = Vec::new();
            for (c, p) in codes {
                let code = as_str(c, &p)?;
                check_enum(code, &p, COUNTRY_CODES)?;
                out.push(code.to_owned());
            }
            let fwd = s
                .opt("ForwardedIPConfig")
                .map(|f| forwarded(f, &s.at("ForwardedIPConfig"), false))
                .transpose()?;
            Statement::Geo(out, fwd.map(|(f, _)| f))
        }
        "AsnMatchStatement" => {
            let s = Obj::new(inner, &sp, &["AsnList", "ForwardedIPConfig"])?;
            let list = s.req_array("AsnList")?;
            check_items(list.len(), &s.at("AsnList"), 1, 100)?;
            let mut out = Vec::new();
            for (a, p) in list {
                let n = as_i64(a, &p)?;
                check_range(n, &p, 0, 4_294_967_295)?;
                out.push(u64::try_from(n).unwrap_or(0));
            }
            let fwd = s
                .opt("ForwardedIPConfig")
                .map(|f| forwarded(f, &s.at("ForwardedIPConfig"), false))
                .transpose()?;
            Statement::Asn(out, fwd.map(|(f, _)| f))
        }
        "IPSetReferenceStatement" => {
            let s = Obj::new(inner, &sp, &["ARN", "IPSetForwardedIPConfig"])?;
            let arn = s.req_str("ARN")?;
            check_len(arn, &s.at("ARN"), 20, 2048)?;
            let fwd = s
                .opt("IPSetForwardedIPConfig")
                .map(|f| forwarded(f, &s.at("IPSetForwardedIPConfig"), true))
                .transpose()?
                .map(|(config, position)| IpSetForwarded { config, position });
            Statement::IpSet(arn.to_owned(), fwd)
        }
        "RegexPatternSetReferenceStatement" => {
            let s = Obj::new(
                inner,
                &sp,
                &["ARN", "FieldToMatch", "TextTransformations", "PreParseTextTransformations"],
            )?;
            let arn = s.req_str("ARN")?;
            check_len(arn, &s.at("ARN"), 20, 2048)?;
            Statement::RegexSet(arn.to_owned(), inspect(&s)?)
        }
        "RegexMatchStatement" => {
            let s = Obj::new(
                inner,
                &sp,
                &["RegexString", "FieldToMatch", "TextTransformations", "PreParseTextTransformations"],
            )?;
            let text = s.req_str("RegexString")?;
            check_len(text, &s.at("RegexString"), 1, 512)?;
            let re = regex_dialect::compile(text, &s.at("RegexString"))?;
            Statement::Regex(Box::new(re), text.to_owned(), inspect(&s)?)
        }
        "RateBasedStatement" => {
            top_only("RateBasedStatement")?;
            rate_based(inner, &sp, nested)?
        }
        "AndStatement" | "OrStatement" => {
            let s = Obj::new(inner, &sp, &["Statements"])?;
            let items = s.req_array("Statements")?;
            if items.len() < 2 {
                let (field, param) = if *kind == "AndStatement" {
                    ("AND_STATEMENT", "AndStatement")
                } else {
                    ("OR_STATEMENT", "OrStatement")
                };
                return Err(WafError::invalid(&sp, THRESHOLD, field, param));
            }
            if nested.depth > MAX_NESTING {
                // One error for the whole list, not one per statement in it.
                return Err(too_deep(&sp));
            }
            // Each nested statement is independent: report the errors of all of them.
            let mut errs = Errors::default();
            let list: Vec<Statement> =
                items.iter().filter_map(|(v, p)| errs.ok(statement(v, p, nested))).collect();
            errs.check()?;
            if *kind == "AndStatement" {
                Statement::And(list)
            } else {
                Statement::Or(list)
            }
        }
        "NotStatement" => {
            let s = Obj::new(inner, &sp, &["Statement"])?;
            Statement::Not(Box::new(statement(s.req("Statement")?, &s.at("Statement"), nested)?))
        }
        "LabelMatchStatement" => {
            let s = Obj::new(inner, &sp, &["Scope", "Key"])?;
            let scope = if s.req_enum("Scope", &["LABEL", "NAMESPACE"])? == "LABEL" {
                LabelScope::Label
            } else {
                LabelScope::Namespace
            };
            let key = s.req_str("Key")?;
            check_label(key, &s.at("Key"))?;
            Statement::LabelMatch(scope, key.to_owned())
        }
        "RuleGroupReferenceStatement" => {
            top_only("RuleGroupReferenceStatement")?;
            if place.in_rule_group {
                return Err(WafError::invalid(
                    &sp,
                    ILLEGAL_COMBINATION,
                    "STATEMENT",
                    "RuleGroupReferenceStatement (a rule group cannot reference a rule group)",
                ));
            }
            let s = Obj::new(inner, &sp, &["ARN", "ExcludedRules", "RuleActionOverrides"])?;
            let arn = s.req_str("ARN")?;
            check_len(arn, &s.at("ARN"), 20, 2048)?;
            let (excluded, overrides) = exclusions(&s)?;
            Statement::RuleGroup(GroupRef {
                arn_or_vendor: arn.to_owned(),
                name: String::new(),
                version: None,
                excluded,
                overrides,
                scope_down: None,
                configs: Vec::new(),
            })
        }
        _ => {
            top_only("ManagedRuleGroupStatement")?;
            if place.in_rule_group {
                return Err(WafError::invalid(
                    &sp,
                    ILLEGAL_COMBINATION,
                    "STATEMENT",
                    "ManagedRuleGroupStatement (a rule group cannot reference a managed rule group)",
                ));
            }
            let s = Obj::new(
                inner,
                &sp,
                &[
                    "VendorName",
                    "Name",
                    "Version",
                    "ExcludedRules",
                    "ScopeDownStatement",
                    "ManagedRuleGroupConfigs",
                    "RuleActionOverrides",
                ],
            )?;
            // Members are independent: every error is reported.
            let mut errs = Errors::default();
            let vendor = errs.ok(s
                .req_str("VendorName")
                .and_then(|v| check_len(v, &s.at("VendorName"), 1, 128).map(|()| v)));
            let name =
                errs.ok(s.req_str("Name").and_then(|n| check_entity_name(n, &s.at("Name")).map(|()| n)));
            let version = errs.ok(s.opt_str("Version")).flatten().map(str::to_owned);
            let exclusions = errs.ok(exclusions(&s));
            let scope_down = match s.opt("ScopeDownStatement") {
                Some(sd) => errs
                    .ok(statement(
                        sd,
                        &s.at("ScopeDownStatement"),
                        Place { depth: 1, in_rule_group: false, in_scope_down: true },
                    ))
                    .map(Box::new),
                None => None,
            };
            let configs = match (vendor, name) {
                (Some("AWS"), Some(n)) => errs.ok(managed_config::parse(&s, n)).unwrap_or_default(),
                _ => errs.ok(managed_config::parse(&s, "")).unwrap_or_default(),
            };
            errs.check()?;
            let (excluded, overrides) = parsed(exclusions, &sp)?;
            Statement::Managed(GroupRef {
                arn_or_vendor: parsed(vendor, &s.at("VendorName"))?.to_owned(),
                name: parsed(name, &s.at("Name"))?.to_owned(),
                version,
                excluded,
                overrides,
                scope_down,
                configs,
            })
        }
    })
}

type Exclusions = (Vec<String>, Vec<(String, RuleAction)>);

fn exclusions(s: &Obj<'_>) -> Result<Exclusions, WafError> {
    let ex = s.opt_array("ExcludedRules")?;
    check_items(ex.len(), &s.at("ExcludedRules"), 0, 100)?;
    let mut excluded = Vec::new();
    for (v, p) in ex {
        let o = Obj::new(v, &p, &["Name"])?;
        let n = o.req_str("Name")?;
        check_entity_name(n, &o.at("Name"))?;
        excluded.push(n.to_owned());
    }
    let ov = s.opt_array("RuleActionOverrides")?;
    check_items(ov.len(), &s.at("RuleActionOverrides"), 0, 100)?;
    let mut overrides = Vec::new();
    for (v, p) in ov {
        let o = Obj::new(v, &p, &["Name", "ActionToUse"])?;
        let n = o.req_str("Name")?;
        check_entity_name(n, &o.at("Name"))?;
        let a = rule_action(o.req("ActionToUse")?, &o.at("ActionToUse"), &BTreeMap::new())?;
        overrides.push((n.to_owned(), a));
    }
    Ok((excluded, overrides))
}

fn rate_based(v: &Value, pointer: &str, place: Place) -> Result<Statement, WafError> {
    let s = Obj::new(
        v,
        pointer,
        &[
            "Limit",
            "EvaluationWindowSec",
            "AggregateKeyType",
            "ScopeDownStatement",
            "ForwardedIPConfig",
            "CustomKeys",
        ],
    )?;
    let limit = s.req_i64("Limit")?;
    check_range(limit, &s.at("Limit"), 10, 2_000_000_000)?;
    let window = s.opt_i64("EvaluationWindowSec")?.unwrap_or(300);
    if ![60, 120, 300, 600].contains(&window) {
        return Err(WafError::constraint(
            &s.at("EvaluationWindowSec"),
            window.to_string(),
            "Member must be one of 60, 120, 300, 600".to_owned(),
        ));
    }
    let agg = s.req_enum("AggregateKeyType", &["IP", "FORWARDED_IP", "CUSTOM_KEYS", "CONSTANT"])?;
    let scope_down = s
        .opt("ScopeDownStatement")
        .map(|sd| statement(sd, &s.at("ScopeDownStatement"), Place { in_scope_down: true, ..place }))
        .transpose()?;
    let fwd = s
        .opt("ForwardedIPConfig")
        .map(|f| forwarded(f, &s.at("ForwardedIPConfig"), false))
        .transpose()?
        .map(|(f, _)| f);
    let keys = s.opt_array("CustomKeys")?;
    check_items(keys.len(), &s.at("CustomKeys"), 0, 5)?;
    let aggregate = match agg {
        "IP" => Aggregate::Ip,
        "FORWARDED_IP" => {
            if fwd.is_none() {
                return Err(WafError::MissingField {
                    pointer: pointer.to_owned(),
                    name: "ForwardedIPConfig".to_owned(),
                });
            }
            Aggregate::ForwardedIp
        }
        "CONSTANT" => {
            if scope_down.is_none() {
                return Err(WafError::invalid(
                    pointer,
                    ILLEGAL_COMBINATION,
                    "SCOPE_DOWN",
                    "AggregateKeyType CONSTANT needs a ScopeDownStatement",
                ));
            }
            Aggregate::Constant
        }
        _ => {
            if keys.is_empty() {
                return Err(WafError::MissingField {
                    pointer: pointer.to_owned(),
                    name: "CustomKeys".to_owned(),
                });
            }
            let mut out = Vec::new();
            for (k, p) in &keys {
                out.push(custom_key(k, p)?);
            }
            let ip_only = out.iter().all(|k| matches!(k, CustomKey::Ip | CustomKey::ForwardedIp));
            if ip_only {
                return Err(WafError::invalid(&s.at("CustomKeys"), ILLEGAL_COMBINATION, "CUSTOM_KEYS", "IP or ForwardedIP as the only custom keys; use AggregateKeyType IP or FORWARDED_IP instead"));
            }
            if out.iter().any(|k| matches!(k, CustomKey::ForwardedIp)) && fwd.is_none() {
                return Err(WafError::MissingField {
                    pointer: pointer.to_owned(),
                    name: "ForwardedIPConfig".to_owned(),
                });
            }
            Aggregate::Custom(out)
        }
    };
    if !matches!(aggregate, Aggregate::Custom(_)) && !keys.is_empty() {
        return Err(WafError::invalid(
            &s.at("CustomKeys"),
            ILLEGAL_COMBINATION,
            "CUSTOM_KEYS",
            "CustomKeys need AggregateKeyType CUSTOM_KEYS",
        ));
    }
    Ok(Statement::RateBased(Box::new(RateBased {
        limit: u64::try_from(limit).unwrap_or(10),
        window_sec: u64::try_from(window).unwrap_or(300),
        aggregate,
        scope_down,
        forwarded: fwd,
    })))
}

fn custom_key(v: &Value, pointer: &str) -> Result<CustomKey, WafError> {
    let o = Obj::new(
        v,
        pointer,
        &[
            "Header",
            "Cookie",
            "QueryArgument",
            "QueryString",
            "HTTPMethod",
            "ForwardedIP",
            "IP",
            "LabelNamespace",
            "UriPath",
            "JA3Fingerprint",
            "JA4Fingerprint",
            "ASN",
        ],
    )?;
    let present = o.present();
    let [kind] = present.as_slice() else {
        return Err(WafError::invalid(pointer, EXACTLY_ONE, "CUSTOM_KEY", "RateBasedStatementCustomKey"));
    };
    let ip = o.at(kind);
    let inner = o.req(kind)?;
    let named = |allowed: &'static [&'static str]| -> Result<(String, Vec<Transformation>), WafError> {
        let k = Obj::new(inner, &ip, allowed)?;
        let name = if allowed.contains(&"Name") {
            let n = k.req_str("Name")?;
            check_len(n, &k.at("Name"), 1, 64)?;
            n.to_owned()
        } else {
            String::new()
        };
        Ok((name, transformations(&k)?))
    };
    let empty = || Obj::new(inner, &ip, &[]).map(|_| ());
    Ok(match *kind {
        "Header" => {
            let (n, t) = named(&["Name", "TextTransformations"])?;
            CustomKey::Header(n.to_ascii_lowercase(), t)
        }
        "Cookie" => {
            let (n, t) = named(&["Name", "TextTransformations"])?;
            CustomKey::Cookie(n, t)
        }
        "QueryArgument" => {
            let (n, t) = named(&["Name", "TextTransformations"])?;
            CustomKey::QueryArgument(n, t)
        }
        "QueryString" => CustomKey::QueryString(named(&["TextTransformations"])?.1),
        "UriPath" => CustomKey::UriPath(named(&["TextTransformations"])?.1),
        "HTTPMethod" => {
            empty()?;
            CustomKey::HttpMethod
        }
        "ForwardedIP" => {
            empty()?;
            CustomKey::ForwardedIp
        }
        "IP" => {
            empty()?;
            CustomKey::Ip
        }
        "ASN" => {
            empty()?;
            CustomKey::Asn
        }
        "LabelNamespace" => {
            let k = Obj::new(inner, &ip, &["Namespace"])?;
            let ns = k.req_str("Namespace")?;
            check_label(ns, &k.at("Namespace"))?;
            if !ns.ends_with(':') {
                return Err(WafError::constraint(
                    &k.at("Namespace"),
                    ns,
                    r"Member must satisfy regular expression pattern: ^[0-9A-Za-z_\-:]+:$".to_owned(),
                ));
            }
            CustomKey::LabelNamespace(ns.to_owned())
        }
        other => {
            let k = Obj::new(inner, &ip, &["FallbackBehavior"])?;
            k.req_enum("FallbackBehavior", &["MATCH", "NO_MATCH"])?;
            CustomKey::Fingerprint(other == "JA3Fingerprint")
        }
    })
}

/// ISO 3166-1 alpha-2 codes accepted by `GeoMatchStatement` (the model's enum, plus XK).
pub const COUNTRY_CODES: &[&str] = &[
    "AF", "AX", "AL", "DZ", "AS", "AD", "AO", "AI", "AQ", "AG", "AR", "AM", "AW", "AU", "AT", "AZ", "BS",
    "BH", "BD", "BB", "BY", "BE", "BZ", "BJ", "BM", "BT", "BO", "BQ", "BA", "BW", "BV", "BR", "IO", "BN",
    "BG", "BF", "BI", "KH", "CM", "CA", "CV", "KY", "CF", "TD", "CL", "CN", "CX", "CC", "CO", "KM", "CG",
    "CD", "CK", "CR", "CI", "HR", "CU", "CW", "CY", "CZ", "DK", "DJ", "DM", "DO", "EC", "EG", "SV", "GQ",
    "ER", "EE", "ET", "FK", "FO", "FJ", "FI", "FR", "GF", "PF", "TF", "GA", "GM", "GE", "DE", "GH", "GI",
    "GR", "GL", "GD", "GP", "GU", "GT", "GG", "GN", "GW", "GY", "HT", "HM", "VA", "HN", "HK", "HU", "IS",
    "IN", "ID", "IR", "IQ", "IE", "IM", "IL", "IT", "JM", "JP", "JE", "JO", "KZ", "KE", "KI", "KP", "KR",
    "KW", "KG", "LA", "LV", "LB", "LS", "LR", "LY", "LI", "LT", "LU", "MO", "MK", "MG", "MW", "MY", "MV",
    "ML", "MT", "MH", "MQ", "MR", "MU", "YT", "MX", "FM", "MD", "MC", "MN", "ME", "MS", "MA", "MZ", "MM",
    "NA", "NR", "NP", "NL", "NC", "NZ", "NI", "NE", "NG", "NU", "NF", "MP", "NO", "OM", "PK", "PW", "PS",
    "PA", "PG", "PY", "PE", "PH", "PN", "PL", "PT", "PR", "QA", "RE", "RO", "RU", "RW", "BL", "SH", "KN",
    "LC", "MF", "PM", "VC", "WS", "SM", "ST", "SA", "SN", "RS", "SC", "SL", "SG", "SX", "SK", "SI", "SB",
    "SO", "ZA", "GS", "SS", "ES", "LK", "SD", "SR", "SJ", "SZ", "SE", "CH", "SY", "TW", "TJ", "TZ", "TH",
    "TL", "TG", "TK", "TO", "TT", "TN", "TR", "TM", "TC", "TV", "UG", "UA", "AE", "GB", "US", "UM", "UY",
    "UZ", "VU", "VE", "VN", "VG", "VI", "WF", "EH", "YE", "ZM", "ZW", "XK",
];
