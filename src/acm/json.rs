//! The JSON layer of the ACM engine: the one door the JS API and the page use. Certificate
//! input is PEM text or DER bytes; results are plain JSON (camelCase for the inspector, AWS's
//! own shapes for what ACM returns: the `DescribeCertificate` `Certificate` detail and the
//! EventBridge events).

use serde::Deserialize;
use serde_json::{json, Value};

use super::chain;
use super::error::AcmError;
use super::inspect::{self, Parsed};
use super::names;
use super::pem;
use super::timeline::{self, Options, View};

/// Reads and decodes every certificate of `input`; `at` (epoch seconds) is the time validity is
/// judged against, by default the latest notBefore of them all (the first instant at which a
/// good chain is wholly valid; the JS API passes the real time).
pub fn read(input: &[u8], at: Option<i64>) -> Result<Vec<Parsed>, AcmError> {
    let blocks = pem::read(input)?;
    let mut out = Vec::with_capacity(blocks.len());
    for (i, b) in blocks.into_iter().enumerate() {
        // Validity is judged later once `at` is known; parse with a provisional time.
        out.push(inspect::parse(i, b, at.unwrap_or(0))?);
    }
    if at.is_none() {
        let latest = out.iter().map(|p| p.info.not_before_epoch).max().unwrap_or(0);
        for p in &mut out {
            p.info.status = status_at(&p.info, latest);
        }
    }
    Ok(out)
}

fn status_at(c: &inspect::CertInfo, at: i64) -> &'static str {
    if at < c.not_before_epoch {
        "notYetValid"
    } else if at > c.not_after_epoch {
        "expired"
    } else {
        "valid"
    }
}

/// The certificate names ACM uses: the DNS SANs, or the common name when there are none.
pub fn cert_names(c: &inspect::CertInfo) -> Vec<String> {
    if c.sans.dns.is_empty() {
        c.common_name.iter().cloned().collect()
    } else {
        c.sans.dns.clone()
    }
}

/// `inspectCertificate`: every certificate's fields and the chain report.
/// `{certificates: [...], chain: {links, problems}, names: [...]}`.
pub fn inspect(input: &[u8], at: Option<i64>) -> Result<Value, AcmError> {
    let certs = read(input, at)?;
    let report = chain::check(&certs);
    let names = certs.first().map(|p| cert_names(&p.info)).unwrap_or_default();
    Ok(json!({
        "certificates": certs.iter().map(|p| &p.info).collect::<Vec<_>>(),
        "chain": report,
        "names": names,
    }))
}

/// Reads the options object of `acmTimeline`.
pub fn read_options(v: &Value) -> Result<Options, AcmError> {
    match v {
        Value::Null => Ok(Options::deserialize(json!({})).map_err(|e| AcmError::option("", e.to_string()))?),
        Value::Object(_) => Options::deserialize(v).map_err(|e| AcmError::option("", e.to_string())),
        _ => Err(AcmError::option("", "the options must be an object")),
    }
}

