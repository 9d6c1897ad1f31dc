//! Object identifiers the inspector names: signature and key algorithms, curves, extensions,
//! extended key usages, access methods. Names are `openssl x509 -text`'s, so the two read alike.

/// Signature algorithms: (OID, openssl name, ACM `SignatureAlgorithm` string).
pub const SIGNATURE_ALGORITHMS: &[(&str, &str, &str)] = &[
    ("1.2.840.113549.1.1.4", "md5WithRSAEncryption", "MD5WITHRSA"),
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption", "SHA1WITHRSA"),
    ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption", "SHA256WITHRSA"),
    ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption", "SHA384WITHRSA"),
    ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption", "SHA512WITHRSA"),
    ("1.2.840.113549.1.1.10", "rsassaPss", "SHA256WITHRSAPSS"),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1", "SHA1WITHECDSA"),
    ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256", "SHA256WITHECDSA"),
    ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384", "SHA384WITHECDSA"),
    ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512", "SHA512WITHECDSA"),
    ("1.3.101.112", "ED25519", "ED25519"),
    ("1.3.101.113", "ED448", "ED448"),
    ("2.16.840.1.101.3.4.3.17", "ML-DSA-44", "ML-DSA-44"),
    ("2.16.840.1.101.3.4.3.18", "ML-DSA-65", "ML-DSA-65"),
    ("2.16.840.1.101.3.4.3.19", "ML-DSA-87", "ML-DSA-87"),
];

/// Public key algorithms: (OID, name).
pub const KEY_ALGORITHMS: &[(&str, &str)] = &[
    ("1.2.840.113549.1.1.1", "RSA"),
    ("1.2.840.113549.1.1.10", "RSA-PSS"),
    ("1.2.840.10045.2.1", "EC"),
    ("1.3.101.112", "Ed25519"),
    ("1.3.101.113", "Ed448"),
    ("2.16.840.1.101.3.4.3.17", "ML-DSA-44"),
    ("2.16.840.1.101.3.4.3.18", "ML-DSA-65"),
    ("2.16.840.1.101.3.4.3.19", "ML-DSA-87"),
];

/// Named curves: (OID, NIST name, bits, ACM `KeyAlgorithm` if ACM has one).
pub const CURVES: &[(&str, &str, u32, Option<&str>)] = &[
    ("1.2.840.10045.3.1.7", "P-256", 256, Some("EC_prime256v1")),
    ("1.3.132.0.34", "P-384", 384, Some("EC_secp384r1")),
    ("1.3.132.0.35", "P-521", 521, Some("EC_secp521r1")),
    ("1.3.132.0.10", "secp256k1", 256, None),
];

/// Extensions: (OID, name).
pub const EXTENSIONS: &[(&str, &str)] = &[
    ("2.5.29.19", "basicConstraints"),
    ("2.5.29.15", "keyUsage"),
    ("2.5.29.37", "extendedKeyUsage"),
    ("2.5.29.14", "subjectKeyIdentifier"),
    ("2.5.29.35", "authorityKeyIdentifier"),
    ("2.5.29.17", "subjectAltName"),
    ("2.5.29.18", "issuerAltName"),
    ("1.3.6.1.5.5.7.1.1", "authorityInfoAccess"),
    ("2.5.29.31", "crlDistributionPoints"),
    ("2.5.29.32", "certificatePolicies"),
    ("2.5.29.30", "nameConstraints"),
    ("2.5.29.36", "policyConstraints"),
    ("2.5.29.54", "inhibitAnyPolicy"),
    ("1.3.6.1.4.1.11129.2.4.2", "signedCertificateTimestampList"),
    ("1.3.6.1.4.1.11129.2.4.3", "ctPrecertificatePoison"),
    ("1.3.6.1.5.5.7.1.24", "tlsFeature"),
];

/// Extended key usages: (OID, openssl name, ACM `ExtendedKeyUsageName`).
pub const EKUS: &[(&str, &str, &str)] = &[
    ("1.3.6.1.5.5.7.3.1", "TLS Web Server Authentication", "TLS_WEB_SERVER_AUTHENTICATION"),
    ("1.3.6.1.5.5.7.3.2", "TLS Web Client Authentication", "TLS_WEB_CLIENT_AUTHENTICATION"),
    ("1.3.6.1.5.5.7.3.3", "Code Signing", "CODE_SIGNING"),
    ("1.3.6.1.5.5.7.3.4", "E-mail Protection", "EMAIL_PROTECTION"),
    ("1.3.6.1.5.5.7.3.5", "IPSec End System", "IPSEC_END_SYSTEM"),
    ("1.3.6.1.5.5.7.3.6", "IPSec Tunnel", "IPSEC_TUNNEL"),
    ("1.3.6.1.5.5.7.3.7", "IPSec User", "IPSEC_USER"),
    ("1.3.6.1.5.5.7.3.8", "Time Stamping", "TIME_STAMPING"),
    ("1.3.6.1.5.5.7.3.9", "OCSP Signing", "OCSP_SIGNING"),
    ("2.5.29.37.0", "Any Extended Key Usage", "ANY"),
];

/// Key usage bits in order (bit 0 first): (openssl name, ACM `KeyUsageName`).
pub const KEY_USAGES: &[(&str, &str)] = &[
    ("Digital Signature", "DIGITAL_SIGNATURE"),
    ("Non Repudiation", "NON_REPUDIATION"),
    ("Key Encipherment", "KEY_ENCIPHERMENT"),
    ("Data Encipherment", "DATA_ENCIPHERMENT"),
    ("Key Agreement", "KEY_AGREEMENT"),
    ("Certificate Sign", "CERTIFICATE_SIGNING"),
    ("CRL Sign", "CRL_SIGNING"),
    ("Encipher Only", "ENCIPHER_ONLY"),
    ("Decipher Only", "DECIPHER_ONLY"),
];

/// Name attribute types: (OID, short name).
pub const NAME_ATTRIBUTES: &[(&str, &str)] = &[
    ("2.5.4.3", "CN"),
    ("2.5.4.6", "C"),
    ("2.5.4.7", "L"),
    ("2.5.4.8", "ST"),
    ("2.5.4.10", "O"),
    ("2.5.4.11", "OU"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.9", "street"),
    ("2.5.4.17", "postalCode"),
    ("1.2.840.113549.1.9.1", "emailAddress"),
    ("0.9.2342.19200300.100.1.25", "DC"),
    ("1.3.6.1.4.1.311.60.2.1.3", "jurisdictionC"),
    ("2.5.4.15", "businessCategory"),
];

/// Access methods of authorityInfoAccess: (OID, openssl name).
pub const ACCESS_METHODS: &[(&str, &str)] =
    &[("1.3.6.1.5.5.7.48.1", "OCSP"), ("1.3.6.1.5.5.7.48.2", "CA Issuers")];

/// The name of `oid` in a table of pairs, if known.
pub fn lookup<'a>(table: &'a [(&'a str, &'a str)], oid: &str) -> Option<&'a str> {
    table.iter().find(|(o, _)| *o == oid).map(|(_, n)| *n)
}
