//! The Parameter Store page's share links (`#/ssm?s=v1.…`, see `crate::share`): the example the
//! page was set up from, the caller, the operation and its request. Not in a link: the parameters
//! themselves and the KMS world (SecureString values and key material are secrets), nor a
//! request's SecureString `Value`.

use serde_json::json;

use super::state::{Action, SsmState};
use crate::share::{self, Format};

/// The format written now (every earlier version stays readable).
pub const FORMAT: Format = Format { route: "#/ssm", version: 1 };
const MAX_SHORT: usize = 2048;

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
pub fn encode(s: &SsmState) -> String {
    let mut doc = call([&s.principal, &s.region, &s.operation, &s.request]).members();
    doc.insert("example".to_owned(), json!(s.example));
    FORMAT.encode(&serde_json::Value::Object(doc))
}

/// The actions that load a link's state into the page (`Ok(None)`: the address holds no link).
pub fn open(hash: &str) -> Result<Option<Vec<Action>>, String> {
    let Some(opened) = FORMAT.decode(hash)? else {
        return Ok(None);
    };
    let d = &opened.doc;
    let mut out = Vec::new();
    if let Some(v) = d.get("example").filter(|v| !v.is_null()) {
        out.push(Action::Example(share::text_value(v, "example", MAX_SHORT)?));
    }
    out.extend(call([""; 4]).actions(d)?);
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::testing::{link_of, survives_damage};

    fn opened(hash: &str) -> SsmState {
        open(hash).unwrap().unwrap().into_iter().fold(SsmState::default(), SsmState::reduce)
    }

    #[test]
    fn every_example_survives_the_round_trip_without_secret_values() {
        for ex in super::super::examples::all() {
            let s = SsmState::default().reduce(Action::Example(ex.id.into()));
            let back = opened(&encode(&s));
            assert_eq!(back.example, s.example, "{}", ex.id);
            assert_eq!(
                (&back.operation, &back.principal, &back.region),
                (&s.operation, &s.principal, &s.region)
            );
            assert_eq!(back.request, share::without_secret_members(&s.request), "{}", ex.id);
        }
        let s = SsmState::default().reduce(Action::Operation("PutParameter".into())).reduce(Action::Request(
            r#"{"Name": "/db/pw", "Type": "SecureString", "Value": "hunter2"}"#.into(),
        ));
        let link = encode(&s);
        assert!(!opened(&link).request.contains("hunter2"));
        assert!(!serde_json::Value::Object(FORMAT.decode(&link).unwrap().unwrap().doc)
            .to_string()
            .contains("hunter2"));
    }

    /// A version-1 link as the page wrote it: it must keep opening.
    #[test]
    fn a_stored_version_1_link_opens() {
        // {"example":null,"principal":"arn:aws:iam::111122223333:role/Admin","region":"eu-west-1","operation":"GetParametersByPath","request":"{\"Path\": \"/app/\"}"}
        let v1 = "#/ssm?s=v1.JYu7DsIwDEV_BXluFRU2b7Cw9gOyWGBBpDyMk6hFVf8dA2c899wNeKUkkQFzj3EA0ZBvQSgCAmlGWioGSoiTcTROBmqJ7M73FDIMoPwIJVvPfVy4tnEyWYSV2t9fuc2klLix1st7pvb83V7dats3D1_nAQ8eHIk4DzvsHw";
        let s = opened(v1);
        assert_eq!((s.operation.as_str(), s.region.as_str()), ("GetParametersByPath", "eu-west-1"));
        assert!(s.request.contains("/app/"));
    }

    #[test]
    fn damaged_links_are_refused_with_a_reason() {
        survives_damage(&encode(&SsmState::default()), open);
        let e = open(&link_of(&FORMAT, 1, r#"{"example": 5}"#)).err().unwrap_or_default();
        assert!(e.contains("`example` must be a string"), "{e}");
    }
}
