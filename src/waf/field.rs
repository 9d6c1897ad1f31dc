//! `FieldToMatch`: which part of a request a statement inspects, how it is parsed from AWS
//! JSON, and how it is extracted from a request (with oversize handling and the body
//! inspection limit). Transformations and matching are elsewhere (`transform`, `eval`).

use std::borrow::Cow;

use serde_json::Value;

use super::error::{WafError, EXACTLY_ONE};
use super::jsonbody;
use super::model::PreParse;
use super::reader::{as_str, check_chars, check_items, check_len, Obj};
use super::request::Request;
use super::transform::Transformation;

/// Limit on the size of headers or cookies AWS inspects.
pub const MAP_BYTES_LIMIT: usize = 8 * 1024;
/// Limit on the number of headers or cookies AWS inspects.
pub const MAP_ITEMS_LIMIT: usize = 200;

/// `OversizeHandling`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Oversize {
    /// Inspect what is within the limit.
    Continue,
    /// Treat the statement as matching.
    Match,
    /// Treat the statement as not matching.
    NoMatch,
}

/// `MatchScope`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Keys and values.
    All,
    /// Keys only.
    Key,
    /// Values only.
    Value,
}

/// Header or cookie `MatchPattern`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MapPattern {
    /// `All`.
    All,
    /// `IncludedHeaders` / `IncludedCookies`.
    Included(Vec<String>),
    /// `ExcludedHeaders` / `ExcludedCookies`.
    Excluded(Vec<String>),
}

/// `InvalidFallbackBehavior`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonFallback {
    /// Treat as matching.
    Match,
    /// Treat as not matching.
    NoMatch,
    /// Inspect the body as plain text.
    EvaluateAsString,
}

/// `JsonBody`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonBody {
    /// `IncludedPaths` (JSON pointers); `None` = `All`.
    pub included: Option<Vec<String>>,
    /// `MatchScope`.
    pub scope: Scope,
    /// `InvalidFallbackBehavior`.
    pub fallback: Option<JsonFallback>,
    /// `OversizeHandling`.
    pub oversize: Oversize,
}

/// `FieldToMatch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldToMatch {
    /// `SingleHeader{Name}` (lowercased).
    SingleHeader(String),
    /// `SingleQueryArgument{Name}` (lowercased).
    SingleQueryArgument(String),
    /// `AllQueryArguments`.
    AllQueryArguments,
    /// `UriPath`.
    UriPath,
    /// `QueryString`.
    QueryString,
    /// `Body{OversizeHandling}`.
    Body(Oversize),
    /// `Method`.
    Method,
    /// `JsonBody`.
    JsonBody(JsonBody),
    /// `Headers`.
    Headers(MapPattern, Scope, Oversize),
    /// `Cookies`.
    Cookies(MapPattern, Scope, Oversize),
    /// `HeaderOrder`.
    HeaderOrder(Oversize),
    /// `JA3Fingerprint{FallbackBehavior}` (true = MATCH).
    Ja3(bool),
    /// `JA4Fingerprint{FallbackBehavior}` (true = MATCH).
    Ja4(bool),
    /// `UriFragment{FallbackBehavior}` (true = MATCH).
    UriFragment(bool),
}

const KINDS: &[&str] = &[
    "SingleHeader",
    "SingleQueryArgument",
    "AllQueryArguments",
    "UriPath",
    "QueryString",
    "Body",
    "Method",
    "JsonBody",
    "Headers",
    "Cookies",
    "HeaderOrder",
    "JA3Fingerprint",
    "JA4Fingerprint",
    "UriFragment",
];

const OVERSIZE: &[&str] = &["CONTINUE", "MATCH", "NO_MATCH"];
const SCOPES: &[&str] = &["ALL", "KEY", "VALUE"];

fn oversize(s: Option<&str>) -> Oversize {
    match s {
        Some("MATCH") => Oversize::Match,
        Some("NO_MATCH") => Oversize::NoMatch,
        _ => Oversize::Continue,
    }
}

fn scope(s: &str) -> Scope {
    match s {
        "KEY" => Scope::Key,
        "VALUE" => Scope::Value,
        _ => Scope::All,
    }
}

fn name_data(o: &Obj<'_>) -> Result<String, WafError> {
    let name = o.req_str("Name")?;
    check_len(name, &o.at("Name"), 1, 64)?;
    Ok(name.to_ascii_lowercase())
}

