//! The scanner page's state: the text being edited and the engine's report on it (recomputed on
//! every edit by `secplay::scan::json::scan`, the function the JS API calls), the file job in the
//! worker and how it ended, and the text cut into plain and highlighted segments, where every
//! highlighted segment shows the masked match, never the text itself.
//!
//! Plain Rust for every target, tested natively. Reading a file is the worker's
//! (`www/scan-worker.js` over the JS package's `SensitiveDataScanner`, started by
//! `services::scan_worker`); this state only follows it.

use std::rc::Rc;

use serde::Deserialize;
use serde_json::{json, Value};

/// Text longer than this is not scanned on each keystroke (drop it as a file instead).
pub const MAX_LIVE_BYTES: usize = 1 << 20;

/// The notes' examples (DIGEST §12: a client-side scanner for pasted text and files, pattern +
/// checksum detectors, as Macie would flag them).
pub const EXAMPLES: &[(&str, &str)] = &[
    (
        "Support ticket",
        "Ticket #48213 from jane.doe@example.com\nCustomer says the visa 4242 4242 4242 4242 was charged twice.\n\
         Call back on (415) 555-2671 or +44 20 7946 0958. SSN on file: 123-45-6789.\n",
    ),
    (
        "Leaked .env",
        "# do not commit\nAWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n\
         aws_secret_access_key = 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\n\
         SESSION=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c\n\
         -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----\n",
    ),
    (
        "HR record (Korea, EU)",
        "성명: 김민준  주민등록번호: 900101-1234568\n휴대폰 010-1234-5678  생년월일 1990-01-01\n\
         Salary to IBAN DE89 3704 0044 0532 0130 00\n",
    ),
    (
        "Look-alikes (nothing to find)",
        "Order 4242 4242 4242 4241 (fails Luhn), IBAN GB82 WEST 1234 5698 7654 33 (fails mod-97)\n\
         build 1.24.3.9981, request 123e4567-e89b-12d3-a456-426614174000, ISBN 978-3-16-148410-0\n\
         AKIAIOSFODNN7EXAMPL (19 characters), SSN 666-12-3456 (never issued), shipped 2024-01-15\n",
    ),
];

/// A problem shown on the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub code: String,
    pub message: String,
}

impl Problem {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.to_owned(), message: message.into() }
    }
}

/// The file job.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Job {
    #[default]
    Idle,
    Running {
        id: u32,
        name: String,
        done: f64,
        total: f64,
    },
    Done {
        name: String,
        /// Shared: the page state is cloned on every action, and a file's report can hold
        /// thousands of findings.
        report: Rc<Value>,
        ms: f64,
    },
    Cancelled,
    Failed(Problem),
}

/// What changes the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Edit(String),
    Example(usize),
    /// A file job starts (the reducer gives it the next id).
    Start(String, f64),
    Progress {
        id: u32,
        done: f64,
        total: f64,
    },
    Done {
        id: u32,
        report: Value,
        ms: f64,
    },
    Cancelled(u32),
    Failed(u32, Problem),
}

/// A piece of the text: plain, or a finding (shown masked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    Plain(String),
    Found { index: usize, type_id: String, severity: String, masked: String },
}

/// The page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScanState {
    pub text: String,
    pub example: Option<usize>,
    /// The report on `text`, or why there is none.
    pub report: Option<Result<Value, Problem>>,
    pub job: Job,
    pub next_id: u32,
}

fn scan_text(text: &str) -> Option<Result<Value, Problem>> {
    if text.is_empty() {
        return None;
    }
    if text.len() > MAX_LIVE_BYTES {
        return Some(Err(Problem::new(
            "TooLong",
            format!("{} bytes: drop it as a file to scan it in the background", text.len()),
        )));
    }
    Some(
        secplay::scan::json::scan(text.as_bytes(), &json!({"maxFindings": 5000}))
            .map_err(|e| Problem::new(e.code(), e.to_string())),
    )
}

