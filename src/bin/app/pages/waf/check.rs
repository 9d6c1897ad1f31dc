//! The check of a big web ACL off the page's thread: from [`WORKER_BYTES`] of text on, an edit no
//! longer builds the ACL in the reducer; the page's worker (`www/waf-acl-worker.js`, over the JS
//! package's `WebAcl`) builds it and answers what the page shows (the capacity report and whether
//! it uses geo data, or the parse errors with their lines and columns), which becomes a
//! [`Summary`] here. Plain Rust, tested natively: the page's answer from the worker's detail is
//! the answer it gives when it builds the ACL itself.
//!
//! Not here: posting to the worker (`services::waf_acl_worker`) and the state that waits for it
//! (`state.rs`).

use serde_json::Value;

use super::state::{Action, Problem, ProblemItem, Text};

/// Texts of at least this many bytes (the web ACL and its resources together) are built by the
/// worker. Below it the reducer builds them at each edit, as a page's state always did: the
/// examples and hand-written ACLs (a few kilobytes) answer at once, with no worker to start.
pub const WORKER_BYTES: usize = 64 * 1024;

/// What the page shows of the ACL built from its texts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// The capacity report when the ACL was built.
    pub capacity: Option<Value>,
    /// Why it could not be.
    pub problem: Option<Problem>,
    pub uses_geo: bool,
}

/// A message from the checker (`www/waf-acl-worker.js`).
pub use crate::pages::newest::Answer as WorkerMessage;

/// The action a checker message stands for; `None` for a message the page does not know.
pub fn action(msg: WorkerMessage) -> Option<Action> {
    let (id, answer) = msg.read("checked", "the web ACL checker")?;
    Some(Action::Checked(id, answer))
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn number(v: &Value, key: &str) -> Option<u32> {
    v.get(key).and_then(Value::as_u64).and_then(|n| u32::try_from(n).ok())
}

/// The summary of the checker's answer for texts `acl` (whose lines and columns the answer's
/// errors carry) and its resources: `{ok: true, capacity, usesGeo}` or the engine's error detail
/// (`secplay::waf::json::error_value_in`).
pub fn summary_of(answer: &Value, acl: &str) -> Summary {
    if answer.get("ok").and_then(Value::as_bool) == Some(true) {
        return Summary {
            capacity: answer.get("capacity").cloned(),
            problem: None,
            uses_geo: answer.get("usesGeo").and_then(Value::as_bool) == Some(true),
        };
    }
    Summary { capacity: None, problem: Some(problem_of(answer, acl)), uses_geo: false }
}

/// The page's problem from an error detail, as `Problem::in_text` makes it from the error itself.
/// An error in the resources is named as theirs, without a place (the detail places errors in the
/// web ACL's text only).
fn problem_of(detail: &Value, acl: &str) -> Problem {
    let first_pointer = detail.get("pointer").and_then(Value::as_str);
    let in_resources = first_pointer.is_some_and(|p| p.starts_with("/resources"));
    let (what, which) = if in_resources { ("resources", Text::Resources) } else { ("web ACL", Text::Acl) };
    let errors: Vec<&Value> = detail.get("errors").and_then(Value::as_array).into_iter().flatten().collect();
    // Where each placed error starts and ends, as textarea offsets (one pass over the text).
    let mut wanted = Vec::new();
    for e in &errors {
        let placed = !in_resources && e.get("pointer").is_some();
        if let (true, Some(l), Some(c), Some(el), Some(ec)) =
            (placed, number(e, "line"), number(e, "column"), number(e, "endLine"), number(e, "endColumn"))
        {
            wanted.push((l, c));
            wanted.push((el, ec));
        }
    }
    let offsets = utf16_offsets(acl, &wanted);
    let at = |line: u32, column: u32| {
        wanted.iter().position(|w| *w == (line, column)).and_then(|i| offsets.get(i).copied().flatten())
    };
    let items: Vec<ProblemItem> = errors
        .iter()
        .map(|e| {
            let pointer = e.get("pointer").and_then(Value::as_str).map(str::to_owned);
            let line_column =
                match (in_resources && pointer.is_some(), number(e, "line"), number(e, "column")) {
                    (false, Some(l), Some(c)) => Some((l, c)),
                    _ => None,
                };
            let place = line_column.map(|(l, c)| format!("line {l}, column {c}")).unwrap_or_default();
            let select = match (line_column, number(e, "endLine"), number(e, "endColumn"), &pointer) {
                (Some((l, c)), Some(el), Some(ec), Some(_)) => at(l, c).zip(at(el, ec)),
                _ => None,
            };
            ProblemItem {
                code: text(e, "code").to_owned(),
                message: text(e, "message").to_owned(),
                pointer,
                place,
                select,
            }
        })
        .collect();
    let place = match items.first().map(|i| i.place.as_str()) {
        Some(p) if !p.is_empty() => format!("{what}, {p}"),
        _ => what.to_owned(),
    };
    Problem {
        code: text(detail, "code").to_owned(),
        message: text(detail, "message").to_owned(),
        place: Some(place),
        items,
        more: detail.get("more").and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok()).unwrap_or(0),
        text: Some(which),
    }
}

