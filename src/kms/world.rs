//! The simulated world the emulator runs in: accounts and their principals (root, IAM users and
//! roles with identity policies, permissions boundaries and tags), SCPs, regions, the keys with
//! their metadata, material, grants and tags, the aliases, the audit log, usage counters and the
//! simulated clock.
//!
//! Plain serde data: the snapshot ([`super::snapshot`]) is this structure, versioned. Policies are
//! kept as the JSON text the user gave (what `GetKeyPolicy` returns) and parsed when a call is
//! authorized (each text once, in the world's policy cache). Key material is kept as the material layer's bytes in [`Zeroizing`] buffers.
//! Not modelled here: IAM groups, organisations beyond SCP levels per account, custom key stores.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::auth::cache::PolicyCache;
use super::error::KmsError;
use super::time::START_OF_2026;

/// The partition every ARN is in.
pub const PARTITION: &str = "aws";

/// The whole emulator state.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct World {
    /// Account id → account.
    pub accounts: BTreeMap<String, Account>,
    /// Regions keys may be created in; the first is the default region of callers.
    pub regions: Vec<String>,
    /// Simulated time, in seconds since the Unix epoch.
    pub now: i64,
    /// Key ARN → key.
    pub keys: BTreeMap<String, Key>,
    /// Alias ARN → alias.
    pub aliases: BTreeMap<String, Alias>,
    /// Every call as a CloudTrail event, oldest first.
    pub audit: Vec<serde_json::Value>,
    /// Requests counted for the cost estimate: account id → request class → count.
    pub usage: BTreeMap<String, BTreeMap<String, u64>>,
    /// Grant token → grant id (tokens stay valid while their grant exists).
    pub grant_tokens: BTreeMap<String, String>,
    /// Parsed policies kept between calls ([`super::auth::cache`]): not data, never serialized,
    /// refilled lazily.
    #[serde(skip)]
    pub policy_cache: PolicyCache,
    /// Access key id → the key's secret and principal: the credentials the local endpoint
    /// verifies SigV4 signatures with ([`super::wire::access_keys`]).
    #[serde(default)]
    pub access_keys: BTreeMap<String, super::wire::access_keys::AccessKey>,
}

/// One AWS account.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub id: String,
    pub name: String,
    /// Service control policies, one list per organisation level (root first), as JSON text.
    pub scps: Vec<Vec<String>>,
    /// Principal ARN → IAM user or role.
    pub principals: BTreeMap<String, Principal>,
}

/// The kind of IAM identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IdentityKind {
    User,
    Role,
}

/// An IAM user or role.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Principal {
    pub arn: String,
    pub kind: IdentityKind,
    /// Policy name → identity policy JSON text (inline and attached alike).
    pub policies: BTreeMap<String, String>,
    pub permissions_boundary: Option<String>,
    /// Principal tags (`aws:PrincipalTag/…`).
    pub tags: BTreeMap<String, String>,
}

/// Who calls and with what request context: the `caller` argument of every call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CallerContext {
    /// An account root, user, role or assumed-role session ARN, or a service principal
    /// (`lambda.amazonaws.com`).
    pub principal: String,
    /// The region called; the world's first region when absent.
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub source_ip: Option<String>,
    /// The service calling on the principal's behalf (`kms:ViaService`), e.g. `s3.us-east-1.amazonaws.com`.
    #[serde(default)]
    pub via_service: Option<String>,
    #[serde(default)]
    pub mfa: Option<bool>,
    /// Session tags (for an assumed-role session), overriding the role's tags.
    #[serde(default)]
    pub tags: Option<BTreeMap<String, String>>,
    /// A session policy, as an object or JSON text.
    #[serde(default)]
    pub session_policy: Option<serde_json::Value>,
    #[serde(default)]
    pub vpc_endpoint: Option<String>,
}

/// The lifecycle state of a key (`KeyState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyState {
    Creating,
    Enabled,
    Disabled,
    PendingDeletion,
    PendingImport,
    PendingReplicaDeletion,
    Unavailable,
    Updating,
}

