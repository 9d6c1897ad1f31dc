//! AWS's public parameters (read-only, readable by every account) and references to Secrets
//! Manager secrets ("Discovering public parameters in Parameter Store",
//! <https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-finding-public-parameters.html>;
//! "Referencing AWS Secrets Manager secrets from Parameter Store parameters",
//! <https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html>).
//!
//! The public parameters here are a few: the global-infrastructure region facts (name, long
//! name, partition, domain) of the regions this table knows, and the Amazon Linux 2023 AMI
//! aliases. The AMI ids AWS publishes change with every release and differ per region; the
//! ids here are stand-ins (well-formed, derived from the region), not AWS's. Not modelled: the
//! thousands of other public parameters.
//!
//! `/aws/reference/secretsmanager/<id>` is answered through [`SecretReferences`]: until the Secrets
//! Manager engine implements it, [`NotWired`] answers with a clear error.

use serde_json::{json, Value};

use super::error::SsmError;
use super::names::Selector;
use crate::kms::time::START_OF_2026;
use crate::kms::world::{CallerContext, World, PARTITION};

/// Names under this prefix reference Secrets Manager secrets.
pub const REFERENCE_PREFIX: &str = "/aws/reference/secretsmanager/";

/// The seam to Secrets Manager: answers a `/aws/reference/secretsmanager/<id>` read with the
/// `Parameter` shape (Name, Type `SecureString`, Value, Version, `SourceResult`, ARN).
pub trait SecretReferences {
    fn resolve(
        &mut self,
        w: &mut World,
        ctx: &CallerContext,
        region: &str,
        secret_id: &str,
        selector: &Selector,
    ) -> Result<Value, SsmError>;
}

/// No Secrets Manager connected yet.
pub struct NotWired;

impl SecretReferences for NotWired {
    fn resolve(
        &mut self,
        _: &mut World,
        _: &CallerContext,
        _: &str,
        id: &str,
        _: &Selector,
    ) -> Result<Value, SsmError> {
        Err(SsmError::not_found(format!(
            "Parameter {REFERENCE_PREFIX}{id} not found: references to Secrets Manager secrets are not connected in this playground yet (the Secrets Manager engine answers them once wired in)"
        )))
    }
}

/// Regions and their long names, as `/aws/service/global-infrastructure/regions/<r>/longName`
/// gives them.
const REGIONS: &[(&str, &str)] = &[
    ("us-east-1", "US East (N. Virginia)"),
    ("us-east-2", "US East (Ohio)"),
    ("us-west-1", "US West (N. California)"),
    ("us-west-2", "US West (Oregon)"),
    ("eu-west-1", "Europe (Ireland)"),
    ("eu-central-1", "Europe (Frankfurt)"),
    ("ap-northeast-1", "Asia Pacific (Tokyo)"),
    ("ap-northeast-2", "Asia Pacific (Seoul)"),
    ("ap-southeast-1", "Asia Pacific (Singapore)"),
];

/// The Amazon Linux 2023 AMI aliases.
const AL2023: &[&str] = &[
    "al2023-ami-kernel-default-x86_64",
    "al2023-ami-kernel-default-arm64",
    "al2023-ami-minimal-kernel-default-x86_64",
];
const AMI_PREFIX: &str = "/aws/service/ami-amazon-linux-latest/";
const REGIONS_PREFIX: &str = "/aws/service/global-infrastructure/regions";

/// One public parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct PublicParameter {
    pub name: String,
    pub value: String,
    pub data_type: &'static str,
}

/// FNV-1a, to derive stand-in AMI ids.
fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Every public parameter seen from `region`.
pub fn all(region: &str) -> Vec<PublicParameter> {
    let mut out = Vec::new();
    for alias in AL2023 {
        let h = fnv(&format!("{region}/{alias}"));
        out.push(PublicParameter {
            name: format!("{AMI_PREFIX}{alias}"),
            value: format!("ami-0{:016x}", h).chars().take(21).collect(),
            data_type: "aws:ec2:image",
        });
    }
    for (r, long) in REGIONS {
        let base = format!("{REGIONS_PREFIX}/{r}");
        out.push(PublicParameter { name: base.clone(), value: r.to_string(), data_type: "text" });
        out.push(PublicParameter {
            name: format!("{base}/longName"),
            value: long.to_string(),
            data_type: "text",
        });
        out.push(PublicParameter {
            name: format!("{base}/partition"),
            value: PARTITION.into(),
            data_type: "text",
        });
        out.push(PublicParameter {
            name: format!("{base}/domain"),
            value: "amazonaws.com".into(),
            data_type: "text",
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// The public parameter `name`, if there is one.
pub fn find(region: &str, name: &str) -> Option<PublicParameter> {
    if !name.starts_with("/aws/service/") {
        return None;
    }
    all(region).into_iter().find(|p| p.name == name)
}

/// The public parameters under `path`.
pub fn under(region: &str, path: &str, recursive: bool) -> Vec<PublicParameter> {
    all(region).into_iter().filter(|p| super::ops::read::under(&p.name, path, recursive)).collect()
}

/// `arn:aws:ssm:REGION::parameter/aws/service/…` (public parameters have no account).
pub fn arn(region: &str, name: &str) -> String {
    format!("arn:{PARTITION}:ssm:{region}::parameter/{}", name.trim_start_matches('/'))
}

/// The `Parameter` shape of a public parameter (always version 1 here).
pub fn parameter_json(region: &str, p: &PublicParameter, selector: Option<String>) -> Value {
    let mut v = json!({
        "Name": p.name,
        "Type": "String",
        "Value": p.value,
        "Version": 1,
        "LastModifiedDate": START_OF_2026,
        "ARN": arn(region, &p.name),
        "DataType": p.data_type,
    });
    if let (Some(s), Some(o)) = (selector, v.as_object_mut()) {
        o.insert("Selector".into(), json!(s));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stand_in_ami_ids_are_well_formed_and_differ_by_region() {
        let a = find("us-east-1", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")
            .unwrap();
        let b = find("eu-west-1", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")
            .unwrap();
        assert!(super::super::ops::put::is_ami_id(&a.value), "{}", a.value);
        assert_ne!(a.value, b.value);
    }
}
