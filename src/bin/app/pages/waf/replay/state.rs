//! The replay tab's state: the edited web ACL and resources, the log chosen (a file, or the
//! built-in example), the replay running in the worker or how it ended, and the sample opened
//! with what the ACL now does with it; the actions that change it, and the worker's messages
//! read into those actions.
//!
//! Plain Rust for every target, tested natively. Reading the log is the worker's
//! (`www/waf-replay-worker.js` over the JS package's `LogReplayer`, started by
//! `services::waf_replay_worker`); this state only follows it. A sample's trace is the WAF
//! engine's (`secplay::waf::json::WebAcl`), evaluated here with the ACL the replay ran with.

use secplay::waf::json::{self as waf, WebAcl};
use secplay::waf::WafError;
use serde::Deserialize;
use serde_json::{json, Value};

use super::example::EXAMPLE_ACL;
use crate::pages::waf::state::Problem;

/// Changed requests the worker keeps as samples.
pub const MAX_SAMPLES: u32 = 50;

/// A text of the tab.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    Acl,
    Resources,
}

/// The log to replay.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The built-in example (`example::example_log`).
    Example,
    /// A file the user chose: its name and size in bytes.
    File(String, f64),
}

/// How far a replay got: bytes of the file read (of `total`), records and bad lines so far,
/// milliseconds since it started, the worker's wasm memory and JS heap (bytes; 0 where the
/// browser does not say) and its wasm memory before the first chunk.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    pub bytes: f64,
    pub total: f64,
    pub records: f64,
    pub bad_lines: f64,
    pub ms: f64,
    pub wasm: f64,
    pub heap: f64,
    pub idle_wasm: f64,
}

impl Progress {
    /// Records per second so far (0 before the first millisecond).
    pub fn rate(&self) -> f64 {
        if self.ms > 0.0 {
            self.records / (self.ms / 1e3)
        } else {
            0.0
        }
    }
}

/// The replay in the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    Idle,
    Running {
        id: u32,
        progress: Progress,
    },
    /// `result` is `LogReplayer.finish()`'s answer; `acl` / `resources` the texts it ran with.
    Done {
        result: Value,
        progress: Progress,
        acl: String,
        resources: String,
    },
    Failed(Problem),
    Cancelled,
}

/// Everything the tab can do.
#[derive(Debug)]
pub enum Action {
    Edit(Text, String),
    /// Take the WAF tab's ACL and resources.
    UseAcl(String, String),
    /// Go back to the example's ACL.
    ExampleAcl,
    /// A log file was chosen: its name and size.
    Chosen(String, f64),
    /// A replay of this source starts (the next job id).
    Start(Source),
    Progress(u32, Progress),
    Done(u32, Value, Progress),
    Failed(u32, Problem),
    Cancelled(u32),
    /// Open a sample (an index into the result's samples).
    Select(usize),
}

/// What the tab holds.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayState {
    pub acl: String,
    pub resources: String,
    /// The user edited the texts here (the WAF tab's ACL is then no longer taken over).
    pub edited: bool,
    pub chosen: Option<(String, f64)>,
    /// What the last replay read.
    pub source: Option<Source>,
    pub job: Job,
    pub next_id: u32,
    /// The opened sample: its index and what the ACL does with it (a log record with the trace).
    pub selected: Option<(usize, Result<Value, Problem>)>,
}

impl Default for ReplayState {
    fn default() -> Self {
        Self {
            acl: EXAMPLE_ACL.to_owned(),
            resources: String::new(),
            edited: false,
            chosen: None,
            source: None,
            job: Job::Idle,
            next_id: 0,
            selected: None,
        }
    }
}

fn problem(e: &WafError, what: &str, source: &str) -> Problem {
    let v = waf::error_value_in(e, source);
    let place = match (v.get("line").and_then(Value::as_u64), v.get("column").and_then(Value::as_u64)) {
        (Some(l), Some(c)) => format!("{what}, line {l}, column {c}"),
        _ => what.to_owned(),
    };
    Problem { code: e.code().to_owned(), message: e.to_string(), place: Some(place), ..Problem::default() }
}

