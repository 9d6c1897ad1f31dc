//! The DDoS page's state: the web ACL text, the scenario form, the rate model, the architecture
//! text, and the results `secplay::waf::ddos::json` gives for them; plus the chart's geometry
//! (plain numbers, so it is tested natively). A run is checked here (the scenario, its size,
//! the web ACL) and then made by the flood worker (`www/waf-ddos-worker.js`, started by
//! `services::waf_ddos_worker`), off the page's thread: its progress, its end, its failure or
//! its cancelling come back as actions. The page bounds a run to `PAGE_MAX_REQUESTS`; the JS
//! API takes up to 5,000,000.

#[cfg(target_arch = "wasm32")]
use std::rc::Rc;

use secplay::waf::ddos::json::{checklist, FloodSimulator};
use secplay::waf::ddos::Scenario;
use serde::Deserialize;
use serde_json::{json, Value};

/// Most requests a run from the page may make (in the worker; the JS API takes up to 5,000,000).
pub const PAGE_MAX_REQUESTS: u64 = 1_000_000;

/// The example web ACL: a per-address limit over 5 minutes, and a login limit scoped down to
/// `/login` over 1 minute.
pub const EXAMPLE_ACL: &str = r#"{
  "Name": "ddos-practice", "Id": "a1b2c3d4-5678-90ab-cdef-000000000000",
  "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/ddos-practice/a1b2c3d4-5678-90ab-cdef-000000000000",
  "DefaultAction": {"Allow": {}},
  "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "ddos-practice"},
  "Rules": [
    {"Name": "PerIp", "Priority": 0, "Action": {"Block": {}},
     "Statement": {"RateBasedStatement": {"Limit": 300, "EvaluationWindowSec": 300, "AggregateKeyType": "IP"}},
     "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "PerIp"}},
    {"Name": "Login", "Priority": 1, "Action": {"Block": {}},
     "Statement": {"RateBasedStatement": {"Limit": 10, "EvaluationWindowSec": 60, "AggregateKeyType": "IP",
       "ScopeDownStatement": {"ByteMatchStatement": {"SearchString": "L2xvZ2lu", "FieldToMatch": {"UriPath": {}},
         "TextTransformations": [{"Priority": 0, "Type": "NONE"}], "PositionalConstraint": "STARTS_WITH"}}}},
     "VisibilityConfig": {"SampledRequestsEnabled": true, "CloudWatchMetricsEnabled": true, "MetricName": "Login"}}
  ]
}"#;

/// The example architecture: the whitepaper's reference shape with gaps (a regional API without
/// a web ACL, an origin open to the internet).
pub const EXAMPLE_ARCHITECTURE: &str = r#"{
  "entryPoints": [
    {"name": "www", "type": "CLOUDFRONT", "webAcl": "edge", "shieldAdvanced": true},
    {"name": "api", "type": "API_GATEWAY", "endpointType": "REGIONAL", "throttling": true}
  ],
  "origins": [
    {"name": "alb", "type": "ALB", "behind": "www"},
    {"name": "web", "type": "EC2", "behind": "alb", "autoScaling": true, "publiclyReachable": true}
  ],
  "webAcls": [{"name": "edge", "rateBasedRules": 2}],
  "dns": {"provider": "ROUTE_53", "healthChecks": true}
}"#;

/// The scenario kinds, with their labels.
pub const KINDS: &[(&str, &str)] = &[
    ("botnetMix", "Botnet mixed with real users"),
    ("httpGetFlood", "HTTP GET flood from N addresses"),
    ("asnFlood", "Flood from one ASN"),
    ("countryFlood", "Flood from one country"),
    ("lowAndSlow", "Low and slow"),
    ("cacheBusting", "Cache-busting query strings"),
    ("loginFlood", "Login flood (POST /login)"),
];

/// A form field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Acl,
    Kind,
    Duration,
    Attackers,
    AttackerRate,
    Users,
    UserRate,
    Asn,
    Country,
    Seed,
    Model,
    Delay,
    Architecture,
}

