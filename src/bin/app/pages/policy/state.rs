//! The page's state: the policy texts of every editor and the request being built, the actions
//! that change it, and the evaluation input (`{request, policies}`) it stands for.
//!
//! Plain data for every target, tested natively; no rendering and no policy logic (the engine in
//! `secplay::policy` does that). In the browser it is yew's `Reducible`.

use serde_json::{json, Map, Value};

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

/// The whole page: the document a share link carries, and what the page says about links and
/// templates.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub doc: PageState,
    /// Why the share link in the address bar could not be opened.
    pub share_error: Option<String>,
    /// The share link last made (also in the address bar).
    pub share_url: Option<String>,
    /// Why a template could not be made.
    pub template_error: Option<String>,
}

impl Page {
    /// The page as it opens: the share link's state if the address has one, else `fallback`, with
    /// the reason when the link is damaged (nothing is loaded from a damaged link).
    pub fn open(link: Result<Option<PageState>, String>, fallback: impl FnOnce() -> PageState) -> Self {
        match link {
            Ok(Some(doc)) => Page { doc, ..Page::default() },
            Ok(None) => Page { doc: fallback(), ..Page::default() },
            Err(e) => Page { doc: fallback(), share_error: Some(e), ..Page::default() },
        }
    }

    pub fn reduce(mut self, msg: Msg) -> Self {
        match msg {
            Msg::Opened(Ok(Some(doc))) => {
                self.share_error = None;
                self.doc = *doc;
            }
            Msg::Opened(Ok(None)) => {}
            Msg::Opened(Err(e)) => self.share_error = Some(e),
            Msg::Template(Ok(doc)) => {
                self.template_error = None;
                self.share_url = None;
                self.doc = *doc;
            }
            Msg::Template(Err(e)) => self.template_error = Some(e),
            Msg::Shared(url) => {
                self.share_url = url;
                self.share_error = None;
            }
            edit => self.doc = self.doc.reduce(edit),
        }
        self
    }
}

/// Everything the page can do to its state.
#[derive(Debug)]
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
    /// A share link was read from the address bar: its state, none, or why it is damaged.
    Opened(Result<Option<Box<PageState>>, String>),
    /// A template was chosen: its state, or why it could not be made.
    Template(Result<Box<PageState>, String>),
    /// A share link was made (the whole address, when the browser gave it).
    Shared(Option<String>),
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

impl PageState {
    /// The state after `msg` (page-level messages leave the document as it is).
    pub fn reduce(mut self, msg: Msg) -> Self {
        let s = &mut self;
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
            Msg::Opened(_) | Msg::Template(_) | Msg::Shared(_) => {}
        }
        self
    }
}

