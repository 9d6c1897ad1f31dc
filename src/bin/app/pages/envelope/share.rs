//! The envelope page's share links (`#/envelope?s=v1.…`, see `crate::share`): the envelope as
//! JSON — the data key wrapped with RSA-OAEP and the AES-GCM ciphertext, which only the holder of
//! the private key can open. Not in a link: the message typed (a plaintext) and the key pair, so
//! the person the link reaches sees the envelope's parts and cannot open it — as it should be.

use serde_json::json;

use super::state::{Action, EnvelopeState};
use crate::share::{self, Format};

/// The format written now (every earlier version stays readable).
pub const FORMAT: Format = Format { route: "#/envelope", version: 1 };
/// Longest envelope text.
const MAX_ENVELOPE: usize = 256 * 1024;

/// The fragment that reopens `s`.
pub fn encode(s: &EnvelopeState) -> String {
    FORMAT.encode(&json!({"envelope": s.envelope_json}))
}

/// The actions that load a link's state into the page (`Ok(None)`: the address holds no link).
pub fn open(hash: &str) -> Result<Option<Vec<Action>>, String> {
    let Some(opened) = FORMAT.decode(hash)? else {
        return Ok(None);
    };
    Ok(Some(
        share::text(&opened.doc, "envelope", MAX_ENVELOPE)?.map(Action::EnvelopeText).into_iter().collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::testing::{link_of, survives_damage};

    #[test]
    fn the_envelope_survives_the_round_trip_and_the_message_stays_out() {
        let s = EnvelopeState::default()
            .reduce(Action::Message("my secret message".into()))
            .reduce(Action::EnvelopeText(r#"{"wrappedKey": "AAAA", "ciphertext": "BBBB"}"#.into()));
        let link = encode(&s);
        let back =
            open(&link).unwrap().unwrap().into_iter().fold(EnvelopeState::default(), EnvelopeState::reduce);
        assert_eq!(back.envelope_json, s.envelope_json);
        assert!(!serde_json::Value::Object(FORMAT.decode(&link).unwrap().unwrap().doc)
            .to_string()
            .contains("my secret"));
    }

    /// A version-1 link as the page wrote it: it must keep opening.
    #[test]
    fn a_stored_version_1_link_opens() {
        // {"envelope":"{}"}
        let s = open("#/envelope?s=v1.q1ZKzStLzckvSFWyUqquVaoFAA").unwrap().unwrap();
        assert!(matches!(s.as_slice(), [Action::EnvelopeText(t)] if t == "{}"));
    }

    #[test]
    fn damaged_links_are_refused_with_a_reason() {
        survives_damage(&encode(&EnvelopeState::default()), open);
        assert!(open(&link_of(&FORMAT, 1, r#"{"envelope": []}"#))
            .err()
            .unwrap_or_default()
            .contains("`envelope`"));
    }
}
