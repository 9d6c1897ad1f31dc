//! Known condition keys (AWS global `aws:` keys and the KMS `kms:` keys) with their value type
//! and whether they are multivalued, for validation.
//!
//! Evaluation does not need this table (any key may appear in a request context); validation
//! uses it to flag unknown global keys, operator/type mismatches and set-operator misuse.
//! Source: the IAM User Guide's global condition context keys page and the KMS developer guide.

/// The value type of a condition key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyType {
    String,
    Arn,
    Ip,
    Date,
    Numeric,
    Bool,
}

/// A known key: name (a trailing `/` marks a prefix such as `aws:PrincipalTag/`), type, and
/// whether it is multivalued.
pub struct KnownKey {
    pub name: &'static str,
    pub kind: KeyType,
    pub multi: bool,
}

const fn k(name: &'static str, kind: KeyType, multi: bool) -> KnownKey {
    KnownKey { name, kind, multi }
}

use KeyType::{Arn, Bool, Date, Ip, Numeric, String as Str};

/// Global condition keys.
pub const GLOBAL_KEYS: &[KnownKey] = &[
    k("aws:AssumedRoot", Bool, false),
    k("aws:CalledVia", Str, true),
    k("aws:CalledViaFirst", Str, false),
    k("aws:CalledViaLast", Str, false),
    k("aws:ChatbotSourceArn", Arn, false),
    k("aws:CurrentTime", Date, false),
    k("aws:Ec2InstanceSourcePrivateIPv4", Ip, false),
    k("aws:Ec2InstanceSourceVpc", Str, false),
    k("aws:EpochTime", Date, false),
    k("aws:FederatedProvider", Str, false),
    k("aws:MultiFactorAuthAge", Numeric, false),
    k("aws:MultiFactorAuthPresent", Bool, false),
    k("aws:PrincipalAccount", Str, false),
    k("aws:PrincipalArn", Arn, false),
    k("aws:PrincipalIsAWSService", Bool, false),
    k("aws:PrincipalOrgID", Str, false),
    k("aws:PrincipalOrgPaths", Str, true),
    k("aws:PrincipalServiceName", Str, false),
    k("aws:PrincipalServiceNamesList", Str, true),
    k("aws:PrincipalTag/", Str, false),
    k("aws:PrincipalType", Str, false),
    k("aws:Referer", Str, false),
    k("aws:RequestedRegion", Str, false),
    k("aws:RequestTag/", Str, false),
    k("aws:ResourceAccount", Str, false),
    k("aws:ResourceOrgID", Str, false),
    k("aws:ResourceOrgPaths", Str, true),
    k("aws:ResourceTag/", Str, false),
    k("aws:SecureTransport", Bool, false),
    k("aws:SourceAccount", Str, false),
    k("aws:SourceArn", Arn, false),
    k("aws:SourceIdentity", Str, false),
    k("aws:SourceIp", Ip, false),
    k("aws:SourceOrgID", Str, false),
    k("aws:SourceOrgPaths", Str, true),
    k("aws:SourceVpc", Str, false),
    k("aws:SourceVpcArn", Arn, false),
    k("aws:SourceVpce", Str, false),
    k("aws:TagKeys", Str, true),
    k("aws:TokenIssueTime", Date, false),
    k("aws:UserAgent", Str, false),
    k("aws:userid", Str, false),
    k("aws:username", Str, false),
    k("aws:ViaAWSService", Bool, false),
    k("aws:VpceAccount", Str, false),
    k("aws:VpceOrgID", Str, false),
    k("aws:VpceOrgPaths", Str, true),
    k("aws:VpcSourceIp", Ip, false),
];

/// AWS KMS condition keys.
pub const KMS_KEYS: &[KnownKey] = &[
    k("kms:BypassPolicyLockoutSafetyCheck", Bool, false),
    k("kms:CallerAccount", Str, false),
    k("kms:CustomerMasterKeySpec", Str, false),
    k("kms:CustomerMasterKeyUsage", Str, false),
    k("kms:DataKeyPairSpec", Str, false),
    k("kms:EncryptionAlgorithm", Str, false),
    k("kms:EncryptionContext:", Str, false),
    k("kms:EncryptionContextKeys", Str, true),
    k("kms:ExpirationModel", Str, false),
    k("kms:GrantConstraintType", Str, false),
    k("kms:GranteePrincipal", Str, false),
    k("kms:GrantIsForAWSResource", Bool, false),
    k("kms:GrantOperations", Str, true),
    k("kms:KeyAgreementAlgorithm", Str, false),
    k("kms:KeyOrigin", Str, false),
    k("kms:KeySpec", Str, false),
    k("kms:KeyUsage", Str, false),
    k("kms:MacAlgorithm", Str, false),
    k("kms:MessageType", Str, false),
    k("kms:MultiRegion", Bool, false),
    k("kms:MultiRegionKeyType", Str, false),
    k("kms:PrimaryRegion", Str, false),
    k("kms:ReEncryptOnSameKey", Bool, false),
    k("kms:ReplicaRegion", Str, false),
    k("kms:RequestAlias", Str, false),
    k("kms:ResourceAliases", Str, true),
    k("kms:RetiringPrincipal", Str, false),
    k("kms:RotationPeriodInDays", Numeric, false),
    k("kms:ScheduleKeyDeletionPendingWindowInDays", Numeric, false),
    k("kms:SigningAlgorithm", Str, false),
    k("kms:ValidTo", Date, false),
    k("kms:ViaService", Str, false),
    k("kms:WrappingAlgorithm", Str, false),
    k("kms:WrappingKeySpec", Str, false),
];

/// Looks a key up (case-insensitively) in the known tables.
pub fn lookup(key: &str) -> Option<&'static KnownKey> {
    let lower = key.to_ascii_lowercase();
    GLOBAL_KEYS.iter().chain(KMS_KEYS.iter()).find(|k| {
        let name = k.name.to_ascii_lowercase();
        if name.ends_with('/') || name.ends_with(':') {
            lower.starts_with(&name) && lower.len() > name.len()
        } else {
            lower == name
        }
    })
}

/// Whether the key is in a namespace whose keys this table lists completely enough to flag
/// unknown ones (only `aws:`).
pub fn is_global(key: &str) -> bool {
    key.len() > 4 && key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups() {
        assert_eq!(lookup("aws:sourceip").unwrap().kind, KeyType::Ip);
        assert!(lookup("aws:PrincipalTag/team").is_some());
        assert!(lookup("aws:PrincipalTag/").is_none());
        assert!(lookup("aws:TagKeys").unwrap().multi);
        assert!(lookup("kms:EncryptionContext:aws:s3:arn").is_some());
        assert!(lookup("aws:SourceIpAddress").is_none());
        assert!(is_global("AWS:x") && !is_global("kms:x"));
    }
}
