//! The Parameter Store page's state: the KMS world and the parameter store, who calls (principal,
//! region), the operation and its JSON request, the last response or AWS error (with the policy
//! trace of a denial) and the KMS audit entries the call caused, the clock step, and the example
//! loaded; the actions that change it.
//!
//! Plain data for every target, tested natively through the real engines (`secplay::ssm`,
//! `secplay::kms`): every call goes through `ssm::call`, as a JS user's does. In the browser this
//! is yew's `Reducible`.

use std::rc::Rc;

use secplay::kms::{time, World};
use secplay::secrets::ssm_reference::References;
use secplay::secrets::Store as SecretsStore;
use secplay::ssm::{self, ops::OPERATIONS, Store};
use serde_json::{json, Value};

use super::super::kms::state::{Response, Trace};
use super::examples::{self, Example};

/// What the page shows.
#[derive(Clone, Debug)]
pub struct SsmState {
    pub world: Rc<World>,
    pub store: Rc<Store>,
    /// The Secrets Manager behind `/aws/reference/secretsmanager/…` (same world).
    pub secrets: Rc<SecretsStore>,
    pub principal: String,
    pub region: String,
    pub operation: String,
    pub request: String,
    pub response: Option<Response>,
    /// The KMS audit events the last call caused.
    pub kms_events: Vec<Value>,
    pub days: String,
    pub notice: Option<String>,
    pub example: Option<&'static str>,
}

/// What can happen on the page.
#[derive(Debug)]
pub enum Action {
    Principal(String),
    Region(String),
    /// An operation was picked: its request template replaces the request.
    Operation(String),
    Request(String),
    Send,
    Days(String),
    Advance,
    /// Load an example by id: a fresh world and store, its setup run, its request ready.
    Example(String),
    /// Put the parameter's GetParameter request in the editor.
    Pick(String),
    Reset,
}

impl Default for SsmState {
    fn default() -> Self {
        let world = World::new();
        let region = world.default_region().to_string();
        let mut s = SsmState {
            world: Rc::new(world),
            store: Rc::new(Store::new()),
            secrets: Rc::new(SecretsStore::default()),
            principal: examples::admin(),
            region,
            operation: "PutParameter".into(),
            request: String::new(),
            response: None,
            kms_events: Vec::new(),
            days: "1".into(),
            notice: None,
            example: None,
        };
        s.request = template("PutParameter");
        s
    }
}

