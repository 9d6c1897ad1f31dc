//! The page's state: the policy texts of every editor and the request being built, the actions
//! that change it, and the evaluation input (`{request, policies}`) it stands for.
//!
//! Plain data; no rendering and no policy logic (the engine in `secplay::policy` does that).

use std::rc::Rc;

use serde_json::{json, Map, Value};
use yew::Reducible;

/// The most identity-policy editors the page shows (a user's attached policies, in practice).
pub const MAX_IDENTITY: usize = 5;
/// The most context-key rows.
pub const MAX_CONTEXT: usize = 40;

/// What the page holds. Empty optional policies (SCP, boundary, session) take no part.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageState {
    /// The key policy (the resource policy of the key).
    pub key_policy: String,
    /// The caller's identity policies (user, groups, role), unioned.
    pub identity: Vec<String>,
    /// A service control policy at the root of the organisation.
    pub scp: String,
    pub boundary: String,
    pub session: String,
    pub principal: String,
    pub action: String,
    pub resource: String,
    /// Empty: taken from the resource ARN.
    pub resource_account: String,
    pub context: Vec<(String, String)>,
}

/// One editor of the page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Editor {
    Key,
    Identity(usize),
    Scp,
    Boundary,
    Session,
}

impl Editor {
    /// The element id of the editor's textarea; its wrapper, findings and list use it as a suffix.
    pub fn dom_id(self) -> String {
        match self {
            Editor::Key => "key".into(),
            Editor::Identity(i) => format!("identity-{i}"),
            Editor::Scp => "scp".into(),
            Editor::Boundary => "boundary".into(),
            Editor::Session => "session".into(),
        }
    }

    /// The `policyType` validation uses for this editor.
    pub fn policy_type(self) -> &'static str {
        match self {
            Editor::Key => "key",
            Editor::Identity(_) => "identity",
            Editor::Scp => "scp",
            Editor::Boundary => "boundary",
            Editor::Session => "session",
        }
    }

    /// A label for people.
    pub fn label(self) -> String {
        match self {
            Editor::Key => "Key policy".into(),
            Editor::Identity(i) => format!("Identity policy {}", i + 1),
            Editor::Scp => "Service control policy (organisation root)".into(),
            Editor::Boundary => "Permissions boundary".into(),
            Editor::Session => "Session policy".into(),
        }
    }
}

/// Which request field an input edits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Principal,
    Action,
    Resource,
    ResourceAccount,
}

/// Everything the page can do to its state.
pub enum Msg {
    SetPolicy(Editor, String),
    AddIdentity,
    RemoveIdentity(usize),
    SetField(Field, String),
    SetContextKey(usize, String),
    SetContextValue(usize, String),
    /// Adds a row; with a key, only if no row has that key yet.
    AddContext(String),
    RemoveContext(usize),
    Load(Box<PageState>),
}

impl PageState {
    /// The text of an editor (empty for an identity editor that does not exist).
    pub fn policy(&self, e: Editor) -> &str {
        match e {
            Editor::Key => &self.key_policy,
            Editor::Identity(i) => self.identity.get(i).map_or("", String::as_str),
            Editor::Scp => &self.scp,
            Editor::Boundary => &self.boundary,
            Editor::Session => &self.session,
        }
    }

    /// Every editor that exists, in page order.
    pub fn editors(&self) -> Vec<Editor> {
        let mut v = vec![Editor::Key];
        v.extend((0..self.identity.len()).map(Editor::Identity));
        v.extend([Editor::Scp, Editor::Boundary, Editor::Session]);
        v
    }

