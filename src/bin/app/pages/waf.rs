//! The WAF page: a web ACL as AWS writes it, a request pasted as raw HTTP or curl, and what AWS WAF
//! would do: the log record, the per-rule trace, capacity, and the SQLi/XSS explainer. Everything is
//! computed by `secplay::waf`; this component only holds the texts and renders results.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use geo::GeoStatus;
use secplay::waf::examples::{sample_traffic, Example, EXAMPLES};
use secplay::waf::geo::GeoDb;
use secplay::waf::http_text::parse_request_text;
use secplay::waf::json::{self as waf, WebAcl};
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

mod geo;

fn text_of(e: &InputEvent) -> String {
    let Some(t) = e.target() else { return String::new() };
    if let Some(a) = t.dyn_ref::<HtmlTextAreaElement>() {
        return a.value();
    }
    t.dyn_ref::<HtmlInputElement>().map(HtmlInputElement::value).unwrap_or_default()
}

/// Example JSON as a person would format it (the examples are stored compactly).
fn pretty(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| text.to_owned())
}

/// A member of a JSON object, or `null` (reads never panic).
fn at<'a>(v: &'a Value, key: &str) -> &'a Value {
    v.get(key).unwrap_or(&Value::Null)
}

/// `1065724` as `1,065,724`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Where a country or ASN came from, in words.
fn origin(source: &Value) -> &'static str {
    match source.as_str() {
        Some("request") => "supplied with the request",
        Some("database") => "from the offline database",
        _ => "no source",
    }
}

/// An error as the page shows it: code, message, and where in which text.
#[derive(Clone, PartialEq)]
struct Problem {
    code: String,
    message: String,
    place: Option<String>,
}

impl Problem {
    fn from_waf(e: &secplay::waf::WafError, what: &str, source: &str) -> Self {
        let v = waf::error_value_in(e, source);
        let place = match (v.get("line").and_then(Value::as_u64), v.get("column").and_then(Value::as_u64)) {
            (Some(l), Some(c)) => Some(format!("{what}, line {l}, column {c}")),
            _ => Some(what.to_owned()),
        };
        Problem { code: e.code().to_owned(), message: e.to_string(), place }
    }
}

/// The built ACL is cached with the texts it came from, so rate counters survive between
/// evaluations and are reset when the ACL changes.
type Built = Option<(String, String, Result<WebAcl, Problem>)>;

fn build(cache: &RefCell<Built>, acl: &str, resources: &str) {
    let mut slot = cache.borrow_mut();
    if matches!(&*slot, Some((a, r, _)) if a == acl && r == resources) {
        return;
    }
    let built = {
        let acl_v = Value::String(acl.to_owned());
        let res_v =
            if resources.trim().is_empty() { Value::Null } else { Value::String(resources.to_owned()) };
        WebAcl::new(&acl_v, &res_v, &json!({"trace": true})).map_err(|e| {
            let which = if e.pointer().is_some_and(|p| p.starts_with("/resources")) {
                "resources"
            } else {
                "web ACL"
            };
            let source = if which == "resources" { resources } else { acl };
            Problem::from_waf(&e, which, source)
        })
    };
    *slot = Some((acl.to_owned(), resources.to_owned(), built));
}

