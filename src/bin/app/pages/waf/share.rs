//! The WAF page's share links (`#/waf?s=v1.…`, see `crate::share`): the web ACL, its resources,
//! the request, client address, country and probe. Not in a link: the replay input (log lines
//! hold real clients' addresses and requests) and the evaluation's results (the page recomputes
//! them). Nothing in a web ACL is key material.

use serde_json::{json, Value};

use super::state::{Action, Text, WafState};
use crate::share::{self, Format};

/// The format written now (every earlier version stays readable).
pub const FORMAT: Format = Format { route: "#/waf", version: 1 };
/// Longest web ACL or resources text a link carries.
const MAX_JSON: usize = 256 * 1024;
/// Longest request or probe.
const MAX_REQUEST: usize = 64 * 1024;
/// Longest client address or country.
const MAX_SHORT: usize = 256;

/// The texts a link carries, with their members and bounds.
const TEXTS: [(Text, &str, usize); 6] = [
    (Text::Acl, "acl", MAX_JSON),
    (Text::Resources, "resources", MAX_JSON),
    (Text::Request, "request", MAX_REQUEST),
    (Text::ClientIp, "clientIp", MAX_SHORT),
    (Text::Country, "country", MAX_SHORT),
    (Text::Probe, "probe", MAX_REQUEST),
];

fn text_of(s: &WafState, t: Text) -> &str {
    match t {
        Text::Acl => &s.acl,
        Text::Resources => &s.resources,
        Text::Request => &s.request,
        Text::ClientIp => &s.client_ip,
        Text::Country => &s.country,
        Text::Probe => &s.probe,
        Text::Replay => &s.replay_text,
    }
}

/// The fragment that reopens `s`.
pub fn encode(s: &WafState) -> String {
    let mut doc = serde_json::Map::new();
    for (t, key, _) in TEXTS {
        doc.insert(key.to_owned(), json!(text_of(s, t)));
    }
    FORMAT.encode(&Value::Object(doc))
}

/// The edits that load a link's state into the page (`Ok(None)`: the address holds no link).
pub fn open(hash: &str) -> Result<Option<Vec<Action>>, String> {
    let Some(opened) = FORMAT.decode(hash)? else {
        return Ok(None);
    };
    let mut edits = Vec::new();
    for (t, key, max) in TEXTS {
        if let Some(v) = share::text(&opened.doc, key, max)? {
            edits.push(Action::Edit(t, v));
        }
    }
    Ok(Some(edits))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::testing::{link_of, survives_damage};

    fn opened(hash: &str) -> WafState {
        let edits = open(hash).unwrap().unwrap();
        edits.into_iter().fold(WafState::default(), WafState::reduce)
    }

    #[test]
    fn the_page_survives_the_round_trip() {
        let s = WafState::default()
            .reduce(Action::Edit(Text::Request, "GET /?q=%3Cscript%3E HTTP/1.1\nHost: x\n".into()))
            .reduce(Action::Edit(Text::ClientIp, "198.51.100.7".into()))
            .reduce(Action::Edit(Text::Country, "KP".into()))
            .reduce(Action::Edit(Text::Probe, "ünïcødé 🔐".into()));
        let back = opened(&encode(&s));
        for (t, key, _) in TEXTS {
            assert_eq!(text_of(&back, t), text_of(&s, t), "{key}");
        }
        assert_eq!(back.acl_summary().1, None, "the shared ACL builds");
    }

    #[test]
    fn the_replay_input_stays_out_of_the_link() {
        let s =
            WafState::default().reduce(Action::Edit(Text::Replay, "{\"clientIp\":\"203.0.113.99\"}".into()));
        let doc = FORMAT.decode(&encode(&s)).unwrap().unwrap().doc;
        assert!(!Value::Object(doc).to_string().contains("203.0.113.99"));
    }

    /// A version-1 link as the page wrote it: it must keep opening.
    #[test]
    fn a_stored_version_1_link_opens() {
        // {"acl":"{\"Name\":\"shared\",\"DefaultAction\":{\"Allow\":{}},\"Rules\":[],\"VisibilityCon…
        let v1 = "#/waf?s=v1.bY87b8JADID_SuQZhYaNbAii0qGoolE79Do4FwdOcu7Se6hF6P57HZA6dfNnf35dATVDDVcFBxxJQa0gnNFTr2ChYEcDJo4bHY2zUhRtw-y-5zBnEY6JKQh9fAq8mWA6wyZets4O5nRveMVxYuqP9JUoxNBY7HgeXw_IgaRtyy717xj1-ZmiN_of5V74u3BUkDMswFNwyWsK8sENbysEHpu2WBb7tn1ZVmWl7N6FWBeorFiaDdn4NIlWrVflQ7kqqzntko3-ItldIzh515HAD-Rf";
        let s = opened(v1);
        assert!(s.acl.contains("\"shared\""));
        assert_eq!((s.client_ip.as_str(), s.country.as_str(), s.probe.as_str()), ("192.0.2.1", "DE", "x"));
        assert_eq!(s.acl_summary().1, None);
    }

    #[test]
    fn damaged_or_oversized_links_are_refused_with_a_reason() {
        survives_damage(&encode(&WafState::default()), open);
        let big = format!(r#"{{"clientIp": "{}"}}"#, "1".repeat(MAX_SHORT + 1));
        assert!(open(&link_of(&FORMAT, 1, &big))
            .err()
            .unwrap_or_default()
            .contains("`clientIp` is 257 bytes"));
        assert!(open(&link_of(&FORMAT, 1, r#"{"acl": 5}"#))
            .err()
            .unwrap_or_default()
            .contains("`acl` must be"));
        assert!(open(&link_of(&FORMAT, 2, "{}")).is_err());
    }
}
