//! JS API of the WAF engine: the `WebAcl` class (evaluate, replay, capacity), the offline
//! `GeoDatabase`, and the detectors and transformations on their own.

use std::cell::RefCell;
use std::sync::Arc;

use wasm_bindgen::prelude::*;

use super::args::{self, Accept};
use super::error::{js_error, to_js as err};
use super::json::to_js;
use crate::waf::geo::GeoDb;
use crate::waf::{json as engine, WafError};

thread_local! {
    /// A database handed over by [`GeoDatabase::lend`], taken at once by [`GeoDatabase::borrow_from`].
    static LENT: RefCell<Option<Arc<GeoDb>>> = const { RefCell::new(None) };
}

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** An HTTP request as the WAF sees it. `uri` is path + `?query`; `body` is text (or use `bodyBase64`). */
export interface WafRequest {
  method: string;
  uri: string;
  headers: [string, string][];
  body?: string;
  bodyBase64?: string;
  clientIp: string;
  country?: string;
  asn?: number;
  timestamp?: number;
}
export interface WafContext {
  /** Epoch milliseconds on the simulated clock. */
  timestamp?: number;
  tokens?: { captcha?: number | boolean; challenge?: number | boolean };
}
export interface WafResources { ipSets?: (object | string)[]; regexPatternSets?: (object | string)[]; ruleGroups?: (object | string)[] }
export interface WafOptions {
  resourceType?: "APPLICATION_LOAD_BALANCER" | "API_GATEWAY" | "CLOUDFRONT" | "APPSYNC" | "COGNITO_USER_POOL" | "APP_RUNNER_SERVICE" | "VERIFIED_ACCESS_INSTANCE" | string;
  bodyLimit?: number;
  /** Include the per-rule trace in log records (default true). */
  trace?: boolean;
  /** The offline geo database (`geo.bin` of this package) for GeoMatch/AsnMatch on requests without `country`/`asn`. */
  geoDb?: Uint8Array;
}
/**
 * One parse error: a stable `code`, the message, and where: a JSON pointer (RFC 6901) and, when the
 * ACL was given as text, the 1-based line/column where the member starts and endLine/endColumn just after it.
 */
export interface WafErrorItem {
  code: string; message: string; pointer?: string;
  line?: number; column?: number; endLine?: number; endColumn?: number;
}
/**
 * `detail` of a `SecplayError` thrown by the WAF engine: the first error's `code`/`message`/`pointer`
 * (and line/column), and `errors`, every error found (at most 100; `more` counts the rest).
 */
export interface WafErrorDetail extends WafErrorItem { ok: false; errors: WafErrorItem[]; more: number }
/** What the offline geo database knows of an address. */
export interface GeoLookup { country?: string; asn?: number }
/** The AWS WAF log record, plus `trace` and `notes`. */
export interface WafLogRecord {
  action: "ALLOW" | "BLOCK" | "COUNT" | "CAPTCHA" | "CHALLENGE";
  terminatingRuleId: string;
  terminatingRuleType: string;
  terminatingRuleMatchDetails: object[];
  ruleGroupList: object[];
  nonTerminatingMatchingRules: object[];
  rateBasedRuleList: object[];
  labels?: { name: string }[];
  /** The client's country and ASN and where each came from (playground extra). */
  geo: { country: string | null; countrySource: "request" | "database" | "unknown"; asn: number | null; asnSource: "request" | "database" | "unknown" };
  [field: string]: unknown;
}
"#;

/// A web ACL as AWS writes it (`get-web-acl` output or its `WebACL`, object or JSON text), with
/// the IP sets, regex pattern sets and rule groups it references (matched by ARN).
#[wasm_bindgen]
pub struct WebAcl {
    inner: engine::WebAcl,
}

