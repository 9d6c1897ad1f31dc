#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! The evaluation's fast paths give what the plain ways give: substring search by first byte
//! (ByteMatch `CONTAINS` / `CONTAINS_WORD`) against trying every window, the URI split by byte
//! search against the `str` split, `FieldToMatch::single_part` against `extract`, and a
//! transformed value read back from the request's memo against one computed fresh (a rule alone
//! in its ACL). Positional constraints:
//! <https://docs.aws.amazon.com/waf/latest/APIReference/API_ByteMatchStatement.html>.

use secplay::waf::eval::byte_match;
use secplay::waf::field::{FieldToMatch, MapPattern, Oversize, Scope};
use secplay::waf::json::WebAcl;
use secplay::waf::model::Positional;
use secplay::waf::request::Request;
use serde_json::{json, Value};

/// The plain reading of each positional constraint (every window tried).
fn reference(hay: &[u8], needle: &[u8], position: Positional) -> bool {
    let word = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    match position {
        Positional::Exactly => hay == needle,
        Positional::StartsWith => hay.starts_with(needle),
        Positional::EndsWith => hay.ends_with(needle),
        Positional::Contains => needle.is_empty() || hay.windows(needle.len()).any(|w| w == needle),
        Positional::ContainsWord => {
            !needle.is_empty()
                && needle.len() <= hay.len()
                && (0..=hay.len() - needle.len()).any(|i| {
                    &hay[i..i + needle.len()] == needle
                        && (i == 0 || !word(hay[i - 1]))
                        && (i + needle.len() == hay.len() || !word(hay[i + needle.len()]))
                })
        }
    }
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn text(&mut self, max: usize) -> Vec<u8> {
        // A small alphabet (word and non-word bytes) so needles occur often, overlapping too.
        const ALPHABET: &[u8] = b"aab_ -.";
        let n = (self.next() % (max as u64 + 1)) as usize;
        (0..n).map(|_| ALPHABET[(self.next() % ALPHABET.len() as u64) as usize]).collect()
    }
}

#[test]
fn byte_match_finds_what_trying_every_window_finds() {
    let mut rng = Rng(0x0123_4567_89ab_cdef);
    let positions = [
        Positional::Exactly,
        Positional::StartsWith,
        Positional::EndsWith,
        Positional::Contains,
        Positional::ContainsWord,
    ];
    let mut matched = 0;
    for _ in 0..20_000 {
        let hay = rng.text(24);
        let needle = rng.text(4);
        for p in positions {
            let want = reference(&hay, &needle, p);
            assert_eq!(byte_match(&hay, &needle, p), want, "{p:?} {:?} in {:?}", needle, hay);
            matched += usize::from(want);
        }
    }
    assert!(matched > 10_000, "the generated cases must match often ({matched})");
}

#[test]
fn the_uri_splits_as_the_str_split_does() {
    let ip = "192.0.2.1".parse().unwrap();
    for uri in
        ["/", "", "/a?b=1", "/a?b=1#f", "/a#f?x", "?", "#", "?#", "/é?ü=ß#ñ", "/a??b", "/a##b", "/a?b#c?d#e"]
    {
        let r = Request::get(uri, ip);
        let (u, frag) = match uri.split_once('#') {
            Some((a, f)) => (a, Some(f)),
            None => (uri, None),
        };
        assert_eq!(r.fragment(), frag, "{uri}");
        assert_eq!(r.path(), u.split_once('?').map_or(u, |(p, _)| p), "{uri}");
        assert_eq!(r.query(), u.split_once('?').map_or("", |(_, q)| q), "{uri}");
    }
}

fn requests() -> Vec<Request> {
    let ip = "192.0.2.1".parse().unwrap();
    let mut out = Vec::new();
    for uri in ["/", "/a/b?x=1&y=%3Cscript%3E", "/p#frag", "/q?z=1#f"] {
        for (headers, body) in [
            (vec![], vec![]),
            (
                vec![("User-Agent", "curl/8"), ("cookie", "a=1; b=2"), ("X-Two", "1"), ("x-two", "2")],
                b"k=v".to_vec(),
            ),
            (vec![("Host", "h")], vec![b'x'; 20_000]),
        ] {
            let mut r = Request::get(uri, ip);
            r.method = "POST".to_owned();
            r.headers = headers.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect();
            r.body = body;
            out.push(r.clone());
            r.ja3 = Some("ja3hash".to_owned());
            r.ja4 = Some("ja4hash".to_owned());
            out.push(r);
        }
    }
    out
}

