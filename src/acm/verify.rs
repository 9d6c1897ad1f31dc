//! Verifying one link of a chain: the child's signature under the parent's public key, for the
//! algorithms the crate already carries (RSA PKCS#1 v1.5 and PSS with SHA-2, ECDSA on P-256 and
//! P-384 with SHA-2, Ed25519). Anything else (SHA-1, MD5, Ed448, ML-DSA, P-521) is reported as
//! `unsupported`, never as valid. A malformed key or signature is simply `invalid`.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use serde::Serialize;
use sha2::{Digest, Sha256, Sha384, Sha512};
use spki::DecodePublicKey;
use x509_cert::der::{Decode, Encode};
use x509_cert::Certificate;

/// The outcome of verifying one signature.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    /// The signature verifies.
    Valid,
    /// It does not.
    Invalid,
    /// The algorithm is not one this engine verifies.
    Unsupported,
}

#[derive(Clone, Copy)]
enum Hash {
    S256,
    S384,
    S512,
}

impl Hash {
    fn digest(self, m: &[u8]) -> Vec<u8> {
        match self {
            Hash::S256 => Sha256::digest(m).to_vec(),
            Hash::S384 => Sha384::digest(m).to_vec(),
            Hash::S512 => Sha512::digest(m).to_vec(),
        }
    }
    fn from_oid(oid: &str) -> Option<Hash> {
        match oid {
            "2.16.840.1.101.3.4.2.1" => Some(Hash::S256),
            "2.16.840.1.101.3.4.2.2" => Some(Hash::S384),
            "2.16.840.1.101.3.4.2.3" => Some(Hash::S512),
            _ => None,
        }
    }
}

/// The hash and salt length of an RSASSA-PSS signature algorithm's parameters.
fn pss_params(cert: &Certificate) -> Option<(Hash, usize, &'static str)> {
    let params = cert.signature_algorithm().parameters.as_ref()?.to_der().ok()?;
    let p = rsa::pkcs1::RsaPssParams::<x509_cert::der::Any>::from_der(&params).ok()?;
    let oid = p.hash.oid.to_string();
    let name = match oid.as_str() {
        "2.16.840.1.101.3.4.2.1" => "SHA256",
        "2.16.840.1.101.3.4.2.2" => "SHA384",
        "2.16.840.1.101.3.4.2.3" => "SHA512",
        _ => return None,
    };
    Some((Hash::from_oid(&oid)?, usize::from(p.salt_len), name))
}

/// The hash of a PSS signature (`SHA256`, …) for ACM's algorithm name.
pub fn pss_hash_name(cert: &Certificate) -> Option<&'static str> {
    pss_params(cert).map(|(_, _, n)| n)
}

/// Verifies `child`'s signature with `parent`'s subject public key. `child_der` is the child as
/// given: its to-be-signed bytes are taken from there, not re-encoded.
pub fn verify(child: &Certificate, child_der: &[u8], parent: &Certificate) -> Verdict {
    let Some(tbs) = tbs_bytes(child_der) else { return Verdict::Invalid };
    let spki = parent.tbs_certificate().subject_public_key_info();
    let Ok(spki_der) = spki.to_der() else { return Verdict::Invalid };
    let Some(sig) = child.signature().as_bytes() else { return Verdict::Invalid };
    let key_oid = spki.algorithm.oid.to_string();
    let sig_oid = child.signature_algorithm().oid.to_string();
    let rsa_hash = match sig_oid.as_str() {
        "1.2.840.113549.1.1.11" => Some(Hash::S256),
        "1.2.840.113549.1.1.12" => Some(Hash::S384),
        "1.2.840.113549.1.1.13" => Some(Hash::S512),
        _ => None,
    };
    let ec_hash = match sig_oid.as_str() {
        "1.2.840.10045.4.3.2" => Some(Hash::S256),
        "1.2.840.10045.4.3.3" => Some(Hash::S384),
        "1.2.840.10045.4.3.4" => Some(Hash::S512),
        _ => None,
    };
    let ok = if let Some(h) = rsa_hash {
        let Ok(key) = rsa::PublicKey::from_public_key_der(&spki_der) else { return Verdict::Invalid };
        let d = h.digest(tbs);
        match h {
            Hash::S256 => key.pkcs1v15_verify_prehash::<Sha256>(&d, sig),
            Hash::S384 => key.pkcs1v15_verify_prehash::<Sha384>(&d, sig),
            Hash::S512 => key.pkcs1v15_verify_prehash::<Sha512>(&d, sig),
        }
        .is_ok()
    } else if sig_oid == "1.2.840.113549.1.1.10" {
        let Some((h, salt, _)) = pss_params(child) else { return Verdict::Unsupported };
        let Ok(key) = rsa::PublicKey::from_public_key_der(&spki_der) else { return Verdict::Invalid };
        let d = h.digest(tbs);
        match h {
            Hash::S256 => key.verify(rsa::Pss::<Sha256>::new_with_salt(salt), &d, sig),
            Hash::S384 => key.verify(rsa::Pss::<Sha384>::new_with_salt(salt), &d, sig),
            Hash::S512 => key.verify(rsa::Pss::<Sha512>::new_with_salt(salt), &d, sig),
        }
        .is_ok()
    } else if let Some(h) = ec_hash {
        if key_oid != "1.2.840.10045.2.1" {
            return Verdict::Invalid;
        }
        let d = h.digest(tbs);
        if let Ok(k) = p256::ecdsa::VerifyingKey::from_public_key_der(&spki_der) {
            p256::ecdsa::Signature::from_der(sig).is_ok_and(|s| k.verify_prehash(&d, &s).is_ok())
        } else if let Ok(k) = p384::ecdsa::VerifyingKey::from_public_key_der(&spki_der) {
            p384::ecdsa::Signature::from_der(sig).is_ok_and(|s| k.verify_prehash(&d, &s).is_ok())
        } else {
            return Verdict::Unsupported;
        }
    } else if sig_oid == "1.3.101.112" {
        let Ok(k) = ed25519_dalek::VerifyingKey::from_public_key_der(&spki_der) else {
            return Verdict::Invalid;
        };
        ed25519_dalek::Signature::from_slice(sig).is_ok_and(|s| k.verify_strict(tbs, &s).is_ok())
    } else {
        return Verdict::Unsupported;
    };
    if ok {
        Verdict::Valid
    } else {
        Verdict::Invalid
    }
}

/// The bytes of the first element (tbsCertificate) inside a certificate's outer SEQUENCE.
fn tbs_bytes(der: &[u8]) -> Option<&[u8]> {
    let outer_header = header_len(der)?;
    let inner = der.get(outer_header..)?;
    let len = super::pem::der_total_len(inner)?;
    inner.get(..len)
}

fn header_len(b: &[u8]) -> Option<usize> {
    let first = *b.get(1)?;
    if first < 0x80 {
        Some(2)
    } else {
        Some(2 + usize::from(first & 0x7f))
    }
}
