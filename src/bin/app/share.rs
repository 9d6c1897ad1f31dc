//! Share links for every page: the page's inputs as a JSON document in the URL fragment,
//! `#/<page>?s=v<N>.<data>`, where `<data>` is the document deflated (`miniz_oxide`, level 9) and
//! base64url-encoded without padding, and `N` the page's format version.
//!
//! The fragment never reaches a server. A page puts in its document only what it may: inputs
//! such as policies, web ACLs, requests, certificates and settings — never key material,
//! passphrases or secret values (each page's `share` module says what it leaves out, and its
//! tests check it). Reading checks the size before inflating, the inflated size, the version
//! (every version a page ever wrote stays readable: each page's tests hold a stored link of each
//! one), then each member's type and size; damage becomes a message, never a panic.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{Map, Value};

/// Longest `s=` value read (characters).
pub const MAX_ENCODED: usize = 200_000;
/// Largest inflated document (bytes).
pub const MAX_INFLATED: usize = 512 * 1024;

/// A page's link format: the route its links open and the versions it reads.
#[derive(Clone, Copy, Debug)]
pub struct Format {
    /// `#/waf`: the hash of the page, without a query.
    pub route: &'static str,
    /// The version written now; every version from 1 up to it is read.
    pub version: u32,
}

/// A document read from a link, and the format version it was written in.
#[derive(Clone, Debug, PartialEq)]
pub struct Opened {
    pub version: u32,
    pub doc: Map<String, Value>,
}

