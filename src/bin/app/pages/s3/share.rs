//! The S3 replication page's share links (`#/s3?s=v1.…`, see `crate::share`): the replication
//! configuration, buckets, role policies, KMS key descriptions, objects, rate and inventory
//! schema — all as AWS prints them, none of it key material (a KMS key's description is its ARN,
//! policy and state). Not in a link: an inventory file (it stays on this computer).

use serde_json::{json, Value};

use super::state::{Action, S3State, Text};
use crate::share::{self, Format};

/// The format written now (every earlier version stays readable).
pub const FORMAT: Format = Format { route: "#/s3", version: 1 };
/// Longest text a link carries.
const MAX_TEXT: usize = 256 * 1024;

/// Every text of the page, in the order they are loaded.
const TEXTS: [Text; 8] = [
    Text::Replication,
    Text::Source,
    Text::Destinations,
    Text::Roles,
    Text::Keys,
    Text::Objects,
    Text::Rate,
    Text::Schema,
];

fn text_of(s: &S3State, t: Text) -> &str {
    match t {
        Text::Replication => &s.replication,
        Text::Source => &s.source,
        Text::Destinations => &s.destinations,
        Text::Roles => &s.roles,
        Text::Keys => &s.keys,
        Text::Objects => &s.objects,
        Text::Rate => &s.rate,
        Text::Schema => &s.schema,
    }
}

/// The fragment that reopens `s`.
pub fn encode(s: &S3State) -> String {
    let mut doc = serde_json::Map::new();
    for t in TEXTS {
        doc.insert(t.member().to_owned(), json!(text_of(s, t)));
    }
    FORMAT.encode(&Value::Object(doc))
}

/// The edits that load a link's state into the page (`Ok(None)`: the address holds no link).
pub fn open(hash: &str) -> Result<Option<Vec<Action>>, String> {
    let Some(opened) = FORMAT.decode(hash)? else {
        return Ok(None);
    };
    let mut edits = Vec::new();
    for t in TEXTS {
        if let Some(v) = share::text(&opened.doc, t.member(), MAX_TEXT)? {
            edits.push(Action::Edit(t, v));
        }
    }
    Ok(Some(edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::testing::{link_of, survives_damage};

    fn opened(hash: &str) -> S3State {
        open(hash).unwrap().unwrap().into_iter().fold(S3State::default(), S3State::reduce)
    }

    #[test]
    fn every_example_survives_the_round_trip() {
        for i in 0..super::super::state::examples().len() {
            let s = S3State::default().reduce(Action::Example(i));
            let back = opened(&encode(&s));
            for t in TEXTS {
                assert_eq!(text_of(&back, t), text_of(&s, t), "example {i}, {}", t.member());
            }
        }
    }

    /// A version-1 link as the page wrote it: it must keep opening.
    #[test]
    fn a_stored_version_1_link_opens() {
        // {"objectsPerSecond":"250","source":"{\"Name\":\"shared-src\"}"}
        let v1 =
            "#/s3?s=v1.q1bKT8pKTS4pDkgtCk5Nzs9LUbJSMjI1UNJRKs4vLUpOBXKrY5T8EnNTY5SsYpSKMxKLUlN0i4uSY5RqlWoB";
        let s = opened(v1);
        assert_eq!(s.rate, "250");
        assert_eq!(s.source, r#"{"Name":"shared-src"}"#);
    }

    #[test]
    fn damaged_or_oversized_links_are_refused_with_a_reason() {
        survives_damage(&encode(&S3State::default()), open);
        let e = open(&link_of(&FORMAT, 1, r#"{"replication": []}"#)).err().unwrap_or_default();
        assert!(e.contains("`replication` must be a string"), "{e}");
    }
}
