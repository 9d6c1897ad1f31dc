//! The messages of a page's "newest wins" worker (`www/newest-worker.js`: the WAF page's web ACL
//! checker, the Firewall Manager evaluator): an answer to job `id` with its result as JSON text,
//! or `failed` with why. Plain Rust, tested natively; each page turns a read answer into its own
//! action.

use serde::Deserialize;
use serde_json::Value;

/// A message from such a worker.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Answer {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: f64,
    /// The answer as JSON text.
    pub result: String,
    pub code: String,
    pub message: String,
}

impl Answer {
    /// The job the message is about (0, which no job has, when it is missing or out of range).
    pub fn job(&self) -> u32 {
        super::worker_job(self.id)
    }

    /// The job and its answer for a message of type `done` (its result read as JSON) or
    /// `failed` (why, as the worker said it); `None` for a message of another type. `what` names
    /// the worker in the error of an answer that is not JSON.
    pub fn read(self, done: &str, what: &str) -> Option<(u32, Result<Value, String>)> {
        let id = self.job();
        if self.kind == done {
            return Some((
                id,
                serde_json::from_str::<Value>(&self.result)
                    .map_err(|_| format!("{what}'s answer is not JSON")),
            ));
        }
        (self.kind == "failed").then_some((id, Err(self.message)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_by_their_type() {
        let m = Answer { kind: "done".into(), id: 3.0, result: "{\"ok\":true}".into(), ..Default::default() };
        assert!(matches!(m.read("done", "it"), Some((3, Ok(_)))));
        let m = Answer { kind: "done".into(), id: 4.0, result: "{".into(), ..Default::default() };
        assert!(matches!(m.read("done", "it"), Some((4, Err(ref e))) if e == "it's answer is not JSON"));
        let m = Answer { kind: "failed".into(), id: -1.0, message: "no".into(), ..Default::default() };
        assert!(matches!(m.read("done", "it"), Some((0, Err(ref e))) if e == "no"));
        assert!(Answer { kind: "other".into(), ..Default::default() }.read("done", "it").is_none());
    }
}
