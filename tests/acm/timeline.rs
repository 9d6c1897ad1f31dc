//! The ACM view on a simulated clock, each rule with the AWS page it comes from. The leaf
//! `rsa2048.pem` expires 2027-02-03T00:00:00Z.

use serde_json::{json, Value};

use crate::common::*;

fn view(options: Value) -> Value {
    secplay::acm::json::timeline(&fixture("rsa2048.pem"), &options).unwrap()
}

fn kinds(v: &Value) -> Vec<(String, String)> {
    v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["kind"].as_str().unwrap().to_owned(), e["time"].as_str().unwrap().to_owned()))
        .collect()
}

fn of_kind<'a>(v: &'a Value, kind: &str) -> Vec<&'a Value> {
    v["events"].as_array().unwrap().iter().filter(|e| e["kind"] == kind).collect()
}

/// "ACM sends daily expiration events for all active certificates (public, private and imported)
/// starting 45 days prior to expiration"; "Certificate Expired events aren't available for
/// imported certificates". https://docs.aws.amazon.com/acm/latest/userguide/supported-events.html
#[test]
fn supported_events_html_imported_gets_45_daily_events() {
    let v = view(json!({}));
    let daily = of_kind(&v, "ApproachingExpiration");
    assert_eq!(daily.len(), 45);
    assert_eq!(daily[0]["time"], "2026-12-20T00:00:00Z");
    assert_eq!(daily[0]["eventBridge"]["detail"]["DaysToExpiry"], 45);
    assert_eq!(daily[44]["time"], "2027-02-02T00:00:00Z");
    assert_eq!(daily[44]["eventBridge"]["detail"]["DaysToExpiry"], 1);
    let eb = &daily[0]["eventBridge"];
    assert_eq!(eb["detail-type"], "ACM Certificate Approaching Expiration");
    assert_eq!(eb["source"], "aws.acm");
    assert_eq!(eb["detail"]["CommonName"], "www.example.com");
    assert_eq!(eb["resources"][0], v["arn"]);
    let expired = of_kind(&v, "Expired");
    assert_eq!(expired.len(), 1);
    assert!(
        expired[0].get("eventBridge").is_none(),
        "no Certificate Expired event for imported certificates"
    );
    assert_eq!(v["state"]["renewalEligibility"], "INELIGIBLE");
}

/// `DaysBeforeExpiry`: "Valid Range: Minimum value of 1"; CloudFormation: maximum 45.
/// https://docs.aws.amazon.com/acm/latest/APIReference/API_ExpiryEventsConfiguration.html
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-certificatemanager-account-expiryeventsconfiguration.html
#[test]
fn api_expiryeventsconfiguration_days_before_expiry_1_to_45() {
    let v = view(json!({"daysBeforeExpiry": 30}));
    let daily = of_kind(&v, "ApproachingExpiration");
    assert_eq!(daily.len(), 30);
    assert_eq!(daily[0]["time"], "2027-01-04T00:00:00Z");
    assert_eq!(of_kind(&view(json!({"daysBeforeExpiry": 1})), "ApproachingExpiration").len(), 1);
    for bad in [0, 46, -3] {
        let e = secplay::acm::json::timeline(&fixture("rsa2048.pem"), &json!({"daysBeforeExpiry": bad}))
            .unwrap_err();
        assert_eq!(e.code(), "InvalidOption");
        assert!(e.to_string().starts_with("/daysBeforeExpiry"), "{e}");
    }
}

/// `acm-certificate-expiration-check`: `daysToExpiration` default 14; NON_COMPLIANT when about to
/// expire. https://docs.aws.amazon.com/config/latest/developerguide/acm-certificate-expiration-check.html
#[test]
fn acm_certificate_expiration_check_default_14_days() {
    let v = view(json!({}));
    assert_eq!(of_kind(&v, "ConfigRuleNonCompliant")[0]["time"], "2027-01-20T00:00:00Z");
    let before = view(json!({"now": epoch("2027-01-19T23:59:59Z")}));
    assert_eq!(before["state"]["configRule"], "COMPLIANT");
    let after = view(json!({"now": epoch("2027-01-20T00:00:00Z")}));
    assert_eq!(after["state"]["configRule"], "NON_COMPLIANT");
    assert_eq!(after["state"]["daysToExpiry"], 14);
    let v = view(json!({"daysToExpiration": 30}));
    assert_eq!(of_kind(&v, "ConfigRuleNonCompliant")[0]["time"], "2027-01-04T00:00:00Z");
}

