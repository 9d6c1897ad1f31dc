//! The sensitive-data page's share links (`#/scan?s=v1.…`, see `crate::share`): which of the
//! notes' examples is open. The text being scanned is never in a link — finding secrets in it is
//! the point of the page — so a link to an edited or pasted text opens the example it started
//! from (or the first one), and says so.

use serde_json::json;

use super::state::{Action, ScanState, EXAMPLES};
use crate::share::{self, Format};

/// The format written now (every earlier version stays readable).
pub const FORMAT: Format = Format { route: "#/scan", version: 1 };

/// The fragment that reopens `s`: the example, and whether the text was the example's.
pub fn encode(s: &ScanState) -> String {
    let example = s.example.unwrap_or(0);
    let same = EXAMPLES.get(example).is_some_and(|(_, text)| *text == s.text);
    FORMAT.encode(&json!({"example": example, "textLeftOut": !same}))
}

/// The actions that load a link's state into the page, and whether the sharer's own text was
/// left out (`Ok(None)`: the address holds no link).
pub fn open(hash: &str) -> Result<Option<(Vec<Action>, bool)>, String> {
    let Some(opened) = FORMAT.decode(hash)? else {
        return Ok(None);
    };
    let last = i64::try_from(EXAMPLES.len()).unwrap_or(1).saturating_sub(1);
    let example = share::integer(&opened.doc, "example", 0..=last)?.unwrap_or(0);
    let left_out = share::flag(&opened.doc, "textLeftOut")?.unwrap_or(false);
    Ok(Some((vec![Action::Example(usize::try_from(example).unwrap_or(0))], left_out)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::testing::{link_of, survives_damage};

    fn opened(hash: &str) -> (ScanState, bool) {
        let (actions, left_out) = open(hash).unwrap().unwrap();
        (actions.into_iter().fold(ScanState::default(), ScanState::reduce), left_out)
    }

    #[test]
    fn every_example_survives_the_round_trip() {
        for i in 0..EXAMPLES.len() {
            let s = ScanState::default().reduce(Action::Example(i));
            let (back, left_out) = opened(&encode(&s));
            assert_eq!((back.example, back.text.as_str(), left_out), (Some(i), s.text.as_str(), false));
        }
    }

    #[test]
    fn a_typed_text_never_goes_into_a_link() {
        let s = ScanState::opened()
            .reduce(Action::Edit("card 4111 1111 1111 1111, key AKIAIOSFODNN7EXAMPLE".into()));
        let link = encode(&s);
        let doc = serde_json::Value::Object(FORMAT.decode(&link).unwrap().unwrap().doc).to_string();
        assert!(!doc.contains("4111") && !doc.contains("AKIA"), "{doc}");
        assert!(opened(&link).1, "the link says the text was left out");
    }

    /// A version-1 link as the page wrote it: it must keep opening.
    #[test]
    fn a_stored_version_1_link_opens() {
        // {"example":1,"textLeftOut":false}
        let (s, left_out) = opened("#/scan?s=v1.q1ZKrUjMLchJVbIy1FEqSa0o8UlNK_EvLVGySkvMKU6tBQA");
        assert_eq!((s.example, left_out), (Some(1), false));
    }

    #[test]
    fn damaged_links_are_refused_with_a_reason() {
        survives_damage(&encode(&ScanState::opened()), open);
        let e = open(&link_of(&FORMAT, 1, r#"{"example": 999}"#)).err().unwrap_or_default();
        assert!(e.contains("`example` must be a whole number"), "{e}");
    }
}
