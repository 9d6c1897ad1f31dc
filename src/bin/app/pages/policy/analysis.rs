//! What the engine says about the page state: findings per editor, the evaluation of the request
//! and context-key suggestions ([`Analysis`], at every change), and every KMS action evaluated at
//! once with the decision path's drawing ([`Later`], in a task of its own after the change, so
//! that one edit is two short tasks rather than one long one). All the logic is the engine's.

use secplay::policy::json::{evaluate_actions, read_input, referenced_context_keys};
use secplay::policy::source::{Node, Span};
use secplay::policy::{evaluate, validate_policy, Effect, Evaluation, Finding, FindingLevel, PolicyType};
use serde_json::Value;

use super::diagram::{layout, PathLayout};
use super::state::{Editor, PageState};

/// A marked range: 1-based line and character column, end exclusive (the engine's `Span`).
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub start: (u32, u32),
    pub end: (u32, u32),
    /// CSS class: `mk-allow`, `mk-deny` (statements), `mk-error`, `mk-security`, `mk-warning`,
    /// `mk-suggestion` (findings).
    pub class: &'static str,
    /// Shown on hover over the line number.
    pub title: String,
}

/// The engine's view of one page state.
#[derive(Debug)]
pub struct Analysis {
    pub findings: Vec<(Editor, Vec<Finding>)>,
    /// The evaluation, or why the input could not be read (a broken policy, a bad request).
    pub result: Result<Evaluation, String>,
    /// `identity[i]` of the input → identity editor.
    pub identity_map: Vec<usize>,
    /// Context keys the policies use.
    pub suggestions: Vec<String>,
}

/// What the page shows below the request, computed after it: every KMS action and the drawing.
#[derive(Debug)]
pub struct Later {
    /// `(action, decision)` for every KMS action, when the input is readable.
    pub actions: Vec<(String, String)>,
    /// The decision path drawing, when the input could be evaluated.
    pub path: Option<PathLayout>,
    /// The page state they are of.
    pub doc: PageState,
}

impl Later {
    pub fn of(state: &PageState) -> Later {
        let (input, _) = state.to_input();
        let path = match read_input(&Node::from_value(&input)) {
            Ok((set, req)) => Some(layout(&set, &evaluate(&set, &req))),
            Err(_) => None,
        };
        let actions = match (&path, evaluate_actions(&input, "kms")) {
            (Some(_), Ok(Value::Array(rows))) => rows
                .iter()
                .filter_map(|r| {
                    Some((r.get("action")?.as_str()?.to_string(), r.get("decision")?.as_str()?.to_string()))
                })
                .collect(),
            _ => Vec::new(),
        };
        Later { actions, path, doc: state.clone() }
    }
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
        let result = match read_input(&Node::from_value(&input)) {
            Ok((set, req)) => Ok(evaluate(&set, &req)),
            Err(e) => Err(e.to_string()),
        };
        let suggestions = match referenced_context_keys(&input) {
            Ok(Value::Array(keys)) => keys.iter().filter_map(|k| k.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        };
        Analysis { findings, result, identity_map, suggestions }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::policy::presets::Preset;
    use crate::pages::policy::state::Msg;

    fn console() -> PageState {
        Preset::ConsoleKey.state().unwrap_or_default()
    }

    #[test]
    fn a_template_is_allowed_and_its_deciding_statement_tinted() {
        let a = Analysis::of(&console());
        let ev = a.result.as_ref().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ev.decision.as_str(), "allowed", "{ev:?}");
        let marks = a.marks_of(Editor::Key);
        assert!(marks.iter().any(|m| m.class == "mk-allow" && m.title.starts_with("decided:")), "{marks:?}");
        assert!(a.marks_of(Editor::Scp).is_empty());
        let later = Later::of(&console());
        assert!(later.actions.iter().any(|(action, _)| action == "kms:Decrypt"), "{:?}", later.actions);
        assert!(later.actions.len() > 20, "every KMS action: {}", later.actions.len());
        assert!(later.path.is_some(), "an evaluated request is drawn");
    }

    #[test]
    fn a_broken_policy_is_an_error_with_an_underlined_finding() {
        let s = console().reduce(Msg::SetPolicy(
            Editor::Key,
            "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [".into(),
        ));
        let a = Analysis::of(&s);
        assert!(a.result.is_err(), "a broken key policy cannot be evaluated");
        let later = Later::of(&s);
        assert!(later.actions.is_empty() && later.path.is_none(), "nothing to list or draw: {later:?}");
        let findings = a.findings_of(Editor::Key);
        assert!(findings.iter().any(|f| f.level == FindingLevel::Error), "{findings:?}");
        let marks = a.marks_of(Editor::Key);
        assert!(marks.iter().any(|m| m.class == "mk-error" && m.start.0 >= 1), "{marks:?}");
    }

    #[test]
    fn findings_belong_to_their_editor() {
        let s = console()
            .reduce(Msg::AddIdentity)
            .reduce(Msg::SetPolicy(Editor::Identity(0), "{\"Statement\": [".into()));
        let a = Analysis::of(&s);
        assert!(!a.findings_of(Editor::Identity(0)).is_empty(), "{:?}", a.findings);
        assert!(a.findings_of(Editor::Identity(4)).is_empty());
        assert!(a.findings_of(Editor::Session).is_empty(), "an empty editor is not validated");
    }

    #[test]
    fn context_keys_the_policies_use_are_suggested() {
        let s = Preset::ParameterStore.state().unwrap_or_default();
        let a = Analysis::of(&s);
        assert!(
            a.suggestions.iter().any(|k| k.eq_ignore_ascii_case("kms:ViaService")),
            "{:?}",
            a.suggestions
        );
    }

    #[test]
    fn an_empty_page_is_evaluated_without_trouble() {
        let a = Analysis::of(&PageState::default());
        assert!(a.findings.iter().all(|(_, f)| f.is_empty()));
        assert!(a.marks_of(Editor::Key).is_empty());
    }

    #[test]
    fn every_level_has_its_class() {
        let classes = [
            FindingLevel::Error,
            FindingLevel::SecurityWarning,
            FindingLevel::Warning,
            FindingLevel::Suggestion,
        ]
        .map(level_class);
        assert_eq!(classes, ["mk-error", "mk-security", "mk-warning", "mk-suggestion"]);
    }
}
