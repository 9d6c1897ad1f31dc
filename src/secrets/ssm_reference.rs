//! Secrets Manager behind Parameter Store's `/aws/reference/secretsmanager/<id>` names: reading
//! such a parameter (GetParameter / GetParameters, with decryption) is a `GetSecretValue` made as
//! the caller in the caller's region, so the caller needs `secretsmanager:GetSecretValue` on the
//! secret (and, through Secrets Manager, the key's `kms:Decrypt`) besides `ssm:GetParameter`. The
//! answer is a `SecureString` parameter at version 0 whose `Value` is the secret's value,
//! `ARN` the secret's ARN and `SourceResult` the whole `GetSecretValue` response as JSON text.
//! A selector names a version: a version id (a UUID) or else a staging label.
//! <https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html>

use serde_json::{json, Value};

use super::error::SecretsError;
use super::json::tick;
use super::ops::{self, Call};
use super::store::Store;
use crate::kms::auth::resolve;
use crate::kms::world::{CallerContext, World};
use crate::ssm::names::Selector;
use crate::ssm::public::{SecretReferences, REFERENCE_PREFIX};
use crate::ssm::SsmError;

/// A Secrets Manager store answering Parameter Store's references to its secrets.
pub struct References<'s> {
    pub store: &'s mut Store,
}

impl SecretReferences for References<'_> {
    fn resolve(
        &mut self,
        w: &mut World,
        ctx: &CallerContext,
        region: &str,
        secret_id: &str,
        selector: &Selector,
    ) -> Result<Value, SsmError> {
        let name = format!("{REFERENCE_PREFIX}{secret_id}");
        let request = match selector {
            Selector::Latest => json!({ "SecretId": secret_id }),
            Selector::Label(l) if is_version_id(l) => json!({ "SecretId": secret_id, "VersionId": l }),
            Selector::Label(l) => json!({ "SecretId": secret_id, "VersionStage": l }),
            Selector::Version(v) => {
                return Err(SsmError::validation(format!(
                    "{name}:{v}: a Secrets Manager secret is selected by a version id or a staging label, not a version number"
                )))
            }
        };
        let mut ctx = ctx.clone();
        ctx.region = Some(region.to_string());
        tick(w, self.store);
        let who = resolve(w, &ctx).map_err(SsmError::from_kms)?;
        let mut c = Call { w, store: self.store, ctx: &ctx, who };
        let r = ops::dispatch(&mut c, "GetSecretValue", &request).map_err(|e| to_ssm(e, &name))?;
        let value = r.get("SecretString").or_else(|| r.get("SecretBinary")).cloned().unwrap_or(Value::Null);
        Ok(json!({
            "Name": name,
            "Type": "SecureString",
            "Value": value,
            "Version": 0,
            "SourceResult": r.to_string(),
            "LastModifiedDate": r.get("CreatedDate").cloned().unwrap_or(Value::Null),
            "ARN": r.get("ARN").cloned().unwrap_or(Value::Null),
            "DataType": "text",
        }))
    }
}

/// A Secrets Manager version id: 32 hex digits, with or without the UUID's dashes.
fn is_version_id(s: &str) -> bool {
    let hex = s.chars().filter(|c| *c != '-').collect::<String>();
    hex.len() == 32 && hex.chars().all(|c| c.is_ascii_hexdigit()) && (s.len() == 32 || s.len() == 36)
}

/// Secrets Manager's answer as Parameter Store gives it: a denial stays a denial (with its
/// trace), a missing secret or version is a missing parameter, anything else keeps its message.
fn to_ssm(e: SecretsError, name: &str) -> SsmError {
    match e {
        SecretsError::AccessDenied { message, trace } => SsmError::AccessDenied { message, trace },
        SecretsError::Aws { exception: "ResourceNotFoundException", message } => {
            SsmError::not_found(format!("Parameter {name} not found: {message}"))
        }
        SecretsError::Aws { message, .. } => SsmError::validation(message),
    }
}
