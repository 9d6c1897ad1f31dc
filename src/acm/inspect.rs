//! One certificate decoded into what a person reads: names, serial, key, signature algorithm,
//! validity, fingerprints, SANs and extensions with their criticality (`openssl x509 -text`'s
//! content, as typed data). Decoding is `x509-cert`'s (RustCrypto), strict DER; extensions the
//! crate cannot decode are listed with their OID and criticality and an `error`, never dropped.
//!
//! Chain checks across certificates are in `chain.rs`; signatures in `verify.rs`.

use serde::Serialize;
use serde_json::{json, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use x509_cert::der::{self, Decode, Encode, Tagged};
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies,
    CrlDistributionPoints, ExtendedKeyUsage, KeyUsage, SubjectAltName, SubjectKeyIdentifier,
};
use x509_cert::name::Name;
use x509_cert::Certificate;

use super::error::AcmError;
use super::oids;
use super::pem::Block;
use crate::kms::time::iso8601;

/// A decoded certificate: the typed value (for chain checks) and its report.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The certificate.
    pub cert: Certificate,
    /// Its DER, as given.
    pub der: Vec<u8>,
    /// What the page and the JS API show.
    pub info: CertInfo,
}

/// What one certificate says.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct CertInfo {
    /// 0-based position in the input.
    pub index: usize,
    /// 1-based line of its BEGIN line (0 for DER input).
    pub line: usize,
    /// X.509 version (1–3).
    pub version: u8,
    /// Serial number, lowercase colon hex of its magnitude (as ACM's `Serial`).
    pub serial: String,
    /// Subject, attributes in certificate order, `openssl`'s `C = US, O = …` style.
    pub subject: String,
    /// Issuer, same style.
    pub issuer: String,
    /// The subject's common name, if any.
    pub common_name: Option<String>,
    /// notBefore, ISO 8601 UTC.
    pub not_before: String,
    /// notAfter, ISO 8601 UTC.
    pub not_after: String,
    /// notBefore, epoch seconds.
    pub not_before_epoch: i64,
    /// notAfter, epoch seconds.
    pub not_after_epoch: i64,
    /// Lifetime in whole days.
    pub validity_days: i64,
    /// `valid`, `expired` or `notYetValid` at the inspection time.
    pub status: &'static str,
    /// The subject public key.
    pub public_key: KeyInfo,
    /// The outer signature algorithm.
    pub signature_algorithm: SigAlg,
    /// SHA-1 of the DER, uppercase colon hex (`openssl x509 -fingerprint -sha1`).
    pub sha1: String,
    /// SHA-256 of the DER, uppercase colon hex.
    pub sha256: String,
    /// Subject alternative names by kind.
    pub sans: Sans,
    /// Basic constraints `cA`.
    pub is_ca: bool,
    /// Basic constraints path length.
    pub path_len: Option<u8>,
    /// Key usage bits, `openssl`'s names.
    pub key_usage: Vec<String>,
    /// Extended key usages, `openssl`'s names (or the OID).
    pub extended_key_usage: Vec<String>,
    /// Subject key identifier, uppercase colon hex.
    pub subject_key_id: Option<String>,
    /// Authority key identifier (keyIdentifier), uppercase colon hex.
    pub authority_key_id: Option<String>,
    /// Subject == issuer.
    pub self_issued: bool,
    /// Every extension in order.
    pub extensions: Vec<ExtInfo>,
}

/// Subject alternative names.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Sans {
    /// dNSName entries.
    pub dns: Vec<String>,
    /// iPAddress entries, text form.
    pub ip: Vec<String>,
    /// rfc822Name entries.
    pub email: Vec<String>,
    /// uniformResourceIdentifier entries.
    pub uri: Vec<String>,
}

/// The subject public key.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KeyInfo {
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `ML-DSA-65`, … or `unknown`.
    pub algorithm: String,
    /// The algorithm OID.
    pub oid: String,
    /// Key size in bits (RSA modulus, curve size; Ed25519 256).
    pub bits: Option<u32>,
    /// EC curve (`P-256`, …).
    pub curve: Option<String>,
    /// ACM's `KeyAlgorithm` for this key, if ACM has one.
    pub acm_key_algorithm: Option<String>,
}

/// A signature algorithm.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SigAlg {
    /// The OID.
    pub oid: String,
    /// `openssl`'s name, or the OID.
    pub name: String,
    /// ACM's `SignatureAlgorithm` string.
    pub acm: String,
}

