//! The "Key policies" page: edit a key policy and the caller's IAM policies (plus an optional SCP,
//! permissions boundary and session policy), build a request, and see what AWS would decide,
//! which statements decided it (tinted in the editors), the trace, and every KMS action at once.
//! Findings of Access Analyzer-style validation are underlined in place. Templates from the notes
//! fill the page; share links carry its state in the URL fragment.
//!
//! The component renders and dispatches; the state is `state.rs`, evaluation, validation and
//! templates are the engine's (`secplay::policy`), the address bar is `services::location`.

use secplay::policy::actions::service_actions;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::analysis::{level_class, Analysis, Later};
use super::editor::{self, PolicyEditor};
use super::presets::Preset;
use super::results::{ActionsTable, DecisionView};
use super::share;
use super::state::{Editor, Field, Msg, Page, PageState, MAX_IDENTITY};
use crate::pages::json_editor::FormatButton;
use crate::services::location;

fn input_text(e: &InputEvent) -> String {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|t| t.value())
        .unwrap_or_default()
}

/// The state the page opens with: a share link's, or the console template.
fn initial() -> Page {
    Page::open(share::decode(&location::hash()), || Preset::ConsoleKey.state().unwrap_or_default())
}

#[function_component]
pub fn PolicyPage() -> Html {
    let page = use_reducer(initial);
    // A share link opened in this tab while the page is showing (pasted into the address bar).
    {
        let page = page.clone();
        location::use_hash_change(move |hash| match share::decode(&hash) {
            Ok(None) => {}
            read => page.dispatch(Msg::Opened(read.map(|s| s.map(Box::new)))),
        });
    }
    let state = &page.doc;
    let analysis = use_memo(state.clone(), Analysis::of);
    let evaluation = use_memo(state.clone(), |_| analysis.result.clone());

    let on_preset = |p: Preset| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.dispatch(Msg::Template(p.state().map(Box::new))))
    };
    let on_share = {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| {
            let fragment = share::encode(&page.doc);
            page.dispatch(Msg::Shared(location::set_hash(&fragment)));
        })
    };
    let field = |f: Field| {
        let page = page.clone();
        Callback::from(move |e: InputEvent| page.dispatch(Msg::SetField(f, input_text(&e))))
    };
    let on_add_key = {
        let page = page.clone();
        Callback::from(move |k: String| page.dispatch(Msg::AddContext(k)))
    };

    let editor = |e: Editor, placeholder: &'static str| {
        let oninput = {
            let page = page.clone();
            Callback::from(move |t: String| page.dispatch(Msg::SetPolicy(e, t)))
        };
        let id = e.dom_id();
        let findings = analysis.findings_of(e);
        html! {
            <div class="policy-editor">
                <div class="ed-head">
                    <label for={format!("policy-{id}")}>{ e.label() }</label>
                    <FormatButton for_id={format!("policy-{id}")} what={e.label()} text={AttrValue::from(state.policy(e).to_string())}
                        onformat={oninput.clone()} />
                    if let Editor::Identity(i) = e {
                        <button class="link" id={format!("remove-{id}")}
                            onclick={let s = page.clone(); Callback::from(move |_| s.dispatch(Msg::RemoveIdentity(i)))}>{"Remove"}</button>
                    }
                </div>
                <PolicyEditor id={id.clone()} text={AttrValue::from(state.policy(e).to_string())}
                    marks={analysis.marks_of(e)} oninput={oninput} placeholder={placeholder}
                    described_by={(!findings.is_empty()).then(|| AttrValue::from(format!("findings-{id}")))} />
                if !findings.is_empty() {
                    <ul class="findings" id={format!("findings-{id}")}>
                        { for findings.iter().map(|f| html! {
                            <li class={level_class(f.level)}>
                                <span class="level">{ f.level.as_str() }</span>{" "}
                                <code>{ f.code }</code>{" "}
                                if let Some(s) = f.span {
                                    <button class="goto pos" title="Show it in the editor"
                                        onclick={let id = id.clone(); Callback::from(move |_: MouseEvent| editor::reveal(&id, s.start.line))}>
                                        { format!("{}:{}", s.start.line, s.start.column) }
                                    </button>{" "}
                                }
                                { &f.message }
                            </li>
                        }) }
                    </ul>
                }
            </div>
        }
    };
    let optional = |e: Editor, summary: &'static str, placeholder: &'static str| {
        html! {
            <details class="optional" open={!state.policy(e).trim().is_empty()}>
                <summary>{ summary }</summary>
                { editor(e, placeholder) }
            </details>
        }
    };

    // The action list never changes: made once, not at every edit.
    let kms_actions = use_memo((), |_| -> Vec<String> {
        service_actions("kms")
            .map(|(a, _)| a.iter().map(|a| format!("kms:{a}")).collect())
            .unwrap_or_default()
    });
    let missing: Vec<String> = match &*evaluation {
        Ok(ev) => ev.missing_context_keys.clone(),
        Err(_) => Vec::new(),
    };
    let suggest: Vec<&String> = analysis
        .suggestions
        .iter()
        .filter(|k| !state.context.iter().any(|(c, _)| c.trim().eq_ignore_ascii_case(k)))
        .collect();

    html! {
        <article class="policy-page">
            <h1>{"Key policies"}</h1>
            <p class="lede">{"Edit a KMS key policy and the caller's IAM policies, build a request, and see what AWS \
                would decide: which statements decided it (tinted in the editors), the evaluation trace, and every \
                KMS action at once. Validation findings are underlined where they are."}</p>

            if let Some(e) = &page.share_error {
                <section class="card err" role="alert" id="share-error">
                    <p><strong>{"This share link could not be opened: "}</strong>{ e }{". Nothing was loaded from it."}</p>
                </section>
            }

            <section class="toolbar" aria-label="Templates and sharing">
                <span class="muted">{"Templates:"}</span>
                { for Preset::ALL.iter().map(|p| html! {
                    <button id={p.id()} title={p.description()} onclick={on_preset(*p)}>{ p.title() }</button>
                }) }
                <span class="spacer" />
                <button id="share" class="primary" onclick={on_share}>{"Share link"}</button>
            </section>
            if let Some(e) = &page.template_error {
                <p class="card err" role="alert">{ e }</p>
            }
            if let Some(url) = &page.share_url {
                <section class="share-box">
                    <label for="share-url">{"Share link (in the address bar too). It holds the policies and the request, \
                        nothing else; don't put secrets in context values."}</label>
                    <input id="share-url" class="mono" readonly=true value={url.clone()}
                        onfocus={Callback::from(|e: FocusEvent| {
                            if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); }
                        })} />
                </section>
            }

            <div class="policy-grid">
                <section class="policies" aria-label="Policies">
                    { editor(Editor::Key, "Paste a key policy (aws kms get-key-policy … --output text)") }
                    { for (0..state.identity.len()).map(|i| editor(Editor::Identity(i), "Paste an IAM identity policy")) }
                    if state.identity.len() < MAX_IDENTITY {
                        <button id="add-identity" onclick={let s = page.clone(); Callback::from(move |_| s.dispatch(Msg::AddIdentity))}>
                            {"Add an identity policy"}
                        </button>
                    }
                    { optional(Editor::Scp, "Service control policy (optional)", "An SCP at the organisation root; empty = none") }
                    { optional(Editor::Boundary, "Permissions boundary (optional)", "The caller's permissions boundary; empty = none") }
                    { optional(Editor::Session, "Session policy (optional)", "A session policy passed to AssumeRole; empty = none") }
                </section>

                <section class="side-panel">
                    <section class="card request" aria-label="Request">
                        <h2>{"Request"}</h2>
                        <label for="req-principal">{"Principal ARN (empty: anonymous)"}</label>
                        <input id="req-principal" class="mono" value={state.principal.clone()} oninput={field(Field::Principal)} />
                        <label for="req-action">{"Action"}</label>
                        <input id="req-action" class="mono" list="kms-actions" value={state.action.clone()} oninput={field(Field::Action)} />
                        <datalist id="kms-actions">{ for kms_actions.iter().map(|a| html! { <option value={a.clone()} /> }) }</datalist>
                        <label for="req-resource">{"Resource ARN"}</label>
                        <input id="req-resource" class="mono" value={state.resource.clone()} oninput={field(Field::Resource)} />
                        <label for="req-account">{"Resource account (empty: from the ARN)"}</label>
                        <input id="req-account" class="mono" value={state.resource_account.clone()} oninput={field(Field::ResourceAccount)} />
                        <h3>{"Context keys"}</h3>
                        <p class="muted small">{"Global keys such as aws:PrincipalArn come from the principal. \
                            A value written as a JSON array, such as [\"a\", \"b\"], is multivalued."}</p>
                        <datalist id="context-keys">{ for analysis.suggestions.iter().map(|k| html! { <option value={k.clone()} /> }) }</datalist>
                        <div id="context">
                            { for state.context.iter().enumerate().map(|(i, (k, v))| {
                                let (s1, s2, s3) = (page.clone(), page.clone(), page.clone());
                                html! {
                                    <div class="ctx-row">
                                        <input class="mono ctx-key" list="context-keys" placeholder="key" aria-label="context key"
                                            value={k.clone()} oninput={Callback::from(move |e| s1.dispatch(Msg::SetContextKey(i, input_text(&e))))} />
                                        <input class="mono ctx-value" placeholder="value" aria-label="context value"
                                            value={v.clone()} oninput={Callback::from(move |e| s2.dispatch(Msg::SetContextValue(i, input_text(&e))))} />
                                        <button class="link" aria-label="remove this key"
                                            onclick={Callback::from(move |_| s3.dispatch(Msg::RemoveContext(i)))}>{"✕"}</button>
                                    </div>
                                }
                            }) }
                        </div>
                        <button id="add-context" onclick={let s = page.clone(); Callback::from(move |_| s.dispatch(Msg::AddContext(String::new())))}>{"Add a key"}</button>
                        if !suggest.is_empty() {
                            <p class="chips" id="suggestions"><span class="muted small">{"Used by the policies: "}</span>
                                { for suggest.iter().map(|k| {
                                    let (cb, key) = (on_add_key.clone(), (*k).clone());
                                    let class = if missing.iter().any(|m| m.eq_ignore_ascii_case(k)) { "chip missing" } else { "chip" };
                                    html! { <button class={class} onclick={Callback::from(move |_| cb.emit(key.clone()))}>{ format!("+ {k}") }</button> }
                                }) }
                            </p>
                        }
                    </section>
                    <DecisionView evaluation={evaluation.clone()} identity_map={analysis.identity_map.clone()} on_add_key={on_add_key.clone()} />
                </section>
            </div>
            <LaterParts doc={state.clone()} />
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct LaterProps {
    doc: PageState,
}

