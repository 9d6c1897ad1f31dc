//! The JSON layer of DDoS practice that the JS API wraps: `FloodSimulator::new(acl, resources,
//! options)`, `run(scenario)`, `run_mix(scenarios)`, and `checklist(architecture)`. Options are
//! `{resourceType?, rateModel?: "periodic"|"exact", checkIntervalSec?, mitigationDelaySec?,
//! bucketSec?}`. No simulation logic here.

use std::borrow::Cow;
use std::sync::Arc;

use serde_json::Value;

use super::scenario::Scenario;
use super::sim::{self, SimOptions};
use crate::waf::error::WafError;
use crate::waf::eval::Engine;
use crate::waf::geo::GeoDb;
use crate::waf::json::WebAcl;
use crate::waf::rate::RateMode;
use crate::waf::reader::{as_array, Obj};

/// A JSON value, or a string holding JSON text (parsed, with line:column in its errors).
fn value_or_text(v: &Value) -> Result<Cow<'_, Value>, WafError> {
    match v {
        Value::String(text) => crate::waf::parse::parse_text(text).map(Cow::Owned),
        other => Ok(Cow::Borrowed(other)),
    }
}

/// A web ACL ready to take floods.
#[derive(Debug, Clone)]
pub struct FloodSimulator {
    engine: Engine,
    options: SimOptions,
}

const OPTIONS: &[&str] =
    &["resourceType", "rateModel", "checkIntervalSec", "mitigationDelaySec", "bucketSec"];

impl FloodSimulator {
    /// Builds a simulator from a web ACL (as `wafv2 get-web-acl` prints it), its resources (as
    /// `WebAcl` takes them) and options. The default model is `periodic` with a check every
    /// 10 s and no extra delay: AWS's documented behaviour, and the one that shows what gets
    /// through before a rule trips.
    pub fn new(acl: &Value, resources: &Value, options: &Value) -> Result<Self, WafError> {
        let mut sim_opts = SimOptions::default();
        let mut acl_opts = serde_json::Map::new();
        let options = value_or_text(options)?;
        if !options.is_null() {
            let o = Obj::new(&options, "/options", OPTIONS)?;
            if let Some(rt) = o.opt("resourceType") {
                acl_opts.insert("resourceType".to_owned(), rt.clone());
            }
            let model = o.opt_enum("rateModel", &["periodic", "exact"])?.unwrap_or("periodic");
            let interval = o.opt_i64("checkIntervalSec")?.unwrap_or(10);
            crate::waf::reader::check_range(interval, &o.at("checkIntervalSec"), 1, 60)?;
            let delay = o.opt_i64("mitigationDelaySec")?.unwrap_or(0);
            crate::waf::reader::check_range(delay, &o.at("mitigationDelaySec"), 0, 300)?;
            if model == "exact" && (o.has("checkIntervalSec") || o.has("mitigationDelaySec")) {
                return Err(WafError::invalid(
                    &o.at("rateModel"),
                    crate::waf::error::ILLEGAL_COMBINATION,
                    "RATE_MODEL",
                    "checkIntervalSec and mitigationDelaySec apply to the periodic model only",
                ));
            }
            sim_opts.mode = if model == "exact" {
                RateMode::Exact
            } else {
                RateMode::Periodic {
                    interval_ms: interval.unsigned_abs() * 1000,
                    delay_ms: delay.unsigned_abs() * 1000,
                }
            };
            if let Some(b) = o.opt_i64("bucketSec")? {
                if b != 1 && b != 10 {
                    return Err(WafError::constraint(
                        &o.at("bucketSec"),
                        b.to_string(),
                        "Member must satisfy enum value set: [1, 10]".to_owned(),
                    ));
                }
                sim_opts.bucket_sec = Some(b.unsigned_abs());
            }
        }
        let acl = WebAcl::new(acl, resources, &Value::Object(acl_opts))?;
        Ok(Self { engine: acl.into_engine(), options: sim_opts })
    }

    /// Gives the simulator the offline geo database (attackers of a country or ASN are then
    /// drawn from its ranges; GeoMatch/AsnMatch consult it).
    pub fn set_geo_db(&mut self, db: Option<Arc<GeoDb>>) {
        self.engine.geo = db;
    }

    /// Runs one scenario and returns the report.
    pub fn run(&self, scenario: &Value) -> Result<Value, WafError> {
        self.run_observed(scenario, &mut |_, _| true)
    }

    /// `run`, calling `progress(done, expected)` every `sim::PROGRESS_EVERY` requests; it stops
    /// with `WafError::Stopped` when `progress` answers `false`.
    pub fn run_observed(
        &self,
        scenario: &Value,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> Result<Value, WafError> {
        let s = Scenario::from_json(&*value_or_text(scenario)?, "/scenario")?;
        to_value(&sim::run_observed(&self.engine, &[s], &self.options, progress)?)
    }

    /// Runs several scenarios at once (at most 10) and returns one report.
    pub fn run_mix(&self, scenarios: &Value) -> Result<Value, WafError> {
        let scenarios = value_or_text(scenarios)?;
        let items = as_array(&scenarios, "/scenarios")?;
        let mut list = Vec::with_capacity(items.len().min(10));
        for (v, p) in items.iter().take(11) {
            list.push(Scenario::from_json(v, p)?);
        }
        to_value(&sim::run(&self.engine, &list, &self.options)?)
    }
}

/// `ddosChecklist(architecture)`: the BP1–BP7 verdicts.
pub fn checklist(architecture: &Value) -> Result<Value, WafError> {
    let arch = super::checklist::Architecture::from_json(&*value_or_text(architecture)?)?;
    to_value(&super::checklist::evaluate(&arch))
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<Value, WafError> {
    serde_json::to_value(v).map_err(|e| WafError::Request { pointer: "/".to_owned(), reason: e.to_string() })
}