impl Format {
    /// The fragment (starting with `#`) that reopens `doc`.
    pub fn encode(&self, doc: &Value) -> String {
        let bytes = miniz_oxide::deflate::compress_to_vec(doc.to_string().as_bytes(), 9);
        format!("{}?s=v{}.{}", self.route, self.version, URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The document in a `location.hash`: `Ok(None)` when the fragment carries none.
    pub fn decode(&self, hash: &str) -> Result<Option<Opened>, String> {
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
        let (version, data) = param.split_once('.').ok_or(
            "the link has no version prefix (`v1.`); it was cut short or is not a secplay share link",
        )?;
        let number = version.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()).filter(|n| *n >= 1);
        let Some(number) = number.filter(|n| *n <= self.version) else {
            return Err(format!(
                "the link is in format `{}`, which this version of secplay does not read (it reads v1 to v{})",
                clip(version),
                self.version
            ));
        };
        let deflated = URL_SAFE_NO_PAD
            .decode(data)
            .map_err(|e| format!("the link is damaged (not base64url: {e}); copy the whole link again"))?;
        let json =
            miniz_oxide::inflate::decompress_to_vec_with_limit(&deflated, MAX_INFLATED).map_err(|e| {
                format!(
                "the link is damaged (its compressed data does not inflate: {:?}); copy the whole link again",
                e.status
            )
            })?;
        let value: Value = serde_json::from_slice(&json)
            .map_err(|e| format!("the link's content is not JSON ({e}); copy the whole link again"))?;
        match value {
            Value::Object(doc) => Ok(Some(Opened { version: number, doc })),
            _ => Err("the link's content is not an object".to_owned()),
        }
    }
}

fn clip(s: &str) -> String {
    s.chars().take(20).collect()
}

/// An optional string member (absent = `None`), at most `max` bytes.
pub fn text(doc: &Map<String, Value>, key: &str, max: usize) -> Result<Option<String>, String> {
    doc.get(key).map(|v| text_value(v, key, max)).transpose()
}

/// A string, at most `max` bytes.
pub fn text_value(v: &Value, what: &str, max: usize) -> Result<String, String> {
    let s = v.as_str().ok_or_else(|| format!("`{what}` must be a string"))?;
    if s.len() > max {
        return Err(format!("`{what}` is {} bytes long, more than the {max} the page accepts", s.len()));
    }
    Ok(s.to_owned())
}

/// An optional boolean member.
pub fn flag(doc: &Map<String, Value>, key: &str) -> Result<Option<bool>, String> {
    doc.get(key).map(|v| v.as_bool().ok_or_else(|| format!("`{key}` must be true or false"))).transpose()
}

/// An optional integer member within `range`.
pub fn integer(
    doc: &Map<String, Value>,
    key: &str,
    range: std::ops::RangeInclusive<i64>,
) -> Result<Option<i64>, String> {
    doc.get(key)
        .map(|v| {
            v.as_i64().filter(|n| range.contains(n)).ok_or_else(|| {
                format!("`{key}` must be a whole number from {} to {}", range.start(), range.end())
            })
        })
        .transpose()
}

/// An API request text with the members that may hold secrets emptied (`SecretString`,
/// `SecretBinary`, `Plaintext`, and `Value` when the request's `Type` is `SecureString` or absent):
/// what a user puts there is theirs to keep. Text that is not a JSON object is kept as typed (the
/// pages send only JSON objects, so it holds nothing a call would use).
pub fn without_secret_members(request: &str) -> String {
    let Ok(Value::Object(mut o)) = serde_json::from_str::<Value>(request) else {
        return request.to_owned();
    };
    let secure = o.get("Type").is_none_or(|t| t == "SecureString");
    let mut changed = false;
    for key in ["SecretString", "SecretBinary", "Plaintext", "Value"] {
        if key == "Value" && !secure {
            continue;
        }
        if let Some(v) = o.get_mut(key) {
            *v = Value::String(String::new());
            changed = true;
        }
    }
    if !changed {
        return request.to_owned();
    }
    serde_json::to_string_pretty(&Value::Object(o)).unwrap_or_default()
}

/// What a service page calls with: its four texts, and how each becomes an action of the page.
pub struct Call<'a, A> {
    pub principal: (&'a str, fn(String) -> A),
    pub region: (&'a str, fn(String) -> A),
    pub operation: (&'a str, fn(String) -> A),
    pub request: (&'a str, fn(String) -> A),
}

/// Longest principal, region or operation a service page's link carries.
const MAX_CALL_FIELD: usize = 2048;
/// Longest request text a service page's link carries.
const MAX_CALL_REQUEST: usize = 64 * 1024;

impl<A> Call<'_, A> {
    /// The members of a link: the request with its secret members emptied.
    pub fn members(&self) -> Map<String, Value> {
        let mut m = Map::new();
        for (key, text) in
            [("principal", self.principal.0), ("region", self.region.0), ("operation", self.operation.0)]
        {
            m.insert(key.to_owned(), Value::String(text.to_owned()));
        }
        m.insert("request".to_owned(), Value::String(without_secret_members(self.request.0)));
        m
    }

    /// The actions a link's members make, in the order a page takes them (the request last: choosing
    /// an operation replaces it with its template); a request's secret members are emptied again.
    pub fn actions(&self, doc: &Map<String, Value>) -> Result<Vec<A>, String> {
        let mut out = Vec::new();
        for (key, make) in
            [("principal", self.principal.1), ("region", self.region.1), ("operation", self.operation.1)]
        {
            if let Some(v) = text(doc, key, MAX_CALL_FIELD)? {
                out.push(make(v));
            }
        }
        if let Some(v) = text(doc, "request", MAX_CALL_REQUEST)? {
            out.push((self.request.1)(without_secret_members(&v)));
        }
        Ok(out)
    }
}

/// Tests every page's format can use: round trips, stored links, damage.
#[cfg(test)]
pub mod testing {
    use super::*;

    /// The link of a hand-written document in version `v`, as `encode` would write it.
    pub fn link_of(f: &Format, v: u32, json: &str) -> String {
        let bytes = miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9);
        format!("{}?s=v{v}.{}", f.route, URL_SAFE_NO_PAD.encode(bytes))
    }

    /// Every cut and every flipped character of `link` is refused or read by `open`, never a
    /// panic, and at least one flip is refused.
    pub fn survives_damage<T>(link: &str, open: impl Fn(&str) -> Result<Option<T>, String>) {
        for end in 0..link.len() {
            if let Some(cut) = link.get(..end) {
                if let Err(e) = open(cut) {
                    assert!(!e.is_empty());
                }
            }
        }
        let start = link.find("?s=v").map_or(0, |i| i + 5);
        let mut refused = 0;
        for i in start..link.len() {
            let mut bytes = link.as_bytes().to_vec();
            if let Some(b) = bytes.get_mut(i) {
                *b = if *b == b'A' { b'B' } else { b'A' };
            }
            if open(&String::from_utf8(bytes).unwrap_or_default()).is_err() {
                refused += 1;
            }
        }
        assert!(refused > 0, "no tampered link was refused");
    }
}

#[cfg(test)]
mod tests {
    use super::testing::link_of;
    use super::*;
    use serde_json::json;

    const F: Format = Format { route: "#/waf", version: 2 };

    #[test]
    fn a_document_survives_the_round_trip_and_says_its_version() {
        let doc = json!({"acl": "ünïcødé 🔐 \"q\" \\ \n", "n": 5});
        let link = F.encode(&doc);
        assert!(link.starts_with("#/waf?s=v2."), "{link}");
        let opened = F.decode(&link).unwrap().unwrap();
        assert_eq!((opened.version, Value::Object(opened.doc)), (2, doc));
        assert_eq!(crate::route::Route::from_hash(&link), crate::route::Route::Waf);
    }

    #[test]
    fn older_versions_are_read_newer_and_unknown_ones_refused() {
        assert_eq!(F.decode(&link_of(&F, 1, "{}")).unwrap().unwrap().version, 1);
        for v in ["v3", "v0", "x1", "v", "v-1", "v99999999999"] {
            let link = link_of(&F, 1, "{}").replace("s=v1.", &format!("s={v}."));
            let e = F.decode(&link).err().unwrap_or_default();
            assert!(e.contains("does not read (it reads v1 to v2)"), "{v}: {e}");
        }
    }

    #[test]
    fn a_fragment_without_a_link_is_none_and_other_parameters_are_skipped() {
        for h in ["", "#/waf", "#/waf?", "#/waf?x=1", "#/waf/replay"] {
            assert_eq!(F.decode(h), Ok(None), "{h:?}");
        }
        let data = F.encode(&json!({"a": "b"}));
        let data = data.split_once("?s=").map(|(_, d)| d).unwrap_or_default();
        assert!(F.decode(&format!("#/waf?x=1&s={data}&y=2")).unwrap().is_some());
    }

    #[test]
    fn damage_is_named() {
        let cases = [
            ("#/waf?s=abc", "no version prefix"),
            ("#/waf?s=v1.***", "not base64url"),
            ("#/waf?s=v1.AAAA", "does not inflate"),
        ];
        for (hash, want) in cases {
            let e = F.decode(hash).err().unwrap_or_default();
            assert!(e.contains(want), "{hash}: {e}");
        }
        assert!(F.decode(&link_of(&F, 1, "[1]")).err().unwrap_or_default().contains("not an object"));
        assert!(F.decode(&link_of(&F, 1, "{")).err().unwrap_or_default().contains("not JSON"));
        let too_long = format!("#/waf?s=v1.{}", "A".repeat(MAX_ENCODED + 1));
        assert!(F.decode(&too_long).err().unwrap_or_default().contains("characters long"));
        let bomb = link_of(&F, 1, &format!(r#"{{"a": "{}"}}"#, "x".repeat(MAX_INFLATED * 2)));
        assert!(bomb.len() < MAX_ENCODED);
        assert!(F.decode(&bomb).err().unwrap_or_default().contains("does not inflate"));
        testing::survives_damage(&F.encode(&json!({"acl": "x".repeat(300)})), |h| F.decode(h));
    }

    #[test]
    fn secret_members_of_a_request_are_emptied() {
        let r =
            without_secret_members(r#"{"SecretId": "a", "SecretString": "hunter2", "Plaintext": "cA=="}"#);
        assert!(!r.contains("hunter2") && !r.contains("cA==") && r.contains("\"a\""), "{r}");
        let plain = r#"{"Name": "/app/url", "Type": "String", "Value": "https://example.com"}"#;
        assert_eq!(without_secret_members(plain), plain);
        assert!(!without_secret_members(r#"{"Name": "/db", "Value": "pw"}"#).contains("pw"));
        assert!(!without_secret_members(r#"{"Type": "SecureString", "Value": "pw"}"#).contains("pw"));
        assert_eq!(without_secret_members("not json {"), "not json {");
    }

    #[test]
    fn members_are_checked() {
        let doc = json!({"s": "abc", "b": true, "n": 7, "bad": 1.5}).as_object().cloned().unwrap();
        assert_eq!(text(&doc, "s", 3), Ok(Some("abc".into())));
        assert_eq!(text(&doc, "absent", 3), Ok(None));
        assert!(text(&doc, "s", 2).err().unwrap_or_default().contains("`s` is 3 bytes long"));
        assert!(text(&doc, "b", 9).err().unwrap_or_default().contains("`b` must be a string"));
        assert_eq!(flag(&doc, "b"), Ok(Some(true)));
        assert!(flag(&doc, "s").is_err());
        assert_eq!(integer(&doc, "n", 0..=10), Ok(Some(7)));
        assert!(integer(&doc, "n", 0..=5).err().unwrap_or_default().contains("from 0 to 5"));
        assert!(integer(&doc, "bad", 0..=5).is_err());
    }
}
