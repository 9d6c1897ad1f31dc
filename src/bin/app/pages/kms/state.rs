//! The KMS page's state: the emulator's world, who calls (principal, region, `kms:ViaService`),
//! the operation and its JSON request, the last response or AWS error (with the policy trace of
//! a denial), the audit log's filter, the clock, and a scenario in progress; the actions that
//! change it.
//!
//! Plain data for every target, tested natively through the real engine (`secplay::kms`): every
//! call goes through `kms::call`, as a JS user's does. Reading and saving snapshot files is the
//! component's; here a snapshot is bytes. In the browser this is yew's `Reducible`.

use std::collections::BTreeMap;
use std::rc::Rc;

use secplay::kms::material::{supply, KeyMaterial, KeySpec};
use secplay::kms::scenarios::{self, Run, Scenario};
use secplay::kms::share::{self as world_share, Bare};
use secplay::kms::{self, audit, cost, snapshot, time, KmsError, World};
use serde_json::{json, Value};

use super::kept::Problem as KeptProblem;
use super::templates::{template, Context};

/// The longest clock step the page takes at once, in days (the engine takes up to 100 years).
pub const MAX_DAYS: i64 = 36_500;

/// The last call's outcome.
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    Ok { operation: String, body: String },
    Err { operation: String, code: String, message: String, trace: Option<Trace> },
}

/// A denial's evaluation, as the policy engine reported it.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// `allowed`, `explicitDeny` or `implicitDeny`.
    pub decision: String,
    /// The statements that decided: policy, statement index, Sid, effect.
    pub matched: Vec<(String, u64, Option<String>, String)>,
    /// Each step: subject, outcome (`allow`, `deny`, `noMatch`, `skipped`, `rule`), message.
    pub steps: Vec<(String, String, String)>,
}

impl Trace {
    /// Reads the trace an `AccessDeniedException` carries (`evaluation_to_json`'s shape).
    pub fn from_json(v: &Value) -> Option<Trace> {
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
        let decision = v.get("decision")?.as_str()?.to_string();
        let list = |k: &str| v.get(k).and_then(Value::as_array).cloned().unwrap_or_default();
        let matched = list("matchedStatements")
            .iter()
            .map(|m| {
                let idx = m.get("statementIndex").and_then(Value::as_u64).unwrap_or_default();
                (
                    s(m, "policy"),
                    idx,
                    m.get("sid").and_then(Value::as_str).map(str::to_string),
                    s(m, "effect"),
                )
            })
            .collect();
        let steps =
            list("trace").iter().map(|t| (s(t, "subject"), s(t, "outcome"), s(t, "message"))).collect();
        Some(Trace { decision, matched, steps })
    }
}

/// A call of the page's (a request sent, a scenario's step or the rest of its steps).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    Send,
    Step,
    RunAll,
}

/// A call that needed keys too slow to make on the page's thread (RSA; see
/// `secplay::kms::material::supply`) that the pool did not have: the attempt was thrown away, the
/// page has them made (WebCrypto's `generateKey`, off its thread) and the call runs again when
/// they are there (`Action::Made`). Until then the page makes no other call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Waiting {
    /// Which wait this is (a late answer to an earlier one is ignored).
    pub id: u32,
    pub call: Call,
    /// The keys to make.
    pub make: Vec<KeySpec>,
}

/// A share link's world whose RSA material is being made off the page's thread (WebCrypto): the
/// page shows the world at once (its keys without material) and makes no call and no clock step
/// until [`Action::Furnished`] brings the material (RSA_4096 takes seconds in wasm, and a link may
/// need 20 versions).
#[derive(Clone, Debug)]
pub struct Furnishing {
    /// Which this is (a late answer to an earlier one is ignored).
    pub id: u32,
    pub bare: Rc<Bare>,
}

impl Furnishing {
    /// The RSA material versions to make, by material id.
    pub fn slow(&self) -> &[(String, KeySpec)] {
        &self.bare.slow
    }
}

/// How many times a call is attempted at once before it waits (each attempt can only find the
/// pool short of keys it has not asked for before).
const ATTEMPTS: usize = 4;

/// The audit log's filter (all given must hold).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuditFilter {
    pub event_name: String,
    pub principal: String,
    pub key: String,
    pub errors_only: bool,
}

