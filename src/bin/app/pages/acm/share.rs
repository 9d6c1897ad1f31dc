//! The ACM page's share links (`#/acm?s=v1.…`, see `crate::share`): the certificate text and the
//! ACM settings (type, regions, in use, DNS record, days before expiry, hosts, date). A pasted
//! PEM private key is never put in a link: its blocks are cut out (the link says how many). A
//! dropped file is not carried either (paste its text to share it).

use serde_json::json;

use super::state::{AcmState, Action};
use crate::share::{self, Format};

/// The format written now (every earlier version stays readable).
pub const FORMAT: Format = Format { route: "#/acm", version: 1 };
/// Longest certificate text (a long chain in PEM).
const MAX_TEXT: usize = 128 * 1024;
/// Longest short setting.
const MAX_SHORT: usize = 4096;

/// `text` without any PEM private key block (`-----BEGIN … PRIVATE KEY-----` to its `END`
/// line; an unterminated one to the end), and how many were cut.
pub fn without_private_keys(text: &str) -> (String, usize) {
    let mut out = String::with_capacity(text.len());
    let mut cut = 0;
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        let l = line.trim();
        if !inside && l.starts_with("-----BEGIN ") && l.contains("PRIVATE KEY") {
            inside = true;
            cut += 1;
            continue;
        }
        if inside {
            if l.starts_with("-----END ") {
                inside = false;
            }
            continue;
        }
        out.push_str(line);
    }
    (out, cut)
}

/// The fragment that reopens `s`.
pub fn encode(s: &AcmState) -> String {
    let (text, keys_cut) = without_private_keys(&s.text);
    let mut doc = json!({
        "text": text,
        "certType": s.cert_type,
        "region": s.region,
        "resourceRegion": s.resource_region,
        "inUse": s.in_use,
        "dnsRecordPresent": s.dns_record_present,
        "daysBeforeExpiry": s.days_before_expiry,
        "hosts": s.hosts,
        "date": s.date,
    });
    if let (true, Some(o)) = (keys_cut > 0, doc.as_object_mut()) {
        o.insert("privateKeysLeftOut".into(), json!(keys_cut));
    }
    FORMAT.encode(&doc)
}

/// The actions that load a link's state into the page (`Ok(None)`: the address holds no link).
pub fn open(hash: &str) -> Result<Option<Vec<Action>>, String> {
    let Some(opened) = FORMAT.decode(hash)? else {
        return Ok(None);
    };
    let d = &opened.doc;
    let mut out = Vec::new();
    if let Some(t) = share::text(d, "text", MAX_TEXT)? {
        // Whatever wrote the link, a private key does not enter the page from one.
        out.push(Action::Text(without_private_keys(&t).0));
    }
    let short = |k: &str| share::text(d, k, MAX_SHORT);
    if let Some(v) = short("certType")? {
        out.push(Action::CertType(v));
    }
    if let Some(v) = short("region")? {
        out.push(Action::Region(v));
    }
    if let Some(v) = short("resourceRegion")? {
        out.push(Action::ResourceRegion(v));
    }
    if let Some(v) = share::flag(d, "inUse")? {
        out.push(Action::InUse(v));
    }
    if let Some(v) = share::flag(d, "dnsRecordPresent")? {
        out.push(Action::DnsRecordPresent(v));
    }
    if let Some(v) = share::integer(d, "daysBeforeExpiry", 1..=45)? {
        out.push(Action::DaysBeforeExpiry(v));
    }
    if let Some(v) = short("hosts")? {
        out.push(Action::Hosts(v));
    }
    if let Some(v) = short("date")? {
        out.push(Action::Date(v));
    }
    Ok(Some(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::share::testing::{link_of, survives_damage};
    use serde_json::Value;

    fn opened(hash: &str) -> AcmState {
        let mut s = AcmState::default();
        for a in open(hash).unwrap().unwrap() {
            s.apply(a);
        }
        s
    }

    #[test]
    fn every_example_survives_the_round_trip() {
        for i in 0..super::super::state::EXAMPLES.len() {
            let mut s = AcmState::default();
            for a in [Action::Example(i), Action::DaysBeforeExpiry(30), Action::InUse(false)] {
                s.apply(a);
            }
            let back = opened(&encode(&s));
            assert_eq!(back.text, s.text, "example {i}");
            assert_eq!(
                (&back.cert_type, &back.region, &back.resource_region, &back.hosts, &back.date),
                (&s.cert_type, &s.region, &s.resource_region, &s.hosts, &s.date)
            );
            assert_eq!(
                (back.in_use, back.dns_record_present, back.days_before_expiry),
                (false, s.dns_record_present, 30)
            );
            assert_eq!(back.inspection.is_some(), s.inspection.is_some());
        }
    }

    #[test]
    fn a_private_key_never_goes_into_a_link() {
        let cert = AcmState::default().text;
        let key =
            "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n";
        let rsa = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n";
        let mut s = AcmState::default();
        s.apply(Action::Text(format!("{key}{cert}{rsa}")));
        let link = encode(&s);
        let doc = Value::Object(FORMAT.decode(&link).unwrap().unwrap().doc).to_string();
        assert!(
            !doc.contains("PRIVATE KEY") && !doc.contains("MIIEvQIBADAN") && !doc.contains("MIIEowIBAAKC"),
            "{doc}"
        );
        assert!(doc.contains("\"privateKeysLeftOut\":2"), "{doc}");
        assert_eq!(opened(&link).text, cert);
        // A hand-made link with a key in it: the key is cut on the way in as well.
        let crafted = link_of(&FORMAT, 1, &json!({"text": format!("{key}{cert}")}).to_string());
        assert_eq!(opened(&crafted).text, cert);
        assert_eq!(without_private_keys("-----BEGIN EC PRIVATE KEY-----\nabc"), (String::new(), 1));
    }

    /// A version-1 link as the page wrote it: it must keep opening.
    #[test]
    fn a_stored_version_1_link_opens() {
        // {"text":"","certType":"IMPORTED","region":"eu-west-1","resourceRegion":"us-east-1","inUse"…
        let v1 = "#/acm?s=v1.NY7BDoIwEET_Zc-UADEeOBo5eDAQgh_QlEFJoCXdbYQY_91i9DhvZmfnRYJVqCRKyMBLty2I6nJt6rarzpF63EdnI0NQT7Co_AvZBW_Q_s3ACvpnjvbGsWTQEyOh3nIL43zfxCPY-Et82Lne-ITBeVTrMvqNyvyQ0MOxcOzTKVY9LxNS42ba07LvKrLiqLJcZQW9Pw";
        let s = opened(v1);
        assert_eq!(
            (s.cert_type.as_str(), s.region.as_str(), s.date.as_str()),
            ("IMPORTED", "eu-west-1", "2026-01-02")
        );
        assert_eq!((s.in_use, s.days_before_expiry), (false, 14));
    }

    #[test]
    fn damaged_or_out_of_range_links_are_refused_with_a_reason() {
        survives_damage(&encode(&AcmState::default()), open);
        let e = open(&link_of(&FORMAT, 1, r#"{"daysBeforeExpiry": 9999}"#)).err().unwrap_or_default();
        assert!(e.contains("from 1 to 45"), "{e}");
        let e = open(&link_of(&FORMAT, 1, r#"{"inUse": "yes"}"#)).err().unwrap_or_default();
        assert!(e.contains("true or false"), "{e}");
    }
}
