//! The kinds of sensitive data the scanner knows: each one's id (Amazon Macie's managed data
//! identifier id where Macie has one), its Macie category and the severity of one occurrence.
//!
//! Ids: <https://docs.aws.amazon.com/macie/latest/user/mdis-reference-quick.html> (quick reference)
//! and <https://docs.aws.amazon.com/macie/latest/user/mdis-reference-credentials.html> (credentials).
//! Macie has no managed identifier for an IBAN as such, for an AWS access key id on its own, or for
//! a Korean resident registration number: those carry ids of ours, and `macie()` says so.

use serde::Serialize;

/// One kind of sensitive data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Kind {
    /// A PEM or OpenSSH private key block (Macie `OPENSSH_PRIVATE_KEY`).
    OpensshPrivateKey,
    /// A PEM PKCS#1 / PKCS#8 / SEC1 private key block, plain or encrypted (Macie `PKCS`).
    PkcsPrivateKey,
    /// An ASCII-armoured PGP private key block (Macie `PGP_PRIVATE_KEY`).
    PgpPrivateKey,
    /// A JSON Web Token whose header decodes to JSON with `alg` (Macie `JSON_WEB_TOKEN`).
    JsonWebToken,
    /// An AWS secret access key near a keyword (Macie `AWS_CREDENTIALS`).
    AwsSecretKey,
    /// An AWS access key id (`AKIA…` long-term, `ASIA…` temporary): ours, Macie has no identifier
    /// for the id alone. Other unique-id prefixes (`AIDA` users, `AROA` roles, …) name, not grant.
    AwsAccessKeyId,
    /// An IBAN with its country's length and a valid mod-97 check: ours.
    Iban,
    /// A payment card number near a keyword (Macie `CREDIT_CARD_NUMBER`).
    CreditCard,
    /// A payment card number with no keyword near (Macie `CREDIT_CARD_NUMBER_(NO_KEYWORD)`).
    CreditCardNoKeyword,
    /// A Korean resident registration number: ours.
    KoreaRrn,
    /// A US social security number (Macie `USA_SOCIAL_SECURITY_NUMBER`).
    UsaSsn,
    /// A date of birth near a keyword (Macie `DATE_OF_BIRTH`).
    DateOfBirth,
    /// An email address (Macie `EMAIL_ADDRESS`).
    Email,
    /// A phone number, E.164 or a US, Korean or UK national format (Macie `PHONE_NUMBER`).
    Phone,
}

/// Macie's three categories of managed data identifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Category {
    /// `CREDENTIALS`
    Credentials,
    /// `FINANCIAL_INFORMATION`
    Financial,
    /// `PERSONAL_INFORMATION`
    Personal,
}

/// Severity levels as Macie names them (score 1–3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Severity {
    /// Score 1.
    Low,
    /// Score 2.
    Medium,
    /// Score 3.
    High,
}

impl Severity {
    /// Macie's description: `Low`, `Medium`, `High`.
    pub fn description(self) -> &'static str {
        match self {
            Self::Low => "Low",
            Self::Medium => "Medium",
            Self::High => "High",
        }
    }
    /// Macie's score, 1–3.
    pub fn score(self) -> u8 {
        match self {
            Self::Low => 1,
            Self::Medium => 2,
            Self::High => 3,
        }
    }
}

impl Category {
    /// The category as Macie writes it in `sensitiveData[].category`.
    pub fn id(self) -> &'static str {
        match self {
            Self::Credentials => "CREDENTIALS",
            Self::Financial => "FINANCIAL_INFORMATION",
            Self::Personal => "PERSONAL_INFORMATION",
        }
    }
    /// The suffix of the finding type, `SensitiveData:S3Object/<suffix>`.
    pub fn finding_suffix(self) -> &'static str {
        match self {
            Self::Credentials => "Credentials",
            Self::Financial => "Financial",
            Self::Personal => "Personal",
        }
    }
}

impl Kind {
    /// Every kind, in priority order: where two candidates overlap, the earlier kind wins.
    pub const ALL: [Kind; 14] = [
        Kind::OpensshPrivateKey,
        Kind::PkcsPrivateKey,
        Kind::PgpPrivateKey,
        Kind::JsonWebToken,
        Kind::AwsSecretKey,
        Kind::AwsAccessKeyId,
        Kind::Iban,
        Kind::CreditCard,
        Kind::CreditCardNoKeyword,
        Kind::KoreaRrn,
        Kind::UsaSsn,
        Kind::DateOfBirth,
        Kind::Email,
        Kind::Phone,
    ];

    /// The type id reported in findings.
    pub fn id(self) -> &'static str {
        match self {
            Self::OpensshPrivateKey => "OPENSSH_PRIVATE_KEY",
            Self::PkcsPrivateKey => "PKCS",
            Self::PgpPrivateKey => "PGP_PRIVATE_KEY",
            Self::JsonWebToken => "JSON_WEB_TOKEN",
            Self::AwsSecretKey => "AWS_CREDENTIALS",
            Self::AwsAccessKeyId => "AWS_ACCESS_KEY_ID",
            Self::Iban => "IBAN",
            Self::CreditCard => "CREDIT_CARD_NUMBER",
            Self::CreditCardNoKeyword => "CREDIT_CARD_NUMBER_(NO_KEYWORD)",
            Self::KoreaRrn => "KOREA_RESIDENT_REGISTRATION_NUMBER",
            Self::UsaSsn => "USA_SOCIAL_SECURITY_NUMBER",
            Self::DateOfBirth => "DATE_OF_BIRTH",
            Self::Email => "EMAIL_ADDRESS",
            Self::Phone => "PHONE_NUMBER",
        }
    }

    /// The kind with this id.
    pub fn from_id(id: &str) -> Option<Kind> {
        Self::ALL.into_iter().find(|k| k.id() == id)
    }

    /// Whether the id is one of Macie's managed data identifiers.
    pub fn macie(self) -> bool {
        !matches!(self, Self::AwsAccessKeyId | Self::Iban | Self::KoreaRrn)
    }

    /// Macie's category for the kind.
    pub fn category(self) -> Category {
        match self {
            Self::OpensshPrivateKey
            | Self::PkcsPrivateKey
            | Self::PgpPrivateKey
            | Self::JsonWebToken
            | Self::AwsSecretKey
            | Self::AwsAccessKeyId => Category::Credentials,
            Self::Iban | Self::CreditCard | Self::CreditCardNoKeyword => Category::Financial,
            Self::KoreaRrn | Self::UsaSsn | Self::DateOfBirth | Self::Email | Self::Phone => {
                Category::Personal
            }
        }
    }

    /// The severity of a single occurrence (the playground's rule: anything that grants access is
    /// High, national ids and payment data Medium or High, contact data Low).
    pub fn severity(self) -> Severity {
        match self {
            Self::OpensshPrivateKey
            | Self::PkcsPrivateKey
            | Self::PgpPrivateKey
            | Self::AwsSecretKey
            | Self::JsonWebToken => Severity::High,
            Self::CreditCard | Self::CreditCardNoKeyword | Self::UsaSsn | Self::KoreaRrn => Severity::High,
            Self::AwsAccessKeyId | Self::Iban | Self::DateOfBirth => Severity::Medium,
            Self::Email | Self::Phone => Severity::Low,
        }
    }
}
