//! JS API of the ACM engine: `inspectCertificate(cert, options?)` and `acmTimeline(cert,
//! options?)`, a few lines each over `crate::acm::json`. A certificate is PEM text or bytes (DER
//! or PEM); a failure throws a `SecplayError` whose `code` is the engine's (`MalformedPem`,
//! `MalformedDer`, `TooLarge`, `NoCertificate`, `InvalidOption`). Times default to now.

use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::args::{self, Accept};
use super::error::js_error;
use super::json::to_js;
use crate::acm::{json as engine, AcmError};

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** A certificate or chain: PEM text, or DER / PEM bytes. */
export type CertificateInput = string | Uint8Array;
export interface InspectCertificateOptions {
  /** The time validity is judged at, epoch seconds (default: now). */
  at?: number;
}
export interface CertificateKey {
  algorithm: string; oid: string; bits: number | null; curve: string | null; acmKeyAlgorithm: string | null;
}
export interface CertificateExtension {
  oid: string; name: string; critical: boolean; value: unknown; error?: string;
}
export interface CertificateInfo {
  index: number; line: number; version: number; serial: string; subject: string; issuer: string;
  commonName: string | null; notBefore: string; notAfter: string; notBeforeEpoch: number; notAfterEpoch: number;
  validityDays: number; status: "valid" | "expired" | "notYetValid";
  publicKey: CertificateKey;
  signatureAlgorithm: { oid: string; name: string; acm: string };
  sha1: string; sha256: string;
  sans: { dns: string[]; ip: string[]; email: string[]; uri: string[] };
  isCa: boolean; pathLen: number | null; keyUsage: string[]; extendedKeyUsage: string[];
  subjectKeyId: string | null; authorityKeyId: string | null; selfIssued: boolean;
  extensions: CertificateExtension[];
}
export interface ChainProblem {
  code: "OutOfOrder" | "Duplicate" | "LeafIsCa" | "MissingIntermediate" | "AkiSkiMismatch" | "BadSignature"
    | "RootIncluded" | "Expired" | "NotYetValid" | "UnsupportedSignature";
  severity: "error" | "warning" | "info"; index: number; message: string;
}
export interface ChainLink {
  child: number; parent: number; namesMatch: boolean; keyIdsMatch: boolean | null;
  signature: "valid" | "invalid" | "unsupported";
}
export interface CertificateInspection {
  certificates: CertificateInfo[];
  chain: { links: ChainLink[]; problems: ChainProblem[] };
  /** The names ACM uses: the DNS SANs, or the common name. */
  names: string[];
}
export interface AcmTimelineOptions {
  type?: "IMPORTED" | "AMAZON_ISSUED" | "PRIVATE";
  /** The simulated now, epoch seconds (default: now). */
  now?: number;
  inUse?: boolean; exported?: boolean;
  validationMethod?: "DNS" | "EMAIL"; dnsRecordPresent?: boolean; emailActionTaken?: boolean;
  /** `PutAccountConfiguration` ExpiryEvents.DaysBeforeExpiry, 1–45 (default 45). */
  daysBeforeExpiry?: number;
  /** `acm-certificate-expiration-check` daysToExpiration (default 14). */
  daysToExpiration?: number;
  region?: string; resourceRegion?: string; account?: string;
  exportEnabled?: boolean; requestedAt?: number;
  /** Host names to check against the certificate's names. */
  hosts?: string[];
}
export interface AcmTimelineEvent {
  at: number; time: string;
  kind: "ManagedRenewalStarts" | "Renewed" | "RenewalPendingValidation" | "RenewalIneligible"
    | "ApproachingExpiration" | "ConfigRuleNonCompliant" | "Expired";
  detail: string; past: boolean; eventBridge?: object;
}
export interface AcmTimeline {
  arn: string; type: string; names: string[]; now: number;
  coverage: { host: string; coveredBy: string | null; reason?: string }[];
  state: {
    status: "ISSUED" | "EXPIRED"; daysToExpiry: number; renewalEligibility: "ELIGIBLE" | "INELIGIBLE";
    renewalEligibilityReason: string; renewed: boolean; configRule: "COMPLIANT" | "NON_COMPLIANT";
    expiryEventsActive: boolean;
  };
  events: AcmTimelineEvent[];
  validationRecords: { DomainName: string; ResourceRecord: { Name: string; Type: "CNAME"; Value: string } }[];
  placements: { service: string; requiredRegion: string; ok: boolean; source: string }[];
  export: { allowed: boolean; reason: string; source: string };
  /** What `aws acm describe-certificate` would print. */
  describeCertificate: { Certificate: Record<string, unknown> };
}
"#;

fn err(e: AcmError) -> JsValue {
    js_error(e.code(), &e.to_string())
}

/// The certificate argument as bytes.
fn cert_bytes(value: &JsValue) -> Result<Vec<u8>, JsValue> {
    if let Some(s) = value.as_string() {
        return Ok(s.into_bytes());
    }
    args::bytes(value, "cert").map_err(|_| args::wrong_type("cert", "PEM text or a Uint8Array", value))
}

fn now() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// Decodes a certificate or chain: every field, and the chain checks.
#[wasm_bindgen(js_name = inspectCertificate, unchecked_return_type = "CertificateInspection")]
pub fn inspect_certificate(
    #[wasm_bindgen(unchecked_param_type = "CertificateInput")] cert: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "InspectCertificateOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let input = cert_bytes(&cert)?;
    let o = args::optional_json(options, "options", Accept::OBJECT)?;
    let at = match o.get("at") {
        None | Some(Value::Null) => now(),
        Some(v) => {
            v.as_i64().ok_or_else(|| js_error("InvalidOption", "/at: epoch seconds, a whole number"))?
        }
    };
    to_js(&engine::inspect(&input, Some(at)).map_err(err)?)
}

/// The ACM view of the first certificate: names, renewal and expiry timeline, validation record,
/// regions, export, and the `DescribeCertificate` detail.
#[wasm_bindgen(js_name = acmTimeline, unchecked_return_type = "AcmTimeline")]
pub fn acm_timeline(
    #[wasm_bindgen(unchecked_param_type = "CertificateInput")] cert: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "AcmTimelineOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let input = cert_bytes(&cert)?;
    let mut o = args::optional_json(options, "options", Accept::OBJECT)?;
    if o.is_null() {
        o = Value::Object(serde_json::Map::new());
    }
    if let Value::Object(m) = &mut o {
        if m.get("now").is_none_or(Value::is_null) {
            m.insert("now".into(), Value::from(now()));
        }
    }
    to_js(&engine::timeline(&input, &o).map_err(err)?)
}
