//! The Firewall Manager page's evaluation off the page's thread, the page's side of it: the
//! messages of its worker (`www/fms-worker.js`, over the JS package's `evaluateFirewallManager`)
//! become [`Action::Evaluated`], and the worker's answer (`{ok: true, value}` or
//! `{ok: false, code, message, pointer?}`) becomes the page's result. Plain Rust, tested
//! natively here and in `state.rs` (the result from the worker's answer is the one the page's
//! own evaluation gives).
//!
//! Not here: posting to the worker (`services::fms_worker`) and the state that waits for it
//! (`state.rs`).

use serde_json::Value;

use super::state::{Action, Problem};

/// A message from the evaluator (`www/fms-worker.js`).
pub use crate::pages::newest::Answer as WorkerMessage;

/// The action an evaluator message stands for; `None` for a message the page does not know.
pub fn action(msg: WorkerMessage) -> Option<Action> {
    let (id, answer) = msg.read("evaluated", "the Firewall Manager evaluator")?;
    Some(Action::Evaluated(id, answer))
}

/// The page's result from the worker's answer: the evaluation, or the error with its code and,
/// when it has one, its JSON pointer.
pub fn result_of(answer: Value) -> Result<Value, Problem> {
    let text = |key: &str| answer.get(key).and_then(Value::as_str).unwrap_or_default().to_owned();
    if answer.get("ok").and_then(Value::as_bool) == Some(true) {
        let mut answer = answer;
        return Ok(answer.get_mut("value").map(Value::take).unwrap_or_default());
    }
    Err(Problem {
        code: text("code"),
        message: text("message"),
        pointer: answer.get("pointer").and_then(Value::as_str).map(str::to_owned),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn worker_messages_become_actions() {
        let m = WorkerMessage {
            kind: "evaluated".into(),
            id: 3.0,
            result: "{\"ok\":true,\"value\":{}}".into(),
            ..Default::default()
        };
        assert!(matches!(action(m), Some(Action::Evaluated(3, Ok(_)))));
        let m = WorkerMessage { kind: "failed".into(), id: 2.0, message: "no".into(), ..Default::default() };
        assert!(matches!(action(m), Some(Action::Evaluated(2, Err(ref e))) if e == "no"));
        assert!(action(WorkerMessage { kind: "checked".into(), ..Default::default() }).is_none());
    }

    #[test]
    fn an_answer_is_the_value_or_the_problem() {
        assert_eq!(result_of(json!({"ok": true, "value": {"at": 0}})), Ok(json!({"at": 0})));
        assert_eq!(
            result_of(json!({"ok": false, "code": "MissingField", "message": "m", "pointer": "/policies/0"})),
            Err(Problem {
                code: "MissingField".into(),
                message: "m".into(),
                pointer: Some("/policies/0".into())
            })
        );
        assert_eq!(
            result_of(json!({"ok": false, "code": "BadRequest", "message": "request: m"})),
            Err(Problem { code: "BadRequest".into(), message: "request: m".into(), pointer: None })
        );
    }
}