#[wasm_bindgen]
impl WebAcl {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "object | string")] json: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WafResources")] resources: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "WafOptions")] options: Option<JsValue>,
    ) -> Result<WebAcl, JsValue> {
        let json = args::json(json, "json", Accept::OBJECT_OR_TEXT)?;
        let resources = args::optional_json(resources, "resources", Accept::OBJECT_OR_TEXT)?;
        let source = json.as_str().map(str::to_owned);
        let (options, geo) = take_geo_db(args::present(options))?;
        let options = args::optional_json(options, "options", Accept::OBJECT_OR_TEXT)?;
        match engine::WebAcl::new(&json, &resources, &options) {
            Ok(mut inner) => {
                inner.set_geo_db(geo);
                Ok(Self { inner })
            }
            // Errors in JSON text carry line:column of that text in their message.
            Err(e) => Err(waf_error(&e, source.as_deref())),
        }
    }

    /// Evaluate one request; returns the AWS WAF log record.
    #[wasm_bindgen(unchecked_return_type = "WafLogRecord")]
    pub fn evaluate(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "WafRequest")] request: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WafContext")] context: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let request = plain_object(request)?;
        let context = args::optional_json(context, "context", Accept::OBJECT_OR_TEXT)?;
        let record = self.inner.evaluate_text(&request, &context).map_err(err::<WafError>)?;
        js_sys::JSON::parse(&record).map_err(|_| js_error("Internal", "could not build the log record"))
    }

    /// Evaluate a batch (an array of requests, JSON-lines text, or a HAR document) on the simulated
    /// clock: per-rule counts, actions over time, top blocked addresses and paths.
    pub fn replay(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "WafRequest[] | string | object")] requests: JsValue,
    ) -> Result<JsValue, JsValue> {
        let requests = args::json(requests, "requests", Accept::ANY)?;
        to_js(&self.inner.replay(&requests).map_err(err::<WafError>)?)
    }

    /// Web ACL capacity units (WCUs) used.
    pub fn capacity(&self) -> f64 {
        self.inner.capacity() as f64
    }

    /// Capacity per rule and the 1,500 / 5,000 limits.
    #[wasm_bindgen(js_name = capacityReport)]
    pub fn capacity_report(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.capacity_report())
    }

    /// Reset the simulated clock and the rate-based counters.
    pub fn reset(&mut self) {
        self.inner.reset();
    }

    /// Whether a GeoMatch/AsnMatch statement (or an ASN rate key) could use the geo database.
    #[wasm_bindgen(getter = usesGeo)]
    pub fn uses_geo(&self) -> bool {
        self.inner.uses_geo()
    }

    /// Whether evaluating `request` could consult the geo database: a GeoMatch/AsnMatch statement
    /// (or an ASN rate key) needs a country or ASN the request does not carry.
    #[wasm_bindgen(js_name = needsGeoDatabase)]
    pub fn needs_geo_database(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WafRequest")] request: JsValue,
    ) -> Result<bool, JsValue> {
        Ok(self.inner.needs_geo_db(&args::json(request, "request", Accept::OBJECT_OR_TEXT)?))
    }

    /// Use `db` for requests without `country` / `asn` (shared, not copied).
    #[wasm_bindgen(js_name = setGeoDatabase)]
    pub fn set_geo_database(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "GeoDatabase")] db: JsValue,
    ) -> Result<(), JsValue> {
        self.inner.set_geo_db(Some(GeoDatabase::borrow_from(&db)?));
        Ok(())
    }

    /// Stop using a geo database: countries and ASNs come only from the requests again.
    #[wasm_bindgen(js_name = clearGeoDatabase)]
    pub fn clear_geo_database(&mut self) {
        self.inner.set_geo_db(None);
    }
}

/// Splits `options.geoDb` (a `Uint8Array`, decoded here) from the JSON options (any other value is
/// left for the JSON checks).
pub(super) fn take_geo_db(
    options: Option<JsValue>,
) -> Result<(Option<JsValue>, Option<Arc<GeoDb>>), JsValue> {
    let Some(o) = options else { return Ok((None, None)) };
    if args::object(&o, "options").is_err() {
        return Ok((Some(o), None));
    }
    let key = JsValue::from_str("geoDb");
    let value = js_sys::Reflect::get(&o, &key)
        .map_err(|_| js_error("InvalidInput", "`options.geoDb` could not be read"))?;
    if value.is_undefined() || value.is_null() {
        return Ok((Some(o), None));
    }
    let Some(bytes) = value.dyn_ref::<js_sys::Uint8Array>() else {
        return Err(js_error(
            "WrongType",
            "/options/geoDb: invalid type, expected a Uint8Array (the bytes of geo.bin)",
        ));
    };
    let db = GeoDb::from_vec(bytes.to_vec()).map_err(err::<WafError>)?;
    let rest = js_sys::Object::assign(&js_sys::Object::new(), o.unchecked_ref());
    js_sys::Reflect::delete_property(&rest, &key)?;
    Ok((Some(rest.into()), Some(Arc::new(db))))
}

