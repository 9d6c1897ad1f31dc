//! The ACM page's component: renders `AcmState` and dispatches its actions. The certificate never
//! leaves the page: it is read by the engine in this tab (a dropped file through `FileReader`).

use std::cell::RefCell;
use std::rc::Rc;

use gloo_file::callbacks::FileReader;
use serde_json::Value;
use wasm_bindgen::JsCast;
use web_sys::{File, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::state::{AcmState, Action, EXAMPLES};
use crate::pages::file_drop::use_file_drop;

fn text_of(e: &InputEvent) -> String {
    let t = e.target();
    t.clone()
        .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
        .map(|t| t.value())
        .or_else(|| t.and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).map(|i| i.value()))
        .unwrap_or_default()
}

fn select_of(e: &Event) -> String {
    e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value()).unwrap_or_default()
}

fn checked(e: &Event) -> bool {
    e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()).is_some_and(|i| i.checked())
}

fn s(v: &Value) -> String {
    match v {
        Value::String(t) => t.clone(),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

/// The value at a path of object keys (`null` where there is none).
fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    static NULL: Value = Value::Null;
    path.iter().try_fold(v, |v, k| v.get(*k)).unwrap_or(&NULL)
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

/// `ok`, `warn` or `bad` for a certificate's key and signature (colour only; the text says why).
fn strength(c: &Value) -> (&'static str, &'static str) {
    let alg = at(c, &["publicKey", "algorithm"]).as_str().unwrap_or("");
    let bits = at(c, &["publicKey", "bits"]).as_u64().unwrap_or(0);
    let sig = at(c, &["signatureAlgorithm", "name"]).as_str().unwrap_or("");
    if sig.contains("SHA1") || sig.starts_with("md5") {
        ("bad", "a SHA-1/MD5 signature: browsers reject it")
    } else if (alg == "RSA" && bits < 2048) || alg == "unknown" {
        ("bad", "a weak or unknown key")
    } else if alg == "RSA" && bits > 2048 {
        ("ok", "strong (RSA above 2048 bits is slower in handshakes)")
    } else {
        ("ok", "strong")
    }
}

fn cert_card(c: &Value) -> Html {
    let status = c["status"].as_str().unwrap_or("");
    let status_class = if status == "valid" { "ok" } else { "bad" };
    let (key_class, key_note) = strength(c);
    let key = &c["publicKey"];
    let key_text = match (key["algorithm"].as_str(), key["curve"].as_str(), key["bits"].as_u64()) {
        (Some(a), Some(curve), _) => format!("{a} {curve}"),
        (Some(a), None, Some(b)) => format!("{a} {b} bits"),
        (Some(a), _, _) => a.to_owned(),
        _ => "—".to_owned(),
    };
    let sans = &c["sans"];
    let all_sans: Vec<String> = ["dns", "ip", "email", "uri"]
        .iter()
        .flat_map(|k| list(&sans[*k]).iter().map(move |v| format!("{}: {}", k.to_uppercase(), s(v))))
        .collect();
    let idx = c["index"].as_u64().unwrap_or(0);
    html! {
        <section class="card acm-cert" id={format!("acm-cert-{idx}")}>
            <h3>{ format!("Certificate {idx}") }{" "}
                <span class={classes!("badge", if c["isCa"] == true { "rule" } else { "allow" })}>{ if c["isCa"] == true { "CA" } else { "end entity" } }</span>
                if c["selfIssued"] == true { {" "}<span class="badge">{"self-issued"}</span> }
            </h3>
            <table class="fields">
                <tr><th>{"Subject"}</th><td class="mono">{ s(&c["subject"]) }</td></tr>
                <tr><th>{"Issuer"}</th><td class="mono">{ s(&c["issuer"]) }</td></tr>
                <tr><th>{"Serial"}</th><td class="mono">{ s(&c["serial"]) }</td></tr>
                <tr><th>{"Validity"}</th><td class={classes!("acm-status", status_class)}>
                    { format!("{} → {} ({} days): {status}", s(&c["notBefore"]), s(&c["notAfter"]), s(&c["validityDays"])) }</td></tr>
                <tr><th>{"Key"}</th><td class={classes!("acm-key", key_class)}>{ format!("{key_text} — {key_note}") }</td></tr>
                <tr><th>{"Signature"}</th><td class="mono">{ s(at(c, &["signatureAlgorithm", "name"])) }</td></tr>
                <tr><th>{"SANs"}</th><td class="mono acm-sans">{ if all_sans.is_empty() { "none".to_owned() } else { all_sans.join(", ") } }</td></tr>
                <tr><th>{"SHA-256"}</th><td class="mono small">{ s(&c["sha256"]) }</td></tr>
                <tr><th>{"SHA-1"}</th><td class="mono small">{ s(&c["sha1"]) }</td></tr>
            </table>
            <details><summary>{ format!("Extensions ({})", list(&c["extensions"]).len()) }</summary>
                <table class="fields">
                    { for list(&c["extensions"]).iter().map(|e| html! {
                        <tr><th>{ s(&e["name"]) }{ if e["critical"] == true { " (critical)" } else { "" } }</th>
                            <td class="mono small">{ match e.get("error") { Some(err) => format!("undecodable: {}", s(err)), None => e["value"].to_string() } }</td></tr>
                    }) }
                </table>
            </details>
        </section>
    }
}

fn inspection_view(v: &Value) -> Html {
    let problems = list(at(v, &["chain", "problems"]));
    let links = list(at(v, &["chain", "links"]));
    html! {
        <>
        <section class={classes!("card", if problems.iter().any(|p| p["severity"] == "error") { "err" } else if problems.iter().any(|p| p["severity"] == "warning") { "warn" } else { "ok" })} id="acm-chain">
            <h2>{"Chain"}</h2>
            if problems.iter().all(|p| p["severity"] == "info") { <p>{"No problems: each certificate is followed by its issuer."}</p> }
            <ul class="acm-problems">
                { for problems.iter().map(|p| html! {
                    <li class={classes!("acm-problem", p["severity"].as_str().unwrap_or("info").to_owned())} data-code={s(&p["code"])}>
                        <code>{ s(&p["code"]) }</code>{" "}{ s(&p["message"]) }</li>
                }) }
            </ul>
            if !links.is_empty() {
                <table class="fields" id="acm-links">
                    <tr><th>{"link"}</th><th>{"names"}</th><th>{"AKI/SKI"}</th><th>{"signature"}</th></tr>
                    { for links.iter().map(|l| html! {
                        <tr><td>{ format!("{} ← {}", s(&l["child"]), s(&l["parent"])) }</td>
                            <td>{ if l["namesMatch"] == true { "match" } else { "differ" } }</td>
                            <td>{ match l["keyIdsMatch"].as_bool() { Some(true) => "match", Some(false) => "differ", None => "—" } }</td>
                            <td class={classes!("acm-sig", l["signature"].as_str().unwrap_or("").to_owned())}>{ s(&l["signature"]) }</td></tr>
                    }) }
                </table>
            }
        </section>
        { for list(&v["certificates"]).iter().map(cert_card) }
        </>
    }
}

fn event_item(e: &Value) -> Html {
    html! {
        <li class={classes!(if e["past"] == true { "past" } else { "future" })} data-kind={s(&e["kind"])}>
            <span class="mono">{ s(&e["time"]) }</span>{" "}<strong>{ s(&e["kind"]) }</strong>{" — "}{ s(&e["detail"]) }
        </li>
    }
}

fn timeline_view(t: &Value) -> Html {
    let st = &t["state"];
    let events = list(&t["events"]);
    let daily: Vec<&Value> = events.iter().filter(|e| e["kind"] == "ApproachingExpiration").collect();
    let daily_at = daily.first().and_then(|e| e["at"].as_i64()).unwrap_or(i64::MAX);
    let (before, after): (Vec<&Value>, Vec<&Value>) = events
        .iter()
        .filter(|e| e["kind"] != "ApproachingExpiration")
        .partition(|e| e["at"].as_i64().unwrap_or(0) < daily_at);
    let badge = |ok: bool, text: String, id: &'static str| {
        html! {
            <span id={id} class={classes!("badge", if ok { "allow" } else { "block" })}>{ text }</span>
        }
    };
    html! {
        <section class="card" id="acm-view">
            <h2>{"ACM view"}</h2>
            <p class="chips">
                { badge(st["status"] == "ISSUED", s(&st["status"]), "acm-state-status") }
                { badge(st["renewalEligibility"] == "ELIGIBLE", format!("renewal {}", s(&st["renewalEligibility"])), "acm-state-renewal") }
                { badge(st["configRule"] == "COMPLIANT", format!("Config rule {}", s(&st["configRule"])), "acm-state-config") }
                <span class="badge">{ format!("{} days to expiry", s(&st["daysToExpiry"])) }</span>
            </p>
            <p class="muted" id="acm-eligibility">{ s(&st["renewalEligibilityReason"]) }</p>
            if !list(&t["coverage"]).is_empty() {
                <h3>{"Names covered"}</h3>
                <ul id="acm-coverage">
                    { for list(&t["coverage"]).iter().map(|c| html! {
                        <li class={classes!(if c["coveredBy"].is_null() { "bad" } else { "ok" })}>
                            <code>{ s(&c["host"]) }</code>{": "}
                            { if c["coveredBy"].is_null() { s(&c["reason"]) } else { format!("covered by {}", s(&c["coveredBy"])) } }
                        </li>
                    }) }
                </ul>
            }
            <h3>{"Timeline"}</h3>
            <ol class="acm-timeline" id="acm-timeline">
                { for before.iter().map(|e| event_item(e)) }
                if let (Some(first), Some(last)) = (daily.first(), daily.last()) {
                    <li data-kind="ApproachingExpiration" id="acm-daily">
                        <span class="mono">{ format!("{} … {}", s(&first["time"]), s(&last["time"])) }</span>{" "}
                        <strong>{ format!("{} × ACM Certificate Approaching Expiration", daily.len()) }</strong>
                        { format!(" ({} already sent)", daily.iter().filter(|e| e["past"] == true).count()) }
                        <details><summary>{"First EventBridge event"}</summary><pre class="mono">{ serde_json::to_string_pretty(&first["eventBridge"]).unwrap_or_default() }</pre></details>
                    </li>
                }
                { for after.iter().map(|e| event_item(e)) }
            </ol>
            <h3>{"Where it must be"}</h3>
            <table class="fields" id="acm-placements">
                { for list(&t["placements"]).iter().map(|p| html! {
                    <tr class={classes!(if p["ok"] == true { "ok" } else { "bad" })}>
                        <th>{ s(&p["service"]) }</th><td>{ format!("needs {}: {}", s(&p["requiredRegion"]), if p["ok"] == true { "ok" } else { "wrong region" }) }</td></tr>
                }) }
            </table>
            if !list(&t["validationRecords"]).is_empty() {
                <h3>{"DNS validation"}</h3>
                <table class="fields mono small" id="acm-cname">
                    { for list(&t["validationRecords"]).iter().map(|r| html! {
                        <tr><th>{ s(&r["DomainName"]) }</th><td>{ format!("{} CNAME {}", s(at(r, &["ResourceRecord", "Name"])), s(at(r, &["ResourceRecord", "Value"]))) }</td></tr>
                    }) }
                </table>
                <p class="hint">{"Token values here are illustrative; ACM issues its own per request. Keep the record in DNS: managed renewal validates with it."}</p>
            }
            <h3>{"Export"}</h3>
            <p id="acm-export" class={classes!(if at(t, &["export", "allowed"]) == true { "ok" } else { "muted" })}>{ s(at(t, &["export", "reason"])) }</p>
            <details><summary>{"aws acm describe-certificate"}</summary>
                <pre class="mono" id="acm-describe">{ serde_json::to_string_pretty(&t["describeCertificate"]).unwrap_or_default() }</pre></details>
        </section>
    }
}

#[function_component]
pub fn AcmPage() -> Html {
    let opening = use_memo((), |_| {
        // A link's actions are set, not computed: the one computation comes after the first render.
        super::super::share_bar::Opening::new(
            super::share::open,
            AcmState::uncomputed,
            |mut s: AcmState, a| {
                s.set(a);
                s
            },
        )
    });
    let state = use_reducer(|| opening.take());
    {
        // The page's frame first, its first results computed in a task of their own and shown
        // in a third (`pages::later`).
        let (work, show) = (state.clone(), state.clone());
        crate::pages::later::use_later(
            move || (*work).clone().computed(),
            move |s| show.dispatch(Action::Computed(Box::new(s))),
        );
    }
    let share_link = {
        let state = state.clone();
        Callback::from(move |()| Ok(super::share::encode(&state)))
    };
    let reader = use_mut_ref(|| None::<FileReader>);
    let choose = {
        let (state, reader) = (state.clone(), reader.clone());
        Rc::new(move |f: File| {
            let state = state.clone();
            let name = f.name();
            let task = gloo_file::callbacks::read_as_bytes(&gloo_file::File::from(f), move |r| match r {
                Ok(b) => state.dispatch(Action::File(name, b)),
                Err(e) => state.dispatch(Action::Text(format!("could not read the file: {e}"))),
            });
            *RefCell::borrow_mut(&reader) = Some(task);
        }) as Rc<dyn Fn(File)>
    };
    let zone = use_file_drop(choose);
    let on_text = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(Action::Text(text_of(&e))))
    };
    let on_input = |f: fn(String) -> Action| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.dispatch(f(text_of(&e))))
    };
    let on_select = |f: fn(String) -> Action| {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(f(select_of(&e))))
    };
    let on_check = |f: fn(bool) -> Action| {
        let state = state.clone();
        Callback::from(move |e: Event| state.dispatch(f(checked(&e))))
    };
    let on_days = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            if let Ok(n) = text_of(&e).trim().parse::<i64>() {
                state.dispatch(Action::DaysBeforeExpiry(n));
            }
        })
    };
    html! {
        <article class="acm">
            <h1>{"ACM certificates"}</h1>
            <super::super::share_bar::ShareBar link={share_link} error={opening.error.clone()}
                holds={"A link holds the certificate text and the settings; never a private key (cut out), nor a dropped file."} />
            <p class="lede">{"Paste a PEM certificate or chain, or drop a PEM or DER file: every field as openssl shows it, \
                the chain's order and signatures, and what ACM does with it — which names it covers, managed renewal \
                60 days before expiry, expiry events from 45 days before, the Config rule, the region each service needs. \
                The certificate never leaves this page."}</p>
            <div class="row" id="acm-examples">
                { for EXAMPLES.iter().enumerate().map(|(i, ex)| {
                    let state = state.clone();
                    html! { <button id={format!("acm-example-{i}")} title={ex.note} onclick={Callback::from(move |_: MouseEvent| state.dispatch(Action::Example(i)))}>{ ex.title }</button> }
                }) }
            </div>
            <div class="grid2">
                <section class="card">
                    <h2>{"Certificate"}</h2>
                    <textarea id="acm-input" class="mono" rows="12" value={state.text.clone()} oninput={on_text}
                        placeholder="-----BEGIN CERTIFICATE-----" />
                    <label for="acm-file" id="acm-drop" class={classes!("drop", zone.dragging.then_some("over"))}
                        ondrop={zone.on_drop} ondragover={zone.on_drag_over} ondragleave={zone.on_drag_leave}>
                        <input id="acm-file" type="file" accept=".pem,.crt,.cer,.der" onchange={zone.on_change} />
                        { match &state.file_name {
                            Some(n) => html! { <span id="acm-file-name"><strong>{ n }</strong></span> },
                            None => html! { <span>{"Drop a .pem / .crt / .der file here, or click to choose one"}</span> },
                        } }
                    </label>
                </section>
                <section class="card">
                    <h2>{"ACM options"}</h2>
                    <label for="acm-type">{"Certificate type"}</label>
                    <select id="acm-type" onchange={on_select(Action::CertType)}>
                        { for ["IMPORTED", "AMAZON_ISSUED", "PRIVATE"].iter().map(|t| html! { <option value={*t} selected={state.cert_type == *t}>{ *t }</option> }) }
                    </select>
                    <label for="acm-date">{"Simulated date"}</label>
                    <input id="acm-date" type="date" value={state.date.clone()} oninput={on_input(Action::Date)} />
                    <label for="acm-region">{"Certificate region"}</label>
                    <input id="acm-region" class="mono" value={state.region.clone()} oninput={on_input(Action::Region)} />
                    <label for="acm-resource-region">{"API / load balancer region"}</label>
                    <input id="acm-resource-region" class="mono" value={state.resource_region.clone()} oninput={on_input(Action::ResourceRegion)} />
                    <label for="acm-days">{"DaysBeforeExpiry (1–45)"}</label>
                    <input id="acm-days" type="number" min="1" max="45" value={state.days_before_expiry.to_string()} oninput={on_days} />
                    <label><input id="acm-in-use" type="checkbox" checked={state.in_use} onchange={on_check(Action::InUse)} />{" in use (associated with ELB, CloudFront, …)"}</label>
                    <label><input id="acm-dns" type="checkbox" checked={state.dns_record_present} onchange={on_check(Action::DnsRecordPresent)} />{" DNS validation CNAME still in place"}</label>
                    <label for="acm-hosts">{"Host names to check (one a line)"}</label>
                    <textarea id="acm-hosts" class="mono" rows="3" value={state.hosts.clone()} oninput={on_input(Action::Hosts)} />
                </section>
            </div>
            { match &state.inspection {
                _ if state.pending => html! { <p class="muted" id="acm-working" role="status">{"Working…"}</p> },
                None => html! { <p class="muted">{"Paste a certificate to begin."}</p> },
                Some(Err((code, msg))) => html! {
                    <section class="card err" role="alert"><h2>{"Cannot read it"}</h2><p id="acm-error"><code>{ code }</code>{" "}{ msg }</p></section>
                },
                Some(Ok(v)) => inspection_view(v),
            } }
            { match &state.timeline {
                Some(Ok(t)) => timeline_view(t),
                Some(Err((code, msg))) => html! { <section class="card err" role="alert"><p id="acm-timeline-error"><code>{ code }</code>{" "}{ msg }</p></section> },
                None => html! {},
            } }
        </article>
    }
}