/// What the page can be asked.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A field changed.
    Edit(Field, String),
    /// Run `id` was sent to the worker: about this many requests.
    Started(u32, u64),
    /// The form does not make a run (what is wrong, and what to change).
    Refused(String),
    /// Run `id` has made `done` of about `expected` requests in `ms`.
    Progress(u32, f64, f64, f64),
    /// Run `id` ended with this report after `ms`.
    Done(u32, Value, f64),
    /// Run `id` failed (the engine's message).
    Failed(u32, String),
    /// Run `id` was cancelled (its worker ended).
    Cancelled(u32),
    /// Judge the architecture.
    Check,
}

/// What the page sends the worker for one run: JSON texts, as `FloodSimulator` takes them.
#[derive(Clone, Debug, PartialEq)]
pub struct RunRequest {
    pub acl: String,
    pub scenario: String,
    pub options: String,
    /// About how many requests the run makes.
    pub expected: u64,
}

/// Where the current run is.
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    Idle,
    /// Run `id` in the worker: `done` of about `expected` requests after `ms`.
    Running {
        id: u32,
        done: f64,
        expected: f64,
        ms: f64,
    },
    Cancelled,
}

/// A message from the flood worker (`www/waf-ddos-worker.js`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct WorkerMessage {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: f64,
    pub done: f64,
    pub expected: f64,
    pub ms: f64,
    /// `done`: the report as JSON text.
    pub result: String,
    pub code: String,
    pub message: String,
}

impl WorkerMessage {
    /// The run the message is about (0, which no run has, when it is missing or out of range).
    pub fn job(&self) -> u32 {
        crate::pages::worker_job(self.id)
    }

    /// The action the message stands for; `None` for a message the page does not know.
    pub fn action(self) -> Option<Action> {
        let id = self.job();
        Some(match self.kind.as_str() {
            "progress" => Action::Progress(id, self.done, self.expected, self.ms),
            "done" => match serde_json::from_str::<Value>(&self.result) {
                Ok(report) => Action::Done(id, report, self.ms),
                Err(_) => Action::Failed(id, "the flood worker's report is not JSON".to_owned()),
            },
            "failed" => Action::Failed(id, self.message),
            _ => return None,
        })
    }
}

/// The page.
#[derive(Clone, Debug, PartialEq)]
pub struct DdosState {
    pub acl: String,
    pub kind: String,
    pub duration: String,
    pub attackers: String,
    pub attacker_rate: String,
    pub users: String,
    pub user_rate: String,
    pub asn: String,
    pub country: String,
    pub seed: String,
    /// `periodic` or `exact`.
    pub model: String,
    pub delay: String,
    pub architecture: String,
    /// The last run's report, or its error.
    pub report: Option<Result<Value, String>>,
    /// The last checklist, or its error.
    pub checklist: Option<Result<Value, String>>,
    /// How long the last run took in the worker, milliseconds.
    pub elapsed_ms: Option<f64>,
    /// The run in the worker, if any.
    pub job: Job,
    /// The id the next run gets.
    pub next_id: u32,
}

impl Default for DdosState {
    fn default() -> Self {
        let mut s = Self {
            acl: EXAMPLE_ACL.to_owned(),
            kind: "botnetMix".to_owned(),
            duration: "300".to_owned(),
            attackers: "50".to_owned(),
            attacker_rate: "2".to_owned(),
            users: "50".to_owned(),
            user_rate: "0.5".to_owned(),
            asn: "64496".to_owned(),
            country: "BR".to_owned(),
            seed: "1".to_owned(),
            model: "periodic".to_owned(),
            delay: "0".to_owned(),
            architecture: EXAMPLE_ARCHITECTURE.to_owned(),
            report: None,
            checklist: None,
            elapsed_ms: None,
            job: Job::Idle,
            next_id: 1,
        };
        s.apply(Action::Check);
        s
    }
}

