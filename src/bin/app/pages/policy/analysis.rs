//! What the engine says about the page state: findings per editor, the evaluation of the request,
//! every KMS action evaluated at once, and context-key suggestions. Computed on every change
//! (microseconds to a few milliseconds); all the logic is the engine's.

use secplay::policy::json::{evaluate_actions, read_input, referenced_context_keys};
use secplay::policy::source::{Node, Span};
use secplay::policy::{evaluate, validate_policy, Effect, Evaluation, Finding, FindingLevel, PolicyType};
use serde_json::Value;

use super::editor::Mark;
use super::state::{Editor, PageState};

/// The engine's view of one page state.
#[derive(Debug)]
pub struct Analysis {
    pub findings: Vec<(Editor, Vec<Finding>)>,
    /// The evaluation, or why the input could not be read (a broken policy, a bad request).
    pub result: Result<Evaluation, String>,
    /// `identity[i]` of the input → identity editor.
    pub identity_map: Vec<usize>,
    /// `(action, decision)` for every KMS action, when the input is readable.
    pub actions: Vec<(String, String)>,
    /// Context keys the policies use.
    pub suggestions: Vec<String>,
}

impl Analysis {
    pub fn of(state: &PageState) -> Analysis {
        let findings = state
            .editors()
            .into_iter()
            .map(|e| {
                let text = state.policy(e);
                let found = match PolicyType::parse(e.policy_type()) {
                    Ok(kind) if !text.trim().is_empty() => validate_policy(text, kind),
                    _ => Vec::new(),
                };
                (e, found)
            })
            .collect();
        let (input, identity_map) = state.to_input();
        let result = read_input(&Node::from_value(&input))
            .map(|(set, req)| evaluate(&set, &req))
            .map_err(|e| e.to_string());
        let actions = match (&result, evaluate_actions(&input, "kms")) {
            (Ok(_), Ok(Value::Array(rows))) => rows
                .iter()
                .filter_map(|r| {
                    Some((r.get("action")?.as_str()?.to_string(), r.get("decision")?.as_str()?.to_string()))
                })
                .collect(),
            _ => Vec::new(),
        };
        let suggestions = match referenced_context_keys(&input) {
            Ok(Value::Array(keys)) => keys.iter().filter_map(|k| k.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        };
        Analysis { findings, result, identity_map, actions, suggestions }
    }

    /// The findings of one editor.
    pub fn findings_of(&self, e: Editor) -> &[Finding] {
        self.findings.iter().find(|(x, _)| *x == e).map_or(&[], |(_, f)| f.as_slice())
    }

    /// The marks of one editor: its findings underlined, the statements that decided tinted.
    pub fn marks_of(&self, e: Editor) -> Vec<Mark> {
        let mut marks: Vec<Mark> = self
            .findings_of(e)
            .iter()
            .filter_map(|f| {
                let s = f.span?;
                Some(Mark {
                    start: (s.start.line, s.start.column),
                    end: (s.end.line, s.end.column),
                    class: level_class(f.level),
                    title: format!("{} {}: {}", f.level.as_str(), f.code, f.message),
                })
            })
            .collect();
        if let Ok(ev) = &self.result {
            for m in &ev.matched_statements {
                if PageState::editor_of(&m.policy, &self.identity_map) != Some(e) {
                    continue;
                }
                if let Some(Span { start, end }) = m.span {
                    marks.push(Mark {
                        start: (start.line, start.column),
                        end: (end.line, end.column),
                        class: if m.effect == Effect::Deny { "mk-deny" } else { "mk-allow" },
                        title: format!("decided: {}", m.describe()),
                    });
                }
            }
        }
        marks
    }
}

/// The CSS class of a finding level (marks and list items alike).
pub fn level_class(level: FindingLevel) -> &'static str {
    match level {
        FindingLevel::Error => "mk-error",
        FindingLevel::SecurityWarning => "mk-security",
        FindingLevel::Warning => "mk-warning",
        FindingLevel::Suggestion => "mk-suggestion",
    }
}
