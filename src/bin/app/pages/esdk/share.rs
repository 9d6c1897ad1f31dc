//! The Encryption SDK page's share links (`#/esdk?s=v1.…`, see `crate::share`): the open tool and
//! the message in the header inspector (an encrypted message: its header is meant to be read by
//! anyone; its data keys are encrypted). Not in a link: keyrings, keys and plaintexts.

use serde_json::json;

use super::state::{Action, EsdkState, Tab};
use crate::share::{self, Format};

/// The format written now (every earlier version stays readable).
pub const FORMAT: Format = Format { route: "#/esdk", version: 1 };
/// Longest message text for the inspector (base64 of a header with many data keys).
const MAX_MESSAGE: usize = 128 * 1024;

fn tab_name(t: Tab) -> &'static str {
    match t {
        Tab::Text => "text",
        Tab::Files => "files",
        Tab::Inspect => "inspect",
    }
}

/// The fragment that reopens `s`.
pub fn encode(s: &EsdkState) -> String {
    FORMAT.encode(&json!({"tab": tab_name(s.tab), "inspect": s.inspect_input}))
}

/// The actions that load a link's state into the page (`Ok(None)`: the address holds no link).
pub fn open(hash: &str) -> Result<Option<Vec<Action>>, String> {
    let Some(opened) = FORMAT.decode(hash)? else {
        return Ok(None);
    };
    let mut out = Vec::new();
    if let Some(t) = share::text(&opened.doc, "tab", 16)? {
        let tab = [Tab::Text, Tab::Files, Tab::Inspect]
            .into_iter()
            .find(|x| tab_name(*x) == t)
            .ok_or_else(|| format!("`tab` must be text, files or inspect, not `{t}`"))?;
        out.push(Action::Tab(tab));
    }
    if let Some(m) = share::text(&opened.doc, "inspect", MAX_MESSAGE)? {
        out.push(Action::InspectInput(m));
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::testing::{link_of, survives_damage};

    fn opened(hash: &str) -> EsdkState {
        open(hash).unwrap().unwrap().into_iter().fold(EsdkState::default(), EsdkState::reduce)
    }

    #[test]
    fn the_page_survives_the_round_trip() {
        for tab in [Tab::Text, Tab::Files, Tab::Inspect] {
            let s = EsdkState::default()
                .reduce(Action::Tab(tab))
                .reduce(Action::InspectInput("AgV4aGVhZGVy".into()));
            assert_eq!(opened(&encode(&s)), s);
        }
    }

    /// A version-1 link as the page wrote it: it must keep opening.
    #[test]
    fn a_stored_version_1_link_opens() {
        // {"tab":"inspect","inspect":"AYAA"}
        let s = opened("#/esdk?s=v1.q1YqSUxSslLKzCsuSE0uUdKBs6yUHCMdHZVqAQ");
        assert_eq!((s.tab, s.inspect_input.as_str()), (Tab::Inspect, "AYAA"));
    }

    #[test]
    fn damaged_links_are_refused_with_a_reason() {
        survives_damage(&encode(&EsdkState::default()), open);
        let e = open(&link_of(&FORMAT, 1, r#"{"tab": "keys"}"#)).err().unwrap_or_default();
        assert!(e.contains("`tab` must be"), "{e}");
    }
}