impl ScanState {
    /// The page as it opens: the first example, scanned.
    pub fn opened() -> Self {
        Self::default().reduce(Action::Example(0))
    }

    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::Edit(text) => {
                self.example = None;
                self.report = scan_text(&text);
                self.text = text;
            }
            Action::Example(i) => {
                if let Some((_, text)) = EXAMPLES.get(i) {
                    self.example = Some(i);
                    self.text = (*text).to_owned();
                    self.report = scan_text(text);
                }
            }
            Action::Start(name, total) => {
                self.next_id = self.next_id.saturating_add(1);
                self.job = Job::Running { id: self.next_id, name, done: 0.0, total };
            }
            Action::Progress { id, done, total } => {
                if let Job::Running { id: running, done: d, total: t, .. } = &mut self.job {
                    if *running == id {
                        *d = done;
                        *t = total;
                    }
                }
            }
            Action::Done { id, report, ms } => {
                if let Job::Running { id: running, name, .. } = &self.job {
                    if *running == id {
                        self.job = Job::Done { name: name.clone(), report: Rc::new(report), ms };
                    }
                }
            }
            Action::Cancelled(id) => {
                if self.running_id() == Some(id) {
                    self.job = Job::Cancelled;
                }
            }
            Action::Failed(id, p) => {
                if self.running_id() == Some(id) {
                    self.job = Job::Failed(p);
                }
            }
        }
        self
    }

    /// The running job's id.
    pub fn running_id(&self) -> Option<u32> {
        match self.job {
            Job::Running { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The text cut at the findings (byte offsets from the report): findings masked.
    pub fn segments(&self) -> Vec<Segment> {
        let Some(Ok(report)) = &self.report else {
            return vec![Segment::Plain(self.text.clone())];
        };
        let mut out = Vec::new();
        let mut at = 0usize;
        let findings =
            report.get("findings").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        for (index, f) in findings.iter().enumerate() {
            let pos =
                |k: &str| f.get(k).and_then(|p| p.get("byte")).and_then(Value::as_u64).map(|n| n as usize);
            let (Some(start), Some(end)) = (pos("start"), pos("end")) else { continue };
            // Offsets that do not fall on this text's character boundaries are skipped, not trusted.
            let (Some(plain), true) = (self.text.get(at..start), self.text.is_char_boundary(end)) else {
                continue;
            };
            if !plain.is_empty() {
                out.push(Segment::Plain(plain.to_owned()));
            }
            let s = |k: &str| f.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
            out.push(Segment::Found {
                index,
                type_id: s("type"),
                severity: s("severity"),
                masked: s("masked"),
            });
            at = end;
        }
        if let Some(rest) = self.text.get(at..).filter(|r| !r.is_empty()) {
            out.push(Segment::Plain(rest.to_owned()));
        }
        out
    }
}

reducible!(ScanState, Action);

/// A message from the scan worker (`www/scan-worker.js`).
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct WorkerMessage {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: f64,
    pub done: f64,
    pub total: f64,
    pub ms: f64,
    /// `done`: `finish()`'s report as JSON text.
    pub result: String,
    pub code: String,
    pub message: String,
}

impl WorkerMessage {
    fn job(&self) -> u32 {
        crate::pages::worker_job(self.id)
    }

    /// The action the message stands for; `None` for a message the page does not know.
    pub fn action(self) -> Option<Action> {
        let id = self.job();
        Some(match self.kind.as_str() {
            "progress" => Action::Progress { id, done: self.done, total: self.total },
            "done" => match serde_json::from_str::<Value>(&self.result) {
                Ok(report) => Action::Done { id, report, ms: self.ms },
                Err(_) => Action::Failed(id, Problem::new("WorkerFailed", "the worker's report is not JSON")),
            },
            "failed" => Action::Failed(id, Problem::new(&self.code, self.message)),
            "cancelled" => Action::Cancelled(id),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn types(s: &ScanState) -> Vec<String> {
        s.segments()
            .into_iter()
            .filter_map(|x| match x {
                Segment::Found { type_id, .. } => Some(type_id),
                Segment::Plain(_) => None,
            })
            .collect()
    }

    #[test]
    fn examples_find_what_they_say_and_the_look_alikes_nothing() {
        let s = ScanState::opened();
        assert_eq!(
            types(&s),
            [
                "EMAIL_ADDRESS",
                "CREDIT_CARD_NUMBER",
                "PHONE_NUMBER",
                "PHONE_NUMBER",
                "USA_SOCIAL_SECURITY_NUMBER"
            ]
        );
        let s = s.reduce(Action::Example(1));
        assert_eq!(
            types(&s),
            ["AWS_ACCESS_KEY_ID", "AWS_CREDENTIALS", "JSON_WEB_TOKEN", "OPENSSH_PRIVATE_KEY"]
        );
        let s = s.reduce(Action::Example(2));
        assert_eq!(
            types(&s),
            ["KOREA_RESIDENT_REGISTRATION_NUMBER", "PHONE_NUMBER", "DATE_OF_BIRTH", "IBAN"]
        );
        let s = s.reduce(Action::Example(3));
        assert_eq!(types(&s), Vec::<String>::new());
    }

    #[test]
    fn segments_rebuild_the_text_with_findings_masked() {
        let s = ScanState::default().reduce(Action::Edit("é visa 4242 4242 4242 4242 ok".into()));
        let segs = s.segments();
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[0], Segment::Plain("é visa ".into()));
        assert!(matches!(&segs[1], Segment::Found { masked, .. } if masked == "**** **** **** 4242"));
        assert_eq!(segs[2], Segment::Plain(" ok".into()));
        let shown: String = segs
            .iter()
            .map(|x| match x {
                Segment::Plain(t) => t.clone(),
                Segment::Found { masked, .. } => masked.clone(),
            })
            .collect();
        assert!(!shown.contains("4242 4242 4242 4242"));
    }

    #[test]
    fn a_job_follows_its_worker_and_ignores_others() {
        let s = ScanState::default().reduce(Action::Start("big.log".into(), 100.0));
        let id = s.running_id().unwrap();
        let s = s.reduce(Action::Progress { id: id + 7, done: 50.0, total: 100.0 });
        assert!(matches!(s.job, Job::Running { done, .. } if done == 0.0));
        let msg = WorkerMessage {
            kind: "progress".into(),
            id: f64::from(id),
            done: 50.0,
            total: 100.0,
            ..Default::default()
        };
        let s = s.reduce(msg.action().unwrap());
        assert!(matches!(s.job, Job::Running { done, .. } if done == 50.0));
        let done = WorkerMessage {
            kind: "done".into(),
            id: f64::from(id),
            result: r#"{"counts":{}}"#.into(),
            ..Default::default()
        };
        let s = s.reduce(done.action().unwrap());
        assert!(matches!(&s.job, Job::Done { name, .. } if name == "big.log"));
        let bad = WorkerMessage { kind: "done".into(), id: 1.0, result: "{".into(), ..Default::default() };
        assert!(matches!(bad.action(), Some(Action::Failed(1, p)) if p.code == "WorkerFailed"));
        assert!(WorkerMessage { kind: "hello".into(), ..Default::default() }.action().is_none());
    }

    #[test]
    fn huge_paste_is_refused_with_a_hint() {
        let s = ScanState::default().reduce(Action::Edit("x".repeat(MAX_LIVE_BYTES + 1)));
        assert!(matches!(&s.report, Some(Err(p)) if p.code == "TooLong"));
    }
}
