//! The KMS-client seam of the KMS keyrings: the three AWS KMS calls they make (GenerateDataKey,
//! Encrypt, Decrypt), as typed requests and responses, and the error a client returns.
//!
//! The crypto engine defines this trait and never talks to a KMS itself: the KMS emulator
//! implements it (`crate::kms::esdk_client`), the JS layer implements it over a `Kms` instance,
//! and any other client (a real AWS SDK, a test double) could. A client sends a request whose
//! `key_id` is a key ARN to that ARN's region, as the AWS SDKs' per-region clients would.

use std::collections::BTreeMap;

use crate::crypto::esdk::DataKey;

/// `GenerateDataKey` with `NumberOfBytes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateDataKeyRequest<'a> {
    pub key_id: &'a str,
    pub number_of_bytes: u32,
    pub encryption_context: &'a BTreeMap<String, String>,
    pub grant_tokens: &'a [String],
}

/// `Encrypt` of a plaintext data key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptRequest<'a> {
    pub key_id: &'a str,
    pub plaintext: &'a [u8],
    pub encryption_context: &'a BTreeMap<String, String>,
    pub grant_tokens: &'a [String],
}

/// `Decrypt` of an encrypted data key, always naming the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecryptRequest<'a> {
    pub key_id: &'a str,
    pub ciphertext_blob: &'a [u8],
    pub encryption_context: &'a BTreeMap<String, String>,
    pub grant_tokens: &'a [String],
}

/// What `GenerateDataKey` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateDataKeyResponse {
    /// The key ARN KMS reports (`None` if the response had none: the keyring rejects that).
    pub key_id: Option<String>,
    pub plaintext: DataKey,
    pub ciphertext_blob: Vec<u8>,
}

/// What `Encrypt` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptResponse {
    pub key_id: Option<String>,
    pub ciphertext_blob: Vec<u8>,
}

/// What `Decrypt` returns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecryptResponse {
    pub key_id: Option<String>,
    pub plaintext: DataKey,
}

/// A failed KMS call: the AWS exception name (`AccessDeniedException`, …) and its message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{exception}: {message}")]
pub struct KmsClientError {
    pub exception: String,
    pub message: String,
}

impl KmsClientError {
    /// An error named `exception`.
    pub fn new(exception: impl Into<String>, message: impl Into<String>) -> Self {
        Self { exception: exception.into(), message: message.into() }
    }
}

/// The exception names an [`EsdkError::Kms`](crate::crypto::esdk::EsdkError::Kms) can carry as its
/// code: the AWS KMS API model's error shapes, the AWS-wide errors of its JSON protocol, and
/// [`super::BAD_RESPONSE`] for answers a keyring refuses. Any other name is coded `KmsError`.
pub const EXCEPTIONS: &[&str] = &[
    "AlreadyExistsException",
    "CloudHsmClusterInUseException",
    "CloudHsmClusterInvalidConfigurationException",
    "CloudHsmClusterNotActiveException",
    "CloudHsmClusterNotFoundException",
    "CloudHsmClusterNotRelatedException",
    "ConflictException",
    "CustomKeyStoreHasCMKsException",
    "CustomKeyStoreInvalidStateException",
    "CustomKeyStoreNameInUseException",
    "CustomKeyStoreNotFoundException",
    "DependencyTimeoutException",
    "DisabledException",
    "DryRunOperationException",
    "ExpiredImportTokenException",
    "IncorrectKeyException",
    "IncorrectKeyMaterialException",
    "IncorrectTrustAnchorException",
    "InvalidAliasNameException",
    "InvalidArnException",
    "InvalidCiphertextException",
    "InvalidGrantIdException",
    "InvalidGrantTokenException",
    "InvalidImportTokenException",
    "InvalidKeyUsageException",
    "InvalidMarkerException",
    "KMSInternalException",
    "KMSInvalidMacException",
    "KMSInvalidSignatureException",
    "KMSInvalidStateException",
    "KeyUnavailableException",
    "LimitExceededException",
    "MalformedPolicyDocumentException",
    "NotFoundException",
    "TagException",
    "UnsupportedOperationException",
    "XksKeyAlreadyInUseException",
    "XksKeyInvalidConfigurationException",
    "XksKeyNotFoundException",
    "XksProxyIncorrectAuthenticationCredentialException",
    "XksProxyInvalidConfigurationException",
    "XksProxyInvalidResponseException",
    "XksProxyUriEndpointInUseException",
    "XksProxyUriInUseException",
    "XksProxyUriUnreachableException",
    "XksProxyVpcEndpointServiceInUseException",
    "XksProxyVpcEndpointServiceInvalidConfigurationException",
    "XksProxyVpcEndpointServiceNotFoundException",
    "AccessDeniedException",
    "ValidationException",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "ThrottlingException",
    "SerializationException",
    "UnknownOperationException",
    "IncompleteSignature",
    "ExpiredTokenException",
    "InvalidClientTokenId",
    "RequestExpired",
    super::BAD_RESPONSE,
];

/// The code of a KMS failure named `exception` (see [`EXCEPTIONS`]).
pub fn exception_code(exception: &str) -> &'static str {
    EXCEPTIONS.iter().find(|e| **e == exception).copied().unwrap_or("KmsError")
}

/// The AWS KMS calls a KMS keyring makes.
pub trait KmsClient {
    /// `GenerateDataKey`.
    fn generate_data_key(
        &self,
        request: &GenerateDataKeyRequest<'_>,
    ) -> Result<GenerateDataKeyResponse, KmsClientError>;

    /// `Encrypt`.
    fn encrypt(&self, request: &EncryptRequest<'_>) -> Result<EncryptResponse, KmsClientError>;

    /// `Decrypt`.
    fn decrypt(&self, request: &DecryptRequest<'_>) -> Result<DecryptResponse, KmsClientError>;
}

impl<C: KmsClient + ?Sized> KmsClient for &C {
    fn generate_data_key(
        &self,
        request: &GenerateDataKeyRequest<'_>,
    ) -> Result<GenerateDataKeyResponse, KmsClientError> {
        (**self).generate_data_key(request)
    }

    fn encrypt(&self, request: &EncryptRequest<'_>) -> Result<EncryptResponse, KmsClientError> {
        (**self).encrypt(request)
    }

    fn decrypt(&self, request: &DecryptRequest<'_>) -> Result<DecryptResponse, KmsClientError> {
        (**self).decrypt(request)
    }
}

impl<C: KmsClient + ?Sized> KmsClient for Box<C> {
    fn generate_data_key(
        &self,
        request: &GenerateDataKeyRequest<'_>,
    ) -> Result<GenerateDataKeyResponse, KmsClientError> {
        (**self).generate_data_key(request)
    }

    fn encrypt(&self, request: &EncryptRequest<'_>) -> Result<EncryptResponse, KmsClientError> {
        (**self).encrypt(request)
    }

    fn decrypt(&self, request: &DecryptRequest<'_>) -> Result<DecryptResponse, KmsClientError> {
        (**self).decrypt(request)
    }
}

/// Makes a client for each KMS keyring built from JSON options (the JS layer's `opts.kms` with
/// `opts.caller`).
pub trait KmsClientSupplier {
    /// A new client.
    fn client(&self) -> Box<dyn KmsClient>;
}
