//! The WAF page: a web ACL as AWS writes it, a request pasted as raw HTTP or curl, and what AWS WAF
//! would do: the log record, the per-rule trace, capacity, and the SQLi/XSS explainer. Everything is
//! computed by `secplay::waf` in the page's reducer (`state.rs`); this component renders the state
//! and dispatches actions. The log replay is a tab of this page (`replay`), kept mounted so its
//! result stays while the other tab shows.

use secplay::waf::examples::EXAMPLES;
use secplay::waf::json as waf;
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::replay::ReplayTab;
use super::state::{Action, GeoStatus, Problem, Text, WafState, BURST};
use crate::pages::json_editor::JsonEditor;
use crate::services::geo;
use crate::services::waf_acl_worker::AclWorker;

/// Attribution the geo data's licences ask for.
const ATTRIBUTION: &str =
    "Country from the offline database geo-whois-asn-country (CC0; RIR WHOIS data, NRO, CC-BY-4.0), \
    ASN from ip-location-db asn (CC-BY-4.0; RouteViews and DB-IP), both by sapics/ip-location-db via npm.";

fn text_of(e: &InputEvent) -> String {
    let Some(t) = e.target() else { return String::new() };
    if let Some(a) = t.dyn_ref::<HtmlTextAreaElement>() {
        return a.value();
    }
    t.dyn_ref::<HtmlInputElement>().map(HtmlInputElement::value).unwrap_or_default()
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

/// Selects `start..end` (UTF-16 offsets) in the editor of the text `id`, scrolled into view.
fn select_in(id: &str, start: u32, end: u32) {
    crate::pages::json_editor::select(id, start, end);
}

/// Every error of a parse that found more than one: each names its code, place and message, and
/// clicking it selects the member it points at in its text.
fn problem_list(p: &Problem) -> Html {
    if p.items.len() < 2 {
        return html! {};
    }
    let id = match p.text {
        Some(Text::Resources) => "waf-resources",
        _ => "waf-acl",
    };
    html! {
        <div id="waf-acl-errors">
            <p class="muted">{ format!("{} errors found{}; click one to select it in the text.",
                p.items.len() + p.more,
                if p.more > 0 { format!(" (the first {} listed)", p.items.len()) } else { String::new() }) }</p>
            <ol class="waf-errors">
                { for p.items.iter().map(|item| {
                    let select = item.select;
                    let onclick = Callback::from(move |_: MouseEvent| {
                        if let Some((a, b)) = select { select_in(id, a, b); }
                    });
                    html! {
                        <li data-pointer={item.pointer.clone().unwrap_or_default()} data-code={item.code.clone()}>
                            <button class="link" disabled={select.is_none()} {onclick}>
                                <code>{ &item.code }</code>{" "}
                                <span class="muted">{ if item.place.is_empty() { item.pointer.clone().unwrap_or_default() } else { item.place.clone() } }</span>
                            </button>
                            {" "}{ &item.message }
                        </li>
                    }
                }) }
                if p.more > 0 { <li class="muted">{ format!("and {} more", p.more) }</li> }
            </ol>
        </div>
    }
}

/// The WAF page's props: which tab shows (`#/waf` or `#/waf/replay`).
#[derive(Properties, PartialEq)]
pub struct WafProps {
    #[prop_or_default]
    pub replay: bool,
}

#[function_component]
pub fn WafPage(props: &WafProps) -> Html {
    let opening = use_memo((), |_| {
        super::super::share_bar::Opening::new(super::share::open, WafState::default, WafState::reduce)
    });
    let state = use_reducer(|| opening.take());
    let share_link = {
        let state = state.clone();
        Callback::from(move |()| Ok(super::share::encode(&state)))
    };
    // What the page opened with: the replay tab takes this tab's ACL only once it is another one.
    let opened_with = {
        let acl = state.acl.clone();
        use_memo((), move |_| acl)
    };
    // The offline geo database: fetched once, when an evaluation needs it (the reducer says so).
    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.geo == GeoStatus::Loading, move |loading| {
            if *loading {
                wasm_bindgen_futures::spawn_local(async move {
                    let (result, millis) = geo::load().await;
                    dispatcher.dispatch(Action::GeoLoaded(result, millis));
                });
            }
        });
    }
    // A big web ACL is the worker's to check (`check.rs`): each edit's check is posted here; the
    // answer comes back as `Action::Checked`.
    let checker = use_mut_ref(|| None::<AclWorker>);
    {
        let state = state.clone();
        use_effect_with(state.checking(), move |checking| {
            let Some(id) = *checking else { return };
            let dispatcher = state.dispatcher();
            let mut slot = checker.borrow_mut();
            if slot.is_none() {
                let d = dispatcher.clone();
                match AclWorker::start(Callback::from(move |a| d.dispatch(a))) {
                    Ok(w) => *slot = Some(w),
                    Err(e) => return dispatcher.dispatch(Action::Checked(id, Err(e))),
                }
            }
            if let Some(Err(e)) = slot.as_ref().map(|w| w.check(id, &state.acl, &state.resources)) {
                dispatcher.dispatch(Action::Checked(id, Err(e)));
            }
        });
    }
    let (capacity, build_problem, uses_geo) = state.acl_summary();
    let send = |action: fn() -> Action| {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(action()))
    };
    let on = |text: Text| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Edit(text, text_of(&e))))
    };
    let edit = |text: Text| {
        let state = state.clone();
        Callback::from(move |t: String| state.dispatch(Action::Edit(text, t)))
    };
    let on_eval = send(|| Action::Evaluate(1));
    let on_burst = send(|| Action::Evaluate(BURST));
    let on_sample = send(|| Action::Sample);
    let on_replay = send(|| Action::Replay);
    let records = &state.records;
    let geo_status = &state.geo;

    let record = records.last().cloned();
    let counts = state.counts();
    // The flow is drawn through the ACL the record came from, laid out once per record: an edit
    // of a big ACL after an evaluation does not read the ACL again.
    let flow = {
        let acl = state.acl.clone();
        use_memo(record.clone(), move |r| r.as_ref().map(|r| super::diagram::layout(r, &acl)))
    };

    html! {
        <article class={classes!("waf", props.replay.then_some("replaying"))}>
            <h1>{"WAF"}</h1>
            <nav class="tabs" id="waf-tabs">
                <a class={classes!("tab", (!props.replay).then_some("active"))} href="#/waf">{"Evaluate"}</a>
                <a class={classes!("tab", props.replay.then_some("active"))} id="waf-tab-replay" href="#/waf/replay">{"Replay logs"}</a>
                <a class="tab" id="waf-tab-ddos" href="#/waf/ddos">{"DDoS practice"}</a>
            </nav>
            <ReplayTab visible={props.replay} waf_acl={state.acl.clone()} waf_resources={state.resources.clone()}
                waf_untouched={state.acl == *opened_with} />
            <super::super::share_bar::ShareBar link={share_link} error={opening.error.clone()}
                holds={"A link holds the web ACL, its resources and the request; not the replay input."} />
            <p class="lede">{"Paste a web ACL as "}<code>{"aws wafv2 get-web-acl"}</code>{" prints it (or the bare "}
                <code>{"WebACL"}</code>{"), its IP sets, regex pattern sets and rule groups, and a request as raw HTTP \
                or a curl command. The page answers as AWS WAF would: the log record, which rule decided and why, \
                and the capacity the ACL uses."}</p>

            <section class="card">
                <h2>{"Examples from the notes"}</h2>
                <div class="examples">
                    { for EXAMPLES.iter().enumerate().map(|(i, e)| {
                        let state = state.clone();
                        html! { <button class="example" data-example={e.id} onclick={Callback::from(move |_: MouseEvent| state.dispatch(Action::Example(i)))}>{ e.title }</button> }
                    }) }
                </div>
                <p class="muted">{ state.note.clone() }</p>
            </section>

            <div class="grid2">
                <section class="card">
                    <h2>{"Web ACL"}</h2>
                    <label for="waf-acl">{"WebACL JSON (or the whole get-web-acl output)"}</label>
                    <JsonEditor id="waf-acl" what="the web ACL" rows={16} value={state.acl.clone()} oninput={edit(Text::Acl)} />
                    <label for="waf-resources">{"Resources: { ipSets, regexPatternSets, ruleGroups }"}</label>
                    <JsonEditor id="waf-resources" what="the resources" rows={5} value={state.resources.clone()} oninput={edit(Text::Resources)} />
                    if state.checking().is_some() {
                        <p id="waf-acl-checking" class="muted" role="status">{"Checking the web ACL… (what follows is the last answer)"}</p>
                    }
                    if let Some(c) = &capacity {
                        <p id="waf-capacity">{ format!("Capacity: {} WCUs of the {} included ({} at most).",
                            at(c, "total"), at(c, "included"), at(c, "max")) }
                            if at(c, "extraCharged") == true { <strong>{" Over 1,500: AWS charges extra."}</strong> }
                        </p>
                    }
                    if let Some(p) = &build_problem {
                        <p id="waf-acl-error" class="inline-err"><code>{ &p.code }</code>{" "}{ &p.message }
                            if let Some(place) = &p.place { <span class="muted">{ format!(" ({place})") }</span> }
                            // One error with a place in the text: a button selects it, as each error of a list does.
                            if let Some((a, b)) = p.items.first().and_then(|i| i.select).filter(|_| p.items.len() < 2) {
                                {" "}<button id="waf-acl-error-select" class="link"
                                    onclick={let id = if p.text == Some(Text::Resources) { "waf-resources" } else { "waf-acl" };
                                             Callback::from(move |_: MouseEvent| select_in(id, a, b))}>{"Select it"}</button>
                            }</p>
                        { problem_list(p) }
                    }
                </section>
                <section class="card">
                    <h2>{"Request"}</h2>
                    <label for="waf-request">{"Raw HTTP or a curl command"}</label>
                    <textarea id="waf-request" class="mono" rows="8" spellcheck="false" value={state.request.clone()} oninput={on(Text::Request)} />
                    <div class="waf-row">
                        <label>{"Client IP "}<input id="waf-ip" value={state.client_ip.clone()} oninput={on(Text::ClientIp)} /></label>
                        <label>{"Country "}<input id="waf-country" size="4" placeholder="e.g. DE" value={state.country.clone()} oninput={on(Text::Country)} /></label>
                    </div>
                    <button id="waf-evaluate" class="primary" onclick={on_eval} disabled={build_problem.is_some()}>{"Evaluate"}</button>
                    {" "}
                    <button id="waf-burst" onclick={on_burst} disabled={build_problem.is_some()}
                        title="120 requests, 100 ms apart on the simulated clock">{"Send 120 in 12 s"}</button>
                    if let Some(p) = &state.problem {
                        <p id="waf-error" class="inline-err"><code>{ &p.code }</code>{" "}{ &p.message }</p>
                    }
                    if uses_geo || *geo_status != GeoStatus::NotLoaded {
                        <p id="waf-geo" class="muted" data-status={match geo_status {
                            GeoStatus::NotLoaded => "not-loaded", GeoStatus::Loading => "loading",
                            GeoStatus::Ready { .. } => "ready", GeoStatus::Failed(_) => "failed" }}>
                            { match geo_status {
                                GeoStatus::NotLoaded => "Offline geo database: fetched from this site when a geo or ASN rule meets a request with no country. ".to_owned(),
                                GeoStatus::Loading => format!("Offline geo database: loading {} … ", geo::URL),
                                GeoStatus::Ready { ranges, bytes, millis } => format!(
                                    "Offline geo database: {} ranges, {:.1} MB, loaded in {millis} ms. ", thousands(*ranges), *bytes as f64 / 1e6),
                                GeoStatus::Failed(e) => format!("Offline geo database unavailable: {e}. "),
                            } }
                            <span id="waf-geo-attribution">{ ATTRIBUTION }{" "}
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
                    { trace_view(&r, "waf") }
                </section>
                if let Some(f) = &*flow { { super::diagram_view::flow_view(f) } }
            }

            <section class="card">
                <h2>{"Replay a log"}</h2>
                <p class="muted">{"Requests as JSON lines (or a JSON array, or a HAR file), each with an epoch-millisecond \
                    "}<code>{"timestamp"}</code>{": rate-based rules count on the simulated clock."}</p>
                <textarea id="waf-replay-input" class="mono" rows="5" spellcheck="false" value={state.replay_text.clone()}
                    oninput={on(Text::Replay)} placeholder="{\"method\":\"GET\",\"uri\":\"/\",\"clientIp\":\"192.0.2.1\",\"timestamp\":1800000000000,\"headers\":[]}" />
                <button id="waf-sample" onclick={on_sample}>{"Ten minutes of sample traffic"}</button>{" "}
                <button id="waf-replay" class="primary" onclick={on_replay} disabled={build_problem.is_some()}>{"Replay"}</button>
                { match &state.replay {
                    Some(Ok(report)) => html! { <ReplayView report={report.clone()} /> },
                    Some(Err(p)) => html! { <p id="waf-replay-error" class="inline-err"><code>{ &p.code }</code>{" "}{ &p.message }</p> },
                    None => html! {},
                } }
            </section>

            <section class="card">
                <h2>{"SQL injection and XSS explainer"}</h2>
                <label for="waf-probe">{"Any input, as the WAF would see it after transformations"}</label>
                <input id="waf-probe" class="wide mono" value={state.probe.clone()} oninput={on(Text::Probe)} />
                <Explain input={state.probe.clone()} />
            </section>
        </article>
    }
}

