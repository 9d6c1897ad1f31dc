//! The one error type of the ACM engine, with a stable `code` per variant.
//!
//! Reading errors carry where the problem is: the 1-based line of a PEM armour line, or the byte
//! offset into the DER of the certificate (and which certificate of the chain), so a page can
//! point at it. Chain problems are not errors (a chain out of order still inspects): they are
//! findings in the inspection result (`chain.rs`).

use thiserror::Error;

/// Every failure the ACM engine reports.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AcmError {
    /// Nothing that looks like a certificate.
    #[error("no certificate found: paste a PEM block (-----BEGIN CERTIFICATE-----) or give DER bytes")]
    Empty,
    /// A PEM armour problem (a BEGIN without END, a wrong label, bad base64, …).
    #[error("line {line}: {message}")]
    Pem {
        /// 1-based line of the input.
        line: usize,
        /// What is wrong and what to do.
        message: String,
    },
    /// The DER of certificate `index` does not decode as an X.509 certificate.
    #[error("certificate {index}: malformed der at byte {offset}: {message}")]
    Der {
        /// 0-based position of the certificate in the input.
        index: usize,
        /// Byte offset into that certificate's DER.
        offset: usize,
        /// The decoder's reason.
        message: String,
    },
    /// The input is larger than the engine reads.
    #[error("{what} is {actual}, over the limit of {limit}: {hint}")]
    TooLarge {
        /// What was measured.
        what: &'static str,
        /// Its size.
        actual: usize,
        /// The bound.
        limit: usize,
        /// What to do.
        hint: &'static str,
    },
    /// A request (options of the ACM view) is not what the engine accepts.
    #[error("{pointer}: {message}")]
    InvalidOption {
        /// JSON pointer of the member.
        pointer: String,
        /// What is wrong.
        message: String,
    },
}

impl AcmError {
    /// The stable code (`SecplayError.code` in JS).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "NoCertificate",
            Self::Pem { .. } => "MalformedPem",
            Self::Der { .. } => "MalformedDer",
            Self::TooLarge { .. } => "TooLarge",
            Self::InvalidOption { .. } => "InvalidOption",
        }
    }

    /// An option error at `pointer`.
    pub fn option(pointer: &str, message: impl Into<String>) -> AcmError {
        AcmError::InvalidOption { pointer: pointer.to_owned(), message: message.into() }
    }
}
