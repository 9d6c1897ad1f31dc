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
