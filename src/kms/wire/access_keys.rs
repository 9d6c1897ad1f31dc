//! Access keys: the credentials a SigV4-signing client (the AWS CLI, boto3) uses against the
//! local endpoint. Each maps an access key id to its secret and to the IAM user or role whose
//! calls it signs; the world keeps them (`accessKeys` in the snapshot).
//!
//! Ids are 20 characters, `AKIA` for a user's key and `ASIA` for a role's (AWS's prefixes for
//! long-term and temporary credentials; no session token is asked for), then 16 random
//! base-32 characters. Secrets are 40 random characters of the base-64 alphabet, as AWS's are.
//! A secret is key material: it is never logged, audited or shown by `Kms.world()`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::kms::error::KmsError;
use crate::kms::world::{role_arn, IdentityKind, World, ADMIN_ROLE};

/// The most access keys one principal may have (AWS: 2 per IAM user; more here for tests).
pub const MAX_PER_PRINCIPAL: usize = 8;

/// One access key.
#[derive(Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessKey {
    /// The IAM user or role ARN whose calls this key signs.
    pub principal: String,
    #[serde(with = "secret_text")]
    pub secret: Zeroizing<String>,
    /// When it was made (simulated clock, epoch seconds).
    pub created: i64,
}

impl std::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessKey")
            .field("principal", &self.principal)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// New credentials: the id and the secret.
#[derive(Clone)]
pub struct Credentials {
    pub access_key_id: String,
    pub secret: Zeroizing<String>,
    pub principal: String,
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn random_text(alphabet: &[u8], n: usize) -> Result<Zeroizing<String>, KmsError> {
    let mut raw = Zeroizing::new(vec![0u8; n]);
    getrandom::fill(raw.as_mut_slice()).map_err(|e| KmsError::kms_internal(format!("no randomness: {e}")))?;
    let mut out = Zeroizing::new(String::with_capacity(n));
    for b in raw.iter() {
        // Both alphabets have a power-of-two length, so the modulus is unbiased.
        let c = alphabet.get(usize::from(*b) % alphabet.len()).copied().unwrap_or(b'A');
        out.push(char::from(c));
    }
    Ok(out)
}

/// Makes an access key for an existing IAM user or role of the world.
pub fn create(w: &mut World, principal: &str) -> Result<Credentials, KmsError> {
    let kind =
        w.accounts.values().find_map(|a| a.principals.get(principal)).map(|p| p.kind).ok_or_else(|| {
            KmsError::not_found(format!("principal `{principal}` does not exist; add it first"))
        })?;
    if w.access_keys.values().filter(|k| k.principal == principal).count() >= MAX_PER_PRINCIPAL {
        return Err(KmsError::limit_exceeded(format!(
            "principal `{principal}` already has {MAX_PER_PRINCIPAL} access keys"
        )));
    }
    let prefix = if kind == IdentityKind::User { "AKIA" } else { "ASIA" };
    let id = loop {
        let id = format!("{prefix}{}", random_text(BASE32, 16)?.as_str());
        if !w.access_keys.contains_key(&id) {
            break id;
        }
    };
    let secret = random_text(BASE64, 40)?;
    w.access_keys.insert(
        id.clone(),
        AccessKey { principal: principal.to_string(), secret: secret.clone(), created: w.now },
    );
    Ok(Credentials { access_key_id: id, secret, principal: principal.to_string() })
}

/// The credentials of the first account's `Admin` role: its first access key, made when it has
/// none. The local endpoint prints them on start.
pub fn admin(w: &mut World) -> Result<Credentials, KmsError> {
    let account = w
        .accounts
        .keys()
        .next()
        .cloned()
        .ok_or_else(|| KmsError::not_found("the world has no account; add one first"))?;
    let principal = role_arn(&account, ADMIN_ROLE);
    if let Some((id, k)) = w.access_keys.iter().find(|(_, k)| k.principal == principal) {
        return Ok(Credentials { access_key_id: id.clone(), secret: k.secret.clone(), principal });
    }
    create(w, &principal)
}

/// Access key id → principal, without the secrets (for display).
pub fn list(w: &World) -> BTreeMap<String, String> {
    w.access_keys.iter().map(|(id, k)| (id.clone(), k.principal.clone())).collect()
}

/// Serde for a secret string; the buffer is zeroized when dropped.
mod secret_text {
    use serde::{Deserialize, Deserializer, Serializer};
    use zeroize::Zeroizing;

    pub fn serialize<S: Serializer>(v: &Zeroizing<String>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Zeroizing<String>, D::Error> {
        String::deserialize(d).map(Zeroizing::new)
    }
}
