//! JS API of DDoS practice: `new FloodSimulator(aclJson, resources?, options?)` with `run` and
//! `runMix`, and `ddosChecklist(architectureJson)`, a few lines each over
//! `crate::waf::ddos::json`.

use js_sys::Function;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::args::{self, Accept};
use super::error::to_js as err;
use super::json::to_js;
use super::waf::take_geo_db;
use crate::waf::ddos::json as engine;
use crate::waf::WafError;

#[wasm_bindgen(typescript_custom_section)]
const TS: &'static str = r#"
/** How a flood simulator decides rate limits. The default is `periodic`: a check every 10 s, as AWS documents. */
export interface FloodOptions {
  resourceType?: WafOptions["resourceType"];
  /** `periodic` (AWS: the rate is checked about every 10 s) or `exact` (a sliding window decided at every request). */
  rateModel?: "periodic" | "exact";
  /** Seconds between checks (1–60, default 10; periodic only). */
  checkIntervalSec?: number;
  /** Seconds from a check until it applies (0–300, default 0; periodic only). */
  mitigationDelaySec?: number;
  /** Width of a report bucket: 1 or 10 s (default 1 up to 600 s of run, else 10). */
  bucketSec?: 1 | 10;
  /** The offline geo database (`geo.bin`): attackers of a country or ASN are drawn from its ranges. */
  geoDb?: Uint8Array;
}
/** A flood scenario. Bounds: durationSec ≤ 3600, attackers ≤ 100,000 at ≤ 1,000 req/s each, users ≤ 10,000 at ≤ 10 req/s, ≤ 5,000,000 requests a run. */
export interface FloodScenario {
  kind: "httpGetFlood" | "asnFlood" | "countryFlood" | "lowAndSlow" | "cacheBusting" | "loginFlood" | "botnetMix";
  durationSec?: number;
  /** When the attackers start (seconds); users run throughout. */
  startSec?: number;
  attackers?: number;
  /** Requests per second per attacker. */
  attackerRate?: number;
  users?: number;
  /** Requests per second per user. */
  userRate?: number;
  /** Share of traffic from bots (0.01–0.999), instead of attackerRate. */
  botShare?: number;
  asn?: number;
  country?: string;
  path?: string;
  userPath?: string;
  /** Extra headers; `{client}`, `{ip}`, `{n}` in values are replaced per request. */
  headers?: [string, string][];
  /** Clients come through a proxy: X-Forwarded-For carries their address. */
  xForwardedFor?: boolean;
  arrival?: "uniform" | "poisson";
  seed?: number;
}
export interface FloodBucket { t: number; allowed: number; blocked: number; challenged: number; counted: number; attackAllowed: number; attackStopped: number; legitAllowed: number; legitStopped: number }
export interface FloodRuleReport { name: string; limit: number; windowSec: number; aggregate: "IP" | "FORWARDED_IP" | "CONSTANT" | "CUSTOM_KEYS"; scopeDown: boolean; action: string; firstTripSec: number | null; keysLimited: number; requestsLimited: number; attackAllowedBeforeTrip: number }
export interface FloodTrip { rule: string; key: string; atSec: number; client: string | null; allowedBefore: number | null }
export interface FloodFalsePositive { user: string; clientIp: string; firstAtSec: number; requests: number; stopped: number; rules: string[] }
/** What a flood did against the web ACL. */
export interface FloodReport {
  rateModel: "periodic" | "exact";
  checkIntervalSec: number | null;
  mitigationDelaySec: number | null;
  bucketSec: number;
  durationSec: number;
  totals: { requests: number; attack: number; legit: number; allowed: number; blocked: number; challenged: number; counted: number; attackAllowed: number; legitStopped: number; distinctQueryStrings: number };
  buckets: FloodBucket[];
  rules: FloodRuleReport[];
  trips: FloodTrip[];
  tripsOmitted: number;
  falsePositives: FloodFalsePositive[];
  falsePositiveUsers: number;
  clients: { attackers: number; users: number; attackersNeverStopped: number };
  addressSources: string[];
  notes: string[];
}
/** A described architecture for the BP1–BP7 checklist. */
export interface DdosArchitecture {
  entryPoints: { name: string; type: DdosResourceType; webAcl?: string; shieldAdvanced?: boolean; endpointType?: "EDGE" | "REGIONAL" | "PRIVATE"; throttling?: boolean }[];
  origins?: { name: string; type: DdosResourceType; behind?: string; publiclyReachable?: boolean; autoScaling?: boolean }[];
  webAcls?: { name: string; rateBasedRules?: number }[];
  dns?: { provider: "ROUTE_53" | "OTHER"; healthChecks?: boolean };
}
export type DdosResourceType = "CLOUDFRONT" | "GLOBAL_ACCELERATOR" | "ALB" | "NLB" | "CLB" | "API_GATEWAY" | "APPSYNC" | "COGNITO_USER_POOL" | "EC2" | "ECS" | "ELASTIC_IP" | "LAMBDA" | "LAMBDA_URL" | "S3";
export interface DdosPractice { id: "BP1" | "BP2" | "BP3" | "BP4" | "BP5" | "BP6" | "BP7" | "SHIELD"; title: string; status: "inPlace" | "missing" | "notApplicable"; reasons: string[]; source: string }
export interface DdosChecklist { practices: DdosPractice[]; inPlace: number; missing: number }
"#;

