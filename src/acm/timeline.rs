//! The ACM view of one certificate on a simulated clock: managed renewal of an ACM-issued
//! certificate, expiry events of any certificate, the `acm-certificate-expiration-check` AWS
//! Config rule, the DNS-validation CNAME of a requested certificate, the region it must live in
//! for each integrated service, and whether it can be exported. Every figure is cited beside its
//! constant; the tests in `tests/acm/` cite them again.
//!
//! Not modelled: the hour of day at which ACM runs (events are placed at whole days before
//! expiry), ACM's retries within the renewal window, AWS Health notifications, private CAs.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::error::AcmError;
use super::inspect::{hex, CertInfo};
use crate::kms::time::iso8601;

const DAY: i64 = 86_400;
/// Managed renewal starts 60 days before expiry
/// (<https://docs.aws.amazon.com/acm/latest/userguide/renew-private-cert.html>, "When a managed
/// certificate is 60 days away from expiration, ACM automatically attempts to renew it").
pub const RENEWAL_DAYS: i64 = 60;
/// Expiry events start 45 days before expiry by default, `DaysBeforeExpiry` 1–45
/// (<https://docs.aws.amazon.com/acm/latest/userguide/supported-events.html>,
/// <https://docs.aws.amazon.com/acm/latest/APIReference/API_ExpiryEventsConfiguration.html>).
pub const DEFAULT_DAYS_BEFORE_EXPIRY: i64 = 45;
/// `acm-certificate-expiration-check`'s `daysToExpiration` default
/// (<https://docs.aws.amazon.com/config/latest/developerguide/acm-certificate-expiration-check.html>).
pub const DEFAULT_DAYS_TO_EXPIRATION: i64 = 14;
/// Public certificates requested before this day (2025-06-17) cannot be exported
/// (<https://docs.aws.amazon.com/acm/latest/APIReference/API_ExportCertificate.html>).
pub const EXPORTABLE_SINCE: i64 = 1_750_118_400;

/// The options of the ACM view (all optional).
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// `IMPORTED` (default), `AMAZON_ISSUED` or `PRIVATE`.
    #[serde(rename = "type")]
    pub cert_type: Option<String>,
    /// The simulated now (epoch seconds); default the certificate's notBefore.
    pub now: Option<i64>,
    /// Associated with an integrated service (ELB, CloudFront, API Gateway…); default true.
    pub in_use: Option<bool>,
    /// Exported since issued or last renewed; default false.
    pub exported: Option<bool>,
    /// `DNS` (default) or `EMAIL`.
    pub validation_method: Option<String>,
    /// The DNS validation CNAME is still in DNS; default true.
    pub dns_record_present: Option<bool>,
    /// The domain owner acted on the renewal email; default false.
    pub email_action_taken: Option<bool>,
    /// `PutAccountConfiguration` `ExpiryEvents.DaysBeforeExpiry` (1–45); default 45.
    pub days_before_expiry: Option<i64>,
    /// The Config rule's `daysToExpiration`; default 14.
    pub days_to_expiration: Option<i64>,
    /// The certificate's region; default `us-east-1`.
    pub region: Option<String>,
    /// The region of the API or load balancer; default the certificate's region.
    pub resource_region: Option<String>,
    /// The account; default `111122223333`.
    pub account: Option<String>,
    /// Requested with `Options.Export = ENABLED` (AMAZON_ISSUED only); default false.
    pub export_enabled: Option<bool>,
    /// When the certificate was requested (epoch seconds); default notBefore.
    pub requested_at: Option<i64>,
    /// Host names to check against the certificate's names.
    pub hosts: Option<Vec<String>>,
}

/// One point on the timeline.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Event {
    /// Epoch seconds.
    pub at: i64,
    /// ISO 8601.
    pub time: String,
    /// Stable kind: `ManagedRenewalStarts`, `Renewed`, `RenewalPendingValidation`,
    /// `RenewalIneligible`, `ApproachingExpiration`, `ConfigRuleNonCompliant`, `Expired`.
    pub kind: &'static str,
    /// What happens.
    pub detail: String,
    /// Before or at the simulated now.
    pub past: bool,
    /// The EventBridge event ACM emits, when it emits one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_bridge: Option<Value>,
}