fn fallback(o: &Obj<'_>, required: bool) -> Result<bool, WafError> {
    let v = if required {
        Some(o.req_enum("FallbackBehavior", &["MATCH", "NO_MATCH"])?)
    } else {
        o.opt_enum("FallbackBehavior", &["MATCH", "NO_MATCH"])?
    };
    Ok(v == Some("MATCH"))
}

fn map_pattern(
    v: &Value,
    pointer: &str,
    all: &'static [&'static str],
    included: &str,
    excluded: &str,
) -> Result<MapPattern, WafError> {
    let o = Obj::new(v, pointer, all)?;
    let present = o.present();
    if present.len() != 1 {
        return Err(WafError::invalid(pointer, EXACTLY_ONE, "MATCH_PATTERN", "MatchPattern"));
    }
    let names = |key: &str| -> Result<Vec<String>, WafError> {
        let items = o.req_array(key)?;
        check_items(items.len(), &o.at(key), 1, 199)?;
        items
            .iter()
            .map(|(v, p)| {
                let s = as_str(v, p)?;
                check_len(s, p, 1, 64)?;
                Ok(s.to_owned())
            })
            .collect()
    };
    if o.has("All") {
        Obj::new(o.req("All")?, &o.at("All"), &[])?;
        Ok(MapPattern::All)
    } else if o.has(included) {
        Ok(MapPattern::Included(names(included)?))
    } else {
        Ok(MapPattern::Excluded(names(excluded)?))
    }
}

