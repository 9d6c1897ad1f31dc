//! The template menu: situations from the notes, each a set of policies (made by the engine's
//! `policy_template`) and a request that shows what they do.

use secplay::policy::json::policy_template;
use serde_json::{json, Value};

use super::state::PageState;

const ACCOUNT: &str = "111122223333";
const EXTERNAL: &str = "444455556666";
const REGION: &str = "us-east-1";
const KEY_ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const APP_ROLE: &str = "arn:aws:iam::111122223333:role/App";
const ADMIN_ROLE: &str = "arn:aws:iam::111122223333:role/KeyAdmin";

/// One entry of the menu.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    DefaultKey,
    ConsoleKey,
    CrossAccount,
    ParameterStore,
}

impl Preset {
    pub const ALL: [Preset; 4] =
        [Preset::DefaultKey, Preset::ConsoleKey, Preset::CrossAccount, Preset::ParameterStore];

    /// The button's element id.
    pub fn id(self) -> &'static str {
        match self {
            Preset::DefaultKey => "tpl-default",
            Preset::ConsoleKey => "tpl-console",
            Preset::CrossAccount => "tpl-cross-account",
            Preset::ParameterStore => "tpl-parameter-store",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Preset::DefaultKey => "Default key policy",
            Preset::ConsoleKey => "Console key policy",
            Preset::CrossAccount => "Cross-account key sharing",
            Preset::ParameterStore => "Parameter Store path",
        }
    }

    /// What the preset shows, in one sentence.
    pub fn description(self) -> &'static str {
        match self {
            Preset::DefaultKey => "CreateKey's default policy delegates to the account: IAM policies decide who may use the key.",
            Preset::ConsoleKey => "The console's policy: key administrators manage the key, key users use it; nobody needs an IAM policy.",
            Preset::CrossAccount => "The key policy lets account 444455556666 use the key; that account's IAM policy must allow it too.",
            Preset::ParameterStore => "Read parameters under /my-department/my-app/ and decrypt SecureStrings only through SSM (kms:ViaService).",
        }
    }

    /// The page state of the preset, made from the engine's templates.
    pub fn state(self) -> Result<PageState, String> {
        let template = |name: &str, params: Value| -> Result<String, String> {
            let v = policy_template(name, &params).map_err(|e| e.to_string())?;
            v.get("policy")
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("the engine's template `{name}` returned no policy text"))
        };
        let key_user = || template("crossAccountIdentityPolicy", json!({"keyArn": KEY_ARN}));
        let mut s = PageState {
            principal: APP_ROLE.into(),
            action: "kms:Decrypt".into(),
            resource: KEY_ARN.into(),
            ..PageState::default()
        };
        match self {
            Preset::DefaultKey => {
                s.key_policy = template("defaultKeyPolicy", json!({"account": ACCOUNT}))?;
                s.identity = vec![key_user()?];
            }
            Preset::ConsoleKey => {
                s.key_policy = template(
                    "consoleKeyPolicy",
                    json!({"account": ACCOUNT, "administrators": [ADMIN_ROLE], "users": [APP_ROLE]}),
                )?;
            }
            Preset::CrossAccount => {
                s.key_policy = template(
                    "crossAccountKeyPolicy",
                    json!({"account": ACCOUNT, "externalAccount": EXTERNAL}),
                )?;
                s.identity = vec![key_user()?];
                s.principal = format!("arn:aws:iam::{EXTERNAL}:role/Partner");
            }
            Preset::ParameterStore => {
                s.key_policy = template("defaultKeyPolicy", json!({"account": ACCOUNT}))?;
                s.identity = vec![template(
                    "parameterStorePathPolicy",
                    json!({"region": REGION, "account": ACCOUNT, "path": "/my-department/my-app/", "keyArn": KEY_ARN}),
                )?];
                s.context = vec![("kms:ViaService".into(), format!("ssm.{REGION}.amazonaws.com"))];
            }
        }
        Ok(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_preset_makes_a_state_with_a_key_policy() {
        for p in Preset::ALL {
            let s = p.state().unwrap_or_else(|e| panic!("{}: {e}", p.id()));
            assert!(s.key_policy.contains("Statement"), "{}", p.id());
            assert!(!p.title().is_empty() && !p.description().is_empty());
        }
    }

    #[test]
    fn preset_ids_are_distinct() {
        for (i, p) in Preset::ALL.iter().enumerate() {
            assert!(!Preset::ALL.iter().skip(i + 1).any(|q| q.id() == p.id()), "{}", p.id());
        }
    }
}
