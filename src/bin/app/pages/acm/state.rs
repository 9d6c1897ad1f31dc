//! The ACM page's state: the certificate text (or dropped bytes), the ACM options, and the two
//! results the engine gives for them (`secplay::acm::json::inspect` and `timeline`), recomputed
//! on every change. Plain data for every target, tested natively; yew's `Reducible` in the
//! browser. The examples are the notes' (DIGEST section 10), on certificates made with openssl
//! (`tests/acm/data`).

use std::rc::Rc;

use serde_json::{json, Value};

/// One of the page's examples.
pub struct Example {
    pub title: &'static str,
    pub note: &'static str,
    pub pem: &'static str,
    pub cert_type: &'static str,
    pub region: &'static str,
    pub resource_region: &'static str,
    pub in_use: bool,
    pub dns_record_present: bool,
    pub hosts: &'static str,
    /// The simulated date, `YYYY-MM-DD`.
    pub date: &'static str,
}

/// The notes' examples.
pub const EXAMPLES: &[Example] = &[
    Example {
        title: "Imported chain, 45 days of expiry events",
        note: "An imported certificate is never renewed: ACM sends daily expiry events from 45 days before, and the Config rule flags it 14 days before.",
        pem: include_str!("../../../../../tests/acm/data/chain3.pem"),
        cert_type: "IMPORTED",
        region: "eu-west-1",
        resource_region: "eu-west-1",
        in_use: true,
        dns_record_present: true,
        hosts: "www.example.com\nexample.com\napi.example.com",
        date: "2027-01-10",
    },
    Example {
        title: "ACM wildcard for CloudFront, in the wrong region",
        note: "CloudFront and edge-optimized API Gateway take certificates from us-east-1 only; *.example.com does not cover deeper names.",
        pem: include_str!("../../../../../tests/acm/data/wildcard.pem"),
        cert_type: "AMAZON_ISSUED",
        region: "eu-west-1",
        resource_region: "eu-west-1",
        in_use: true,
        dns_record_present: true,
        hosts: "example.com\nshop.example.com\na.shop.example.com",
        date: "2026-11-01",
    },
    Example {
        title: "ACM-issued, idle: renewal ineligible",
        note: "Managed renewal starts 60 days before expiry only for certificates in use (or exported) whose validation still holds.",
        pem: include_str!("../../../../../tests/acm/data/rsa2048.pem"),
        cert_type: "AMAZON_ISSUED",
        region: "us-east-1",
        resource_region: "us-east-1",
        in_use: false,
        dns_record_present: true,
        hosts: "www.example.com",
        date: "2026-12-10",
    },
    Example {
        title: "A chain out of order",
        note: "The intermediate comes before the leaf: ACM and load balancers want the leaf first, each certificate followed by its issuer.",
        pem: include_str!("../../../../../tests/acm/data/chain-out-of-order.pem"),
        cert_type: "IMPORTED",
        region: "us-east-1",
        resource_region: "us-east-1",
        in_use: true,
        dns_record_present: true,
        hosts: "",
        date: "2026-06-01",
    },
    Example {
        title: "Expired",
        note: "A certificate past notAfter: clients refuse it, and ACM cannot renew it.",
        pem: include_str!("../../../../../tests/acm/data/expired.pem"),
        cert_type: "IMPORTED",
        region: "us-east-1",
        resource_region: "us-east-1",
        in_use: true,
        dns_record_present: true,
        hosts: "old.example.com",
        date: "2026-06-01",
    },
];

/// What the page shows.
#[derive(Clone, Debug, PartialEq)]
pub struct AcmState {
    /// The certificate text as typed or pasted.
    pub text: String,
    /// Bytes from a dropped file (DER or PEM), in place of the text while set.
    pub bytes: Option<Rc<Vec<u8>>>,
    /// Name of the dropped file.
    pub file_name: Option<String>,
    pub cert_type: String,
    pub region: String,
    pub resource_region: String,
    pub in_use: bool,
    pub dns_record_present: bool,
    pub days_before_expiry: i64,
    pub hosts: String,
    /// The simulated date, `YYYY-MM-DD`.
    pub date: String,
    /// `inspect`'s result, or the error code and message.
    pub inspection: Option<Result<Value, (String, String)>>,
    /// `timeline`'s result, or the error code and message.
    pub timeline: Option<Result<Value, (String, String)>>,
    /// Not computed yet: `inspection` and `timeline` say nothing (the page shows "Working…").
    pub pending: bool,
}

impl Default for AcmState {
    fn default() -> Self {
        let mut s = Self::uncomputed();
        s.recompute();
        s
    }
}