    /// The evaluation input, and for each `identity[i]` of it, the editor it came from (empty
    /// editors are left out, so the indexes differ).
    pub fn to_input(&self) -> (Value, Vec<usize>) {
        let present = |s: &str| !s.trim().is_empty();
        let mut policies = Map::new();
        if present(&self.key_policy) {
            policies.insert("resource".into(), json!(self.key_policy));
        }
        let identity_map: Vec<usize> =
            self.identity.iter().enumerate().filter(|(_, p)| present(p)).map(|(i, _)| i).collect();
        let identity: Vec<&String> = identity_map.iter().filter_map(|i| self.identity.get(*i)).collect();
        policies.insert("identity".into(), json!(identity));
        if present(&self.scp) {
            policies.insert("scps".into(), json!([[self.scp]]));
        }
        if present(&self.boundary) {
            policies.insert("permissionsBoundary".into(), json!(self.boundary));
        }
        if present(&self.session) {
            policies.insert("session".into(), json!(self.session));
        }
        let mut request = Map::new();
        let principal = self.principal.trim();
        request.insert("principal".into(), if principal.is_empty() { Value::Null } else { json!(principal) });
        request.insert("action".into(), json!(self.action.trim()));
        request.insert("resource".into(), json!(self.resource.trim()));
        if present(&self.resource_account) {
            request.insert("resourceAccount".into(), json!(self.resource_account.trim()));
        }
        let mut context = Map::new();
        for (k, v) in &self.context {
            let k = k.trim();
            if !k.is_empty() {
                context.insert(k.to_string(), context_value(v));
            }
        }
        request.insert("context".into(), Value::Object(context));
        request.insert("deriveGlobalKeys".into(), Value::Bool(true));
        (json!({"request": request, "policies": policies}), identity_map)
    }

    /// The editor a matched statement's `policy` path (`resource`, `identity[1]`, `scps[0][0]`…)
    /// refers to, given the identity map of [`PageState::to_input`].
    pub fn editor_of(path: &str, identity_map: &[usize]) -> Option<Editor> {
        match path {
            "resource" => Some(Editor::Key),
            "permissionsBoundary" => Some(Editor::Boundary),
            "session" => Some(Editor::Session),
            "scps[0][0]" => Some(Editor::Scp),
            _ => {
                let i: usize = path.strip_prefix("identity[")?.strip_suffix(']')?.parse().ok()?;
                identity_map.get(i).copied().map(Editor::Identity)
            }
        }
    }
}

/// A context value as typed: a JSON array of strings (`["a", "b"]`) is a multivalued key,
/// anything else one string.
fn context_value(v: &str) -> Value {
    let t = v.trim();
    if t.starts_with('[') {
        if let Ok(Value::Array(items)) = serde_json::from_str::<Value>(t) {
            if items.iter().all(Value::is_string) {
                return Value::Array(items);
            }
        }
    }
    json!(v)
}

impl Reducible for PageState {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let mut s = (*self).clone();
        match msg {
            Msg::SetPolicy(e, text) => match e {
                Editor::Key => s.key_policy = text,
                Editor::Identity(i) => {
                    if let Some(p) = s.identity.get_mut(i) {
                        *p = text;
                    }
                }
                Editor::Scp => s.scp = text,
                Editor::Boundary => s.boundary = text,
                Editor::Session => s.session = text,
            },
            Msg::AddIdentity => {
                if s.identity.len() < MAX_IDENTITY {
                    s.identity.push(String::new());
                }
            }
            Msg::RemoveIdentity(i) => {
                if i < s.identity.len() {
                    s.identity.remove(i);
                }
            }
            Msg::SetField(f, v) => match f {
                Field::Principal => s.principal = v,
                Field::Action => s.action = v,
                Field::Resource => s.resource = v,
                Field::ResourceAccount => s.resource_account = v,
            },
            Msg::SetContextKey(i, v) => {
                if let Some(row) = s.context.get_mut(i) {
                    row.0 = v;
                }
            }
            Msg::SetContextValue(i, v) => {
                if let Some(row) = s.context.get_mut(i) {
                    row.1 = v;
                }
            }
            Msg::AddContext(key) => {
                let exists = !key.is_empty() && s.context.iter().any(|(k, _)| k.eq_ignore_ascii_case(&key));
                if !exists && s.context.len() < MAX_CONTEXT {
                    s.context.push((key, String::new()));
                }
            }
            Msg::RemoveContext(i) => {
                if i < s.context.len() {
                    s.context.remove(i);
                }
            }
            Msg::Load(state) => return Rc::new(*state),
        }
        Rc::new(s)
    }
}
