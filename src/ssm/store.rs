//! The Parameter Store's state beside the KMS world: per account and region, the parameters with
//! every version kept (at most 100), their labels, tags and policies; the EventBridge events
//! emitted; the API interactions counted for the cost estimate; and how far the simulated clock
//! has been evaluated for parameter policies.
//!
//! Plain serde data. A SecureString version holds only its ciphertext (the KMS blob, or for an
//! advanced parameter the envelope of [`super::crypto`]), never the plaintext.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::policies::ParameterPolicy;

/// Parameters kept per account and region (every version but the newest is history).
pub const MAX_VERSIONS: usize = 100;
/// Standard parameters per account and region.
pub const MAX_STANDARD: usize = 10_000;
/// Advanced parameters per account and region.
pub const MAX_ADVANCED: usize = 100_000;
/// Value size of a standard parameter (characters).
pub const STANDARD_VALUE: usize = 4096;
/// Value size of an advanced parameter (characters).
pub const ADVANCED_VALUE: usize = 8192;
/// EventBridge events kept (oldest dropped first).
pub const MAX_EVENTS: usize = 10_000;

/// `String`, `StringList` or `SecureString`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParamType {
    String,
    StringList,
    SecureString,
}

impl ParamType {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "String",
            ParamType::StringList => "StringList",
            ParamType::SecureString => "SecureString",
        }
    }

    pub fn parse(s: &str) -> Option<ParamType> {
        match s {
            "String" => Some(ParamType::String),
            "StringList" => Some(ParamType::StringList),
            "SecureString" => Some(ParamType::SecureString),
            _ => None,
        }
    }
}

/// `Standard` or `Advanced` (`Intelligent-Tiering` is a request option that picks one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tier {
    Standard,
    Advanced,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Standard => "Standard",
            Tier::Advanced => "Advanced",
        }
    }

    pub fn max_value(self) -> usize {
        match self {
            Tier::Standard => STANDARD_VALUE,
            Tier::Advanced => ADVANCED_VALUE,
        }
    }
}

/// The stored value of one version.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind", content = "data")]
pub enum StoredValue {
    /// `String` and `StringList`: the text.
    Plain(String),
    /// `SecureString` of a standard parameter: the KMS `Encrypt` ciphertext blob, base64.
    Kms(String),
    /// `SecureString` of an advanced parameter: the envelope of [`super::crypto`], base64.
    Envelope(String),
}

impl std::fmt::Debug for StoredValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoredValue::Plain(s) => f.debug_tuple("Plain").field(&s.len()).finish(),
            StoredValue::Kms(_) => f.write_str("Kms(<ciphertext>)"),
            StoredValue::Envelope(_) => f.write_str("Envelope(<ciphertext>)"),
        }
    }
}

/// One version of a parameter, with the metadata it was written with (GetParameterHistory).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Version {
    pub version: i64,
    pub param_type: ParamType,
    pub value: StoredValue,
    /// The KMS key of a SecureString, as given (`alias/aws/ssm` by default).
    pub key_id: Option<String>,
    pub description: String,
    pub allowed_pattern: String,
    pub data_type: String,
    pub tier: Tier,
    pub policies: Vec<ParameterPolicy>,
    pub labels: Vec<String>,
    pub last_modified: i64,
    pub last_modified_user: String,
}

/// A parameter: its versions, oldest first (the last is current), and its tags.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Parameter {
    pub name: String,
    pub versions: Vec<Version>,
    pub tags: BTreeMap<String, String>,
}

impl Parameter {
    /// The newest version (a parameter always has one).
    pub fn current(&self) -> Option<&Version> {
        self.versions.last()
    }

    pub fn version(&self, v: i64) -> Option<&Version> {
        self.versions.iter().find(|x| x.version == v)
    }

    pub fn labelled(&self, label: &str) -> Option<&Version> {
        self.versions.iter().find(|x| x.labels.iter().any(|l| l == label))
    }
}

/// The parameters of one account in one region, by name.
pub type Region = BTreeMap<String, Parameter>;

/// The whole Parameter Store state.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Store {
    /// `ACCOUNT:REGION` → parameters.
    pub regions: BTreeMap<String, Region>,
    /// EventBridge events emitted (`Parameter Store Change`, `Parameter Store Policy Action`),
    /// oldest first.
    pub events: Vec<serde_json::Value>,
    /// `ACCOUNT:REGION` → API interactions, for the cost estimate.
    pub api_calls: BTreeMap<String, u64>,
    /// The simulated time up to which parameter policies have been evaluated.
    pub evaluated_to: Option<i64>,
}

/// The key of [`Store::regions`].
pub fn scope(account: &str, region: &str) -> String {
    format!("{account}:{region}")
}

impl Store {
    pub fn new() -> Store {
        Store::default()
    }

    pub fn region(&self, account: &str, region: &str) -> Option<&Region> {
        self.regions.get(&scope(account, region))
    }

    pub fn region_mut(&mut self, account: &str, region: &str) -> &mut Region {
        self.regions.entry(scope(account, region)).or_default()
    }

    pub fn get(&self, account: &str, region: &str, name: &str) -> Option<&Parameter> {
        self.region(account, region).and_then(|r| r.get(name))
    }

    /// How many parameters of a tier one account has in one region.
    pub fn count(&self, account: &str, region: &str, tier: Tier) -> usize {
        self.region(account, region)
            .map(|r| r.values().filter(|p| p.current().is_some_and(|v| v.tier == tier)).count())
            .unwrap_or(0)
    }

    /// Records an EventBridge event, dropping the oldest beyond [`MAX_EVENTS`].
    pub fn emit(&mut self, event: serde_json::Value) {
        if self.events.len() >= MAX_EVENTS {
            self.events.remove(0);
        }
        self.events.push(event);
    }
}