/// A request to start from, per operation.
pub fn template(op: &str) -> String {
    let v = match op {
        "PutParameter" => {
            json!({"Name": "/my-department/my-app/setting", "Value": "value", "Type": "String", "Overwrite": false})
        }
        "GetParameter" => json!({"Name": "/my-department/my-app/setting", "WithDecryption": true}),
        "GetParameters" => json!({"Names": ["/my-department/my-app/setting"], "WithDecryption": true}),
        "GetParametersByPath" => {
            json!({"Path": "/my-department/", "Recursive": true, "WithDecryption": false, "MaxResults": 10})
        }
        "GetParameterHistory" => json!({"Name": "/my-department/my-app/setting"}),
        "LabelParameterVersion" => {
            json!({"Name": "/my-department/my-app/setting", "ParameterVersion": 1, "Labels": ["prod"]})
        }
        "UnlabelParameterVersion" => {
            json!({"Name": "/my-department/my-app/setting", "ParameterVersion": 1, "Labels": ["prod"]})
        }
        "DeleteParameter" => json!({"Name": "/my-department/my-app/setting"}),
        "DeleteParameters" => json!({"Names": ["/my-department/my-app/setting"]}),
        "AddTagsToResource" => {
            json!({"ResourceType": "Parameter", "ResourceId": "/my-department/my-app/setting", "Tags": [{"Key": "team", "Value": "blue"}]})
        }
        "RemoveTagsFromResource" => {
            json!({"ResourceType": "Parameter", "ResourceId": "/my-department/my-app/setting", "TagKeys": ["team"]})
        }
        "ListTagsForResource" => {
            json!({"ResourceType": "Parameter", "ResourceId": "/my-department/my-app/setting"})
        }
        _ => json!({}),
    };
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// One line of the parameter tree: its depth, the label shown, and the parameter's full name
/// when the line is a parameter (not only a path).
#[derive(Clone, Debug, PartialEq)]
pub struct TreeLine {
    pub depth: usize,
    pub label: String,
    pub name: Option<String>,
    pub detail: String,
}

impl SsmState {
    /// The state after `action`.
    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::Principal(p) => self.principal = p,
            Action::Region(r) => self.region = r,
            Action::Operation(op) => {
                self.request = template(&op);
                self.operation = op;
            }
            Action::Request(r) => self.request = r,
            Action::Send => self.send(),
            Action::Days(d) => self.days = d,
            Action::Advance => self.advance(),
            Action::Example(id) => {
                if let Some(ex) = examples::all().into_iter().find(|e| e.id == id) {
                    self.load(&ex);
                }
            }
            Action::Pick(name) => {
                self.operation = "GetParameter".into();
                self.request = serde_json::to_string_pretty(&json!({"Name": name, "WithDecryption": true}))
                    .unwrap_or_default();
            }
            Action::Reset => return SsmState::default(),
        }
        self
    }

    fn caller(&self) -> Value {
        json!({"principal": self.principal, "region": self.region})
    }

    /// Sends the request in the editor.
    fn send(&mut self) {
        let op = self.operation.clone();
        let req: Value = match serde_json::from_str(&self.request) {
            Ok(v) => v,
            Err(e) => {
                self.response = Some(Response::Err {
                    operation: op,
                    code: "SerializationException".into(),
                    message: format!("the request is not JSON: {e}"),
                    trace: None,
                });
                return;
            }
        };
        let (mut world, mut store) = ((*self.world).clone(), (*self.store).clone());
        let mut secrets = (*self.secrets).clone();
        let before = world.audit.len();
        let mut refs = References { store: &mut secrets };
        let result = ssm::call_with(&mut store, &mut world, &mut refs, &op, &req, &self.caller());
        self.secrets = Rc::new(secrets);
        self.kms_events = world.audit.get(before..).map(<[Value]>::to_vec).unwrap_or_default();
        self.response = Some(match result {
            Ok(v) => {
                Response::Ok { operation: op, body: serde_json::to_string_pretty(&v).unwrap_or_default() }
            }
            Err(e) => {
                let trace = match &e {
                    ssm::SsmError::AccessDenied { trace, .. } => Trace::from_json(trace),
                    _ => None,
                };
                Response::Err { operation: op, code: e.code().into(), message: e.to_string(), trace }
            }
        });
        self.world = Rc::new(world);
        self.store = Rc::new(store);
    }

    fn advance(&mut self) {
        let days: f64 = match self.days.trim().parse::<f64>() {
            Ok(d) if d.is_finite() && (0.0..=36_500.0).contains(&d) => d,
            _ => {
                self.notice = Some(format!("`{}` is not a number of days from 0 to 36500", self.days));
                return;
            }
        };
        let (mut world, mut store) = ((*self.world).clone(), (*self.store).clone());
        match ssm::advance(&mut store, &mut world, (days * 86_400.0).round() as i64) {
            Ok(v) => {
                let n = v.get("parameterEvents").and_then(Value::as_array).map_or(0, Vec::len);
                self.notice = Some(format!(
                    "The clock is now {}; {n} parameter policy event(s).",
                    time::iso8601(world.now)
                ));
            }
            Err(e) => self.notice = Some(format!("{}: {e}", e.code())),
        }
        self.world = Rc::new(world);
        self.store = Rc::new(store);
    }

    /// A fresh world and store with the example's setup run and its request ready.
    pub fn load(&mut self, ex: &Example) {
        let mut world = World::new();
        let mut store = Store::new();
        if ex.app_user {
            let user = examples::app_user();
            let _ = world.add_principal(&user, None);
            let _ =
                world.put_identity_policy(&user, "my-app-parameters", &examples::app_policy().to_string());
        }
        let admin = json!(examples::admin());
        let mut failed = None;
        let mut secrets = SecretsStore::default();
        for (op, req) in &ex.secrets_setup {
            if let Err(e) = secplay::secrets::call(&mut world, &mut secrets, op, req, &admin) {
                failed = Some(format!("setup {op} failed: {} {e}", e.code()));
            }
        }
        self.secrets = Rc::new(secrets);
        for (op, req) in &ex.setup {
            if let Err(e) = ssm::call(&mut store, &mut world, op, req, &admin) {
                failed = Some(format!("setup {op} failed: {} {e}", e.code()));
            }
        }
        if ex.advance_days > 0 {
            let _ = ssm::advance(&mut store, &mut world, ex.advance_days * 86_400);
        }
        self.world = Rc::new(world);
        self.store = Rc::new(store);
        self.region = self.world.default_region().to_string();
        self.principal = ex.principal.clone();
        self.operation = ex.operation.into();
        self.request = serde_json::to_string_pretty(&ex.request).unwrap_or_default();
        self.response = None;
        self.kms_events = Vec::new();
        self.example = Some(ex.id);
        self.notice = failed.or_else(|| Some(ex.explain.to_string()));
    }

    /// Every principal a caller can be: each account's root and IAM users and roles.
    pub fn principals(&self) -> Vec<String> {
        let mut out = Vec::new();
        for (id, a) in &self.world.accounts {
            out.push(format!("arn:aws:iam::{id}:root"));
            out.extend(a.principals.keys().cloned());
        }
        out
    }

    /// The operations the page offers.
    pub fn operations(&self) -> &'static [&'static str] {
        OPERATIONS
    }

    /// The parameters of the caller's account in the chosen region, as a tree of paths.
    pub fn tree(&self) -> Vec<TreeLine> {
        let account = self.principal.split(':').nth(4).unwrap_or_default();
        let mut out: Vec<TreeLine> = Vec::new();
        let mut open: Vec<String> = Vec::new();
        let Some(params) = self.store.region(account, &self.region) else { return out };
        for (name, p) in params {
            let parts: Vec<&str> = name.trim_start_matches('/').split('/').collect();
            let (dirs, leaf) = parts.split_at(parts.len().saturating_sub(1));
            let common = open.iter().zip(dirs.iter()).take_while(|(a, b)| a == *b).count();
            open.truncate(common);
            for (i, d) in dirs.iter().enumerate().skip(common) {
                out.push(TreeLine { depth: i, label: format!("{d}/"), name: None, detail: String::new() });
                open.push((*d).to_string());
            }
            let Some(v) = p.current() else { continue };
            let labels: Vec<String> = p.versions.iter().flat_map(|v| v.labels.iter().cloned()).collect();
            let mut detail = format!("{} · v{} · {}", v.param_type.as_str(), v.version, v.tier.as_str());
            if !labels.is_empty() {
                detail.push_str(&format!(" · labels {}", labels.join(", ")));
            }
            if !v.policies.is_empty() {
                detail.push_str(&format!(
                    " · {} polic{}",
                    v.policies.len(),
                    if v.policies.len() == 1 { "y" } else { "ies" }
                ));
            }
            out.push(TreeLine {
                depth: dirs.len(),
                label: leaf.first().copied().unwrap_or_default().to_string(),
                name: Some(name.clone()),
                detail,
            });
        }
        out
    }

    /// The EventBridge events emitted, newest first.
    pub fn events(&self) -> Vec<Value> {
        self.store.events.iter().rev().cloned().collect()
    }

    /// The cost estimate of the caller's account in the region.
    pub fn cost(&self) -> Value {
        let account = self.principal.split(':').nth(4).unwrap_or_default();
        ssm::cost::estimate(&self.store, account, &self.region, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(id: &str) -> SsmState {
        SsmState::default().reduce(Action::Example(id.into())).reduce(Action::Send)
    }

    #[test]
    fn every_example_loads_and_answers_as_it_says() {
        for ex in examples::all() {
            let s = run(ex.id);
            assert_eq!(s.example, Some(ex.id));
            assert!(
                s.notice.as_deref().is_some_and(|n| !n.starts_with("setup")),
                "{}: {:?}",
                ex.id,
                s.notice
            );
            let expect_error = matches!(ex.id, "path-denied" | "tiers");
            match (&s.response, expect_error) {
                (Some(Response::Ok { .. }), false) | (Some(Response::Err { .. }), true) => {}
                other => panic!("{}: {other:?}", ex.id),
            }
        }
    }

    #[test]
    fn the_path_example_decrypts_through_kms_via_ssm() {
        let s = run("path-iam");
        let Some(Response::Ok { body, .. }) = &s.response else { panic!("{:?}", s.response) };
        assert!(body.contains("correct horse battery staple"), "{body}");
        assert!(!body.contains("not for my-app"));
        assert_eq!(s.kms_events.len(), 1);
        assert_eq!(s.kms_events[0]["eventName"], "Decrypt");
        assert_eq!(s.kms_events[0]["userIdentity"]["invokedBy"], "ssm.us-east-1.amazonaws.com");
    }

    #[test]
    fn the_denied_example_carries_the_trace() {
        let s = run("path-denied");
        let Some(Response::Err { code, trace: Some(t), .. }) = &s.response else {
            panic!("{:?}", s.response)
        };
        assert_eq!(code, "AccessDeniedException");
        assert_eq!(t.decision, "implicitDeny");
        assert!(s.kms_events.is_empty());
    }

    #[test]
    fn the_expiration_example_fires_on_the_clock() {
        let s = SsmState::default().reduce(Action::Example("expiration".into()));
        assert_eq!(s.events().len(), 2, "create + notification");
        let s = s.reduce(Action::Days("1".into())).reduce(Action::Advance);
        assert_eq!(s.events()[0]["detail"]["policy-type"], "Expiration");
        assert!(s.tree().is_empty());
    }

    #[test]
    fn the_tree_groups_paths() {
        let s = SsmState::default().reduce(Action::Example("secure-string".into()));
        let lines: Vec<(usize, String)> = s.tree().into_iter().map(|l| (l.depth, l.label)).collect();
        assert_eq!(
            lines,
            [
                (0, "my-department/".into()),
                (1, "my-app/".into()),
                (2, "db-password".into()),
                (2, "db-url".into()),
                (2, "hosts".into()),
                (1, "other-app/".into()),
                (2, "api-key".into())
            ]
        );
        let s = s.reduce(Action::Pick("/my-department/my-app/hosts".into())).reduce(Action::Send);
        assert!(matches!(s.response, Some(Response::Ok { .. })));
    }

    #[test]
    fn bad_json_is_a_serialization_error() {
        let s = SsmState::default().reduce(Action::Request("{".into())).reduce(Action::Send);
        assert!(matches!(&s.response, Some(Response::Err { code, .. }) if code == "SerializationException"));
    }
}
