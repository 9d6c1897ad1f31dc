//! ACM's name matching. A wildcard covers one label in the leftmost position only: "*.example.com
//! can protect login.example.com and test.example.com, but it cannot protect
//! test.login.example.com", and it "does not protect the bare or apex domain (example.com)"
//! (ACM User Guide, ACM certificate characteristics, wildcard names:
//! https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html).

use secplay::acm::names::{coverage, covers};

#[test]
fn acm_certificate_html_wildcard_covers_one_label() {
    assert!(covers("*.example.com", "login.example.com"));
    assert!(covers("*.example.com", "test.example.com"));
    assert!(!covers("*.example.com", "test.login.example.com"));
    assert!(!covers("*.example.com", "example.com"));
    assert!(!covers("*.example.com", "example.org"));
    assert!(!covers("*.example.com", ".example.com"));
}

#[test]
fn names_compare_without_case_or_trailing_dot() {
    assert!(covers("WWW.Example.COM", "www.example.com."));
    assert!(covers("*.Example.com", "API.example.com"));
    assert!(!covers("www.example.com", "www2.example.com"));
}

#[test]
fn coverage_explains_misses() {
    let names = vec!["*.example.com".to_owned()];
    let c = coverage(
        &names,
        &["example.com".to_owned(), "a.b.example.com".to_owned(), "www.example.com".to_owned()],
    );
    assert!(c[0].covered_by.is_none() && c[0].reason.as_ref().unwrap().contains("apex"));
    assert!(c[1].covered_by.is_none() && c[1].reason.as_ref().unwrap().contains("one label"));
    assert_eq!(c[2].covered_by.as_deref(), Some("*.example.com"));
}

#[test]
fn the_wildcard_fixture_covers_apex_through_its_second_name() {
    let v = secplay::acm::json::timeline(
        &crate::common::fixture("wildcard.pem"),
        &serde_json::json!({"hosts": ["example.com", "shop.example.com", "a.shop.example.com"]}),
    )
    .unwrap();
    let c = &v["coverage"];
    assert_eq!(c[0]["coveredBy"], "example.com");
    assert_eq!(c[1]["coveredBy"], "*.example.com");
    assert!(c[2]["coveredBy"].is_null());
}
