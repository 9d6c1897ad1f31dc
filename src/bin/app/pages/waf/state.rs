//! The WAF page's state: the texts being edited (web ACL, resources, request, client IP, country,
//! probe, replay input), the ACL built from them, the log records of the last evaluation, the
//! replay report and where the offline geo database stands; and the actions that change it.
//!
//! Plain Rust for every target, tested natively. Evaluating is the engine's (`secplay::waf`): the
//! reducer calls it and keeps what it answers. A big web ACL (`check::WORKER_BYTES` on) is not
//! built at each edit: the page's worker checks it ([`Action::Checked`]) and the reducer builds it
//! only when a request is evaluated or replayed. Fetching the geo database is the page's service
//! (`services::geo`), which dispatches [`Action::GeoLoaded`].

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

use secplay::waf::examples::{sample_traffic, Example, EXAMPLES};
use secplay::waf::geo::GeoDb;
use secplay::waf::http_text::parse_request_text;
use secplay::waf::json::WebAcl;
use secplay::waf::WafError;
use serde_json::{json, Value};

use super::check::{summary_of, Summary, WORKER_BYTES};
use crate::pages::json_editor::window::utf16_at;

/// The example the page opens with (SQLi and XSS).
pub const FIRST_EXAMPLE: usize = 3;
/// Requests in a burst: 120, 100 ms apart on the simulated clock.
pub const BURST: u32 = 120;

/// An error as the page shows it: code, message, and where in which text; with every error the
/// parse found (`items`, the first one included) when there are several.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Problem {
    pub code: String,
    pub message: String,
    pub place: Option<String>,
    /// Each error found, in document order (at most 100).
    pub items: Vec<ProblemItem>,
    /// How many more were found beyond `items`.
    pub more: usize,
    /// The text the errors are in, when they are in one the page edits.
    pub text: Option<Text>,
}

/// One error of a [`Problem`], and the part of its text to select when it is clicked.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemItem {
    pub code: String,
    pub message: String,
    pub pointer: Option<String>,
    /// "line 3, column 5" (or nothing known).
    pub place: String,
    /// The pointed member in the text, as a textarea selection (UTF-16 offsets, start..end).
    pub select: Option<(u32, u32)>,
}

impl Problem {
    /// An error in one of the texts, placed at its line and column when the engine knows them;
    /// every error the parse found becomes an item that selects its member of the text.
    fn in_text(e: &WafError, what: &str, text: Text, source: &str) -> Self {
        let doc = secplay::common::json_source::parse_json_nested(source, 128).ok();
        let items: Vec<ProblemItem> = e
            .all()
            .iter()
            .map(|one| {
                let pointer = one.pointer().map(str::to_owned);
                let span = pointer.as_deref().and_then(|p| doc.as_ref()?.locate_span(p));
                let place = match (span, one) {
                    (Some(sp), _) => format!("line {}, column {}", sp.start.line, sp.start.column),
                    (None, WafError::MalformedJson { line, column, .. }) => {
                        format!("line {line}, column {column}")
                    }
                    _ => String::new(),
                };
                let select =
                    span.map(|sp| (utf16_at(source, sp.start.offset), utf16_at(source, sp.end.offset)));
                ProblemItem { code: one.code().to_owned(), message: one.to_string(), pointer, place, select }
            })
            .collect();
        let place = match items.first().map(|i| i.place.as_str()) {
            Some(p) if !p.is_empty() => format!("{what}, {p}"),
            _ => what.to_owned(),
        };
        Problem {
            code: e.code().to_owned(),
            message: e.to_string(),
            place: Some(place),
            items,
            more: e.more(),
            text: Some(text),
        }
    }

    fn of(e: &WafError, what: &str) -> Self {
        Problem {
            code: e.code().to_owned(),
            message: e.to_string(),
            place: Some(what.to_owned()),
            items: Vec::new(),
            more: 0,
            text: None,
        }
    }
}

