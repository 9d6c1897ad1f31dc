//! Statement evaluation for one request: field extraction and transformations, the match
//! tests of every statement kind, labels added by geo matching, and rate-based counting. The
//! rule loop and actions are in `flow`.

use std::borrow::Cow;
use std::net::IpAddr;

use crate::waf::field::FieldToMatch;
use crate::waf::log::*;
use crate::waf::model::*;
use crate::waf::transform::{apply_all, Transformation};

use crate::waf::{sqli, xss};

use super::flow::{lossy, Run, Scope};

fn word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// ByteMatch with AWS's positional constraints; CONTAINS_WORD needs non-word characters (or
/// the ends) on both sides.
pub fn byte_match(hay: &[u8], needle: &[u8], position: Positional) -> bool {
    match position {
        Positional::Exactly => hay == needle,
        Positional::StartsWith => hay.starts_with(needle),
        Positional::EndsWith => hay.ends_with(needle),
        Positional::Contains => needle.is_empty() || occurrences(hay, needle).next().is_some(),
        Positional::ContainsWord => {
            if needle.is_empty() || needle.len() > hay.len() {
                return false;
            }
            occurrences(hay, needle).any(|i| {
                (i == 0 || hay.get(i - 1).is_some_and(|b| !word_byte(*b)))
                    && hay.get(i + needle.len()).is_none_or(|b| !word_byte(*b))
            })
        }
    }
}

/// Where `needle` (not empty) starts in `hay`, in order: candidates are the places of its first
/// byte (found by `memchr`), each then compared in full, so no window is compared that cannot
/// match (the same positions as trying every window).
fn occurrences<'h>(hay: &'h [u8], needle: &'h [u8]) -> impl Iterator<Item = usize> + 'h {
    let first = needle.first().copied().unwrap_or_default();
    memchr::memchr_iter(first, hay)
        .filter(move |&i| hay.get(i..).is_some_and(|rest| rest.starts_with(needle)))
}

