//! The JSON layer: the evaluation input as the JS API takes it, and the output as it returns it.
//! `evaluateReplication(input, opts?)` and the streaming `ReplicationEvaluator` are a few lines
//! over [`evaluate_replication`] and [`ReplicationEvaluator`] here.

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::{json, Map, Value};

use super::config::read_config;
use super::error::S3Error;
use super::evaluate::{DestinationVerdict, Engine, Input, ObjectVerdict};
use super::inventory::{verdict_csv_header, verdict_csv_row, InventoryReader, Summary};
use super::kms_load::Tally;
use super::model::{
    read_bucket, read_keys, read_object, read_roles, Encryption, Object, MAX_ENTRIES, MAX_OBJECTS,
};
use super::reason::Reason;
use crate::kms::world::World;
use crate::policy::json::evaluation_to_json;

/// Distinct cases remembered while reading an inventory (beyond them rows are evaluated one by one).
pub const MAX_CASES: usize = 100_000;

/// Where the objects come from.
#[derive(Debug, Clone)]
pub enum Objects {
    List(Vec<Object>),
    Inventory { csv: Option<String>, file_schema: String, existing: bool },
}

/// Reads the whole input (see the README for every member); `world` is the KMS emulator's world
/// when the caller passes `opts.kms`: its keys and principals complete `keys` and `roles`.
pub fn read_input(v: &Value, world: Option<&World>) -> Result<(Input, Objects), S3Error> {
    if !v.is_object() {
        return Err(S3Error::input(
            "",
            "the input must be an object with `replication`, `source`, `destinations`, …",
        ));
    }
    let source = read_bucket(v.get("source").unwrap_or(&Value::Null), "/source")?;
    let replication =
        v.get("replication").ok_or_else(|| S3Error::input("/replication", "`replication` is required"))?;
    let mut config = read_config(replication, "/replication", &source.name);
    let dests = match v.get("destinations") {
        Some(Value::Array(a)) => a.as_slice(),
        None | Some(Value::Null) => &[],
        Some(_) => return Err(S3Error::input("/destinations", "`destinations` must be an array")),
    };
    if dests.len() > MAX_ENTRIES {
        return Err(S3Error::TooMany {
            pointer: "/destinations".into(),
            what: "destinations",
            limit: MAX_ENTRIES,
        });
    }
    let destinations = dests
        .iter()
        .enumerate()
        .map(|(i, d)| read_bucket(d, &format!("/destinations/{i}")))
        .collect::<Result<Vec<_>, _>>()?;
    for rule in config.rules.iter().filter(|r| !r.destination.bucket.is_empty()) {
        if !destinations.iter().any(|d| d.name == rule.destination.bucket) {
            return Err(S3Error::input(
                "/destinations",
                format!(
                    "rule `{}` replicates to `{}`, which is not described in `destinations` (add its account, region and versioning)",
                    rule.id, rule.destination.bucket
                ),
            ));
        }
    }
    // Versioning, as PutBucketReplication checks it.
    if !source.versioning_enabled {
        config.errors.push(super::config::ConfigError {
            code: "SOURCE_NOT_VERSIONED",
            message: "Versioning must be 'Enabled' on the bucket to apply a replication configuration".into(),
            pointer: "/source/versioning".into(),
        });
    }
    for (i, d) in destinations.iter().enumerate() {
        let used = config.rules.iter().any(|r| r.destination.bucket == d.name);
        if used && !d.versioning_enabled {
            config.errors.push(super::config::ConfigError {
                code: "DESTINATION_NOT_VERSIONED",
                message: format!("Destination bucket must have versioning enabled. (`{}`)", d.name),
                pointer: format!("/destinations/{i}/versioning"),
            });
        }
    }
    let roles = read_roles(v.get("roles"), world)?;
    let keys = read_keys(v.get("keys"), world)?;
    let objects_per_second = match v.get("objectsPerSecond") {
        None | Some(Value::Null) => None,
        Some(n) => Some(n.as_f64().filter(|n| n.is_finite() && *n >= 0.0).ok_or_else(|| {
            S3Error::input("/objectsPerSecond", "`objectsPerSecond` must be a number, 0 or more")
        })?),
    };
    let objects = match (v.get("objects"), v.get("inventory")) {
        (Some(o), None) if !o.is_null() => {
            let arr = o.as_array().ok_or_else(|| S3Error::input("/objects", "`objects` must be an array"))?;
            if arr.len() > MAX_OBJECTS {
                return Err(S3Error::TooMany {
                    pointer: "/objects".into(),
                    what: "objects",
                    limit: MAX_OBJECTS,
                });
            }
            Objects::List(
                arr.iter()
                    .enumerate()
                    .map(|(i, o)| read_object(o, &format!("/objects/{i}")))
                    .collect::<Result<_, _>>()?,
            )
        }
        (None, Some(inv)) | (Some(Value::Null), Some(inv)) => {
            let file_schema = inv
                .get("fileSchema")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    S3Error::input("/inventory/fileSchema", "`fileSchema` (from the manifest) is required")
                })?
                .to_string();
            let csv = match inv.get("csv") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(_) => return Err(S3Error::input("/inventory/csv", "`csv` must be the report's text")),
            };
            let existing = inv.get("existing").and_then(Value::as_bool).unwrap_or(false);
            Objects::Inventory { csv, file_schema, existing }
        }
        (Some(_), Some(_)) => {
            return Err(S3Error::input("/inventory", "give `objects` or `inventory`, not both"))
        }
        _ => Objects::List(Vec::new()),
    };
    let input = Input { config, source, destinations, roles, keys, objects_per_second };
    Ok((input, objects))
}

