//! The home page's examples gallery: cards that open a page with a ready example loaded. Each
//! card's link is that page's own share link (`pages/*/share.rs`), encoded from a real state
//! built with the page's own reducers, presets and examples — never a stored fragment.
//!
//! The links are made natively at build time (`app gallery <index.html>`, run by
//! `tools/build-chunks.sh`), which writes them into the built `index.html` as a JSON script
//! element ([`ELEMENT_ID`]) that the overview reads; so the home module carries none of the
//! pages' code, and a link always matches the build it ships in. The tests below open each link
//! with its page's reader and check that the state shows what the card says.

/// The id of the `<script type="application/json">` element holding the cards in `index.html`.
pub const ELEMENT_ID: &str = "secplay-gallery";

/// One card: what it shows and the share link that opens it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Card {
    /// A stable id (`data-example` on the card).
    pub id: String,
    /// The page's name, as the navigation says it.
    pub page: String,
    pub title: String,
    pub text: String,
    /// The page's share link (`#/waf?s=v1.…`).
    pub href: String,
}

#[cfg(not(target_arch = "wasm32"))]
/// The cards as `index.html` carries them: JSON with `<` escaped, so the text cannot end the
/// script element it sits in.
pub fn to_script_json(cards: &[Card]) -> Result<String, String> {
    serde_json::to_string(cards).map(|s| s.replace('<', "\\u003c")).map_err(|e| e.to_string())
}

/// The cards read back from the element's text (the overview, in the browser).
pub fn from_script_json(text: &str) -> Result<Vec<Card>, String> {
    serde_json::from_str(text).map_err(|e| format!("the gallery in index.html is not readable: {e}"))
}

#[cfg(not(target_arch = "wasm32"))]
/// `html` with the cards' element put before `</body>` (replacing one already there).
pub fn inject(html: &str, cards: &[Card]) -> Result<String, String> {
    let open = format!("<script type=\"application/json\" id=\"{ELEMENT_ID}\">");
    let mut html = html.to_owned();
    if let Some(start) = html.find(&open) {
        let end = html
            .get(start..)
            .and_then(|rest| rest.find("</script>"))
            .ok_or("index.html has an unterminated gallery element")?;
        let mut stop = start + end + "</script>".len();
        if html.get(stop..).is_some_and(|rest| rest.starts_with('\n')) {
            stop += 1;
        }
        html.replace_range(start..stop, "");
    }
    let at = html.rfind("</body>").ok_or("index.html has no </body>")?;
    html.insert_str(at, &format!("{open}{}</script>\n", to_script_json(cards)?));
    Ok(html)
}

#[cfg(not(target_arch = "wasm32"))]
pub use build::cards;

/// The cards' states, built natively (the pages' state modules are plain Rust).
#[cfg(not(target_arch = "wasm32"))]
mod build {
    use serde_json::Value;

    use super::Card;
    use crate::pages::{acm, kms, policy, s3, scan, waf};
    use crate::route::Route;

    fn card(id: &str, page: Route, title: &str, text: &str, href: String) -> Card {
        Card { id: id.into(), page: page.title().into(), title: title.into(), text: text.into(), href }
    }

    /// A key policy that does not name the caller: the console's policy, a role it does not list.
    pub fn policy_state() -> Result<policy::state::PageState, String> {
        let mut s = policy::presets::Preset::ConsoleKey.state()?;
        s.principal = "arn:aws:iam::111122223333:role/Intern".into();
        Ok(s)
    }

    /// The WAF's SQL injection example: its request is a UNION SELECT in the query string.
    pub fn waf_state() -> Result<waf::state::WafState, String> {
        let i = secplay::waf::examples::EXAMPLES
            .iter()
            .position(|e| e.id == "sqli-xss")
            .ok_or("the WAF has no `sqli-xss` example")?;
        Ok(waf::state::WafState::default().reduce(waf::state::Action::Example(i)))
    }

