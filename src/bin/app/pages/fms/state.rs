//! The Firewall Manager page's state: the two JSON texts, the request, the clock, the selected
//! resource, and the evaluation `secplay::fms::json::evaluate` returns for them. Adding an
//! account or a resource edits the organisation text (it joins at the clock's time), so what the
//! page shows is always what the texts say. Each action asks for an evaluation (a job number)
//! that the page's worker makes (`worker.rs`, `www/fms-worker.js`); the page shows the last
//! result until the newest job's answer comes, drops older answers, and evaluates here, on the
//! page's thread, only when the worker cannot ([`FmsState::evaluated`]). Plain Rust, tested
//! natively below.

use serde_json::{json, Value};

use secplay::fms::{examples, json as fms};
use secplay::waf::http_text::parse_request_text;

/// The request shown first: a SQL injection in the query string.
pub const EXAMPLE_REQUEST: &str =
    "GET /search?q=1%27%20OR%20%271%27%3D%271 HTTP/1.1\nHost: shop.example.com\nUser-Agent: curl/8.5.0\n";
/// The client address of the request.
pub const CLIENT_IP: &str = "192.0.2.44";
/// How far one press of the clock button moves it, seconds.
pub const STEP: u64 = 300;

/// Which text is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Org,
    Policies,
    Request,
}

/// What the page can do.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Back to the example.
    Example,
    Edit(Text, String),
    /// Open a resource (its ARN).
    Select(String),
    /// Move the clock forward by seconds.
    Advance(u64),
    /// A new account joins the first OU now, with a load balancer.
    AddAccount,
    /// A new load balancer appears now in the selected resource's account.
    AddResource,
    /// The worker's answer to evaluation `id` (`{ok: true, value}` or `{ok: false, code,
    /// message, pointer?}`, `worker::result_of`), or why it could not answer (then the page
    /// evaluates on its own thread). Dropped unless `id` is the evaluation the page waits for.
    Evaluated(u32, Result<Value, String>),
}

/// An error to show: code, message, JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub code: String,
    pub message: String,
    pub pointer: Option<String>,
}

/// The page.
#[derive(Debug, Clone, PartialEq)]
pub struct FmsState {
    pub org: String,
    pub policies: String,
    pub request: String,
    /// Seconds on the simulated clock.
    pub clock: u64,
    pub selected: Option<String>,
    pub result: Result<Value, Problem>,
    /// What happened on the clock, newest last.
    pub events: Vec<String>,
    added: u32,
    /// Never evaluated yet: `result` says nothing (the page shows "Working…" until the first
    /// answer; after it, the last result while a newer one is computed).
    pub pending: bool,
    /// The evaluation asked for and not answered yet (see [`Self::evaluating`]).
    evaluating: Option<u32>,
    /// The number of the last evaluation asked for (from 1; 0 is no evaluation).
    jobs: u32,
}

/// The example evaluated on this thread (what the native tests start from).
impl Default for FmsState {
    fn default() -> Self {
        Self::unevaluated().evaluated()
    }
}

impl FmsState {
    /// The example, not evaluated yet (`pending`), its first evaluation asked for: what the page
    /// renders first, posting that evaluation to its worker.
    pub fn unevaluated() -> Self {
        Self {
            org: examples::ORG.to_owned(),
            policies: examples::POLICIES.to_owned(),
            request: EXAMPLE_REQUEST.to_owned(),
            clock: 0,
            selected: Some(examples::SHOP_ALB.to_owned()),
            result: Ok(Value::Null),
            events: Vec::new(),
            added: 0,
            pending: true,
            evaluating: Some(1),
            jobs: 1,
        }
    }

