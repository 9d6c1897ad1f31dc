//! The JSON layer the wasm bindings wrap: `WebAcl::new(json, resources, options)`,
//! `evaluate(request, context)`, `replay(requests)`, `capacity()`, and the free functions
//! `detect_sqli`, `detect_xss`, `apply_transformations`. Shapes are camelCase with AWS field
//! names; errors carry a stable `code`. No WAF logic lives here.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::common::json_source::parse_json_nested;

use super::capacity;
use super::error::WafError;
use super::eval::{Context, Engine, Resources};
use super::geo::GeoDb;
use super::ipset::IpSet;
use super::log::LogRecord;
use super::model::{Aggregate, CustomKey, Sensitivity, Statement};
use super::parse;
use super::reader::{as_array, child, Obj};
use super::regex_dialect::RegexPatternSet;
use super::request::Request;
use super::transform::{apply_all, Transformation};
use super::{replay, sqli, xss};

/// A web ACL built from AWS JSON, ready to evaluate requests.
#[derive(Debug, Clone)]
pub struct WebAcl {
    engine: Engine,
}

/// Accepts a JSON value or a string holding JSON text (borrowed when it is a value).
fn value_or_text(v: &Value) -> Result<Cow<'_, Value>, WafError> {
    match v {
        Value::String(text) => parse::parse_text(text).map(Cow::Owned),
        other => Ok(Cow::Borrowed(other)),
    }
}

impl WebAcl {
    /// Builds a web ACL from `get-web-acl` output or a `WebACL` (object or text), with
    /// `resources` `{ipSets?, regexPatternSets?, ruleGroups?}` and `options`
    /// `{resourceType?, bodyLimit?, trace?}` (either may be `null`); `trace: false` leaves the
    /// per-rule trace out of log records.
    pub fn new(json: &Value, resources: &Value, options: &Value) -> Result<Self, WafError> {
        let doc = value_or_text(json)?;
        let acl = parse::web_acl(&doc)?;
        let mut res = Resources::default();
        let resources = value_or_text(resources)?;
        if !resources.is_null() {
            let o = Obj::new(&resources, "/resources", &["ipSets", "regexPatternSets", "ruleGroups"])?;
            for (v, p) in o.opt_array("ipSets")? {
                let set = IpSet::parse(&*value_or_text(v)?, &p)?;
                res.ip_sets.insert(set.arn.clone(), set);
            }
            for (v, p) in o.opt_array("regexPatternSets")? {
                let set = RegexPatternSet::parse(&*value_or_text(v)?, &p)?;
                res.regex_sets.insert(set.arn.clone(), set);
            }
            for (v, p) in o.opt_array("ruleGroups")? {
                let group = parse::rule_group(&*value_or_text(v)?, &p)?;
                let (_, used) = capacity::rules(&group.rules, &Resources::default());
                if used > group.capacity {
                    return Err(WafError::invalid(
                        &child(&p, "Capacity"),
                        super::error::THRESHOLD,
                        "RULE_GROUP",
                        format!(
                            "{} (its rules need {used} WCUs, it declares {})",
                            group.name, group.capacity
                        ),
                    ));
                }
                res.rule_groups.insert(group.arn.clone(), group);
            }
        }
        let options = value_or_text(options)?;
        let (mut resource_type, mut body_limit, mut trace) = (None, None, true);
        if !options.is_null() {
            let o = Obj::new(&options, "/options", &["resourceType", "bodyLimit", "trace"])?;
            trace = o.opt_bool("trace")?.unwrap_or(true);
            if let Some(rt) = o.opt_str("resourceType")? {
                let mut allowed = parse::RESOURCE_TYPES.to_vec();
                allowed.push("APPSYNC");
                super::reader::check_enum(rt, &o.at("resourceType"), &allowed)?;
                resource_type = Some(rt.to_owned());
            }
            if let Some(bl) = o.opt("bodyLimit") {
                let bytes = match bl {
                    Value::String(s) => {
                        s.strip_prefix("KB_").and_then(|k| k.parse::<usize>().ok()).map(|k| k * 1024)
                    }
                    other => other.as_u64().and_then(|n| usize::try_from(n).ok()),
                };
                let bytes = bytes.filter(|b| *b > 0 && *b <= 64 * 1024).ok_or_else(|| {
                    WafError::constraint(
                        &o.at("bodyLimit"),
                        bl.to_string(),
                        "Member must be KB_8, KB_16, KB_32, KB_48, KB_64 or a byte count up to 65536"
                            .to_owned(),
                    )
                })?;
                body_limit = Some(bytes);
            }
        }
        let mut engine = Engine::new(acl, res, resource_type.as_deref(), body_limit)?;
        engine.trace = trace;
        let (_, total) = capacity::rules(&engine.acl.rules, &engine.resources);
        if total > capacity::MAX_WCU {
            return Err(WafError::Limit {
                reason: format!("the web ACL needs {total} WCUs; the maximum is {}", capacity::MAX_WCU),
            });
        }
        Ok(Self { engine })
    }

