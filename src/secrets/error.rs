//! The Secrets Manager engine's one error type: every failure is a Secrets Manager exception named
//! as the botocore model names it (`ResourceNotFoundException`, `InvalidRequestException`, …), or
//! `AccessDeniedException` with the policy engine's trace.
//!
//! The exception name is the stable code ([`SecretsError::code`]): the JSON layer returns it as
//! `__type`, the JS layer as the `Error`'s `name` and `code`.

use serde_json::Value;

use crate::kms::KmsError;

/// A failed Secrets Manager call.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SecretsError {
    /// Any exception but an access denial.
    #[error("{message}")]
    Aws {
        /// The AWS exception name, e.g. `ResourceNotFoundException`.
        exception: &'static str,
        message: String,
    },
    /// `AccessDeniedException`, with the evaluation that denied (Secrets Manager's, or KMS's when
    /// the key policy refused the service's call on the caller's behalf).
    #[error("{message}")]
    AccessDenied {
        message: String,
        /// The policy engine's evaluation (`decision`, `matchedStatements`, `trace`).
        trace: Box<Value>,
    },
}

macro_rules! exceptions {
    ($($f:ident => $name:literal),* $(,)?) => {
        impl SecretsError {
            $(
                #[doc = concat!("`", $name, "`.")]
                pub fn $f(message: impl Into<String>) -> SecretsError {
                    SecretsError::Aws { exception: $name, message: message.into() }
                }
            )*
        }
        /// Every exception name the engine can return (besides `AccessDeniedException`).
        pub const EXCEPTIONS: &[&str] = &[$($name),*];
    };
}

exceptions! {
    not_found => "ResourceNotFoundException",
    invalid_parameter => "InvalidParameterException",
    invalid_request => "InvalidRequestException",
    exists => "ResourceExistsException",
    limit_exceeded => "LimitExceededException",
    malformed_policy => "MalformedPolicyDocumentException",
    public_policy => "PublicPolicyException",
    encryption_failure => "EncryptionFailure",
    decryption_failure => "DecryptionFailure",
    invalid_next_token => "InvalidNextTokenException",
    precondition => "PreconditionNotMetException",
    internal => "InternalServiceError",
    unknown_operation => "UnknownOperationException",
    unrecognized_client => "UnrecognizedClientException",
}

impl SecretsError {
    /// The AWS exception name: the stable code.
    pub fn code(&self) -> &'static str {
        match self {
            SecretsError::Aws { exception, .. } => exception,
            SecretsError::AccessDenied { .. } => "AccessDeniedException",
        }
    }

    /// The AWS JSON 1.1 error body, `{"__type", "message"}`, plus `trace` on an access denial.
    pub fn to_json(&self) -> Value {
        let mut v = serde_json::json!({ "__type": self.code(), "message": self.to_string() });
        if let (SecretsError::AccessDenied { trace, .. }, Some(o)) = (self, v.as_object_mut()) {
            o.insert("trace".into(), (**trace).clone());
        }
        v
    }

    /// A request member read with the model's constraints failed (KMS's reader says
    /// `ValidationException`/`SerializationException`; Secrets Manager's model says
    /// `InvalidParameterException`).
    pub fn from_params(e: KmsError) -> SecretsError {
        SecretsError::invalid_parameter(e.to_string())
    }

    /// A caller the KMS world does not know (`UnrecognizedClientException`), or another failure
    /// resolving the caller.
    pub fn from_caller(e: KmsError) -> SecretsError {
        match e.code() {
            "UnrecognizedClientException" => SecretsError::unrecognized_client(e.to_string()),
            _ => SecretsError::invalid_parameter(e.to_string()),
        }
    }
}