fn number(text: &str) -> Value {
    let t = text.trim();
    t.parse::<i64>()
        .map(Value::from)
        .or_else(|_| t.parse::<f64>().map(Value::from))
        .unwrap_or_else(|_| Value::String(t.to_owned()))
}

impl DdosState {
    /// The scenario the form describes, as the JS API takes it.
    pub fn scenario(&self) -> Value {
        let mut s = serde_json::Map::new();
        let base = json!({
            "kind": self.kind,
            "durationSec": number(&self.duration),
            "attackers": number(&self.attackers),
            "attackerRate": number(&self.attacker_rate),
            "users": number(&self.users),
            "userRate": number(&self.user_rate),
            "seed": number(&self.seed),
        });
        if let Value::Object(m) = base {
            s = m;
        }
        if self.kind == "asnFlood" {
            s.insert("asn".to_owned(), number(&self.asn));
        }
        if self.kind == "countryFlood" {
            s.insert("country".to_owned(), Value::String(self.country.trim().to_owned()));
        }
        Value::Object(s)
    }

    /// The simulator options the form describes.
    pub fn options(&self) -> Value {
        if self.model == "exact" {
            json!({"rateModel": "exact"})
        } else {
            json!({"rateModel": "periodic", "checkIntervalSec": 10, "mitigationDelaySec": number(&self.delay)})
        }
    }

    /// The run the form describes, checked (the scenario, its size, the web ACL) before it goes
    /// to the worker; or what is wrong and what to change.
    pub fn request(&self) -> Result<RunRequest, String> {
        let scenario = self.scenario();
        let parsed = Scenario::from_json(&scenario, "/scenario").map_err(|e| e.to_string())?;
        let n = parsed.expected_requests();
        if n > PAGE_MAX_REQUESTS {
            return Err(format!(
                "this scenario makes about {n} requests; the page runs up to {PAGE_MAX_REQUESTS} (the JS API's FloodSimulator takes up to 5,000,000): lower the attackers, their rate or the duration"
            ));
        }
        let acl = Value::String(self.acl.clone());
        FloodSimulator::new(&acl, &Value::Null, &self.options()).map_err(|e| format!("web ACL: {e}"))?;
        Ok(RunRequest {
            acl: self.acl.clone(),
            scenario: scenario.to_string(),
            options: self.options().to_string(),
            expected: n,
        })
    }

    /// The id of the run in the worker, if one is running.
    pub fn running_id(&self) -> Option<u32> {
        match self.job {
            Job::Running { id, .. } => Some(id),
            _ => None,
        }
    }

    /// Applies an action.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Edit(field, text) => {
                let slot = match field {
                    Field::Acl => &mut self.acl,
                    Field::Kind => &mut self.kind,
                    Field::Duration => &mut self.duration,
                    Field::Attackers => &mut self.attackers,
                    Field::AttackerRate => &mut self.attacker_rate,
                    Field::Users => &mut self.users,
                    Field::UserRate => &mut self.user_rate,
                    Field::Asn => &mut self.asn,
                    Field::Country => &mut self.country,
                    Field::Seed => &mut self.seed,
                    Field::Model => &mut self.model,
                    Field::Delay => &mut self.delay,
                    Field::Architecture => &mut self.architecture,
                };
                *slot = text;
            }
            Action::Started(id, expected) => {
                #[allow(clippy::cast_precision_loss)]
                let expected = expected as f64;
                self.job = Job::Running { id, done: 0.0, expected, ms: 0.0 };
                self.next_id = id.wrapping_add(1).max(1);
            }
            Action::Refused(e) => {
                self.report = Some(Err(e));
                self.elapsed_ms = None;
            }
            // Messages of a run that is no longer the current one are ignored.
            Action::Progress(id, done, expected, ms) if self.running_id() == Some(id) => {
                self.job = Job::Running { id, done, expected, ms };
            }
            Action::Done(id, report, ms) if self.running_id() == Some(id) => {
                self.report = Some(Ok(report));
                self.elapsed_ms = Some(ms);
                self.job = Job::Idle;
            }
            Action::Failed(id, e) if self.running_id() == Some(id) => {
                self.report = Some(Err(e));
                self.elapsed_ms = None;
                self.job = Job::Idle;
            }
            Action::Cancelled(id) if self.running_id() == Some(id) => self.job = Job::Cancelled,
            Action::Progress(..) | Action::Done(..) | Action::Failed(..) | Action::Cancelled(_) => {}
            Action::Check => {
                self.checklist =
                    Some(checklist(&Value::String(self.architecture.clone())).map_err(|e| e.to_string()));
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
impl yew::Reducible for DdosState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        s.apply(action);
        Rc::new(s)
    }
}