/// The offline IP → country / ASN database (`geo.bin`, built from `@ip-location-db` packages):
/// country from geo-whois-asn-country (CC0-1.0), ASN from ip-location-db asn (CC-BY-4.0).
#[wasm_bindgen]
pub struct GeoDatabase {
    inner: Arc<GeoDb>,
}

#[wasm_bindgen]
impl GeoDatabase {
    /// Checks and loads the bytes of `geo.bin`; throws `InvalidGeoDatabase` if they are not one.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
    ) -> Result<GeoDatabase, JsValue> {
        let bytes = args::bytes(&bytes, "bytes")?;
        Ok(Self { inner: Arc::new(GeoDb::from_vec(bytes).map_err(err::<WafError>)?) })
    }

    /// Not for users: hands this database to [`GeoDatabase::borrow_from`] (see there).
    #[doc(hidden)]
    #[wasm_bindgen(js_name = __secplayLend, skip_typescript)]
    pub fn lend(&self) {
        LENT.with(|l| *l.borrow_mut() = Some(Arc::clone(&self.inner)));
    }

    /// The database behind `value`, which must be a live `GeoDatabase`. A `&GeoDatabase` parameter
    /// would throw an uncoded error for anything else, and wasm-bindgen's checked conversion takes
    /// the object away from JS; so the object is asked to lend its data through a hidden method,
    /// and anything that does not hand over a database is refused.
    fn borrow_from(value: &JsValue) -> Result<Arc<GeoDb>, JsValue> {
        let refuse = || args::wrong_type("db", "a GeoDatabase", value);
        args::object(value, "db").map_err(|_| refuse())?;
        let lend = js_sys::Reflect::get(value, &JsValue::from_str("__secplayLend")).map_err(|_| refuse())?;
        let lend = lend.dyn_into::<js_sys::Function>().map_err(|_| refuse())?;
        LENT.with(|l| l.borrow_mut().take());
        lend.call0(value).map_err(|_| refuse())?;
        LENT.with(|l| l.borrow_mut().take()).ok_or_else(refuse)
    }

    /// Country and ASN of an IPv4 or IPv6 address (`{}` when it is in no range).
    #[wasm_bindgen(unchecked_return_type = "GeoLookup")]
    pub fn lookup(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] ip: JsValue,
    ) -> Result<JsValue, JsValue> {
        let ip = args::string(&ip, "ip")?;
        let addr = crate::waf::request::parse_ip(&ip)
            .ok_or_else(|| js_error("InvalidRequest", &format!("`{ip}` is not an IPv4 or IPv6 address")))?;
        let mut out = serde_json::Map::new();
        if let Some(c) = self.inner.country(addr) {
            out.insert("country".into(), c.as_str().into());
        }
        if let Some(a) = self.inner.asn(addr) {
            out.insert("asn".into(), a.into());
        }
        to_js(&serde_json::Value::Object(out))
    }

    /// Where the data comes from: package names, versions and licences.
    #[wasm_bindgen(getter)]
    pub fn source(&self) -> String {
        self.inner.source().to_owned()
    }

    /// Range counts per table and the size in bytes.
    #[wasm_bindgen(
        unchecked_return_type = "{ ipv4Country: number; ipv4Asn: number; ipv6Country: number; ipv6Asn: number; bytes: number }"
    )]
    pub fn stats(&self) -> Result<JsValue, JsValue> {
        to_js(
            &serde_json::to_value(self.inner.stats())
                .map_err(|e| js_error("InvalidGeoDatabase", &e.to_string()))?,
        )
    }
}

/// Loads the offline geo database from the bytes of `geo.bin` (same as `new GeoDatabase(bytes)`).
#[wasm_bindgen(js_name = loadGeoDatabase)]
pub fn load_geo_database(
    #[wasm_bindgen(unchecked_param_type = "Uint8Array")] bytes: JsValue,
) -> Result<GeoDatabase, JsValue> {
    GeoDatabase::new(bytes)
}