/// "When a managed certificate is 60 days away from expiration, ACM automatically attempts to
/// renew it"; DNS-validated certificates renew automatically.
/// https://docs.aws.amazon.com/acm/latest/userguide/renew-private-cert.html
/// https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html
#[test]
fn managed_renewal_html_starts_60_days_before_and_renews_with_dns() {
    let v = view(json!({"type": "AMAZON_ISSUED", "inUse": true}));
    assert_eq!(
        kinds(&v),
        [
            ("ManagedRenewalStarts".to_owned(), "2026-12-05T00:00:00Z".to_owned()),
            ("Renewed".to_owned(), "2026-12-05T00:00:00Z".to_owned())
        ]
    );
    assert_eq!(v["state"]["renewalEligibility"], "ELIGIBLE");
    let late = view(json!({"type": "AMAZON_ISSUED", "now": epoch("2027-01-30T00:00:00Z")}));
    assert_eq!(late["state"]["configRule"], "COMPLIANT", "a renewed certificate does not approach expiry");
}

/// Eligibility: "ELIGIBLE if associated with another AWS service", "ELIGIBLE if exported since
/// being issued or last renewed", "NOT ELIGIBLE if imported", "NOT ELIGIBLE if already expired".
/// https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html
#[test]
fn managed_renewal_html_eligibility() {
    let idle = view(json!({"type": "AMAZON_ISSUED", "inUse": false}));
    assert_eq!(idle["state"]["renewalEligibility"], "INELIGIBLE");
    assert_eq!(of_kind(&idle, "RenewalIneligible")[0]["time"], "2026-12-05T00:00:00Z");
    assert_eq!(of_kind(&idle, "ApproachingExpiration").len(), 45);
    let exp = of_kind(&idle, "Expired");
    assert_eq!(exp[0]["eventBridge"]["detail-type"], "ACM Certificate Expired");
    let exported = view(json!({"type": "AMAZON_ISSUED", "inUse": false, "exported": true}));
    assert_eq!(exported["state"]["renewalEligibility"], "ELIGIBLE");
    assert_eq!(of_kind(&exported, "Renewed").len(), 1);
    let gone = view(json!({"type": "AMAZON_ISSUED", "now": epoch("2027-03-01T00:00:00Z"), "inUse": false}));
    assert_eq!(gone["state"]["renewalEligibility"], "INELIGIBLE");
    assert!(gone["state"]["renewalEligibilityReason"].as_str().unwrap().contains("expired"));
    assert_eq!(gone["state"]["status"], "EXPIRED");
}

/// Without the DNS CNAME, or with email validation awaiting the owner, renewal waits for
/// validation and the certificate approaches expiry.
/// https://docs.aws.amazon.com/acm/latest/userguide/managed-renewal.html
#[test]
fn managed_renewal_html_pending_validation() {
    let no_cname = view(json!({"type": "AMAZON_ISSUED", "dnsRecordPresent": false}));
    assert_eq!(of_kind(&no_cname, "RenewalPendingValidation").len(), 1);
    assert!(of_kind(&no_cname, "RenewalPendingValidation")[0]["detail"].as_str().unwrap().contains("CNAME"));
    assert_eq!(of_kind(&no_cname, "ApproachingExpiration").len(), 45);
    let email = view(json!({"type": "AMAZON_ISSUED", "validationMethod": "EMAIL"}));
    assert_eq!(of_kind(&email, "RenewalPendingValidation").len(), 1);
    let approved =
        view(json!({"type": "AMAZON_ISSUED", "validationMethod": "EMAIL", "emailActionTaken": true}));
    assert_eq!(of_kind(&approved, "Renewed").len(), 1);
}

