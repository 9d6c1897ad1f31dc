//! Hash routing (`#/envelope`), so the built `dist/` works from any static host without rewrites.
//!
//! Plain Rust for every target: parsing a `location.hash` and the links back. Listening for
//! `hashchange` is the location service's (`services/location.rs`). A new page is one more
//! variant here (with its [`Chunk`]), one line in [`Route::NAV`] and one arm in `chunks.rs`.

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
    Fms,
    /// The notes: the chapter list (`#/notes`) and one chapter (`#/notes/<id>`, the page reads the id).
    Notes,
    NotFound,
}

/// The wasm module a page's code is in. The home module (the shell and the overview) is what the
/// first visit loads; a page's chunk is fetched the first time one of its pages is opened
/// (`dist/pages/<name>.js` and its `_bg.wasm`, built from `src/bin/app/chunk_<name>.rs`).
/// Pages that share live state in the page (the unlocked key store, whose pages also share the
/// KMS emulator) must share a chunk: each chunk is its own wasm instance with its own memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chunk {
    /// The shell, the overview and "not found": `index.html`'s own module.
    Home,
    /// The key store, KMS, Parameter Store, Secrets Manager, Encryption SDK and envelope pages.
    Keystore,
    Policy,
    Waf,
    S3,
    Scan,
    Acm,
    Notes,
}

impl Chunk {
    /// Every page chunk (not [`Chunk::Home`]); the tests check that Cargo.toml has a bin for each.
    #[cfg(test)]
    pub const PAGES: &'static [Chunk] =
        &[Chunk::Keystore, Chunk::Policy, Chunk::Waf, Chunk::S3, Chunk::Scan, Chunk::Acm, Chunk::Notes];

    /// The chunk's file name in `dist/pages/` (and its cargo bin, `chunk-<name>`).
    pub const fn name(self) -> &'static str {
        match self {
            Chunk::Home => "home",
            Chunk::Keystore => "keystore",
            Chunk::Policy => "policy",
            Chunk::Waf => "waf",
            Chunk::S3 => "s3",
            Chunk::Scan => "scan",
            Chunk::Acm => "acm",
            Chunk::Notes => "notes",
        }
    }

    /// Equality usable in `const` (the chunk roots compile only their own pages' code).
    pub const fn is(self, other: Chunk) -> bool {
        self as u8 == other as u8
    }
}

impl Route {
    /// The navigation, in order (a slice, so adding a page is one added line).
    pub const NAV: &'static [Route] = &[
        Route::Overview,
        Route::Notes,
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
            "fms" => Route::Fms,
            "notes" => Route::Notes,
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
            Route::Fms => "#/fms",
            Route::Notes => "#/notes",
        }
    }

    /// The module that holds this page's code.
    pub const fn chunk(self) -> Chunk {
        match self {
            Route::Overview | Route::NotFound => Chunk::Home,
            Route::Envelope | Route::Esdk | Route::Kms | Route::Ssm | Route::Secrets | Route::Keys => {
                Chunk::Keystore
            }
            Route::Policies => Chunk::Policy,
            Route::Waf | Route::WafReplay | Route::WafDdos | Route::Fms => Chunk::Waf,
            Route::S3 => Chunk::S3,
            Route::Scan => Chunk::Scan,
            Route::Acm => Chunk::Acm,
            Route::Notes => Chunk::Notes,
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
            Route::Fms => "Firewall Manager",
            Route::Notes => "Notes",
            Route::NotFound => "Not found",
        }
    }
}

impl Route {
    /// The route whose mount a page shares: the WAF page's replay tab is the WAF page, shown with
    /// the other tab (so a replay's result survives a look at the first tab).
    pub fn mount(self) -> Self {
        match self {
            Route::WafReplay => Route::Waf,
            r => r,
        }
    }

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
        for &r in Route::NAV {
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
    fn every_page_chunk_is_built_and_named_once() {
        use super::Chunk;
        for (i, c) in Chunk::PAGES.iter().enumerate() {
            assert_ne!(*c, Chunk::Home);
            assert!(!Chunk::PAGES.iter().skip(i + 1).any(|x| x.name() == c.name()), "{c:?} twice");
            assert!(
                c.name().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{c:?}: a file name"
            );
            // Every chunk holds at least one page of the navigation.
            assert!(Route::NAV.iter().any(|r| r.chunk() == *c), "{c:?} has no page");
        }
        for &r in Route::NAV {
            assert!(r.chunk() == Chunk::Home || Chunk::PAGES.contains(&r.chunk()), "{r:?}");
        }
        assert_eq!(Route::Overview.chunk(), Chunk::Home);
        assert_eq!(Route::NotFound.chunk(), Chunk::Home);
        // The key store's unlocked state lives in one wasm instance: its pages share a chunk.
        for r in [Route::Keys, Route::Kms, Route::Esdk, Route::Envelope] {
            assert_eq!(r.chunk(), Chunk::Keystore, "{r:?}");
        }
        assert!(Chunk::Waf.is(Chunk::Waf) && !Chunk::Waf.is(Chunk::Home));
    }

    /// `tools/build-chunks.sh` builds the `chunk-*` bins of Cargo.toml: one for each page chunk,
    /// with its root file, and none that `Chunk` does not know.
    #[test]
    fn cargo_has_one_chunk_bin_per_page_chunk() {
        use super::Chunk;
        let manifest = include_str!("../../../Cargo.toml");
        let bins: Vec<&str> =
            manifest.lines().filter_map(|l| l.strip_prefix("name = \"chunk-")?.strip_suffix('"')).collect();
        let mut names: Vec<&str> = Chunk::PAGES.iter().map(|c| c.name()).collect();
        let mut sorted = bins.clone();
        sorted.sort_unstable();
        names.sort_unstable();
        assert_eq!(sorted, names, "the chunk-* bins of Cargo.toml");
        for name in bins {
            let root = format!("path = \"src/bin/app/chunk_{name}.rs\"");
            assert!(manifest.contains(&root), "{root}");
            let file =
                std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("src/bin/app/chunk_{name}.rs"));
            let text = std::fs::read_to_string(&file).unwrap();
            let variant = Chunk::PAGES.iter().find(|c| c.name() == name).unwrap();
            assert!(
                text.contains(&format!("route::Chunk::{variant:?};")),
                "{} sets CHUNK to {variant:?}",
                file.display()
            );
        }
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

    #[test]
    fn a_chapter_is_the_notes_page() {
        for h in ["#/notes", "#/notes/", "#/notes/envelope-kms", "#/notes/three-models?x=1"] {
            assert_eq!(Route::from_hash(h), Route::Notes, "hash {h:?}");
        }
        assert_eq!(Route::from_hash("#/notesx"), Route::NotFound);
    }
}