/// A web ACL that takes generated floods on the simulated clock.
#[wasm_bindgen]
pub struct FloodSimulator {
    inner: engine::FloodSimulator,
}

#[wasm_bindgen]
impl FloodSimulator {
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(js_name = aclJson, unchecked_param_type = "object | string")] acl_json: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "WafResources | string")] resources: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "FloodOptions")] options: Option<JsValue>,
    ) -> Result<FloodSimulator, JsValue> {
        let acl = args::json(acl_json, "aclJson", Accept::OBJECT_OR_TEXT)?;
        let resources = args::optional_json(resources, "resources", Accept::OBJECT_OR_TEXT)?;
        let (options, geo) = take_geo_db(args::present(options))?;
        let options = args::optional_json(options, "options", Accept::OBJECT_OR_TEXT)?;
        let mut inner = engine::FloodSimulator::new(&acl, &resources, &options).map_err(err::<WafError>)?;
        inner.set_geo_db(geo);
        Ok(Self { inner })
    }

    /// Runs one scenario; returns the report. `onProgress(done, expected)`, when given, is
    /// called every 1,024 requests (`expected` is an estimate); what it throws stops the run
    /// and is thrown from here.
    #[wasm_bindgen(unchecked_return_type = "FloodReport")]
    pub fn run(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FloodScenario | string")] scenario: JsValue,
        #[wasm_bindgen(js_name = onProgress, unchecked_optional_param_type = "(done: number, expected: number) => void")]
        on_progress: Option<JsValue>,
    ) -> Result<JsValue, JsValue> {
        let scenario = args::json(scenario, "scenario", Accept::OBJECT_OR_TEXT)?;
        let Some(f) = args::present(on_progress) else {
            return to_js(&self.inner.run(&scenario).map_err(err::<WafError>)?);
        };
        let f = f.dyn_into::<Function>().map_err(|v| args::wrong_type("onProgress", "a function", &v))?;
        let mut thrown = None;
        #[allow(clippy::cast_precision_loss)]
        let result = self.inner.run_observed(&scenario, &mut |done, expected| match f.call2(
            &JsValue::NULL,
            &JsValue::from(done as f64),
            &JsValue::from(expected as f64),
        ) {
            Ok(_) => true,
            Err(e) => {
                thrown = Some(e);
                false
            }
        });
        match (result, thrown) {
            (_, Some(e)) => Err(e),
            (result, None) => to_js(&result.map_err(err::<WafError>)?),
        }
    }

    /// Runs several scenarios at once (at most 10); returns one report.
    #[wasm_bindgen(js_name = runMix, unchecked_return_type = "FloodReport")]
    pub fn run_mix(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FloodScenario[] | string")] scenarios: JsValue,
    ) -> Result<JsValue, JsValue> {
        let scenarios = args::json(scenarios, "scenarios", Accept::ARRAY_OR_TEXT)?;
        to_js(&self.inner.run_mix(&scenarios).map_err(err::<WafError>)?)
    }
}

/// The BP1–BP7 DDoS best practices (and Shield Advanced) for a described architecture.
#[wasm_bindgen(js_name = ddosChecklist, unchecked_return_type = "DdosChecklist")]
pub fn ddos_checklist(
    #[wasm_bindgen(js_name = architectureJson, unchecked_param_type = "DdosArchitecture | string")]
    architecture_json: JsValue,
) -> Result<JsValue, JsValue> {
    let arch = args::json(architecture_json, "architectureJson", Accept::OBJECT_OR_TEXT)?;
    to_js(&engine::checklist(&arch).map_err(err::<WafError>)?)
}
