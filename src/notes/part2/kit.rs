//! What this part's chapters share: a run that collects step outcomes and stops after the first
//! step that does not go as written, and engine errors turned into [`StepError`]s.

use serde_json::Value;

use crate::notes::model::{PageLink, StepError, StepOutcome};

/// The steps of one run, as they happen.
#[derive(Default)]
pub(super) struct Steps {
    out: Vec<StepOutcome>,
}

/// One step about to be recorded: everything but its result.
pub(super) struct Step {
    pub id: &'static str,
    pub title: String,
    pub engine: &'static str,
    pub explain: String,
    pub expected_error: Option<&'static str>,
    pub open: Option<PageLink>,
}

impl Step {
    /// A step expected to succeed, with no page link yet.
    pub fn new(
        id: &'static str,
        engine: &'static str,
        title: impl Into<String>,
        explain: impl Into<String>,
    ) -> Step {
        Step { id, title: title.into(), engine, explain: explain.into(), expected_error: None, open: None }
    }

    /// The step is written to fail with `code` (it shows a check AWS makes).
    pub fn expecting(mut self, code: &'static str) -> Step {
        self.expected_error = Some(code);
        self
    }

    /// The page that shows this step's state.
    pub fn link(mut self, route: &'static str, doc: Value) -> Step {
        self.open = Some(PageLink { route, doc });
        self
    }
}

impl Steps {
    /// Records a step; `None` when it did not go as written (the run stops there).
    pub fn push(&mut self, step: Step, result: Result<String, StepError>) -> Option<()> {
        let outcome = StepOutcome {
            id: step.id,
            title: step.title,
            engine: step.engine,
            explain: step.explain,
            result,
            expected_error: step.expected_error,
            open: step.open,
        };
        let ok = outcome.as_written();
        self.out.push(outcome);
        ok.then_some(())
    }

    pub fn into_vec(self) -> Vec<StepOutcome> {
        self.out
    }
}

/// A step error with an engine's code and message.
pub(super) fn fail(code: impl Into<String>, message: impl Into<String>) -> StepError {
    StepError { code: code.into(), message: message.into() }
}

/// Pretty JSON text, as the pages' text boxes hold it.
pub(super) fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// The member at a JSON pointer, or `null` (engine responses read without indexing).
pub(super) fn at<'a>(v: &'a Value, pointer: &str) -> &'a Value {
    static NULL: Value = Value::Null;
    v.pointer(pointer).unwrap_or(&NULL)
}