impl FieldToMatch {
    /// Parses a `FieldToMatch` object.
    pub fn parse(v: &Value, pointer: &str) -> Result<Self, WafError> {
        let o = Obj::new(v, pointer, KINDS)?;
        let present = o.present();
        let [kind] = present.as_slice() else {
            return Err(WafError::invalid(pointer, EXACTLY_ONE, "FIELD_TO_MATCH", "FieldToMatch"));
        };
        let inner_ptr = o.at(kind);
        let inner = o.req(kind)?;
        let empty = |allowed: &'static [&'static str]| Obj::new(inner, &inner_ptr, allowed);
        Ok(match *kind {
            "SingleHeader" => Self::SingleHeader(name_data(&empty(&["Name"])?)?),
            "SingleQueryArgument" => Self::SingleQueryArgument(name_data(&empty(&["Name"])?)?),
            "AllQueryArguments" => {
                empty(&[])?;
                Self::AllQueryArguments
            }
            "UriPath" => {
                empty(&[])?;
                Self::UriPath
            }
            "QueryString" => {
                empty(&[])?;
                Self::QueryString
            }
            "Method" => {
                empty(&[])?;
                Self::Method
            }
            "Body" => {
                let b = empty(&["OversizeHandling"])?;
                Self::Body(oversize(b.opt_enum("OversizeHandling", OVERSIZE)?))
            }
            "HeaderOrder" => {
                let b = empty(&["OversizeHandling"])?;
                Self::HeaderOrder(oversize(Some(b.req_enum("OversizeHandling", OVERSIZE)?)))
            }
            "JA3Fingerprint" => Self::Ja3(fallback(&empty(&["FallbackBehavior"])?, true)?),
            "JA4Fingerprint" => Self::Ja4(fallback(&empty(&["FallbackBehavior"])?, true)?),
            "UriFragment" => Self::UriFragment(fallback(&empty(&["FallbackBehavior"])?, false)?),
            "Headers" | "Cookies" => {
                let b = empty(&["MatchPattern", "MatchScope", "OversizeHandling"])?;
                let headers = *kind == "Headers";
                let (all, inc, exc): (&'static [&'static str], _, _) = if headers {
                    (&["All", "IncludedHeaders", "ExcludedHeaders"], "IncludedHeaders", "ExcludedHeaders")
                } else {
                    (&["All", "IncludedCookies", "ExcludedCookies"], "IncludedCookies", "ExcludedCookies")
                };
                let pattern = map_pattern(b.req("MatchPattern")?, &b.at("MatchPattern"), all, inc, exc)?;
                let sc = scope(b.req_enum("MatchScope", SCOPES)?);
                let ov = oversize(Some(b.req_enum("OversizeHandling", OVERSIZE)?));
                if headers {
                    Self::Headers(pattern, sc, ov)
                } else {
                    Self::Cookies(pattern, sc, ov)
                }
            }
            _ => {
                let b =
                    empty(&["MatchPattern", "MatchScope", "InvalidFallbackBehavior", "OversizeHandling"])?;
                let mp_ptr = b.at("MatchPattern");
                let mp = Obj::new(b.req("MatchPattern")?, &mp_ptr, &["All", "IncludedPaths"])?;
                if mp.present().len() != 1 {
                    return Err(WafError::invalid(&mp_ptr, EXACTLY_ONE, "MATCH_PATTERN", "JsonMatchPattern"));
                }
                let included = if mp.has("All") {
                    Obj::new(mp.req("All")?, &mp.at("All"), &[])?;
                    None
                } else {
                    let items = mp.req_array("IncludedPaths")?;
                    check_items(items.len(), &mp.at("IncludedPaths"), 1, usize::MAX)?;
                    let mut paths = Vec::new();
                    for (v, p) in items {
                        let s = as_str(v, &p)?;
                        check_len(s, &p, 1, 512)?;
                        if !s.starts_with('/') || s.contains("~2") {
                            check_chars(s, &p, "([/])|([/](([^~])|(~[01]))+)", |_| false)?;
                        }
                        paths.push(s.to_owned());
                    }
                    Some(paths)
                };
                let fb =
                    b.opt_enum("InvalidFallbackBehavior", &["MATCH", "NO_MATCH", "EVALUATE_AS_STRING"])?;
                Self::JsonBody(JsonBody {
                    included,
                    scope: scope(b.req_enum("MatchScope", SCOPES)?),
                    fallback: fb.map(|f| match f {
                        "MATCH" => JsonFallback::Match,
                        "NO_MATCH" => JsonFallback::NoMatch,
                        _ => JsonFallback::EvaluateAsString,
                    }),
                    oversize: oversize(b.opt_enum("OversizeHandling", OVERSIZE)?),
                })
            }
        })
    }

    /// The `location` AWS writes in `terminatingRuleMatchDetails`.
    pub fn location(&self) -> &'static str {
        match self {
            Self::SingleHeader(_) | Self::Headers(..) => "HEADER",
            Self::SingleQueryArgument(_) => "SINGLE_QUERY_ARG",
            Self::AllQueryArguments => "ALL_QUERY_ARGS",
            Self::UriPath => "URI",
            Self::QueryString => "QUERY_STRING",
            Self::Body(_) | Self::JsonBody(_) => "BODY",
            Self::Method => "METHOD",
            Self::Cookies(..) => "COOKIES",
            Self::HeaderOrder(_) => "HEADER_ORDER",
            Self::Ja3(_) => "JA3_FINGERPRINT",
            Self::Ja4(_) => "JA4_FINGERPRINT",
            Self::UriFragment(_) => "URI_FRAGMENT",
        }
    }

    /// Whether this field is the body (for oversize reporting).
    pub fn oversize_name(&self) -> Option<&'static str> {
        match self {
            Self::Body(_) | Self::JsonBody(_) => Some("REQUEST_BODY"),
            Self::Headers(..) | Self::HeaderOrder(_) => Some("REQUEST_HEADERS"),
            Self::Cookies(..) => Some("REQUEST_COOKIES"),
            _ => None,
        }
    }

    /// The one part `extract` yields for the fields most rules inspect (URI path, query string,
    /// method, a present single header, a body within the inspection limit, present
    /// fingerprints and fragment), borrowed, without building a list: `None` where `extract`
    /// could yield anything else (several parts, none, a forced result, oversize).
    pub fn single_part<'a>(&'a self, req: &'a Request, body_limit: usize) -> Option<(&'a str, &'a [u8])> {
        match self {
            Self::UriPath => Some(("", req.path().as_bytes())),
            Self::QueryString => Some(("", req.query().as_bytes())),
            Self::Method => Some(("", req.method.as_bytes())),
            Self::SingleHeader(name) => req.header_values(name).next().map(|v| (name.as_str(), v.as_bytes())),
            Self::Body(_) if req.body.len() <= body_limit => Some(("", req.body.as_slice())),
            Self::Ja3(_) => req.ja3.as_deref().map(|v| ("", v.as_bytes())),
            Self::Ja4(_) => req.ja4.as_deref().map(|v| ("", v.as_bytes())),
            Self::UriFragment(_) => req.fragment().map(|f| ("", f.as_bytes())),
            _ => None,
        }
    }

    /// Extracts the inspected parts from `req`, with pre-parse transformations for query
    /// arguments.
    pub fn extract_with<'a>(
        &'a self,
        req: &'a Request,
        body_limit: usize,
        pre: &[PreParse],
    ) -> Extracted<'a> {
        if pre.is_empty() || !matches!(self, Self::SingleQueryArgument(_) | Self::AllQueryArguments) {
            return self.extract(req, body_limit);
        }
        let mut x = Extracted::default();
        for (n, v) in pre_parsed_args(req.query(), pre) {
            let keep = match self {
                Self::SingleQueryArgument(name) => n.eq_ignore_ascii_case(name),
                _ => true,
            };
            if keep {
                x.parts.push((Cow::Owned(n), Cow::Owned(v.into_bytes())));
            }
        }
        x
    }

    /// Extracts the inspected parts from `req` (borrowed from it where they are its own text).
    pub fn extract<'a>(&'a self, req: &'a Request, body_limit: usize) -> Extracted<'a> {
        let mut x = Extracted::default();
        match self {
            Self::SingleHeader(name) => {
                if let Some(v) = req.header_values(name).next() {
                    x.push(name, v.as_bytes());
                }
            }
            Self::SingleQueryArgument(name) => {
                for (n, v) in req.query_args() {
                    if n.eq_ignore_ascii_case(name) {
                        x.push(n, v.as_bytes());
                    }
                }
            }
            Self::AllQueryArguments => {
                for (n, v) in req.query_args() {
                    x.push(n, v.as_bytes());
                }
            }
            Self::UriPath => x.push("", req.path().as_bytes()),
            Self::QueryString => x.push("", req.query().as_bytes()),
            Self::Method => x.push("", req.method.as_bytes()),
            Self::Body(ov) => {
                let over = req.body.len() > body_limit;
                if over {
                    x.oversize = true;
                    if let Some(forced) = forced(*ov) {
                        x.forced = Some(forced);
                        return x;
                    }
                }
                x.push("", req.body.get(..body_limit.min(req.body.len())).unwrap_or_default());
            }
            Self::JsonBody(spec) => json_body(spec, req, body_limit, &mut x),
            Self::Headers(pattern, sc, ov) => {
                let items: Vec<(&str, &str)> =
                    req.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
                map_extract(&items, pattern, *sc, *ov, false, &mut x);
            }
            Self::Cookies(pattern, sc, ov) => {
                map_extract(&req.cookies(), pattern, *sc, *ov, true, &mut x);
            }
            Self::HeaderOrder(ov) => {
                let total: usize = req.headers.iter().map(|(n, v)| n.len() + v.len()).sum();
                let over = total > MAP_BYTES_LIMIT || req.headers.len() > MAP_ITEMS_LIMIT;
                if over {
                    x.oversize = true;
                    if let Some(forced) = forced(*ov) {
                        x.forced = Some(forced);
                        return x;
                    }
                }
                let names: Vec<&str> =
                    req.headers.iter().take(MAP_ITEMS_LIMIT).map(|(n, _)| n.as_str()).collect();
                x.parts.push((Cow::Borrowed(""), Cow::Owned(names.join(":").into_bytes())));
            }
            Self::Ja3(fb) | Self::Ja4(fb) => {
                let v = if matches!(self, Self::Ja3(_)) { &req.ja3 } else { &req.ja4 };
                match v {
                    Some(v) => x.push("", v.as_bytes()),
                    None => x.forced = Some(*fb),
                }
            }
            Self::UriFragment(fb) => match req.fragment() {
                Some(f) => x.push("", f.as_bytes()),
                None => x.forced = Some(*fb),
            },
        }
        x
    }
}

