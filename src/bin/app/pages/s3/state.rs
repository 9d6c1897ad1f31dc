//! The S3 replication page's state: the texts being edited (the replication configuration, the
//! source bucket, the destinations, the role's policies, the keys, the objects, objects per
//! second), the verdicts the engine gave for them, which object's reasons are open, and the
//! inventory report running in the worker or how it ended; the actions that change it, and the
//! worker's messages read into those actions.
//!
//! Plain Rust for every target, tested natively. Evaluating is the engine's
//! (`secplay::s3::evaluate_replication`, the function the JS API calls): the reducer calls it on
//! every edit and keeps what it answers. Reading an inventory file is the worker's
//! (`www/s3-worker.js` over the JS package's `ReplicationEvaluator`, started by
//! `services::s3_worker`); this state only follows it.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use secplay::s3::{evaluate_replication, S3Error};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The examples as data: bases of `tests/s3/cases.json` with changes applied (see its `about`).
const EXAMPLES_JSON: &str = include_str!("examples.json");
/// The example the page opens with (cross-region with SSE-KMS).
pub const FIRST_EXAMPLE: usize = 1;
/// The columns of an S3 Inventory report with the fields S3 replication cares about; a report's
/// manifest (`manifest.json`) holds its own `fileSchema`.
pub const DEFAULT_SCHEMA: &str = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, \
    StorageClass, ReplicationStatus, EncryptionStatus, BucketKeyStatus";

/// One of the notes' examples, one click away.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub id: String,
    pub title: String,
    pub note: String,
    pub doc: String,
    pub input: Value,
    /// The deciding reason of each object at the first destination (checked by the tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub expect: Vec<String>,
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Sets `pointer` to `value` in `doc`, creating object members; an array index equal to the
/// length appends. `None` when the pointer leads nowhere.
fn set_at(doc: &mut Value, pointer: &str, value: Value) -> Option<()> {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
    let (last, parents) = tokens.split_last()?;
    let mut cur = doc;
    for t in parents {
        cur = match cur {
            Value::Object(o) => o.entry(t.clone()).or_insert_with(|| Value::Object(Map::new())),
            Value::Array(a) => a.get_mut(t.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    match cur {
        Value::Object(o) => {
            o.insert(last.clone(), value);
        }
        Value::Array(a) => {
            let i = last.parse::<usize>().ok()?;
            if i == a.len() {
                a.push(value);
            } else {
                *a.get_mut(i)? = value;
            }
        }
        _ => return None,
    }
    Some(())
}

/// Removes what `pointer` names; `None` when there is nothing there.
fn remove_at(doc: &mut Value, pointer: &str) -> Option<()> {
    let (parent, last) = pointer.rsplit_once('/')?;
    let last = unescape(last);
    match doc.pointer_mut(parent)? {
        Value::Object(o) => o.remove(&last).map(|_| ()),
        Value::Array(a) => {
            let i = last.parse::<usize>().ok().filter(|i| *i < a.len())?;
            a.remove(i);
            Some(())
        }
        _ => None,
    }
}

fn read_examples() -> Vec<Example> {
    let Ok(all) = serde_json::from_str::<Value>(EXAMPLES_JSON) else { return Vec::new() };
    let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
    let list = all.get("examples").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    list.iter()
        .filter_map(|e| {
            let mut input = all.get("bases")?.get(e.get("base")?.as_str()?)?.clone();
            for (p, v) in e.get("set").and_then(Value::as_object).into_iter().flatten() {
                set_at(&mut input, p, v.clone())?;
            }
            for p in e.get("remove").and_then(Value::as_array).into_iter().flatten() {
                remove_at(&mut input, p.as_str()?)?;
            }
            let expect = e.get("expect").and_then(Value::as_array).into_iter().flatten();
            Some(Example {
                id: text(e, "id"),
                title: text(e, "title"),
                note: text(e, "note"),
                doc: text(e, "doc"),
                expect: expect.filter_map(|c| c.as_str().map(str::to_owned)).collect(),
                input,
            })
        })
        .collect()
}

/// The examples, read once.
pub fn examples() -> &'static [Example] {
    static EXAMPLES: OnceLock<Vec<Example>> = OnceLock::new();
    EXAMPLES.get_or_init(read_examples)
}

/// An error as the page shows it: code, message, and which text it is in.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub code: String,
    pub message: String,
    pub place: Option<String>,
}

impl Problem {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Problem { code: code.to_owned(), message: message.into(), place: None }
    }

    fn of(e: &S3Error) -> Self {
        let pointer = match e {
            S3Error::InvalidInput { pointer, .. }
            | S3Error::InvalidPolicy { pointer, .. }
            | S3Error::TooMany { pointer, .. } => pointer.as_str(),
            S3Error::Inventory { .. } => "",
        };
        let place = Text::ALL
            .iter()
            .find(|t| pointer.strip_prefix('/').is_some_and(|p| p.split('/').next() == Some(t.member())))
            .map(|t| t.label().to_owned());
        Problem { code: e.code().to_owned(), message: e.to_string(), place }
    }
}