impl AcmState {
    /// The first example, not computed yet (`pending`): what the page renders first, computing
    /// it in a task of its own ([`Self::computed`], then `Action::Computed`; `pages::later`).
    pub fn uncomputed() -> Self {
        let mut s = AcmState {
            text: String::new(),
            bytes: None,
            file_name: None,
            cert_type: String::new(),
            region: String::new(),
            resource_region: String::new(),
            in_use: true,
            dns_record_present: true,
            days_before_expiry: 45,
            hosts: String::new(),
            date: String::new(),
            inspection: None,
            timeline: None,
            pending: true,
        };
        s.load_example(0);
        s
    }
}

/// What can happen on the page.
#[derive(Debug)]
pub enum Action {
    Text(String),
    /// A dropped or chosen file: its name and bytes.
    File(String, Vec<u8>),
    Example(usize),
    CertType(String),
    Region(String),
    ResourceRegion(String),
    InUse(bool),
    DnsRecordPresent(bool),
    DaysBeforeExpiry(i64),
    Hosts(String),
    Date(String),
    /// The page's first results, computed in a task of their own ([`AcmState::computed`]):
    /// taken as they are while the page is still `pending`, dropped if an action computed it meanwhile.
    Computed(Box<AcmState>),
}

/// `YYYY-MM-DD` → epoch seconds at 00:00 UTC.
pub fn day_epoch(date: &str) -> Option<i64> {
    secplay::common::date::parse_date(date).map(|ms| ms / 1000)
}

impl AcmState {
    fn load_example(&mut self, i: usize) {
        let Some(e) = EXAMPLES.get(i) else { return };
        self.text = e.pem.to_owned();
        self.bytes = None;
        self.file_name = None;
        self.cert_type = e.cert_type.to_owned();
        self.region = e.region.to_owned();
        self.resource_region = e.resource_region.to_owned();
        self.in_use = e.in_use;
        self.dns_record_present = e.dns_record_present;
        self.days_before_expiry = 45;
        self.hosts = e.hosts.to_owned();
        self.date = e.date.to_owned();
    }

    /// The input the engine reads.
    fn input(&self) -> &[u8] {
        self.bytes.as_deref().map_or(self.text.as_bytes(), Vec::as_slice)
    }

    /// The options of the ACM view.
    pub fn options(&self) -> Value {
        let hosts: Vec<&str> =
            self.hosts.lines().map(str::trim).filter(|h| !h.is_empty()).take(100).collect();
        let mut o = json!({
            "type": self.cert_type,
            "region": self.region.trim(),
            "resourceRegion": self.resource_region.trim(),
            "inUse": self.in_use,
            "dnsRecordPresent": self.dns_record_present,
            "daysBeforeExpiry": self.days_before_expiry,
            "hosts": hosts,
        });
        if let (Some(now), Value::Object(m)) = (day_epoch(&self.date), &mut o) {
            m.insert("now".into(), json!(now));
        }
        o
    }

    fn recompute(&mut self) {
        self.pending = false;
        if self.input().iter().all(u8::is_ascii_whitespace) {
            self.inspection = None;
            self.timeline = None;
            return;
        }
        let code = |e: secplay::acm::AcmError| (e.code().to_owned(), e.to_string());
        let at = day_epoch(&self.date);
        self.inspection = Some(secplay::acm::json::inspect(self.input(), at).map_err(code));
        self.timeline = match &self.inspection {
            Some(Ok(_)) => Some(secplay::acm::json::timeline(self.input(), &self.options()).map_err(code)),
            _ => None,
        };
    }

    /// Applies an action and computes the results again.
    pub fn apply(&mut self, action: Action) {
        match action {
            Action::Computed(s) if self.pending => *self = *s,
            Action::Computed(_) => {}
            other => {
                self.set(other);
                self.recompute();
            }
        }
    }

    /// This state with its results computed.
    pub fn computed(mut self) -> Self {
        self.recompute();
        self
    }

    /// Applies an action without computing (`pending` until [`Self::apply`]): a share link's
    /// actions are set one after the other and computed once, not once each.
    pub fn set(&mut self, action: Action) {
        match action {
            Action::Text(t) => {
                self.text = t;
                self.bytes = None;
                self.file_name = None;
            }
            Action::File(name, b) => {
                self.file_name = Some(name);
                // A PEM file is shown as text so it can be edited; DER stays bytes.
                match std::str::from_utf8(&b) {
                    Ok(t) if b.first().is_none_or(|&x| x != 0x30) => {
                        self.text = t.to_owned();
                        self.bytes = None;
                    }
                    _ => {
                        self.text = String::new();
                        self.bytes = Some(Rc::new(b));
                    }
                }
            }
            Action::Example(i) => self.load_example(i),
            Action::CertType(t) => self.cert_type = t,
            Action::Region(r) => self.region = r,
            Action::ResourceRegion(r) => self.resource_region = r,
            Action::InUse(b) => self.in_use = b,
            Action::DnsRecordPresent(b) => self.dns_record_present = b,
            Action::DaysBeforeExpiry(n) => self.days_before_expiry = n,
            Action::Hosts(h) => self.hosts = h,
            Action::Date(d) => self.date = d,
            Action::Computed(s) => {
                *self = *s;
                return;
            }
        }
        self.pending = true;
    }
}