/// A log record's labels, per-rule trace and JSON, as this page shows them (the replay tab's
/// samples too); `prefix` makes the ids its own (`{prefix}-log`).
pub(crate) fn trace_view(r: &Value, prefix: &str) -> Html {
    html! {
        <>
            if let Some(labels) = at(r, "labels").as_array().filter(|l| !l.is_empty()) {
                <p class="muted">{"Labels: "}{ labels.iter().filter_map(|l| at(l, "name").as_str()).collect::<Vec<_>>().join(", ") }</p>
            }
            if let Some(notes) = at(r, "notes").as_array().filter(|n| !n.is_empty()) {
                <ul id={format!("{prefix}-notes")} class="muted">
                    { for notes.iter().filter_map(Value::as_str).map(|n| html! { <li>{ n }</li> }) }
                </ul>
            }
            <table class="trace">
                <thead><tr><th>{"priority"}</th><th>{"rule"}</th><th>{"outcome"}</th><th>{"what each statement saw (after transformations)"}</th></tr></thead>
                <tbody>
                { for at(r, "trace").as_array().into_iter().flatten().map(|t| html! {
                    <tr class={classes!(at(t, "matched").as_bool().unwrap_or(false).then_some("hit"))}>
                        <td>{ at(t, "priority").to_string() }</td>
                        <td>{ at(t, "group").as_str().map(|g| format!("{g} / ")).unwrap_or_default() }{ at(t, "rule").as_str().unwrap_or("") }</td>
                        <td>{ at(t, "outcome").as_str().unwrap_or("") }</td>
                        <td>
                            if let Some(a) = at(t, "approximation").as_str() {
                                <div class="approx muted" title="The playground's approximation of AWS's rule">{"≈ "}{ a }</div>
                            }
                            { for at(t, "statements").as_array().into_iter().flatten().map(|s| html! {
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
                <pre id={format!("{prefix}-log")} class="mono">{ serde_json::to_string_pretty(r).unwrap_or_default() }</pre></details>
        </>
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