fn reason_to_json(r: &Reason) -> Value {
    let mut o = Map::new();
    o.insert("code".into(), r.code.into());
    o.insert("message".into(), r.message.clone().into());
    o.insert("doc".into(), r.doc.into());
    o.insert("decided".into(), r.decided.into());
    if let Some(c) = &r.check {
        let mut t = evaluation_to_json(&c.evaluation);
        if let Some(m) = t.as_object_mut() {
            m.insert("action".into(), c.action.clone().into());
            m.insert("resource".into(), c.resource.clone().into());
            let ctx: Map<String, Value> =
                c.context.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
            m.insert("context".into(), Value::Object(ctx));
        }
        o.insert("trace".into(), t);
    }
    Value::Object(o)
}

fn destination_to_json(d: &DestinationVerdict) -> Value {
    let enc = d.replica_encryption.as_ref().map_or(Value::Null, |e| {
        let mut o = Map::new();
        o.insert("type".into(), e.kind.as_str().into());
        if let Some(k) = &e.kms_key_arn {
            o.insert("kmsKeyArn".into(), k.clone().into());
        }
        if let Some(b) = e.bucket_key {
            o.insert("bucketKeyEnabled".into(), b.into());
        }
        Value::Object(o)
    });
    let replicated = d.outcome == super::evaluate::Outcome::Replicated;
    json!({
        "bucket": d.bucket,
        "ruleId": d.rule_id,
        "replicated": replicated,
        "outcome": d.outcome.as_str(),
        "replicaStatus": if replicated && d.replica_storage_class.is_some() { Value::from("REPLICA") } else { Value::Null },
        "replicaEncryption": enc,
        "replicaOwner": d.replica_owner,
        "replicaStorageClass": d.replica_storage_class,
        "reasons": d.reasons.iter().map(reason_to_json).collect::<Vec<_>>(),
    })
}

/// One object's verdict as JSON.
pub fn verdict_to_json(v: &ObjectVerdict) -> Value {
    json!({
        "key": v.key,
        "versionId": v.version_id,
        "sourceStatus": v.source_status,
        "destinations": v.destinations.iter().map(destination_to_json).collect::<Vec<_>>(),
    })
}

fn config_errors_json(input: &Input) -> Value {
    Value::Array(
        input
            .config
            .errors
            .iter()
            .map(|e| json!({"code": e.code, "message": e.message, "pointer": e.pointer}))
            .collect(),
    )
}

/// Evaluates an input: every object's verdict (or, for an inventory, the summary and the
/// verdicts as CSV), the configuration errors and the KMS load.
pub fn evaluate_replication(v: &Value, world: Option<&World>) -> Result<Value, S3Error> {
    let (input, objects) = read_input(v, world)?;
    match objects {
        Objects::List(list) => {
            let input = Rc::new(input);
            let mut engine = Engine::new(Rc::clone(&input), false);
            let mut tally = Tally::default();
            let mut out = Vec::with_capacity(list.len());
            for o in &list {
                let verdict = engine.evaluate(o);
                tally.add(&verdict);
                out.push(verdict_to_json(&verdict));
            }
            Ok(json!({
                "configurationErrors": config_errors_json(&input),
                "destinations": engine.destination_names(),
                "objects": out,
                "kmsLoad": tally.to_json(input.objects_per_second),
            }))
        }
        Objects::Inventory { csv, file_schema, existing } => {
            let mut ev = ReplicationEvaluator::from_parts(input, &file_schema, existing)?;
            let mut rows = ev.header();
            rows.push_str(&ev.push(csv.as_deref().unwrap_or_default().as_bytes())?);
            let mut out = ev.finish()?;
            if let Some(o) = out.as_object_mut() {
                let last = o.remove("csv").and_then(|c| c.as_str().map(str::to_string)).unwrap_or_default();
                rows.push_str(&last);
                o.insert("objects".into(), json!([]));
                o.insert("csv".into(), rows.into());
            }
            Ok(out)
        }
    }
}

/// What makes two inventory rows evaluate alike when no policy tells objects apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Case {
    rules: Vec<usize>,
    encryption: Option<Encryption>,
    kms_key: Option<String>,
    bucket_key: Option<bool>,
    storage_class: String,
    replica: bool,
    delete_marker: bool,
    existing: bool,
}