/// The ACL built from the texts (with the trace on), or why not.
fn build(acl: &str, resources: &str) -> Result<WebAcl, Problem> {
    let res = if resources.trim().is_empty() { Value::Null } else { Value::String(resources.to_owned()) };
    WebAcl::new(&Value::String(acl.to_owned()), &res, &json!({"trace": true})).map_err(|e| {
        if e.pointer().is_some_and(|p| p.starts_with("/resources")) {
            problem(&e, "resources", resources)
        } else {
            problem(&e, "web ACL", acl)
        }
    })
}

impl ReplayState {
    /// Why the texts do not make a web ACL (checked before a replay starts), if they do not.
    pub fn acl_problem(&self) -> Option<Problem> {
        build(&self.acl, &self.resources).err()
    }

    /// The id of the running replay.
    pub fn running_id(&self) -> Option<u32> {
        match self.job {
            Job::Running { id, .. } => Some(id),
            _ => None,
        }
    }

    /// The options the worker gives `new LogReplayer(acl, resources, options)`.
    pub fn options() -> Value {
        json!({ "maxSamples": MAX_SAMPLES })
    }

    pub fn reduce(mut self, action: Action) -> Self {
        let current = self.running_id();
        match action {
            Action::Edit(t, text) => {
                match t {
                    Text::Acl => self.acl = text,
                    Text::Resources => self.resources = text,
                }
                self.edited = true;
            }
            Action::UseAcl(acl, resources) => {
                self.acl = acl;
                self.resources = resources;
            }
            Action::ExampleAcl => {
                self.acl = EXAMPLE_ACL.to_owned();
                self.resources = String::new();
                // A choice made here: the WAF tab's ACL no longer replaces it.
                self.edited = true;
            }
            Action::Chosen(name, size) => self.chosen = Some((name, size)),
            Action::Start(source) => {
                self.next_id = self.next_id.saturating_add(1);
                let total = match &source {
                    Source::File(_, size) => *size,
                    Source::Example => 0.0,
                };
                self.source = Some(source);
                self.selected = None;
                self.job =
                    Job::Running { id: self.next_id, progress: Progress { total, ..Progress::default() } };
            }
            Action::Progress(id, progress) if current == Some(id) => self.job = Job::Running { id, progress },
            Action::Done(id, result, progress) if current == Some(id) => {
                self.job =
                    Job::Done { result, progress, acl: self.acl.clone(), resources: self.resources.clone() };
            }
            Action::Failed(id, p) if current == Some(id) => self.job = Job::Failed(p),
            Action::Cancelled(id) if current == Some(id) => self.job = Job::Cancelled,
            // A message from a replay that is no longer the current one.
            Action::Progress(..) | Action::Done(..) | Action::Failed(..) | Action::Cancelled(_) => {}
            Action::Select(i) => self.select(i),
        }
        self
    }

    /// Evaluates sample `i` again with the trace, through the ACL the replay ran with (a fresh
    /// copy: rate-based rules see this request alone).
    fn select(&mut self, i: usize) {
        let Job::Done { result, acl, resources, .. } = &self.job else { return };
        let Some(sample) = result.get("samples").and_then(Value::as_array).and_then(|s| s.get(i)) else {
            return;
        };
        let request = sample.get("request").cloned().unwrap_or(Value::Null);
        let record = build(acl, resources).and_then(|mut w| {
            w.evaluate(&request, &Value::Null).map_err(|e| Problem {
                code: e.code().to_owned(),
                message: e.to_string(),
                place: Some("sample".to_owned()),
                ..Problem::default()
            })
        });
        self.selected = Some((i, record));
    }
}

reducible!(ReplayState, Action);

/// A message from the replay worker (`www/waf-replay-worker.js`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WorkerMessage {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: f64,
    pub done: f64,
    pub total: f64,
    pub records: f64,
    pub bad_lines: f64,
    pub ms: f64,
    pub wasm_bytes: f64,
    pub heap_bytes: f64,
    pub idle_wasm_bytes: f64,
    /// `done`: `finish()`'s answer as JSON text.
    pub result: String,
    pub code: String,
    pub message: String,
}

impl WorkerMessage {
    /// The job the message is about (0, which no job has, when it is missing or out of range).
    pub fn job(&self) -> u32 {
        crate::pages::worker_job(self.id)
    }

    fn progress(&self) -> Progress {
        Progress {
            bytes: self.done,
            total: self.total,
            records: self.records,
            bad_lines: self.bad_lines,
            ms: self.ms,
            wasm: self.wasm_bytes,
            heap: self.heap_bytes,
            idle_wasm: self.idle_wasm_bytes,
        }
    }