/// Validated options with their defaults.
pub struct View {
    pub cert_type: &'static str,
    pub now: i64,
    pub in_use: bool,
    pub exported: bool,
    pub validation_method: &'static str,
    pub dns_record_present: bool,
    pub email_action_taken: bool,
    pub days_before_expiry: i64,
    pub days_to_expiration: i64,
    pub region: String,
    pub resource_region: String,
    pub account: String,
    pub export_enabled: bool,
    pub requested_at: i64,
}

fn valid_region(r: &str) -> bool {
    let parts: Vec<&str> = r.split('-').collect();
    parts.len() >= 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()))
}

impl View {
    /// Checks the options against the certificate.
    pub fn new(o: &Options, cert: &CertInfo) -> Result<View, AcmError> {
        let cert_type = match o.cert_type.as_deref().unwrap_or("IMPORTED") {
            "IMPORTED" => "IMPORTED",
            "AMAZON_ISSUED" => "AMAZON_ISSUED",
            "PRIVATE" => "PRIVATE",
            t => {
                return Err(AcmError::option(
                    "/type",
                    format!("`{t}` is not IMPORTED, AMAZON_ISSUED or PRIVATE"),
                ))
            }
        };
        let validation_method = match o.validation_method.as_deref().unwrap_or("DNS") {
            "DNS" => "DNS",
            "EMAIL" => "EMAIL",
            m => return Err(AcmError::option("/validationMethod", format!("`{m}` is not DNS or EMAIL"))),
        };
        let days_before_expiry = o.days_before_expiry.unwrap_or(DEFAULT_DAYS_BEFORE_EXPIRY);
        if !(1..=45).contains(&days_before_expiry) {
            return Err(AcmError::option(
                "/daysBeforeExpiry",
                format!("{days_before_expiry} is outside 1–45 (ExpiryEventsConfiguration)"),
            ));
        }
        let days_to_expiration = o.days_to_expiration.unwrap_or(DEFAULT_DAYS_TO_EXPIRATION);
        if !(1..=3650).contains(&days_to_expiration) {
            return Err(AcmError::option(
                "/daysToExpiration",
                format!("{days_to_expiration} is outside 1–3650"),
            ));
        }
        let region = o.region.clone().unwrap_or_else(|| "us-east-1".to_owned());
        if !valid_region(&region) {
            return Err(AcmError::option(
                "/region",
                format!("`{region}` is not a region name such as `eu-west-1`"),
            ));
        }
        let resource_region = o.resource_region.clone().unwrap_or_else(|| region.clone());
        if !valid_region(&resource_region) {
            return Err(AcmError::option(
                "/resourceRegion",
                format!("`{resource_region}` is not a region name such as `eu-west-1`"),
            ));
        }
        let account = o.account.clone().unwrap_or_else(|| "111122223333".to_owned());
        if account.len() != 12 || !account.chars().all(|c| c.is_ascii_digit()) {
            return Err(AcmError::option("/account", "an account id is 12 digits"));
        }
        const LIMIT: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z
        let now = o.now.unwrap_or(cert.not_before_epoch);
        let requested_at = o.requested_at.unwrap_or(cert.not_before_epoch);
        for (p, v) in [("/now", now), ("/requestedAt", requested_at)] {
            if !(0..=LIMIT).contains(&v) {
                return Err(AcmError::option(p, "epoch seconds between 1970 and 9999"));
            }
        }
        Ok(View {
            cert_type,
            now,
            in_use: o.in_use.unwrap_or(true),
            exported: o.exported.unwrap_or(false),
            validation_method,
            dns_record_present: o.dns_record_present.unwrap_or(true),
            email_action_taken: o.email_action_taken.unwrap_or(false),
            days_before_expiry,
            days_to_expiration,
            region,
            resource_region,
            account,
            export_enabled: o.export_enabled.unwrap_or(false),
            requested_at,
        })
    }

    /// The certificate's ARN in this view (its id derived from the fingerprint, UUID-shaped).
    pub fn arn(&self, cert: &CertInfo) -> String {
        let h = cert.sha256.replace(':', "").to_ascii_lowercase();
        let id = format!(
            "{}-{}-{}-{}-{}",
            h.get(0..8).unwrap_or(""),
            h.get(8..12).unwrap_or(""),
            h.get(12..16).unwrap_or(""),
            h.get(16..20).unwrap_or(""),
            h.get(20..32).unwrap_or("")
        );
        format!("arn:aws:acm:{}:{}:certificate/{id}", self.region, self.account)
    }
}