    /// Applies an action: sets what it changes and asks for a new evaluation (the page posts it
    /// to its worker when it renders; a share link's actions, applied one after the other before
    /// the first render, are evaluated once), or takes the worker's answer.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Example => {
                // Back to the example's texts; what the page shows and the job numbers go on.
                let fresh = Self::unevaluated();
                let result = std::mem::replace(&mut self.result, Ok(Value::Null));
                *self = Self {
                    result,
                    pending: self.pending,
                    evaluating: self.evaluating,
                    jobs: self.jobs,
                    ..fresh
                };
            }
            Action::Edit(Text::Org, t) => self.org = t,
            Action::Edit(Text::Policies, t) => self.policies = t,
            Action::Edit(Text::Request, t) => self.request = t,
            Action::Select(arn) => self.selected = Some(arn),
            Action::Advance(s) => {
                self.clock = self.clock.saturating_add(s);
                self.events.push(format!("t={}s: the clock moved {s}s", self.clock));
            }
            Action::AddAccount => self.add_account(),
            Action::AddResource => self.add_resource(),
            Action::Evaluated(id, answer) => return self.answered(id, answer),
        }
        self.jobs = self.jobs.wrapping_add(1).max(1);
        self.evaluating = Some(self.jobs);
    }

    /// The evaluation asked for and not answered yet: the page posts it to its worker and shows
    /// "Evaluating…" (its last result meanwhile, busy).
    pub fn evaluating(&self) -> Option<u32> {
        self.evaluating
    }

    /// This state evaluated on this thread (the page's fallback when its worker cannot answer,
    /// and the native tests').
    pub fn evaluated(mut self) -> Self {
        self.evaluate();
        self
    }

    /// The worker's answer to evaluation `id`: an answer for an older evaluation (or one the page
    /// no longer waits for) is dropped; a worker that could not answer leaves the evaluation to
    /// this thread.
    fn answered(&mut self, id: u32, answer: Result<Value, String>) {
        if self.evaluating != Some(id) {
            return;
        }
        match answer {
            Ok(v) => {
                self.result = super::worker::result_of(v);
                self.pending = false;
                self.evaluating = None;
            }
            Err(_) => self.evaluate(),
        }
    }

    /// Resources of the evaluation.
    pub fn resources(&self) -> &[Value] {
        self.result
            .as_ref()
            .ok()
            .and_then(|v| v.get("resources"))
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// One evaluation in the usual case (the selected resource exists and the request reads):
    /// the organisation is evaluated once with the resource and its request; only when the
    /// resource does not exist at this moment is it evaluated again without (a whole evaluation
    /// builds every account's web ACL, so doing it twice doubled the page's work per edit).
    fn evaluate(&mut self) {
        self.pending = false;
        self.evaluating = None;
        let mut options = serde_json::Map::new();
        options.insert("at".into(), json!(self.clock));
        let org = Value::String(self.org.clone());
        let policies = Value::String(self.policies.clone());
        if let Some(arn) = self.selected.clone() {
            let mut with = options.clone();
            with.insert("resource".into(), json!(arn));
            match parse_request_text(&self.request, CLIENT_IP) {
                Ok(req) => {
                    with.insert("request".into(), req);
                    match fms::evaluate(&org, &policies, &Value::Object(with)) {
                        Err(e) if missing_resource(&e) => {}
                        other => {
                            self.result = other.map_err(|e| problem(&e));
                            return;
                        }
                    }
                }
                Err(e) => {
                    self.result =
                        fms::evaluate(&org, &policies, &Value::Object(options)).map_err(|e| problem(&e));
                    let exists = self
                        .resources()
                        .iter()
                        .any(|r| r.get("arn").and_then(Value::as_str) == Some(arn.as_str()));
                    if exists {
                        self.result = Err(Problem {
                            code: e.code().to_owned(),
                            message: format!("request: {e}"),
                            pointer: None,
                        });
                    }
                    return;
                }
            }
        }
        self.result = fms::evaluate(&org, &policies, &Value::Object(options)).map_err(|e| problem(&e));
    }

    /// The organisation as JSON, or `None` when the text is not (the error shows already).
    fn org_value(&self) -> Option<Value> {
        serde_json::from_str(&self.org).ok()
    }

    fn region(&self) -> String {
        // The first regional resource's region, else the first policy's region.
        self.resources()
            .iter()
            .filter_map(|r| r.get("region").and_then(Value::as_str))
            .find(|r| *r != "global")
            .unwrap_or("eu-west-1")
            .to_owned()
    }

    fn fresh_account_id(&self, org: &Value) -> String {
        let text = org.to_string();
        (0..1000u32)
            .map(|n| format!("{:012}", 666_000_000_000u64 + u64::from(self.added) + u64::from(n)))
            .find(|id| !text.contains(id.as_str()))
            .unwrap_or_else(|| "999999999999".to_owned())
    }

    fn add_account(&mut self) {
        let Some(mut org) = self.org_value() else { return };
        let id = self.fresh_account_id(&org);
        let region = self.region();
        self.added += 1;
        let account = json!({
            "Id": id, "Name": format!("new-account-{}", self.added), "JoinedAt": self.clock,
            "Resources": [{"Arn": format!("arn:aws:elasticloadbalancing:{region}:{id}:loadbalancer/app/app{}/00000000000000{:02}", self.added, self.added % 100),
                           "Tags": [{"Key": "env", "Value": "prod"}]}],
        });
        let Some(root) = org.get_mut("Root") else { return };
        let has_ou = root.get("OrganizationalUnits").and_then(Value::as_array).is_some_and(|u| !u.is_empty());
        let target = if has_ou {
            root.get_mut("OrganizationalUnits").and_then(Value::as_array_mut).and_then(|u| u.first_mut())
        } else {
            Some(root)
        };
        let Some(target) = target else { return };
        let ou_name = target.get("Name").and_then(Value::as_str).unwrap_or("the root").to_owned();
        if !push_to(target, "Accounts", account) {
            return;
        }
        self.events.push(format!("t={}s: account {id} joined {ou_name} with a load balancer", self.clock));
        self.org = serde_json::to_string_pretty(&org).unwrap_or_default();
    }

    fn add_resource(&mut self) {
        let Some(mut org) = self.org_value() else { return };
        let account_id = self
            .selected
            .as_deref()
            .and_then(|arn| {
                self.resources().iter().find(|r| r.get("arn").and_then(Value::as_str) == Some(arn))
            })
            .and_then(|r| r.get("accountId").and_then(Value::as_str))
            .map(str::to_owned);
        let Some(account_id) = account_id else { return };
        let region = self.region();
        self.added += 1;
        let arn = format!(
            "arn:aws:elasticloadbalancing:{region}:{account_id}:loadbalancer/app/new{}/1000000000000{:03}",
            self.added,
            self.added % 1000
        );
        let resource =
            json!({"Arn": arn, "CreatedAt": self.clock, "Tags": [{"Key": "env", "Value": "prod"}]});
        let Some(root) = org.get_mut("Root") else { return };
        if add_to_account(root, &account_id, &resource) {
            self.events.push(format!("t={}s: a load balancer appeared in account {account_id}", self.clock));
            self.org = serde_json::to_string_pretty(&org).unwrap_or_default();
        }
    }
}

