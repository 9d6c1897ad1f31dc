//! The Parameter Store engine's one error type: every failure is an AWS Systems Manager
//! exception, named as the SSM API model names it (`ParameterNotFound`, `ParameterAlreadyExists`,
//! `HierarchyLevelLimitExceededException`, …).
//!
//! The exception name is the stable code ([`SsmError::code`]): the JSON layer returns it as
//! `__type`, the JS layer as the `Error`'s `name` and `code`. An access denial (by the identity
//! policies, or by KMS when a SecureString is encrypted or decrypted) carries the policy engine's
//! trace, so a user sees which statements decided.

use serde_json::Value;

use crate::kms::KmsError;

/// A failed Parameter Store call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SsmError {
    /// Any exception but an access denial.
    #[error("{message}")]
    Aws {
        /// The AWS exception name, e.g. `ParameterNotFound`.
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
        impl SsmError {
            $(
                #[doc = concat!("`", $name, "`.")]
                pub fn $f(message: impl Into<String>) -> SsmError {
                    SsmError::Aws { exception: $name, message: message.into() }
                }
            )*
        }
        /// Every exception name the engine can return (besides `AccessDeniedException`).
        pub const EXCEPTIONS: &[&str] = &[$($name),*];
    };
}

exceptions! {
    validation => "ValidationException",
    serialization => "SerializationException",
    unknown_operation => "UnknownOperationException",
    unrecognized_client => "UnrecognizedClientException",
    internal => "InternalServerError",
    not_found => "ParameterNotFound",
    already_exists => "ParameterAlreadyExists",
    version_not_found => "ParameterVersionNotFound",
    limit_exceeded => "ParameterLimitExceeded",
    max_versions => "ParameterMaxVersionLimitExceeded",
    label_limit => "ParameterVersionLabelLimitExceeded",
    hierarchy_level => "HierarchyLevelLimitExceededException",
    hierarchy_type => "HierarchyTypeMismatchException",
    invalid_allowed_pattern => "InvalidAllowedPatternException",
    pattern_mismatch => "ParameterPatternMismatchException",
    unsupported_type => "UnsupportedParameterType",
    policies_limit => "PoliciesLimitExceededException",
    invalid_policy_type => "InvalidPolicyTypeException",
    invalid_policy_attribute => "InvalidPolicyAttributeException",
    incompatible_policy => "IncompatiblePolicyException",
    invalid_key_id => "InvalidKeyId",
    invalid_filter_key => "InvalidFilterKey",
    invalid_filter_option => "InvalidFilterOption",
    invalid_filter_value => "InvalidFilterValue",
    invalid_next_token => "InvalidNextToken",
    invalid_resource_type => "InvalidResourceType",
    invalid_resource_id => "InvalidResourceId",
    too_many_tags => "TooManyTagsError",
}

impl SsmError {
    /// The AWS exception name: the stable code.
    pub fn code(&self) -> &'static str {
        match self {
            SsmError::Aws { exception, .. } => exception,
            SsmError::AccessDenied { .. } => "AccessDeniedException",
        }
    }

    /// The AWS JSON 1.1 error body, `{"__type", "message"}`, plus `trace` on an access denial.
    pub fn to_json(&self) -> Value {
        let mut v = serde_json::json!({ "__type": self.code(), "message": self.to_string() });
        if let (SsmError::AccessDenied { trace, .. }, Some(o)) = (self, v.as_object_mut()) {
            o.insert("trace".into(), (**trace).clone());
        }
        v
    }

    /// A KMS failure met while encrypting or decrypting a SecureString, as Parameter Store
    /// reports it: a denial stays `AccessDeniedException` (with KMS's message and trace); a
    /// missing, disabled or unusable key is `InvalidKeyId`; a malformed request stays a
    /// validation error; anything else is an internal error.
    pub fn from_kms(e: KmsError) -> SsmError {
        match e {
            KmsError::AccessDenied { message, trace } => SsmError::AccessDenied { message, trace },
            KmsError::Aws { exception, message } => match exception {
                "NotFoundException"
                | "DisabledException"
                | "KMSInvalidStateException"
                | "InvalidKeyUsageException"
                | "InvalidArnException"
                | "IncorrectKeyException"
                | "KeyUnavailableException" => SsmError::invalid_key_id(message),
                "ValidationException" => SsmError::validation(message),
                "SerializationException" => SsmError::serialization(message),
                "UnrecognizedClientException" => SsmError::unrecognized_client(message),
                _ => SsmError::internal(format!("{exception}: {message}")),
            },
        }
    }
}

/// Request members read with the KMS engine's reader ([`crate::kms::params`]) fail with its
/// validation and serialization errors; they keep their names here.
impl From<KmsError> for SsmError {
    fn from(e: KmsError) -> SsmError {
        SsmError::from_kms(e)
    }
}
