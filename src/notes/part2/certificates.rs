//! §10 ACM and API Gateway: a wildcard certificate (an ECDSA P-256 test certificate made with
//! openssl, `tests/acm/data/wildcard.pem`) read by the ACM engine, its timeline as an ACM-issued
//! certificate (managed renewal from 60 days before expiry) and as an imported one (never renewed,
//! expiry events from 45 days), and API Gateway's rule on which region the certificate of a
//! custom domain must be in (`acm::json::inspect`, `acm::json::timeline`).

use serde_json::{json, Value};

use super::kit::{at, fail, Step, Steps};
use crate::acm::json::{inspect, timeline};
use crate::kms::time::{iso8601, DAY};
use crate::notes::model::{Chapter, Outdated, StepError, StepOutcome, Variant};

const PEM: &str = include_str!("../../../tests/acm/data/wildcard.pem");
/// "Managed certificate renewal in AWS Certificate Manager".
const DOC_RENEWAL: &str = "https://docs.aws.amazon.com/acm/latest/userguide/acm-renewal.html";
/// "Amazon EventBridge support for ACM" (ACM Certificate Approaching Expiration, from 45 days).
const DOC_EVENTS: &str = "https://docs.aws.amazon.com/acm/latest/userguide/supported-events.html";
/// "Setting up a Regional custom domain name in API Gateway" / edge-optimized.
const DOC_EDGE: &str =
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-edge-optimized-custom-domain-name.html";
const DOC_REGIONAL: &str =
    "https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html";
/// "Export an AWS Certificate Manager public certificate".
const DOC_EXPORT: &str = "https://docs.aws.amazon.com/acm/latest/userguide/export-public-certificate";

pub(super) fn chapter() -> Chapter {
    Chapter {
        id: "acm-certificates",
        section: 10,
        title: "Certificates: renewal, expiry and the region rule",
        summary: "A *.example.com certificate seen by ACM: issued by ACM it renews itself from 60 days before expiry \
            (when in use and its DNS validation record is still there); imported, it is never renewed and ACM sends \
            expiry events from 45 days before. An edge-optimized API Gateway custom domain takes its certificate \
            from us-east-1 only; a regional one from its own region.",
        outdated: vec![Outdated {
            claim: "ACM certificates cannot be used on EC2 instances.",
            now: "Public certificates requested since 17 June 2025 with Export ENABLED can be exported with their \
                private key (for a fee) and installed anywhere, EC2 included; others still cannot.",
            source: DOC_EXPORT,
        }],
        variants: vec![Variant {
            id: "certificate-in-eu-west-1",
            removes: "the certificate in us-east-1 (it is requested in eu-west-1 instead)",
            fails_at: "edge-optimized",
            error: "BadRequestException",
        }],
        run,
    }
}

fn run(variant: Option<&str>) -> Vec<StepOutcome> {
    let mut steps = Steps::default();
    let _ = play(&mut steps, variant);
    steps.into_vec()
}

fn acm_err(e: &crate::acm::AcmError) -> StepError {
    fail(e.code(), e.to_string())
}

/// The ACM page's share document for a view of the certificate.
fn page_doc(cert_type: &str, region: &str, resource_region: &str, at: i64) -> Value {
    let date = iso8601(at);
    json!({"text": PEM, "certType": cert_type, "region": region, "resourceRegion": resource_region, "inUse": true,
        "dnsRecordPresent": true, "daysBeforeExpiry": 45, "hosts": "api.example.com",
        "date": date.get(..10).unwrap_or(&date)})
}

fn view(cert_type: &str, region: &str, resource_region: &str, now: i64) -> Result<Value, StepError> {
    let options = json!({"type": cert_type, "region": region, "resourceRegion": resource_region, "now": now,
        "inUse": true, "hosts": ["api.example.com"]});
    timeline(PEM.as_bytes(), &options).map_err(|e| acm_err(&e))
}

fn event_at(v: &Value, kind: &str) -> Option<i64> {
    v.get("events")?.as_array()?.iter().find(|e| *at(e, "/kind") == kind)?.get("at")?.as_i64()
}

/// Whether the placement rule for `service` holds; API Gateway's refusal when it does not.
fn placement(v: &Value, service: &str, region: &str) -> Result<String, StepError> {
    let rule = v
        .get("placements")
        .and_then(Value::as_array)
        .and_then(|a| a.iter().find(|p| *at(p, "/service") == service))
        .ok_or_else(|| fail("NoSuchRule", format!("the ACM engine has no placement rule for {service}")))?;
    let required = at(rule, "/requiredRegion").as_str().unwrap_or("?");
    if *at(rule, "/ok") == true {
        Ok(format!("{service}: the certificate is in {required}, as required"))
    } else {
        Err(fail(
            "BadRequestException",
            format!(
                "Invalid certificate ARN: the certificate is in {region}; {service} needs it in {required}"
            ),
        ))
    }
}