/// The DNS validation record: a CNAME whose name is `_<token>.<domain>` and whose value ACM
/// supplies (https://docs.aws.amazon.com/acm/latest/APIReference/API_ResourceRecord.html,
/// API_DomainValidation.html: "_a79865eb4cd1a6ab990a45779b4e0b96.yourdomain.com").
#[test]
fn api_resourcerecord_cname_shape() {
    let v =
        secplay::acm::json::timeline(&fixture("wildcard.pem"), &json!({"type": "AMAZON_ISSUED"})).unwrap();
    let recs = v["validationRecords"].as_array().unwrap();
    assert_eq!(recs.len(), 2);
    for r in recs {
        let rr = &r["ResourceRecord"];
        assert_eq!(rr["Type"], "CNAME");
        let name = rr["Name"].as_str().unwrap();
        let (token, domain) = name.split_once('.').unwrap();
        assert_eq!(token.len(), 33);
        assert!(token.starts_with('_') && token[1..].chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(domain, "example.com.");
        assert!(rr["Value"].as_str().unwrap().ends_with(".acm-validations.aws."));
    }
    assert_eq!(
        recs[0]["ResourceRecord"], recs[1]["ResourceRecord"],
        "modelled: *.example.com is given example.com's record (unverified against the ACM docs)"
    );
    let imported = secplay::acm::json::timeline(&fixture("wildcard.pem"), &json!({})).unwrap();
    assert!(imported["validationRecords"].as_array().unwrap().is_empty());
}

/// CloudFront and edge-optimized API Gateway need the certificate in us-east-1; a regional API
/// and a load balancer need it in their own region.
/// https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
/// https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-edge-optimized-custom-domain-name.html
/// https://repost.aws/knowledge-center/custom-domain-name-amazon-api-gateway
#[test]
fn acm_regions_html_where_the_certificate_must_be() {
    let ok = |v: &Value, service: &str| {
        v["placements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["service"].as_str().unwrap().starts_with(service))
            .unwrap()["ok"]
            .clone()
    };
    let eu = view(json!({"region": "eu-west-1"}));
    assert_eq!(ok(&eu, "CloudFront"), false);
    assert_eq!(ok(&eu, "API Gateway edge"), false);
    assert_eq!(ok(&eu, "API Gateway regional"), true);
    assert_eq!(ok(&eu, "Application Load Balancer"), true);
    assert_eq!(ok(&eu, "Network Load Balancer"), true);
    let us = view(json!({"region": "us-east-1", "resourceRegion": "eu-west-1"}));
    assert_eq!(ok(&us, "CloudFront"), true);
    assert_eq!(ok(&us, "API Gateway edge"), true);
    assert_eq!(ok(&us, "API Gateway regional"), false);
    assert_eq!(ok(&us, "Application Load Balancer"), false);
    let e = secplay::acm::json::timeline(&fixture("rsa2048.pem"), &json!({"region": "Europe"})).unwrap_err();
    assert_eq!(e.code(), "InvalidOption");
}

/// "ACM public certificates created prior to June 17, 2025 cannot be exported"; export is opted
/// into with `Options.Export = ENABLED` and cannot be changed after creation.
/// https://docs.aws.amazon.com/acm/latest/APIReference/API_ExportCertificate.html
/// https://docs.aws.amazon.com/acm/latest/userguide/export-public-certificate
#[test]
fn api_exportcertificate_public_export_rules() {
    let allowed = |o: Value| view(o)["export"]["allowed"].clone();
    assert_eq!(
        allowed(
            json!({"type": "AMAZON_ISSUED", "exportEnabled": true, "requestedAt": epoch("2025-06-16T23:59:59Z")})
        ),
        false
    );
    assert_eq!(
        allowed(
            json!({"type": "AMAZON_ISSUED", "exportEnabled": true, "requestedAt": epoch("2025-06-17T00:00:00Z")})
        ),
        true
    );
    assert_eq!(allowed(json!({"type": "AMAZON_ISSUED", "exportEnabled": false})), false);
    assert_eq!(allowed(json!({"type": "PRIVATE"})), true);
    assert_eq!(allowed(json!({})), false);
}

#[test]
fn unknown_or_mistyped_options_are_refused() {
    for bad in [json!({"typo": 1}), json!({"now": "soon"}), json!([1]), json!({"type": "PUBLIC"})] {
        let e = secplay::acm::json::timeline(&fixture("rsa2048.pem"), &bad).unwrap_err();
        assert_eq!(e.code(), "InvalidOption", "{bad}");
    }
}