    /// The typed engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The typed engine, taken (the log replay drives it directly).
    pub fn into_engine(self) -> Engine {
        self.engine
    }

    /// Evaluates one request `{method, uri, headers, body?, clientIp, country?, asn?, ...}`
    /// with `context` `{timestamp?, tokens?: {captcha?, challenge?}}` and returns the log record.
    pub fn evaluate(&mut self, request: &Value, context: &Value) -> Result<Value, WafError> {
        let record = self.evaluate_record(request, context)?;
        serde_json::to_value(record).map_err(|e| WafError::request("", e.to_string()))
    }

    /// `evaluate` with the log record as JSON text, serialised straight from the record (the JS
    /// layer hands it to `JSON.parse`, far cheaper than building the object member by member).
    pub fn evaluate_text(&mut self, request: &Value, context: &Value) -> Result<String, WafError> {
        let record = self.evaluate_record(request, context)?;
        serde_json::to_string(&record).map_err(|e| WafError::request("", e.to_string()))
    }

    fn evaluate_record(&mut self, request: &Value, context: &Value) -> Result<LogRecord, WafError> {
        let req = Request::from_json(&*value_or_text(request)?)?;
        let ctx = parse_context(&*value_or_text(context)?, req.timestamp)?;
        // `trace: false` leaves the per-rule trace out of the record, and does not build it.
        Ok(if self.engine.trace {
            self.engine.evaluate(&req, &ctx)
        } else {
            self.engine.evaluate_untraced(&req, &ctx)
        })
    }

    /// WCUs of the web ACL.
    pub fn capacity(&self) -> u64 {
        capacity::rules(&self.engine.acl.rules, &self.engine.resources).1
    }

    /// WCUs per rule, the total, and the limits.
    pub fn capacity_report(&self) -> Value {
        let (per, total) = capacity::rules(&self.engine.acl.rules, &self.engine.resources);
        json!({
            "rules": per.iter().map(|(n, c)| json!({"name": n, "capacity": c})).collect::<Vec<_>>(),
            "total": total,
            "included": capacity::INCLUDED_WCU,
            "max": capacity::MAX_WCU,
            "extraCharged": total > capacity::INCLUDED_WCU,
        })
    }

    /// Evaluates a batch (a JSON array, JSON lines text, or a HAR document) on the simulated
    /// clock and returns per-rule counts, actions per minute, and top blocked addresses and paths.
    pub fn replay(&mut self, requests: &Value) -> Result<Value, WafError> {
        let reqs = replay::requests(requests)?;
        let report = replay::run(&mut self.engine, &reqs);
        serde_json::to_value(report).map_err(|e| WafError::request("", e.to_string()))
    }

    /// Resets the simulated clock and rate-based counters.
    pub fn reset(&mut self) {
        self.engine.reset_clock();
    }

    /// Whether the ACL (or a rule group it references) has a GeoMatch or AsnMatch statement,
    /// or an ASN rate key: only then can the offline geo database matter.
    pub fn uses_geo(&self) -> bool {
        let u = self.geo_uses();
        u.country || u.forwarded_country || u.asn || u.forwarded_asn
    }

    /// Whether evaluating `request` (the request object) could look something up in the offline
    /// geo database: a statement needs a country or ASN the request does not carry. The page
    /// fetches the database only then.
    pub fn needs_geo_db(&self, request: &Value) -> bool {
        let u = self.geo_uses();
        let lacks = |k: &str| request.get(k).is_none_or(Value::is_null);
        (u.country && lacks("country"))
            || (u.forwarded_country && lacks("forwardedCountry"))
            || (u.asn && lacks("asn"))
            || (u.forwarded_asn && lacks("forwardedAsn"))
    }

