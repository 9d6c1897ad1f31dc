//! JS API of the WAF log replay: `replayLogs(aclJson, resources, logText, options?)` and the
//! streaming `LogReplayer` (`push(chunk)` / `finish()`), a few lines each over
//! `crate::waf::logs::json`.

use wasm_bindgen::prelude::*;

use super::args::{self, Accept};
use super::error::to_js as err;
use super::json::to_js;
use super::waf::take_geo_db;
use crate::waf::logs::json as engine;
use crate::waf::WafError;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Options of a log replay: the web ACL's `resourceType` / `bodyLimit`, the report's caps, and the geo database. */
export interface WafReplayOptions {
  resourceType?: WafOptions["resourceType"];
  bodyLimit?: number;
  /** Changed requests kept as samples (default 50, at most 1,000). */
  maxSamples?: number;
  /** Client addresses counted one by one (default 10,000, at most 100,000); the rest together. */
  maxClients?: number;
  /** Clients listed in `perClient` (default 100). */
  topClients?: number;
  /** The offline geo database (`geo.bin`), for AsnMatch on records without `clientAsn`. */
  geoDb?: Uint8Array;
}
/** Where a streaming replay is. */
export interface WafReplayProgress { records: number; badLines: number; bytesIn: number; bytesOut: number; encoding: "unknown" | "text" | "gzip" }
/** A changed request: what AWS logged and what the edited web ACL does. */
export interface WafReplaySample {
  line: number;
  requestId: string | null;
  actionLogged: string;
  actionNow: string;
  ruleLogged: string;
  ruleNow: string;
  labelsAdded: string[];
  labelsRemoved: string[];
  /** The request in the shape `WebAcl.evaluate` takes (evaluate it again for the trace). */
  request: WafRequest;
}
/** The difference between a WAF log and the edited web ACL. */
export interface WafReplayDiff {
  records: number;
  unchanged: number;
  newlyBlocked: number;
  newlyAllowed: number;
  /** Action changed to CAPTCHA or CHALLENGE (or from them to COUNT-like outcomes). */
  otherChanges: number;
  ruleChanged: number;
  labelsChanged: number;
  /** Records that reached a rule the replay cannot judge (the body is not in AWS WAF logs). */
  unjudged: number;
  transitions: { from: string; to: string; count: number }[];
  perRule: { ruleId: string; matchedBefore: number; matchedAfter: number; gained: number; lost: number; unjudged?: string }[];
  labels: { label: string; added: number; removed: number }[];
  perClient: { clientIp: string; records: number; changed: number; newlyBlocked: number; newlyAllowed: number }[];
  clientsCounted: number;
  clientsOverflow: { clientIp: string; records: number; changed: number; newlyBlocked: number; newlyAllowed: number };
  samples: WafReplaySample[];
  badLines: number;
  errors: { line: number; code: "MalformedJson" | "InvalidLogRecord"; message: string }[];
  notes: string[];
}
"#;

fn chunk_bytes(chunk: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    match chunk.as_string() {
        Some(s) => Ok(s.into_bytes()),
        None => {
            args::bytes(chunk, name).map_err(|_| args::wrong_type(name, "a string or a Uint8Array", chunk))
        }
    }
}

fn replayer(
    acl: JsValue,
    resources: Option<JsValue>,
    options: Option<JsValue>,
) -> Result<engine::LogReplayer, JsValue> {
    let acl = args::json(acl, "aclJson", Accept::OBJECT_OR_TEXT)?;
    let resources = args::optional_json(resources, "resources", Accept::OBJECT_OR_TEXT)?;
    let (options, geo) = take_geo_db(args::present(options))?;
    let options = args::optional_json(options, "options", Accept::OBJECT_OR_TEXT)?;
    engine::LogReplayer::new(&acl, &resources, &options, geo).map_err(err::<WafError>)
}

/// Replays a whole AWS WAF log (JSON lines, gzip bytes or a CloudWatch export) through the
/// edited web ACL and returns the difference against what AWS logged.
#[wasm_bindgen(js_name = replayLogs, unchecked_return_type = "WafReplayDiff")]
pub fn replay_logs(
    #[wasm_bindgen(js_name = aclJson, unchecked_param_type = "object | string")] acl_json: JsValue,
    #[wasm_bindgen(unchecked_param_type = "WafResources | string | null | undefined")] resources: JsValue,
    #[wasm_bindgen(js_name = logText, unchecked_param_type = "string | Uint8Array")] log_text: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "WafReplayOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let mut r = replayer(acl_json, Some(resources), options)?;
    let log = chunk_bytes(&log_text, "logText")?;
    r.push(&log).map_err(err::<WafError>)?;
    to_js(&r.finish().map_err(err::<WafError>)?)
}

/// A log replay fed in chunks (a worker reading a file slice by slice): `push(chunk)` as often as
/// needed (text or bytes, gzip or not; lines may span chunks), then `finish()`.
#[wasm_bindgen]
pub struct LogReplayer {
    inner: engine::LogReplayer,
}

#[wasm_bindgen]
impl LogReplayer {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = aclJson, unchecked_param_type = "object | string")] acl_json: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WafResources | string")] resources: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "WafReplayOptions")] options: Option<JsValue>,
    ) -> Result<LogReplayer, JsValue> {
        Ok(Self { inner: replayer(acl_json, resources, options)? })
    }

    /// Reads a chunk of the log; returns the progress.
    #[wasm_bindgen(unchecked_return_type = "WafReplayProgress")]
    pub fn push(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] chunk: JsValue,
    ) -> Result<JsValue, JsValue> {
        let bytes = chunk_bytes(&chunk, "chunk")?;
        self.inner.push(&bytes).map_err(err::<WafError>)?;
        to_js(&self.inner.progress())
    }

    /// Where the replay is.
    #[wasm_bindgen(unchecked_return_type = "WafReplayProgress")]
    pub fn progress(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.progress())
    }

    /// Ends the log; returns the difference (again on a second call).
    #[wasm_bindgen(unchecked_return_type = "WafReplayDiff")]
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.finish().map_err(err::<WafError>)?)
    }
}