    /// The S3 page's SSE-C example with the destination blocking SSE-C uploads, as buckets
    /// created since April 2026 do by default.
    pub fn s3_state() -> Result<s3::state::S3State, String> {
        use s3::state::{examples, Action, S3State, Text};
        let i = examples().iter().position(|e| e.id == "sse-c").ok_or("S3 has no `sse-c` example")?;
        let s = S3State::default().reduce(Action::Example(i));
        let mut destinations: Value =
            serde_json::from_str(s.text(Text::Destinations)).map_err(|e| e.to_string())?;
        let first = destinations
            .get_mut(0)
            .and_then(Value::as_object_mut)
            .ok_or("the SSE-C example has no destination")?;
        first.insert("blockedEncryptionTypes".into(), serde_json::json!(["SSE-C"]));
        let text = serde_json::to_string_pretty(&destinations).map_err(|e| e.to_string())?;
        Ok(s.reduce(Action::Edit(Text::Destinations, text)))
    }

    /// The notes' AMI sharing scenario run to its end: keys in two accounts, a grant.
    pub fn kms_state() -> kms::state::KmsState {
        use kms::state::{Action, KmsState};
        KmsState::default()
            .reduce(Action::Scenario("ami-sharing".into()))
            .reduce(Action::StartScenario)
            .reduce(Action::RunAll)
    }

    /// ACM's imported chain with its expiry events.
    pub fn acm_state() -> acm::state::AcmState {
        let mut s = acm::state::AcmState::default();
        s.apply(acm::state::Action::Example(0));
        s
    }

    /// The scanner's first example, a support ticket with a card number, phone numbers and an SSN.
    pub fn scan_state() -> scan::state::ScanState {
        scan::state::ScanState::default().reduce(scan::state::Action::Example(0))
    }

    /// Every card, in the order the home page shows them.
    pub fn cards() -> Result<Vec<Card>, String> {
        Ok(vec![
            card("policy-deny", Route::Policies, "A key policy denial",
                "The console's key policy names key users; a role it does not name asks to decrypt and is denied. See which statements were read and why none allowed it.",
                policy::share::encode(&policy_state()?)),
            card("waf-sqli", Route::Waf, "A WAF SQL injection block",
                "A web ACL with SQLi and XSS rules and a request with UNION SELECT in its query string: evaluate it and see the rule that blocks it, with the log record.",
                waf::share::encode(&waf_state()?)),
            card("s3-sse-c", Route::S3, "Replication that skips an SSE-C object",
                "S3 replicates SSE-C objects since 2022 (the notes are out of date), unless the destination blocks SSE-C uploads, as new buckets do since April 2026.",
                s3::share::encode(&s3_state()?)),
            card("kms-world", Route::Kms, "A KMS world: AMI sharing",
                "The notes' AMI sharing across accounts run to its end: the keys in two accounts, the grant, and the audit log of every call.",
                kms::share::encode(&kms_state())?),
            card("acm-timeline", Route::Acm, "An ACM certificate timeline",
                "An imported certificate chain: its validity, and the expiry events ACM sends in the 45 days before it ends.",
                acm::share::encode(&acm_state())),
            card("scan-ticket", Route::Scan, "Finding secrets in a support ticket",
                "A support ticket with a card number, phone numbers and a social security number: what the scanner finds, and where.",
                scan::share::encode(&scan_state())),
        ])
    }
}

// Natively only: the cards are built natively (`build`).
#[cfg(test)]
#[cfg(not(target_arch = "wasm32"))]
mod tests {
    use super::build::*;
    use super::*;
    use crate::pages::{acm, kms, policy, s3, scan, waf};
    use crate::route::Route;

    fn href(id: &str) -> String {
        cards().unwrap().into_iter().find(|c| c.id == id).unwrap().href
    }

    #[test]
    fn every_card_opens_its_page() {
        let cards = cards().unwrap();
        assert_eq!(cards.len(), 6);
        for c in &cards {
            let route = Route::from_hash(&c.href);
            assert_ne!(route, Route::NotFound, "{}", c.id);
            assert_eq!(route.title(), c.page, "{}: the card names its page as the navigation does", c.id);
            assert!(c.href.contains("?s=v"), "{}: a share link", c.id);
        }
    }