    fn geo_uses(&self) -> GeoUses {
        fn walk(s: &Statement, u: &mut GeoUses) {
            match s {
                Statement::Geo(_, None) => u.country = true,
                Statement::Geo(_, Some(_)) => u.forwarded_country = true,
                Statement::Asn(_, None) => u.asn = true,
                Statement::Asn(_, Some(_)) => u.forwarded_asn = true,
                Statement::And(l) | Statement::Or(l) => l.iter().for_each(|s| walk(s, u)),
                Statement::Not(s) => walk(s, u),
                Statement::RateBased(rb) => {
                    if matches!(&rb.aggregate, Aggregate::Custom(keys) if keys.iter().any(|k| matches!(k, CustomKey::Asn)))
                    {
                        u.asn = true;
                    }
                    if let Some(sd) = &rb.scope_down {
                        walk(sd, u);
                    }
                }
                Statement::Managed(g) => {
                    if let Some(sd) = &g.scope_down {
                        walk(sd, u);
                    }
                }
                _ => {}
            }
        }
        let mut u = GeoUses::default();
        let groups = self.engine.resources.rule_groups.values().flat_map(|g| &g.rules);
        for r in self.engine.acl.rules.iter().chain(groups) {
            walk(&r.statement, &mut u);
        }
        u
    }

    /// Gives the engine an offline geo database (or takes it away with `None`): GeoMatch and
    /// AsnMatch use it for requests that carry no `country` / `asn`.
    pub fn set_geo_db(&mut self, db: Option<Arc<GeoDb>>) {
        self.engine.geo = db;
    }
}

/// Which countries and ASNs an ACL's statements read.
#[derive(Debug, Default, Clone, Copy)]
struct GeoUses {
    country: bool,
    forwarded_country: bool,
    asn: bool,
    forwarded_asn: bool,
}

fn parse_context(v: &Value, request_ts: Option<u64>) -> Result<Context, WafError> {
    let mut ctx = Context { timestamp_ms: request_ts, ..Context::default() };
    if v.is_null() {
        return Ok(ctx);
    }
    let o = Obj::new(v, "/context", &["timestamp", "tokens"])?;
    if let Some(ts) = o.opt_i64("timestamp")? {
        ctx.timestamp_ms = u64::try_from(ts).ok();
    }
    if let Some(t) = o.opt("tokens") {
        let t = Obj::new(t, &o.at("tokens"), &["captcha", "challenge"])?;
        let read = |name: &str| -> Result<Option<u64>, WafError> {
            match t.opt(name) {
                None | Some(Value::Bool(false)) => Ok(None),
                Some(Value::Bool(true)) => Ok(Some(ctx.timestamp_ms.unwrap_or(0))),
                Some(n) => n.as_u64().map(Some).ok_or_else(|| WafError::WrongType {
                    pointer: t.at(name),
                    expected: "epoch milliseconds or a boolean".to_owned(),
                }),
            }
        };
        ctx.captcha_solved_ms = read("captcha")?;
        ctx.challenge_solved_ms = read("challenge")?;
    }
    Ok(ctx)
}

/// `detectSqli(input, sensitivity?)`.
pub fn detect_sqli(input: &str, sensitivity: Option<&str>) -> Result<bool, WafError> {
    let s = match sensitivity {
        None | Some("LOW") => Sensitivity::Low,
        Some("HIGH") => Sensitivity::High,
        Some(other) => {
            return Err(WafError::constraint(
                "/sensitivity",
                other,
                "Member must satisfy enum value set: [LOW, HIGH]".to_owned(),
            ));
        }
    };
    Ok(sqli::is_sqli(input.as_bytes(), s))
}

/// Explains a SQLi verdict: `{sqli, pattern?, tokens?, context?, stream}` where `stream` is
/// the token stream (`{kind, text}`) of the context that fired (or of the raw input).
pub fn explain_sqli(input: &str, sensitivity: Option<&str>) -> Result<Value, WafError> {
    let s = if sensitivity == Some("HIGH") { Sensitivity::High } else { Sensitivity::Low };
    detect_sqli(input, sensitivity)?;
    let stream = |quote: Option<u8>| -> Vec<Value> {
        sqli::tokenize::tokenize(input.as_bytes(), quote)
            .into_iter()
            .take(200)
            .map(|t| {
                let kind = format!("{:?}", t.kind);
                let kind = kind.split(' ').next().unwrap_or_default().to_owned();
                json!({"kind": kind, "text": t.text})
            })
            .collect()
    };
    Ok(match sqli::detect(input.as_bytes(), s) {
        Some(f) => {
            let quote = match f.context {
                "single-quote" => Some(b'\''),
                "double-quote" => Some(b'"'),
                _ => None,
            };
            json!({"sqli": true, "pattern": f.pattern, "tokens": f.tokens, "context": f.context, "stream": stream(quote)})
        }
        None => json!({"sqli": false, "stream": stream(None)}),
    })
}

