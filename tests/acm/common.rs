//! Shared helpers: fixture loading and a reader for `openssl x509 -text` output.

use serde_json::Value;

pub const DATA: &str = "tests/acm/data";

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{DATA}/{name}")).unwrap_or_else(|e| panic!("fixture {name}: {e}"))
}

pub fn inspect(name: &str) -> Value {
    secplay::acm::json::inspect(&fixture(name), None).unwrap()
}

/// `2026-05-28T00:00:00Z`-style → epoch seconds.
pub fn epoch(iso: &str) -> i64 {
    secplay::common::date::parse_date(iso).unwrap() / 1000
}

/// What `openssl x509 -text -fingerprint` printed for one certificate.
pub struct OpenSsl {
    text: String,
}

impl OpenSsl {
    pub fn load(stem: &str) -> OpenSsl {
        OpenSsl { text: String::from_utf8(fixture(&format!("{stem}.openssl.txt"))).unwrap() }
    }

    /// The trimmed value after `key` on the first line holding it.
    pub fn field(&self, key: &str) -> Option<String> {
        self.text.lines().find_map(|l| l.trim().strip_prefix(key).map(|v| v.trim().to_owned()))
    }

    /// The line after the first line starting with `header` (extension values), and whether the
    /// header says `critical`.
    pub fn ext(&self, header: &str) -> Option<(String, bool)> {
        let mut lines = self.text.lines();
        while let Some(l) = lines.next() {
            if let Some(rest) = l.trim().strip_prefix(header) {
                let critical = rest.contains("critical");
                return lines.next().map(|v| (v.trim().to_owned(), critical));
            }
        }
        None
    }

    /// The serial as lowercase colon hex of its magnitude.
    pub fn serial(&self) -> String {
        let v = self.field("Serial Number:").unwrap();
        if let Some(open) = v.find("(0x") {
            let h = v[open + 3..v.len() - 1].to_owned();
            let h = if h.len() % 2 == 1 { format!("0{h}") } else { h };
            h.as_bytes().chunks(2).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(":")
        } else {
            // Long serials are printed on the next line.
            self.ext("Serial Number:").unwrap().0.trim_start_matches("00:").to_owned()
        }
    }

    /// `Jan  1 00:00:00 2026 GMT` → ISO 8601.
    pub fn date(&self, key: &str) -> String {
        let v = self.field(key).unwrap();
        let parts: Vec<&str> = v.split_whitespace().collect();
        let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
            .iter()
            .position(|m| *m == parts[0])
            .unwrap()
            + 1;
        format!("{}-{month:02}-{:02}T{}Z", parts[3], parts[1].parse::<u32>().unwrap(), parts[2])
    }
}