/// Where the offline geo database stands.
#[derive(Clone, Debug, PartialEq)]
pub enum GeoStatus {
    /// Not needed yet, so not fetched.
    NotLoaded,
    /// Being fetched (the page's service is asked when the status turns to this).
    Loading,
    /// Loaded: ranges in all four tables, the size in bytes, and how long it took.
    Ready { ranges: usize, bytes: usize, millis: u32 },
    /// Fetching or checking failed.
    Failed(String),
}

/// A text of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    Acl,
    Resources,
    Request,
    ClientIp,
    Country,
    Probe,
    Replay,
}

/// Everything the page can do.
#[derive(Debug)]
pub enum Action {
    /// Fill the page with one of the notes' examples (an index into `EXAMPLES`).
    Example(usize),
    Edit(Text, String),
    /// Evaluate the request this many times, 100 ms apart on the simulated clock.
    Evaluate(u32),
    /// Fill the replay input with ten minutes of sample traffic.
    Sample,
    Replay,
    /// The geo database arrived (or could not), after `millis`.
    GeoLoaded(Result<Arc<GeoDb>, String>, u32),
    /// The worker's answer to check `id` (`check::summary_of`'s input), or why it has none.
    Checked(u32, Result<Value, String>),
}

/// The built ACL, shared by the states made from the same texts: its rate counters carry on from
/// one evaluation to the next and start again when the ACL or its resources change.
type Built = Rc<RefCell<Result<WebAcl, Problem>>>;

/// What the page holds.
#[derive(Clone)]
pub struct WafState {
    pub acl: String,
    pub resources: String,
    pub request: String,
    pub client_ip: String,
    pub country: String,
    pub note: String,
    pub probe: String,
    pub replay_text: String,
    /// The log records of the last evaluation (one per request of a burst).
    pub records: Vec<Value>,
    /// Why the last evaluation did not run.
    pub problem: Option<Problem>,
    pub replay: Option<Result<Value, Problem>>,
    pub geo: GeoStatus,
    /// An evaluation waiting for the geo database: how many requests.
    pub pending: Option<u32>,
    geo_db: Option<Arc<GeoDb>>,
    /// The ACL built from the texts; `None` while they are the worker's to check (big texts).
    built: Option<Built>,
    /// What the page shows while `built` is `None`: the worker's last answer.
    summary: Summary,
    /// The check the worker is asked for, while it has not answered.
    checking: Option<u32>,
    /// Checks asked for so far (the next one's id is one more).
    checks: u32,
}

impl std::fmt::Debug for WafState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WafState")
            .field("records", &self.records.len())
            .field("problem", &self.problem)
            .field("geo", &self.geo)
            .field("pending", &self.pending)
            .field("checking", &self.checking)
            .finish_non_exhaustive()
    }
}

impl Default for WafState {
    fn default() -> Self {
        let mut s = WafState {
            acl: String::new(),
            resources: String::new(),
            request: String::new(),
            client_ip: String::new(),
            country: String::new(),
            note: String::new(),
            probe: "1' OR '1'='1".to_owned(),
            replay_text: String::new(),
            records: Vec::new(),
            problem: None,
            replay: None,
            geo: GeoStatus::NotLoaded,
            pending: None,
            geo_db: None,
            built: Some(Rc::new(RefCell::new(build("", "")))),
            summary: Summary::default(),
            checking: None,
            checks: 0,
        };
        if let Some(e) = EXAMPLES.get(FIRST_EXAMPLE) {
            s.load(e);
        }
        s
    }
}

/// Example JSON as a person would format it (the examples are stored compactly).
pub fn pretty(text: &str) -> String {
    serde_json::from_str::<Value>(text)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_else(|_| text.to_owned())
}

fn build(acl: &str, resources: &str) -> Result<WebAcl, Problem> {
    let acl_v = Value::String(acl.to_owned());
    let res_v = if resources.trim().is_empty() { Value::Null } else { Value::String(resources.to_owned()) };
    WebAcl::new(&acl_v, &res_v, &json!({"trace": true})).map_err(|e| {
        if e.pointer().is_some_and(|p| p.starts_with("/resources")) {
            Problem::in_text(&e, "resources", Text::Resources, resources)
        } else {
            Problem::in_text(&e, "web ACL", Text::Acl, acl)
        }
    })
}

