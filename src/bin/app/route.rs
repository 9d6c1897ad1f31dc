//! Hash routing (`#/envelope`), so the built `dist/` works from any static host without rewrites.
//!
//! Plain Rust for every target: parsing a `location.hash` and the links back. Listening for
//! `hashchange` is the location service's (`services/location.rs`). A new page is one more
//! variant here and one more arm in the shell.

/// The pages. A page joins [`Route::NAV`] only once it has real content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Overview,
    Envelope,
    Policies,
    Waf,
    Esdk,
    Kms,
    S3,
    Ssm,
    Scan,
    Secrets,
    Keys,
    Acm,
    Fms,
    NotFound,
}

impl Route {
    /// The navigation, in order.
    pub const NAV: [Route; 13] = [
        Route::Overview,
        Route::Envelope,
        Route::Esdk,
        Route::Kms,
        Route::Policies,
        Route::S3,
        Route::Ssm,
        Route::Acm,
        Route::Scan,
        Route::Secrets,
        Route::Waf,
        Route::Fms,
        Route::Keys,
    ];

    /// Parse a `location.hash` value: `#/policies?s=…` and `#/waf/anything` are the policy and WAF
    /// pages; anything unknown is [`Route::NotFound`].
    pub fn from_hash(hash: &str) -> Self {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let first = path.split(['?', '/']).next().unwrap_or_default();
        match first {
            "" | "overview" => Route::Overview,
            "envelope" => Route::Envelope,
            "policies" => Route::Policies,
            "waf" => Route::Waf,
            "esdk" => Route::Esdk,
            "kms" => Route::Kms,
            "s3" => Route::S3,
            "ssm" => Route::Ssm,
            "scan" => Route::Scan,
            "secrets" => Route::Secrets,
            "keys" => Route::Keys,
            "acm" => Route::Acm,
            "fms" => Route::Fms,
            _ => Route::NotFound,
        }
    }

    /// The hash that leads here.
    pub fn href(self) -> &'static str {
        match self {
            Route::Overview | Route::NotFound => "#/",
            Route::Envelope => "#/envelope",
            Route::Policies => "#/policies",
            Route::Waf => "#/waf",
            Route::Esdk => "#/esdk",
            Route::Kms => "#/kms",
            Route::S3 => "#/s3",
            Route::Ssm => "#/ssm",
            Route::Scan => "#/scan",
            Route::Secrets => "#/secrets",
            Route::Keys => "#/keys",
            Route::Acm => "#/acm",
            Route::Fms => "#/fms",
        }
    }

    /// The navigation label.
    pub fn title(self) -> &'static str {
        match self {
            Route::Overview => "Overview",
            Route::Envelope => "Envelope encryption",
            Route::Policies => "Key policies",
            Route::Waf => "WAF",
            Route::Esdk => "Encryption SDK",
            Route::Kms => "KMS",
            Route::S3 => "S3 replication",
            Route::Ssm => "Parameter Store",
            Route::Scan => "Sensitive data",
            Route::Secrets => "Secrets Manager",
            Route::Keys => "Key store",
            Route::Acm => "ACM certificates",
            Route::Fms => "Firewall Manager",
            Route::NotFound => "Not found",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[test]
    fn every_href_leads_back_to_its_route() {
        for r in Route::NAV {
            assert_eq!(Route::from_hash(r.href()), r, "href {} of {r:?}", r.href());
        }
    }

    #[test]
    fn the_empty_hash_and_the_bare_slash_are_the_overview() {
        for h in ["", "#", "#/", "/", "#/overview", "overview"] {
            assert_eq!(Route::from_hash(h), Route::Overview, "hash {h:?}");
        }
    }

    #[test]
    fn a_query_or_a_deeper_path_keeps_the_page() {
        assert_eq!(Route::from_hash("#/policies?s=v1.abc"), Route::Policies);
        assert_eq!(Route::from_hash("#/waf/replay"), Route::Waf);
        assert_eq!(Route::from_hash("#policies"), Route::Policies);
        assert_eq!(Route::from_hash("##//esdk"), Route::Esdk);
    }

    #[test]
    fn unknown_or_tampered_hashes_are_not_found() {
        for h in [
            "#/nope",
            "#/Policies",
            "#/policies%3Fs=1",
            "#/envelope\u{0}",
            "#/ waf",
            "#/esdk.",
            "#/\u{1F512}",
            "javascript:alert(1)",
        ] {
            assert_eq!(Route::from_hash(h), Route::NotFound, "hash {h:?}");
        }
    }

    #[test]
    fn the_navigation_has_no_duplicates_and_no_not_found() {
        for (i, r) in Route::NAV.iter().enumerate() {
            assert_ne!(*r, Route::NotFound);
            assert!(!Route::NAV.iter().skip(i + 1).any(|x| x == r), "{r:?} twice");
            assert!(!r.title().is_empty());
        }
        assert_eq!(Route::NotFound.href(), "#/");
    }

    #[test]
    fn a_long_hash_is_parsed_without_trouble() {
        let long = format!("#/policies?s=v1.{}", "A".repeat(300_000));
        assert_eq!(Route::from_hash(&long), Route::Policies);
        assert_eq!(Route::from_hash(&"/".repeat(100_000)), Route::Overview);
    }
}
