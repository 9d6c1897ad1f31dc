//! The KMS page's share links (`#/kms?s=v1.…`, see `crate::share`): the world without its
//! secrets (`secplay::kms::share`: no key material, import wrapping keys, access key secrets or
//! grant tokens; no audit log), the caller (principal, region, `kms:ViaService`), the operation
//! and its request, and the chosen scenario. A request's `Plaintext` is emptied: what a user
//! encrypts may be a secret. Opening gives the keys new material (the page says so).

use secplay::kms::share as world_share;
use serde_json::{json, Value};

use super::state::{Action, KmsState};
use crate::share::{self, Format};

/// The format written now (every earlier version stays readable).
pub const FORMAT: Format = Format { route: "#/kms", version: 1 };
/// Longest request text.
const MAX_REQUEST: usize = 64 * 1024;
/// Longest short field.
const MAX_SHORT: usize = 2048;

/// `request` with any `Plaintext` member emptied (text that is not a JSON object is kept as is:
/// the page sends only JSON objects, so nothing else can hold a plaintext to protect).
fn without_plaintext(request: &str) -> String {
    match serde_json::from_str::<Value>(request) {
        Ok(Value::Object(mut o)) if o.contains_key("Plaintext") => {
            o.insert("Plaintext".into(), json!(""));
            serde_json::to_string_pretty(&Value::Object(o)).unwrap_or_default()
        }
        _ => request.to_owned(),
    }
}

/// The fragment that reopens `s`, or why the world cannot be written.
pub fn encode(s: &KmsState) -> Result<String, String> {
    let world = world_share::shareable(&s.world).map_err(|e| e.to_string())?;
    Ok(FORMAT.encode(&json!({
        "world": world,
        "principal": s.principal,
        "region": s.region,
        "viaService": s.via_service,
        "operation": s.operation,
        "request": without_plaintext(&s.request),
        "scenario": s.scenario_id,
        "variant": s.variant,
    })))
}

/// The actions that load a link's state into the page (`Ok(None)`: the address holds no link).
pub fn open(hash: &str) -> Result<Option<Vec<Action>>, String> {
    let Some(opened) = FORMAT.decode(hash)? else {
        return Ok(None);
    };
    let d = &opened.doc;
    let mut out = Vec::new();
    if let Some(w) = d.get("world") {
        out.push(Action::Shared(Box::new(world_share::open(w).map_err(|e| e.to_string())?)));
    }
    if let Some(v) = share::text(d, "scenario", MAX_SHORT)? {
        out.push(Action::Scenario(v));
    }
    match d.get("variant") {
        None | Some(Value::Null) => {}
        Some(v) => {
            let n = v
                .as_u64()
                .filter(|n| *n < 100)
                .ok_or("`variant` must be a whole number below 100 or null")?;
            out.push(Action::Variant(usize::try_from(n).ok()));
        }
    }
    for (key, make) in [
        ("principal", Action::Principal as fn(String) -> Action),
        ("region", Action::Region),
        ("viaService", Action::ViaService),
        ("operation", Action::Operation),
    ] {
        if let Some(v) = share::text(d, key, MAX_SHORT)? {
            out.push(make(v));
        }
    }
    // Last: choosing the operation or region replaces the request with its template.
    if let Some(v) = share::text(d, "request", MAX_REQUEST)? {
        out.push(Action::Request(without_plaintext(&v)));
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::testing::{link_of, survives_damage};

    fn opened(hash: &str) -> KmsState {
        open(hash).unwrap().unwrap().into_iter().fold(KmsState::default(), KmsState::reduce)
    }

    fn with_a_key() -> KmsState {
        let s = KmsState::default().reduce(Action::Operation("CreateKey".into())).reduce(Action::Send);
        s.reduce(Action::Operation("Encrypt".into()))
    }

    #[test]
    fn the_page_survives_the_round_trip_without_secrets() {
        let s = with_a_key().reduce(Action::ViaService("s3.us-east-1.amazonaws.com".into()));
        let s = s.clone().reduce(Action::Request(
            s.request.replace("\"Plaintext\"", "\"Plaintext\": \"c2VjcmV0\", \"X\""),
        ));
        let link = encode(&s).unwrap();
        let back = opened(&link);
        assert_eq!(back.world.keys.keys().collect::<Vec<_>>(), s.world.keys.keys().collect::<Vec<_>>());
        assert_eq!(
            (&back.principal, &back.region, &back.via_service, &back.operation),
            (&s.principal, &s.region, &s.via_service, &s.operation)
        );
        assert!(!back.request.contains("c2VjcmV0"), "a plaintext went into the link: {}", back.request);
        assert!(back.notice.unwrap_or_default().contains("new key material"));
        let doc = Value::Object(FORMAT.decode(&link).unwrap().unwrap().doc).to_string();
        for k in s.world.keys.values() {
            for m in &k.materials {
                let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &*m.bytes);
                assert!(!doc.contains(&b64), "key material in the link");
            }
        }
    }

    /// A version-1 link as the page wrote it: it must keep opening.
    #[test]
    fn a_stored_version_1_link_opens() {
        // {"principal":"arn:aws:iam::111122223333:role/Admin","region":"eu-west-1","viaService":"","operation":"ListKeys","request":"{}","variant":null}
        let v1 = "#/kms?s=v1.JYu7DsIwDEX_xTMVKmzemGHjC6xiIUupE5ykFar671zgbPdxNiphPlmRREwSzrJWNpmZR3ACZ8CRkx4vj9mcDhT6tOz4ax9WrW0YUS4md43FJsWAnIuGtP_vZrVd9V1_7qtDQbntX0vCxBG9p7R_AA";
        let s = opened(v1);
        assert_eq!(
            (s.principal.as_str(), s.region.as_str(), s.operation.as_str()),
            ("arn:aws:iam::111122223333:role/Admin", "eu-west-1", "ListKeys")
        );
    }

    #[test]
    fn damaged_links_are_refused_with_a_reason() {
        survives_damage(&encode(&KmsState::default()).unwrap(), open);
        let e = open(&link_of(&FORMAT, 1, r#"{"world": {"now": "x"}}"#)).err().unwrap_or_default();
        assert!(e.contains("does not open"), "{e}");
        let e = open(&link_of(&FORMAT, 1, r#"{"variant": -1}"#)).err().unwrap_or_default();
        assert!(e.contains("`variant`"), "{e}");
    }
}
