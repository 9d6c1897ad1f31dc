//! AWS KMS key identifiers as the ESDK reads them (spec `framework/aws-kms/aws-kms-key-arn.md`
//! and `aws-kms-mrk-match-for-decrypt.md`): ARN parsing, multi-Region key (MRK) identification
//! and the MRK match used on decrypt.
//!
//! Not the authority on ARNs (AWS is): only the rules the keyrings apply.

/// A parsed AWS KMS ARN: `arn:PARTITION:kms:REGION:ACCOUNT:TYPE/ID`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KmsArn {
    pub partition: String,
    pub region: String,
    pub account: String,
    /// `key` or `alias`.
    pub resource_type: String,
    /// The key id or alias name (may hold further `/`).
    pub resource_id: String,
}

impl KmsArn {
    /// Parses a valid AWS KMS ARN (six `:`-separated parts, service `kms`, resource `key/…` or
    /// `alias/…`, no part empty); the error says which rule failed.
    pub fn parse(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.split(':').collect();
        let [arn, partition, service, region, account, resource] = parts.as_slice() else {
            return Err(format!("`{s}` is not a KMS ARN: it needs 6 parts separated by `:`"));
        };
        if *arn != "arn" {
            return Err(format!("`{s}` is not an ARN: it must start with `arn:`"));
        }
        if *service != "kms" {
            return Err(format!("`{s}` is not a KMS ARN: its service is `{service}`"));
        }
        if partition.is_empty() || region.is_empty() || account.is_empty() {
            return Err(format!(
                "`{s}` is not a KMS ARN: its partition, region and account must not be empty"
            ));
        }
        let (resource_type, resource_id) = resource.split_once('/').ok_or_else(|| {
            format!("`{s}` is not a KMS ARN: its resource must be `key/ID` or `alias/NAME`")
        })?;
        if !matches!(resource_type, "key" | "alias") || resource_id.is_empty() {
            return Err(format!("`{s}` is not a KMS ARN: its resource must be `key/ID` or `alias/NAME`"));
        }
        Ok(Self {
            partition: (*partition).to_string(),
            region: (*region).to_string(),
            account: (*account).to_string(),
            resource_type: resource_type.to_string(),
            resource_id: resource_id.to_string(),
        })
    }

    /// Parses a key ARN (resource type `key`).
    pub fn parse_key(s: &str) -> Result<Self, String> {
        let a = Self::parse(s)?;
        if a.resource_type != "key" {
            return Err(format!("`{s}` is an alias ARN where a key ARN is needed"));
        }
        Ok(a)
    }

    /// Whether this is a multi-Region key's ARN (`key/mrk-…`; an alias never is).
    pub fn is_mrk(&self) -> bool {
        self.resource_type == "key" && self.resource_id.starts_with("mrk-")
    }

    /// This ARN with another region.
    pub fn in_region(&self, region: &str) -> String {
        Self { region: region.to_string(), ..self.clone() }.to_string()
    }
}

impl std::fmt::Display for KmsArn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "arn:{}:kms:{}:{}:{}/{}",
            self.partition, self.region, self.account, self.resource_type, self.resource_id
        )
    }
}

/// Checks a key identifier a keyring is configured with: a key or alias ARN, `alias/NAME`, or a
/// key id; never empty.
pub fn check_identifier(id: &str) -> Result<(), String> {
    if id.is_empty() {
        return Err("the KMS key identifier is empty: give a key ARN, key id, alias ARN or alias name".into());
    }
    if id.starts_with("arn:") {
        KmsArn::parse(id)?;
    }
    Ok(())
}

/// Whether an identifier names a multi-Region key: an MRK ARN or an `mrk-` key id (an alias
/// never does). An invalid ARN is an error.
pub fn is_mrk_identifier(id: &str) -> Result<bool, String> {
    if id.starts_with("arn:") {
        return KmsArn::parse(id).map(|a| a.is_mrk());
    }
    Ok(!id.starts_with("alias/") && id.starts_with("mrk-"))
}

/// The MRK match for decrypt: identical identifiers match; two MRK ARNs match when all but
/// their regions are equal; nothing else does.
pub fn mrk_match(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    if !matches!(is_mrk_identifier(a), Ok(true)) || !matches!(is_mrk_identifier(b), Ok(true)) {
        return false;
    }
    match (KmsArn::parse(a), KmsArn::parse(b)) {
        (Ok(x), Ok(y)) => {
            x.partition == y.partition
                && x.account == y.account
                && x.resource_type == y.resource_type
                && x.resource_id == y.resource_id
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const MRK_E: &str = "arn:aws:kms:us-east-1:111122223333:key/mrk-4321abcd12ab34cd56ef1234567890ab";
    const MRK_W: &str = "arn:aws:kms:us-west-2:111122223333:key/mrk-4321abcd12ab34cd56ef1234567890ab";

    #[test]
    fn valid_arns_parse_and_print_back() {
        for s in
            [KEY, MRK_E, "arn:aws:kms:us-west-2:111122223333:alias/test-key", "arn:aws:kms:r:a:alias/a/b"]
        {
            assert_eq!(KmsArn::parse(s).map(|a| a.to_string()).as_deref(), Ok(s), "{s}");
        }
        assert_eq!(KmsArn::parse("arn:aws:kms:r:a:alias/a/b").unwrap().resource_id, "a/b");
    }

    #[test]
    fn invalid_arns_are_refused() {
        for s in [
            "",
            "1234abcd",
            "arn:aws:kms:us-east-1:111122223333",
            "arn:aws:kms:us-east-1:111122223333:key/a:b",
            "aws:aws:kms:us-east-1:111122223333:key/a",
            "arn::kms:us-east-1:111122223333:key/a",
            "arn:aws:s3:us-east-1:111122223333:key/a",
            "arn:aws:kms::111122223333:key/a",
            "arn:aws:kms:us-east-1::key/a",
            "arn:aws:kms:us-east-1:111122223333:key/",
            "arn:aws:kms:us-east-1:111122223333:key",
            "arn:aws:kms:us-east-1:111122223333:grant/a",
        ] {
            assert!(KmsArn::parse(s).is_err(), "{s}");
        }
        assert!(KmsArn::parse_key("arn:aws:kms:us-east-1:111122223333:alias/a").is_err());
    }

    #[test]
    fn multi_region_keys_are_identified_and_aliases_never_are() {
        assert_eq!(is_mrk_identifier(MRK_E), Ok(true));
        assert_eq!(is_mrk_identifier("mrk-123"), Ok(true));
        assert_eq!(is_mrk_identifier(KEY), Ok(false));
        assert_eq!(is_mrk_identifier("alias/mrk-looking"), Ok(false));
        assert_eq!(is_mrk_identifier("arn:aws:kms:us-east-1:111122223333:alias/mrk-x"), Ok(false));
        assert!(is_mrk_identifier("arn:nope").is_err());
    }

    #[test]
    fn the_mrk_match_ignores_only_the_region() {
        assert!(mrk_match(MRK_E, MRK_W));
        assert!(mrk_match(KEY, KEY));
        assert!(!mrk_match(KEY, &KmsArn::parse(KEY).unwrap().in_region("us-west-2")));
        assert!(!mrk_match(MRK_E, &MRK_W.replace("111122223333", "444455556666")));
        assert!(!mrk_match(MRK_E, "mrk-4321abcd12ab34cd56ef1234567890ab"));
        assert_eq!(KmsArn::parse(MRK_E).unwrap().in_region("us-west-2"), MRK_W);
    }
}
