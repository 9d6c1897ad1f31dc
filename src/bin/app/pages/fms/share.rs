//! The Firewall Manager page's share links (`#/fms?s=v1.…`, see `crate::share`): the organisation,
//! the policies, the request, the clock and the resource open. None of it is secret (account ids,
//! ARNs, tags and web ACLs).

use serde_json::json;

use super::state::{Action, FmsState, Text};
use crate::share::{self, Format};

/// The format written now (every earlier version stays readable).
pub const FORMAT: Format = Format { route: "#/fms", version: 1 };
/// Longest organisation or policies text.
const MAX_JSON: usize = 200 * 1024;
/// Longest request.
const MAX_REQUEST: usize = 64 * 1024;
/// Latest clock a link may set (ten years, in seconds).
const MAX_CLOCK: i64 = 10 * 365 * 86_400;

/// The fragment that reopens `s`.
pub fn encode(s: &FmsState) -> String {
    FORMAT.encode(&json!({
        "org": s.org,
        "policies": s.policies,
        "request": s.request,
        "clock": s.clock,
        "selected": s.selected,
    }))
}

/// The actions that load a link's state into the page (`Ok(None)`: the address holds no link).
pub fn open(hash: &str) -> Result<Option<Vec<Action>>, String> {
    let Some(opened) = FORMAT.decode(hash)? else {
        return Ok(None);
    };
    let d = &opened.doc;
    let mut out = Vec::new();
    for (t, key, max) in [
        (Text::Org, "org", MAX_JSON),
        (Text::Policies, "policies", MAX_JSON),
        (Text::Request, "request", MAX_REQUEST),
    ] {
        if let Some(v) = share::text(d, key, max)? {
            out.push(Action::Edit(t, v));
        }
    }
    if let Some(c) = share::integer(d, "clock", 0..=MAX_CLOCK)?.filter(|c| *c > 0) {
        out.push(Action::Advance(u64::try_from(c).unwrap_or(0)));
    }
    if let Some(arn) = d.get("selected").filter(|v| !v.is_null()) {
        out.push(Action::Select(share::text_value(arn, "selected", 2048)?));
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::testing::{link_of, survives_damage};

    fn opened(hash: &str) -> FmsState {
        let mut s = FmsState::default();
        for a in open(hash).unwrap().unwrap() {
            s.apply(a);
        }
        // The page's worker evaluates the link's actions once; this thread's evaluation is its
        // answer (state.rs tests that they agree).
        s.evaluated()
    }

    #[test]
    fn the_page_survives_the_round_trip() {
        let mut s = FmsState::default();
        s.apply(Action::Advance(600));
        let mut s = s.evaluated();
        s.apply(Action::AddAccount);
        let s = s.evaluated();
        assert!(s.events.last().is_some_and(|e| e.contains("joined")));
        let back = opened(&encode(&s));
        assert_eq!((&back.org, &back.policies, &back.request), (&s.org, &s.policies, &s.request));
        assert_eq!((back.clock, &back.selected), (s.clock, &s.selected));
        assert_eq!(back.resources().len(), s.resources().len());
    }

    /// A version-1 link as the page wrote it: it must keep opening.
    #[test]
    fn a_stored_version_1_link_opens() {
        // {"clock":1200}
        let s = opened("#/fms?s=v1.q1ZKzslPzlayMjQyMKgFAA");
        assert_eq!((s.clock, &s.selected), (1200, &FmsState::default().selected));
    }

    #[test]
    fn damaged_links_are_refused_with_a_reason() {
        survives_damage(&encode(&FmsState::default()), open);
        let e = open(&link_of(&FORMAT, 1, r#"{"clock": -1}"#)).err().unwrap_or_default();
        assert!(e.contains("`clock` must be a whole number"), "{e}");
    }
}