/// The parts of a request a field yields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted<'a> {
    /// Each inspected piece: (sub-location such as a header name, bytes), borrowed from the
    /// request or the field where they can be (no copy per rule).
    pub parts: Vec<(Cow<'a, str>, Cow<'a, [u8]>)>,
    /// A result fixed by oversize handling or a fallback, without inspection.
    pub forced: Option<bool>,
    /// Whether the field was over AWS's inspection limit.
    pub oversize: bool,
}

impl<'a> Extracted<'a> {
    fn push(&mut self, name: &'a str, bytes: &'a [u8]) {
        self.parts.push((Cow::Borrowed(name), Cow::Borrowed(bytes)));
    }
    fn push_owned(&mut self, name: &str, bytes: &[u8]) {
        self.parts.push((Cow::Owned(name.to_owned()), Cow::Owned(bytes.to_vec())));
    }
}

/// Splits a query string after AWS's pre-parse transformations.
fn pre_parsed_args(query: &str, pre: &[PreParse]) -> Vec<(String, String)> {
    let mut q = query.as_bytes().to_vec();
    let mut combine = false;
    for p in pre {
        match p {
            PreParse::UrlDecode => q = Transformation::UrlDecode.apply(&q),
            PreParse::UrlDecodeUni => q = Transformation::UrlDecodeUni.apply(&q),
            PreParse::SemicolonsToAmpersands => {
                for b in &mut q {
                    if *b == b';' {
                        *b = b'&';
                    }
                }
            }
            PreParse::CombineDuplicates => combine = true,
        }
    }
    let text = String::from_utf8_lossy(&q);
    let mut args: Vec<(String, String)> = Vec::new();
    for part in text.split('&').filter(|p| !p.is_empty()) {
        let (n, v) = part.split_once('=').unwrap_or((part, ""));
        match args.iter_mut().find(|(k, _)| combine && k.eq_ignore_ascii_case(n)) {
            Some((_, existing)) => {
                existing.push(',');
                existing.push_str(v);
            }
            None => args.push((n.to_owned(), v.to_owned())),
        }
    }
    args
}