/// The textarea offset (UTF-16 code units) of each 1-based `(line, column)` of `text` (columns
/// count characters, as the engine's reader does; the column just after a line's last character
/// is its end). One pass over the text, whatever the number of positions.
fn utf16_offsets(text: &str, positions: &[(u32, u32)]) -> Vec<Option<u32>> {
    let mut out = vec![None; positions.len()];
    let mut order: Vec<usize> = (0..positions.len()).collect();
    order.sort_by_key(|&i| positions.get(i).copied().unwrap_or((u32::MAX, u32::MAX)));
    let mut next = order.iter().peekable();
    let (mut line, mut column, mut offset) = (1u32, 1u32, 0u32);
    let mut settle =
        |line: u32, column: u32, offset: u32, next: &mut std::iter::Peekable<std::slice::Iter<usize>>| {
            while let Some(&&i) = next.peek() {
                match positions.get(i) {
                    Some(&p) if p < (line, column) => {}
                    Some(&p) if p == (line, column) => {
                        if let Some(slot) = out.get_mut(i) {
                            *slot = Some(offset);
                        }
                    }
                    _ => break,
                }
                next.next();
            }
        };
    for c in text.chars() {
        settle(line, column, offset, &mut next);
        if next.peek().is_none() {
            break;
        }
        offset = offset.saturating_add(c.len_utf16() as u32);
        if c == '\n' {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    settle(line, column, offset, &mut next);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use secplay::waf::json::{error_value_in, WebAcl};
    use serde_json::json;

    use crate::pages::waf::state::WafState;

    /// The checker's answer for `acl` as the JS package's `WebAcl` gives it (the same engine call
    /// and the same detail).
    fn answer(acl: &str, resources: &str) -> Value {
        let res = if resources.is_empty() { Value::Null } else { Value::String(resources.to_owned()) };
        match WebAcl::new(&Value::String(acl.to_owned()), &res, &json!({"trace": true})) {
            Ok(w) => json!({"ok": true, "capacity": w.capacity_report(), "usesGeo": w.uses_geo()}),
            Err(e) => error_value_in(&e, acl),
        }
    }

    fn on_thread(acl: &str, resources: &str) -> Summary {
        let s = WafState::default()
            .reduce(Action::Edit(Text::Resources, resources.to_owned()))
            .reduce(Action::Edit(Text::Acl, acl.to_owned()));
        let (capacity, problem, uses_geo) = s.acl_summary();
        Summary { capacity, problem, uses_geo }
    }

    #[test]
    fn the_workers_answer_is_the_pages_own_for_errors_in_the_acl() {
        let acls = [
            // Several errors, one of them after characters outside the BMP.
            "{\n  \"Name\": \"bad name!\",\n  \"Description\": \"\u{1F6E1}\u{FE0F} shield\",\n  \
             \"DefaultAction\": {\"Allow\": {}, \"Block\": {}},\n  \"VisibilityConfig\": {\"SampledRequestsEnabled\": true, \
             \"CloudWatchMetricsEnabled\": true, \"MetricName\": \"m\"},\n  \"Rules\": [{\"Name\": \"r\", \"Priority\": 0}]\n}",
            // Not JSON: the reader's line and column, nothing to select.
            "{\n  \"Name\": \"a\"\n  \"Rules\": []\n}",
            // Not an object.
            "[\n  \"0\",\n  \"1\"\n]",
            // One error with a member to select.
            "{\n  \"Name\": \"a\",\n  \"DefaultAction\": \"block\",\n  \"Rules\": [],\n  \"VisibilityConfig\": \
             {\"SampledRequestsEnabled\": true, \"CloudWatchMetricsEnabled\": true, \"MetricName\": \"a\"}\n}",
        ];
        for acl in acls {
            let mine = on_thread(acl, "");
            assert!(mine.problem.is_some(), "{acl}");
            assert_eq!(summary_of(&answer(acl, ""), acl), mine, "{acl}");
        }
    }

    #[test]
    fn a_built_acl_answers_its_capacity_and_geo_use() {
        for e in secplay::waf::examples::EXAMPLES {
            let (acl, res) =
                (super::super::state::pretty(e.web_acl), super::super::state::pretty(e.resources));
            let mine = on_thread(&acl, &res);
            assert_eq!(mine.problem, None, "{}", e.id);
            assert_eq!(summary_of(&answer(&acl, &res), &acl), mine, "{}", e.id);
        }
    }

    #[test]
    fn an_error_in_the_resources_is_named_as_theirs() {
        let e = secplay::waf::examples::EXAMPLES.iter().find(|e| e.id == "ip-block-list");
        let acl = super::super::state::pretty(e.map_or("", |e| e.web_acl));
        let s = summary_of(&answer(&acl, "{\"ipSets\": 5}"), &acl);
        let p = s.problem.unwrap_or_else(|| panic!("no problem"));
        assert_eq!((p.place.as_deref(), p.text), (Some("resources"), Some(Text::Resources)), "{p:?}");
    }

    /// A text past [`WORKER_BYTES`] with the same JSON (white space after it).
    fn big(text: &str) -> String {
        format!("{text}{}", " ".repeat(WORKER_BYTES))
    }

    #[test]
    fn a_big_acl_waits_for_the_newest_answer_and_shows_the_last_one_meanwhile() {
        let s = WafState::default();
        let before = s.acl_summary();
        assert!(before.0.is_some() && s.checking().is_none());
        let valid = big(&s.acl);
        let s = s.reduce(Action::Edit(Text::Acl, valid.clone()));
        let first = s.checking().unwrap_or_else(|| panic!("a big text is the worker's"));
        assert_eq!(s.acl_summary(), before, "the last answer shows until the worker's");
        // A newer edit supersedes the check under way: the older answer is dropped.
        let small_broken = r#"{
  "Name": "bad name!",
  "Rules": 5
}"#;
        let broken = big(small_broken);
        let s = s.reduce(Action::Edit(Text::Acl, broken.clone()));
        let newer = s.checking().unwrap_or_else(|| panic!("no check"));
        assert_ne!(first, newer);
        let s = s.reduce(Action::Checked(first, Ok(answer(&valid, ""))));
        assert_eq!((s.checking(), s.acl_summary()), (Some(newer), before));
        let s = s.reduce(Action::Checked(newer, Ok(answer(&broken, ""))));
        assert_eq!(s.checking(), None);
        let (capacity, problem, uses_geo) = s.acl_summary();
        assert_eq!(Summary { capacity, problem, uses_geo }, on_thread(small_broken, ""));
        assert!(
            s.acl_summary().1.is_some_and(|p| p.items.iter().any(|i| i.select.is_some())),
            "members to select"
        );
    }

    #[test]
    fn a_big_acl_is_built_here_to_evaluate_or_when_the_worker_fails() {
        let small = WafState::default().reduce(Action::Evaluate(1));
        let s = WafState::default();
        let text = big(&s.acl);
        let s = s.reduce(Action::Edit(Text::Acl, text.clone())).reduce(Action::Evaluate(1));
        assert_eq!(s.checking(), None, "the evaluation built it: no answer is waited for");
        assert_eq!(
            s.records.last().map(|r| r.get("action").cloned()),
            small.records.last().map(|r| r.get("action").cloned())
        );
        assert_eq!(s.acl_summary().0, small.acl_summary().0);
        let s = s.reduce(Action::Edit(Text::Acl, format!("{text} ")));
        let id = s.checking().unwrap_or_else(|| panic!("no check"));
        let s = s.reduce(Action::Checked(id, Err("could not start".into())));
        assert_eq!((s.checking(), s.acl_summary().0), (None, small.acl_summary().0));
    }

    #[test]
    fn positions_become_utf16_offsets_in_one_pass() {
        let text = "ab\n\u{1F6E1}x\ny";
        let got = utf16_offsets(text, &[(3, 1), (1, 1), (2, 2), (1, 3), (3, 2), (9, 9)]);
        assert_eq!(got, [Some(7), Some(0), Some(5), Some(2), Some(8), None]);
    }

    #[test]
    fn worker_messages_become_actions() {
        let m = WorkerMessage {
            kind: "checked".into(),
            id: 3.0,
            result: "{\"ok\":true}".into(),
            ..Default::default()
        };
        assert!(matches!(action(m), Some(Action::Checked(3, Ok(_)))));
        let m = WorkerMessage { kind: "failed".into(), id: 2.0, message: "no".into(), ..Default::default() };
        assert!(matches!(action(m), Some(Action::Checked(2, Err(ref e))) if e == "no"));
        assert!(action(WorkerMessage { kind: "evaluated".into(), ..Default::default() }).is_none());
    }
}