impl WafState {
    fn load(&mut self, e: &Example) {
        self.acl = pretty(e.web_acl);
        self.resources = pretty(e.resources);
        self.request = e.request.to_owned();
        self.client_ip = e.client_ip.to_owned();
        self.country = e.country.to_owned();
        self.note = e.note.to_owned();
        self.records = Vec::new();
        self.problem = None;
        self.rebuild();
    }

    /// The texts changed: small ones are built at once; big ones go to the worker (check
    /// `checking`), and the page shows the last answer until it comes.
    fn rebuild(&mut self) {
        if self.acl.len().saturating_add(self.resources.len()) < WORKER_BYTES {
            self.built = Some(Rc::new(RefCell::new(build(&self.acl, &self.resources))));
            self.checking = None;
            return;
        }
        let (capacity, problem, uses_geo) = self.acl_summary();
        self.summary = Summary { capacity, problem, uses_geo };
        self.built = None;
        self.checks = self.checks.wrapping_add(1).max(1);
        self.checking = Some(self.checks);
    }

    /// The ACL built from the texts, building it now if the worker had it (an evaluation needs it
    /// here: its rate counters live on from one evaluation to the next).
    fn built(&mut self) -> Built {
        if let Some(b) = &self.built {
            return Rc::clone(b);
        }
        let b = Rc::new(RefCell::new(build(&self.acl, &self.resources)));
        self.built = Some(Rc::clone(&b));
        self.checking = None;
        b
    }

    /// The check the worker is asked for and has not answered (the page shows "Checking…").
    pub fn checking(&self) -> Option<u32> {
        self.checking
    }

    /// The capacity report of the built ACL, or why it could not be built, and whether it has
    /// geo or ASN rules; while the worker checks, its last answer.
    pub fn acl_summary(&self) -> (Option<Value>, Option<Problem>, bool) {
        let Some(built) = &self.built else {
            let s = &self.summary;
            return (s.capacity.clone(), s.problem.clone(), s.uses_geo);
        };
        match &*built.borrow() {
            Ok(w) => (Some(w.capacity_report()), None, w.uses_geo()),
            Err(p) => (None, Some(p.clone()), false),
        }
    }