/// A text of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    Replication,
    Source,
    Destinations,
    Roles,
    Keys,
    Objects,
    Rate,
    Schema,
}

impl Text {
    /// The texts that are members of the input, in the order the page shows them.
    pub const ALL: [Text; 6] =
        [Text::Replication, Text::Source, Text::Destinations, Text::Roles, Text::Keys, Text::Objects];

    /// The input member the text is.
    pub fn member(self) -> &'static str {
        match self {
            Text::Replication => "replication",
            Text::Source => "source",
            Text::Destinations => "destinations",
            Text::Roles => "roles",
            Text::Keys => "keys",
            Text::Objects => "objects",
            Text::Rate => "objectsPerSecond",
            Text::Schema => "fileSchema",
        }
    }

    /// What the page calls it.
    pub fn label(self) -> &'static str {
        match self {
            Text::Replication => "replication configuration",
            Text::Source => "source bucket",
            Text::Destinations => "destination buckets",
            Text::Roles => "role policies",
            Text::Keys => "KMS keys",
            Text::Objects => "objects",
            Text::Rate => "objects per second",
            Text::Schema => "inventory fileSchema",
        }
    }
}

/// The inventory report in the worker.
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    Idle,
    Running {
        id: u32,
        done: f64,
        total: f64,
        ms: f64,
        wasm: f64,
    },
    /// `result` is what `ReplicationEvaluator.finish()` answered (summary, KMS load, errors).
    Done {
        result: Value,
        total: f64,
        ms: f64,
        wasm: f64,
    },
    Failed(Problem),
    Cancelled,
}

/// Everything the page can do.
#[derive(Debug)]
pub enum Action {
    /// Fill the page with one of the examples (an index into [`examples`]).
    Example(usize),
    Edit(Text, String),
    /// Open an object's reasons (an index into the verdicts).
    Select(usize),
    /// An inventory file was chosen: its name and size.
    Chosen(String, f64),
    Start,
    Progress {
        id: u32,
        done: f64,
        total: f64,
        ms: f64,
        wasm: f64,
    },
    Done {
        id: u32,
        result: Value,
        total: f64,
        ms: f64,
        wasm: f64,
    },
    Failed(u32, Problem),
    Cancelled(u32),
}

/// What the page holds.
#[derive(Clone, Debug, PartialEq)]
pub struct S3State {
    pub replication: String,
    pub source: String,
    pub destinations: String,
    pub roles: String,
    pub keys: String,
    pub objects: String,
    pub rate: String,
    pub schema: String,
    pub example: Option<usize>,
    /// The last evaluation, or why it did not run.
    pub result: Result<Value, Problem>,
    pub selected: usize,
    pub job: Job,
    pub next_id: u32,
    pub chosen: Option<(String, f64)>,
}