impl KeyState {
    /// The name AWS uses.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Creating => "Creating",
            KeyState::Enabled => "Enabled",
            KeyState::Disabled => "Disabled",
            KeyState::PendingDeletion => "PendingDeletion",
            KeyState::PendingImport => "PendingImport",
            KeyState::PendingReplicaDeletion => "PendingReplicaDeletion",
            KeyState::Unavailable => "Unavailable",
            KeyState::Updating => "Updating",
        }
    }
}

/// One version of a key's material, as the material layer serializes it.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MaterialVersion {
    /// The key material id (64 hex digits), bound into every ciphertext made with it.
    pub id: String,
    /// When this material was made current (epoch seconds).
    pub created: i64,
    /// `KEY_MATERIAL_CREATED`-style origin of the rotation: `AUTOMATIC`, `ON_DEMAND` or `INITIAL`.
    pub rotation_type: String,
    /// The material; empty while imported material is deleted or expired (pending import).
    #[serde(with = "secret_b64")]
    pub bytes: Zeroizing<Vec<u8>>,
    /// Imported material only: when it expires (epoch seconds), if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<i64>,
    /// Imported material only: the user's `KeyMaterialDescription`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl MaterialVersion {
    /// Whether the material is here (imported material may be deleted or expired).
    pub fn present(&self) -> bool {
        !self.bytes.is_empty()
    }
}

impl std::fmt::Debug for MaterialVersion {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MaterialVersion")
            .field("id", &self.id)
            .field("created", &self.created)
            .field("valid_to", &self.valid_to)
            .field("bytes", &"<redacted>")
            .finish()
    }
}

/// A grant on a key (`ListGrants` shape).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantRecord {
    pub grant_id: String,
    pub name: Option<String>,
    pub grantee_principal: String,
    pub retiring_principal: Option<String>,
    pub issuing_account: String,
    pub operations: Vec<String>,
    pub context_subset: Option<BTreeMap<String, String>>,
    pub context_equals: Option<BTreeMap<String, String>>,
    pub creation_date: i64,
}

/// A KMS key in one region.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Key {
    pub arn: String,
    pub key_id: String,
    pub account: String,
    pub region: String,
    pub description: String,
    pub key_spec: String,
    pub key_usage: String,
    /// `AWS_KMS` or `EXTERNAL`.
    pub origin: String,
    /// `CUSTOMER` or `AWS`.
    pub key_manager: String,
    pub creation_date: i64,
    pub state: KeyState,
    pub deletion_date: Option<i64>,
    pub pending_window_days: Option<u32>,
    /// The key policy as JSON text (policy name `default`).
    pub policy: String,
    pub tags: BTreeMap<String, String>,
    /// Automatic rotation period in days, when automatic rotation is enabled.
    pub rotation_period_days: Option<u32>,
    pub next_rotation: Option<i64>,
    /// Material versions, oldest first; the last is current.
    pub materials: Vec<MaterialVersion>,
    pub on_demand_rotations: u32,
    pub grants: Vec<GrantRecord>,
    pub multi_region: bool,
    /// The primary's key ARN of a multi-region replica.
    pub primary_arn: Option<String>,
    pub last_used: Option<i64>,
    /// Expiry of imported material (epoch seconds), when it expires.
    pub valid_to: Option<i64>,
    /// The state a key in a transitional state (`Creating`, `Updating`) settles into: at the next
    /// call or clock step (see [`crate::kms::ops::multi_region::settle`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settle_to: Option<KeyState>,
    /// EXTERNAL origin: the wrapping key and import token of the last GetParametersForImport.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub import_parameters: Option<ImportParameters>,
    /// EXTERNAL origin: new material imported for an on-demand rotation (`PENDING_ROTATION`),
    /// not yet current.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_rotation: Option<MaterialVersion>,
}

/// What GetParametersForImport handed out: the import token (as hex) and the private half of
/// the wrapping key, valid until `valid_to`.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportParameters {
    pub token: String,
    pub wrapping_algorithm: String,
    pub wrapping_key_spec: String,
    /// The wrapping key pair (PKCS #8), secret.
    #[serde(with = "secret_b64")]
    pub wrapping_key: Zeroizing<Vec<u8>>,
    pub valid_to: i64,
}

