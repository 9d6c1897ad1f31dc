//! The fast way to read a log line: one pass of a hand-written scanner over the text, filling the
//! same raw record serde would, borrowing every string without escapes and stepping over the
//! members the replay never reads (`terminatingRuleMatchDetails`, `rateBasedRuleList`, …) without
//! building them. It answers only for lines it is sure of — a JSON object whose known members
//! have the types the record takes, no duplicate known member, no escaped member name, nesting
//! at most [`MAX_DEPTH`] — and gives `None` for anything else, which the caller then reads with
//! serde, so a line reads to the same record (or the same error) either way.

use std::borrow::Cow;

use super::{RawGroup, RawHeader, RawHit, RawHttp, RawLabel, RawRecord, RawToken, Text};

/// Nesting the scanner follows (serde_json's own limit is 128; deeper lines go to serde).
const MAX_DEPTH: usize = 64;

/// Reads `text` (one line, trimmed) as a record, or `None` where serde must decide.
pub(super) fn record(text: &str) -> Option<RawRecord<'_>> {
    let mut c = Cur { s: text, i: 0 };
    let rec = c.raw_record()?;
    c.ws();
    (c.i == text.len()).then_some(rec)
}

struct Cur<'a> {
    s: &'a str,
    i: usize,
}

/// Marks member `bit` as seen; `None` when it was already (serde calls that a duplicate field).
fn once(seen: &mut u16, bit: u16) -> Option<()> {
    let mask = 1u16 << bit;
    if *seen & mask != 0 {
        return None;
    }
    *seen |= mask;
    Some(())
}