/// What the page shows.
#[derive(Clone, Debug)]
pub struct KmsState {
    pub world: Rc<World>,
    pub principal: String,
    pub region: String,
    /// `kms:ViaService` of the calls (empty: a direct call).
    pub via_service: String,
    pub operation: String,
    pub request: String,
    pub response: Option<Response>,
    pub filter: AuditFilter,
    /// The clock step the user typed, in days.
    pub days: String,
    /// What the last clock step, restore or reset did.
    pub notice: Option<String>,
    /// The last failure of the page's own actions (bad JSON, a snapshot that does not restore).
    pub error: Option<(String, String)>,
    pub scenario_id: String,
    pub variant: Option<usize>,
    pub run: Option<Rc<Run>>,
    /// The last ciphertext a call returned (the Decrypt template uses it).
    last_ciphertext: Option<String>,
    /// Why the world is not kept in the key store (a kept world that does not read, a failed save).
    pub kept: Option<KeptProblem>,
    /// The call waiting for keys being made off the page's thread.
    pub waiting: Option<Waiting>,
    /// A share link's world waiting for its RSA material.
    pub furnishing: Option<Furnishing>,
    /// The last wait's id.
    waits: u32,
}

/// What can happen on the page.
#[derive(Debug)]
pub enum Action {
    Principal(String),
    Region(String),
    ViaService(String),
    /// An operation was picked: its request template replaces the request.
    Operation(String),
    /// The request text was edited.
    Request(String),
    /// Run the operation.
    Send,
    FilterEventName(String),
    FilterPrincipal(String),
    FilterKey(String),
    ErrorsOnly(bool),
    Days(String),
    /// Move the clock by the days typed.
    Advance,
    Scenario(String),
    /// A variant of the scenario (`None`: as written).
    Variant(Option<usize>),
    /// A fresh world with the scenario's principals, at its first step.
    StartScenario,
    NextStep,
    RunAll,
    /// A snapshot file's bytes (or why it could not be read).
    Restore(Result<Vec<u8>, String>),
    /// A fresh world.
    Reset,
    /// The world kept in the key store was read.
    Kept(Box<World>),
    /// A share link's world was opened (its keys with new material: `secplay::kms::share`).
    Shared(Box<World>),
    /// A share link's world, checked and bare: opened at once when it needs no RSA material,
    /// otherwise shown while that is made ([`Furnishing`]).
    Link(Box<Bare>),
    /// The RSA material furnishing `id` asked for, made by WebCrypto and read, or why it could not
    /// be (it is then made on the page's thread, slowly but correctly).
    Furnished {
        id: u32,
        made: Result<BTreeMap<String, KeyMaterial>, String>,
    },
    /// The world is not kept in the key store, and why (`None`: saved again).
    KeptProblem(Option<KeptProblem>),
    /// The keys wait `id` asked for were made and supplied to the engine's pool, or why not (the
    /// call then makes them on the page's thread, slowly but correctly).
    Made {
        id: u32,
        result: Result<(), String>,
    },
}

impl Default for KmsState {
    fn default() -> Self {
        let world = World::new();
        let principal = world::admin(&world);
        let region = world.default_region().to_string();
        let mut s = KmsState {
            world: Rc::new(world),
            principal,
            region,
            via_service: String::new(),
            operation: "CreateKey".into(),
            request: String::new(),
            response: None,
            filter: AuditFilter::default(),
            days: "30".into(),
            notice: None,
            error: None,
            scenario_id: scenarios::all().first().map(|s| s.id.to_string()).unwrap_or_default(),
            variant: None,
            run: None,
            last_ciphertext: None,
            kept: None,
            waiting: None,
            furnishing: None,
            waits: 0,
        };
        s.request = s.template();
        s
    }
}

/// Who is who in a world.
pub mod world {
    use secplay::kms::World;

    /// The first account's `Admin` role.
    pub fn admin(w: &World) -> String {
        w.accounts.keys().next().map(|a| format!("arn:aws:iam::{a}:role/Admin")).unwrap_or_default()
    }

    /// Every principal a caller can be: each account's root and IAM users and roles.
    pub fn principals(w: &World) -> Vec<String> {
        let mut out = Vec::new();
        for (id, a) in &w.accounts {
            out.push(format!("arn:aws:iam::{id}:root"));
            out.extend(a.principals.keys().cloned());
        }
        out
    }
}

