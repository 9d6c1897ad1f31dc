//! The JSON layer of the log replay: `LogReplayer::new(acl, resources, options)`, then
//! `push(bytes)` as often as needed and `finish()` for the difference as JSON; `replay_logs` does
//! all three at once. Options: `{resourceType?, bodyLimit?, maxSamples?, maxClients?,
//! topClients?}`. No replay logic here.

use std::sync::Arc;

use serde_json::{json, Map, Value};

use super::reader::{Encoding, LogReader};
use super::record::parse_line;
use super::replay::{Limits, Replay};
use crate::waf::error::WafError;
use crate::waf::geo::GeoDb;
use crate::waf::json::WebAcl;
use crate::waf::reader::Obj;

/// A streaming log replay.
#[derive(Debug)]
pub struct LogReplayer {
    reader: LogReader,
    replay: Replay,
    finished: bool,
}

fn limit(o: &Obj<'_>, name: &str, default: usize, max: usize) -> Result<usize, WafError> {
    match o.opt_i64(name)? {
        None => Ok(default),
        Some(n) => usize::try_from(n).ok().filter(|n| *n <= max).ok_or_else(|| {
            WafError::constraint(&o.at(name), n.to_string(), format!("Member must be between 0 and {max}"))
        }),
    }
}

impl LogReplayer {
    /// A replay of logs through the web ACL `acl` (as `WebAcl::new` takes it) with `resources`.
    pub fn new(
        acl: &Value,
        resources: &Value,
        options: &Value,
        geo: Option<Arc<GeoDb>>,
    ) -> Result<Self, WafError> {
        let mut acl_options = Map::new();
        acl_options.insert("trace".to_owned(), Value::Bool(false));
        let mut limits = Limits::default();
        if !options.is_null() {
            let o = Obj::new(
                options,
                "/options",
                &["resourceType", "bodyLimit", "maxSamples", "maxClients", "topClients"],
            )?;
            for k in ["resourceType", "bodyLimit"] {
                if let Some(v) = o.opt(k) {
                    acl_options.insert(k.to_owned(), v.clone());
                }
            }
            limits.max_samples = limit(&o, "maxSamples", limits.max_samples, 1_000)?;
            limits.max_clients = limit(&o, "maxClients", limits.max_clients, 100_000)?;
            limits.top_clients = limit(&o, "topClients", limits.top_clients, 10_000)?;
        }
        let mut acl = WebAcl::new(acl, resources, &Value::Object(acl_options))?;
        acl.set_geo_db(geo);
        Ok(Self { reader: LogReader::new(), replay: Replay::new(acl.into_engine(), limits), finished: false })
    }

    /// Reads a chunk of the log (text or gzip bytes; lines may span chunks).
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), WafError> {
        if self.finished {
            return Err(WafError::Limit { reason: "the replay is finished: start a new one".to_owned() });
        }
        let Self { reader, replay, .. } = self;
        reader.push(chunk, &mut |line, bytes| feed(replay, line, bytes))
    }

    /// Where the replay is: `{records, badLines, bytesIn, bytesOut, encoding}`.
    pub fn progress(&self) -> Value {
        json!({
            "records": self.replay.records(),
            "badLines": self.replay.bad_lines(),
            "bytesIn": self.reader.bytes_in(),
            "bytesOut": self.reader.bytes_out(),
            "encoding": match self.reader.encoding() {
                Encoding::Unknown => "unknown",
                Encoding::Text => "text",
                Encoding::Gzip => "gzip",
            },
        })
    }

    /// Ends the log and returns the difference.
    pub fn finish(&mut self) -> Result<Value, WafError> {
        if !self.finished {
            self.finished = true;
            let Self { reader, replay, .. } = self;
            reader.finish(&mut |line, bytes| feed(replay, line, bytes))?;
        }
        serde_json::to_value(self.replay.report()).map_err(|e| WafError::Limit { reason: e.to_string() })
    }
}

fn feed(replay: &mut Replay, line: u64, bytes: &[u8]) {
    match parse_line(line, bytes) {
        Ok(Some(rec)) => replay.record(rec),
        Ok(None) => {}
        Err(e) => replay.bad_line(line, e),
    }
}

/// The whole replay at once: `log` is the log's bytes (text or gzip).
pub fn replay_logs(
    acl: &Value,
    resources: &Value,
    log: &[u8],
    options: &Value,
    geo: Option<Arc<GeoDb>>,
) -> Result<Value, WafError> {
    let mut r = LogReplayer::new(acl, resources, options, geo)?;
    for chunk in log.chunks(1 << 20) {
        r.push(chunk)?;
    }
    r.finish()
}