reducible!(Page, Msg);

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> PageState {
        PageState {
            key_policy: "key".into(),
            identity: vec!["id0".into(), String::new(), "id2".into()],
            principal: "arn:aws:iam::111122223333:user/alice".into(),
            action: "kms:Decrypt".into(),
            ..PageState::default()
        }
    }

    #[test]
    fn each_editor_edits_its_own_text() {
        let s = doc()
            .reduce(Msg::SetPolicy(Editor::Key, "k2".into()))
            .reduce(Msg::SetPolicy(Editor::Identity(2), "i2".into()))
            .reduce(Msg::SetPolicy(Editor::Scp, "scp".into()))
            .reduce(Msg::SetPolicy(Editor::Boundary, "b".into()))
            .reduce(Msg::SetPolicy(Editor::Session, "se".into()));
        assert_eq!(s.policy(Editor::Key), "k2");
        assert_eq!(s.identity, ["id0", "", "i2"]);
        assert_eq!((s.scp.as_str(), s.boundary.as_str(), s.session.as_str()), ("scp", "b", "se"));
    }

    #[test]
    fn an_editor_that_does_not_exist_changes_nothing() {
        let s = doc().reduce(Msg::SetPolicy(Editor::Identity(9), "lost".into()));
        assert_eq!(s, doc());
        assert_eq!(s.policy(Editor::Identity(9)), "");
        let s = doc().reduce(Msg::RemoveIdentity(3)).reduce(Msg::SetContextKey(0, "k".into()));
        assert_eq!(s, doc());
        assert_eq!(doc().reduce(Msg::RemoveContext(0)).reduce(Msg::SetContextValue(5, "v".into())), doc());
    }

    #[test]
    fn identity_editors_are_bounded() {
        let mut s = PageState::default();
        for _ in 0..MAX_IDENTITY + 3 {
            s = s.reduce(Msg::AddIdentity);
        }
        assert_eq!(s.identity.len(), MAX_IDENTITY);
        let s = s.reduce(Msg::SetPolicy(Editor::Identity(1), "one".into())).reduce(Msg::RemoveIdentity(0));
        assert_eq!(s.identity.len(), MAX_IDENTITY - 1);
        assert_eq!(s.identity.first().map(String::as_str), Some("one"));
    }

    #[test]
    fn request_fields_are_set() {
        let s = PageState::default()
            .reduce(Msg::SetField(Field::Principal, "p".into()))
            .reduce(Msg::SetField(Field::Action, "a".into()))
            .reduce(Msg::SetField(Field::Resource, "r".into()))
            .reduce(Msg::SetField(Field::ResourceAccount, "acct".into()));
        assert_eq!(
            [s.principal, s.action, s.resource, s.resource_account],
            ["p", "a", "r", "acct"].map(String::from)
        );
    }

    #[test]
    fn context_rows_are_added_once_per_key_and_bounded() {
        let s = PageState::default()
            .reduce(Msg::AddContext("aws:SourceIp".into()))
            .reduce(Msg::AddContext("AWS:sourceip".into()))
            .reduce(Msg::AddContext(String::new()))
            .reduce(Msg::AddContext(String::new()))
            .reduce(Msg::SetContextValue(0, "192.0.2.1".into()))
            .reduce(Msg::SetContextKey(1, "kms:ViaService".into()));
        assert_eq!(
            s.context,
            [
                ("aws:SourceIp".to_string(), "192.0.2.1".to_string()),
                ("kms:ViaService".to_string(), String::new()),
                (String::new(), String::new())
            ]
        );
        let mut full = s.clone();
        for i in 0..MAX_CONTEXT + 5 {
            full = full.reduce(Msg::AddContext(format!("k{i}")));
        }
        assert_eq!(full.context.len(), MAX_CONTEXT);
        assert_eq!(s.reduce(Msg::RemoveContext(0)).context.len(), 2);
    }

    #[test]
    fn the_page_opens_a_link_a_fallback_or_says_why_not() {
        let fallback = || PageState { action: "fallback".into(), ..PageState::default() };
        assert_eq!(Page::open(Ok(Some(doc())), fallback), Page { doc: doc(), ..Page::default() });
        assert_eq!(Page::open(Ok(None), fallback).doc.action, "fallback");
        let damaged = Page::open(Err("damaged".into()), fallback);
        assert_eq!(damaged.doc.action, "fallback");
        assert_eq!(damaged.share_error.as_deref(), Some("damaged"));
    }

    #[test]
    fn a_link_opened_later_replaces_the_document_or_only_reports() {
        let p = Page::default().reduce(Msg::Opened(Err("bad".into())));
        assert_eq!(p.share_error.as_deref(), Some("bad"));
        assert_eq!(p.doc, PageState::default());
        let p = p.reduce(Msg::Opened(Ok(None)));
        assert_eq!(p.share_error.as_deref(), Some("bad"), "a hash without a link changes nothing");
        let p = p.reduce(Msg::Opened(Ok(Some(Box::new(doc())))));
        assert_eq!(p, Page { doc: doc(), ..Page::default() });
    }

    #[test]
    fn templates_and_share_links_are_reported() {
        let p = Page::default().reduce(Msg::Shared(Some("https://x/#/policies?s=v1.a".into())));
        assert_eq!(p.share_url.as_deref(), Some("https://x/#/policies?s=v1.a"));
        let p = p.reduce(Msg::Template(Err("no template".into())));
        assert_eq!(p.template_error.as_deref(), Some("no template"));
        assert!(p.share_url.is_some(), "a failed template keeps the link");
        let p = p.reduce(Msg::Template(Ok(Box::new(doc()))));
        assert_eq!(p, Page { doc: doc(), ..Page::default() }, "a template clears the old link and error");
        let p = p.reduce(Msg::SetField(Field::Action, "kms:Encrypt".into()));
        assert_eq!(p.doc.action, "kms:Encrypt");
    }

    #[test]
    fn the_input_leaves_out_empty_editors_and_maps_identity_back() {
        let (input, map) = doc().to_input();
        assert_eq!(map, [0, 2]);
        assert_eq!(input["policies"]["identity"], json!(["id0", "id2"]));
        assert_eq!(input["policies"]["resource"], json!("key"));
        assert!(input["policies"].get("scps").is_none());
        assert_eq!(PageState::editor_of("identity[1]", &map), Some(Editor::Identity(2)));
        assert_eq!(PageState::editor_of("identity[2]", &map), None);
        assert_eq!(PageState::editor_of("identity[x]", &map), None);
        assert_eq!(PageState::editor_of("scps[0][0]", &map), Some(Editor::Scp));
        assert_eq!(PageState::editor_of("resource", &map), Some(Editor::Key));
    }

    #[test]
    fn context_values_in_brackets_are_multivalued_only_when_they_are_string_arrays() {
        let s = PageState {
            context: vec![
                ("a".into(), r#"["x", "y"]"#.into()),
                ("b".into(), "[1, 2]".into()),
                ("c".into(), "[broken".into()),
                (" ".into(), "ignored".into()),
            ],
            ..PageState::default()
        };
        let (input, _) = s.to_input();
        let ctx = &input["request"]["context"];
        assert_eq!(ctx["a"], json!(["x", "y"]));
        assert_eq!(ctx["b"], json!("[1, 2]"));
        assert_eq!(ctx["c"], json!("[broken"));
        assert_eq!(ctx.as_object().map(Map::len), Some(3));
        assert_eq!(input["request"]["principal"], Value::Null);
    }
}