    /// The action the message stands for; `None` for a message the tab does not know.
    pub fn action(self) -> Option<Action> {
        let id = self.job();
        Some(match self.kind.as_str() {
            "progress" => Action::Progress(id, self.progress()),
            "done" => match serde_json::from_str::<Value>(&self.result) {
                Ok(result) => Action::Done(id, result, self.progress()),
                Err(_) => Action::Failed(
                    id,
                    Problem {
                        code: "WorkerFailed".into(),
                        message: "the worker's result is not JSON".into(),
                        place: None,
                        ..Problem::default()
                    },
                ),
            },
            "failed" => Action::Failed(
                id,
                Problem { code: self.code, message: self.message, place: None, ..Problem::default() },
            ),
            "cancelled" => Action::Cancelled(id),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use secplay::waf::logs::json::replay_logs;

    use super::super::example::{example_log, EXAMPLE_RECORDS};
    use super::*;

    fn example_diff() -> Value {
        let acl: Value = serde_json::from_str(EXAMPLE_ACL).unwrap();
        replay_logs(&acl, &Value::Null, example_log().as_bytes(), &ReplayState::options(), None).unwrap()
    }

    fn result(s: &ReplayState) -> Option<&Value> {
        match &s.job {
            Job::Done { result, .. } => Some(result),
            _ => None,
        }
    }

    fn rule<'a>(d: &'a Value, id: &str) -> &'a Value {
        d["perRule"].as_array().unwrap().iter().find(|r| r["ruleId"] == id).unwrap_or_else(|| panic!("{id}"))
    }

    /// The worker's path, natively: the example log through the example ACL. Each figure follows
    /// from the log and the edits (see `example.rs`); a rate-based rule blocks a key's requests
    /// once its count in the window passes the limit, and a request without the custom key's
    /// header is not counted
    /// (<https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-request-limiting.html>).
    #[test]
    fn the_example_log_replays_to_the_figures_the_edits_imply() {
        let log = example_log();
        assert_eq!(log.lines().count() as u64, EXAMPLE_RECORDS);
        let d = example_diff();
        assert_eq!(d["records"], EXAMPLE_RECORDS);
        assert_eq!(d["badLines"], 0);
        // `ella`: 10 under the lowered limit now allowed, the 11th and 12th still blocked.
        // `rex`: 10 allowed as logged, the 11th and 12th now blocked.
        // Known Bad Inputs (left out): 6 now allowed. CAPTCHA → CHALLENGE: 6 other changes.
        assert_eq!(d["newlyAllowed"], 16, "{d:#}");
        assert_eq!(d["newlyBlocked"], 2);
        assert_eq!(d["otherChanges"], 6);
        assert_eq!(d["unchanged"], 12);
        let r = rule(&d, "RateBasedRule");
        assert_eq!((r["matchedBefore"].as_u64(), r["matchedAfter"].as_u64()), (Some(12), Some(4)));
        assert_eq!((r["gained"].as_u64(), r["lost"].as_u64()), (Some(2), Some(10)));
        assert!(rule(&d, "BodyTooLarge")["unjudged"].as_str().unwrap().contains("body"));
        assert_eq!(rule(&d, "CaptchaLogin")["matchedAfter"], 6);
        assert_eq!(rule(&d, "AWS-AWSManagedRulesKnownBadInputsRuleSet")["lost"], 6);
        assert_eq!(
            d["transitions"],
            json!([{"from": "ALLOW", "to": "BLOCK", "count": 2}, {"from": "BLOCK", "to": "ALLOW", "count": 16},
                {"from": "CAPTCHA", "to": "CHALLENGE", "count": 6}])
        );
        // The rate-based rule label of the documented record is a placeholder (see the data's
        // README): a rule adds only its `RuleLabels`, so all 12 `ella` records lose it; the 6
        // Known Bad Inputs records lose the group's label.
        assert_eq!(d["labelsChanged"], 18);
        assert_eq!(
            d["labels"],
            json!([{"label": "awswaf:111122223333:webacl:ExampleWebACL:rule:RateBasedRule", "added": 0, "removed": 12},
                {"label": "awswaf:managed:aws:known-bad-inputs:Host_Localhost_Header", "added": 0, "removed": 6}])
        );
        // Every record not decided before `BodyTooLarge` (the 4 rate-limited, the 6 challenged)
        // reaches it: 26 cannot be judged for sure.
        assert_eq!(d["unjudged"], 26);
    }

    #[test]
    fn a_replay_runs_reports_ends_and_ignores_old_jobs() {
        let s = ReplayState::default().reduce(Action::Chosen("waf.log.gz".into(), 2048.0));
        let s = s.reduce(Action::Start(Source::File("waf.log.gz".into(), 2048.0)));
        assert!(matches!(&s.job, Job::Running { id: 1, progress } if progress.total == 2048.0));
        let p = Progress { bytes: 1024.0, records: 500.0, ms: 250.0, ..Progress::default() };
        let s = s.reduce(Action::Progress(1, p.clone())).reduce(Action::Progress(9, Progress::default()));
        assert!(matches!(&s.job, Job::Running { progress, .. } if progress.rate() == 2000.0));
        let s = s.reduce(Action::Cancelled(1));
        assert_eq!(s.job, Job::Cancelled);
        let s = s.reduce(Action::Start(Source::Example)).reduce(Action::Done(1, json!({}), p));
        assert!(matches!(s.job, Job::Running { id: 2, .. }), "a late message of job 1 is ignored");
        let msg = WorkerMessage {
            kind: "done".into(),
            id: 2.0,
            result: example_diff().to_string(),
            ..Default::default()
        };
        let s = s.reduce(msg.action().unwrap());
        assert_eq!(result(&s).map(|r| r["records"].clone()), Some(json!(EXAMPLE_RECORDS)));
        let bad = WorkerMessage { kind: "done".into(), id: 2.0, result: "{".into(), ..Default::default() };
        assert!(matches!(bad.action(), Some(Action::Failed(2, p)) if p.code == "WorkerFailed"));
        assert!(WorkerMessage { kind: "hello".into(), ..Default::default() }.action().is_none());
        assert_eq!(WorkerMessage { id: -3.0, ..Default::default() }.job(), 0);
        assert_eq!(Progress::default().rate(), 0.0);
    }

    #[test]
    fn a_sample_opens_with_the_trace_of_the_acl_the_replay_ran_with() {
        let s = ReplayState::default().reduce(Action::Start(Source::Example));
        let s = s.reduce(Action::Done(1, example_diff(), Progress::default()));
        // Editing the ACL afterwards does not change what the samples are judged by.
        let s = s.reduce(Action::Edit(Text::Acl, "{".into()));
        assert!(s.acl_problem().is_some());
        let samples = result(&s).unwrap()["samples"].as_array().unwrap().clone();
        let i = samples.iter().position(|x| x["actionNow"] == "CHALLENGE").unwrap();
        let s = s.reduce(Action::Select(i));
        let (at, record) = s.selected.clone().unwrap();
        assert_eq!(at, i);
        let record = record.unwrap();
        assert_eq!(record["action"], "CHALLENGE");
        assert_eq!(record["terminatingRuleId"], "CaptchaLogin");
        assert!(record["trace"].as_array().is_some_and(|t| !t.is_empty()), "{record:#}");
        // An index past the samples changes nothing.
        let s = s.reduce(Action::Select(10_000));
        assert_eq!(s.selected.map(|x| x.0), Some(i));
    }

    #[test]
    fn the_acl_comes_from_the_waf_tab_or_the_example_and_a_broken_one_is_placed() {
        let s = ReplayState::default();
        assert_eq!(s.acl_problem(), None);
        let s = s.reduce(Action::UseAcl("{\n  \"Rules\": [\n".into(), String::new()));
        let p = s.acl_problem().unwrap();
        assert!(p.place.as_deref().is_some_and(|w| w.starts_with("web ACL, line")), "{p:?}");
        assert!(!s.edited);
        let s = s.reduce(Action::Edit(Text::Resources, "{\"ipSets\": 5}".into()));
        assert!(s.edited);
        let s = s.reduce(Action::ExampleAcl);
        assert_eq!((s.acl.as_str(), s.resources.as_str(), s.edited), (EXAMPLE_ACL, "", true));
        let s = s.reduce(Action::Edit(Text::Resources, "{\"ipSets\": 5}".into()));
        assert!(s.acl_problem().unwrap().place.unwrap().starts_with("resources"));
    }
}
