//! Share links: the page state in the URL fragment, `#/policies?s=v1.<data>`, where `<data>` is
//! the state as JSON, deflated (`miniz_oxide`) and base64url-encoded without padding.
//!
//! The fragment never reaches a server. It carries policies and the request only: policies are
//! not secrets, and the page says so next to the link. Loading checks every field (types, sizes,
//! counts) and turns any damage into a message; it never panics.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};

use super::state::{PageState, MAX_CONTEXT, MAX_IDENTITY};

/// The format written now.
const VERSION: &str = "v1";
/// The route the links open.
pub const ROUTE: &str = "#/policies";
/// Longest `s=` value read (characters).
const MAX_ENCODED: usize = 200_000;
/// Largest inflated state (bytes): five 32 KiB key/identity policies and more, with room.
const MAX_INFLATED: usize = 512 * 1024;
/// Longest policy text (AWS's key policies are at most 32 KiB; leave room for whitespace).
const MAX_POLICY: usize = 64 * 1024;
/// Longest request field or context value.
const MAX_FIELD: usize = 4096;

/// The fragment (starting with `#`) that reopens this state.
pub fn encode(state: &PageState) -> String {
    let value = json!({
        "keyPolicy": state.key_policy,
        "identity": state.identity,
        "scp": state.scp,
        "boundary": state.boundary,
        "session": state.session,
        "principal": state.principal,
        "action": state.action,
        "resource": state.resource,
        "resourceAccount": state.resource_account,
        "context": state.context.iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
    });
    let bytes = miniz_oxide::deflate::compress_to_vec(value.to_string().as_bytes(), 9);
    format!("{ROUTE}?s={VERSION}.{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Reads the state in a `location.hash`: `Ok(None)` when the fragment carries none.
pub fn decode(hash: &str) -> Result<Option<PageState>, String> {
    let Some((_, query)) = hash.split_once('?') else {
        return Ok(None);
    };
    let Some(param) = query.split('&').find_map(|p| p.strip_prefix("s=")) else {
        return Ok(None);
    };
    if param.len() > MAX_ENCODED {
        return Err(format!(
            "the link is {} characters long, more than the {MAX_ENCODED} a share link can be",
            param.len()
        ));
    }
    let (version, data) = param
        .split_once('.')
        .ok_or("the link has no version prefix (`v1.`); it was cut short or is not a secplay share link")?;
    if version != VERSION {
        return Err(format!(
            "the link is in format `{}`, which this version of secplay does not read (it reads `{VERSION}`)",
            clip(version)
        ));
    }
    let deflated = URL_SAFE_NO_PAD
        .decode(data)
        .map_err(|e| format!("the link is damaged (not base64url: {e}); copy the whole link again"))?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_INFLATED).map_err(|e| {
        format!(
            "the link is damaged (its compressed data does not inflate: {:?}); copy the whole link again",
            e.status
        )
    })?;
    let value: Value = serde_json::from_slice(&json)
        .map_err(|e| format!("the link's content is not JSON ({e}); copy the whole link again"))?;
    read_state(&value).map(Some)
}

fn clip(s: &str) -> String {
    s.chars().take(20).collect()
}

fn read_state(v: &Value) -> Result<PageState, String> {
    let o = v.as_object().ok_or("the link's content is not an object")?;
    let identity = match o.get("identity") {
        None => Vec::new(),
        Some(Value::Array(items)) if items.len() <= MAX_IDENTITY => items
            .iter()
            .enumerate()
            .map(|(i, p)| text_value(p, &format!("identity[{i}]"), MAX_POLICY))
            .collect::<Result<Vec<_>, _>>()?,
        Some(Value::Array(items)) => {
            return Err(format!(
                "`identity` holds {} policies; the page has room for {MAX_IDENTITY}",
                items.len()
            ))
        }
        Some(_) => return Err("`identity` must be an array of policy texts".into()),
    };
    let context = match o.get("context") {
        None => Vec::new(),
        Some(Value::Array(rows)) if rows.len() <= MAX_CONTEXT => rows
            .iter()
            .enumerate()
            .map(|(i, row)| match row.as_array().map(Vec::as_slice) {
                Some([k, v]) => Ok((
                    text_value(k, &format!("context[{i}] key"), MAX_FIELD)?,
                    text_value(v, &format!("context[{i}] value"), MAX_FIELD)?,
                )),
                _ => Err(format!("`context[{i}]` must be a [key, value] pair of strings")),
            })
            .collect::<Result<Vec<_>, _>>()?,
        Some(Value::Array(rows)) => {
            return Err(format!("`context` holds {} rows; the page has room for {MAX_CONTEXT}", rows.len()))
        }
        Some(_) => return Err("`context` must be an array of [key, value] pairs".into()),
    };
    Ok(PageState {
        key_policy: text(o, "keyPolicy", MAX_POLICY)?,
        identity,
        scp: text(o, "scp", MAX_POLICY)?,
        boundary: text(o, "boundary", MAX_POLICY)?,
        session: text(o, "session", MAX_POLICY)?,
        principal: text(o, "principal", MAX_FIELD)?,
        action: text(o, "action", MAX_FIELD)?,
        resource: text(o, "resource", MAX_FIELD)?,
        resource_account: text(o, "resourceAccount", MAX_FIELD)?,
        context,
    })
}

/// An optional string member (absent = empty).
fn text(o: &Map<String, Value>, key: &str, max: usize) -> Result<String, String> {
    match o.get(key) {
        None => Ok(String::new()),
        Some(v) => text_value(v, key, max),
    }
}

fn text_value(v: &Value, what: &str, max: usize) -> Result<String, String> {
    let s = v.as_str().ok_or_else(|| format!("`{what}` must be a string"))?;
    if s.len() > max {
        return Err(format!("`{what}` is {} bytes long, more than the {max} the page accepts", s.len()));
    }
    Ok(s.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> PageState {
        PageState {
            key_policy: r#"{"Version":"2012-10-17","Statement":[]}"#.into(),
            identity: vec!["{}".into(), "ünïcødé 🔐 \"quotes\" \\ and \n newlines".into()],
            scp: "scp".into(),
            boundary: "boundary".into(),
            session: "session".into(),
            principal: "arn:aws:iam::111122223333:role/r".into(),
            action: "kms:Decrypt".into(),
            resource: "arn:aws:kms:us-east-1:111122223333:key/k".into(),
            resource_account: "111122223333".into(),
            context: vec![("aws:SourceIp".into(), "192.0.2.1".into()), ("k".into(), r#"["a","b"]"#.into())],
        }
    }

    /// The fragment for a hand-made JSON content, as `encode` would write it.
    fn link_of(json: &str) -> String {
        let bytes = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
        format!("{ROUTE}?s={VERSION}.{}", URL_SAFE_NO_PAD.encode(bytes))
    }

    #[test]
    fn a_state_survives_the_round_trip() {
        for state in [full(), PageState::default()] {
            let link = encode(&state);
            assert!(link.starts_with("#/policies?s=v1."), "{link}");
            assert_eq!(decode(&link), Ok(Some(state)));
        }
    }

    #[test]
    fn the_link_opens_the_policy_page() {
        assert_eq!(crate::route::Route::from_hash(&encode(&full())), crate::route::Route::Policies);
    }

    #[test]
    fn a_link_among_other_parameters_is_found() {
        let link = encode(&full());
        let data = link.split_once("?s=").map(|(_, d)| d).unwrap_or_default();
        assert_eq!(decode(&format!("#/policies?x=1&s={data}&y=2")), Ok(Some(full())));
    }

    #[test]
    fn a_fragment_without_a_link_is_none() {
        for h in ["", "#/policies", "#/policies?", "#/policies?x=1", "#/waf?state=1"] {
            assert_eq!(decode(h), Ok(None), "{h:?}");
        }
    }

    #[test]
    fn every_cut_of_a_link_is_refused_or_read_never_a_panic() {
        let link = encode(&full());
        for end in 0..link.len() {
            if let Some(cut) = link.get(..end) {
                match decode(cut) {
                    Ok(None) => assert!(!cut.contains("s="), "cut at {end}"),
                    Ok(Some(s)) => panic!("a cut link at {end} opened: {s:?}"),
                    Err(e) => assert!(!e.is_empty()),
                }
            }
        }
    }

    #[test]
    fn every_flipped_character_is_refused_or_read_never_a_panic() {
        let link = encode(&full());
        let start = link.find("v1.").map_or(0, |i| i + 3);
        let mut refused = 0;
        for i in start..link.len() {
            let mut bytes = link.clone().into_bytes();
            if let Some(b) = bytes.get_mut(i) {
                *b = if *b == b'A' { b'B' } else { b'A' };
            }
            let tampered = String::from_utf8(bytes).unwrap_or_default();
            match decode(&tampered) {
                Err(_) => refused += 1,
                Ok(Some(s)) => assert!(s.identity.len() <= MAX_IDENTITY && s.context.len() <= MAX_CONTEXT),
                Ok(None) => panic!("a tampered link at {i} read as no link"),
            }
        }
        assert!(refused > 0, "no tampered link was refused");
    }

    #[test]
    fn damage_is_named() {
        let cases = [
            ("#/policies?s=abc", "no version prefix"),
            ("#/policies?s=v9.abc", "format `v9`"),
            ("#/policies?s=v1.***", "not base64url"),
            ("#/policies?s=v1.AAAA", "does not inflate"),
        ];
        for (hash, want) in cases {
            let e = decode(hash).err().unwrap_or_default();
            assert!(e.contains(want), "{hash}: {e}");
        }
        let too_long = format!("#/policies?s=v1.{}", "A".repeat(MAX_ENCODED + 1));
        assert!(decode(&too_long).err().unwrap_or_default().contains("characters long"));
    }

    #[test]
    fn content_is_checked_field_by_field() {
        let cases = [
            ("not json", "not JSON"),
            ("[]", "not an object"),
            (r#"{"keyPolicy": 5}"#, "`keyPolicy` must be a string"),
            (r#"{"identity": "x"}"#, "`identity` must be an array"),
            (r#"{"identity": [1]}"#, "`identity[0]` must be a string"),
            (r#"{"identity": ["","","","","",""]}"#, "holds 6 policies"),
            (r#"{"context": {}}"#, "`context` must be an array"),
            (r#"{"context": [["k"]]}"#, "`context[0]` must be a [key, value] pair"),
            (r#"{"context": [["k", 1]]}"#, "`context[0] value` must be a string"),
            (r#"{"principal": null}"#, "`principal` must be a string"),
        ];
        for (json, want) in cases {
            let e = decode(&link_of(json)).err().unwrap_or_default();
            assert!(e.contains(want), "{json}: {e}");
        }
        let rows: Vec<String> = (0..=MAX_CONTEXT).map(|i| format!(r#"["k{i}",""]"#)).collect();
        let e =
            decode(&link_of(&format!(r#"{{"context": [{}]}}"#, rows.join(",")))).err().unwrap_or_default();
        assert!(e.contains("41 rows"), "{e}");
    }

    #[test]
    fn oversized_fields_and_bombs_are_refused() {
        let long = format!(r#"{{"action": "{}"}}"#, "a".repeat(MAX_FIELD + 1));
        assert!(decode(&link_of(&long)).err().unwrap_or_default().contains("`action` is 4097 bytes"));
        let policy = format!(r#"{{"keyPolicy": "{}"}}"#, " ".repeat(MAX_POLICY + 1));
        assert!(decode(&link_of(&policy)).err().unwrap_or_default().contains("`keyPolicy` is"));
        // Deflates to a few hundred bytes, inflates past the limit.
        let bomb = format!(r#"{{"scp": "{}"}}"#, "x".repeat(MAX_INFLATED * 2));
        let link = link_of(&bomb);
        assert!(link.len() < MAX_ENCODED);
        assert!(decode(&link).err().unwrap_or_default().contains("does not inflate"));
    }

    #[test]
    fn unknown_members_are_ignored_and_absent_ones_empty() {
        let s = decode(&link_of(r#"{"action": "kms:Sign", "future": [1, 2]}"#));
        assert_eq!(s, Ok(Some(PageState { action: "kms:Sign".into(), ..PageState::default() })));
    }
}
