//! The labelled set: a deterministic generator of synthetic positives and hard negatives for the
//! scanner, shared by the native quality tests and `bench/scan` (which writes it as JSON lines for
//! Presidio and detect-secrets). No dependencies: its own PRNG, and its own Luhn, mod-97 and
//! check-digit code, written apart from the engine's so that a bug in one is not copied in both.
//!
//! Each sample is a short text with at most one labelled item. `label` is the normalised type
//! (card kinds → `CREDIT_CARD_NUMBER`, key blocks → `PRIVATE_KEY`) or `None`; `case` says which
//! generator made it (for a negative, which trap it is).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

/// One sample.
#[derive(Debug, Clone)]
pub struct Sample {
    pub text: String,
    pub label: Option<&'static str>,
    pub case: &'static str,
}

/// xorshift64*: deterministic, good enough for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    pub fn digits(&mut self, n: usize) -> String {
        (0..n).map(|_| char::from(b'0' + self.below(10) as u8)).collect()
    }
    pub fn from(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n).map(|_| char::from(*self.pick(alphabet))).collect()
    }
}

const UPPER: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const BASE32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const LOWER: &[u8] = b"abcdefghijklmnopqrstuvwxyz";
const HEX: &[u8] = b"0123456789abcdef";

fn luhn_digit(body: &str) -> u8 {
    // Double every second digit from the right of the full number (the check digit is rightmost).
    let mut sum = 0u32;
    for (i, c) in body.bytes().rev().enumerate() {
        let mut d = u32::from(c - b'0');
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    ((10 - sum % 10) % 10) as u8
}

/// A Luhn-valid number with this prefix and length.
pub fn card(r: &mut Rng, prefix: &str, len: usize) -> String {
    let mut body = prefix.to_owned();
    body.push_str(&r.digits(len - 1 - prefix.len()));
    let d = luhn_digit(&body);
    body.push(char::from(b'0' + d));
    body
}

fn group(s: &str, sizes: &[usize], sep: char) -> String {
    let mut out = String::new();
    let mut i = 0;
    for (n, g) in sizes.iter().enumerate() {
        if i >= s.len() {
            break;
        }
        if n > 0 {
            out.push(sep);
        }
        out.push_str(&s[i..(i + g).min(s.len())]);
        i += g;
    }
    out
}

fn format_card(r: &mut Rng, n: &str) -> String {
    match (n.len(), r.below(3)) {
        (16, 1) => group(n, &[4, 4, 4, 4], ' '),
        (16, 2) => group(n, &[4, 4, 4, 4], '-'),
        (15, 1) => group(n, &[4, 6, 5], ' '),
        (15, 2) => group(n, &[4, 6, 5], '-'),
        _ => n.to_owned(),
    }
}

fn mod97(s: &str) -> u32 {
    let mut rem = 0u64;
    for c in s.chars() {
        let v = if c.is_ascii_digit() { u64::from(c as u8 - b'0') } else { u64::from(c as u8 - b'A' + 10) };
        rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
    }
    rem as u32
}

/// An IBAN with a correct check: country, length.
pub fn iban(r: &mut Rng, country: &str, len: usize) -> String {
    let bban =
        if country == "GB" { format!("{}{}", r.from(UPPER, 4), r.digits(14)) } else { r.digits(len - 4) };
    let check = 98 - mod97(&format!("{bban}{country}00"));
    format!("{country}{check:02}{bban}")
}

const IBAN_COUNTRIES: &[(&str, usize)] = &[
    ("DE", 22),
    ("GB", 22),
    ("FR", 27),
    ("ES", 24),
    ("IT", 27),
    ("NL", 18),
    ("BE", 16),
    ("CH", 21),
    ("PL", 28),
    ("SE", 24),
    ("NO", 15),
    ("AT", 20),
];

fn rrn(r: &mut Rng, year: u32, month: u32, day: u32, post2020: bool) -> String {
    let g = match (year / 100, r.below(2)) {
        (19, 0) => 1,
        (19, _) => 2,
        (_, 0) => 3,
        _ => 4,
    };
    let mut s = format!("{:02}{:02}{:02}{g}{}", year % 100, month, day, r.digits(5));
    let w = [2u32, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    let sum: u32 = s.bytes().zip(w).map(|(c, w)| u32::from(c - b'0') * w).sum();
    let check = (11 - sum % 11) % 10;
    if post2020 {
        s.push(char::from(b'0' + r.below(10) as u8));
    } else {
        s.push(char::from(b'0' + check as u8));
    }
    s
}

fn rrn_wrong(r: &mut Rng, year: u32, month: u32, day: u32) -> String {
    let good = rrn(r, year, month, day, false);
    let last = good.as_bytes()[12] - b'0';
    format!("{}{}", &good[..12], (last + 1 + r.below(8) as u8) % 10)
}

fn b64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(char::from(B64URL[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn pem(r: &mut Rng, label: &str, lines: usize) -> String {
    let mut s = format!("-----BEGIN {label}-----\n");
    for _ in 0..lines {
        s.push_str(&r.from(B64, 64));
        s.push('\n');
    }
    s.push_str(&r.from(B64, 20));
    s.push_str("==\n");
    s.push_str(&format!("-----END {label}-----"));
    s
}

fn name(r: &mut Rng) -> String {
    let first = [
        "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "min-jun",
        "seo-yeon",
    ];
    let last = ["smith", "jones", "kim", "park", "lee", "brown", "garcia", "muller", "rossi", "tanaka"];
    format!("{}.{}", r.pick(&first), r.pick(&last))
}

fn date(r: &mut Rng) -> (u32, u32, u32) {
    let y = r.range(1940, 2005) as u32;
    let m = r.range(1, 12) as u32;
    let d = r.range(1, 28) as u32;
    (y, m, d)
}

fn fmt_date(r: &mut Rng, (y, m, d): (u32, u32, u32)) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let mn = MONTHS[(m - 1) as usize];
    match r.below(5) {
        0 => format!("{y}-{m:02}-{d:02}"),
        1 => format!("{m:02}/{d:02}/{y}"),
        2 => format!("{d:02}.{m:02}.{y}"),
        3 => format!("{mn} {d}, {y}"),
        _ => format!("{d} {mn} {y}"),
    }
}

fn phone(r: &mut Rng) -> String {
    let area = r.range(201, 989);
    let exch = r.range(200, 999);
    let line = r.digits(4);
    match r.below(11) {
        0 => format!("+1 {area} {exch} {line}"),
        1 => format!("+1-{area}-{exch}-{line}"),
        2 => format!("({area}) {exch}-{line}"),
        3 => format!("{area}-{exch}-{line}"),
        4 => format!("{area}.{exch}.{line}"),
        5 => format!("+44 20 {} {}", r.digits(4), r.digits(4)),
        6 => format!("+82 10-{}-{}", r.digits(4), r.digits(4)),
        7 => format!("010-{}-{}", r.digits(4), r.digits(4)),
        8 => format!("02-{}-{}", r.digits(3), r.digits(4)),
        9 => format!("07{} {}", r.digits(3), r.digits(6)),
        _ => format!("020 {} {}", r.digits(4), r.digits(4)),
    }
}

fn sentence(r: &mut Rng, lead: &[&str], value: &str, tail: &[&str]) -> String {
    format!("{}{}{}", r.pick(lead), value, r.pick(tail))
}

const TAILS: &[&str] = &["", ".", " (see ticket).", " — please rotate.", "\n", ", thanks", " ok"];

fn positive(r: &mut Rng, i: usize) -> Sample {
    let (label, case, text): (&'static str, &'static str, String) = match i % 11 {
        0 => {
            let (prefix, len, _) = *r.pick(&[
                ("4", 16, "visa"),
                ("51", 16, "mc"),
                ("55", 16, "mc"),
                ("2221", 16, "mc2"),
                ("2720", 16, "mc2"),
                ("34", 15, "amex"),
                ("37", 15, "amex"),
                ("6011", 16, "disc"),
                ("65", 16, "disc"),
                ("3530", 16, "jcb"),
                ("36", 14, "diners"),
                ("62", 16, "unionpay"),
                ("4", 13, "visa13"),
            ]);
            let n = card(r, prefix, len);
            let f = format_card(r, &n);
            let lead = [
                "Card number: ",
                "charged to visa ",
                "payment card ",
                "customer paid with ",
                "pan: ",
                "cc# ",
                "number on file ",
            ];
            ("CREDIT_CARD_NUMBER", "card", sentence(r, &lead, &f, TAILS))
        }
        1 => {
            let (c, len) = *r.pick(IBAN_COUNTRIES);
            let v = iban(r, c, len);
            let v = if r.below(2) == 0 { group(&v, &[4; 9], ' ').trim_end().to_owned() } else { v };
            let lead = ["IBAN: ", "wire to ", "Beneficiary account ", "pay into ", "Kontonummer / IBAN "];
            ("IBAN", "iban", sentence(r, &lead, &v, TAILS))
        }
        2 => {
            let p = *r.pick(&["AKIA", "ASIA", "AKIA"]);
            let v = format!("{p}{}", r.from(BASE32, 16));
            let lead = [
                "aws_access_key_id = ",
                "AccessKeyId: ",
                "key ",
                "export AWS_ACCESS_KEY_ID=",
                "\"AccessKeyId\": \"",
            ];
            ("AWS_ACCESS_KEY_ID", "aws-id", sentence(r, &lead, &v, &["", "\"", " in prod", "\n"]))
        }
        3 => {
            let mut v = r.from(B64, 40);
            // Real keys are random: make sure all three classes appear.
            v.replace_range(0..3, &format!("{}{}{}", r.from(UPPER, 1), r.from(LOWER, 1), r.digits(1)));
            let lead = [
                "aws_secret_access_key = ",
                "AWS_SECRET_ACCESS_KEY=",
                "secret access key: ",
                "\"SecretAccessKey\": \"",
                "Set-AWSCredential -SecretKey ",
            ];
            ("AWS_CREDENTIALS", "aws-secret", sentence(r, &lead, &v, &["", "\"", "\n"]))
        }
        4 => {
            let label = *r.pick(&[
                "RSA PRIVATE KEY",
                "EC PRIVATE KEY",
                "PRIVATE KEY",
                "OPENSSH PRIVATE KEY",
                "ENCRYPTED PRIVATE KEY",
            ]);
            let n = r.range(3, 25) as usize;
            let p = pem(r, label, n);
            ("PRIVATE_KEY", "pem", format!("key file contents:\n{p}\n"))
        }
        5 => {
            let alg = *r.pick(&["HS256", "RS256", "ES256", "PS384"]);
            let h = b64url(format!("{{\"alg\":\"{alg}\",\"typ\":\"JWT\"}}").as_bytes());
            let p = b64url(
                format!("{{\"sub\":\"{}\",\"iat\":{}}}", r.digits(8), r.range(1_500_000_000, 1_800_000_000))
                    .as_bytes(),
            );
            let s = r.from(B64URL, 43);
            let lead = ["Authorization: Bearer ", "token=", "id_token: ", "jwt "];
            ("JSON_WEB_TOKEN", "jwt", sentence(r, &lead, &format!("{h}.{p}.{s}"), TAILS))
        }
        6 => {
            let domain = *r.pick(&[
                "example.com",
                "mail.example.org",
                "corp.example.co.uk",
                "example.kr",
                "test-mail.example.net",
            ]);
            let v = format!("{}@{domain}", name(r));
            let lead = ["contact ", "email: ", "From: ", "cc ", "reach me at "];
            ("EMAIL_ADDRESS", "email", sentence(r, &lead, &v, TAILS))
        }
        7 => {
            let v = phone(r);
            let lead = ["call ", "phone: ", "Tel. ", "mobile ", "fax "];
            ("PHONE_NUMBER", "phone", sentence(r, &lead, &v, TAILS))
        }
        8 => {
            let area = loop {
                let a = r.range(1, 899);
                if a != 666 {
                    break a;
                }
            };
            let (g, s) = (r.range(1, 99), r.range(1, 9999));
            let (lead, v): (&[&str], String) = match r.below(3) {
                0 => (
                    &["SSN: ", "social security number ", "employee ", "ssn "],
                    format!("{area:03}-{g:02}-{s:04}"),
                ),
                1 => (&["SSN ", "social security no. "], format!("{area:03} {g:02} {s:04}")),
                _ => (&["SSN: ", "ssn#"], format!("{area:03}{g:02}{s:04}")),
            };
            ("USA_SOCIAL_SECURITY_NUMBER", "ssn", sentence(r, lead, &v, TAILS))
        }
        9 => {
            let (post, (y, m, d)) = if r.below(4) == 0 {
                (true, (r.range(2021, 2025) as u32, r.range(1, 12) as u32, r.range(1, 28) as u32))
            } else {
                (false, date(r))
            };
            let v = rrn(r, y, m, d, post);
            let v = format!("{}-{}", &v[..6], &v[6..]);
            let lead = ["주민등록번호: ", "RRN ", "resident registration number ", "신청인 "];
            (
                "KOREA_RESIDENT_REGISTRATION_NUMBER",
                if post { "rrn-post2020" } else { "rrn" },
                sentence(r, &lead, &v, TAILS),
            )
        }
        _ => {
            let d = date(r);
            let v = fmt_date(r, d);
            let lead = ["DOB: ", "Date of birth: ", "born on ", "birthday ", "생년월일 "];
            ("DATE_OF_BIRTH", "dob", sentence(r, &lead, &v, TAILS))
        }
    };
    Sample { text, label: Some(label), case }
}

fn negative(r: &mut Rng, i: usize) -> Sample {
    let (case, text): (&'static str, String) = match i % 24 {
        0 => {
            // Card-shaped, right network and length, Luhn off by one.
            let prefix = *r.pick(&["4", "51", "37", "6011"]);
            let good = card(r, prefix, 16);
            let last = good.as_bytes()[15] - b'0';
            let bad = format!("{}{}", &good[..15], (last + 1 + r.below(8) as u8) % 10);
            let f = format_card(r, &bad);
            ("card-luhn", format!("Card number: {f}"))
        }
        1 => {
            let prefix = *r.pick(&["1", "8", "9", "70"]);
            ("card-iin", format!("reference {}", card(r, prefix, 16)))
        }
        2 => ("order-number", format!("Order #{} shipped", r.digits(12))),
        3 => {
            let (c, len) = *r.pick(IBAN_COUNTRIES);
            let good = iban(r, c, len);
            let ck: u32 = good[2..4].parse().unwrap();
            let bad = format!("{}{:02}{}", &good[..2], (ck + 1 + r.below(50) as u32) % 97 + 2, &good[4..]);
            ("iban-mod97", format!("IBAN: {bad}"))
        }
        4 => {
            let good = iban(r, "DE", 22);
            ("iban-length", format!("IBAN: {}", &good[..21]))
        }
        5 => {
            let n = *r.pick(&[15usize, 17, 19]);
            ("aws-id-length", format!("aws_access_key_id = AKIA{}", r.from(BASE32, n)))
        }
        6 => {
            // Unique ids of users and roles (AIDA, AROA) name an identity; they grant nothing.
            let p = *r.pick(&["AKIB", "AIDA", "AROA"]);
            ("aws-id-prefix", format!("key {p}{}", r.from(BASE32, 16)))
        }
        7 => (
            "aws-secret-example",
            format!(
                "aws_secret_access_key = {}",
                r.pick(&[
                    "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"
                ])
            ),
        ),
        8 => ("git-sha", format!("secret key rotated in commit {}", r.from(HEX, 40))),
        9 => {
            let label = *r.pick(&["PUBLIC KEY", "CERTIFICATE", "RSA PUBLIC KEY"]);
            ("public-key", pem(r, label, 4))
        }
        10 => {
            ("pem-prose", "the file begins with -----BEGIN RSA PRIVATE KEY----- and nothing else".to_owned())
        }
        11 => {
            let h = b64url(b"{\"typ\":\"JWT\",\"kid\":\"1\"}");
            let p = b64url(b"{\"sub\":\"1\"}");
            ("jwt-no-alg", format!("token={h}.{p}.{}", r.from(B64URL, 20)))
        }
        12 => (
            "jwt-garbage",
            format!("token=eyJ{}.{}.{}", r.from(B64URL, 20), r.from(B64URL, 20), r.from(B64URL, 10)),
        ),
        13 => ("email-no-tld", format!("login {}@localhost", name(r))),
        14 => (
            "npm-version",
            format!(
                "installed {}@{}.{}.{}",
                r.pick(&["lodash", "react", "left-pad"]),
                r.below(20),
                r.below(40),
                r.below(99)
            ),
        ),
        15 => {
            ("version", format!("version {}.{}.{}.{}", r.below(30), r.below(30), r.below(300), r.below(9999)))
        }
        16 => {
            ("ip", format!("from {}.{}.{}.{}", r.range(1, 254), r.below(255), r.below(255), r.range(1, 254)))
        }
        17 => (
            "uuid",
            format!(
                "request id {}-{}-{}-{}-{}",
                r.from(HEX, 8),
                r.from(HEX, 4),
                r.from(HEX, 4),
                r.from(HEX, 4),
                r.from(HEX, 12)
            ),
        ),
        18 => ("isbn", format!("ISBN 978-{}-{}-{}-{}", r.below(10), r.digits(2), r.digits(6), r.below(10))),
        19 => (
            "timestamp",
            format!(
                "at {}-{:02}-{:02}T{:02}:{:02}:{:02}Z epoch {}",
                r.range(2015, 2025),
                r.range(1, 12),
                r.range(1, 28),
                r.below(24),
                r.below(60),
                r.below(60),
                r.range(1_500_000_000_000, 1_800_000_000_000)
            ),
        ),
        20 => {
            let v = match r.below(5) {
                0 => format!("000-{:02}-{:04}", r.range(1, 99), r.range(1, 9999)),
                1 => format!("666-{:02}-{:04}", r.range(1, 99), r.range(1, 9999)),
                2 => format!("9{}-{:02}-{:04}", r.digits(2), r.range(1, 99), r.range(1, 9999)),
                3 => format!("{:03}-00-{:04}", r.range(1, 665), r.range(1, 9999)),
                _ => format!("{:03}-{:02}-0000", r.range(1, 665), r.range(1, 99)),
            };
            ("ssn-range", format!("SSN: {v}"))
        }
        21 => {
            let (y, m, d) = date(r);
            let v = rrn_wrong(r, y, m, d);
            ("rrn-check", format!("번호 {}-{}", &v[..6], &v[6..]))
        }
        22 => {
            let d = date(r);
            let v = fmt_date(r, d);
            (
                "date-no-keyword",
                format!("{} {v}", r.pick(&["shipped on", "invoice dated", "created", "last login"])),
            )
        }
        _ => {
            let v = match r.below(4) {
                0 => format!("{}-{}-{}", r.range(100, 199), r.range(200, 999), r.digits(4)),
                1 => format!("ticket ORD-{}-{}-{}", r.range(200, 999), r.range(200, 999), r.digits(4)),
                2 => format!("DOB: {}-02-30", r.range(1950, 2000)),
                _ => format!("part no. {}.{}.{}", r.digits(3), r.digits(3), r.digits(5)),
            };
            ("look-alike", format!("{v} noted"))
        }
    };
    Sample { text, label: None, case }
}

/// The set: `positives` positives and `negatives` hard negatives, interleaved, from one seed.
pub fn generate(seed: u64, positives: usize, negatives: usize) -> Vec<Sample> {
    let mut r = Rng::new(seed);
    let mut out = Vec::with_capacity(positives + negatives);
    let (mut p, mut n) = (0, 0);
    while p < positives || n < negatives {
        if p < positives {
            out.push(positive(&mut r, p));
            p += 1;
        }
        if n < negatives {
            out.push(negative(&mut r, n));
            n += 1;
        }
    }
    out
}

/// The normalised label of a finding type (card kinds and key blocks merged).
pub fn normalise(type_id: &str) -> &str {
    match type_id {
        "CREDIT_CARD_NUMBER_(NO_KEYWORD)" => "CREDIT_CARD_NUMBER",
        "PKCS" | "OPENSSH_PRIVATE_KEY" | "PGP_PRIVATE_KEY" => "PRIVATE_KEY",
        other => other,
    }
}

/// The labels, in table order.
pub const LABELS: [&str; 11] = [
    "CREDIT_CARD_NUMBER",
    "IBAN",
    "AWS_ACCESS_KEY_ID",
    "AWS_CREDENTIALS",
    "PRIVATE_KEY",
    "JSON_WEB_TOKEN",
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "USA_SOCIAL_SECURITY_NUMBER",
    "KOREA_RESIDENT_REGISTRATION_NUMBER",
    "DATE_OF_BIRTH",
];

/// The seed and sizes of the published set.
pub const SEED: u64 = 0x005e_c9a1_2026;
pub const POSITIVES: usize = 2200;
pub const NEGATIVES: usize = 2400;