    /// `(allowed, blocked)` among the last evaluation's records.
    pub fn counts(&self) -> (usize, usize) {
        let blocked =
            self.records.iter().filter(|r| r.get("action").and_then(Value::as_str) == Some("BLOCK")).count();
        (self.records.len() - blocked, blocked)
    }

    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::Example(i) => {
                if let Some(e) = EXAMPLES.get(i) {
                    self.load(e);
                }
            }
            Action::Edit(text, value) => {
                match text {
                    Text::Acl => self.acl = value,
                    Text::Resources => self.resources = value,
                    Text::Request => self.request = value,
                    Text::ClientIp => self.client_ip = value,
                    Text::Country => self.country = value,
                    Text::Probe => self.probe = value,
                    Text::Replay => self.replay_text = value,
                }
                if matches!(text, Text::Acl | Text::Resources) {
                    self.rebuild();
                }
            }
            Action::Evaluate(times) => self.evaluate(times),
            Action::Sample => {
                let lines: Vec<String> = sample_traffic().iter().map(Value::to_string).collect();
                self.replay_text = lines.join("\n");
            }
            Action::Replay => self.run_replay(),
            Action::GeoLoaded(result, millis) => {
                match result {
                    Ok(db) => {
                        let s = db.stats();
                        self.geo = GeoStatus::Ready {
                            ranges: s.ipv4_country + s.ipv4_asn + s.ipv6_country + s.ipv6_asn,
                            bytes: s.bytes,
                            millis,
                        };
                        self.geo_db = Some(db);
                    }
                    Err(e) => self.geo = GeoStatus::Failed(e),
                }
                // The evaluation that was waiting runs now, with or without the database.
                if let Some(times) = self.pending.take() {
                    self.evaluate(times);
                }
            }
            // An answer for older texts (or one the page no longer waits for) is dropped. A
            // worker that could not answer leaves the build to this thread, the slow way.
            Action::Checked(id, answer) => {
                if self.checking == Some(id) && self.built.is_none() {
                    match answer {
                        Ok(v) => self.summary = summary_of(&v, &self.acl),
                        Err(_) => drop(self.built()),
                    }
                    self.checking = None;
                }
            }
        }
        self
    }

    fn evaluate(&mut self, times: u32) {
        let built = self.built();
        let mut slot = built.borrow_mut();
        let Ok(w) = &mut *slot else {
            return; // the build problem is already on screen
        };
        let mut req = match parse_request_text(&self.request, self.client_ip.trim()) {
            Ok(r) => r,
            Err(e) => {
                self.problem = Some(Problem::of(&e, "request"));
                return;
            }
        };
        let country = self.country.trim();
        if let (false, Some(o)) = (country.is_empty(), req.as_object_mut()) {
            o.insert("country".into(), Value::String(country.to_ascii_uppercase()));
        }
        if w.needs_geo_db(&req) && self.geo == GeoStatus::NotLoaded {
            // Evaluate once the database is here (or has failed to come).
            self.geo = GeoStatus::Loading;
            self.pending = Some(times);
            return;
        }
        if self.geo == GeoStatus::Loading {
            self.pending = Some(times);
            return;
        }
        w.set_geo_db(self.geo_db.clone());
        let mut out = Vec::new();
        for _ in 0..times {
            match w.evaluate(&req, &Value::Null) {
                Ok(r) => out.push(r),
                Err(e) => {
                    self.problem = Some(Problem::of(&e, "request"));
                    return;
                }
            }
        }
        self.problem = None;
        self.records = out;
    }

    fn run_replay(&mut self) {
        let built = self.built();
        let slot = built.borrow();
        let Ok(w) = &*slot else { return };
        // A fresh copy: the replay's counters start at zero and the single-request view keeps its own.
        let mut fresh = w.clone();
        fresh.reset();
        // Countries of replayed requests come from the geo database if an evaluation loaded it.
        fresh.set_geo_db(self.geo_db.clone());
        let report = fresh
            .replay(&Value::String(self.replay_text.clone()))
            .map_err(|e| Problem::of(&e, "replay input"));
        drop(slot);
        self.replay = Some(report);
    }
}

reducible!(WafState, Action);

#[cfg(test)]
mod tests {
    use super::*;

    fn example(id: &str) -> WafState {
        let i = EXAMPLES.iter().position(|e| e.id == id).unwrap_or_else(|| panic!("no example {id}"));
        WafState::default().reduce(Action::Example(i))
    }

    fn action_of(r: &Value) -> (&str, &str) {
        (
            r.get("action").and_then(Value::as_str).unwrap_or(""),
            r.get("terminatingRuleId").and_then(Value::as_str).unwrap_or(""),
        )
    }

    #[test]
    fn the_page_opens_on_the_sqli_example_with_a_built_acl() {
        let s = WafState::default();
        assert_eq!(s.note, EXAMPLES[FIRST_EXAMPLE].note);
        let (capacity, problem, uses_geo) = s.acl_summary();
        assert_eq!(problem, None);
        assert!(capacity.and_then(|c| c.get("total").and_then(Value::as_u64)).is_some_and(|t| t > 0));
        assert!(!uses_geo);
        assert!(s.records.is_empty());
    }

    #[test]
    fn every_example_decides_as_its_notes_say() {
        for (i, e) in EXAMPLES.iter().enumerate() {
            let s = WafState::default().reduce(Action::Example(i)).reduce(Action::Evaluate(1));
            assert_eq!(s.problem, None, "{}", e.id);
            let r = s.records.last().unwrap_or_else(|| panic!("{}: no record", e.id));
            assert_eq!(action_of(r), (e.expect_action, e.expect_rule), "{}", e.id);
        }
    }

