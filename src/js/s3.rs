//! JS API of the S3 replication engine: `evaluateReplication(input, opts?)` and the streaming
//! `ReplicationEvaluator` for S3 Inventory reports, a few lines each over `crate::s3::json`.
//! `opts.kms` is a `Kms` instance whose keys and principals complete `keys` and `roles` (read
//! through its snapshot, so the instance is not changed).

use js_sys::{Function, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use super::args::{self, json_or_text, Accept, Json};
use super::error::js_error;
use super::json::to_js;
use crate::kms::World;
use crate::s3::{self as engine, S3Error};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A policy document: an object, or its JSON text. */
export type PolicyDocument = object | string;
/** A source or destination bucket of a replication evaluation. */
export interface ReplicationBucket {
  bucket: string; account: string; region: string;
  versioning?: "Enabled" | "Suspended" | { Status?: string } | null;
  /** `aws s3api get-bucket-encryption` output, or its ServerSideEncryptionConfiguration. */
  encryption?: object | null;
  blockedEncryptionTypes?: ("SSE-C" | "NONE")[] | "SSE-C" | "NONE" | { EncryptionType: string[] } | null;
  ownership?: "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter" | null;
  /** Destinations only: the bucket policy (or `get-bucket-policy` output). */
  bucketPolicy?: PolicyDocument | { Policy: string } | null;
}
export interface ReplicationObject {
  key: string; versionId?: string; size?: number; tags?: Record<string, string>; storageClass?: string;
  encryption?: "NONE" | "SSE-S3" | "SSE-KMS" | "DSSE-KMS" | "SSE-C";
  kmsKeyArn?: string; bucketKeyEnabled?: boolean; isReplica?: boolean; isDeleteMarker?: boolean; existing?: boolean;
}
export interface ReplicationInput {
  /** `aws s3api get-bucket-replication` output, or its ReplicationConfiguration. */
  replication: object;
  source: ReplicationBucket;
  destinations: ReplicationBucket[];
  roles?: Record<string, { policies?: PolicyDocument[]; permissionsBoundary?: PolicyDocument; trustPolicy?: PolicyDocument }>;
  keys?: { arn: string; keySpec?: string; keyUsage?: string; multiRegion?: boolean; enabled?: boolean;
           keyState?: string; policy: PolicyDocument }[];
  objects?: ReplicationObject[];
  /** An S3 Inventory CSV report with the `fileSchema` of its manifest. */
  inventory?: { csv?: string; fileSchema: string; existing?: boolean };
  objectsPerSecond?: number;
}
export interface ReplicationOptions { kms?: Kms }
export interface ReplicationReason {
  code: string; message: string; doc: string; decided: boolean;
  trace?: PolicyEvalResult & { action: string; resource: string; context: Record<string, string> };
}
export interface ReplicationDestinationVerdict {
  bucket: string; ruleId: string | null; replicated: boolean;
  outcome: "REPLICATED" | "NOT_REPLICATED" | "FAILED";
  replicaStatus: "REPLICA" | null;
  replicaEncryption: { type: "NONE" | "SSE-S3" | "SSE-KMS" | "DSSE-KMS" | "SSE-C"; kmsKeyArn?: string; bucketKeyEnabled?: boolean } | null;
  replicaOwner: string | null; replicaStorageClass: string | null;
  reasons: ReplicationReason[];
}
export interface ReplicationObjectVerdict {
  key: string; versionId: string | null; sourceStatus: "PENDING" | "COMPLETED" | "FAILED" | null;
  destinations: ReplicationDestinationVerdict[];
}
export interface KmsLoad {
  objectsPerSecond: number | null; objectsSeen: number; bucketKeyFactor: number; quotasAsOf: string; doc: string;
  keys: { keyArn: string; account: string; region: string; operation: "Decrypt" | "Encrypt" | "GenerateDataKey";
          requestsPerObject: number; bucketKeyObjects: number; requestsPerSecond: number | null }[];
  regions: { account: string; region: string; requestsPerObject: number; requestsPerSecond: number | null;
             quota: number; throttles: boolean }[];
  warnings: string[];
}
export interface ReplicationSummary {
  rows: number; evaluated: number; memoised: boolean; sourceStatus: Record<string, number>;
  outcomes: { destination: string; outcome: string; count: number }[];
  reasons: { destination: string; code: string; count: number }[];
  prefixes: { prefix: string; replicated: number; notReplicated: number; failed: number }[];
  /** The summary as CSV, for download. */
  csv: string;
}
export interface ReplicationResult {
  configurationErrors: { code: string; message: string; pointer: string }[];
  destinations: string[];
  objects: ReplicationObjectVerdict[];
  kmsLoad: KmsLoad;
  /** Inventory input only. */
  summary?: ReplicationSummary;
  /** Inventory input only: one verdict row per object (with a header in `evaluateReplication`). */
  csv?: string;
}
"#;

fn err(e: S3Error) -> JsValue {
    js_error(e.code(), &e.to_string())
}

fn input(value: JsValue) -> Result<serde_json::Value, JsValue> {
    match json_or_text(value, "input", Accept::OBJECT_OR_TEXT)? {
        Json::Text(text) => serde_json::from_str(&text)
            .map_err(|e| js_error("InvalidInput", &format!("`input` is not JSON: {e}"))),
        Json::Value(v) => Ok(v),
    }
}

/// The KMS world of `opts.kms`, through the instance's `snapshot()`.
fn world(opts: Option<JsValue>) -> Result<Option<World>, JsValue> {
    let Some(opts) = args::present(opts) else { return Ok(None) };
    args::object(&opts, "opts")?;
    let kms = Reflect::get(&opts, &JsValue::from_str("kms"))
        .map_err(|_| js_error("InvalidInput", "`opts.kms` could not be read"))?;
    let Some(kms) = args::present(Some(kms)) else { return Ok(None) };
    let not_kms = || args::wrong_type("opts.kms", "a Kms instance", &kms);
    let snapshot = Reflect::get(&kms, &JsValue::from_str("snapshot"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok())
        .ok_or_else(not_kms)?;
    let bytes = snapshot.call0(&kms).map_err(|_| not_kms())?;
    let bytes = bytes.dyn_into::<Uint8Array>().map_err(|_| not_kms())?.to_vec();
    crate::kms::snapshot::restore(&bytes)
        .map(Some)
        .map_err(|e| js_error("InvalidInput", &format!("`opts.kms`: {e}")))
}

/// Evaluates a replication configuration for every object (or an inventory report): per object
/// and destination, whether and how it replicates and why not, the configuration errors AWS
/// would raise, and the KMS load.
#[wasm_bindgen(js_name = evaluateReplication, unchecked_return_type = "ReplicationResult")]
pub fn evaluate_replication(
    #[wasm_bindgen(js_name = input, unchecked_param_type = "ReplicationInput | string")] input_value: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ReplicationOptions")] opts: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let v = input(input_value)?;
    let w = world(opts)?;
    to_js(&engine::evaluate_replication(&v, w.as_ref()).map_err(err)?)
}

/// An S3 Inventory report evaluated as a stream: `new ReplicationEvaluator(input, opts?)` with
/// `input.inventory = { fileSchema }`, then `push(chunk)` (text or bytes; returns the verdict CSV
/// rows of the lines it completed), then `finish()` (the summary and KMS load). `header()` is the
/// CSV header of the rows.
#[wasm_bindgen]
pub struct ReplicationEvaluator {
    inner: engine::ReplicationEvaluator,
}

#[wasm_bindgen]
impl ReplicationEvaluator {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = input, unchecked_param_type = "ReplicationInput | string")]
        input_value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "ReplicationOptions")] opts: Option<JsValue>,
    ) -> Result<ReplicationEvaluator, JsValue> {
        let v = input(input_value)?;
        let w = world(opts)?;
        Ok(Self { inner: engine::ReplicationEvaluator::new(&v, w.as_ref()).map_err(err)? })
    }

    /// The header of the verdict CSV.
    pub fn header(&self) -> String {
        self.inner.header()
    }

    /// Feeds a chunk of the report (text or bytes); returns the verdict rows it completed.
    pub fn push(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] chunk: JsValue,
    ) -> Result<String, JsValue> {
        let bytes = match chunk.as_string() {
            Some(s) => s.into_bytes(),
            None => match chunk.dyn_ref::<Uint8Array>() {
                Some(a) => a.to_vec(),
                None => return Err(args::wrong_type("chunk", "a string or a Uint8Array", &chunk)),
            },
        };
        self.inner.push(&bytes).map_err(err)
    }

    /// Ends the report: summary, KMS load, configuration errors and the last verdict rows (`csv`).
    #[wasm_bindgen(unchecked_return_type = "ReplicationResult")]
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.finish().map_err(err)?)
    }
}