#[test]
fn single_part_is_what_extract_yields_for_one_part() {
    let fields = [
        FieldToMatch::UriPath,
        FieldToMatch::QueryString,
        FieldToMatch::Method,
        FieldToMatch::SingleHeader("user-agent".to_owned()),
        FieldToMatch::SingleHeader("x-two".to_owned()),
        FieldToMatch::SingleHeader("absent".to_owned()),
        FieldToMatch::SingleQueryArgument("x".to_owned()),
        FieldToMatch::AllQueryArguments,
        FieldToMatch::Body(Oversize::Continue),
        FieldToMatch::Body(Oversize::Match),
        FieldToMatch::Body(Oversize::NoMatch),
        FieldToMatch::Headers(MapPattern::All, Scope::All, Oversize::Continue),
        FieldToMatch::Cookies(MapPattern::All, Scope::Value, Oversize::Continue),
        FieldToMatch::HeaderOrder(Oversize::Continue),
        FieldToMatch::Ja3(true),
        FieldToMatch::Ja4(false),
        FieldToMatch::UriFragment(false),
    ];
    let mut fast = 0;
    for req in requests() {
        for f in &fields {
            let x = f.extract(&req, 8 * 1024);
            match f.single_part(&req, 8 * 1024) {
                Some((part, bytes)) => {
                    fast += 1;
                    assert_eq!(x.forced, None, "{f:?}");
                    assert!(!x.oversize, "{f:?}");
                    assert_eq!(x.parts.len(), 1, "{f:?}");
                    assert_eq!(x.parts[0].0, part, "{f:?}");
                    assert_eq!(&*x.parts[0].1, bytes, "{f:?}");
                }
                None => {
                    let one = x.parts.len() == 1 && x.forced.is_none() && !x.oversize;
                    let simple =
                        matches!(f, FieldToMatch::UriPath | FieldToMatch::QueryString | FieldToMatch::Method);
                    assert!(!simple, "{f:?} always has one part");
                    // The general path is kept for lists (which may hold one part) only.
                    if one {
                        assert!(
                            matches!(
                                f,
                                FieldToMatch::SingleQueryArgument(_)
                                    | FieldToMatch::AllQueryArguments
                                    | FieldToMatch::Headers(..)
                                    | FieldToMatch::Cookies(..)
                                    | FieldToMatch::HeaderOrder(_)
                            ),
                            "{f:?} yields one part but has no fast path"
                        );
                    }
                }
            }
        }
    }
    assert!(fast > 100, "{fast}");
}

fn rule(name: &str, priority: usize, statement: Value) -> Value {
    json!({"Name": name, "Priority": priority, "Action": {"Count": {}}, "Statement": statement,
           "VisibilityConfig": {"SampledRequestsEnabled": false, "CloudWatchMetricsEnabled": false, "MetricName": name}})
}

fn acl(rules: Vec<Value>) -> WebAcl {
    let acl = json!({"Name": "memo", "Id": "a0000000-0000-4000-8000-000000000009",
        "ARN": "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/memo/a0000000-0000-4000-8000-000000000009",
        "DefaultAction": {"Allow": {}}, "Capacity": 0,
        "VisibilityConfig": {"SampledRequestsEnabled": false, "CloudWatchMetricsEnabled": false, "MetricName": "memo"},
        "Rules": rules});
    WebAcl::new(&acl, &Value::Null, &Value::Null).unwrap()
}