impl KmsState {
    /// The state after `action`.
    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::Principal(p) => self.principal = p,
            Action::Region(r) => {
                self.region = r;
                self.request = self.template();
            }
            Action::ViaService(v) => self.via_service = v,
            Action::Operation(op) => {
                self.operation = op;
                self.request = self.template();
            }
            Action::Request(text) => self.request = text,
            Action::Send => return self.slow(Call::Send),
            Action::FilterEventName(v) => self.filter.event_name = v,
            Action::FilterPrincipal(v) => self.filter.principal = v,
            Action::FilterKey(v) => self.filter.key = v,
            Action::ErrorsOnly(v) => self.filter.errors_only = v,
            Action::Days(d) => self.days = d,
            Action::Advance => self.advance(),
            Action::Scenario(id) => {
                self.scenario_id = id;
                self.variant = None;
            }
            Action::Variant(v) => self.variant = v,
            Action::StartScenario => self.start_scenario(),
            Action::NextStep => return self.slow(Call::Step),
            Action::RunAll => return self.slow(Call::RunAll),
            Action::Made { id, result } => return self.made(id, result),
            Action::Link(bare) => return self.link(*bare),
            Action::Furnished { id, made } => return self.furnished(id, made),
            Action::Restore(bytes) => self.restore(bytes),
            Action::Reset => {
                self.world = Rc::new(World::new());
                self.after_new_world("A fresh world: two accounts, three regions, no keys.".into());
            }
            Action::Kept(w) => {
                let n = w.keys.len();
                self.world = Rc::new(*w);
                self.run = None;
                self.after_new_world(format!(
                    "Restored the world kept in the key store: {n} {}.",
                    if n == 1 { "key" } else { "keys" }
                ));
            }
            Action::Shared(w) => {
                let n = w.keys.len();
                self.world = Rc::new(*w);
                self.run = None;
                self.after_new_world(format!(
                    "Opened the shared world: {n} {}, each with new key material, so ciphertexts \
                     made before the link was written do not decrypt here.",
                    if n == 1 { "key" } else { "keys" }
                ));
            }
            Action::KeptProblem(p) => {
                // A kept world that does not read stays reported: a later save is refused anyway.
                if !matches!(self.kept, Some(KeptProblem::Unreadable(..))) {
                    self.kept = p;
                }
            }
        }
        self
    }

    /// The caller of the page's calls.
    pub fn caller(&self) -> Value {
        let mut c = json!({"principal": self.principal.trim(), "region": self.region});
        if let (false, Some(o)) = (self.via_service.trim().is_empty(), c.as_object_mut()) {
            o.insert("viaService".into(), json!(self.via_service.trim()));
        }
        c
    }

    /// The account of the calling principal (12 digits after `::`), if it names one.
    pub fn caller_account(&self) -> Option<&str> {
        self.principal.split(':').nth(4).filter(|a| a.len() == 12)
    }

    /// The keys of a region, newest first.
    pub fn keys_in(&self, region: &str) -> Vec<&kms::world::Key> {
        let mut keys: Vec<_> = self.world.keys.values().filter(|k| k.region == region).collect();
        keys.sort_by(|a, b| b.creation_date.cmp(&a.creation_date).then(a.arn.cmp(&b.arn)));
        keys
    }

    /// The key the caller most likely means: its account's newest key in the region called.
    pub fn likely_key(&self) -> Option<&kms::world::Key> {
        let account = self.caller_account()?;
        self.keys_in(&self.region).into_iter().find(|k| k.account == account)
    }

    /// The current operation's request template.
    pub fn template(&self) -> String {
        let key = self.likely_key();
        let other = self.world.regions.iter().find(|r| **r != self.region).map(String::as_str);
        let c = Context {
            key: key.map(|k| k.arn.as_str()),
            policy: key.map(|k| k.policy.as_str()),
            ciphertext: self.last_ciphertext.as_deref(),
            principal: &self.principal,
            other_region: other,
        };
        serde_json::to_string_pretty(&template(&self.operation, &c)).unwrap_or_default()
    }

    /// The audit log under the filter, newest first.
    pub fn audit_rows(&self) -> Vec<Value> {
        let f = &self.filter;
        let mut filter = serde_json::Map::new();
        for (k, v) in [("eventName", &f.event_name), ("principal", &f.principal), ("keyArn", &f.key)] {
            if !v.trim().is_empty() {
                filter.insert(k.into(), json!(v.trim()));
            }
        }
        if f.errors_only {
            filter.insert("errors".into(), json!(true));
        }
        let mut rows = audit::filter(&self.world, &Value::Object(filter)).unwrap_or_default();
        rows.reverse();
        rows
    }

    /// The cost estimate of the simulated usage.
    pub fn cost(&self) -> Option<Value> {
        cost::estimate(&self.world, &Value::Null).ok()
    }

    /// The simulated time, ISO 8601.
    pub fn now(&self) -> String {
        time::iso8601(self.world.now)
    }

    /// The world in the snapshot format (for a download).
    pub fn snapshot(&self) -> Result<Vec<u8>, KmsError> {
        snapshot::snapshot(&self.world)
    }

    /// The scenario picked.
    pub fn scenario(&self) -> Option<Scenario> {
        scenarios::by_id(&self.scenario_id)
    }

    /// Runs `call` with RSA keys drawn from the pool of keys made off the page's thread; when the
    /// pool is short, the state before the call with the call waiting for the keys to make.
    fn slow(self, call: Call) -> Self {
        if self.waiting.is_some() || self.furnishing.is_some() {
            return self;
        }
        let before = self.clone();
        let mut attempt = self;
        for _ in 0..ATTEMPTS {
            let (after, wanted) = supply::drawing(move || {
                let mut s = attempt;
                s.run_call(call);
                s
            });
            if wanted.is_empty() {
                return after;
            }
            let make = supply::to_make(&wanted);
            if !make.is_empty() {
                let mut s = before;
                s.waits = s.waits.wrapping_add(1);
                s.waiting = Some(Waiting { id: s.waits, call, make });
                return s;
            }
            attempt = before.clone();
        }
        // The pool keeps being short of keys it holds: make them here rather than never.
        let mut s = before;
        s.run_call(call);
        s
    }

    fn run_call(&mut self, call: Call) {
        match call {
            Call::Send => self.send(),
            Call::Step => self.step(false),
            Call::RunAll => self.step(true),
        }
    }

    /// The keys of wait `id` are in the pool (the call runs again), or could not be made (the call
    /// makes them on the page's thread). An answer to a wait that is over changes nothing.
    fn made(mut self, id: u32, result: Result<(), String>) -> Self {
        let Some(w) = self.waiting.take_if(|w| w.id == id) else { return self };
        match result {
            Ok(()) => self.slow(w.call),
            Err(why) => {
                self.run_call(w.call);
                self.notice = Some(format!(
                    "WebCrypto could not make the key ({why}), so it was made on the page's thread."
                ));
                self
            }
        }
    }

    fn send(&mut self) {
        self.error = None;
        let request: Value = match serde_json::from_str(&self.request) {
            Ok(v) => v,
            Err(e) => {
                self.response = Some(Response::Err {
                    operation: self.operation.clone(),
                    code: "SerializationException".into(),
                    message: format!("the request is not JSON: {e}"),
                    trace: None,
                });
                return;
            }
        };
        let caller = self.caller();
        let result = kms::call(Rc::make_mut(&mut self.world), &self.operation, &request, &caller);
        self.response = Some(self.respond(&self.operation.clone(), result));
    }

    fn respond(&mut self, operation: &str, result: Result<Value, KmsError>) -> Response {
        match result {
            Ok(v) => {
                if let Some(ct) = v.get("CiphertextBlob").and_then(Value::as_str) {
                    self.last_ciphertext = Some(ct.to_string());
                }
                Response::Ok {
                    operation: operation.into(),
                    body: serde_json::to_string_pretty(&v).unwrap_or_default(),
                }
            }
            Err(e) => {
                let trace = match &e {
                    KmsError::AccessDenied { trace, .. } => Trace::from_json(trace),
                    KmsError::Aws { .. } => None,
                };
                Response::Err {
                    operation: operation.into(),
                    code: e.code().into(),
                    message: e.to_string(),
                    trace,
                }
            }
        }
    }

    fn advance(&mut self) {
        if self.furnishing.is_some() {
            return;
        }
        self.error = None;
        let days = match self.days.trim().parse::<i64>() {
            Ok(d) if (1..=MAX_DAYS).contains(&d) => d,
            _ => {
                self.error = Some((
                    "ValidationException".into(),
                    format!(
                        "the clock moves forward by 1 to {MAX_DAYS} days; `{}` is not that",
                        self.days.trim()
                    ),
                ));
                return;
            }
        };
        match kms::advance_clock(Rc::make_mut(&mut self.world), days * time::DAY) {
            Ok(v) => {
                let events: Vec<String> = v
                    .get("events")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .map(|e| {
                        let s = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or_default().to_string();
                        format!("{} {}", s("eventName"), s("keyArn"))
                    })
                    .collect();
                let what = if events.is_empty() { "nothing fell due".to_string() } else { events.join("; ") };
                self.notice = Some(format!("Advanced {days} days to {}: {what}.", self.now()));
            }
            Err(e) => self.error = Some((e.code().into(), e.to_string())),
        }
    }

    fn start_scenario(&mut self) {
        self.error = None;
        let Some(s) = self.scenario() else {
            self.error = Some(("NotFound".into(), format!("no scenario `{}`", self.scenario_id)));
            return;
        };
        match s.start(self.variant) {
            Ok((w, run)) => {
                self.world = Rc::new(w);
                self.run = Some(Rc::new(run));
                self.after_new_world(format!("A fresh world for “{}”.", s.title));
            }
            Err(e) => self.error = Some((e.code().into(), e.to_string())),
        }
    }

    fn step(&mut self, all: bool) {
        let Some(run) = self.run.as_mut() else {
            self.error = Some(("NoScenario".into(), "start a scenario first".into()));
            return;
        };
        let run = Rc::make_mut(run);
        let world = Rc::make_mut(&mut self.world);
        if all {
            run.run_all(world);
        } else {
            run.next(world);
        }
        let last = run.results.last().map(|r| (r.step, r.outcome.clone()));
        if let Some((i, outcome)) = last {
            let op = run.scenario.steps.get(i).map(|s| s.operation).unwrap_or_default().to_string();
            self.response = Some(self.respond(&op, outcome));
        }
    }

    fn restore(&mut self, bytes: Result<Vec<u8>, String>) {
        self.error = None;
        match bytes
            .map_err(|e| ("ReadError".to_string(), e))
            .and_then(|b| snapshot::restore(&b).map_err(|e| (e.code().to_string(), e.to_string())))
        {
            Ok(w) => {
                let n = w.keys.len();
                self.world = Rc::new(w);
                self.run = None;
                self.after_new_world(format!(
                    "Restored the snapshot's world: {n} {}.",
                    if n == 1 { "key" } else { "keys" }
                ));
            }
            Err(e) => self.error = Some(e),
        }
    }

    /// A link's world: opened now when it needs no RSA material; otherwise shown bare, waiting
    /// for the material to be made off the page's thread.
    fn link(mut self, bare: Bare) -> Self {
        if bare.slow.is_empty() {
            return match world_share::furnish(bare, &BTreeMap::new()) {
                Ok(w) => self.reduce(Action::Shared(Box::new(w))),
                Err(e) => {
                    self.error = Some((e.code().to_owned(), e.to_string()));
                    self
                }
            };
        }
        let (keys, rsa) = (bare.world.keys.len(), bare.slow.len());
        self.world = Rc::new(bare.world.clone());
        self.run = None;
        self.after_new_world(format!(
            "Opening the shared world: {keys} {}; making {rsa} RSA key {} with WebCrypto, off the \
             page's thread, before any call runs.",
            if keys == 1 { "key" } else { "keys" },
            if rsa == 1 { "version" } else { "versions" }
        ));
        self.waits = self.waits.wrapping_add(1);
        self.furnishing = Some(Furnishing { id: self.waits, bare: Rc::new(bare) });
        self
    }

    /// The material of furnishing `id` is here (or could not be made: then it is made here).
    fn furnished(mut self, id: u32, made: Result<BTreeMap<String, KeyMaterial>, String>) -> Self {
        let Some(f) = self.furnishing.take_if(|f| f.id == id) else { return self };
        let (made, why) = match made {
            Ok(m) => (m, None),
            Err(why) => (BTreeMap::new(), Some(why)),
        };
        match world_share::furnish((*f.bare).clone(), &made) {
            Ok(w) => {
                let n = w.keys.len();
                self.world = Rc::new(w);
                self.notice = Some(match why {
                    None => format!(
                        "Opened the shared world: {n} {}, each with new key material, so ciphertexts \
                         made before the link was written do not decrypt here.",
                        if n == 1 { "key" } else { "keys" }
                    ),
                    Some(why) => format!(
                        "Opened the shared world: WebCrypto could not make its RSA keys ({why}), so \
                         they were made on the page's thread."
                    ),
                });
            }
            Err(e) => self.error = Some((e.code().to_owned(), e.to_string())),
        }
        self
    }

    fn after_new_world(&mut self, notice: String) {
        self.waiting = None;
        self.furnishing = None;
        self.response = None;
        self.last_ciphertext = None;
        self.error = None;
        if !world::principals(&self.world).contains(&self.principal) {
            self.principal = world::admin(&self.world);
        }
        if !self.world.regions.contains(&self.region) {
            self.region = self.world.default_region().to_string();
        }
        self.request = self.template();
        self.notice = Some(notice);
    }
}