/// Adds `resource` to the account `id` somewhere under `unit`.
fn add_to_account(unit: &mut Value, id: &str, resource: &Value) -> bool {
    if let Some(accounts) = unit.get_mut("Accounts").and_then(Value::as_array_mut) {
        for a in accounts {
            if a.get("Id").and_then(Value::as_str) == Some(id) {
                return push_to(a, "Resources", resource.clone());
            }
        }
    }
    if let Some(units) = unit.get_mut("OrganizationalUnits").and_then(Value::as_array_mut) {
        return units.iter_mut().any(|u| add_to_account(u, id, resource));
    }
    false
}

/// Appends `item` to the array member `key` of the object `v` (made when absent); false when `v`
/// is not an object or the member is not an array (the text was edited that way).
fn push_to(v: &mut Value, key: &str, item: Value) -> bool {
    let Some(o) = v.as_object_mut() else { return false };
    match o.entry(key).or_insert_with(|| json!([])).as_array_mut() {
        Some(list) => {
            list.push(item);
            true
        }
        None => false,
    }
}

/// The error `evaluate` answers when `options.resource` names no resource at this moment.
fn missing_resource(e: &secplay::fms::FmsError) -> bool {
    matches!(e, secplay::fms::FmsError::Options { pointer, .. } if pointer == "/options/resource")
}

