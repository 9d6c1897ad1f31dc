//! AWS-managed keys (`alias/aws/<service>`): made by KMS the first time a service uses one on a
//! caller's behalf, with the AWS-managed key policy, and free of charge.
//!
//! When a call comes through a service (the caller's `viaService`, e.g. `s3.us-east-1.amazonaws.com`)
//! and names `alias/aws/s3` of the caller's account and region (as `KeyId`, `SourceKeyId` or
//! `DestinationKeyId`, by name or ARN) that does not exist yet, the key is created first: a
//! symmetric key with `KeyManager` `AWS`, the alias, automatic rotation every 365 days, and the
//! policy AWS gives these keys (KMS developer guide, "AWS managed keys",
//! https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#aws-managed-key): the
//! cryptographic operations for every principal of the account, only through that service
//! (`kms:ViaService` and `kms:CallerAccount`), and `Describe*`, `Get*`, `List*` for the account.
//! Nobody can change, disable or delete such a key: its policy allows no management action, so
//! PutKeyPolicy, ScheduleKeyDeletion, DisableKey, TagResource… answer `AccessDeniedException`, as
//! they do in AWS. The creation is logged as a `CreateKey` service event.
//!
//! Not modelled: the aliases AWS lists before the keys exist, and AWS-owned keys.

use serde_json::Value;

use super::super::audit;
use super::super::error::KmsError;
use super::super::time::DAY;
use super::super::world::{root_arn, Key, KeyState, World};
use super::{alias_arn, crypto, key_arn, uuid, Call};
use crate::kms::world::{Alias, PARTITION};

/// Members that name keys.
const KEY_MEMBERS: &[&str] = &["KeyId", "SourceKeyId", "DestinationKeyId"];
/// Aliases whose service calls KMS under another name.
const SERVICE_NAMES: &[(&str, &str)] = &[("ebs", "ec2")];
/// AWS-managed keys rotate every year.
pub const ROTATION_DAYS: u32 = 365;

/// The AWS-managed key policy for `service` (its endpoint, e.g. `s3.us-east-1.amazonaws.com`).
pub fn managed_key_policy(account: &str, service_host: &str, service: &str) -> String {
    serde_json::json!({
        "Version": "2012-10-17",
        "Id": format!("auto-{service}-2"),
        "Statement": [
            {
                "Sid": format!("Allow access through {service} for all principals in the account that are authorized to use {service}"),
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
                "Condition": {"StringEquals": {"kms:CallerAccount": account, "kms:ViaService": service_host}},
            },
            {
                "Sid": "Allow direct access to key metadata to the account",
                "Effect": "Allow",
                "Principal": {"AWS": root_arn(account)},
                "Action": ["kms:Describe*", "kms:Get*", "kms:List*"],
                "Resource": "*",
            },
        ],
    })
    .to_string()
}

/// The `<service>` of `alias/aws/<service>` (or its ARN in `account` and `region`).
fn managed_alias<'a>(key_id: &'a str, account: &str, region: &str) -> Option<&'a str> {
    let prefix = format!("arn:{PARTITION}:kms:{region}:{account}:");
    let name = key_id.strip_prefix(prefix.as_str()).unwrap_or(key_id);
    name.strip_prefix("alias/aws/").filter(|s| !s.is_empty() && !s.contains('/'))
}

/// Creates the AWS-managed keys a call through a service names, if they do not exist yet.
pub fn on_first_use(w: &mut World, c: &Call<'_>, request: &Value) -> Result<(), KmsError> {
    let (Some(via), Some(account)) = (&c.ctx.via_service, &c.who.account) else {
        return Ok(());
    };
    let region = c.who.region.clone();
    for member in KEY_MEMBERS {
        let Some(id) = request.get(*member).and_then(Value::as_str) else { continue };
        let Some(service) = managed_alias(id, account, &region) else { continue };
        let calls_as = SERVICE_NAMES.iter().find(|(a, _)| *a == service).map_or(service, |(_, s)| *s);
        if *via != format!("{calls_as}.{region}.amazonaws.com") {
            continue;
        }
        let name = format!("alias/aws/{service}");
        let a_arn = alias_arn(&region, account, &name);
        if w.aliases.contains_key(&a_arn) {
            continue;
        }
        let key_id = uuid()?;
        let arn = key_arn(&region, account, &key_id);
        let k = Key {
            arn: arn.clone(),
            key_id: key_id.clone(),
            account: account.clone(),
            region: region.clone(),
            description: format!(
                "Default key that protects my {service} resources when no other key is defined"
            ),
            key_spec: "SYMMETRIC_DEFAULT".into(),
            key_usage: "ENCRYPT_DECRYPT".into(),
            origin: "AWS_KMS".into(),
            key_manager: "AWS".into(),
            creation_date: w.now,
            state: KeyState::Enabled,
            deletion_date: None,
            pending_window_days: None,
            policy: managed_key_policy(account, via, service),
            tags: Default::default(),
            rotation_period_days: Some(ROTATION_DAYS),
            next_rotation: Some(w.now + i64::from(ROTATION_DAYS) * DAY),
            materials: vec![crypto::new_material("SYMMETRIC_DEFAULT", w.now, "INITIAL")?],
            on_demand_rotations: 0,
            grants: Vec::new(),
            multi_region: false,
            primary_arn: None,
            last_used: None,
            valid_to: None,
            settle_to: None,
            import_parameters: None,
            pending_rotation: None,
        };
        w.keys.insert(arn.clone(), k);
        w.aliases.insert(
            a_arn.clone(),
            Alias {
                name,
                arn: a_arn,
                target_key_id: key_id,
                account: account.clone(),
                region: region.clone(),
                creation_date: w.now,
                last_updated: w.now,
            },
        );
        audit::record_service_event(w, "CreateKey", &arn);
    }
    Ok(())
}