impl Run<'_> {
    #[allow(clippy::too_many_lines)]
    pub(super) fn statement(
        &mut self,
        st: &Statement,
        scope: Scope<'_>,
        rule: &str,
        path: &str,
        trace: &mut Vec<StatementTrace>,
        details: &mut Vec<MatchDetail>,
    ) -> bool {
        // Without tracing, statement paths are never shown: none is built.
        let tracing = self.trace;
        let join = |name: &str| {
            if !tracing {
                String::new()
            } else if path.is_empty() {
                name.to_owned()
            } else {
                format!("{path}/{name}")
            }
        };
        let sub = |p: &str, i: usize| if tracing { format!("{p}/{i}") } else { String::new() };
        match st {
            Statement::And(list) => {
                let p = join("AndStatement");
                list.iter()
                    .enumerate()
                    .all(|(i, s)| self.statement(s, scope, rule, &sub(&p, i), trace, details))
            }
            Statement::Or(list) => {
                let p = join("OrStatement");
                list.iter()
                    .enumerate()
                    .any(|(i, s)| self.statement(s, scope, rule, &sub(&p, i), trace, details))
            }
            Statement::Not(s) => {
                let mut inner_details = Vec::new();
                !self.statement(s, scope, rule, &join("NotStatement"), trace, &mut inner_details)
            }
            Statement::ByteMatch(bm) => {
                let (search, position) = (&bm.search, bm.position);
                self.inspect(&bm.inspect, &join("ByteMatchStatement"), trace, details, |v| {
                    byte_match(v, search, position).then(|| (None, String::new()))
                })
            }
            Statement::Regex(re, _, ins) => {
                self.inspect(ins, &join("RegexMatchStatement"), trace, details, |v| {
                    re.find(v).map(|m| (None, format!("matched `{}`", lossy(m.as_bytes()))))
                })
            }
            Statement::RegexSet(arn, ins) => {
                // `res` outlives this borrow of `self`: the patterns are read in place.
                let res = self.res;
                let Some(set) = res.regex_sets.get(arn) else {
                    return false;
                };
                let pats = &set.patterns;
                self.inspect(ins, &join("RegexPatternSetReferenceStatement"), trace, details, |v| {
                    pats.iter()
                        .find(|(_, re)| re.is_match(v))
                        .map(|(src, _)| (None, format!("pattern `{src}`")))
                })
            }
            Statement::Sqli(ins, sens) => {
                let sens = *sens;
                let loc = ins.field.location();
                self.inspect(ins, &join("SqliMatchStatement"), trace, details, |v| {
                    sqli::detect(v, sens).map(|f| {
                        let d = MatchDetail {
                            condition_type: "SQL_INJECTION".to_owned(),
                            sensitivity_level: Some(
                                if sens == Sensitivity::High { "HIGH" } else { "LOW" }.to_owned(),
                            ),
                            location: loc.to_owned(),
                            matched_data: f.tokens.clone(),
                            pattern: f.pattern.to_owned(),
                        };
                        (Some(d), format!("{} ({} context)", f.pattern, f.context))
                    })
                })
            }
            Statement::Xss(ins) => {
                let loc = ins.field.location();
                self.inspect(ins, &join("XssMatchStatement"), trace, details, |v| {
                    xss::detect(v).map(|f| {
                        let d = MatchDetail {
                            condition_type: "XSS".to_owned(),
                            sensitivity_level: None,
                            location: loc.to_owned(),
                            matched_data: vec![f.matched.clone()],
                            pattern: f.pattern.to_owned(),
                        };
                        (Some(d), f.pattern.to_owned())
                    })
                })
            }
            Statement::Size(ins, op, size) => {
                let (op, size) = (*op, *size);
                self.inspect(ins, &join("SizeConstraintStatement"), trace, details, |v| {
                    let n = u64::try_from(v.len()).unwrap_or(u64::MAX);
                    op.holds(n, size).then(|| (None, format!("size {n}")))
                })
            }
            Statement::Geo(codes, fwd) => {
                let (ip, supplied, source) = match fwd {
                    None => (self.req.client_ip, self.req.country.as_ref(), "clientip"),
                    Some(f) => match self.req.forwarded_ips(&f.header).and_then(|l| l.first().copied()) {
                        Some(ip) => (ip, self.req.forwarded_country.as_ref(), "forwardedip"),
                        None => {
                            let m = f.fallback_match;
                            trace.push(StatementTrace {
                                path: join("GeoMatchStatement"),
                                matched: m,
                                inspected: Vec::new(),
                                note: format!(
                                    "no valid address in `{}`: fallback {}",
                                    f.header,
                                    if m { "MATCH" } else { "NO_MATCH" }
                                ),
                            });
                            return m;
                        }
                    },
                };
                let (country, origin) = self.country_of(ip, supplied);
                if let Some(c) = &country {
                    self.pending.push(format!("awswaf:{source}:geo:country:{c}"));
                    if let Some(r) = &self.req.region {
                        let region = if r.contains('-') { r.clone() } else { format!("{c}-{r}") };
                        self.pending.push(format!("awswaf:{source}:geo:region:{region}"));
                    }
                }
                let matched = country.as_ref().is_some_and(|c| codes.contains(c));
                // The statement trace reaches the record only with the per-rule trace: without it
                // (the log replay), none is built.
                if self.rule_trace {
                    let note = self.origin_note("country", country.as_deref(), ip, origin);
                    trace.push(StatementTrace {
                        path: join("GeoMatchStatement"),
                        matched,
                        inspected: vec![Inspected {
                            part: source.to_owned(),
                            value: country.unwrap_or_default(),
                        }],
                        note,
                    });
                }
                matched
            }
            Statement::Asn(list, fwd) => {
                let (ip, supplied) = match fwd {
                    None => (self.req.client_ip, self.req.asn),
                    Some(f) => match self.req.forwarded_ips(&f.header).and_then(|l| l.first().copied()) {
                        Some(ip) => (ip, self.req.forwarded_asn),
                        None => {
                            trace.push(StatementTrace {
                                path: join("AsnMatchStatement"),
                                matched: f.fallback_match,
                                inspected: Vec::new(),
                                note: "fallback".to_owned(),
                            });
                            return f.fallback_match;
                        }
                    },
                };
                let (asn, origin) = self.asn_of(ip, supplied);
                let matched = asn.is_some_and(|a| list.contains(&a));
                if self.rule_trace {
                    let value = asn.map(|a| a.to_string());
                    let note = self.origin_note("asn", value.as_deref(), ip, origin);
                    trace.push(StatementTrace {
                        path: join("AsnMatchStatement"),
                        matched,
                        inspected: vec![Inspected {
                            part: "asn".to_owned(),
                            value: value.unwrap_or_default(),
                        }],
                        note,
                    });
                }
                matched
            }
            Statement::IpSet(arn, fwd) => {
                let Some(set) = self.res.ip_sets.get(arn) else {
                    return false;
                };
                let (addrs, note): (Vec<IpAddr>, String) = match fwd {
                    None => (vec![self.req.client_ip], String::new()),
                    Some(f) => match self.req.forwarded_ips(&f.config.header) {
                        Some(list) if !list.is_empty() => {
                            let picked: Vec<IpAddr> = match f.position {
                                ForwardedPosition::First => list.first().copied().into_iter().collect(),
                                ForwardedPosition::Last => list.last().copied().into_iter().collect(),
                                ForwardedPosition::Any => list.iter().rev().take(10).copied().collect(),
                            };
                            (picked, format!("from `{}`", f.config.header))
                        }
                        _ => {
                            let m = f.config.fallback_match;
                            trace.push(StatementTrace {
                                path: join("IPSetReferenceStatement"),
                                matched: m,
                                inspected: Vec::new(),
                                note: format!(
                                    "no valid address in `{}`: fallback {}",
                                    f.config.header,
                                    if m { "MATCH" } else { "NO_MATCH" }
                                ),
                            });
                            return m;
                        }
                    },
                };
                let hit = addrs.iter().find_map(|a| set.lookup(*a).map(|net| (a, net)));
                let matched = hit.is_some();
                if self.rule_trace {
                    trace.push(StatementTrace {
                        path: join("IPSetReferenceStatement"),
                        matched,
                        inspected: addrs
                            .iter()
                            .map(|a| Inspected { part: "ip".to_owned(), value: a.to_string() })
                            .collect(),
                        note: hit.map_or(note.clone(), |(a, net)| {
                            format!("{a} in {net} of `{}` {note}", set.name)
                        }),
                    });
                }
                matched
            }
            Statement::LabelMatch(sc, key) => {
                let full = Self::resolve_label(key, scope.namespace);
                let matched = match sc {
                    LabelScope::Label => self.labels.contains(&full),
                    LabelScope::Namespace => {
                        let ns = if full.ends_with(':') { full.clone() } else { format!("{full}:") };
                        self.labels.iter().any(|l| l.starts_with(&ns))
                    }
                };
                if self.rule_trace {
                    trace.push(StatementTrace {
                        path: join("LabelMatchStatement"),
                        matched,
                        inspected: vec![Inspected { part: "key".to_owned(), value: full }],
                        note: String::new(),
                    });
                }
                matched
            }
            Statement::RateBased(rb) => {
                self.rate_based(rb, scope, rule, &join("RateBasedStatement"), trace, details)
            }
            Statement::RuleGroup(_) | Statement::Managed(_) => false,
        }
    }

    pub(super) fn rate_based(
        &mut self,
        rb: &RateBased,
        scope: Scope<'_>,
        rule: &str,
        path: &str,
        trace: &mut Vec<StatementTrace>,
        details: &mut Vec<MatchDetail>,
    ) -> bool {
        if let Some(sd) = &rb.scope_down {
            if !self.statement(sd, scope, rule, &format!("{path}/ScopeDownStatement"), trace, details) {
                trace.push(StatementTrace {
                    path: path.to_owned(),
                    matched: false,
                    inspected: Vec::new(),
                    note: "scope-down did not match: not counted".to_owned(),
                });
                return false;
            }
        }
        let forwarded = || -> Option<String> {
            let f = rb.forwarded.as_ref()?;
            self.req.forwarded_ips(&f.header).and_then(|l| l.first().map(ToString::to_string))
        };
        let (limit_key, key): (&str, Option<Vec<String>>) = match &rb.aggregate {
            Aggregate::Ip => ("IP", Some(vec![self.req.client_ip.to_string()])),
            Aggregate::Constant => ("CONSTANT", Some(vec!["*".to_owned()])),
            Aggregate::ForwardedIp => match forwarded() {
                Some(ip) => ("FORWARDEDIP", Some(vec![ip])),
                None => {
                    let m = rb.forwarded.as_ref().is_some_and(|f| f.fallback_match);
                    trace.push(StatementTrace {
                        path: path.to_owned(),
                        matched: m,
                        inspected: Vec::new(),
                        note: "no forwarded address: fallback".to_owned(),
                    });
                    return m;
                }
            },
            Aggregate::Custom(keys) => {
                let mut parts = Vec::new();
                for k in keys {
                    match self.custom_key(k, scope, forwarded()) {
                        Some(v) => parts.push(v),
                        None => {
                            trace.push(StatementTrace {
                                path: path.to_owned(),
                                matched: false,
                                inspected: Vec::new(),
                                note: "a custom key is missing from the request: not counted".to_owned(),
                            });
                            return false;
                        }
                    }
                }
                ("CUSTOMKEYS", Some(parts))
            }
        };
        let Some(key) = key else { return false };
        let id = format!("{}/{rule}", scope.group.unwrap_or(""));
        let (count, matched) = self.rate.record_match(&id, key.clone(), self.now, rb.window_sec, rb.limit);
        if self.rule_trace {
            trace.push(StatementTrace {
                path: path.to_owned(),
                matched,
                inspected: vec![Inspected { part: limit_key.to_owned(), value: key.join(" ") }],
                note: format!("{count} request(s) in the last {} s, limit {}", rb.window_sec, rb.limit),
            });
        }
        if matched {
            self.rate_hits.push(RateEntry {
                rate_based_rule_id: rule.to_owned(),
                rate_based_rule_name: rule.to_owned(),
                limit_key: limit_key.to_owned(),
                max_rate_allowed: rb.limit,
                evaluation_window_sec: rb.window_sec,
                limit_value: key.join(","),
                count,
            });
        }
        matched
    }

    pub(super) fn custom_key(
        &self,
        k: &CustomKey,
        scope: Scope<'_>,
        forwarded: Option<String>,
    ) -> Option<String> {
        let t = |v: &str, tr: &[Transformation]| lossy(&apply_all(v.as_bytes(), tr));
        match k {
            CustomKey::Header(n, tr) => self.req.header_values(n).next().map(|v| t(v, tr)),
            CustomKey::Cookie(n, tr) => {
                self.req.cookies().into_iter().find(|(c, _)| c == n).map(|(_, v)| t(v, tr))
            }
            CustomKey::QueryArgument(n, tr) => self
                .req
                .query_args()
                .into_iter()
                .find(|(a, _)| a.eq_ignore_ascii_case(n))
                .map(|(_, v)| t(v, tr)),
            CustomKey::QueryString(tr) => Some(self.req.query()).filter(|q| !q.is_empty()).map(|q| t(q, tr)),
            CustomKey::UriPath(tr) => Some(t(self.req.path(), tr)),
            CustomKey::HttpMethod => Some(self.req.method.clone()),
            CustomKey::Ip => Some(self.req.client_ip.to_string()),
            CustomKey::ForwardedIp => forwarded,
            CustomKey::Asn => self.asn_of(self.req.client_ip, self.req.asn).0.map(|a| a.to_string()),
            CustomKey::Fingerprint(ja3) => {
                if *ja3 {
                    self.req.ja3.clone()
                } else {
                    self.req.ja4.clone()
                }
            }
            CustomKey::LabelNamespace(ns) => {
                let full = Self::resolve_label(ns, scope.namespace);
                let found: Vec<&String> = self.labels.iter().filter(|l| l.starts_with(&full)).collect();
                if found.is_empty() {
                    None
                } else {
                    Some(found.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(","))
                }
            }
        }
    }

    /// Extracts, transforms and tests a field. `test` returns a match detail and a note.
    pub(super) fn inspect(
        &mut self,
        ins: &Inspect,
        path: &str,
        trace: &mut Vec<StatementTrace>,
        details: &mut Vec<MatchDetail>,
        mut test: impl FnMut(&[u8]) -> Option<(Option<MatchDetail>, String)>,
    ) -> bool {
        // Pre-parse transformations only concern query-argument fields, never single parts.
        if let Some((part, bytes)) = ins.field.single_part(self.req, self.body_limit) {
            return self.inspect_one(ins, part, bytes, path, trace, details, test);
        }
        let x = ins.field.extract_with(self.req, self.body_limit, &ins.pre_parse);
        if x.oversize {
            if let Some(name) = ins.field.oversize_name() {
                self.oversize.insert(name);
            }
        }
        let mut st = StatementTrace { path: path.to_owned(), ..StatementTrace::default() };
        if let Some(forced) = x.forced {
            st.matched = forced;
            st.note = if x.oversize {
                format!("oversize: handled as {}", if forced { "MATCH" } else { "NO_MATCH" })
            } else {
                format!("fallback: {}", if forced { "MATCH" } else { "NO_MATCH" })
            };
            trace.push(st);
            return forced;
        }
        if x.parts.is_empty() {
            st.note = match &ins.field {
                FieldToMatch::SingleHeader(n) => format!("header `{n}` is absent"),
                FieldToMatch::SingleQueryArgument(n) => format!("query argument `{n}` is absent"),
                _ => "nothing to inspect".to_owned(),
            };
        }
        let mut matched = false;
        for (part, bytes) in &x.parts {
            let value = apply_all(bytes, &ins.transformations);
            if self.trace {
                st.inspected.push(Inspected { part: part.to_string(), value: lossy(&value) });
            }
            if let Some((detail, note)) = test(&value) {
                matched = true;
                st.note = if part.is_empty() { note } else { format!("{note} in `{part}`") };
                if let Some(d) = detail {
                    details.push(d);
                }
                break;
            }
        }
        st.matched = matched;
        if self.trace {
            trace.push(st);
        }
        matched
    }

    /// `inspect` for a field that is one part (see `FieldToMatch::single_part`): the same trace,
    /// note and outcome as the general loop gives for one part, with the transformed value taken
    /// from (or kept in) the request's memo.
    #[allow(clippy::too_many_arguments)]
    fn inspect_one(
        &mut self,
        ins: &Inspect,
        part: &str,
        bytes: &[u8],
        path: &str,
        trace: &mut Vec<StatementTrace>,
        details: &mut Vec<MatchDetail>,
        mut test: impl FnMut(&[u8]) -> Option<(Option<MatchDetail>, String)>,
    ) -> bool {
        let memo = std::mem::take(&mut self.memo);
        let mut computed: Option<Cow<'_, [u8]>> = None;
        let value: &[u8] = if ins.transformations.iter().all(|t| *t == Transformation::None) {
            bytes
        } else {
            match memo.get(&ins.field, &ins.transformations) {
                Some(v) => v,
                None => computed.insert(apply_all(bytes, &ins.transformations)),
            }
        };
        let mut st = StatementTrace { path: path.to_owned(), ..StatementTrace::default() };
        if self.trace {
            st.inspected.push(Inspected { part: part.to_owned(), value: lossy(value) });
        }
        if let Some((detail, note)) = test(value) {
            st.matched = true;
            st.note = if part.is_empty() { note } else { format!("{note} in `{part}`") };
            if let Some(d) = detail {
                details.push(d);
            }
        }
        let matched = st.matched;
        if self.trace {
            trace.push(st);
        }
        self.memo = memo;
        if let Some(Cow::Owned(v)) = computed {
            self.memo.put(&ins.field, &ins.transformations, v);
        }
        matched
    }
}