impl std::fmt::Debug for ImportParameters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportParameters")
            .field("wrapping_algorithm", &self.wrapping_algorithm)
            .field("wrapping_key_spec", &self.wrapping_key_spec)
            .field("valid_to", &self.valid_to)
            .finish_non_exhaustive()
    }
}

impl Key {
    /// The current material version.
    pub fn current(&self) -> Option<&MaterialVersion> {
        self.materials.last()
    }

    /// A material version by id.
    pub fn material(&self, id: &str) -> Option<&MaterialVersion> {
        self.materials.iter().find(|m| m.id == id)
    }

    /// Whether this is a symmetric encryption key.
    pub fn is_symmetric(&self) -> bool {
        self.key_spec == "SYMMETRIC_DEFAULT"
    }
}

/// An alias in one account and region.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Alias {
    pub name: String,
    pub arn: String,
    pub target_key_id: String,
    pub account: String,
    pub region: String,
    pub creation_date: i64,
    pub last_updated: i64,
}

/// The default accounts of a fresh world.
pub const DEFAULT_ACCOUNTS: [(&str, &str); 2] = [("111122223333", "main"), ("444455556666", "partner")];
/// The default regions of a fresh world.
pub const DEFAULT_REGIONS: [&str; 3] = ["us-east-1", "us-west-2", "eu-west-1"];
/// The administrator role every default account has (`Action: *`).
pub const ADMIN_ROLE: &str = "Admin";
const ADMIN_POLICY: &str =
    r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#;

impl World {
    /// A fresh world: two accounts (`111122223333` main, `444455556666` partner), each with an
    /// `Admin` role allowed everything, three regions, the clock at 2026-01-01T00:00:00Z.
    pub fn new() -> World {
        let mut w = World {
            regions: DEFAULT_REGIONS.iter().map(|r| r.to_string()).collect(),
            now: START_OF_2026,
            ..World::default()
        };
        for (id, name) in DEFAULT_ACCOUNTS {
            // The ids are valid constants: this cannot fail.
            if w.add_account(id, name).is_ok() {
                let arn = role_arn(id, ADMIN_ROLE);
                let _ = w.add_principal(&arn, None);
                let _ = w.put_identity_policy(&arn, "AdministratorAccess", ADMIN_POLICY);
            }
        }
        w
    }

    /// The default region of callers that name none.
    pub fn default_region(&self) -> &str {
        self.regions.first().map_or("us-east-1", String::as_str)
    }