    #[test]
    fn a_burst_counts_on_and_a_changed_acl_starts_again() {
        let s = example("rate-limit").reduce(Action::Evaluate(BURST));
        assert_eq!(s.records.len(), BURST as usize);
        let (allowed, blocked) = s.counts();
        assert!(allowed >= 100 && blocked > 0, "{allowed} allowed, {blocked} blocked");
        // The counters carry on into the next evaluation.
        let again = s.reduce(Action::Evaluate(1));
        assert_eq!(again.records.last().map(action_of), Some(("BLOCK", "per-ip-limit")));
        // An edit to the ACL (even a space) rebuilds it: the counters start from zero.
        let acl = format!("{} ", again.acl);
        let fresh = again.reduce(Action::Edit(Text::Acl, acl)).reduce(Action::Evaluate(1));
        assert_eq!(fresh.records.last().map(action_of), Some(("ALLOW", "Default_Action")));
    }

    #[test]
    fn a_broken_acl_is_placed_and_nothing_is_evaluated() {
        let s = WafState::default().reduce(Action::Edit(Text::Acl, "{\n  \"Rules\": [\n".into()));
        let (capacity, problem, _) = s.acl_summary();
        assert!(capacity.is_none());
        let p = problem.unwrap_or_else(|| panic!("no problem for broken JSON"));
        assert!(p.place.as_deref().is_some_and(|w| w.starts_with("web ACL, line")), "{p:?}");
        let s = s.reduce(Action::Evaluate(1)).reduce(Action::Replay);
        assert!(s.records.is_empty() && s.problem.is_none() && s.replay.is_none());
    }

    #[test]
    fn every_error_of_an_acl_is_listed_and_selects_its_member() {
        // The description holds characters outside the BMP: selections count UTF-16 units.
        let acl = "{\n  \"Name\": \"bad name!\",\n  \"Description\": \"\u{1F6E1}\u{FE0F} shield\",\n  \
            \"DefaultAction\": {\"Allow\": {}, \"Block\": {}},\n  \"VisibilityConfig\": {\"SampledRequestsEnabled\": true, \
            \"CloudWatchMetricsEnabled\": true, \"MetricName\": \"m\"},\n  \"Rules\": [{\"Name\": \"r\", \"Priority\": 0}]\n}";
        let s = WafState::default().reduce(Action::Edit(Text::Acl, acl.to_owned()));
        let p = s.acl_summary().1.unwrap_or_else(|| panic!("no problem"));
        assert_eq!(p.text, Some(Text::Acl));
        let pointers: Vec<_> = p.items.iter().map(|i| i.pointer.clone().unwrap_or_default()).collect();
        assert_eq!(pointers, ["/Name", "/DefaultAction", "/Rules/0", "/Rules/0", "/Rules/0"], "{p:?}");
        assert!(p.message.ends_with("(and 4 more errors)"), "{}", p.message);
        let utf16: Vec<u16> = acl.encode_utf16().collect();
        let selected = |i: usize| {
            let (a, b) = p.items[i].select.unwrap_or_else(|| panic!("no selection for {i}"));
            String::from_utf16_lossy(&utf16[a as usize..b as usize])
        };
        assert_eq!(selected(0), "\"Name\": \"bad name!\"");
        assert_eq!(selected(1), "\"DefaultAction\": {\"Allow\": {}, \"Block\": {}}");
        assert_eq!(selected(2), "{\"Name\": \"r\", \"Priority\": 0}");
        assert_eq!(p.items[1].place, "line 4, column 3");
    }

    #[test]
    fn broken_resources_are_named_as_resources() {
        let s = example("ip-block-list").reduce(Action::Edit(Text::Resources, "{\"ipSets\": 5}".into()));
        let p = s.acl_summary().1.unwrap_or_else(|| panic!("no problem for bad resources"));
        assert!(p.place.as_deref().is_some_and(|w| w.starts_with("resources")), "{p:?}");
    }