/// The decision path and every KMS action, for the page state `doc`: computed in a timer task of
/// their own after the edit has been evaluated and shown, not in the edit's task (57 evaluations
/// and a drawing made an edit of a key policy one long task). A slice rather than a worker: the
/// work is bounded (one policy set, the fixed KMS action list), a few milliseconds on its own.
/// Until it is done (a newer edit cancels the older timer), the card says it is busy.
#[function_component]
fn LaterParts(props: &LaterProps) -> Html {
    let later = use_state(|| None::<Rc<Later>>);
    let pending = (*later).as_ref().is_none_or(|l| l.doc != props.doc);
    {
        let later = later.clone();
        use_effect_with(props.doc.clone(), move |doc| {
            let doc = doc.clone();
            let run = Closure::once(move || later.set(Some(Rc::new(Later::of(&doc)))));
            let id = web_sys::window().and_then(|w| {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(run.as_ref().unchecked_ref(), 0).ok()
            });
            move || {
                if let (Some(w), Some(id)) = (web_sys::window(), id) {
                    w.clear_timeout_with_handle(id);
                }
                drop(run);
            }
        });
    }
    let Some(l) = &*later else {
        return html! {
            <section class="card" id="actions-card" aria-busy="true">
                <h2>{"What can this principal do on this key?"}</h2>
                <p class="muted">{"Evaluating every KMS action…"}</p>
            </section>
        };
    };
    html! {
        <div class="policy-later" aria-busy={pending.then_some("true")}>
            if let Some(path) = &l.path { { super::diagram_view::path_view(path) } }
            <ActionsTable actions={l.actions.clone()} principal={AttrValue::from(l.doc.principal.clone())} />
        </div>
    }
}