fn problem(e: &secplay::fms::FmsError) -> Problem {
    Problem { code: e.code().to_owned(), message: e.to_string(), pointer: e.pointer().map(str::to_owned) }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worker's answer to `s`'s evaluation, as `www/fms-worker.js` makes it with the JS
    /// package (the same engine calls, the same error fields: `code`, `message`, `pointer`).
    fn worker_answer(s: &FmsState) -> Value {
        let org = Value::String(s.org.clone());
        let policies = Value::String(s.policies.clone());
        let answer = |r: Result<Value, secplay::fms::FmsError>| match r {
            Ok(value) => json!({"ok": true, "value": value}),
            Err(e) => {
                let mut a = json!({"ok": false, "code": e.code(), "message": e.to_string()});
                if let (Some(p), Some(o)) = (e.pointer(), a.as_object_mut()) {
                    o.insert("pointer".into(), json!(p));
                }
                a
            }
        };
        let organisation = || answer(fms::evaluate(&org, &policies, &json!({"at": s.clock})));
        let Some(arn) = &s.selected else { return organisation() };
        match parse_request_text(&s.request, CLIENT_IP) {
            Err(e) => {
                let whole = organisation();
                let exists = whole["value"]["resources"]
                    .as_array()
                    .is_some_and(|rs| rs.iter().any(|r| r["arn"] == json!(arn)));
                if exists {
                    json!({"ok": false, "code": e.code(), "message": format!("request: {e}")})
                } else {
                    whole
                }
            }
            Ok(req) => {
                let options = json!({"at": s.clock, "resource": arn, "request": req});
                match fms::evaluate(&org, &policies, &options) {
                    Err(e) if e.pointer() == Some("/options/resource") => organisation(),
                    other => answer(other),
                }
            }
        }
    }

    /// `s` after the worker answered its evaluation.
    fn answered(mut s: FmsState) -> FmsState {
        let id = s.evaluating().unwrap_or_else(|| panic!("no evaluation asked for"));
        let a = worker_answer(&s);
        s.apply(Action::Evaluated(id, Ok(a)));
        assert_eq!(s.evaluating(), None);
        s
    }

    /// Applies `a` and answers the evaluation it asks for, as the page's worker does.
    fn act(s: &mut FmsState, a: Action) {
        s.apply(a);
        *s = answered(s.clone());
    }

    /// The result the page shows for `s`'s texts, from its worker and from its own evaluation.
    fn both(s: &FmsState) -> (Result<Value, Problem>, Result<Value, Problem>) {
        (super::super::worker::result_of(worker_answer(s)), s.clone().evaluated().result)
    }

    #[test]
    fn the_example_evaluates_and_blocks_the_request_in_the_last_set() {
        let s = FmsState::default();
        let v = s.result.as_ref().unwrap();
        assert_eq!(v["evaluation"]["action"], "BLOCK");
        assert_eq!(v["evaluation"]["set"], "last");
        assert!(!s.resources().is_empty());
    }

    #[test]
    fn the_first_evaluation_is_asked_for_and_the_workers_answer_gives_the_example() {
        let s = FmsState::unevaluated();
        assert!(s.pending && s.resources().is_empty());
        assert_eq!(s.evaluating(), Some(1));
        let done = answered(s);
        assert!(!done.pending);
        assert_eq!(done, FmsState::default());
    }

    #[test]
    fn the_workers_answer_is_the_pages_own_evaluation() {
        let gone = "arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/gone/1";
        let cases: Vec<Vec<Action>> = vec![
            vec![],
            vec![Action::Edit(
                Text::Request,
                "GET /admin/users HTTP/1.1\nHost: shop.example.com\n".to_owned(),
            )],
            vec![Action::Edit(Text::Request, "not http".to_owned())],
            vec![Action::Edit(Text::Request, "not http".to_owned()), Action::Select(gone.to_owned())],
            vec![Action::Select(gone.to_owned())],
            vec![Action::Advance(600), Action::AddAccount, Action::AddResource],
            vec![Action::Edit(Text::Policies, "[{\"Policy\": {}}]".to_owned())],
            vec![Action::Edit(Text::Org, "not json".to_owned())],
            vec![Action::Edit(Text::Org, "{\"Root\": 5}".to_owned())],
        ];
        for actions in cases {
            let mut s = FmsState::default();
            for a in &actions {
                s.apply(a.clone());
            }
            let (worker, here) = both(&s);
            assert_eq!(worker, here, "{actions:?}");
        }
        let s = FmsState { selected: None, ..FmsState::unevaluated() };
        let (worker, here) = both(&s);
        assert!(worker.as_ref().is_ok_and(|v| v.get("merged").is_none()));
        assert_eq!(worker, here);
    }

    #[test]
    fn the_last_result_shows_until_the_newest_answer_and_older_answers_are_dropped() {
        let mut s = FmsState::default();
        let shown = s.result.clone();
        s.apply(Action::Edit(
            Text::Request,
            "GET /admin/users HTTP/1.1\nHost: shop.example.com\nUser-Agent: curl/8.5.0\n".to_owned(),
        ));
        let first = s.evaluating().unwrap_or_else(|| panic!("no evaluation"));
        let first_answer = worker_answer(&s);
        assert!(!s.pending, "the page keeps its body");
        assert_eq!(s.result, shown, "the last result shows meanwhile");
        s.apply(Action::Advance(STEP));
        let newer = s.evaluating().unwrap_or_else(|| panic!("no evaluation"));
        assert_ne!(first, newer);
        let before = s.clone();
        s.apply(Action::Evaluated(first, Ok(first_answer)));
        assert_eq!(s, before, "an older answer is dropped");
        let newest = worker_answer(&s);
        s.apply(Action::Evaluated(newer, Ok(newest.clone())));
        assert_eq!(s.evaluating(), None);
        assert_eq!(s.result, s.clone().evaluated().result);
        assert_eq!(s.result.as_ref().ok().map(|v| v["evaluation"]["set"].clone()), Some(json!("account")));
        // An answer that comes again, or for no evaluation, changes nothing.
        let done = s.clone();
        s.apply(Action::Evaluated(newer, Ok(json!({"ok": false, "code": "X", "message": "x"}))));
        s.apply(Action::Evaluated(0, Err("no".into())));
        assert_eq!(s, done);
        // Back to the example: its texts, the result shown so far, a new evaluation.
        s.apply(Action::Example);
        assert_eq!((s.result.clone(), s.clock), (done.result.clone(), 0));
        assert!(s.evaluating().is_some_and(|id| id != newer));
        assert_eq!(answered(s).result, FmsState::default().result);
    }

    #[test]
    fn a_failed_worker_leaves_the_evaluation_to_the_page() {
        let s = FmsState::unevaluated();
        let mut failed = s.clone();
        failed.apply(Action::Evaluated(1, Err("the Firewall Manager evaluator could not start".into())));
        assert_eq!(failed, FmsState::default());
        let mut s = failed;
        s.apply(Action::Advance(STEP));
        let id = s.evaluating().unwrap_or_else(|| panic!("no evaluation"));
        let here = s.clone().evaluated();
        s.apply(Action::Evaluated(id, Err("could not reach the Firewall Manager evaluator".into())));
        assert_eq!((s.evaluating(), &s), (None, &here));
        assert_eq!(here.clock, STEP);
    }

    #[test]
    fn actions_set_then_evaluated_once_give_what_applying_each_gives() {
        let actions = [
            Action::Edit(Text::Request, "GET /admin HTTP/1.1\nHost: shop.example.com\n".to_owned()),
            Action::Advance(600),
            Action::Select(examples::SHOP_ALB.to_owned()),
        ];
        let mut each = FmsState::default();
        let mut once = FmsState::unevaluated();
        for a in actions {
            act(&mut each, a.clone());
            once.apply(a);
            assert!(once.pending && once.evaluating().is_some());
        }
        let once = answered(once);
        assert_eq!((&once.request, once.clock, &once.selected), (&each.request, each.clock, &each.selected));
        assert_eq!((&once.result, &once.events), (&each.result, &each.events));
    }

    #[test]
    fn an_added_account_is_covered_at_once_when_remediation_is_on() {
        let mut s = FmsState::default();
        act(&mut s, Action::Advance(STEP));
        let before = s.resources().len();
        act(&mut s, Action::AddAccount);
        assert_eq!(s.resources().len(), before + 1);
        let new = s.resources().iter().find(|r| r["accountName"] == "new-account-1").unwrap();
        assert_eq!(new["compliant"], true);
        assert_eq!(new["webAcl"]["source"], "firewall-manager");
        assert!(s.events.last().unwrap().contains("joined"));
    }

    #[test]
    fn an_added_resource_lands_in_the_selected_account() {
        let mut s = FmsState::default();
        let shop = |s: &FmsState| s.resources().iter().filter(|r| r["accountId"] == "222222222222").count();
        let before = shop(&s);
        act(&mut s, Action::AddResource);
        assert_eq!(shop(&s), before + 1);
        let new = s.resources().iter().find(|r| r["arn"].as_str().unwrap().contains("/app/new1/")).unwrap();
        assert_eq!(new["webAcl"]["source"], "firewall-manager");
    }

    #[test]
    fn a_broken_text_is_a_problem_with_a_code() {
        let mut s = FmsState::default();
        act(&mut s, Action::Edit(Text::Policies, "[{\"Policy\": {}}]".to_owned()));
        let p = s.result.clone().unwrap_err();
        assert_eq!(p.code, "MissingField");
        assert_eq!(p.pointer.as_deref(), Some("/policies/0/Policy"));
        act(&mut s, Action::Example);
        assert!(s.result.is_ok());
    }

    #[test]
    fn a_selected_resource_that_does_not_exist_leaves_the_organisation_evaluated() {
        let mut s = FmsState::default();
        assert!(s.result.as_ref().unwrap().get("merged").is_some());
        act(
            &mut s,
            Action::Select(
                "arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/gone/1".to_owned(),
            ),
        );
        let v = s.result.clone().unwrap();
        assert!(v.get("merged").is_none());
        assert!(!s.resources().is_empty());
        // A broken request with a missing resource is not the request's problem.
        act(&mut s, Action::Edit(Text::Request, "not http".to_owned()));
        assert!(s.result.is_ok());
        act(&mut s, Action::Select(examples::SHOP_ALB.to_owned()));
        assert!(s.result.is_err(), "the request is broken and the resource exists");
    }

    #[test]
    fn adding_to_an_oddly_shaped_text_changes_nothing_and_does_not_panic() {
        for text in
            ["{\"Root\": \"x\"}", "{\"Root\": {\"Id\": \"r-ab12\", \"Accounts\": 5}}", "[]", "not json"]
        {
            let mut s = FmsState::default();
            act(&mut s, Action::Edit(Text::Org, text.to_owned()));
            act(&mut s, Action::AddAccount);
            act(&mut s, Action::AddResource);
            assert_eq!(s.org, text);
            assert!(s.result.is_err());
        }
    }
}