    /// Adds an account (12 digits).
    pub fn add_account(&mut self, id: &str, name: &str) -> Result<(), KmsError> {
        if id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(KmsError::validation(format!("account id `{id}` must be 12 digits")));
        }
        if self.accounts.contains_key(id) {
            return Err(KmsError::already_exists(format!("account `{id}` already exists")));
        }
        self.accounts.insert(
            id.to_string(),
            Account { id: id.to_string(), name: name.to_string(), ..Account::default() },
        );
        Ok(())
    }

    /// Adds a region.
    pub fn add_region(&mut self, region: &str) -> Result<(), KmsError> {
        let ok = !region.is_empty()
            && region.len() <= 32
            && region.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            return Err(KmsError::validation(format!(
                "`{region}` is not a region name such as `eu-central-1`"
            )));
        }
        if !self.regions.iter().any(|r| r == region) {
            self.regions.push(region.to_string());
        }
        Ok(())
    }

    /// Adds an IAM user (`arn:aws:iam::ACCOUNT:user/NAME`) or role (`…:role/NAME`).
    pub fn add_principal(
        &mut self,
        arn: &str,
        tags: Option<BTreeMap<String, String>>,
    ) -> Result<(), KmsError> {
        let (account, kind) = parse_identity_arn(arn)?;
        let acct = self.accounts.get_mut(&account).ok_or_else(|| {
            KmsError::not_found(format!("account `{account}` does not exist; add it first"))
        })?;
        if acct.principals.contains_key(arn) {
            return Err(KmsError::already_exists(format!("principal `{arn}` already exists")));
        }
        acct.principals.insert(
            arn.to_string(),
            Principal {
                arn: arn.to_string(),
                kind,
                policies: BTreeMap::new(),
                permissions_boundary: None,
                tags: tags.unwrap_or_default(),
            },
        );
        Ok(())
    }

    fn principal_mut(&mut self, arn: &str) -> Result<&mut Principal, KmsError> {
        let (account, _) = parse_identity_arn(arn)?;
        self.accounts
            .get_mut(&account)
            .and_then(|a| a.principals.get_mut(arn))
            .ok_or_else(|| KmsError::not_found(format!("principal `{arn}` does not exist; add it first")))
    }

    /// Sets (or replaces) an identity policy of a user or role; the text is checked to parse.
    pub fn put_identity_policy(&mut self, arn: &str, name: &str, policy: &str) -> Result<(), KmsError> {
        check_policy(policy)?;
        self.principal_mut(arn)?.policies.insert(name.to_string(), policy.to_string());
        Ok(())
    }

    /// Removes an identity policy.
    pub fn delete_identity_policy(&mut self, arn: &str, name: &str) -> Result<(), KmsError> {
        self.principal_mut(arn)?
            .policies
            .remove(name)
            .map(|_| ())
            .ok_or_else(|| KmsError::not_found(format!("principal `{arn}` has no policy `{name}`")))
    }

    /// Sets or clears a permissions boundary.
    pub fn set_permissions_boundary(&mut self, arn: &str, policy: Option<&str>) -> Result<(), KmsError> {
        if let Some(p) = policy {
            check_policy(p)?;
        }
        self.principal_mut(arn)?.permissions_boundary = policy.map(str::to_string);
        Ok(())
    }

    /// Sets the SCP levels of an account (root level first; empty = no organisation).
    pub fn set_scps(&mut self, account: &str, levels: Vec<Vec<String>>) -> Result<(), KmsError> {
        for p in levels.iter().flatten() {
            check_policy(p)?;
        }
        let acct = self
            .accounts
            .get_mut(account)
            .ok_or_else(|| KmsError::not_found(format!("account `{account}` does not exist")))?;
        acct.scps = levels;
        Ok(())
    }
}

/// Checks that a policy text parses.
pub fn check_policy(policy: &str) -> Result<(), KmsError> {
    crate::policy::parse_policy(policy)
        .map(|_| ())
        .map_err(|e| KmsError::malformed_policy(format!("the policy does not parse: {e}")))
}

/// `arn:aws:iam::ACCOUNT:role/NAME`.
pub fn role_arn(account: &str, name: &str) -> String {
    format!("arn:{PARTITION}:iam::{account}:role/{name}")
}

/// `arn:aws:iam::ACCOUNT:root`.
pub fn root_arn(account: &str) -> String {
    format!("arn:{PARTITION}:iam::{account}:root")
}

/// Account and kind of an IAM user or role ARN.
fn parse_identity_arn(arn: &str) -> Result<(String, IdentityKind), KmsError> {
    let bad = || {
        KmsError::validation(format!(
            "`{arn}` is not an IAM user or role ARN such as `arn:aws:iam::111122223333:user/alice`"
        ))
    };
    let rest = arn.strip_prefix("arn:aws:iam::").ok_or_else(bad)?;
    let (account, resource) = rest.split_once(':').ok_or_else(bad)?;
    let kind = if resource.strip_prefix("user/").is_some_and(|n| !n.is_empty()) {
        IdentityKind::User
    } else if resource.strip_prefix("role/").is_some_and(|n| !n.is_empty()) {
        IdentityKind::Role
    } else {
        return Err(bad());
    };
    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) || arn.len() > 2048 {
        return Err(bad());
    }
    Ok((account.to_string(), kind))
}

/// Serde for secret bytes as base64 text; the buffer is zeroized when dropped.
mod secret_b64 {
    use base64::Engine as _;
    use serde::{Deserialize, Deserializer, Serializer};
    use zeroize::Zeroizing;

    pub fn serialize<S: Serializer>(v: &Zeroizing<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        let text = Zeroizing::new(base64::engine::general_purpose::STANDARD.encode(v.as_slice()));
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Zeroizing<Vec<u8>>, D::Error> {
        let text = Zeroizing::new(String::deserialize(d)?);
        base64::engine::general_purpose::STANDARD
            .decode(text.as_bytes())
            .map(Zeroizing::new)
            .map_err(serde::de::Error::custom)
    }
}