impl<'a> Cur<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    fn at(&self) -> Option<u8> {
        self.bytes().get(self.i).copied()
    }

    /// JSON whitespace (what serde_json skips: space, tab, newline, carriage return).
    fn ws(&mut self) {
        while matches!(self.at(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.i += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.at()
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }

    fn word(&mut self, w: &str) -> Option<()> {
        let end = self.i.checked_add(w.len())?;
        (self.bytes().get(self.i..end)? == w.as_bytes()).then(|| self.i = end)
    }

    /// `null` → `None`, anything else read by `f`.
    fn opt<T>(&mut self, f: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.peek()? == b'n' {
            self.word("null")?;
            return Some(None);
        }
        f(self).map(Some)
    }

    /// The members of an object, each name (without escapes) handed to `member`, which reads
    /// the value.
    fn object(&mut self, mut member: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            let key = match self.string()? {
                Text(Cow::Borrowed(k)) => k,
                Text(Cow::Owned(_)) => return None,
            };
            self.eat(b':')?;
            member(self, key)?;
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The elements of an array, each read by `item`.
    fn array<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        self.eat(b'[')?;
        let mut out = Vec::new();
        if self.eat(b']').is_some() {
            return Some(out);
        }
        loop {
            out.push(item(self)?);
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(out);
                }
                _ => return None,
            }
        }
    }

    /// Where the string's plain run from `self.i` ends: at its closing quote, a backslash or a
    /// control character (one pass: record strings are short, so a byte loop beats a search).
    fn run_end(&self) -> usize {
        let b = self.bytes();
        let mut i = self.i;
        while b.get(i).is_some_and(|&c| c != b'"' && c != b'\\' && c >= 0x20) {
            i += 1;
        }
        i
    }

    /// A string: borrowed from the line when it has no escapes, decoded otherwise.
    fn string(&mut self) -> Option<Text<'a>> {
        self.eat(b'"')?;
        let start = self.i;
        let end = self.run_end();
        if self.bytes().get(end) == Some(&b'"') {
            self.i = end + 1;
            return Some(Text(Cow::Borrowed(self.s.get(start..end)?)));
        }
        let mut out = String::with_capacity(end - start + 16);
        out.push_str(self.s.get(start..end)?);
        self.i = end;
        loop {
            match self.at()? {
                b'"' => {
                    self.i += 1;
                    return Some(Text(Cow::Owned(out)));
                }
                b'\\' => {
                    self.i += 1;
                    out.push(self.escape()?);
                }
                b if b < 0x20 => return None,
                _ => {
                    let end = self.run_end();
                    out.push_str(self.s.get(self.i..end)?);
                    self.i = end;
                }
            }
        }
    }

    /// One escape after its backslash (a lone surrogate is left to serde).
    fn escape(&mut self) -> Option<char> {
        let c = self.at()?;
        self.i += 1;
        Some(match c {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi) {
                    self.word("\\u")?;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return None;
                    }
                    char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?
                } else {
                    char::from_u32(hi)?
                }
            }
            _ => return None,
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let end = self.i.checked_add(4)?;
        let digits = self.s.get(self.i..end)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.i = end;
        u32::from_str_radix(digits, 16).ok()
    }

    /// An unsigned integer as serde reads a `u64`: digits only, no leading zero, no fraction or
    /// exponent, in range (anything else is serde's to judge).
    fn u64(&mut self) -> Option<u64> {
        self.ws();
        let rest = self.bytes().get(self.i..)?;
        let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let digits = rest.get(..n)?;
        if n == 0 || (n > 1 && digits.first() == Some(&b'0')) {
            return None;
        }
        if matches!(rest.get(n), Some(b'.' | b'e' | b'E')) {
            return None;
        }
        let v = std::str::from_utf8(digits).ok()?.parse().ok()?;
        self.i += n;
        Some(v)
    }

    /// Steps over any JSON value, checking it as serde would when it ignores a member.
    fn skip(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' => self.object(|c, _| c.skip(depth + 1)),
            b'[' => {
                self.eat(b'[')?;
                if self.eat(b']').is_some() {
                    return Some(());
                }
                loop {
                    self.skip(depth + 1)?;
                    match self.peek()? {
                        b',' => self.i += 1,
                        b']' => {
                            self.i += 1;
                            return Some(());
                        }
                        _ => return None,
                    }
                }
            }
            b't' => self.word("true"),
            b'f' => self.word("false"),
            b'n' => self.word("null"),
            b'-' | b'0'..=b'9' => self.skip_number(),
            _ => None,
        }
    }

    fn skip_string(&mut self) -> Option<()> {
        self.eat(b'"')?;
        loop {
            self.i = self.run_end();
            match self.at()? {
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                b'\\' => self.i += 1,
                _ => return None,
            }
            match self.at()? {
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => self.i += 1,
                b'u' => {
                    self.i += 1;
                    self.hex4()?;
                }
                _ => return None,
            }
        }
    }

    /// JSON's number grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn skip_number(&mut self) -> Option<()> {
        let b = self.bytes();
        let mut i = self.i;
        let digits = |i: &mut usize| {
            let from = *i;
            while b.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > from
        };
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        if b.get(i) == Some(&b'0') {
            i += 1;
        } else if !digits(&mut i) {
            return None;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                return None;
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !digits(&mut i) {
                return None;
            }
        }
        self.i = i;
        Some(())
    }

    fn text(&mut self) -> Option<Option<Text<'a>>> {
        self.opt(Self::string)
    }

    fn raw_record(&mut self) -> Option<RawRecord<'a>> {
        let mut r = RawRecord::default();
        let mut seen = 0;
        self.object(|c, key| {
            match key {
                "timestamp" => {
                    once(&mut seen, 0)?;
                    r.timestamp = c.opt(Self::u64)?;
                }
                "action" => {
                    once(&mut seen, 1)?;
                    r.action = c.text()?;
                }
                "terminatingRuleId" => {
                    once(&mut seen, 2)?;
                    r.terminating_rule_id = c.text()?;
                }
                "ruleGroupList" => {
                    once(&mut seen, 3)?;
                    r.rule_group_list = c.opt(|c| c.array(Self::group))?;
                }
                "nonTerminatingMatchingRules" => {
                    once(&mut seen, 4)?;
                    r.non_terminating_matching_rules = c.opt(|c| c.array(Self::hit))?;
                }
                "labels" => {
                    once(&mut seen, 5)?;
                    r.labels = c.opt(|c| c.array(Self::label))?;
                }
                "httpRequest" => {
                    once(&mut seen, 6)?;
                    r.http_request = c.opt(Self::http)?;
                }
                "ja3Fingerprint" => {
                    once(&mut seen, 7)?;
                    r.ja3_fingerprint = c.text()?;
                }
                "ja4Fingerprint" => {
                    once(&mut seen, 8)?;
                    r.ja4_fingerprint = c.text()?;
                }
                "clientAsn" => {
                    once(&mut seen, 9)?;
                    r.client_asn = c.opt(Self::u64)?;
                }
                "captchaResponse" => {
                    once(&mut seen, 10)?;
                    r.captcha_response = c.opt(Self::token)?;
                }
                "challengeResponse" => {
                    once(&mut seen, 11)?;
                    r.challenge_response = c.opt(Self::token)?;
                }
                "message" => {
                    once(&mut seen, 12)?;
                    r.message = c.text()?;
                }
                _ => c.skip(1)?,
            }
            Some(())
        })?;
        Some(r)
    }

    fn http(&mut self) -> Option<RawHttp<'a>> {
        let mut h = RawHttp::default();
        let mut seen = 0;
        self.object(|c, key| {
            match key {
                "clientIp" => {
                    once(&mut seen, 0)?;
                    h.client_ip = c.text()?;
                }
                "country" => {
                    once(&mut seen, 1)?;
                    h.country = c.text()?;
                }
                "headers" => {
                    once(&mut seen, 2)?;
                    h.headers = c.opt(|c| c.array(Self::header))?;
                }
                "uri" => {
                    once(&mut seen, 3)?;
                    h.uri = c.text()?;
                }
                "args" => {
                    once(&mut seen, 4)?;
                    h.args = c.text()?;
                }
                "httpMethod" => {
                    once(&mut seen, 5)?;
                    h.http_method = c.text()?;
                }
                "requestId" => {
                    once(&mut seen, 6)?;
                    h.request_id = c.text()?;
                }
                "fragment" => {
                    once(&mut seen, 7)?;
                    h.fragment = c.text()?;
                }
                _ => c.skip(2)?,
            }
            Some(())
        })?;
        Some(h)
    }

    fn header(&mut self) -> Option<RawHeader<'a>> {
        let mut h = RawHeader::default();
        let mut seen = 0;
        self.object(|c, key| {
            match key {
                "name" => {
                    once(&mut seen, 0)?;
                    h.name = c.text()?;
                }
                "value" => {
                    once(&mut seen, 1)?;
                    h.value = c.text()?;
                }
                _ => c.skip(3)?,
            }
            Some(())
        })?;
        Some(h)
    }

    fn group(&mut self) -> Option<RawGroup<'a>> {
        let mut g = RawGroup::default();
        let mut seen = 0;
        self.object(|c, key| {
            match key {
                "ruleGroupId" => {
                    once(&mut seen, 0)?;
                    g.rule_group_id = c.text()?;
                }
                "terminatingRule" => {
                    once(&mut seen, 1)?;
                    g.terminating_rule = c.opt(Self::hit)?;
                }
                "nonTerminatingMatchingRules" => {
                    once(&mut seen, 2)?;
                    g.non_terminating_matching_rules = c.opt(|c| c.array(Self::hit))?;
                }
                _ => c.skip(3)?,
            }
            Some(())
        })?;
        Some(g)
    }

    fn hit(&mut self) -> Option<RawHit<'a>> {
        let mut h = RawHit::default();
        let mut seen = 0;
        self.object(|c, key| {
            match key {
                "ruleId" => {
                    once(&mut seen, 0)?;
                    h.rule_id = c.text()?;
                }
                _ => c.skip(4)?,
            }
            Some(())
        })?;
        Some(h)
    }

    fn label(&mut self) -> Option<RawLabel<'a>> {
        let mut l = RawLabel::default();
        let mut seen = 0;
        self.object(|c, key| {
            match key {
                "name" => {
                    once(&mut seen, 0)?;
                    l.name = c.text()?;
                }
                _ => c.skip(3)?,
            }
            Some(())
        })?;
        Some(l)
    }

    fn token(&mut self) -> Option<RawToken<'a>> {
        let mut t = RawToken::default();
        let mut seen = 0;
        self.object(|c, key| {
            match key {
                "responseCode" => {
                    once(&mut seen, 0)?;
                    t.response_code = c.opt(Self::u64)?;
                }
                "solveTimestamp" => {
                    once(&mut seen, 1)?;
                    t.solve_timestamp = c.opt(Self::u64)?;
                }
                "failureReason" => {
                    once(&mut seen, 2)?;
                    t.failure_reason = c.text()?;
                }
                _ => c.skip(2)?,
            }
            Some(())
        })?;
        Some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{build, LineError, LoggedRecord, RawRecord};
    use super::record;

    type Read = (Result<LoggedRecord, LineError>, Option<String>);

    fn read(rec: RawRecord<'_>) -> Read {
        let message = rec.message.as_deref().map(str::to_owned);
        (build(1, rec), message)
    }

    /// Whether the scanner answered; where it did, serde reads the same record.
    fn same(line: &str) -> bool {
        let Some(fast) = record(line).map(read) else { return false };
        let slow = serde_json::from_str::<RawRecord<'_>>(line).map(read);
        assert_eq!(slow.as_ref().ok(), Some(&fast), "{line}");
        true
    }

    const BENCH: &str = r#"{"action":"BLOCK","formatVersion":1,"httpRequest":{"args":"q=%3Cscript%3E","clientIp":"198.18.0.2","country":null,"headers":[{"name":"Host","value":"shop.example.com"},{"name":"Cookie","value":"a=\"b\\c\u00e9\ud83d\ude00\/"}],"httpMethod":"GET","httpVersion":"HTTP/1.1","requestId":"req-0000002","uri":"/search"},"labels":[{"name":"awswaf:111122223333:webacl:x:sqli"}],"nonTerminatingMatchingRules":[{"ruleId":"count-admin","action":"COUNT"}],"oversizeFields":null,"rateBasedRuleList":[],"ruleGroupList":[{"ruleGroupId":"AWS#Common","terminatingRule":{"ruleId":"NoUserAgent_HEADER","action":"BLOCK"},"nonTerminatingMatchingRules":[],"excludedRules":null}],"terminatingRuleId":"sqli-query","terminatingRuleMatchDetails":[{"conditionType":"XSS","location":"ARGS","matchedData":["<x a=\"1\">",-1.5e+3,0,1E5,true,false,null,{}]}],"timestamp":1767225600010,"clientAsn":64500,"captchaResponse":{"responseCode":0,"solveTimestamp":1767225000},"challengeResponse":null}"#;

    #[test]
    fn the_aws_examples_and_a_bench_record_are_scanned_as_serde_reads_them() {
        let examples = include_str!("../../../../tests/waf/data/aws-log-examples.jsonl");
        for line in examples.lines().chain([BENCH]) {
            assert!(same(line.trim()), "not scanned: {line}");
        }
    }

    #[test]
    fn lines_the_scanner_is_unsure_of_are_left_to_serde() {
        let cases = [
            r#"{"action":"A","action":"B","httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"acti\u006fn":"A","httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"A","httpRequest":{"clientIp":"192.0.2.1"}} x"#,
            r#"{"action":"A","httpRequest":{"clientIp":"192.0.2.1"},}"#,
            r#"{"action":7,"httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"A","timestamp":1.0,"httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"A","timestamp":-0,"httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"A","timestamp":012,"httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"A","timestamp":99999999999999999999999,"httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"A","labels":[null],"httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"A","httpRequest":["192.0.2.1"]}"#,
            r#"{"action":"\ud800","httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"\udc00x","httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"A","x":"\q","httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"A","x":01,"httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"A","x":1.,"httpRequest":{"clientIp":"192.0.2.1"}}"#,
            r#"{"action":"A","x":nul,"httpRequest":{"clientIp":"192.0.2.1"}}"#,
            "{\"action\":\"A\tB\",\"httpRequest\":{\"clientIp\":\"192.0.2.1\"}}",
            "{\"action\":\"A\",\"x\":\"\u{1}\",\"httpRequest\":{\"clientIp\":\"192.0.2.1\"}}",
            "[\"A\"]",
        ];
        for line in cases {
            assert!(!same(line), "scanned: {line}");
        }
        let deep = format!(r#"{{"x":{}1{},"action":"A"}}"#, "[".repeat(70), "]".repeat(70));
        assert!(!same(&deep));
        let shallow = format!(r#"{{"x":{}1{},"action":"A"}}"#, "[".repeat(40), "]".repeat(40));
        assert!(same(&shallow));
        let spaced = " { \"action\" : \"A\" ,\r\n\t\"timestamp\" : 5 , \"httpRequest\" : { \"clientIp\" : \"192.0.2.1\" , \"headers\" : [ ] } } ";
        assert!(same(spaced.trim()));
        assert!(same(r#"{"message":"{\"action\":\"A\"}","labels":null,"ruleGroupList":null}"#));
    }

    /// Every byte of the bench record changed in turn to bytes JSON cares about: the scanner
    /// answers as serde does or leaves the line to it.
    #[test]
    fn mutated_records_are_scanned_as_serde_reads_them_or_left_to_it() {
        let mut scanned = 0;
        for i in 0..BENCH.len() {
            for b in
                [b'"', b'\\', b'{', b'}', b'[', b']', b',', b':', b'0', b'-', b'e', b' ', b'n', b'u', b'x']
            {
                let mut bytes = BENCH.as_bytes().to_vec();
                if let Some(slot) = bytes.get_mut(i) {
                    *slot = b;
                }
                if let Ok(line) = std::str::from_utf8(&bytes) {
                    scanned += usize::from(same(line));
                }
                let mut cut = BENCH.as_bytes().to_vec();
                cut.remove(i);
                if let Ok(line) = std::str::from_utf8(&cut) {
                    scanned += usize::from(same(line));
                }
            }
        }
        assert!(scanned > 1000, "{scanned}");
    }
}
