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
    /// The WAF page's log replay tab (`#/waf/replay`).
    WafReplay,
    /// The WAF's DDoS practice sub-page (`#/waf/ddos`), not in the navigation.
    WafDdos,
    Esdk,
    Kms,
    S3,
    Ssm,
    Scan,
    Secrets,
    Keys,
    Acm,
    NotFound,
}

impl Route {
    /// The navigation, in order.
    pub const NAV: [Route; 12] = [
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
        Route::Keys,
    ];

    /// Parse a `location.hash` value: `#/policies?s=…` and `#/waf/anything` are the policy and WAF
    /// pages (`#/waf/replay` the WAF page's replay tab); anything unknown is [`Route::NotFound`].
    pub fn from_hash(hash: &str) -> Self {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let first = path.split(['?', '/']).next().unwrap_or_default();
        match first {
            "" | "overview" => Route::Overview,
            "envelope" => Route::Envelope,
            "policies" => Route::Policies,
            "waf"
                if path
                    .strip_prefix("waf/")
                    .is_some_and(|t| t.split(['?', '/']).next() == Some("replay")) =>
            {
                Route::WafReplay
            }
            "waf" if path.split(['?', '/']).nth(1) == Some("ddos") => Route::WafDdos,
            "waf" => Route::Waf,
            "esdk" => Route::Esdk,
            "kms" => Route::Kms,
            "s3" => Route::S3,
            "ssm" => Route::Ssm,
            "scan" => Route::Scan,
            "secrets" => Route::Secrets,
            "keys" => Route::Keys,
            "acm" => Route::Acm,
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
            Route::WafReplay => "#/waf/replay",
            Route::WafDdos => "#/waf/ddos",
            Route::Esdk => "#/esdk",
            Route::Kms => "#/kms",
            Route::S3 => "#/s3",
            Route::Ssm => "#/ssm",
            Route::Scan => "#/scan",
            Route::Secrets => "#/secrets",
            Route::Keys => "#/keys",
            Route::Acm => "#/acm",
        }
    }

    /// The navigation label.
    pub fn title(self) -> &'static str {
        match self {
            Route::Overview => "Overview",
            Route::Envelope => "Envelope encryption",
            Route::Policies => "Key policies",
            Route::Waf => "WAF",
            Route::WafReplay => "WAF log replay",
            Route::WafDdos => "WAF: DDoS practice",
            Route::Esdk => "Encryption SDK",
            Route::Kms => "KMS",
            Route::S3 => "S3 replication",
            Route::Ssm => "Parameter Store",
            Route::Scan => "Sensitive data",
            Route::Secrets => "Secrets Manager",
            Route::Keys => "Key store",
            Route::Acm => "ACM certificates",
            Route::NotFound => "Not found",
        }
    }
}

impl Route {
    /// The navigation entry a page sits under (a WAF tab under the WAF page).
    pub fn section(self) -> Self {
        match self {
            Route::WafReplay | Route::WafDdos => Route::Waf,
            r => r,
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
        assert_eq!(Route::from_hash("#/waf/anything"), Route::Waf);
        assert_eq!(Route::from_hash("#/waf?x=1"), Route::Waf);
        assert_eq!(Route::from_hash("#/waf/replay"), Route::WafReplay);
        assert_eq!(Route::from_hash("#/waf/ddos"), Route::WafDdos);
        assert_eq!(Route::from_hash(Route::WafDdos.href()), Route::WafDdos);
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

    #[test]
    fn the_replay_tab_is_a_waf_sub_page() {
        for h in ["#/waf/replay", "#/waf/replay?x=1", "#/waf/replay/", "waf/replay"] {
            assert_eq!(Route::from_hash(h), Route::WafReplay, "hash {h:?}");
        }
        for h in ["#/waf/replayed", "#/waf/Replay", "#/waf", "#/waf/", "#/waf?replay", "#/replay"] {
            assert_ne!(Route::from_hash(h), Route::WafReplay, "hash {h:?}");
        }
        assert_eq!(Route::from_hash(Route::WafReplay.href()), Route::WafReplay);
        assert_eq!(Route::WafReplay.section(), Route::Waf);
        assert!(!Route::NAV.contains(&Route::WafReplay), "a tab of the WAF page, not its own entry");
        assert_eq!(Route::S3.section(), Route::S3);
    }
}