/// Renewal eligibility and why (ACM User Guide, managed renewal:
/// <https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html>).
pub fn eligibility(v: &View, cert: &CertInfo) -> (bool, String) {
    if v.cert_type == "IMPORTED" {
        return (
            false,
            "imported: ACM does not renew imported certificates; get a new one from your CA and reimport it"
                .into(),
        );
    }
    if v.now > cert.not_after_epoch {
        return (false, "already expired: request a new certificate".into());
    }
    if v.in_use || v.exported {
        let why = if v.in_use {
            "associated with an integrated service"
        } else {
            "exported since issued or last renewed"
        };
        return (true, why.into());
    }
    (false, "not in use and not exported: associate it with a service such as ELB or CloudFront (or export it) for ACM to renew it".into())
}

/// The timeline of `cert` in view `v`, sorted by time, and whether it gets renewed.
pub fn events(v: &View, cert: &CertInfo) -> (Vec<Event>, bool) {
    let mut out = Vec::new();
    let exp = cert.not_after_epoch;
    let cn = cert.common_name.clone().or_else(|| cert.sans.dns.first().cloned()).unwrap_or_default();
    let arn = v.arn(cert);
    let mut push = |at: i64, kind: &'static str, detail: String, eb: Option<Value>| {
        out.push(Event { at, time: iso8601(at), kind, detail, past: at <= v.now, event_bridge: eb });
    };
    let mut renewed = false;
    if v.cert_type != "IMPORTED" {
        let start = exp - RENEWAL_DAYS * DAY;
        let eligible = v.in_use || v.exported;
        if !eligible {
            push(
                start,
                "RenewalIneligible",
                "60 days before expiry: not renewed, the certificate is neither in use nor exported".into(),
                None,
            );
        } else if v.cert_type == "PRIVATE" {
            renewed = true;
            push(
                start,
                "ManagedRenewalStarts",
                "60 days before expiry ACM renews the private certificate (no validation needed)".into(),
                None,
            );
            push(start, "Renewed", "renewed in place: same ARN, new validity".into(), None);
        } else if v.validation_method == "DNS" && v.dns_record_present {
            renewed = true;
            push(
                start,
                "ManagedRenewalStarts",
                "60 days before expiry ACM starts managed renewal and finds the DNS validation CNAME".into(),
                None,
            );
            push(start, "Renewed", "renewed in place without action: same ARN, new validity".into(), None);
        } else if v.validation_method == "DNS" {
            push(
                start,
                "ManagedRenewalStarts",
                "60 days before expiry ACM starts managed renewal".into(),
                None,
            );
            push(
                start,
                "RenewalPendingValidation",
                "the DNS validation CNAME is gone: ACM cannot validate; put the CNAME back".into(),
                None,
            );
        } else if v.email_action_taken {
            renewed = true;
            push(
                start,
                "ManagedRenewalStarts",
                "60 days before expiry ACM emails the domain contacts for approval".into(),
                None,
            );
            push(start, "Renewed", "a domain owner approved the email: renewed".into(), None);
        } else {
            push(
                start,
                "ManagedRenewalStarts",
                "60 days before expiry ACM emails the domain contacts for approval".into(),
                None,
            );
            push(
                start,
                "RenewalPendingValidation",
                "email validation needs action: a domain owner must approve, or move to DNS validation"
                    .into(),
                None,
            );
        }
    } else {
        push(
            cert.not_before_epoch,
            "RenewalIneligible",
            "imported: ACM never renews it; reimport a new certificate before it expires".into(),
            None,
        );
    }
    if !renewed {
        for d in (1..=v.days_before_expiry).rev() {
            let at = exp - d * DAY;
            if at < cert.not_before_epoch {
                continue;
            }
            let eb = json!({
                "version": "0",
                "id": event_id(&arn, at),
                "detail-type": "ACM Certificate Approaching Expiration",
                "source": "aws.acm",
                "account": v.account,
                "time": iso8601(at),
                "region": v.region,
                "resources": [arn],
                "detail": {"DaysToExpiry": d, "CommonName": cn}
            });
            push(
                at,
                "ApproachingExpiration",
                format!("{d} days to expiry (daily from {} days before)", v.days_before_expiry),
                Some(eb),
            );
        }
        push(
            exp - v.days_to_expiration * DAY,
            "ConfigRuleNonCompliant",
            format!(
                "acm-certificate-expiration-check (daysToExpiration {}) turns NON_COMPLIANT",
                v.days_to_expiration
            ),
            None,
        );
        let eb = (v.cert_type != "IMPORTED").then(|| {
            json!({
                "version": "0",
                "id": event_id(&arn, exp),
                "detail-type": "ACM Certificate Expired",
                "source": "aws.acm",
                "account": v.account,
                "time": iso8601(exp),
                "region": v.region,
                "resources": [arn],
                "detail": {"CommonName": cn}
            })
        });
        push(exp, "Expired", "the certificate expires: clients reject it".into(), eb);
    }
    out.sort_by_key(|e| e.at);
    (out, renewed)
}