/// Each rule's trace entry (statements, inspected values, outcome), by rule name.
fn traces(record: &Value) -> Vec<(String, Value)> {
    record["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["rule"].as_str().unwrap().to_owned(), t["statements"].clone()))
        .collect()
}

#[test]
fn a_value_read_back_from_the_memo_is_the_value_computed_fresh() {
    let tt = |types: &[&str]| -> Value {
        Value::Array(types.iter().enumerate().map(|(i, t)| json!({"Priority": i, "Type": t})).collect())
    };
    let query = json!({"QueryString": {}});
    let ua = json!({"SingleHeader": {"Name": "User-Agent"}});
    let decode = tt(&["URL_DECODE", "HTML_ENTITY_DECODE"]);
    let statements = [
        (
            "sqli",
            json!({"SqliMatchStatement": {"FieldToMatch": query, "TextTransformations": decode, "SensitivityLevel": "LOW"}}),
        ),
        ("xss", json!({"XssMatchStatement": {"FieldToMatch": query, "TextTransformations": decode}})),
        (
            "decoded-has-lt",
            json!({"ByteMatchStatement": {"SearchString": "PA==", "FieldToMatch": query,
            "TextTransformations": decode, "PositionalConstraint": "CONTAINS"}}),
        ),
        (
            "raw-has-lt",
            json!({"ByteMatchStatement": {"SearchString": "PA==", "FieldToMatch": query,
            "TextTransformations": tt(&["NONE"]), "PositionalConstraint": "CONTAINS"}}),
        ),
        (
            "ua-lower",
            json!({"ByteMatchStatement": {"SearchString": "Y3VybA==", "FieldToMatch": ua,
            "TextTransformations": tt(&["LOWERCASE"]), "PositionalConstraint": "STARTS_WITH"}}),
        ),
        (
            "ua-lower-again",
            json!({"ByteMatchStatement": {"SearchString": "Q1VSTA==", "FieldToMatch": ua,
            "TextTransformations": tt(&["LOWERCASE"]), "PositionalConstraint": "STARTS_WITH"}}),
        ),
    ];
    let all: Vec<Value> = statements.iter().enumerate().map(|(i, (n, s))| rule(n, i, s.clone())).collect();
    let mut together = acl(all);
    let requests = [
        json!({"uri": "/s?q=%3Cscript%3Ealert(1)%3C/script%3E&x=&#x27;", "headers": [["User-Agent", "CURL/8"]]}),
        json!({"uri": "/s?q=1%27%20or%20%271%27=%271", "headers": [["User-Agent", "curl/8"]]}),
        json!({"uri": "/s?q=plain", "headers": []}),
        json!({"uri": "/s?q=a&amp;b%3C", "headers": [["user-agent", "Mozilla"]]}),
    ];
    let mut checked = 0;
    for req in &requests {
        let rec = together.evaluate(req, &Value::Null).unwrap();
        let got = traces(&rec);
        assert_eq!(got.len(), statements.len());
        for (i, (name, st)) in statements.iter().enumerate() {
            let mut alone = acl(vec![rule(name, 0, st.clone())]);
            let want = traces(&alone.evaluate(req, &Value::Null).unwrap());
            assert_eq!(got[i], want[0], "rule `{name}` on {req}");
            checked += 1;
        }
    }
    assert_eq!(checked, 24);
}

#[test]
fn a_transformation_passed_over_as_a_no_op_gives_what_applying_it_gives() {
    use secplay::waf::transform::{apply_all, ALL};
    // Paths with every kind of segment (`.`, `..`, empty, backslashes), escapes, entities, case.
    const PIECES: &[&[u8]] =
        &[b"/", b"a", b".", b"..", b"//", b"\\", b"%2e", b"+", b"&amp;", b"B", b"x.php", b"/"];
    let mut rng = Rng(0x5eed_0000_0000_0001);
    let mut passed_over = 0;
    for _ in 0..5_000 {
        let n = (rng.next() % 7) as usize;
        let input: Vec<u8> = (0..n)
            .flat_map(|_| PIECES[(rng.next() % PIECES.len() as u64) as usize].iter().copied())
            .collect();
        for (name, t) in ALL {
            let once = apply_all(&input, &[t]);
            passed_over += usize::from(matches!(once, std::borrow::Cow::Borrowed(_)));
            assert_eq!(&*once, t.apply(&input).as_slice(), "{name} on {:?}", String::from_utf8_lossy(&input));
        }
    }
    assert!(passed_over > 5_000, "{passed_over}");
}
