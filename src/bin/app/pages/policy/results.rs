//! Rendering of what the engine decided: the decision with the statements that decided it, the
//! missing context keys, the trace, and the table of every KMS action.

use secplay::policy::result::StepOutcome;
use secplay::policy::{Decision, Effect, Evaluation, MatchedStatement};
use yew::prelude::*;

use super::state::PageState;

/// `resource` → "key policy", `identity[1]` → "identity policy 2" (in editor numbering).
fn policy_name(path: &str, identity_map: &[usize]) -> String {
    match PageState::editor_of(path, identity_map) {
        Some(e) => e.label().to_lowercase(),
        None => path.to_string(),
    }
}

fn trace_subject(subject: &str, identity_map: &[usize]) -> String {
    match subject {
        "identity" => "identity policies".into(),
        "resource" => "key policy".into(),
        "permissionsBoundary" => "permissions boundary".into(),
        "session" => "session policy".into(),
        "scps[0]" => "SCP (root)".into(),
        "decision" => "decision".into(),
        other => policy_name(other, identity_map),
    }
}

fn reveal(path: &str, identity_map: &[usize], line: u32) {
    if let Some(editor) = PageState::editor_of(path, identity_map) {
        super::editor::reveal(&editor.dom_id(), line);
    }
}

fn statement_item(m: &MatchedStatement, identity_map: &[usize]) -> Html {
    let (class, effect) = match m.effect {
        Effect::Allow => ("badge allow", "Allow"),
        Effect::Deny => ("badge deny", "Deny"),
    };
    let place =
        m.span.map(|s| format!("lines {}:{}–{}:{}", s.start.line, s.start.column, s.end.line, s.end.column));
    let onclick = {
        let (path, map, line) = (m.policy.clone(), identity_map.to_vec(), m.span.map_or(1, |s| s.start.line));
        Callback::from(move |_: MouseEvent| reveal(&path, &map, line))
    };
    html! {
        <li>
            <span class={class}>{ effect }</span>{" "}
            <button class="goto" title="Show it in the editor" {onclick}>
                <strong>{ policy_name(&m.policy, identity_map) }</strong>
                { format!(", statement {}", m.statement_index) }
            </button>
            if let Some(sid) = &m.sid { {" "}<code>{ sid }</code> }
            if let Some(p) = place { {" "}<span class="muted">{ p }</span> }
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct DecisionProps {
    pub evaluation: std::rc::Rc<Result<Evaluation, String>>,
    pub identity_map: Vec<usize>,
    pub on_add_key: Callback<String>,
}

/// The decision card: decision, deciding statements, missing keys, trace.
#[function_component]
pub fn DecisionView(props: &DecisionProps) -> Html {
    let ev = match &*props.evaluation {
        Ok(ev) => ev,
        Err(message) => {
            return html! {
                <section class="card err" id="decision-card">
                    <h2>{"Decision"}</h2>
                    <p id="eval-error" role="alert">{"The request cannot be evaluated: "}{ message }</p>
                </section>
            }
        }
    };
    let (card, title, blurb) = match ev.decision {
        Decision::Allowed => ("card ok", "Allowed", "A statement allows the request and none denies it."),
        Decision::ExplicitDeny => {
            ("card err", "Explicit deny", "A Deny statement matches: nothing can override it.")
        }
        Decision::ImplicitDeny => {
            ("card warn", "Implicit deny", "No statement denies it, but what must allow it does not.")
        }
    };
    let map = &props.identity_map;
    html! {
        <section class={card} id="decision-card">
            <h2>{"Decision"}</h2>
            <p id="decision" class="decision" data-decision={ev.decision.as_str()}>
                <strong>{ title }</strong>{" "}<code>{ ev.decision.as_str() }</code>
            </p>
            <p class="muted small">{ blurb }</p>
            if !ev.matched_statements.is_empty() {
                <h3>{"Deciding statements (highlighted in the editors)"}</h3>
                <ul id="matched" class="plain">{ for ev.matched_statements.iter().map(|m| statement_item(m, map)) }</ul>
            }
            if !ev.missing_context_keys.is_empty() {
                <h3>{"Context keys the policies use that the request lacks"}</h3>
                <p id="missing" class="chips">
                    { for ev.missing_context_keys.iter().map(|k| {
                        let (cb, key) = (props.on_add_key.clone(), k.clone());
                        html! { <button class="chip" title="Add this key to the request"
                                    onclick={Callback::from(move |_| cb.emit(key.clone()))}>{ format!("+ {k}") }</button> }
                    }) }
                </p>
            }
            <h3>{"Trace"}</h3>
            <ol id="trace" class="trace">
                { for ev.trace.iter().map(|s| {
                    let (class, label) = match s.outcome {
                        StepOutcome::Allow => ("badge allow", "allow"),
                        StepOutcome::Deny => ("badge deny", "deny"),
                        StepOutcome::NoMatch => ("badge none", "no match"),
                        StepOutcome::Skipped => ("badge none", "skipped"),
                        StepOutcome::Rule => ("badge rule", "rule"),
                    };
                    html! {
                        <li>
                            <span class={class}>{ label }</span>{" "}
                            <strong>{ trace_subject(&s.subject, map) }</strong>{": "}{ &s.message }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ActionsProps {
    pub actions: Vec<(String, String)>,
    pub principal: AttrValue,
}

/// "What can this principal do on this key": every KMS action, evaluated at once.
#[function_component]
pub fn ActionsTable(props: &ActionsProps) -> Html {
    if props.actions.is_empty() {
        return html! {
            <section class="card" id="actions-card">
                <h2>{"What can this principal do on this key?"}</h2>
                <p class="muted">{"Fix the policies and the request above to see every KMS action evaluated."}</p>
            </section>
        };
    }
    let allowed = props.actions.iter().filter(|(_, d)| d == "allowed").count();
    let denied = props.actions.iter().filter(|(_, d)| d == "explicitDeny").count();
    html! {
        <section class="card" id="actions-card">
            <h2>{"What can this principal do on this key?"}</h2>
            <p class="muted small" id="actions-summary">
                { format!("{allowed} of {} KMS actions allowed, {denied} explicitly denied, for ", props.actions.len()) }
                <code>{ if props.principal.is_empty() { "an anonymous caller".into() } else { props.principal.clone() } }</code>
                {" (same resource and context)."}
            </p>
            <table id="actions-table" class="actions">
                <tbody>
                { for props.actions.chunks(3).map(|row| html! {
                    <tr>
                        { for row.iter().map(|(action, decision)| {
                            let (class, sign) = match decision.as_str() {
                                "allowed" => ("allowed", "✓"),
                                "explicitDeny" => ("explicitDeny", "✕"),
                                _ => ("implicitDeny", "–"),
                            };
                            html! {
                                <td class={class} title={decision.clone()} data-action={action.clone()}>
                                    <span class="sign" aria-hidden="true">{ sign }</span>
                                    { action.strip_prefix("kms:").unwrap_or(action) }
                                </td>
                            }
                        }) }
                    </tr>
                }) }
                </tbody>
            </table>
        </section>
    }
}