/// A plain JS object (prototype `Object.prototype` or none) read through one `JSON.stringify`
/// and serde_json: far cheaper per request than walking it member by member from wasm. Anything
/// else (a string of JSON text, an object JSON cannot write) goes through the checked conversion,
/// with its errors.
fn plain_object(value: JsValue) -> Result<serde_json::Value, JsValue> {
    let plain = value.is_object() && {
        let proto = js_sys::Object::get_prototype_of(&value);
        proto.is_null() || *proto == *js_sys::Object::get_prototype_of(&js_sys::Object::new())
    };
    if plain {
        if let Some(text) = js_sys::JSON::stringify(&value).ok().and_then(|t| t.as_string()) {
            if let Ok(v) = serde_json::from_str(&text) {
                return Ok(v);
            }
        }
    }
    args::json(value, "request", Accept::OBJECT_OR_TEXT)
}

fn waf_error(e: &WafError, source: Option<&str>) -> JsValue {
    let v = match source {
        Some(text) => engine::error_value_in(e, text),
        None => engine::error_value(e),
    };
    let message = v.get("message").and_then(|m| m.as_str()).map_or_else(|| e.to_string(), str::to_owned);
    let out = js_error(e.code(), &message);
    if let Ok(detail) = to_js(&v) {
        let _ = js_sys::Reflect::set(&out, &"detail".into(), &detail);
    }
    out
}

/// Whether AWS WAF's SQL injection match would flag `input` (sensitivity `"LOW"` default, or `"HIGH"`).
#[wasm_bindgen(js_name = detectSqli)]
pub fn detect_sqli(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string")] sensitivity: Option<JsValue>,
) -> Result<bool, JsValue> {
    let input = args::string(&input, "input")?;
    let sensitivity = args::optional_string(sensitivity, "sensitivity")?;
    engine::detect_sqli(&input, sensitivity.as_deref()).map_err(err::<WafError>)
}

/// Why `input` was (or was not) flagged as SQL injection: tokens, fingerprint, pattern.
#[wasm_bindgen(js_name = explainSqli)]
pub fn explain_sqli(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "string")] sensitivity: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let input = args::string(&input, "input")?;
    let sensitivity = args::optional_string(sensitivity, "sensitivity")?;
    to_js(&engine::explain_sqli(&input, sensitivity.as_deref()).map_err(err::<WafError>)?)
}

/// Whether AWS WAF's XSS match would flag `input`.
#[wasm_bindgen(js_name = detectXss)]
pub fn detect_xss(#[wasm_bindgen(unchecked_param_type = "string")] input: JsValue) -> Result<bool, JsValue> {
    Ok(engine::detect_xss(&args::string(&input, "input")?))
}

/// Why `input` was (or was not) flagged as XSS.
#[wasm_bindgen(js_name = explainXss)]
pub fn explain_xss(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
) -> Result<JsValue, JsValue> {
    to_js(&engine::explain_xss(&args::string(&input, "input")?))
}

/// Apply WAF text transformations (`[{ Type, Priority }]`) in priority order, as AWS does.
#[wasm_bindgen(js_name = applyTransformations)]
pub fn apply_transformations(
    #[wasm_bindgen(unchecked_param_type = "string")] input: JsValue,
    #[wasm_bindgen(unchecked_param_type = "{ Type: string; Priority: number }[]")] transformations: JsValue,
) -> Result<String, JsValue> {
    let input = args::string(&input, "input")?;
    let transformations = args::json(transformations, "transformations", Accept::ARRAY_OR_TEXT)?;
    engine::apply_transformations(&input, &transformations).map_err(err::<WafError>)
}

/// A request pasted as raw HTTP text or as a `curl` command, in the shape `evaluate` takes.
#[wasm_bindgen(js_name = parseRequestText, unchecked_return_type = "WafRequest")]
pub fn parse_request_text(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(js_name = clientIp, unchecked_param_type = "string")] client_ip: JsValue,
) -> Result<JsValue, JsValue> {
    let text = args::string(&text, "text")?;
    let client_ip = args::string(&client_ip, "clientIp")?;
    to_js(&crate::waf::http_text::parse_request_text(&text, &client_ip).map_err(err::<WafError>)?)
}