/// `detectXss(input)`.
pub fn detect_xss(input: &str) -> bool {
    xss::is_xss(input.as_bytes())
}

/// Explains an XSS verdict: `{xss, pattern?, matched?}`.
pub fn explain_xss(input: &str) -> Value {
    match xss::detect(input.as_bytes()) {
        Some(f) => json!({"xss": true, "pattern": f.pattern, "matched": f.matched}),
        None => json!({"xss": false}),
    }
}

/// `applyTransformations(input, [{Type, Priority}])`; non-UTF-8 results are shown lossily.
pub fn apply_transformations(input: &str, transformations: &Value) -> Result<String, WafError> {
    let doc = value_or_text(transformations)?;
    let items = as_array(&doc, "")?;
    let mut list: Vec<(i64, Transformation)> = Vec::new();
    let names: Vec<&str> = super::transform::ALL.iter().map(|(n, _)| *n).collect();
    for (v, p) in items {
        let o = Obj::new(v, &p, &["Type", "Priority"])?;
        let ty = o.req_enum("Type", &names)?;
        let prio = o.opt_i64("Priority")?.unwrap_or(i64::try_from(list.len()).unwrap_or(0));
        list.push((prio, Transformation::from_aws(ty).unwrap_or(Transformation::None)));
    }
    list.sort_by_key(|(p, _)| *p);
    let ts: Vec<Transformation> = list.into_iter().map(|(_, t)| t).collect();
    Ok(String::from_utf8_lossy(&apply_all(input.as_bytes(), &ts)).into_owned())
}

/// Like `error_value`, adding `line`/`column` (and `endLine`/`endColumn`, just after the
/// value) of the pointed member, of the first error and of each one in `errors`, when the JSON text the errors refer to is given, so an editor can
/// underline them.
pub fn error_value_in(e: &WafError, source: &str) -> Value {
    let mut v = error_value(e);
    // The text parsed once already; nesting as deep as `serde_json` reads (128).
    let Ok(doc) = parse_json_nested(source, 128) else {
        return v;
    };
    let place = |m: &mut Map<String, Value>| {
        if let Some(at) = m.get("pointer").and_then(Value::as_str).and_then(|p| doc.locate_span(p)) {
            m.insert("line".to_owned(), json!(at.start.line));
            m.insert("column".to_owned(), json!(at.start.column));
            m.insert("endLine".to_owned(), json!(at.end.line));
            m.insert("endColumn".to_owned(), json!(at.end.column));
        }
    };
    if let Value::Object(m) = &mut v {
        place(m);
        if let Some(Value::Array(list)) = m.get_mut("errors") {
            for item in list.iter_mut() {
                if let Value::Object(one) = item {
                    place(one);
                }
            }
        }
    }
    v
}

/// An error as the JS boundary shows it: `{ok: false, code, message, pointer?, errors, more}`.
/// `code`, `message` and `pointer` are the first error's (`message` says how many more there
/// are); `errors` lists every error found (`{code, message, pointer?}`, at most
/// [`super::error::MAX_ERRORS`]) and `more` counts those beyond.
pub fn error_value(e: &WafError) -> Value {
    let mut m = one_error(e);
    m.insert("ok".to_owned(), Value::Bool(false));
    m.insert("message".to_owned(), Value::String(e.to_string()));
    m.insert(
        "errors".to_owned(),
        Value::Array(e.all().iter().map(|one| Value::Object(one_error(one))).collect()),
    );
    m.insert("more".to_owned(), json!(e.more()));
    Value::Object(m)
}

fn one_error(e: &WafError) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("code".to_owned(), Value::String(e.code().to_owned()));
    m.insert("message".to_owned(), Value::String(e.all().first().unwrap_or(e).to_string()));
    if let Some(p) = e.pointer() {
        m.insert("pointer".to_owned(), Value::String(p.to_owned()));
    }
    if let WafError::MalformedJson { line, column, .. } = e {
        m.insert("line".to_owned(), json!(line));
        m.insert("column".to_owned(), json!(column));
    }
    m
}