/// `acmTimeline`: the ACM view of the first certificate of `input`.
pub fn timeline(input: &[u8], options: &Value) -> Result<Value, AcmError> {
    let o = read_options(options)?;
    if o.hosts.as_ref().is_some_and(|h| h.len() > 100) {
        return Err(AcmError::option("/hosts", "at most 100 host names"));
    }
    let certs = read(input, o.now)?;
    let leaf = certs.first().ok_or(AcmError::Empty)?;
    let c = &leaf.info;
    let v = View::new(&o, c)?;
    let (events, renewed) = timeline::events(&v, c);
    let (eligible, why) = timeline::eligibility(&v, c);
    let names = cert_names(c);
    let coverage = names::coverage(&names, o.hosts.as_deref().unwrap_or(&[]));
    let days_to_expiry = (c.not_after_epoch - v.now).div_euclid(86_400);
    let expired = v.now > c.not_after_epoch && !renewed;
    let config_non_compliant = !renewed && v.now >= c.not_after_epoch - v.days_to_expiration * 86_400;
    let validation = if v.cert_type == "AMAZON_ISSUED" && v.validation_method == "DNS" {
        names
            .iter()
            .map(|n| json!({"DomainName": n, "ResourceRecord": timeline::validation_record(n, &v.account)}))
            .collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    Ok(json!({
        "arn": v.arn(c),
        "type": v.cert_type,
        "names": names,
        "coverage": coverage,
        "now": v.now,
        "state": {
            "status": if expired { "EXPIRED" } else { "ISSUED" },
            "daysToExpiry": days_to_expiry,
            "renewalEligibility": if eligible { "ELIGIBLE" } else { "INELIGIBLE" },
            "renewalEligibilityReason": why,
            "renewed": renewed,
            "configRule": if config_non_compliant { "NON_COMPLIANT" } else { "COMPLIANT" },
            "expiryEventsActive": !renewed && v.now >= c.not_after_epoch - v.days_before_expiry * 86_400 && v.now <= c.not_after_epoch,
        },
        "events": events,
        "validationRecords": validation,
        "placements": timeline::placements(&v),
        "export": timeline::export(&v),
        "describeCertificate": {"Certificate": describe(&v, c, &names, eligible)},
    }))
}

/// The `DescribeCertificate` `Certificate` detail ACM would return for this certificate.
fn describe(v: &View, c: &inspect::CertInfo, names: &[String], eligible: bool) -> Value {
    let mut d = serde_json::Map::new();
    d.insert("CertificateArn".into(), json!(v.arn(c)));
    if let Some(first) = names.first() {
        d.insert("DomainName".into(), json!(first));
        d.insert("SubjectAlternativeNames".into(), json!(names));
    }
    d.insert("Serial".into(), json!(c.serial));
    d.insert("Subject".into(), json!(rfc_style(&c.subject)));
    d.insert("Issuer".into(), json!(c.issuer_org_or_cn()));
    d.insert("NotBefore".into(), json!(c.not_before_epoch));
    d.insert("NotAfter".into(), json!(c.not_after_epoch));
    if let Some(k) = &c.public_key.acm_key_algorithm {
        d.insert("KeyAlgorithm".into(), json!(k));
    }
    d.insert("SignatureAlgorithm".into(), json!(c.signature_algorithm.acm));
    d.insert("Status".into(), json!(if v.now > c.not_after_epoch { "EXPIRED" } else { "ISSUED" }));
    d.insert("Type".into(), json!(v.cert_type));
    d.insert(
        "InUseBy".into(),
        json!(if v.in_use {
            vec![format!(
                "arn:aws:elasticloadbalancing:{}:{}:loadbalancer/app/example/0123456789abcdef",
                v.resource_region, v.account
            )]
        } else {
            Vec::new()
        }),
    );
    d.insert("RenewalEligibility".into(), json!(if eligible { "ELIGIBLE" } else { "INELIGIBLE" }));
    d.insert(
        "KeyUsages".into(),
        json!(c
            .key_usage
            .iter()
            .filter_map(|n| super::oids::KEY_USAGES.iter().find(|(o, _)| o == n))
            .map(|(_, a)| json!({"Name": a}))
            .collect::<Vec<_>>()),
    );
    d.insert(
        "ExtendedKeyUsages".into(),
        json!(c
            .extended_key_usage
            .iter()
            .map(|n| match super::oids::EKUS.iter().find(|(_, o, _)| o == n) {
                Some((oid, _, acm)) => json!({"Name": acm, "OID": oid}),
                None => json!({"Name": "CUSTOM", "OID": n}),
            })
            .collect::<Vec<_>>()),
    );
    if v.cert_type == "IMPORTED" {
        d.insert("ImportedAt".into(), json!(v.requested_at));
    } else {
        d.insert("CreatedAt".into(), json!(v.requested_at));
        d.insert("IssuedAt".into(), json!(c.not_before_epoch));
        d.insert("Options".into(), json!({"Export": if v.export_enabled { "ENABLED" } else { "DISABLED" }}));
    }
    if v.cert_type == "AMAZON_ISSUED" {
        d.insert(
            "DomainValidationOptions".into(),
            json!(names
                .iter()
                .map(|n| {
                    let mut o = serde_json::Map::new();
                    o.insert("DomainName".into(), json!(n));
                    o.insert("ValidationDomain".into(), json!(n.strip_prefix("*.").unwrap_or(n)));
                    o.insert("ValidationStatus".into(), json!("SUCCESS"));
                    o.insert("ValidationMethod".into(), json!(v.validation_method));
                    if v.validation_method == "DNS" {
                        o.insert("ResourceRecord".into(), timeline::validation_record(n, &v.account));
                    }
                    Value::Object(o)
                })
                .collect::<Vec<_>>()),
        );
    }
    Value::Object(d)
}

/// `C = US, O = X, CN = y` → ACM's `CN=y,O=X,C=US` (most specific first).
fn rfc_style(s: &str) -> String {
    let mut parts: Vec<String> =
        s.split(", ").filter_map(|p| p.split_once(" = ").map(|(k, v)| format!("{k}={v}"))).collect();
    parts.reverse();
    parts.join(",")
}

impl inspect::CertInfo {
    /// The issuer as ACM shows it (its organisation, else the whole name).
    fn issuer_org_or_cn(&self) -> String {
        self.issuer
            .split(", ")
            .find_map(|p| p.strip_prefix("O = "))
            .map_or_else(|| rfc_style(&self.issuer), str::to_owned)
    }
}
