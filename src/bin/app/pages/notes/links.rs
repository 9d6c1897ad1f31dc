//! A step's "Open in the <page>" link: its [`PageLink`] encoded in the format of the page it opens
//! (`crate::share::Format`, the route and the version that page writes now), so the page's own
//! share decoder reads it. The test below opens every link of every chapter and variant through
//! that decoder.

use secplay::notes::PageLink;

use crate::pages;
use crate::share::Format;

/// The share formats of the pages a step may open.
fn formats() -> [Format; 11] {
    [
        pages::kms::share::FORMAT,
        // The policy page predates `share::Format`; its links are `v1` in the same encoding.
        Format { route: pages::policy::share::ROUTE, version: 1 },
        pages::acm::share::FORMAT,
        pages::envelope::share::FORMAT,
        pages::esdk::share::FORMAT,
        pages::fms::share::FORMAT,
        pages::s3::share::FORMAT,
        pages::scan::share::FORMAT,
        pages::secrets::share::FORMAT,
        pages::ssm::share::FORMAT,
        pages::waf::share::FORMAT,
    ]
}

/// The fragment that opens the link's page with its state, if the page has share links.
pub fn href(link: &PageLink) -> Option<String> {
    formats().into_iter().find(|f| f.route == link.route).map(|f| f.encode(&link.doc))
}

/// The page's name in "Open in the …".
pub fn page_title(link: &PageLink) -> &'static str {
    crate::route::Route::from_hash(link.route).title()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `hash` with the share decoder of the page it opens: `Ok(true)` when a state was read.
    fn decodes(route: &str, hash: &str) -> Result<bool, String> {
        Ok(match route {
            "#/kms" => pages::kms::share::open(hash)?.is_some(),
            "#/policies" => pages::policy::share::decode(hash)?.is_some(),
            "#/acm" => pages::acm::share::open(hash)?.is_some(),
            "#/envelope" => pages::envelope::share::open(hash)?.is_some(),
            "#/esdk" => pages::esdk::share::open(hash)?.is_some(),
            "#/fms" => pages::fms::share::open(hash)?.is_some(),
            "#/s3" => pages::s3::share::open(hash)?.is_some(),
            "#/scan" => pages::scan::share::open(hash)?.is_some(),
            "#/secrets" => pages::secrets::share::open(hash)?.is_some(),
            "#/ssm" => pages::ssm::share::open(hash)?.is_some(),
            "#/waf" => pages::waf::share::open(hash)?.is_some(),
            other => return Err(format!("no share decoder for {other}")),
        })
    }

    #[test]
    fn every_step_link_of_every_chapter_opens_through_its_pages_decoder() {
        let mut seen = 0;
        for chapter in secplay::notes::all() {
            let runs = std::iter::once(None).chain(chapter.variants.iter().map(|v| Some(v.id)));
            for variant in runs {
                for step in (chapter.run)(variant) {
                    let Some(link) = &step.open else { continue };
                    let at = format!("{}/{:?}/{}", chapter.id, variant, step.id);
                    let hash =
                        href(link).unwrap_or_else(|| panic!("{at}: {} has no share format", link.route));
                    assert!(hash.starts_with(&format!("{}?s=v", link.route)), "{at}: {hash}");
                    assert_eq!(
                        crate::route::Route::from_hash(&hash),
                        crate::route::Route::from_hash(link.route)
                    );
                    match decodes(link.route, &hash) {
                        Ok(true) => seen += 1,
                        Ok(false) => panic!("{at}: the page read no state"),
                        Err(e) => panic!("{at}: the page refused the link: {e}"),
                    }
                }
            }
        }
        assert!(seen > 0, "no chapter has a link");
    }

    #[test]
    fn a_kms_link_loads_the_world_of_the_step() {
        use pages::kms::state::KmsState;
        let chapter = secplay::notes::find("envelope-kms").unwrap();
        let steps = (chapter.run)(None);
        let step = steps.iter().find(|s| s.id == "data-key").unwrap();
        let hash = href(step.open.as_ref().unwrap()).unwrap();
        let state = pages::kms::share::open(&hash)
            .unwrap()
            .unwrap()
            .into_iter()
            .fold(KmsState::default(), KmsState::reduce);
        assert_eq!(state.world.keys.len(), 1, "the key the chapter created");
        assert_eq!(state.operation, "GenerateDataKey");
        assert_eq!(state.principal, "arn:aws:iam::111122223333:role/app");
    }
}
