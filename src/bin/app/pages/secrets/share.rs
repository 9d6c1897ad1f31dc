//! The Secrets Manager page's share links (`#/secrets?s=v1.…`, see `crate::share`): the caller,
//! the operation and its request. Not in a link: the secrets and the KMS world (secret values
//! and key material), nor a request's `SecretString` / `SecretBinary`.

use super::state::{Action, SecretsState};
use crate::share::{self, Format};

/// The format written now (every earlier version stays readable).
pub const FORMAT: Format = Format { route: "#/secrets", version: 1 };

/// The page's call: its texts (`[principal, region, operation, request]`) and their actions.
fn call(texts: [&str; 4]) -> share::Call<'_, Action> {
    let [principal, region, operation, request] = texts;
    share::Call {
        principal: (principal, Action::Principal),
        region: (region, Action::Region),
        operation: (operation, Action::Operation),
        request: (request, Action::Request),
    }
}

/// The fragment that reopens `s`.
pub fn encode(s: &SecretsState) -> String {
    FORMAT.encode(&serde_json::Value::Object(
        call([&s.principal, &s.region, &s.operation, &s.request]).members(),
    ))
}

/// The actions that load a link's state into the page (`Ok(None)`: the address holds no link).
pub fn open(hash: &str) -> Result<Option<Vec<Action>>, String> {
    let Some(opened) = FORMAT.decode(hash)? else {
        return Ok(None);
    };
    call([""; 4]).actions(&opened.doc).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::testing::{link_of, survives_damage};

    fn opened(hash: &str) -> SecretsState {
        let mut s = SecretsState::default();
        for a in open(hash).unwrap().unwrap() {
            s.apply(a);
        }
        s
    }

    #[test]
    fn the_page_survives_the_round_trip_without_the_secret() {
        let mut s = SecretsState::default();
        s.apply(Action::Region("eu-west-1".into()));
        s.apply(Action::Operation("CreateSecret".into()));
        s.apply(Action::Request(r#"{"Name": "prod/db", "SecretString": "hunter2"}"#.into()));
        let link = encode(&s);
        let back = opened(&link);
        assert_eq!((&back.principal, &back.region, &back.operation), (&s.principal, &s.region, &s.operation));
        assert!(back.request.contains("prod/db") && !back.request.contains("hunter2"), "{}", back.request);
        assert!(!serde_json::Value::Object(FORMAT.decode(&link).unwrap().unwrap().doc)
            .to_string()
            .contains("hunter2"));
    }

    /// A version-1 link as the page wrote it: it must keep opening.
    #[test]
    fn a_stored_version_1_link_opens() {
        // {"principal":"arn:aws:iam::111122223333:role/Admin","region":"us-west-2","operation":"DescribeSecret","request":"{\"SecretId\": \"prod/db\"}"}
        let v1 = "#/secrets?s=v1.JY2xDoMwDER_BXkGIejmDYmlM2sWk1iVJUhSJ4gB8e-1yhvf3ekuyCrRS6YNEEgj0llQaEccjNF4Gahp434Ku0RoQfkjKVr_KN3JpXajyZRZqT5-5uJVVl7YK9f_4ntY0aLLwWPfwQE2zv5T6MPq4Ib7Bw";
        let s = opened(v1);
        assert_eq!((s.operation.as_str(), s.region.as_str()), ("DescribeSecret", "us-west-2"));
        assert!(s.request.contains("prod/db"));
    }

    #[test]
    fn damaged_links_are_refused_with_a_reason() {
        survives_damage(&encode(&SecretsState::default()), open);
        let e = open(&link_of(&FORMAT, 1, r#"{"region": 1}"#)).err().unwrap_or_default();
        assert!(e.contains("`region` must be a string"), "{e}");
    }
}
