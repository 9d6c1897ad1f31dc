//! Checks across the certificates of one input, read as a chain leaf first: each certificate's
//! issuer must be the next one's subject (with the AKI matching the issuer's SKI), no
//! duplicates, a leaf that is not a CA, no intermediate missing, and each link's signature.
//! Problems are findings with a stable `code` and a severity, not errors: a chain with problems
//! still inspects, so a page can show what is wrong and how to fix it.

use serde::Serialize;

use super::inspect::Parsed;
use super::verify::{verify, Verdict};

/// One finding about the chain.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// Stable code (`OutOfOrder`, `Duplicate`, `LeafIsCa`, `MissingIntermediate`,
    /// `AkiSkiMismatch`, `BadSignature`, `RootIncluded`, `Expired`, `NotYetValid`,
    /// `UnsupportedSignature`).
    pub code: &'static str,
    /// `error`, `warning` or `info`.
    pub severity: &'static str,
    /// The certificate (0-based) it is about.
    pub index: usize,
    /// What is wrong and what to do.
    pub message: String,
}

/// One link: certificate `child` checked against `parent`.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Link {
    /// The signed certificate.
    pub child: usize,
    /// The signer (the same index for a self-signed certificate).
    pub parent: usize,
    /// The child's issuer equals the parent's subject.
    pub names_match: bool,
    /// The child's AKI equals the parent's SKI (`None` if either is absent).
    pub key_ids_match: Option<bool>,
    /// The signature check.
    pub signature: Verdict,
}

/// The chain report.
#[derive(Debug, Clone, Serialize, PartialEq, Default)]
pub struct Chain {
    /// Links checked, in input order.
    pub links: Vec<Link>,
    /// Findings, in input order.
    pub problems: Vec<Problem>,
}

fn link(certs: &[Parsed], child: usize, parent: usize) -> Option<Link> {
    let (c, p) = (certs.get(child)?, certs.get(parent)?);
    let names_match = c.cert.tbs_certificate().issuer() == p.cert.tbs_certificate().subject();
    let key_ids_match = match (&c.info.authority_key_id, &p.info.subject_key_id) {
        (Some(a), Some(s)) => Some(a == s),
        _ => None,
    };
    Some(Link { child, parent, names_match, key_ids_match, signature: verify(&c.cert, &c.der, &p.cert) })
}

/// Checks `certs` as a chain, leaf first.
pub fn check(certs: &[Parsed]) -> Chain {
    let mut out = Chain::default();
    let n = certs.len();
    let issuer_of = |i: usize| certs.get(i).map(|c| c.cert.tbs_certificate().issuer());
    for (i, c) in certs.iter().enumerate() {
        let mut p = |code, severity, message: String| {
            out.problems.push(Problem { code, severity, index: i, message })
        };
        if let Some(j) = certs.iter().take(i).position(|e| e.info.sha256 == c.info.sha256) {
            p("Duplicate", "warning", format!("certificate {i} repeats certificate {j}: remove the copy"));
            continue;
        }
        match c.info.status {
            "expired" => p("Expired", "error", format!("certificate {i} expired on {}", c.info.not_after)),
            "notYetValid" => p(
                "NotYetValid",
                "error",
                format!("certificate {i} is not valid before {}", c.info.not_before),
            ),
            _ => {}
        }
        if i == 0 && c.info.is_ca && n > 1 {
            p(
                "LeafIsCa",
                "error",
                "the first certificate is a CA certificate: put the end-entity (leaf) certificate first"
                    .to_owned(),
            );
        } else if i == 0 && c.info.is_ca && !c.info.self_issued {
            p(
                "LeafIsCa",
                "warning",
                "this certificate is a CA certificate (basicConstraints CA:TRUE), not a server certificate"
                    .to_owned(),
            );
        }
        if c.info.self_issued {
            if n > 1 {
                p("RootIncluded", "info", format!("certificate {i} is a self-signed root: clients already hold it, so the chain need not carry it"));
            }
            continue;
        }
        let Some(issuer) = issuer_of(i) else { continue };
        let next_is_issuer = certs.get(i + 1).is_some_and(|nx| nx.cert.tbs_certificate().subject() == issuer);
        if next_is_issuer {
            continue;
        }
        match certs.iter().position(|o| o.cert.tbs_certificate().subject() == issuer && o.info.sha256 != c.info.sha256) {
            Some(j) => p("OutOfOrder", "error", format!("certificate {i}'s issuer is certificate {j}, not the next one: order the chain leaf first, each certificate followed by its issuer")),
            None if i + 1 < n => p("MissingIntermediate", "error", format!("no certificate here issued certificate {i} (issuer `{}`): add the missing intermediate after it", c.info.issuer)),
            None => {}
        }
    }
    // Links: each certificate with the one that issued it, wherever it is in the input.
    for (i, c) in certs.iter().enumerate() {
        let issuer = c.cert.tbs_certificate().issuer();
        let parent = if c.info.self_issued {
            Some(i)
        } else {
            certs
                .iter()
                .position(|o| o.cert.tbs_certificate().subject() == issuer && o.info.sha256 != c.info.sha256)
        };
        let Some(l) = parent.and_then(|j| link(certs, i, j)) else { continue };
        if l.key_ids_match == Some(false) {
            out.problems.push(Problem {
                code: "AkiSkiMismatch",
                severity: "warning",
                index: i,
                message: format!("certificate {i}'s authority key identifier differs from certificate {}'s subject key identifier: the issuer may have been re-keyed", l.parent),
            });
        }
        match l.signature {
            Verdict::Invalid => out.problems.push(Problem {
                code: "BadSignature",
                severity: "error",
                index: i,
                message: format!(
                    "certificate {i}'s signature does not verify with certificate {}'s key",
                    l.parent
                ),
            }),
            Verdict::Unsupported => out.problems.push(Problem {
                code: "UnsupportedSignature",
                severity: "info",
                index: i,
                message: format!(
                    "certificate {i}'s signature algorithm `{}` is not verified here",
                    c.info.signature_algorithm.name
                ),
            }),
            Verdict::Valid => {}
        }
        if certs.iter().take(i).any(|e| e.info.sha256 == c.info.sha256) {
            continue;
        }
        out.links.push(l);
    }
    out
}