/// The chart's geometry: polylines of allowed and stopped requests per second, and one marker
/// per rule's first trip, in a `width` × `height` box (y grows downward).
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// `x,y x,y …` for allowed requests/s.
    pub allowed: String,
    /// `x,y x,y …` for blocked and challenged requests/s.
    pub stopped: String,
    /// (x, rule name, seconds) per rule that tripped.
    pub trips: Vec<(f64, String, f64)>,
    /// The highest requests/s drawn (the top of the y axis).
    pub max_rate: f64,
    /// The run's length, seconds (the right end of the x axis).
    pub duration: f64,
}

fn num(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(Value::as_f64).unwrap_or(0.0)
}

/// Lays out `report` in a `width` × `height` box.
pub fn chart(report: &Value, width: f64, height: f64) -> Chart {
    let empty = Vec::new();
    let buckets = report.get("buckets").and_then(Value::as_array).unwrap_or(&empty);
    let bucket = num(report, "bucketSec").max(1.0);
    let duration = num(report, "durationSec").max(1.0);
    let rate = |b: &Value, keys: &[&str]| keys.iter().map(|k| num(b, k)).sum::<f64>() / bucket;
    let max_rate = buckets
        .iter()
        .map(|b| rate(b, &["allowed"]).max(rate(b, &["blocked", "challenged"])))
        .fold(1.0_f64, f64::max);
    let x = |t: f64| t / duration * width;
    let y = |r: f64| height - r / max_rate * height;
    let line = |keys: &[&str]| {
        buckets
            .iter()
            .map(|b| format!("{:.1},{:.1}", x(num(b, "t") + bucket / 2.0), y(rate(b, keys))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let trips = report
        .get("rules")
        .and_then(Value::as_array)
        .unwrap_or(&empty)
        .iter()
        .filter_map(|r| {
            let t = r.get("firstTripSec")?.as_f64()?;
            Some((x(t), r.get("name")?.as_str()?.to_owned(), t))
        })
        .collect();
    Chart {
        allowed: line(&["allowed"]),
        stopped: line(&["blocked", "challenged"]),
        trips,
        max_rate,
        duration,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// What the worker does with a request (`www/waf-ddos-worker.js`): the same engine call.
    fn run(s: &mut DdosState) {
        let id = s.next_id;
        match s.request() {
            Err(e) => s.apply(Action::Refused(e)),
            Ok(req) => {
                s.apply(Action::Started(id, req.expected));
                let sim = FloodSimulator::new(&json!(req.acl), &Value::Null, &json!(req.options)).unwrap();
                match sim.run(&json!(req.scenario)) {
                    Ok(report) => s.apply(Action::Done(id, report, 1.0)),
                    Err(e) => s.apply(Action::Failed(id, e.to_string())),
                }
            }
        }
    }

    #[test]
    fn the_default_page_has_a_checklist_and_its_example_runs_within_the_page_bound() {
        let mut s = DdosState::default();
        let c = s.checklist.clone().unwrap().unwrap();
        // The example's gaps: a regional API reached directly (BP1, BP4) without a web ACL (BP2),
        // an origin open to all (BP5).
        let missing: Vec<&str> = c["practices"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["status"] == "missing")
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(missing, ["BP1", "BP2", "BP4", "BP5"]);
        run(&mut s);
        let r = s.report.clone().unwrap().unwrap();
        assert_eq!(r["rateModel"], "periodic");
        // Users at 0.5 req/s send 150 in 5 minutes, under the 300 limit: none caught; bots at
        // 2 req/s pass 300 at 150 s and are blocked from the next check.
        assert_eq!(r["falsePositiveUsers"], 0);
        let trip = r["rules"][0]["firstTripSec"].as_f64().unwrap();
        assert!((150.0..161.0).contains(&trip), "{trip}");
        let ch = chart(&r, 600.0, 200.0);
        assert_eq!(ch.trips.len(), 1);
        assert!((ch.trips[0].0 - trip / 300.0 * 600.0).abs() < 1e-9);
        assert_eq!(ch.allowed.split(' ').count(), 300);
        assert!(ch.max_rate >= 100.0);
    }

    #[test]
    fn large_runs_are_refused_with_what_to_change_and_bad_input_is_an_error() {
        let mut s = DdosState::default();
        s.apply(Action::Edit(Field::Attackers, "100000".to_owned()));
        run(&mut s);
        assert!(s.report.clone().unwrap().unwrap_err().contains("up to 1000000"));
        s.apply(Action::Edit(Field::Attackers, "x".to_owned()));
        run(&mut s);
        assert!(s.report.clone().unwrap().unwrap_err().contains("/scenario/attackers"));
        s.apply(Action::Edit(Field::Architecture, "{".to_owned()));
        s.apply(Action::Check);
        assert!(s.checklist.clone().unwrap().unwrap_err().contains("malformed json"));
        s.apply(Action::Edit(Field::Acl, "{}".to_owned()));
        s.apply(Action::Edit(Field::Attackers, "5".to_owned()));
        run(&mut s);
        assert!(s.report.clone().unwrap().unwrap_err().starts_with("web ACL:"));
    }

    #[test]
    fn the_exact_model_trips_earlier_than_the_periodic_one() {
        let mut s = DdosState::default();
        s.apply(Action::Edit(Field::Model, "exact".to_owned()));
        run(&mut s);
        let r = s.report.clone().unwrap().unwrap();
        let trip = r["rules"][0]["firstTripSec"].as_f64().unwrap();
        assert!((150.0..151.0).contains(&trip), "{trip}");
    }

    #[test]
    fn worker_messages_become_actions_and_only_the_current_run_is_heard() {
        let mut s = DdosState::default();
        let req = s.request().unwrap();
        assert_eq!(req.expected, 37_500);
        s.apply(Action::Started(1, req.expected));
        assert_eq!(s.running_id(), Some(1));
        let msg = WorkerMessage {
            kind: "progress".into(),
            id: 1.0,
            done: 4096.0,
            expected: 37_500.0,
            ms: 9.0,
            ..Default::default()
        };
        s.apply(msg.action().unwrap());
        assert_eq!(s.job, Job::Running { id: 1, done: 4096.0, expected: 37_500.0, ms: 9.0 });
        s.apply(Action::Cancelled(1));
        assert_eq!(s.job, Job::Cancelled);
        // A late report of the cancelled run is not shown.
        s.apply(Action::Done(1, json!({}), 5.0));
        assert_eq!(s.report, None);
        s.apply(Action::Started(2, 10));
        let bad = WorkerMessage { kind: "done".into(), id: 2.0, result: "{".into(), ..Default::default() };
        s.apply(bad.action().unwrap());
        assert!(s.report.clone().unwrap().unwrap_err().contains("not JSON"));
        assert_eq!(s.job, Job::Idle);
        let failed =
            WorkerMessage { kind: "failed".into(), id: 3.0, message: "boom".into(), ..Default::default() };
        s.apply(Action::Started(3, 10));
        s.apply(failed.action().unwrap());
        assert_eq!(s.report, Some(Err("boom".to_owned())));
        assert!(WorkerMessage { kind: "hello".into(), ..Default::default() }.action().is_none());
        assert_eq!(WorkerMessage { id: -3.0, ..Default::default() }.job(), 0);
    }
}