impl Default for S3State {
    fn default() -> Self {
        let mut s = S3State {
            replication: String::new(),
            source: String::new(),
            destinations: String::new(),
            roles: String::new(),
            keys: String::new(),
            objects: String::new(),
            rate: "100".to_owned(),
            schema: DEFAULT_SCHEMA.to_owned(),
            example: None,
            result: Err(Problem::new("InvalidInput", "choose an example or paste a configuration")),
            selected: 0,
            job: Job::Idle,
            next_id: 0,
            chosen: None,
        };
        s.load(FIRST_EXAMPLE);
        s
    }
}

fn pretty(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(v) => serde_json::to_string_pretty(v).unwrap_or_default(),
    }
}

impl S3State {
    fn text_mut(&mut self, t: Text) -> &mut String {
        match t {
            Text::Replication => &mut self.replication,
            Text::Source => &mut self.source,
            Text::Destinations => &mut self.destinations,
            Text::Roles => &mut self.roles,
            Text::Keys => &mut self.keys,
            Text::Objects => &mut self.objects,
            Text::Rate => &mut self.rate,
            Text::Schema => &mut self.schema,
        }
    }

    /// A text's current value.
    pub fn text(&self, t: Text) -> &str {
        match t {
            Text::Replication => &self.replication,
            Text::Source => &self.source,
            Text::Destinations => &self.destinations,
            Text::Roles => &self.roles,
            Text::Keys => &self.keys,
            Text::Objects => &self.objects,
            Text::Rate => &self.rate,
            Text::Schema => &self.schema,
        }
    }

    fn load(&mut self, i: usize) {
        let Some(e) = examples().get(i) else { return };
        for t in Text::ALL {
            *self.text_mut(t) = pretty(e.input.get(t.member()));
        }
        self.example = Some(i);
        self.selected = 0;
        self.evaluate();
    }