/// One extension.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ExtInfo {
    /// The OID.
    pub oid: String,
    /// Its name, or the OID.
    pub name: String,
    /// Criticality.
    pub critical: bool,
    /// The decoded value (shape per extension), or null.
    pub value: Value,
    /// Why the value did not decode, if it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Decodes one block. `at` (epoch seconds) sets `status`.
pub fn parse(index: usize, block: Block, at: i64) -> Result<Parsed, AcmError> {
    let cert = Certificate::from_der(&block.der).map_err(|e| AcmError::Der {
        index,
        offset: e.position().map_or(0, |p| usize::try_from(u32::from(p)).unwrap_or(0)),
        message: e.kind().to_string(),
    })?;
    let tbs = cert.tbs_certificate();
    let not_before_epoch = secs(tbs.validity().not_before.to_unix_duration());
    let not_after_epoch = secs(tbs.validity().not_after.to_unix_duration());
    let status = if at < not_before_epoch {
        "notYetValid"
    } else if at > not_after_epoch {
        "expired"
    } else {
        "valid"
    };
    let sig_oid = cert.signature_algorithm().oid.to_string();
    let sig = oids::SIGNATURE_ALGORITHMS.iter().find(|(o, _, _)| *o == sig_oid);
    let mut info = CertInfo {
        index,
        line: block.line,
        version: match tbs.version() {
            x509_cert::certificate::Version::V1 => 1,
            x509_cert::certificate::Version::V2 => 2,
            x509_cert::certificate::Version::V3 => 3,
        },
        serial: serial_hex(tbs.serial_number().as_bytes()),
        subject: name_text(tbs.subject()),
        issuer: name_text(tbs.issuer()),
        common_name: name_attr(tbs.subject(), "2.5.4.3"),
        not_before: iso8601(not_before_epoch),
        not_after: iso8601(not_after_epoch),
        not_before_epoch,
        not_after_epoch,
        validity_days: (not_after_epoch - not_before_epoch) / 86_400,
        status,
        public_key: key_info(tbs.subject_public_key_info()),
        signature_algorithm: SigAlg {
            oid: sig_oid.clone(),
            name: sig.map_or(sig_oid.clone(), |s| s.1.to_owned()),
            acm: sig.map_or(sig_oid.clone(), |s| s.2.to_owned()),
        },
        sha1: hex(&Sha1::digest(&block.der), ':', true),
        sha256: hex(&Sha256::digest(&block.der), ':', true),
        sans: Sans::default(),
        is_ca: false,
        path_len: None,
        key_usage: Vec::new(),
        extended_key_usage: Vec::new(),
        subject_key_id: None,
        authority_key_id: None,
        self_issued: tbs.subject() == tbs.issuer(),
        extensions: Vec::new(),
    };
    if info.signature_algorithm.oid == "1.2.840.113549.1.1.10" {
        if let Some(h) = super::verify::pss_hash_name(&cert) {
            info.signature_algorithm.acm = format!("{h}WITHRSAPSS");
        }
    }
    for ext in tbs.extensions().into_iter().flatten() {
        let oid = ext.extn_id.to_string();
        let bytes = ext.extn_value.as_bytes();
        let (value, error) = match decode_ext(&oid, bytes, &mut info) {
            Ok(v) => (v, None),
            Err(e) => (Value::Null, Some(e)),
        };
        info.extensions.push(ExtInfo {
            name: oids::lookup(oids::EXTENSIONS, &oid).unwrap_or(&oid).to_owned(),
            oid,
            critical: ext.critical,
            value,
            error,
        });
    }
    Ok(Parsed { cert, der: block.der, info })
}

