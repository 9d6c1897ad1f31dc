//! JS API of the sensitive-data scanner: `scanSensitiveData(text | bytes, options?)` and the
//! streaming `SensitiveDataScanner` (`push(chunk)` for progress, then `finish()`), a few lines each
//! over `crate::scan::json`.

use wasm_bindgen::prelude::*;

use super::args::{self, Accept};
use super::error::js_error;
use super::json::to_js;
use crate::scan::json as engine;
use crate::scan::ScanError;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** Type ids: Macie's managed data identifier ids where Macie has one (`macie: true`). */
export type SensitiveDataType =
  | "OPENSSH_PRIVATE_KEY" | "PKCS" | "PGP_PRIVATE_KEY" | "JSON_WEB_TOKEN" | "AWS_CREDENTIALS" | "AWS_ACCESS_KEY_ID"
  | "IBAN" | "CREDIT_CARD_NUMBER" | "CREDIT_CARD_NUMBER_(NO_KEYWORD)" | "KOREA_RESIDENT_REGISTRATION_NUMBER"
  | "USA_SOCIAL_SECURITY_NUMBER" | "DATE_OF_BIRTH" | "EMAIL_ADDRESS" | "PHONE_NUMBER";
export interface ScanOptions {
  /** Only these types (default: all). */
  types?: SensitiveDataType[];
  /** Findings kept in full (default 1000, at most 100000); the rest are counted. */
  maxFindings?: number;
  /** The `mimeType` of the Macie-shaped finding (default `text/plain`). */
  mimeType?: string;
}
/** A position counted four ways: `utf16` is a JS string index. */
export interface ScanPosition { byte: number; char: number; utf16: number; line: number; column: number }
export interface SensitiveDataFinding {
  type: SensitiveDataType; macie: boolean;
  category: "CREDENTIALS" | "FINANCIAL_INFORMATION" | "PERSONAL_INFORMATION";
  severity: "Low" | "Medium" | "High"; detail: string;
  start: ScanPosition; end: ScanPosition;
  /** The match, masked: never the whole secret. */
  masked: string;
  /** Up to 24 characters either side, every finding in it masked. */
  excerpt: string;
}
export interface MacieRange { start: number; end: number; startColumn: number }
/** An Amazon Macie sensitive data finding's type, severity and classificationDetails. */
export interface MacieSensitiveDataFinding {
  type: string; category: "CLASSIFICATION";
  severity: { description: "Low" | "Medium" | "High"; score: 1 | 2 | 3 };
  classificationDetails: { originType: string; result: {
    status: { code: "COMPLETE" }; mimeType: string; sizeClassified: number; additionalOccurrences: boolean;
    sensitiveData: { category: string; totalCount: number;
      detections: { type: string; count: number; occurrences: { lineRanges: MacieRange[]; offsetRanges: MacieRange[] } }[] }[];
    customDataIdentifiers: { detections: unknown[]; totalCount: number };
  } };
}
export interface ScanReport {
  findings: SensitiveDataFinding[];
  counts: Partial<Record<SensitiveDataType, number>>;
  bytesScanned: number;
  /** Findings beyond `maxFindings` were counted but not kept. */
  truncated: boolean;
  /** `null` when nothing was found. */
  finding: MacieSensitiveDataFinding | null;
}
export interface ScanProgress { bytesScanned: number; total: number }
"#;

fn err(e: ScanError) -> JsValue {
    js_error(e.code(), &e.to_string())
}

fn input_bytes(value: &JsValue, name: &str) -> Result<Vec<u8>, JsValue> {
    match value.as_string() {
        Some(s) => Ok(s.into_bytes()),
        None => match value.dyn_ref::<js_sys::Uint8Array>() {
            Some(a) => Ok(a.to_vec()),
            None => Err(args::wrong_type(name, "a string or a Uint8Array", value)),
        },
    }
}

/// Scans text or bytes for sensitive data, Macie-style.
#[wasm_bindgen(js_name = scanSensitiveData, unchecked_return_type = "ScanReport")]
pub fn scan_sensitive_data(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ScanOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let bytes = input_bytes(&input, "input")?;
    let opts = args::optional_json(options, "options", Accept::OBJECT)?;
    to_js(&engine::scan(&bytes, &opts).map_err(err)?)
}

/// A streaming scan: `push` chunks (text or bytes, any size; memory stays bounded), then `finish`.
#[wasm_bindgen]
pub struct SensitiveDataScanner {
    inner: engine::JsonScanner,
}

#[wasm_bindgen]
impl SensitiveDataScanner {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "ScanOptions")] options: Option<JsValue>,
    ) -> Result<SensitiveDataScanner, JsValue> {
        let opts = args::optional_json(options, "options", Accept::OBJECT)?;
        Ok(Self { inner: engine::JsonScanner::new(&opts).map_err(err)? })
    }

    /// Takes the next chunk; returns the progress so far.
    #[wasm_bindgen(unchecked_return_type = "ScanProgress")]
    pub fn push(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] chunk: JsValue,
    ) -> Result<JsValue, JsValue> {
        let bytes = input_bytes(&chunk, "chunk")?;
        to_js(&self.inner.push(&bytes).map_err(err)?)
    }

    /// Scans the rest and returns the report. The scanner cannot be used after.
    #[wasm_bindgen(unchecked_return_type = "ScanReport")]
    pub fn finish(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.finish().map_err(err)?)
    }
}