fn forced(ov: Oversize) -> Option<bool> {
    match ov {
        Oversize::Continue => None,
        Oversize::Match => Some(true),
        Oversize::NoMatch => Some(false),
    }
}

fn map_extract<'a>(
    items: &[(&'a str, &'a str)],
    pattern: &MapPattern,
    sc: Scope,
    ov: Oversize,
    case_sensitive: bool,
    x: &mut Extracted<'a>,
) {
    let total: usize = items.iter().map(|(n, v)| n.len() + v.len()).sum();
    if total > MAP_BYTES_LIMIT || items.len() > MAP_ITEMS_LIMIT {
        x.oversize = true;
        if let Some(f) = forced(ov) {
            x.forced = Some(f);
            return;
        }
    }
    let same = |a: &str, b: &str| {
        if case_sensitive {
            a == b
        } else {
            a.eq_ignore_ascii_case(b)
        }
    };
    let mut budget = MAP_BYTES_LIMIT;
    for (n, v) in items.iter().take(MAP_ITEMS_LIMIT) {
        let keep = match pattern {
            MapPattern::All => true,
            MapPattern::Included(names) => names.iter().any(|k| same(k, n)),
            MapPattern::Excluded(names) => !names.iter().any(|k| same(k, n)),
        };
        if !keep {
            continue;
        }
        let used = n.len() + v.len();
        if used > budget {
            break;
        }
        budget -= used;
        if matches!(sc, Scope::All | Scope::Key) {
            x.push(n, n.as_bytes());
        }
        if matches!(sc, Scope::All | Scope::Value) {
            x.push(n, v.as_bytes());
        }
    }
}

fn json_body<'a>(spec: &JsonBody, req: &'a Request, body_limit: usize, x: &mut Extracted<'a>) {
    let over = req.body.len() > body_limit;
    if over {
        x.oversize = true;
        if let Some(f) = forced(spec.oversize) {
            x.forced = Some(f);
            return;
        }
    }
    let body = req.body.get(..body_limit.min(req.body.len())).unwrap_or_default();
    let walk = jsonbody::walk(body);
    if walk.invalid {
        match spec.fallback {
            Some(JsonFallback::Match) => {
                x.forced = Some(true);
                return;
            }
            Some(JsonFallback::NoMatch) => {
                x.forced = Some(false);
                return;
            }
            Some(JsonFallback::EvaluateAsString) => {
                x.push("", body);
                return;
            }
            None => {}
        }
    }
    let included = |p: &str| match &spec.included {
        None => true,
        Some(paths) => paths.iter().any(|inc| {
            inc == "/" || p == inc || p.strip_prefix(inc.as_str()).is_some_and(|r| r.starts_with('/'))
        }),
    };
    if matches!(spec.scope, Scope::All | Scope::Key) {
        for (p, k) in &walk.keys {
            if included(p) {
                x.push_owned(p, k);
            }
        }
    }
    if matches!(spec.scope, Scope::All | Scope::Value) {
        for (p, v) in &walk.values {
            if included(p) {
                x.push_owned(p, v);
            }
        }
    }
}