    #[test]
    fn a_bad_request_is_a_problem_and_a_good_one_clears_it() {
        let s = WafState::default().reduce(Action::Edit(Text::Request, "NOT A REQUEST".into()));
        let s = s.reduce(Action::Evaluate(1));
        let p = s.problem.clone().unwrap_or_else(|| panic!("no problem for a bad request"));
        assert_eq!(p.place.as_deref(), Some("request"));
        assert!(!p.code.is_empty());
        let s = s.reduce(Action::Example(FIRST_EXAMPLE)).reduce(Action::Evaluate(1));
        assert_eq!(s.problem, None);
        assert_eq!(s.records.len(), 1);
    }

    #[test]
    fn a_country_typed_in_lowercase_is_sent_in_uppercase() {
        let s = example("geo-block")
            .reduce(Action::Edit(Text::Country, " kp ".into()))
            .reduce(Action::Evaluate(1));
        assert_eq!(s.records.last().map(action_of), Some(("BLOCK", "block-countries")));
        assert_eq!(s.geo, GeoStatus::NotLoaded, "a country with the request needs no database");
    }

    #[test]
    fn a_geo_rule_without_a_country_waits_for_the_database() {
        let s = example("geo-block").reduce(Action::Edit(Text::Country, String::new()));
        assert!(s.acl_summary().2, "the ACL uses geo");
        let s = s.reduce(Action::Evaluate(3));
        assert_eq!(s.geo, GeoStatus::Loading);
        assert_eq!(s.pending, Some(3));
        assert!(s.records.is_empty());
        // Another click while it loads only updates what waits.
        let s = s.reduce(Action::Evaluate(1));
        assert_eq!((s.geo.clone(), s.pending), (GeoStatus::Loading, Some(1)));
        // The database could not come: the evaluation runs without it, and is not retried.
        let s = s.reduce(Action::GeoLoaded(Err("pkg/geo.bin answered HTTP 404".into()), 7));
        assert_eq!(s.geo, GeoStatus::Failed("pkg/geo.bin answered HTTP 404".into()));
        assert_eq!(s.pending, None);
        assert_eq!(s.records.len(), 1);
        assert_eq!(s.records.last().map(action_of), Some(("ALLOW", "Default_Action")));
        let s = s.reduce(Action::Evaluate(1));
        assert!(matches!(s.geo, GeoStatus::Failed(_)));
    }

    #[test]
    fn sample_traffic_replays_with_fresh_counters() {
        let s = example("rate-limit").reduce(Action::Evaluate(BURST)).reduce(Action::Sample);
        assert!(s.replay_text.lines().count() > 100);
        let s = s.reduce(Action::Replay);
        let report = match &s.replay {
            Some(Ok(r)) => r.clone(),
            other => panic!("no report: {other:?}"),
        };
        assert_eq!(report.get("total").and_then(Value::as_u64), Some(s.replay_text.lines().count() as u64));
        // The page's own counters are untouched by the replay.
        let after = s.reduce(Action::Evaluate(1));
        assert_eq!(after.records.last().map(action_of), Some(("BLOCK", "per-ip-limit")));
    }

    #[test]
    fn a_broken_replay_input_is_a_problem() {
        let s =
            WafState::default().reduce(Action::Edit(Text::Replay, "{not json".into())).reduce(Action::Replay);
        match &s.replay {
            Some(Err(p)) => assert_eq!(p.place.as_deref(), Some("replay input")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn texts_are_edited_and_unknown_examples_ignored() {
        let s = WafState::default()
            .reduce(Action::Edit(Text::Probe, "<script>".into()))
            .reduce(Action::Edit(Text::ClientIp, "198.51.100.1".into()))
            .reduce(Action::Example(EXAMPLES.len()));
        assert_eq!((s.probe.as_str(), s.client_ip.as_str()), ("<script>", "198.51.100.1"));
    }

    #[test]
    fn pretty_formats_json_and_keeps_anything_else() {
        assert_eq!(pretty(r#"{"a":1}"#), "{\n  \"a\": 1\n}");
        assert_eq!(pretty("not json"), "not json");
    }
}
