//! The Encryption SDK's AWS KMS keyrings (spec `framework/aws-kms/`): the KMS keyring and its
//! multi-Region-key (MRK) aware form here, the two discovery keyrings in [`discovery`].
//!
//! EDKs they write have provider id `aws-kms` and the key ARN KMS answered with as provider info.
//! They call KMS only through [`KmsClient`], so this engine never depends on a KMS
//! implementation. An AWS KMS failure keeps its AWS exception name as the error's code. Not here:
//! the hierarchical, ECDH and RSA KMS keyrings, and client caching per region.

pub mod arn;
pub mod client;
pub mod discovery;

pub use arn::{check_identifier, is_mrk_identifier, mrk_match, KmsArn};
pub use client::{
    DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse, GenerateDataKeyRequest,
    GenerateDataKeyResponse, KmsClient, KmsClientError, KmsClientSupplier,
};
pub use discovery::{AwsKmsDiscoveryKeyring, DiscoveryFilter};

use crate::crypto::esdk::{DataKey, DecryptionMaterials, EncryptedDataKey, EncryptionMaterials, EsdkError};

use super::Keyring;

/// The provider id of every EDK a KMS keyring writes.
pub const PROVIDER_ID: &str = "aws-kms";

/// The error code of a KMS answer that breaks a keyring's checks (not an AWS exception).
pub const BAD_RESPONSE: &str = "KmsResponseInvalid";

/// How a KMS keyring picks the EDKs it may decrypt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Matching {
    /// The provider info equals the configured identifier.
    Exact,
    /// The provider info MRK-matches it (equal, or the same MRK in another region).
    Mrk,
}

/// The AWS KMS keyring (`aws-kms`) or the AWS KMS MRK keyring (`aws-kms-mrk`): one key
/// identifier; encrypt with `GenerateDataKey` (or `Encrypt` when the data key exists);
/// decrypt with `Decrypt` naming the configured key.
pub struct AwsKmsKeyring<'k> {
    key_id: String,
    client: Box<dyn KmsClient + 'k>,
    grant_tokens: Vec<String>,
    matching: Matching,
}

impl std::fmt::Debug for AwsKmsKeyring<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AwsKmsKeyring")
            .field("key_id", &self.key_id)
            .field("mrk_aware", &(self.matching == Matching::Mrk))
            .finish()
    }
}

impl<'k> AwsKmsKeyring<'k> {
    /// The AWS KMS keyring for `key_id` (key ARN, key id, alias ARN or alias name). Decrypts
    /// only EDKs whose provider info is exactly `key_id`, so give a key ARN to decrypt.
    pub fn new(
        key_id: &str,
        client: Box<dyn KmsClient + 'k>,
        grant_tokens: Vec<String>,
    ) -> Result<Self, EsdkError> {
        check_identifier(key_id).map_err(EsdkError::InvalidKeyring)?;
        Ok(Self { key_id: key_id.to_string(), client, grant_tokens, matching: Matching::Exact })
    }

    /// The AWS KMS MRK keyring: as [`AwsKmsKeyring::new`], but also decrypts EDKs written under
    /// the same multi-Region key in another region (calling KMS with the configured key).
    pub fn mrk(
        key_id: &str,
        client: Box<dyn KmsClient + 'k>,
        grant_tokens: Vec<String>,
    ) -> Result<Self, EsdkError> {
        Ok(Self { matching: Matching::Mrk, ..Self::new(key_id, client, grant_tokens)? })
    }
}

impl Keyring for AwsKmsKeyring<'_> {
    fn on_encrypt(&self, materials: &mut EncryptionMaterials) -> Result<(), EsdkError> {
        let ec = &materials.encryption_context.0;
        let (key_id, ciphertext) = match &materials.data_key {
            None => {
                let n = u32::try_from(materials.suite.key_len()).map_err(|_| bad("the data key length"))?;
                let r = self
                    .client
                    .generate_data_key(&GenerateDataKeyRequest {
                        key_id: &self.key_id,
                        number_of_bytes: n,
                        encryption_context: ec,
                        grant_tokens: &self.grant_tokens,
                    })
                    .map_err(kms_error)?;
                if r.plaintext.len() != materials.suite.key_len() {
                    return Err(bad(&format!(
                        "GenerateDataKey returned {} plaintext bytes where the suite needs {}",
                        r.plaintext.len(),
                        materials.suite.key_len()
                    )));
                }
                let arn = response_arn(r.key_id, "GenerateDataKey")?;
                materials.data_key = Some(r.plaintext);
                (arn, r.ciphertext_blob)
            }
            Some(key) => {
                let r = self
                    .client
                    .encrypt(&EncryptRequest {
                        key_id: &self.key_id,
                        plaintext: key.as_bytes(),
                        encryption_context: ec,
                        grant_tokens: &self.grant_tokens,
                    })
                    .map_err(kms_error)?;
                (response_arn(r.key_id, "Encrypt")?, r.ciphertext_blob)
            }
        };
        materials.encrypted_data_keys.push(EncryptedDataKey {
            provider_id: PROVIDER_ID.to_string(),
            provider_info: key_id.into_bytes(),
            ciphertext,
        });
        Ok(())
    }

    fn on_decrypt(
        &self,
        materials: &DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<Option<DataKey>, EsdkError> {
        let mut attempts = Attempts::new(materials, &self.grant_tokens)?;
        for edk in edks.iter().filter(|e| e.provider_id == PROVIDER_ID) {
            let info = provider_arn(edk)?;
            let matches = match self.matching {
                Matching::Exact => info.to_string() == self.key_id,
                Matching::Mrk => mrk_match(&info.to_string(), &self.key_id),
            };
            if matches {
                if let Some(key) = attempts.decrypt(&*self.client, &self.key_id, edk) {
                    return Ok(Some(key));
                }
            }
        }
        attempts.finish()
    }
}