#[function_component]
pub fn WafPage() -> Html {
    let first: &Example = &EXAMPLES[3];
    let acl = use_state(|| pretty(first.web_acl));
    let resources = use_state(|| pretty(first.resources));
    let request = use_state(|| first.request.to_owned());
    let client_ip = use_state(|| first.client_ip.to_owned());
    let country = use_state(|| first.country.to_owned());
    let note = use_state(|| first.note.to_owned());
    let records = use_state(Vec::<Value>::new);
    let problem = use_state(|| None::<Problem>);
    let probe = use_state(|| "1' OR '1'='1".to_owned());
    let replay_text = use_state(String::new);
    let replay = use_state(|| None::<Result<Value, Problem>>);
    let cache = use_mut_ref(|| None as Built);
    // The offline geo database: fetched once, only when a geo/ASN rule meets a request without a country/ASN.
    let geo_db = use_mut_ref(|| None::<Arc<GeoDb>>);
    let geo_tried = use_mut_ref(|| false);
    let geo_status = use_state(|| GeoStatus::NotLoaded);
    let pending = use_mut_ref(|| None::<u32>);

    build(&cache, &acl, &resources);
    let (capacity, build_problem, uses_geo) = match &*cache.borrow() {
        Some((_, _, Ok(w))) => (Some(w.capacity_report()), None, w.uses_geo()),
        Some((_, _, Err(p))) => (None, Some(p.clone()), false),
        None => (None, None, false),
    };

    let load = {
        let (acl, resources, request, client_ip, country, note, records, problem) = (
            acl.clone(),
            resources.clone(),
            request.clone(),
            client_ip.clone(),
            country.clone(),
            note.clone(),
            records.clone(),
            problem.clone(),
        );
        move |e: &'static Example| {
            acl.set(pretty(e.web_acl));
            resources.set(pretty(e.resources));
            request.set(e.request.to_owned());
            client_ip.set(e.client_ip.to_owned());
            country.set(e.country.to_owned());
            note.set(e.note.to_owned());
            records.set(Vec::new());
            problem.set(None);
        }
    };

    // Evaluate the request `times` times, 100 ms apart on the simulated clock.
    let evaluate = {
        let (acl, resources, request, client_ip, country, records, problem, cache) = (
            acl.clone(),
            resources.clone(),
            request.clone(),
            client_ip.clone(),
            country.clone(),
            records.clone(),
            problem.clone(),
            cache.clone(),
        );
        let (geo_db, geo_tried, geo_status, pending) =
            (geo_db.clone(), geo_tried.clone(), geo_status.clone(), pending.clone());
        Rc::new(move |times: u32| {
            build(&cache, &acl, &resources);
            let mut slot = cache.borrow_mut();
            let Some((_, _, Ok(w))) = slot.as_mut() else {
                return; // the build problem is already on screen
            };
            let mut req = match parse_request_text(&request, client_ip.trim()) {
                Ok(r) => r,
                Err(e) => {
                    problem.set(Some(Problem {
                        code: e.code().into(),
                        message: e.to_string(),
                        place: Some("request".into()),
                    }));
                    return;
                }
            };
            if let (false, Some(o)) = (country.trim().is_empty(), req.as_object_mut()) {
                o.insert("country".into(), Value::String(country.trim().to_ascii_uppercase()));
            }
            if w.needs_geo_db(&req) && !*geo_tried.borrow() {
                // Evaluate once the database is here (or has failed to come).
                *geo_tried.borrow_mut() = true;
                *pending.borrow_mut() = Some(times);
                geo_status.set(GeoStatus::Loading);
                let (geo_db, geo_status) = (geo_db.clone(), geo_status.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let start = js_sys::Date::now();
                    match geo::load().await {
                        Ok(db) => {
                            let s = db.stats();
                            *geo_db.borrow_mut() = Some(db);
                            geo_status.set(GeoStatus::Ready {
                                ranges: s.ipv4_country + s.ipv4_asn + s.ipv6_country + s.ipv6_asn,
                                bytes: s.bytes,
                                millis: (js_sys::Date::now() - start) as u32,
                            });
                        }
                        Err(e) => geo_status.set(GeoStatus::Failed(e)),
                    }
                });
                return;
            }
            w.set_geo_db(geo_db.borrow().clone());
            let mut out = Vec::new();
            for _ in 0..times {
                match w.evaluate(&req, &Value::Null) {
                    Ok(r) => out.push(r),
                    Err(e) => {
                        problem.set(Some(Problem {
                            code: e.code().into(),
                            message: e.to_string(),
                            place: Some("request".into()),
                        }));
                        return;
                    }
                }
            }
            problem.set(None);
            records.set(out);
        })
    };

    let on_sample = {
        let replay_text = replay_text.clone();
        Callback::from(move |_: MouseEvent| {
            let lines: Vec<String> = sample_traffic().iter().map(Value::to_string).collect();
            replay_text.set(lines.join("\n"));
        })
    };
    let on_replay = {
        let (replay_text, replay, cache, geo_db) =
            (replay_text.clone(), replay.clone(), cache.clone(), geo_db.clone());
        Callback::from(move |_: MouseEvent| {
            let slot = cache.borrow();
            let Some((_, _, Ok(w))) = slot.as_ref() else { return };
            // A fresh copy: the replay's counters start at zero and the single-request view keeps its own.
            let mut fresh = w.clone();
            fresh.reset();
            // Countries of replayed requests come from the geo database if an evaluation loaded it.
            fresh.set_geo_db(geo_db.borrow().clone());
            replay.set(Some(fresh.replay(&Value::String((*replay_text).clone())).map_err(|e| Problem {
                code: e.code().into(),
                message: e.to_string(),
                place: Some("replay input".into()),
            })));
        })
    };

    let on = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(text_of(&e)))
    };
    let on_eval = {
        let evaluate = evaluate.clone();
        Callback::from(move |_: MouseEvent| evaluate(1))
    };
    {
        // The database has arrived (or failed): run the evaluation that was waiting for it.
        let (evaluate, pending) = (evaluate.clone(), pending.clone());
        use_effect_with((*geo_status).clone(), move |status| {
            if !matches!(status, GeoStatus::Loading) {
                let waiting = pending.borrow_mut().take();
                if let Some(times) = waiting {
                    evaluate(times);
                }
            }
        });
    }
    let on_burst = Callback::from(move |_: MouseEvent| evaluate(120));

    let record = records.last().cloned();
    let counts = records.iter().fold((0usize, 0usize), |(a, b), r| {
        if at(r, "action") == "BLOCK" {
            (a, b + 1)
        } else {
            (a + 1, b)
        }
    });

    html! {
        <article class="waf">
            <h1>{"WAF"}</h1>
            <p class="lede">{"Paste a web ACL as "}<code>{"aws wafv2 get-web-acl"}</code>{" prints it (or the bare "}
                <code>{"WebACL"}</code>{"), its IP sets, regex pattern sets and rule groups, and a request as raw HTTP \
                or a curl command. The page answers as AWS WAF would: the log record, which rule decided and why, \
                and the capacity the ACL uses."}</p>

            <section class="card">
                <h2>{"Examples from the notes"}</h2>
                <div class="examples">
                    { for EXAMPLES.iter().map(|e| {
                        let load = load.clone();
                        html! { <button class="example" data-example={e.id} onclick={Callback::from(move |_: MouseEvent| load(e))}>{ e.title }</button> }
                    }) }
                </div>
                <p class="muted">{ (*note).clone() }</p>
            </section>

            <div class="grid2">
                <section class="card">
                    <h2>{"Web ACL"}</h2>
                    <label for="waf-acl">{"WebACL JSON (or the whole get-web-acl output)"}</label>
                    <textarea id="waf-acl" class="mono" rows="16" spellcheck="false" value={(*acl).clone()} oninput={on(&acl)} />
                    <label for="waf-resources">{"Resources: { ipSets, regexPatternSets, ruleGroups }"}</label>
                    <textarea id="waf-resources" class="mono" rows="5" spellcheck="false" value={(*resources).clone()} oninput={on(&resources)} />
                    if let Some(c) = &capacity {
                        <p id="waf-capacity">{ format!("Capacity: {} WCUs of the {} included ({} at most).",
                            at(c, "total"), at(c, "included"), at(c, "max")) }
                            if at(c, "extraCharged") == true { <strong>{" Over 1,500: AWS charges extra."}</strong> }
                        </p>
                    }
                    if let Some(p) = &build_problem {
                        <p id="waf-acl-error" class="inline-err"><code>{ &p.code }</code>{" "}{ &p.message }
                            if let Some(place) = &p.place { <span class="muted">{ format!(" ({place})") }</span> }</p>
                    }
                </section>
                <section class="card">
                    <h2>{"Request"}</h2>
                    <label for="waf-request">{"Raw HTTP or a curl command"}</label>
                    <textarea id="waf-request" class="mono" rows="8" spellcheck="false" value={(*request).clone()} oninput={on(&request)} />
                    <div class="waf-row">
                        <label>{"Client IP "}<input id="waf-ip" value={(*client_ip).clone()} oninput={on(&client_ip)} /></label>
                        <label>{"Country "}<input id="waf-country" size="4" placeholder="e.g. DE" value={(*country).clone()} oninput={on(&country)} /></label>
                    </div>
                    <button id="waf-evaluate" class="primary" onclick={on_eval} disabled={build_problem.is_some()}>{"Evaluate"}</button>
                    {" "}
                    <button id="waf-burst" onclick={on_burst} disabled={build_problem.is_some()}
                        title="120 requests, 100 ms apart on the simulated clock">{"Send 120 in 12 s"}</button>
                    if let Some(p) = &*problem {
                        <p id="waf-error" class="inline-err"><code>{ &p.code }</code>{" "}{ &p.message }</p>
                    }
                    if uses_geo || *geo_status != GeoStatus::NotLoaded {
                        <p id="waf-geo" class="muted" data-status={match &*geo_status {
                            GeoStatus::NotLoaded => "not-loaded", GeoStatus::Loading => "loading",
                            GeoStatus::Ready { .. } => "ready", GeoStatus::Failed(_) => "failed" }}>
                            { match &*geo_status {
                                GeoStatus::NotLoaded => "Offline geo database: fetched from this site when a geo or ASN rule meets a request with no country. ".to_owned(),
                                GeoStatus::Loading => format!("Offline geo database: loading {} … ", geo::URL),
                                GeoStatus::Ready { ranges, bytes, millis } => format!(
                                    "Offline geo database: {} ranges, {:.1} MB, loaded in {millis} ms. ", thousands(*ranges), *bytes as f64 / 1e6),
                                GeoStatus::Failed(e) => format!("Offline geo database unavailable: {e}. "),
                            } }
                            <span id="waf-geo-attribution">{ geo::ATTRIBUTION }{" "}
                                <a href="https://db-ip.com" rel="noopener noreferrer" target="_blank">{"IP Geolocation by DB-IP"}</a></span>
                        </p>
                    }
                </section>
            </div>

            if let Some(r) = record {
                <section class="card">
                    <h2>{"What AWS WAF does"}</h2>
                    <p id="waf-verdict">
                        <span class={classes!("badge", at(&r, "action").as_str().map(str::to_ascii_lowercase))}>{ at(&r, "action").as_str().unwrap_or("?") }</span>
                        {" by "}<code id="waf-rule">{ at(&r, "terminatingRuleId").as_str().unwrap_or("") }</code>
                        { at(&r, "responseCodeSent").as_u64().map(|c| format!(" · response {c}")).unwrap_or_default() }
                        if records.len() > 1 { { format!(" · last of {} requests: {} allowed, {} blocked", records.len(), counts.0, counts.1) } }
                    </p>
                    if let Some(g) = r.get("geo").filter(|g| at(g, "countrySource") != "unknown" || uses_geo) {
                        <p id="waf-geo-origin" class="muted">{ format!("Client country {} ({}), ASN {} ({})",
                            at(g, "country").as_str().unwrap_or("unknown"), origin(at(g, "countrySource")),
                            at(g, "asn").as_u64().map_or_else(|| "unknown".to_owned(), |a| a.to_string()), origin(at(g, "asnSource"))) }</p>
                    }
                    if let Some(labels) = at(&r, "labels").as_array().filter(|l| !l.is_empty()) {
                        <p class="muted">{"Labels: "}{ labels.iter().filter_map(|l| at(l, "name").as_str()).collect::<Vec<_>>().join(", ") }</p>
                    }
                    <table class="trace">
                        <thead><tr><th>{"priority"}</th><th>{"rule"}</th><th>{"outcome"}</th><th>{"what each statement saw (after transformations)"}</th></tr></thead>
                        <tbody>
                        { for at(&r, "trace").as_array().into_iter().flatten().map(|t| html! {
                            <tr class={classes!(at(t, "matched").as_bool().unwrap_or(false).then_some("hit"))}>
                                <td>{ at(t, "priority").to_string() }</td>
                                <td>{ at(t, "group").as_str().map(|g| format!("{g} / ")).unwrap_or_default() }{ at(t, "rule").as_str().unwrap_or("") }</td>
                                <td>{ at(t, "outcome").as_str().unwrap_or("") }</td>
                                <td>{ for at(t, "statements").as_array().into_iter().flatten().map(|s| html! {
                                    <div class="stmt">
                                        <code>{ at(s, "path").as_str().unwrap_or("") }</code>
                                        { if at(s, "matched") == true { " matched" } else { " no match" } }
                                        { for at(s, "inspected").as_array().into_iter().flatten().take(3).map(|i| html! {
                                            <div class="inspected mono">{ format!("{} {}", at(i, "part").as_str().unwrap_or(""), at(i, "value").as_str().unwrap_or("")) }</div>
                                        }) }
                                        if let Some(n) = at(s, "note").as_str() { <div class="muted">{ n }</div> }
                                    </div>
                                }) }</td>
                            </tr>
                        }) }
                        </tbody>
                    </table>
                    <details><summary>{"The log record (AWS WAF's JSON)"}</summary>
                        <pre id="waf-log" class="mono">{ serde_json::to_string_pretty(&r).unwrap_or_default() }</pre></details>
                </section>
            }

            <section class="card">
                <h2>{"Replay a log"}</h2>
                <p class="muted">{"Requests as JSON lines (or a JSON array, or a HAR file), each with an epoch-millisecond \
                    "}<code>{"timestamp"}</code>{": rate-based rules count on the simulated clock."}</p>
                <textarea id="waf-replay-input" class="mono" rows="5" spellcheck="false" value={(*replay_text).clone()}
                    oninput={on(&replay_text)} placeholder="{\"method\":\"GET\",\"uri\":\"/\",\"clientIp\":\"192.0.2.1\",\"timestamp\":1800000000000,\"headers\":[]}" />
                <button id="waf-sample" onclick={on_sample}>{"Ten minutes of sample traffic"}</button>{" "}
                <button id="waf-replay" class="primary" onclick={on_replay} disabled={build_problem.is_some()}>{"Replay"}</button>
                { match &*replay {
                    Some(Ok(report)) => html! { <ReplayView report={report.clone()} /> },
                    Some(Err(p)) => html! { <p id="waf-replay-error" class="inline-err"><code>{ &p.code }</code>{" "}{ &p.message }</p> },
                    None => html! {},
                } }
            </section>

            <section class="card">
                <h2>{"SQL injection and XSS explainer"}</h2>
                <label for="waf-probe">{"Any input, as the WAF would see it after transformations"}</label>
                <input id="waf-probe" class="wide mono" value={(*probe).clone()} oninput={on(&probe)} />
                <Explain input={(*probe).clone()} />
            </section>
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct ExplainProps {
    input: String,
}

#[function_component]
fn Explain(props: &ExplainProps) -> Html {
    let low = waf::explain_sqli(&props.input, Some("LOW")).unwrap_or(Value::Null);
    let high = waf::detect_sqli(&props.input, Some("HIGH")).unwrap_or(false);
    let xss = waf::explain_xss(&props.input);
    let verdict = |flagged: bool| {
        if flagged {
            html! { <strong class="flag">{"flagged"}</strong> }
        } else {
            html! { <span>{"not flagged"}</span> }
        }
    };
    html! {
        <div id="waf-explain">
            <p>{"SQLi (LOW): "}{ verdict(at(&low, "sqli") == true) }{" · SQLi (HIGH): "}{ verdict(high) }{" · XSS: "}{ verdict(at(&xss, "xss") == true) }</p>
            if let Some(p) = at(&low, "pattern").as_str() { <p class="muted">{ format!("SQLi rule: {p}") }</p> }
            if let Some(p) = at(&xss, "pattern").as_str() { <p class="muted">{ format!("XSS rule: {p} on `{}`", at(&xss, "matched").as_str().unwrap_or("")) }</p> }
            if let Some(tokens) = at(&low, "stream").as_array().filter(|t| !t.is_empty()) {
                <div class="tokens">{ for tokens.iter().take(40).map(|t| html! {
                    <span class="token" title={at(t, "kind").as_str().unwrap_or("").to_owned()}>
                        <small>{ at(t, "kind").as_str().unwrap_or("") }</small>{ at(t, "text").as_str().unwrap_or("") }</span>
                }) }</div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ReplayProps {
    report: Value,
}

/// Actions per minute as stacked bars (SVG drawn here, no chart library), then the rule counts and
/// the top blocked sources and paths.
#[function_component]
fn ReplayView(props: &ReplayProps) -> Html {
    let r = &props.report;
    let minutes = at(r, "timeline").as_array().cloned().unwrap_or_default();
    let count = |m: &Value, a: &str| at(at(m, "actions"), a).as_u64().unwrap_or(0);
    let total = |m: &Value| {
        at(m, "actions").as_object().map_or(0, |o| o.values().filter_map(Value::as_u64).sum::<u64>())
    };
    let peak = minutes.iter().map(total).max().unwrap_or(1).max(1);
    let (w, h, gap) = (600.0_f64, 140.0_f64, 4.0_f64);
    let bar = if minutes.is_empty() { w } else { (w - gap * minutes.len() as f64) / minutes.len() as f64 };
    let scale = |n: u64| n as f64 / peak as f64 * (h - 20.0);
    let actions = at(r, "actions").as_object().cloned().unwrap_or_default();
    html! {
        <div id="waf-replay-report">
            <p>{ format!("{} requests: ", at(r, "total")) }
                { for actions.iter().map(|(a, n)| html! { <span class={classes!("badge", a.to_ascii_lowercase())}>{ format!("{a} {n}") }</span> }) }
            </p>
            <svg class="chart" viewBox={format!("0 0 {w} {h}")} role="img" aria-label="actions per minute">
                { for minutes.iter().enumerate().map(|(i, m)| {
                    let x = i as f64 * (bar + gap);
                    let allow = scale(count(m, "ALLOW"));
                    let block = scale(count(m, "BLOCK"));
                    let other = scale(total(m).saturating_sub(count(m, "ALLOW") + count(m, "BLOCK")));
                    html! { <g>
                        <rect class="allow" x={x.to_string()} y={(h - 16.0 - allow).to_string()} width={bar.to_string()} height={allow.to_string()} />
                        <rect class="block" x={x.to_string()} y={(h - 16.0 - allow - block).to_string()} width={bar.to_string()} height={block.to_string()} />
                        <rect class="other" x={x.to_string()} y={(h - 16.0 - allow - block - other).to_string()} width={bar.to_string()} height={other.to_string()} />
                        <text x={(x + bar / 2.0).to_string()} y={(h - 3.0).to_string()} text-anchor="middle">{ format!("+{i}m") }</text>
                        <title>{ format!("minute {i}: {} allowed, {} blocked, {} total", count(m, "ALLOW"), count(m, "BLOCK"), total(m)) }</title>
                    </g> }
                }) }
            </svg>
            <div class="grid3">
                <table class="trace"><thead><tr><th>{"rule"}</th><th>{"matched"}</th><th>{"decided"}</th></tr></thead><tbody>
                    { for at(r, "rules").as_array().into_iter().flatten().map(|x| html! {
                        <tr><td>{ at(x, "rule").as_str().unwrap_or("") }</td><td>{ at(x, "matched").to_string() }</td><td>{ at(x, "terminated").to_string() }</td></tr>
                    }) }
                </tbody></table>
                <table class="trace"><thead><tr><th>{"top blocked addresses"}</th><th>{"#"}</th></tr></thead><tbody>
                    { for at(r, "topBlockedIps").as_array().into_iter().flatten().take(8).map(|x| html! {
                        <tr><td class="mono">{ at(x, "value").as_str().unwrap_or("") }</td><td>{ at(x, "count").to_string() }</td></tr>
                    }) }
                </tbody></table>
                <table class="trace"><thead><tr><th>{"top blocked paths"}</th><th>{"#"}</th></tr></thead><tbody>
                    { for at(r, "topBlockedUris").as_array().into_iter().flatten().take(8).map(|x| html! {
                        <tr><td class="mono">{ at(x, "value").as_str().unwrap_or("") }</td><td>{ at(x, "count").to_string() }</td></tr>
                    }) }
                </tbody></table>
            </div>
        </div>
    }
}