reducible!(KmsState, Action);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_world_is_shown_and_an_unreadable_one_stays_reported() {
        let mut w = World::new();
        w.regions.push("eu-north-1".into());
        let s = KmsState::default().reduce(Action::Kept(Box::new(w)));
        assert!(s.world.regions.iter().any(|r| r == "eu-north-1"));
        assert!(s.notice.as_deref().unwrap_or_default().contains("kept in the key store"));
        let s =
            s.reduce(Action::KeptProblem(Some(KeptProblem::NotSaved("QuotaExceeded".into(), "q".into()))));
        let s = s.reduce(Action::KeptProblem(None));
        assert_eq!(s.kept, None, "a later save that worked clears a failed one");
        let unreadable = KeptProblem::Unreadable("RecordCorrupted".into(), "tag".into());
        let s = s.reduce(Action::KeptProblem(Some(unreadable.clone())));
        let s = s.reduce(Action::KeptProblem(None)).reduce(Action::Reset);
        assert_eq!(s.kept, Some(unreadable), "an unreadable kept world stays reported");
    }

    /// What the page's WebCrypto service does for a wait: makes the keys (here natively) and
    /// supplies them to the engine's pool, then answers.
    fn settle(mut s: KmsState) -> KmsState {
        while let Some(w) = s.waiting.clone() {
            for spec in &w.make {
                let der = secplay::kms::material::KeyMaterial::generate(*spec).unwrap().to_bytes();
                supply::supply(*spec, &der).unwrap();
            }
            s = s.reduce(Action::Made { id: w.id, result: Ok(()) });
        }
        s
    }

    #[test]
    fn an_rsa_key_waits_for_its_material_and_the_call_then_runs_once() {
        let request = json!({"KeySpec": "RSA_3072", "KeyUsage": "SIGN_VERIFY"});
        let s = KmsState::default()
            .reduce(Action::Operation("CreateKey".into()))
            .reduce(Action::Request(request.to_string()))
            .reduce(Action::Send);
        let w = s.waiting.clone().expect("the call waits for its key");
        assert_eq!((w.call, w.make.as_slice()), (Call::Send, &[KeySpec::Rsa3072][..]));
        assert!(s.world.keys.is_empty() && s.world.audit.is_empty(), "the attempt left no trace");
        assert!(s.response.is_none());
        let same = s.clone().reduce(Action::Send);
        assert_eq!(same.waiting, s.waiting, "no other call while one waits");
        let late = s.clone().reduce(Action::Made { id: w.id + 1, result: Ok(()) });
        assert_eq!(late.waiting, s.waiting, "an answer to another wait changes nothing");
        let s = settle(s);
        assert_eq!(ok_body(&s)["KeyMetadata"]["KeySpec"], "RSA_3072");
        assert_eq!(s.world.keys.len(), 1);
        assert_eq!(s.audit_rows().len(), 1, "one CreateKey, not one per attempt");
        assert_eq!(supply::pooled(KeySpec::Rsa3072), 0, "the supplied key was used, once");
    }

    #[test]
    fn a_data_key_pair_and_an_import_wrapping_key_wait_too_and_webcrypto_failing_falls_back() {
        let s = send(KmsState::default(), "CreateKey", None);
        let arn = ok_body(&s)["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
        let pair = json!({"KeyId": arn, "KeyPairSpec": "RSA_2048"});
        let s = send(s, "GenerateDataKeyPair", Some(pair));
        assert_eq!(s.waiting.as_ref().map(|w| w.make.clone()), Some(vec![KeySpec::Rsa2048]));
        let s = settle(s);
        assert_eq!(ok_body(&s)["KeyPairSpec"], "RSA_2048");
        let s = send(s, "CreateKey", Some(json!({"Origin": "EXTERNAL"})));
        let ext = ok_body(&s)["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
        let params =
            json!({"KeyId": ext, "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_4096"});
        let s = send(s, "GetParametersForImport", Some(params));
        let w = s.waiting.clone().expect("the wrapping key waits");
        assert_eq!(w.make, vec![KeySpec::Rsa4096]);
        // WebCrypto refused (an insecure origin): the key is made on the page's thread instead.
        let s = s.reduce(Action::Made { id: w.id, result: Err("not available".into()) });
        assert!(s.waiting.is_none());
        assert!(ok_body(&s)["PublicKey"].as_str().is_some_and(|k| !k.is_empty()));
        assert!(s.notice.as_deref().unwrap_or_default().contains("on the page's thread"));
    }

    #[test]
    fn a_new_world_ends_a_wait() {
        let s = send(KmsState::default(), "CreateKey", Some(json!({"KeySpec": "RSA_2048"})));
        let w = s.waiting.clone().unwrap();
        let s = s.reduce(Action::Reset);
        assert!(s.waiting.is_none());
        let s = s.reduce(Action::Made { id: w.id, result: Ok(()) });
        assert!(s.world.keys.is_empty(), "the reset world stays empty");
    }

    fn send(s: KmsState, op: &str, request: Option<Value>) -> KmsState {
        let mut s = s.reduce(Action::Operation(op.into()));
        if let Some(r) = request {
            s = s.reduce(Action::Request(r.to_string()));
        }
        s.reduce(Action::Send)
    }

    fn ok_body(s: &KmsState) -> Value {
        match &s.response {
            Some(Response::Ok { body, .. }) => serde_json::from_str(body).unwrap(),
            other => panic!("expected a response, got {other:?}"),
        }
    }

    #[test]
    fn a_key_made_from_the_form_encrypts_and_decrypts_with_the_templates() {
        let s = send(KmsState::default(), "CreateKey", None);
        let arn = ok_body(&s)["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
        assert_eq!(s.keys_in("us-east-1").len(), 1);
        let s = send(s, "Encrypt", None);
        assert_eq!(ok_body(&s)["KeyId"], arn, "the Encrypt template names the new key");
        let s = send(s, "Decrypt", None);
        assert_eq!(
            ok_body(&s)["Plaintext"],
            "aGVsbG8sIEtNUw==",
            "the Decrypt template carries the last ciphertext"
        );
        let rows = s.audit_rows();
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0]["eventName"], "Decrypt", "newest first");
    }

    #[test]
    fn another_principal_is_denied_with_the_trace() {
        let s = send(KmsState::default(), "CreateKey", None);
        let arn = ok_body(&s)["KeyMetadata"]["Arn"].as_str().unwrap().to_string();
        let s = s.reduce(Action::Principal("arn:aws:iam::444455556666:role/Admin".into()));
        let s = send(s, "Encrypt", Some(json!({"KeyId": arn, "Plaintext": "aGk="})));
        match &s.response {
            Some(Response::Err { code, trace: Some(t), message, .. }) => {
                assert_eq!(code, "AccessDeniedException");
                assert!(message.contains("444455556666:role/Admin"), "{message}");
                assert_eq!(t.decision, "implicitDeny");
                assert!(!t.steps.is_empty());
            }
            other => panic!("expected a denial with a trace, got {other:?}"),
        }
        let s = s.reduce(Action::ErrorsOnly(true));
        assert_eq!(s.audit_rows().len(), 1);
        assert_eq!(s.audit_rows()[0]["errorCode"], "AccessDeniedException");
        let s = s.reduce(Action::ErrorsOnly(false)).reduce(Action::FilterEventName("CreateKey".into()));
        assert_eq!(s.audit_rows().len(), 1);
        let s = s.reduce(Action::FilterEventName(String::new())).reduce(Action::FilterKey(arn));
        assert_eq!(s.audit_rows().len(), 2);
    }

    #[test]
    fn bad_json_and_bad_days_are_errors_on_the_page() {
        let s = KmsState::default().reduce(Action::Request("{nope".into())).reduce(Action::Send);
        assert!(matches!(&s.response, Some(Response::Err { code, .. }) if code == "SerializationException"));
        let before = s.world.now;
        for d in ["", "-1", "0", "1e9", "36501", "x"] {
            let s = s.clone().reduce(Action::Days(d.into())).reduce(Action::Advance);
            assert_eq!(s.error.as_ref().map(|e| e.0.as_str()), Some("ValidationException"), "days {d:?}");
            assert_eq!(s.world.now, before);
        }
    }

    #[test]
    fn the_clock_deletes_a_key_whose_window_passed() {
        let s = send(KmsState::default(), "CreateKey", None);
        let s = send(s, "ScheduleKeyDeletion", None);
        let s = s.reduce(Action::Days("8".into())).reduce(Action::Advance);
        assert!(s.notice.as_deref().unwrap().contains("DeleteKey"), "{:?}", s.notice);
        assert!(s.keys_in("us-east-1").is_empty());
        assert!(s.now().starts_with("2026-01-09"));
    }

    #[test]
    fn every_scenario_runs_from_the_page_and_a_variant_stops_at_its_step() {
        for sc in scenarios::all() {
            let s = KmsState::default().reduce(Action::Scenario(sc.id.into())).reduce(Action::StartScenario);
            let s = settle(s.reduce(Action::NextStep));
            assert_eq!(s.run.as_ref().unwrap().results.len(), 1, "{}", sc.id);
            let s = settle(s.reduce(Action::RunAll));
            let run = s.run.as_ref().unwrap();
            assert_eq!(run.results.len(), sc.steps.len(), "{}", sc.id);
            assert!(run.results.iter().all(|r| r.as_documented()), "{}", sc.id);
            assert!(!s.world.audit.is_empty());
        }
        let s = KmsState::default()
            .reduce(Action::Scenario("ami-sharing".into()))
            .reduce(Action::Variant(Some(1)))
            .reduce(Action::StartScenario)
            .reduce(Action::RunAll);
        let run = s.run.as_ref().unwrap();
        let last = run.results.last().unwrap();
        assert_eq!(run.scenario.steps[last.step].id, "grant");
        assert!(
            matches!(&s.response, Some(Response::Err { code, trace: Some(_), .. }) if code == "AccessDeniedException")
        );
    }

    #[test]
    fn a_snapshot_restores_and_a_damaged_one_is_refused() {
        let s = send(KmsState::default(), "CreateKey", None);
        let bytes = s.snapshot().unwrap();
        let t = KmsState::default().reduce(Action::Restore(Ok(bytes.clone())));
        assert_eq!(t.world.keys.len(), 1);
        assert!(t.error.is_none());
        let mut bad = bytes;
        bad.truncate(bad.len() / 2);
        let t = t.reduce(Action::Restore(Ok(bad)));
        assert!(t.error.is_some());
        assert_eq!(t.world.keys.len(), 1, "a failed restore keeps the world");
        let t = t.reduce(Action::Restore(Err("unreadable".into())));
        assert_eq!(t.error.as_ref().unwrap().0, "ReadError");
        let t = t.reduce(Action::Reset);
        assert!(t.world.keys.is_empty());
    }

    #[test]
    fn the_via_service_goes_into_the_caller() {
        let s = KmsState::default().reduce(Action::ViaService(" s3.us-east-1.amazonaws.com ".into()));
        assert_eq!(s.caller()["viaService"], "s3.us-east-1.amazonaws.com");
        assert_eq!(s.caller_account(), Some("111122223333"));
        assert!(world::principals(&s.world).contains(&"arn:aws:iam::444455556666:root".to_string()));
    }
}