/// The key ARN of an `aws-kms` EDK's provider info; anything else fails the whole decrypt, as
/// the spec requires.
pub(crate) fn provider_arn(edk: &EncryptedDataKey) -> Result<KmsArn, EsdkError> {
    let text = std::str::from_utf8(&edk.provider_info)
        .map_err(|_| bad("an `aws-kms` encrypted data key's provider info is not UTF-8"))?;
    KmsArn::parse_key(text).map_err(|e| bad(&format!("an `aws-kms` encrypted data key's provider info: {e}")))
}

/// The decrypt attempts of one `on_decrypt`: each failure is collected, and if none succeeds
/// the keyring fails with all of them (coded with the first one's AWS exception name).
pub(crate) struct Attempts<'a> {
    materials: &'a DecryptionMaterials,
    grant_tokens: &'a [String],
    errors: Vec<(String, KmsClientError)>,
}

impl<'a> Attempts<'a> {
    pub(crate) fn new(
        materials: &'a DecryptionMaterials,
        grant_tokens: &'a [String],
    ) -> Result<Self, EsdkError> {
        if materials.data_key.is_some() {
            return Err(EsdkError::InvalidKeyring("the decryption materials already hold a data key".into()));
        }
        Ok(Self { materials, grant_tokens, errors: Vec::new() })
    }

    /// Calls `Decrypt` with `key_id`; the data key if KMS answered with that same key id and a
    /// key of the suite's length.
    pub(crate) fn decrypt(
        &mut self,
        client: &dyn KmsClient,
        key_id: &str,
        edk: &EncryptedDataKey,
    ) -> Option<DataKey> {
        let request = DecryptRequest {
            key_id,
            ciphertext_blob: &edk.ciphertext,
            encryption_context: &self.materials.encryption_context.0,
            grant_tokens: self.grant_tokens,
        };
        let failure = match client.decrypt(&request) {
            Err(e) => e,
            Ok(r) if r.key_id.as_deref() != Some(key_id) => KmsClientError::new(
                BAD_RESPONSE,
                format!("Decrypt answered for key `{}`, not the key asked for", r.key_id.unwrap_or_default()),
            ),
            Ok(r) if r.plaintext.len() != self.materials.suite.key_len() => KmsClientError::new(
                BAD_RESPONSE,
                format!(
                    "Decrypt returned {} plaintext bytes where the suite needs {}",
                    r.plaintext.len(),
                    self.materials.suite.key_len()
                ),
            ),
            Ok(r) => return Some(r.plaintext),
        };
        self.errors.push((key_id.to_string(), failure));
        None
    }

    /// `Ok(None)` if nothing was tried, else the collected errors.
    pub(crate) fn finish(self) -> Result<Option<DataKey>, EsdkError> {
        let Some((_, first)) = self.errors.first() else {
            return Ok(None);
        };
        let message = self
            .errors
            .iter()
            .map(|(key, e)| format!("Decrypt with `{key}` failed: {e}"))
            .collect::<Vec<_>>()
            .join("; ");
        Err(EsdkError::Kms { exception: client::exception_code(&first.exception), message })
    }
}

fn kms_error(e: KmsClientError) -> EsdkError {
    EsdkError::Kms { exception: client::exception_code(&e.exception), message: e.to_string() }
}

fn bad(message: &str) -> EsdkError {
    EsdkError::Kms { exception: BAD_RESPONSE, message: message.to_string() }
}

/// The response's `KeyId`, which must be a key ARN.
fn response_arn(key_id: Option<String>, op: &str) -> Result<String, EsdkError> {
    let id = key_id.ok_or_else(|| bad(&format!("{op} answered without a KeyId")))?;
    KmsArn::parse_key(&id)
        .map_err(|e| bad(&format!("{op} answered with a KeyId that is not a key ARN: {e}")))?;
    Ok(id)
}