    /// The input as the JS API takes it, from the texts (without `objects` when `with_objects`
    /// is false).
    fn input(&self, with_objects: bool) -> Result<Map<String, Value>, Problem> {
        let mut input = Map::new();
        for t in Text::ALL {
            if t == Text::Objects && !with_objects {
                continue;
            }
            let text = self.text(t);
            if text.trim().is_empty() {
                continue;
            }
            let v: Value = serde_json::from_str(text).map_err(|e| Problem {
                code: "MalformedJson".to_owned(),
                message: format!("this is not JSON: {e}"),
                place: Some(t.label().to_owned()),
            })?;
            input.insert(t.member().to_owned(), v);
        }
        let rate = self.rate.trim();
        if !rate.is_empty() {
            let n =
                rate.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0).ok_or_else(|| Problem {
                    code: "InvalidInput".to_owned(),
                    message: format!("`{rate}` is not a number of objects per second (0 or more)"),
                    place: Some(Text::Rate.label().to_owned()),
                })?;
            input.insert(Text::Rate.member().to_owned(), n.into());
        }
        Ok(input)
    }

    fn evaluate(&mut self) {
        self.result = self
            .input(true)
            .and_then(|i| evaluate_replication(&Value::Object(i), None).map_err(|e| Problem::of(&e)));
    }

    /// The input the worker gives `new ReplicationEvaluator(…)`: the page's buckets, role and
    /// keys with `inventory: {fileSchema}` in place of the objects, as JSON text.
    pub fn inventory_input(&self) -> Result<String, Problem> {
        let mut input = self.input(false)?;
        let schema = self.schema.trim();
        if schema.is_empty() {
            return Err(Problem {
                code: "InvalidInput".to_owned(),
                message: "give the report's fileSchema (from its manifest.json)".to_owned(),
                place: Some(Text::Schema.label().to_owned()),
            });
        }
        let mut inventory = Map::new();
        inventory.insert("fileSchema".to_owned(), schema.into());
        input.insert("inventory".to_owned(), Value::Object(inventory));
        Ok(Value::Object(input).to_string())
    }

    /// The verdicts of the last evaluation (none when it failed).
    pub fn verdicts(&self) -> &[Value] {
        self.result
            .as_ref()
            .ok()
            .and_then(|r| r.get("objects"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The configuration errors of the last evaluation.
    pub fn configuration_errors(&self) -> &[Value] {
        self.result
            .as_ref()
            .ok()
            .and_then(|r| r.get("configurationErrors"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The id of the running inventory job.
    pub fn running_id(&self) -> Option<u32> {
        match self.job {
            Job::Running { id, .. } => Some(id),
            _ => None,
        }
    }

    pub fn reduce(mut self, action: Action) -> Self {
        let current = self.running_id();
        match action {
            Action::Example(i) => self.load(i),
            Action::Edit(t, text) => {
                *self.text_mut(t) = text;
                if t != Text::Schema {
                    self.evaluate();
                }
            }
            Action::Select(i) => self.selected = i,
            Action::Chosen(name, size) => {
                self.chosen = Some((name, size));
                if current.is_none() {
                    self.job = Job::Idle;
                }
            }
            Action::Start => {
                self.next_id = self.next_id.saturating_add(1);
                let total = self.chosen.as_ref().map_or(0.0, |c| c.1);
                self.job = Job::Running { id: self.next_id, done: 0.0, total, ms: 0.0, wasm: 0.0 };
            }
            Action::Progress { id, done, total, ms, wasm } if current == Some(id) => {
                self.job = Job::Running { id, done, total, ms, wasm };
            }
            Action::Done { id, result, total, ms, wasm } if current == Some(id) => {
                self.job = Job::Done { result, total, ms, wasm };
            }
            Action::Failed(id, p) if current == Some(id) => self.job = Job::Failed(p),
            Action::Cancelled(id) if current == Some(id) => self.job = Job::Cancelled,
            // A message from a job that is no longer the current one.
            Action::Progress { .. } | Action::Done { .. } | Action::Failed(..) | Action::Cancelled(_) => {}
        }
        self
    }

    /// The source → destinations view: where each replica goes and under which key.
    pub fn diagram(&self) -> Option<Diagram> {
        let result = self.result.as_ref().ok()?;
        let source: Value = serde_json::from_str(&self.source).ok()?;
        let described: Vec<Value> = serde_json::from_str(&self.destinations).unwrap_or_default();
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
        let objects = self.verdicts();
        let mut source_keys = BTreeSet::new();
        if let Ok(Value::Array(list)) = serde_json::from_str::<Value>(&self.objects) {
            for o in &list {
                let enc = o.get("encryption").and_then(Value::as_str).unwrap_or("SSE-S3");
                source_keys.insert(match o.get("kmsKeyArn").and_then(Value::as_str) {
                    Some(k) => format!("{enc} {k}"),
                    None => enc.to_owned(),
                });
            }
        }
        let names = result.get("destinations").and_then(Value::as_array).into_iter().flatten();
        let destinations = names
            .filter_map(Value::as_str)
            .map(|name| {
                let d = described.iter().find(|d| d.get("bucket").and_then(Value::as_str) == Some(name));
                let mut arrow = Arrow {
                    bucket: name.to_owned(),
                    account: d.map(|d| text(d, "account")).unwrap_or_default(),
                    region: d.map(|d| text(d, "region")).unwrap_or_default(),
                    ..Arrow::default()
                };
                let mut rules = BTreeSet::new();
                let mut keys = BTreeSet::new();
                let mut owners = BTreeSet::new();
                for o in objects {
                    let dests = o.get("destinations").and_then(Value::as_array).into_iter().flatten();
                    for v in dests.filter(|v| v.get("bucket").and_then(Value::as_str) == Some(name)) {
                        if let Some(r) = v.get("ruleId").and_then(Value::as_str) {
                            rules.insert(r.to_owned());
                        }
                        match v.get("outcome").and_then(Value::as_str) {
                            Some("REPLICATED") => arrow.replicated += 1,
                            Some("FAILED") => arrow.failed += 1,
                            _ => arrow.not_replicated += 1,
                        }
                        if let Some(e) = v.get("replicaEncryption").filter(|e| !e.is_null()) {
                            let mut k = text(e, "type");
                            if let Some(arn) = e.get("kmsKeyArn").and_then(Value::as_str) {
                                k = format!("{k} {arn}");
                            }
                            if e.get("bucketKeyEnabled") == Some(&Value::Bool(true)) {
                                k.push_str(" (Bucket Key)");
                            }
                            keys.insert(k);
                        }
                        if let Some(owner) = v.get("replicaOwner").and_then(Value::as_str) {
                            owners.insert(owner.to_owned());
                        }
                    }
                }
                arrow.rules = rules.into_iter().collect();
                arrow.replica_keys = keys.into_iter().collect();
                arrow.owners = owners.into_iter().collect();
                arrow
            })
            .collect();
        Some(Diagram {
            bucket: text(&source, "bucket"),
            account: text(&source, "account"),
            region: text(&source, "region"),
            source_keys: source_keys.into_iter().collect(),
            destinations,
        })
    }
}

reducible!(S3State, Action);

/// The source bucket and its objects' keys.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Diagram {
    pub bucket: String,
    pub account: String,
    pub region: String,
    /// The encryption of the objects at the source (`SSE-KMS <key ARN>`, `SSE-S3`, …).
    pub source_keys: Vec<String>,
    pub destinations: Vec<Arrow>,
}

/// One destination: the rules that lead there, how many objects go, and the keys replicas use.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Arrow {
    pub bucket: String,
    pub account: String,
    pub region: String,
    pub rules: Vec<String>,
    pub replicated: usize,
    pub failed: usize,
    pub not_replicated: usize,
    pub replica_keys: Vec<String>,
    pub owners: Vec<String>,
}

/// A message from the inventory worker (`www/s3-worker.js`).
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

    /// The action the message stands for; `None` for a message the page does not know.
    pub fn action(self) -> Option<Action> {
        let id = self.job();
        Some(match self.kind.as_str() {
            "progress" => Action::Progress {
                id,
                done: self.done,
                total: self.total,
                ms: self.ms,
                wasm: self.wasm_bytes,
            },
            "done" => match serde_json::from_str::<Value>(&self.result) {
                Ok(result) => {
                    Action::Done { id, result, total: self.total, ms: self.ms, wasm: self.wasm_bytes }
                }
                Err(_) => {
                    Action::Failed(id, Problem::new("WorkerFailed", "the worker's summary is not JSON"))
                }
            },
            "failed" => Action::Failed(id, Problem::new(&self.code, self.message)),
            "cancelled" => Action::Cancelled(id),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn decided(v: &Value) -> String {
        v["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["decided"] == true)
            .map(|r| r["code"].as_str().unwrap().to_owned())
            .unwrap()
    }

    #[test]
    fn the_bases_are_those_of_the_case_file() {
        let ours: Value = serde_json::from_str(EXAMPLES_JSON).unwrap();
        let cases: Value = serde_json::from_str(include_str!("../../../../../tests/s3/cases.json")).unwrap();
        assert_eq!(ours["bases"], cases["bases"], "copy the bases of tests/s3/cases.json again");
    }

    #[test]
    fn every_example_gives_its_stated_verdicts_with_a_doc_link() {
        let titles = [
            "Same-region",
            "Cross-region",
            "Cross-account",
            "SSE-C",
            "S3 Bucket Keys",
            "Multi-Region",
            "Replica of",
        ];
        assert_eq!(examples().len(), titles.len(), "an example failed to build");
        for (i, e) in examples().iter().enumerate() {
            assert!(e.title.starts_with(titles[i]), "{}", e.title);
            let s = S3State::default().reduce(Action::Example(i));
            let r = s.result.as_ref().unwrap_or_else(|p| panic!("{}: {p:?}", e.id));
            assert_eq!(r["configurationErrors"], json!([]), "{}", e.id);
            let got: Vec<String> = s.verdicts().iter().map(|o| decided(&o["destinations"][0])).collect();
            assert_eq!(got, e.expect, "{}", e.id);
            for o in s.verdicts() {
                for r in o["destinations"][0]["reasons"].as_array().unwrap() {
                    assert!(r["doc"].as_str().unwrap().starts_with("https://docs.aws.amazon.com/"), "{r}");
                }
            }
            assert!(e.doc.starts_with("https://docs.aws.amazon.com/") && !e.note.is_empty(), "{}", e.id);
        }
    }

    #[test]
    fn the_notes_out_of_date_are_said_where_they_apply() {
        let by_id = |id: &str| examples().iter().find(|e| e.id == id).unwrap();
        assert!(by_id("sse-c").note.contains("out of date"));
        assert!(by_id("bucket-keys").note.contains("bucket ARN"));
    }

    #[test]
    fn a_broken_configuration_shows_its_code_and_pointer() {
        let s = S3State::default();
        let broken = s.replication.replace("\"Priority\": 1,", "");
        assert_ne!(broken, s.replication);
        let s = s.reduce(Action::Edit(Text::Replication, broken));
        let errors = s.configuration_errors();
        assert_eq!(errors[0]["code"], "PRIORITY_REQUIRED", "{errors:?}");
        assert!(errors[0]["pointer"].as_str().unwrap().starts_with("/replication"));
        let s =
            s.reduce(Action::Edit(Text::Source, S3State::default().source.replace("Enabled", "Suspended")));
        assert!(s.configuration_errors().iter().any(|e| e["code"] == "SOURCE_NOT_VERSIONED"));
    }

    #[test]
    fn text_that_is_not_json_or_input_of_the_wrong_shape_is_placed() {
        let s = S3State::default().reduce(Action::Edit(Text::Keys, "[{".into()));
        let p = s.result.unwrap_err();
        assert_eq!((p.code.as_str(), p.place.as_deref()), ("MalformedJson", Some("KMS keys")));
        assert!(p.message.contains("line 1"), "{}", p.message);
        let s = S3State::default().reduce(Action::Edit(Text::Destinations, "{}".into()));
        let p = s.result.unwrap_err();
        assert_eq!((p.code.as_str(), p.place.as_deref()), ("InvalidInput", Some("destination buckets")));
        let s = S3State::default().reduce(Action::Edit(Text::Rate, "fast".into()));
        assert_eq!(s.result.unwrap_err().place.as_deref(), Some("objects per second"));
        // Emptying the objects is not an error: no verdicts.
        let s = S3State::default().reduce(Action::Edit(Text::Objects, " ".into()));
        assert!(s.result.is_ok() && s.verdicts().is_empty());
    }

    #[test]
    fn the_diagram_shows_each_destination_and_the_key_its_replicas_use() {
        let d = S3State::default().diagram().unwrap();
        assert_eq!((d.bucket.as_str(), d.region.as_str()), ("src-bucket", "us-east-1"));
        assert!(
            d.source_keys[0].starts_with("GLACIER") || d.source_keys.iter().any(|k| k.contains("1111aaaa"))
        );
        let a = &d.destinations[0];
        assert_eq!(
            (a.bucket.as_str(), a.region.as_str(), a.rules.as_slice()),
            ("dst-bucket", "us-west-2", &["all".to_owned()][..])
        );
        assert_eq!((a.replicated, a.failed, a.not_replicated), (2, 0, 1));
        assert!(
            a.replica_keys.iter().any(|k| k.starts_with("SSE-KMS ") && k.contains("2222bbbb")),
            "{:?}",
            a.replica_keys
        );
        let cross = S3State::default().reduce(Action::Example(2)).diagram().unwrap();
        assert_eq!(cross.destinations[0].owners, ["444455556666"]);
    }

    #[test]
    fn the_inventory_input_is_what_the_streaming_evaluator_takes() {
        let s = S3State::default();
        let text = s.inventory_input().unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        assert!(v.get("objects").is_none());
        assert_eq!(v["inventory"]["fileSchema"], DEFAULT_SCHEMA);
        // The worker's path, natively: the same input through the engine's ReplicationEvaluator.
        let mut ev = secplay::s3::ReplicationEvaluator::new(&v, None).unwrap();
        let rows = "src-bucket,docs/a.txt,v1,true,false,10,2026-01-01T00:00:00.000Z,STANDARD,,SSE-S3,\n\
                    src-bucket,logs/b.txt,v1,true,false,10,2026-01-01T00:00:00.000Z,GLACIER,,SSE-S3,\n";
        ev.push(rows.as_bytes()).unwrap();
        let out = ev.finish().unwrap();
        assert_eq!(out["summary"]["rows"], 2, "{out}");
        let s = s.reduce(Action::Edit(Text::Schema, "  ".into()));
        assert_eq!(s.inventory_input().unwrap_err().place.as_deref(), Some("inventory fileSchema"));
    }

    #[test]
    fn an_inventory_job_runs_reports_ends_and_ignores_old_jobs() {
        let s = S3State::default().reduce(Action::Chosen("inv.csv".into(), 2048.0)).reduce(Action::Start);
        assert_eq!(s.job, Job::Running { id: 1, done: 0.0, total: 2048.0, ms: 0.0, wasm: 0.0 });
        let s = s.reduce(Action::Progress { id: 1, done: 1024.0, total: 2048.0, ms: 5.0, wasm: 1.0 });
        let s = s.reduce(Action::Progress { id: 7, done: 9.0, total: 9.0, ms: 9.0, wasm: 9.0 });
        assert!(matches!(s.job, Job::Running { done, .. } if done == 1024.0));
        let s = s.reduce(Action::Cancelled(1));
        assert_eq!(s.job, Job::Cancelled);
        let s = s.reduce(Action::Start).reduce(Action::Done {
            id: 1,
            result: json!({}),
            total: 1.0,
            ms: 1.0,
            wasm: 1.0,
        });
        assert!(matches!(s.job, Job::Running { id: 2, .. }), "a late message of job 1 is ignored");
        let msg = WorkerMessage {
            kind: "done".into(),
            id: 2.0,
            result: r#"{"summary":{"rows":3}}"#.into(),
            ..Default::default()
        };
        let s = s.reduce(msg.action().unwrap());
        assert!(matches!(&s.job, Job::Done { result, .. } if result["summary"]["rows"] == 3));
        let bad = WorkerMessage { kind: "done".into(), id: 2.0, result: "{".into(), ..Default::default() };
        assert!(matches!(bad.action(), Some(Action::Failed(2, p)) if p.code == "WorkerFailed"));
        assert!(WorkerMessage { kind: "hello".into(), ..Default::default() }.action().is_none());
        assert_eq!(WorkerMessage { id: f64::NAN, ..Default::default() }.job(), 0);
    }

    #[test]
    fn pointers_that_lead_nowhere_change_nothing_and_never_panic() {
        let mut v = json!({"a": [1, 2], "b": "x"});
        assert!(set_at(&mut v, "/a/5", json!(0)).is_none());
        assert!(set_at(&mut v, "/b/c", json!(0)).is_none());
        assert!(set_at(&mut v, "", json!(0)).is_none());
        assert!(remove_at(&mut v, "/a/9").is_none());
        assert!(remove_at(&mut v, "/nope/x").is_none());
        set_at(&mut v, "/a/2", json!(3)).unwrap();
        set_at(&mut v, "/c~1d/e", json!(true)).unwrap();
        remove_at(&mut v, "/a/0").unwrap();
        assert_eq!(v, json!({"a": [2, 3], "b": "x", "c/d": {"e": true}}));
    }
}
