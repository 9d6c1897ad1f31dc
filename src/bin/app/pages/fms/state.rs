//! The Firewall Manager page's state: the two JSON texts, the request, the clock, the selected
//! resource, and the evaluation `secplay::fms::json::evaluate` returns for them. Adding an
//! account or a resource edits the organisation text (it joins at the clock's time), so what the
//! page shows is always what the texts say. Plain Rust, tested natively below.

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
    /// The page's first evaluation, made in a task of its own ([`FmsState::evaluated`]): taken as
    /// it is while the page is still `pending`, dropped if an action evaluated it meanwhile.
    Evaluated(Box<FmsState>),
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
    /// Not evaluated yet: `result` says nothing (the page shows "Working…").
    pub pending: bool,
}

impl Default for FmsState {
    fn default() -> Self {
        let mut s = Self::unevaluated();
        s.evaluate();
        s
    }
}

impl FmsState {
    /// The example, not evaluated yet (`pending`): what the page renders first, evaluating it in
    /// a task of its own ([`Self::evaluated`], then `Action::Evaluated`; `pages::later`).
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
        }
    }

    /// Applies an action and evaluates again.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Evaluated(s) if self.pending => *self = *s,
            Action::Evaluated(_) => {}
            other => {
                self.set(other);
                self.evaluate();
            }
        }
    }

    /// This state evaluated.
    pub fn evaluated(mut self) -> Self {
        self.evaluate();
        self
    }

    /// Applies an action without evaluating (`pending` until [`Self::apply`]): a share link's
    /// actions are set one after the other and evaluated once, not once each.
    pub fn set(&mut self, action: Action) {
        match action {
            Action::Example => *self = Self::unevaluated(),
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
            Action::Evaluated(s) => {
                *self = *s;
                return;
            }
        }
        self.pending = true;
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

    #[test]
    fn the_example_evaluates_and_blocks_the_request_in_the_last_set() {
        let s = FmsState::default();
        let v = s.result.as_ref().unwrap();
        assert_eq!(v["evaluation"]["action"], "BLOCK");
        assert_eq!(v["evaluation"]["set"], "last");
        assert!(!s.resources().is_empty());
    }

    #[test]
    fn the_first_evaluation_waits_for_its_action_and_gives_the_example() {
        let mut s = FmsState::unevaluated();
        assert!(s.pending && s.resources().is_empty());
        let done = s.clone().evaluated();
        assert!(!done.pending);
        assert_eq!(done, FmsState::default());
        s.apply(Action::Evaluated(Box::new(done.clone())));
        assert_eq!(s, done);
        // Once the page has moved on, a late first evaluation is dropped.
        s.apply(Action::Advance(STEP));
        let moved = s.clone();
        s.apply(Action::Evaluated(Box::new(done)));
        assert_eq!(s, moved);
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
            each.apply(a.clone());
            once.set(a);
            assert!(once.pending);
        }
        assert_eq!(once.evaluated(), each);
    }

    #[test]
    fn an_added_account_is_covered_at_once_when_remediation_is_on() {
        let mut s = FmsState::default();
        s.apply(Action::Advance(STEP));
        let before = s.resources().len();
        s.apply(Action::AddAccount);
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
        s.apply(Action::AddResource);
        assert_eq!(shop(&s), before + 1);
        let new = s.resources().iter().find(|r| r["arn"].as_str().unwrap().contains("/app/new1/")).unwrap();
        assert_eq!(new["webAcl"]["source"], "firewall-manager");
    }

    #[test]
    fn a_broken_text_is_a_problem_with_a_code() {
        let mut s = FmsState::default();
        s.apply(Action::Edit(Text::Policies, "[{\"Policy\": {}}]".to_owned()));
        let p = s.result.clone().unwrap_err();
        assert_eq!(p.code, "MissingField");
        assert_eq!(p.pointer.as_deref(), Some("/policies/0/Policy"));
        s.apply(Action::Example);
        assert!(s.result.is_ok());
    }

    #[test]
    fn a_selected_resource_that_does_not_exist_leaves_the_organisation_evaluated() {
        let mut s = FmsState::default();
        assert!(s.result.as_ref().unwrap().get("merged").is_some());
        s.apply(Action::Select(
            "arn:aws:elasticloadbalancing:us-east-1:999999999999:loadbalancer/app/gone/1".to_owned(),
        ));
        let v = s.result.clone().unwrap();
        assert!(v.get("merged").is_none());
        assert!(!s.resources().is_empty());
        // A broken request with a missing resource is not the request's problem.
        s.apply(Action::Edit(Text::Request, "not http".to_owned()));
        assert!(s.result.is_ok());
        s.apply(Action::Select(examples::SHOP_ALB.to_owned()));
        assert!(s.result.is_err(), "the request is broken and the resource exists");
    }

    #[test]
    fn adding_to_an_oddly_shaped_text_changes_nothing_and_does_not_panic() {
        for text in
            ["{\"Root\": \"x\"}", "{\"Root\": {\"Id\": \"r-ab12\", \"Accounts\": 5}}", "[]", "not json"]
        {
            let mut s = FmsState::default();
            s.apply(Action::Edit(Text::Org, text.to_owned()));
            s.apply(Action::AddAccount);
            s.apply(Action::AddResource);
            assert_eq!(s.org, text);
            assert!(s.result.is_err());
        }
    }
}
