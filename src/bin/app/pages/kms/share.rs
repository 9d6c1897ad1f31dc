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
        out.push(Action::Link(Box::new(world_share::read(w).map_err(|e| e.to_string())?)));
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
    use std::collections::BTreeMap;

    use super::*;
    use crate::share::testing::{link_of, survives_damage};
    use secplay::kms::material::KeyMaterial;

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

    /// A link whose world holds an RSA key: the page shows the world at once, makes no call and
    /// no clock step while the material is made elsewhere, keeps what the link set (the request),
    /// and then signs with the new key; a late or failed answer is handled.
    #[test]
    fn a_link_with_an_rsa_key_waits_for_its_material_without_freezing() {
        let s = KmsState::default()
            .reduce(Action::Operation("CreateKey".into()))
            .reduce(Action::Request(r#"{"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}"#.into()))
            .reduce(Action::Send);
        // Answered, or waiting for the page's key maker: the test supplies the pool as it would.
        let s = match s.waiting.clone() {
            Some(w) => {
                for spec in &w.make {
                    let der = KeyMaterial::generate(*spec).unwrap().to_bytes();
                    secplay::kms::material::supply::supply(*spec, &der).unwrap();
                }
                s.reduce(Action::Made { id: w.id, result: Ok(()) })
            }
            None => s,
        };
        let key = s.world.keys.values().next().unwrap().key_id.clone();
        let sign = format!(
            r#"{{"KeyId": "{key}", "Message": "aGVsbG8=", "SigningAlgorithm": "RSASSA_PSS_SHA_256"}}"#
        );
        let s = s.reduce(Action::Operation("Sign".into())).reduce(Action::Request(sign.clone()));
        let opened = opened(&encode(&s).unwrap());
        let f = opened.furnishing.clone().expect("the RSA key's material is made elsewhere");
        assert_eq!(f.slow().len(), 1);
        assert_eq!(opened.request, sign, "what the link set stays");
        assert!(opened.world.keys.values().all(|k| k.materials.iter().all(|m| m.bytes.is_empty())));
        let before = opened.world.now;
        let held = opened.clone().reduce(Action::Send).reduce(Action::Advance);
        assert!(held.response.is_none() && held.world.now == before, "no call and no clock step meanwhile");
        // A late answer to another furnishing changes nothing.
        let late = held.clone().reduce(Action::Furnished { id: f.id + 1, made: Ok(BTreeMap::new()) });
        assert!(late.furnishing.is_some());
        let made: BTreeMap<String, KeyMaterial> = f
            .slow()
            .iter()
            .map(|(id, spec)| {
                let der = KeyMaterial::generate(*spec).unwrap().to_bytes();
                (id.clone(), KeyMaterial::from_bytes(*spec, &der).unwrap())
            })
            .collect();
        let ready = held.clone().reduce(Action::Furnished { id: f.id, made: Ok(made) });
        assert!(ready.furnishing.is_none());
        assert_eq!(ready.request, sign);
        let signed = ready.reduce(Action::Send);
        assert!(
            matches!(signed.response, Some(crate::pages::kms::state::Response::Ok { .. })),
            "{:?}",
            signed.response
        );
        // WebCrypto failed: the material is made here, and the page says so.
        let fallback = held.reduce(Action::Furnished { id: f.id, made: Err("no WebCrypto".into()) });
        assert!(fallback.furnishing.is_none());
        assert!(fallback.notice.unwrap_or_default().contains("no WebCrypto"));
        assert!(fallback.world.keys.values().all(|k| k.materials.iter().all(|m| !m.bytes.is_empty())));
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