    // A principal no statement allows is implicitly denied:
    // https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
    #[test]
    fn the_policy_card_is_a_denial() {
        let s = policy::share::decode(&href("policy-deny")).unwrap().unwrap();
        assert_eq!(s.principal, "arn:aws:iam::111122223333:role/Intern");
        let a = policy::analysis::Analysis::of(&s);
        let decision = a.result.unwrap().decision;
        assert_eq!(decision, secplay::policy::Decision::ImplicitDeny);
    }

    // https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-sqli-match.html
    #[test]
    fn the_waf_card_blocks_its_sqli_request() {
        let edits = waf::share::open(&href("waf-sqli")).unwrap().unwrap();
        let s = edits.into_iter().fold(waf::state::WafState::default(), waf::state::WafState::reduce);
        assert!(s.request.contains("UNION%20SELECT"), "{}", s.request);
        let s = s.reduce(waf::state::Action::Evaluate(1));
        let r = s.records.last().unwrap();
        assert_eq!(r["action"], "BLOCK");
        assert_eq!(r["terminatingRuleId"], "sqli-query");
    }

    // SSE-C objects replicate unless the destination blocks SSE-C:
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-what-is-isnot-replicated.html
    #[test]
    fn the_s3_card_does_not_replicate_its_sse_c_object() {
        let edits = s3::share::open(&href("s3-sse-c")).unwrap().unwrap();
        let s = edits.into_iter().fold(s3::state::S3State::default(), s3::state::S3State::reduce);
        let verdicts = serde_json::to_string(s.verdicts()).unwrap();
        assert!(verdicts.contains("SSE_C_BLOCKED"), "{verdicts}");
        assert!(verdicts.contains("SSE-C"), "{verdicts}");
    }

    #[test]
    fn the_kms_card_carries_a_world_without_key_material() {
        let link = href("kms-world");
        let actions = kms::share::open(&link).unwrap().unwrap();
        let s = actions.into_iter().fold(kms::state::KmsState::default(), kms::state::KmsState::reduce);
        assert!(s.world.keys.len() >= 2, "keys in the world: {}", s.world.keys.len());
        assert_eq!(s.scenario_id, "ami-sharing");
    }

    // ACM's expiry events: https://docs.aws.amazon.com/acm/latest/userguide/supported-events.html
    #[test]
    fn the_acm_and_scan_cards_open_their_examples() {
        let edits = acm::share::open(&href("acm-timeline")).unwrap().unwrap();
        let mut s = acm::state::AcmState::default();
        for e in edits {
            s.apply(e);
        }
        assert_eq!(s.text, acm_state().text);
        assert!(s.text.contains("BEGIN CERTIFICATE"));
        let (actions, left_out) = scan::share::open(&href("scan-ticket")).unwrap().unwrap();
        assert!(!left_out);
        let s = actions.into_iter().fold(scan::state::ScanState::default(), scan::state::ScanState::reduce);
        assert_eq!(s.text, scan_state().text);
    }

    #[test]
    fn the_cards_go_into_index_html_once_and_read_back() {
        let cards = cards().unwrap();
        let html = "<html><body><p>x</p></body></html>";
        let once = inject(html, &cards).unwrap();
        let twice = inject(&once, &cards).unwrap();
        assert_eq!(once, twice, "building twice leaves one element");
        let open = format!("id=\"{ELEMENT_ID}\">");
        let start = once.find(&open).unwrap() + open.len();
        let end = once[start..].find("</script>").unwrap() + start;
        assert_eq!(from_script_json(&once[start..end]).unwrap(), cards);
        let hostile = vec![Card { text: "</script><script>alert(1)</script>".into(), ..cards[0].clone() }];
        assert!(!to_script_json(&hostile).unwrap().contains("</script>"));
    }
}