/// A stable, UUID-shaped event id.
fn event_id(arn: &str, at: i64) -> String {
    let h = hex(&Sha256::digest(format!("{arn}@{at}").as_bytes()), '-', false).replace('-', "");
    format!(
        "{}-{}-{}-{}-{}",
        &h.get(0..8).unwrap_or(""),
        h.get(8..12).unwrap_or(""),
        h.get(12..16).unwrap_or(""),
        h.get(16..20).unwrap_or(""),
        h.get(20..32).unwrap_or("")
    )
}

/// The DNS validation record ACM gives for `domain`: `_<token>.<domain>.` CNAME
/// `_<token>.<token>.acm-validations.aws.`. A wildcard is given its base domain's record (as ACM
/// does in practice; *unverified*: no ACM page read here says so). The
/// tokens here are derived from the name (ACM's own are random per request and account), so the
/// shape, not the value, is what this shows.
pub fn validation_record(domain: &str, account: &str) -> Value {
    let base = domain.strip_prefix("*.").unwrap_or(domain).trim_end_matches('.').to_ascii_lowercase();
    let h = Sha256::digest(format!("{account}/{base}").as_bytes());
    let name_token = hex(h.get(0..16).unwrap_or(&[]), '-', false).replace('-', "");
    let value_token = hex(h.get(16..32).unwrap_or(&[]), '-', false).replace('-', "");
    let short: String = value_token.chars().take(10).collect();
    json!({
        "Name": format!("_{name_token}.{base}."),
        "Type": "CNAME",
        "Value": format!("_{value_token}.{short}.acm-validations.aws."),
    })
}

/// Where the certificate must be for each integrated service.
pub fn placements(v: &View) -> Value {
    let rule = |service: &str, required: &str, source: &str| json!({"service": service, "requiredRegion": required, "ok": v.region == required, "source": source});
    json!([
        rule("CloudFront", "us-east-1", "https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html"),
        rule("API Gateway edge-optimized custom domain", "us-east-1", "https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-edge-optimized-custom-domain-name.html"),
        rule("API Gateway regional custom domain", &v.resource_region, "https://repost.aws/knowledge-center/custom-domain-name-amazon-api-gateway"),
        rule("Application Load Balancer", &v.resource_region, "https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html"),
        rule("Network Load Balancer", &v.resource_region, "https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html"),
    ])
}

/// Whether ACM's ExportCertificate applies.
pub fn export(v: &View) -> Value {
    let (allowed, reason) = match v.cert_type {
        "PRIVATE" => (true, "a private certificate requested through ACM can be exported".to_owned()),
        "IMPORTED" => (false, "an imported certificate is not exported by ACM: you already hold its key".to_owned()),
        _ if v.requested_at < EXPORTABLE_SINCE => (false, "public certificates created before 2025-06-17 cannot be exported".to_owned()),
        _ if !v.export_enabled => (false, "requested without Options.Export = ENABLED: the choice cannot be changed after issue; request a new certificate".to_owned()),
        _ => (true, "an exportable public certificate (Export ENABLED): export and renewals are charged".to_owned()),
    };
    json!({"allowed": allowed, "reason": reason, "source": "https://docs.aws.amazon.com/acm/latest/userguide/export-public-certificate"})
}