#[cfg(target_arch = "wasm32")]
impl yew::Reducible for AcmState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        s.apply(action);
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn the_first_results_wait_for_their_action_and_are_the_first_example() {
        let mut s = AcmState::uncomputed();
        assert!(s.pending && s.inspection.is_none() && s.timeline.is_none());
        let done = s.clone().computed();
        assert!(!done.pending);
        assert_eq!(done, AcmState::default());
        assert!(done.timeline.clone().unwrap().is_ok());
        s.apply(Action::Computed(Box::new(done.clone())));
        assert_eq!(s, done);
        // Once the page has moved on, late first results are dropped.
        s.apply(Action::DaysBeforeExpiry(10));
        let moved = s.clone();
        s.apply(Action::Computed(Box::new(done)));
        assert_eq!(s, moved);
    }

    #[test]
    fn actions_set_then_computed_once_give_what_applying_each_gives() {
        let actions = || {
            vec![
                Action::Text(EXAMPLES[1].pem.to_owned()),
                Action::CertType("AMAZON_ISSUED".into()),
                Action::Region("us-east-1".into()),
                Action::Hosts("example.com\nshop.example.com".into()),
                Action::Date("2026-11-01".into()),
            ]
        };
        let mut each = AcmState::default();
        let mut once = AcmState::uncomputed();
        for (a, b) in actions().into_iter().zip(actions()) {
            each.apply(a);
            once.set(b);
            assert!(once.pending);
        }
        assert_eq!(once.computed(), each);
    }

    #[test]
    fn every_example_inspects_and_has_a_timeline() {
        for (i, ex) in EXAMPLES.iter().enumerate() {
            let mut s = AcmState::default();
            s.apply(Action::Example(i));
            let insp = s.inspection.clone().unwrap().unwrap();
            assert!(!insp["certificates"].as_array().unwrap().is_empty(), "{}", ex.title);
            assert!(s.timeline.clone().unwrap().is_ok(), "{}", ex.title);
        }
    }

    #[test]
    fn the_examples_show_what_their_notes_say() {
        let mut s = AcmState::default();
        s.apply(Action::Example(1));
        let t = s.timeline.clone().unwrap().unwrap();
        let cf = t["placements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["service"] == "CloudFront")
            .unwrap()
            .clone();
        assert_eq!(cf["ok"], false);
        assert!(t["coverage"][2]["coveredBy"].is_null());
        s.apply(Action::Example(3));
        let i = s.inspection.clone().unwrap().unwrap();
        assert!(i["chain"]["problems"].as_array().unwrap().iter().any(|p| p["code"] == "OutOfOrder"));
        s.apply(Action::Example(4));
        assert_eq!(s.inspection.clone().unwrap().unwrap()["certificates"][0]["status"], "expired");
    }

    #[test]
    fn bad_text_gives_a_coded_error_and_no_timeline() {
        let mut s = AcmState::default();
        s.apply(Action::Text("-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----".into()));
        let (code, msg) = s.inspection.clone().unwrap().unwrap_err();
        assert_eq!(code, "MalformedPem");
        assert!(msg.starts_with("line 2:"), "{msg}");
        assert!(s.timeline.is_none());
        s.apply(Action::Text("   ".into()));
        assert!(s.inspection.is_none());
    }

    #[test]
    fn a_dropped_der_file_reads_and_options_move_the_timeline() {
        let mut s = AcmState::default();
        s.apply(Action::File(
            "leaf.der".into(),
            include_bytes!("../../../../../tests/acm/data/rsa2048.der").to_vec(),
        ));
        assert!(s.bytes.is_some());
        assert_eq!(s.inspection.clone().unwrap().unwrap()["certificates"].as_array().unwrap().len(), 1);
        s.apply(Action::DaysBeforeExpiry(10));
        let t = s.timeline.clone().unwrap().unwrap();
        let daily =
            t["events"].as_array().unwrap().iter().filter(|e| e["kind"] == "ApproachingExpiration").count();
        assert_eq!(daily, 10);
        s.apply(Action::Date("not a date".into()));
        assert!(s.timeline.clone().unwrap().is_ok(), "an unreadable date falls back to the default time");
    }
}