/// An inventory evaluated as a stream: [`Self::push`] chunks of the CSV (each returns the
/// verdict rows of the complete lines), then [`Self::finish`] for the summary and KMS load.
pub struct ReplicationEvaluator {
    input: Rc<Input>,
    engine: Engine,
    reader: InventoryReader,
    summary: Summary,
    tally: Tally,
    cases: HashMap<Case, ObjectVerdict>,
    evaluated: u64,
    /// Whether `push` and `finish` return the verdict rows (off: only the summary is kept).
    rows: bool,
}

impl ReplicationEvaluator {
    /// From an input whose objects are `inventory: {fileSchema, csv?}`.
    pub fn new(v: &Value, world: Option<&World>) -> Result<ReplicationEvaluator, S3Error> {
        match read_input(v, world)? {
            (input, Objects::Inventory { file_schema, existing, .. }) => {
                Self::from_parts(input, &file_schema, existing)
            }
            _ => {
                Err(S3Error::input("/inventory", "a streaming evaluation needs `inventory: { fileSchema }`"))
            }
        }
    }

    fn from_parts(input: Input, file_schema: &str, existing: bool) -> Result<ReplicationEvaluator, S3Error> {
        let reader = InventoryReader::new(file_schema, existing)?;
        let input = Rc::new(input);
        let engine = Engine::new(Rc::clone(&input), true);
        Ok(ReplicationEvaluator {
            input,
            engine,
            reader,
            summary: Summary::default(),
            tally: Tally::default(),
            cases: HashMap::new(),
            evaluated: 0,
            rows: true,
        })
    }

    /// The header of the verdict CSV.
    pub fn header(&self) -> String {
        verdict_csv_header(&self.engine.destination_names())
    }

    /// Whether [`Self::push`] and [`Self::finish`] return the verdict rows (on by default). Off,
    /// they return none and the summary is the same: a caller that wants only the counts (the
    /// page's worker) makes no garbage of a row string per chunk.
    pub fn set_rows(&mut self, rows: bool) {
        self.rows = rows;
    }

    fn one(&mut self, o: Object, out: &mut String) {
        let memo = self.engine.memoised() && o.tags.is_empty();
        let verdict = if memo {
            let case = Case {
                rules: self
                    .input
                    .config
                    .rules
                    .iter()
                    .filter(|r| r.matches(&o.key, &[]))
                    .map(|r| r.index)
                    .collect(),
                encryption: o.encryption,
                kms_key: o.kms_key_arn.clone(),
                bucket_key: o.bucket_key,
                storage_class: o.storage_class.clone(),
                replica: o.is_replica,
                delete_marker: o.is_delete_marker,
                existing: o.existing,
            };
            match self.cases.get(&case) {
                Some(v) => {
                    let mut v = v.clone();
                    v.key = o.key;
                    v.version_id = o.version_id;
                    v
                }
                None => {
                    self.evaluated += 1;
                    let v = self.engine.evaluate(&o);
                    if self.cases.len() < MAX_CASES {
                        self.cases.insert(case, v.clone());
                    }
                    v
                }
            }
        } else {
            self.evaluated += 1;
            self.engine.evaluate(&o)
        };
        self.summary.add(&verdict);
        self.tally.add(&verdict);
        if self.rows {
            verdict_csv_row(&verdict, out);
        }
    }

    /// Feeds a chunk of the CSV; returns the verdict rows of the lines it completed.
    pub fn push(&mut self, chunk: &[u8]) -> Result<String, S3Error> {
        let mut objects = Vec::new();
        self.reader.push(chunk, &mut |o| objects.push(o))?;
        let mut out = String::new();
        for o in objects {
            self.one(o, &mut out);
        }
        Ok(out)
    }

    /// Ends the stream: the summary, the KMS load, and the verdict row of a last line without a newline.
    pub fn finish(&mut self) -> Result<Value, S3Error> {
        let mut objects = Vec::new();
        self.reader.finish(&mut |o| objects.push(o))?;
        let mut out = String::new();
        for o in objects {
            self.one(o, &mut out);
        }
        let s = &self.summary;
        let outcomes: Vec<Value> = s
            .outcomes
            .iter()
            .map(|((d, o), n)| json!({"destination": d, "outcome": o, "count": n}))
            .collect();
        let reasons: Vec<Value> =
            s.reasons.iter().map(|((d, c), n)| json!({"destination": d, "code": c, "count": n})).collect();
        let prefixes: Vec<Value> = s
            .prefixes
            .iter()
            .map(|(p, [r, nr, f])| json!({"prefix": p, "replicated": r, "notReplicated": nr, "failed": f}))
            .collect();
        Ok(json!({
            "configurationErrors": config_errors_json(&self.input),
            "destinations": self.engine.destination_names(),
            "summary": {
                "rows": s.rows,
                "evaluated": self.evaluated,
                "memoised": self.engine.memoised(),
                "sourceStatus": s.source_status,
                "outcomes": outcomes,
                "reasons": reasons,
                "prefixes": prefixes,
                "csv": s.to_csv(),
            },
            "kmsLoad": self.tally.to_json(self.input.objects_per_second),
            "csv": out,
        }))
    }
}