fn secs(d: core::time::Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

/// Decodes one extension's value into JSON, filling the convenience fields of `info`.
fn decode_ext(oid: &str, b: &[u8], info: &mut CertInfo) -> Result<Value, String> {
    let e = |e: der::Error| e.to_string();
    Ok(match oid {
        "2.5.29.19" => {
            let v = BasicConstraints::from_der(b).map_err(e)?;
            info.is_ca = v.ca;
            info.path_len = v.path_len_constraint;
            json!({"ca": v.ca, "pathLen": v.path_len_constraint})
        }
        "2.5.29.15" => {
            let v = KeyUsage::from_der(b).map_err(e)?;
            let bits = v.0.bits();
            info.key_usage = oids::KEY_USAGES
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1u16 << i) != 0)
                .map(|(_, (n, _))| (*n).to_owned())
                .collect();
            json!(info.key_usage)
        }
        "2.5.29.37" => {
            let v = ExtendedKeyUsage::from_der(b).map_err(e)?;
            info.extended_key_usage =
                v.0.iter()
                    .map(|o| {
                        let s = o.to_string();
                        oids::EKUS.iter().find(|(x, _, _)| *x == s).map_or(s, |(_, n, _)| (*n).to_owned())
                    })
                    .collect();
            json!(info.extended_key_usage)
        }
        "2.5.29.14" => {
            let v = SubjectKeyIdentifier::from_der(b).map_err(e)?;
            let id = hex(v.0.as_bytes(), ':', true);
            info.subject_key_id = Some(id.clone());
            json!(id)
        }
        "2.5.29.35" => {
            let v = AuthorityKeyIdentifier::from_der(b).map_err(e)?;
            let id = v.key_identifier.as_ref().map(|k| hex(k.as_bytes(), ':', true));
            info.authority_key_id = id.clone();
            json!({
                "keyIdentifier": id,
                "authorityCertIssuer": v.authority_cert_issuer.as_ref().map(|g| g.iter().map(general_name).collect::<Vec<_>>()),
                "authorityCertSerialNumber": v.authority_cert_serial_number.as_ref().map(|s| serial_hex(s.as_bytes())),
            })
        }
        "2.5.29.17" => {
            let v = SubjectAltName::from_der(b).map_err(e)?;
            for g in &v.0 {
                match g {
                    GeneralName::DnsName(s) => info.sans.dns.push(s.to_string()),
                    GeneralName::Rfc822Name(s) => info.sans.email.push(s.to_string()),
                    GeneralName::UniformResourceIdentifier(s) => info.sans.uri.push(s.to_string()),
                    GeneralName::IpAddress(o) => info.sans.ip.push(ip_text(o.as_bytes())),
                    _ => {}
                }
            }
            json!(v.0.iter().map(general_name).collect::<Vec<_>>())
        }
        "1.3.6.1.5.5.7.1.1" => {
            let v = AuthorityInfoAccessSyntax::from_der(b).map_err(e)?;
            json!(v
                .0
                .iter()
                .map(|a| {
                    let m = a.access_method.to_string();
                    json!({"method": oids::lookup(oids::ACCESS_METHODS, &m).unwrap_or(&m), "location": general_name(&a.access_location)})
                })
                .collect::<Vec<_>>())
        }
        "2.5.29.31" => {
            let v = CrlDistributionPoints::from_der(b).map_err(e)?;
            let mut uris = Vec::new();
            for dp in &v.0 {
                if let Some(DistributionPointName::FullName(names)) = &dp.distribution_point {
                    uris.extend(names.iter().map(general_name));
                }
            }
            json!(uris)
        }
        "2.5.29.32" => {
            let v = CertificatePolicies::from_der(b).map_err(e)?;
            json!(v.0.iter().map(|p| p.policy_identifier.to_string()).collect::<Vec<_>>())
        }
        // The SCT list is a TLS-encoded blob inside an OCTET STRING: shown as present, with its size.
        "1.3.6.1.4.1.11129.2.4.2" => json!({"present": true, "bytes": b.len()}),
        _ => Value::Null,
    })
}

/// A general name as `openssl` prints it (`DNS:…`, `IP Address:…`, `URI:…`, `email:…`).
fn general_name(g: &GeneralName) -> String {
    match g {
        GeneralName::DnsName(s) => format!("DNS:{s}"),
        GeneralName::Rfc822Name(s) => format!("email:{s}"),
        GeneralName::UniformResourceIdentifier(s) => format!("URI:{s}"),
        GeneralName::IpAddress(o) => format!("IP Address:{}", ip_text(o.as_bytes())),
        GeneralName::DirectoryName(n) => format!("DirName:{}", name_text(n)),
        GeneralName::RegisteredId(o) => format!("Registered ID:{o}"),
        GeneralName::OtherName(o) => format!("othername:{}", o.type_id),
        GeneralName::EdiPartyName(_) => "EdiPartyName:<unsupported>".to_owned(),
    }
}