fn play(steps: &mut Steps, variant: Option<&str>) -> Option<()> {
    let step = Step::new("inspect", "ACM engine", "Read the certificate", format!(
        "ACM reads the subject, the names it covers (SANs), the key and the validity: notes §10, {DOC_RENEWAL}"));
    let info = match inspect(PEM.as_bytes(), None) {
        Ok(v) => v,
        Err(e) => return steps.push(step, Err(acm_err(&e))),
    };
    let names: Vec<&str> =
        at(&info, "/names").as_array().into_iter().flatten().filter_map(Value::as_str).collect();
    let base = match view("AMAZON_ISSUED", "us-east-1", "us-east-1", 0) {
        Ok(v) => v,
        Err(e) => return steps.push(step, Err(e)),
    };
    let not_after =
        base.pointer("/describeCertificate/Certificate/NotAfter").and_then(Value::as_i64).unwrap_or(0);
    let step = step.link("#/acm", page_doc("AMAZON_ISSUED", "us-east-1", "us-east-1", not_after - 90 * DAY));
    steps.push(step, Ok(format!("names {}; expires {}", names.join(", "), iso8601(not_after))))?;

    let now = not_after - 50 * DAY;
    let step = Step::new(
        "acm-issued",
        "ACM engine",
        "Issued by ACM, in use: 50 days before expiry",
        format!(
        "ACM starts managed renewal 60 days before expiry for a certificate in use (or exported) whose DNS \
         validation record is still in place, and renews it: notes §10, {DOC_RENEWAL}"),
    )
    .link("#/acm", page_doc("AMAZON_ISSUED", "us-east-1", "us-east-1", now));
    let r = view("AMAZON_ISSUED", "us-east-1", "us-east-1", now).and_then(|v| {
        let start = event_at(&v, "ManagedRenewalStarts")
            .ok_or_else(|| fail("NoRenewal", "no managed renewal on the timeline"))?;
        if v.pointer("/state/renewed") != Some(&json!(true)) {
            return Err(fail("NotRenewed", "the certificate was not renewed"));
        }
        Ok(format!(
            "renewal started {} ({} days before expiry); renewed",
            iso8601(start),
            (not_after - start) / DAY
        ))
    });
    steps.push(step, r)?;

    let step = Step::new("imported", "ACM engine", "Imported: 40 days before expiry", format!(
        "ACM never renews an imported certificate; it emits `ACM Certificate Approaching Expiration` events daily \
         from 45 days before expiry (DaysBeforeExpiry, 1–45): notes §10, {DOC_EVENTS}"))
    .link("#/acm", page_doc("IMPORTED", "us-east-1", "us-east-1", not_after - 40 * DAY));
    let r = view("IMPORTED", "us-east-1", "us-east-1", not_after - 40 * DAY).and_then(|v| {
        let first = event_at(&v, "ApproachingExpiration")
            .ok_or_else(|| fail("NoExpiryEvent", "no expiry event on the timeline"))?;
        Ok(format!(
            "renewal {}; expiry events from {} ({} days before expiry), active now: {}",
            v.pointer("/state/renewalEligibility").and_then(Value::as_str).unwrap_or("?"),
            iso8601(first),
            (not_after - first) / DAY,
            v.pointer("/state/expiryEventsActive").unwrap_or(&Value::Null)
        ))
    });
    steps.push(step, r)?;

    let region = if variant == Some("certificate-in-eu-west-1") { "eu-west-1" } else { "us-east-1" };
    let service = "API Gateway edge-optimized custom domain";
    let step = Step::new("edge-optimized", "ACM engine", format!("An edge-optimized API with the certificate from {region}"), format!(
        "An edge-optimized endpoint is served through CloudFront, which takes certificates from us-east-1 only; \
         CreateDomainName refuses another region's certificate with BadRequestException: notes §10, {DOC_EDGE}"))
    .link("#/acm", page_doc("AMAZON_ISSUED", region, "eu-west-1", not_after - 90 * DAY));
    let r = view("AMAZON_ISSUED", region, "eu-west-1", not_after - 90 * DAY)
        .and_then(|v| placement(&v, service, region));
    steps.push(step, r)?;

    let service = "API Gateway regional custom domain";
    let step = Step::new("regional", "ACM engine", "A regional API in eu-west-1 with the us-east-1 certificate", format!(
        "A regional endpoint needs its certificate in the API's own region: the us-east-1 certificate does not do for \
         an API in eu-west-1 (written to fail): {DOC_REGIONAL}"))
    .expecting("BadRequestException")
    .link("#/acm", page_doc("AMAZON_ISSUED", "us-east-1", "eu-west-1", not_after - 90 * DAY));
    let r = view("AMAZON_ISSUED", "us-east-1", "eu-west-1", not_after - 90 * DAY)
        .and_then(|v| placement(&v, service, "us-east-1"));
    steps.push(step, r)?;
    Some(())
}
