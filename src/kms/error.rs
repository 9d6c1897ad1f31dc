//! The KMS engine's one error type: every failure is an AWS KMS exception, named as AWS names it
//! (`NotFoundException`, `AccessDeniedException`, …), with AWS's message form.
//!
//! The exception name is the stable code ([`KmsError::code`]): the JSON layer returns it as
//! `__type`, the JS layer as the `Error`'s `name` and `code`. An access denial also carries the
//! policy engine's trace, so a user sees which statements decided.

use serde_json::Value;

/// A failed KMS call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KmsError {
    /// Any exception but an access denial.
    #[error("{message}")]
    Aws {
        /// The AWS exception name, e.g. `NotFoundException`.
        exception: &'static str,
        message: String,
    },
    /// `AccessDeniedException`, with the evaluation that denied.
    #[error("{message}")]
    AccessDenied {
        message: String,
        /// The policy engine's evaluation (`decision`, `matchedStatements`, `trace`).
        trace: Box<Value>,
    },
}

macro_rules! exceptions {
    ($($f:ident => $name:literal),* $(,)?) => {
        impl KmsError {
            $(
                #[doc = concat!("`", $name, "`.")]
                pub fn $f(message: impl Into<String>) -> KmsError {
                    KmsError::Aws { exception: $name, message: message.into() }
                }
            )*
        }
        /// Every exception name the engine can return (besides `AccessDeniedException`).
        pub const EXCEPTIONS: &[&str] = &[$($name),*];
    };
}

exceptions! {
    not_found => "NotFoundException",
    disabled => "DisabledException",
    invalid_state => "KMSInvalidStateException",
    invalid_ciphertext => "InvalidCiphertextException",
    incorrect_key => "IncorrectKeyException",
    invalid_key_usage => "InvalidKeyUsageException",
    limit_exceeded => "LimitExceededException",
    already_exists => "AlreadyExistsException",
    validation => "ValidationException",
    malformed_policy => "MalformedPolicyDocumentException",
    invalid_grant_token => "InvalidGrantTokenException",
    invalid_grant_id => "InvalidGrantIdException",
    unsupported => "UnsupportedOperationException",
    invalid_alias_name => "InvalidAliasNameException",
    invalid_arn => "InvalidArnException",
    invalid_marker => "InvalidMarkerException",
    tag => "TagException",
    conflict => "ConflictException",
    unknown_operation => "UnknownOperationException",
    serialization => "SerializationException",
    unrecognized_client => "UnrecognizedClientException",
    custom_key_store_not_found => "CustomKeyStoreNotFoundException",
    kms_internal => "KMSInternalException",
    invalid_import_token => "InvalidImportTokenException",
    expired_import_token => "ExpiredImportTokenException",
    incorrect_key_material => "IncorrectKeyMaterialException",
    key_unavailable => "KeyUnavailableException",
    dry_run => "DryRunOperationException",
    not_authorized => "NotAuthorizedException",
    invalid_signature => "KMSInvalidSignatureException",
    invalid_mac => "KMSInvalidMacException",
}

impl KmsError {
    /// An exception by its AWS name (as the material layer reports it); an unknown name becomes
    /// `KMSInternalException`, which no valid request should ever see.
    pub fn from_exception(name: &str, message: impl Into<String>) -> KmsError {
        let message = message.into();
        if name == "AccessDeniedException" {
            return KmsError::AccessDenied { message, trace: Box::new(Value::Null) };
        }
        let exception = EXCEPTIONS.iter().find(|e| **e == name).copied().unwrap_or("KMSInternalException");
        KmsError::Aws { exception, message }
    }

    /// The AWS exception name: the stable code.
    pub fn code(&self) -> &'static str {
        match self {
            KmsError::Aws { exception, .. } => exception,
            KmsError::AccessDenied { .. } => "AccessDeniedException",
        }
    }

    /// The AWS JSON 1.1 error body, `{"__type", "message"}`, plus `trace` on an access denial.
    pub fn to_json(&self) -> Value {
        let mut v = serde_json::json!({ "__type": self.code(), "message": self.to_string() });
        if let (KmsError::AccessDenied { trace, .. }, Some(o)) = (self, v.as_object_mut()) {
            o.insert("trace".into(), (**trace).clone());
        }
        v
    }
}
