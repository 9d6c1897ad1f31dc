//! The file panel's state: the chosen file (name and size), the job running in the file worker or
//! how it ended, and the header the worker read; the actions that change it, and the worker's
//! messages read into those actions.
//!
//! Plain Rust for every target, tested natively. Starting the worker, posting to it and offering the
//! result as a download are the file-worker service's (`services/file_worker.rs`).

use serde::Deserialize;
use serde_json::Value;

use super::Failure;

/// Encrypt or decrypt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Encrypt,
    Decrypt,
}

impl Mode {
    /// The word the worker's `run` message carries.
    pub fn word(self) -> &'static str {
        match self {
            Mode::Encrypt => "encrypt",
            Mode::Decrypt => "decrypt",
        }
    }

    /// The download name of a result made from `input`.
    pub fn output_name(self, input: &str) -> String {
        match self {
            Mode::Encrypt => format!("{input}.esdk"),
            Mode::Decrypt => match input.strip_suffix(".esdk") {
                Some(stem) if !stem.is_empty() => stem.to_owned(),
                _ => format!("{input}.decrypted"),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    Idle,
    Running { id: u32, mode: Mode, done: f64, total: f64, ms: f64, wasm: f64 },
    Done { mode: Mode, url: String, name: String, bytes: f64, total: f64, ms: f64, wasm: f64 },
    Failed(Failure),
    Cancelled,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FileState {
    pub job: Job,
    pub next_id: u32,
    pub header: Option<Value>,
    /// The chosen file's name and size (the `File` itself stays with the page).
    pub chosen: Option<(String, f64)>,
}

impl Default for FileState {
    fn default() -> Self {
        Self { job: Job::Idle, next_id: 0, header: None, chosen: None }
    }
}

#[derive(Debug)]
pub enum Action {
    Chosen(String, f64),
    Start(Mode),
    Progress { id: u32, done: f64, total: f64, ms: f64, wasm: f64 },
    Header(u32, Value),
    Done { id: u32, url: String, name: String, bytes: f64, total: f64, ms: f64, wasm: f64 },
    Failed(u32, Failure),
    Cancelled(u32),
}

impl FileState {
    pub fn running_id(&self) -> Option<u32> {
        match self.job {
            Job::Running { id, .. } => Some(id),
            _ => None,
        }
    }

    pub fn reduce(mut self, action: Action) -> Self {
        let current = self.running_id();
        let s = &mut self;
        match action {
            Action::Chosen(name, size) => {
                s.chosen = Some((name, size));
                if current.is_none() {
                    s.job = Job::Idle;
                    s.header = None;
                }
            }
            Action::Start(mode) => {
                s.next_id = s.next_id.saturating_add(1);
                s.header = None;
                let total = s.chosen.as_ref().map_or(0.0, |c| c.1);
                s.job = Job::Running { id: s.next_id, mode, done: 0.0, total, ms: 0.0, wasm: 0.0 };
            }
            Action::Progress { id, done, total, ms, wasm } if current == Some(id) => {
                if let Job::Running { mode, .. } = s.job {
                    s.job = Job::Running { id, mode, done, total, ms, wasm };
                }
            }
            Action::Header(id, h) if current == Some(id) => s.header = Some(h),
            Action::Done { id, url, name, bytes, total, ms, wasm } if current == Some(id) => {
                if let Job::Running { mode, .. } = s.job {
                    s.job = Job::Done { mode, url, name, bytes, total, ms, wasm };
                }
            }
            Action::Failed(id, f) if current == Some(id) => s.job = Job::Failed(f),
            Action::Cancelled(id) if current == Some(id) => s.job = Job::Cancelled,
            // A message from a job that is no longer the current one.
            Action::Progress { .. }
            | Action::Header(..)
            | Action::Done { .. }
            | Action::Failed(..)
            | Action::Cancelled(_) => {}
        }
        self
    }
}

reducible!(FileState, Action);

/// A message from the file worker (`www/esdk-worker.js`), its plain fields only: a `done`
/// message's file is the service's to turn into a download link.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkerMessage {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: f64,
    pub done: f64,
    pub total: f64,
    pub ms: f64,
    pub wasm_bytes: f64,
    pub bytes: f64,
    pub header: Option<Value>,
    pub code: String,
    pub message: String,
}

impl WorkerMessage {
    /// The job the message is about (0, which no job has, when it is missing or out of range).
    pub fn job(&self) -> u32 {
        crate::pages::worker_job(self.id)
    }

    /// The action the message stands for; `done` needs the download link and name the service made.
    /// `None` for a message the page does not know (ignored).
    pub fn action(self, download: Option<(String, String)>) -> Option<Action> {
        let id = self.job();
        Some(match self.kind.as_str() {
            "progress" => Action::Progress {
                id,
                done: self.done,
                total: self.total,
                ms: self.ms,
                wasm: self.wasm_bytes,
            },
            "header" => Action::Header(id, self.header?),
            "done" => match download {
                Some((url, name)) => Action::Done {
                    id,
                    url,
                    name,
                    bytes: self.bytes,
                    total: self.total,
                    ms: self.ms,
                    wasm: self.wasm_bytes,
                },
                None => Action::Failed(id, Failure::new("WorkerFailed", "the worker returned no file")),
            },
            "failed" => Action::Failed(id, Failure::new(&self.code, self.message)),
            "cancelled" => Action::Cancelled(id),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn running() -> FileState {
        FileState::default()
            .reduce(Action::Chosen("report.pdf".into(), 2048.0))
            .reduce(Action::Start(Mode::Encrypt))
    }

    #[test]
    fn a_job_runs_reports_and_ends() {
        let s = running();
        assert_eq!(s.running_id(), Some(1));
        assert_eq!(
            s.job,
            Job::Running { id: 1, mode: Mode::Encrypt, done: 0.0, total: 2048.0, ms: 0.0, wasm: 0.0 }
        );
        let s = s
            .reduce(Action::Progress { id: 1, done: 1024.0, total: 2048.0, ms: 5.0, wasm: 1.0 })
            .reduce(Action::Header(1, json!({"suiteHex": "0x0578"})));
        assert!(matches!(s.job, Job::Running { done, .. } if done == 1024.0));
        assert!(s.header.is_some());
        let s = s.reduce(Action::Done {
            id: 1,
            url: "blob:x".into(),
            name: "report.pdf.esdk".into(),
            bytes: 2300.0,
            total: 2048.0,
            ms: 9.0,
            wasm: 1.0,
        });
        assert!(matches!(&s.job, Job::Done { name, .. } if name == "report.pdf.esdk"));
        assert_eq!(s.running_id(), None);
    }

    #[test]
    fn messages_of_an_old_job_are_ignored() {
        let s = running().reduce(Action::Cancelled(1)).reduce(Action::Start(Mode::Decrypt));
        assert_eq!(s.running_id(), Some(2));
        let before = s.clone();
        let s = s
            .reduce(Action::Progress { id: 1, done: 9.0, total: 9.0, ms: 1.0, wasm: 1.0 })
            .reduce(Action::Failed(1, Failure::new("X", "old")))
            .reduce(Action::Header(7, json!({})))
            .reduce(Action::Cancelled(0));
        assert_eq!(s, before);
        let s = s.reduce(Action::Failed(2, Failure::new("TagMismatch", "bad tag")));
        assert_eq!(s.job, Job::Failed(Failure::new("TagMismatch", "bad tag")));
    }

    #[test]
    fn choosing_a_file_while_a_job_runs_keeps_the_job() {
        let s = running().reduce(Action::Chosen("other".into(), 1.0));
        assert_eq!(s.running_id(), Some(1));
        assert_eq!(s.chosen, Some(("other".into(), 1.0)));
        let idle = s.reduce(Action::Cancelled(1)).reduce(Action::Chosen("third".into(), 3.0));
        assert_eq!(idle.job, Job::Idle);
    }

    #[test]
    fn download_names() {
        assert_eq!(Mode::Encrypt.output_name("a.txt"), "a.txt.esdk");
        assert_eq!(Mode::Decrypt.output_name("a.txt.esdk"), "a.txt");
        assert_eq!(Mode::Decrypt.output_name(".esdk"), ".esdk.decrypted");
        assert_eq!(Mode::Decrypt.output_name("plain"), "plain.decrypted");
    }

    fn message(v: serde_json::Value) -> WorkerMessage {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn worker_messages_become_actions() {
        let p = message(
            json!({"type": "progress", "id": 3, "done": 10, "total": 20, "ms": 1.5, "wasmBytes": 64}),
        );
        assert!(
            matches!(p.action(None), Some(Action::Progress { id: 3, done, wasm, .. }) if done == 10.0 && wasm == 64.0)
        );
        let h = message(json!({"type": "header", "id": 3, "header": {"frameLength": 4096}}));
        assert!(matches!(h.action(None), Some(Action::Header(3, v)) if v["frameLength"] == 4096));
        let d = message(json!({"type": "done", "id": 3, "bytes": 5, "file": {}}));
        let link = Some(("blob:1".to_string(), "f.esdk".to_string()));
        assert!(matches!(d.action(link), Some(Action::Done { id: 3, url, .. }) if url == "blob:1"));
        let f = message(json!({"type": "failed", "id": 3, "code": "SignatureInvalid", "message": "bad"}));
        assert!(matches!(f.action(None), Some(Action::Failed(3, e)) if e.code == "SignatureInvalid"));
        assert!(matches!(
            message(json!({"type": "cancelled", "id": 3})).action(None),
            Some(Action::Cancelled(3))
        ));
    }

    #[test]
    fn odd_worker_messages_are_ignored_or_fail_safely() {
        assert!(message(json!({"type": "hello", "id": 1})).action(None).is_none());
        assert!(message(json!({"type": "header", "id": 1})).action(None).is_none(), "a header without one");
        let no_file = message(json!({"type": "done", "id": 2})).action(None);
        assert!(matches!(no_file, Some(Action::Failed(2, e)) if e.code == "WorkerFailed"));
        for id in [json!(-1), json!(0.5), json!(1e12), json!(0)] {
            assert_eq!(message(json!({"type": "cancelled", "id": id})).job(), 0, "{id}");
        }
        assert!(serde_json::from_value::<WorkerMessage>(json!({"type": "progress", "id": "3"})).is_err());
    }
}