/// An iPAddress entry: 4 or 16 bytes (anything else shown as hex).
fn ip_text(b: &[u8]) -> String {
    if let Ok(v4) = <[u8; 4]>::try_from(b) {
        return std::net::Ipv4Addr::from(v4).to_string();
    }
    if let Ok(v6) = <[u8; 16]>::try_from(b) {
        return std::net::Ipv6Addr::from(v6).to_string();
    }
    hex(b, ':', true)
}

/// A name in certificate order, `openssl`'s `C = US, O = Example` style.
pub fn name_text(n: &Name) -> String {
    let mut parts = Vec::new();
    for rdn in n.iter_rdn() {
        for atv in rdn.iter() {
            let oid = atv.oid.to_string();
            let key = oids::lookup(oids::NAME_ATTRIBUTES, &oid).map_or(oid.clone(), str::to_owned);
            parts.push(format!("{key} = {}", attr_value(&atv.value)));
        }
    }
    parts.join(", ")
}

/// The first value of attribute `oid` in a name.
pub fn name_attr(n: &Name, oid: &str) -> Option<String> {
    n.iter().find(|a| a.oid.to_string() == oid).map(|a| attr_value(&a.value))
}

/// A directory string's text (UTF8, Printable, IA5, Teletex as Latin-1, BMP as UTF-16BE).
fn attr_value(v: &der::Any) -> String {
    let b = v.value();
    match v.tag() {
        der::Tag::BmpString => {
            let units: Vec<u16> = b
                .chunks_exact(2)
                .map(|c| <[u8; 2]>::try_from(c).map_or(0xfffd, u16::from_be_bytes))
                .collect();
            String::from_utf16_lossy(&units)
        }
        der::Tag::TeletexString => b.iter().map(|&c| char::from(c)).collect(),
        _ => String::from_utf8_lossy(b).into_owned(),
    }
}

fn key_info(spki: &spki::SubjectPublicKeyInfoOwned) -> KeyInfo {
    let oid = spki.algorithm.oid.to_string();
    let algorithm = oids::lookup(oids::KEY_ALGORITHMS, &oid).unwrap_or("unknown").to_owned();
    let key = spki.subject_public_key.raw_bytes();
    let mut out = KeyInfo { algorithm, oid, bits: None, curve: None, acm_key_algorithm: None };
    match out.algorithm.as_str() {
        "RSA" | "RSA-PSS" => {
            if let Ok(k) = rsa::pkcs1::RsaPublicKey::<der::asn1::UintRef<'_>>::from_der(key) {
                let m: &[u8] = k.modulus.as_bytes();
                let lead = m.iter().take_while(|&&x| x == 0).count();
                let bytes = m.get(lead..).unwrap_or(&[]);
                let bits = bytes.first().map_or(0, |f| (bytes.len() as u32) * 8 - f.leading_zeros());
                out.bits = Some(bits);
                if matches!(bits, 1024 | 2048 | 3072 | 4096) {
                    out.acm_key_algorithm = Some(format!("RSA_{bits}"));
                }
            }
        }
        "EC" => {
            let curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<der::asn1::ObjectIdentifier>().ok())
                .map(|o| o.to_string());
            if let Some(c) = curve.and_then(|c| oids::CURVES.iter().find(|(o, _, _, _)| *o == c)) {
                out.curve = Some(c.1.to_owned());
                out.bits = Some(c.2);
                out.acm_key_algorithm = c.3.map(str::to_owned);
            }
        }
        "Ed25519" => out.bits = Some(256),
        "Ed448" => out.bits = Some(456),
        _ => {}
    }
    out
}

/// A serial number's magnitude as lowercase colon hex (the DER sign byte dropped).
fn serial_hex(b: &[u8]) -> String {
    let b = match b {
        [0, rest @ ..] if !rest.is_empty() => rest,
        _ => b,
    };
    hex(b, ':', false)
}

/// Bytes as hex with a separator.
pub fn hex(b: &[u8], sep: char, upper: bool) -> String {
    let mut s = String::with_capacity(b.len() * 3);
    for (i, x) in b.iter().enumerate() {
        if i > 0 {
            s.push(sep);
        }
        if upper {
            s.push_str(&format!("{x:02X}"));
        } else {
            s.push_str(&format!("{x:02x}"));
        }
    }
    s
}

/// The DER encoding of a value (for comparisons); empty if it cannot be encoded.
pub fn der_of<T: Encode>(v: &T) -> Vec<u8> {
    v.to_der().unwrap_or_default()
}
