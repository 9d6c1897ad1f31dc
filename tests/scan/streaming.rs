//! Streaming: chunking never changes the result, findings straddling chunks and windows are kept,
//! memory stays bounded, invalid UTF-8 is tolerated, positions are right.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use secplay::scan::stream::{CONTEXT, OVERLAP, WINDOW};
use secplay::scan::{scan, Options, Scanner};

use super::corpus::{self, Rng};

fn big_text() -> Vec<u8> {
    let set = corpus::generate(7, 4000, 4000);
    let mut out = Vec::new();
    for s in set {
        out.extend_from_slice(s.text.as_bytes());
        out.extend_from_slice(" filler text é 한국어 ".as_bytes());
        out.push(b'\n');
    }
    out
}

fn chunked(input: &[u8], r: &mut Rng, max: u64) -> secplay::scan::Report {
    let mut s = Scanner::new(Options::default()).unwrap();
    let mut i = 0;
    while i < input.len() {
        let n = (r.range(1, max) as usize).min(input.len() - i);
        s.push(&input[i..i + n]).unwrap();
        assert!(s.buffered() <= CONTEXT + WINDOW + OVERLAP);
        i += n;
    }
    s.finish().unwrap()
}

#[test]
fn chunking_never_changes_the_findings() {
    let text = big_text();
    assert!(text.len() > 3 * WINDOW, "spans several windows: {}", text.len());
    let whole = scan(&text, Options::default()).unwrap();
    let total: u64 = whole.counts.values().sum();
    assert!(total >= 4000, "{total} {:?}", whole.counts);
    let mut r = Rng::new(42);
    for max in [1u64, 7, 1000, 70_000] {
        let part = if max == 1 { chunked(&text[..20_000], &mut r, 1) } else { chunked(&text, &mut r, max) };
        if max == 1 {
            let head = scan(&text[..20_000], Options::default()).unwrap();
            assert_eq!(part.findings, head.findings);
        } else {
            assert_eq!(part.findings, whole.findings, "chunks of up to {max}");
            assert_eq!(part.counts, whole.counts);
        }
    }
}

#[test]
fn a_finding_across_a_window_boundary_is_found_once() {
    for shift in [0usize, 5, 10, 15, 19] {
        let mut text = vec![b' '; WINDOW - shift];
        text.extend_from_slice(b"AKIAIOSFODNN7EXAMPLE and more");
        let r = scan(&text, Options::default()).unwrap();
        assert_eq!(r.findings.len(), 1, "shift {shift}");
        assert_eq!(r.findings[0].start.byte as usize, WINDOW - shift);
    }
    // A private key block that straddles the window edge is reported whole.
    let mut text = vec![b'.'; WINDOW - 40];
    text.push(b'\n');
    text.extend_from_slice(b"-----BEGIN RSA PRIVATE KEY-----\n");
    for _ in 0..30 {
        text.extend_from_slice(&[b'A'; 64]);
        text.push(b'\n');
    }
    text.extend_from_slice(b"-----END RSA PRIVATE KEY-----\n");
    let r = scan(&text, Options::default()).unwrap();
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].end.byte as usize, text.len() - 1);
}

#[test]
fn invalid_utf8_is_tolerated() {
    let mut text = vec![0xff, 0xfe, b' '];
    text.extend_from_slice(b"mail a.b@example.com \xc3\x28 visa 4242424242424242 \xed\xa0\x80");
    let r = scan(&text, Options::default()).unwrap();
    let types: Vec<_> = r.findings.iter().map(|f| f.type_id).collect();
    assert_eq!(types, ["EMAIL_ADDRESS", "CREDIT_CARD_NUMBER"]);
}

#[test]
fn positions_count_bytes_chars_utf16_lines_columns() {
    let text = "한국어\n😀 mail a.b@example.com";
    let r = scan(text.as_bytes(), Options::default()).unwrap();
    let f = &r.findings[0];
    assert_eq!(f.start.byte as usize, text.find("a.b").unwrap());
    assert_eq!(f.start.char, 4 + 2 + 5);
    assert_eq!(f.start.utf16, 4 + 3 + 5);
    assert_eq!((f.start.line, f.start.column), (2, 8));
    let js_index = text.encode_utf16().collect::<Vec<_>>();
    assert_eq!(
        String::from_utf16(&js_index[f.start.utf16 as usize..f.end.utf16 as usize]).unwrap(),
        "a.b@example.com"
    );
}

#[test]
fn push_after_finish_is_an_error() {
    let mut s = Scanner::new(Options::default()).unwrap();
    s.push(b"x").unwrap();
    s.finish().unwrap();
    assert_eq!(s.push(b"y").unwrap_err().code(), "ScannerFinished");
}

#[test]
fn max_findings_keeps_counting() {
    let text = "a.b@example.com ".repeat(50);
    let r = scan(text.as_bytes(), Options { max_findings: 10, ..Options::default() }).unwrap();
    assert_eq!(r.findings.len(), 10);
    assert_eq!(r.counts.values().sum::<u64>(), 50);
    assert!(r.truncated);
}

#[test]
fn samples_in_one_document_find_what_each_finds_alone() {
    let set = corpus::generate(7, 400, 400);
    // Longer than the keyword span, so no sample lends its keyword to the next.
    let sep = format!("{}\n", " filler text é 한국어 ".repeat(5));
    let mut doc = Vec::new();
    let mut spans = Vec::new();
    for s in &set {
        spans.push((doc.len(), doc.len() + s.text.len()));
        doc.extend_from_slice(s.text.as_bytes());
        doc.extend_from_slice(sep.as_bytes());
    }
    let all = scan(&doc, Options { max_findings: 100_000, ..Options::default() }).unwrap();
    for (s, (from, to)) in set.iter().zip(spans) {
        let alone: Vec<_> =
            scan(s.text.as_bytes(), Options::default()).unwrap().findings.iter().map(|f| f.type_id).collect();
        let inside: Vec<_> = all
            .findings
            .iter()
            .filter(|f| (f.start.byte as usize) >= from && (f.start.byte as usize) < to)
            .map(|f| f.type_id)
            .collect();
        assert_eq!(alone, inside, "{:?}", s.text);
    }
}

#[test]
fn a_key_inside_a_json_string() {
    let text = br#"{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7
AAAAAAAAAAAAAAAAAAAA
-----END PRIVATE KEY-----
", "client_email": "svc@proj.iam.gserviceaccount.com"}"#;
    let r = scan(text, Options::default()).unwrap();
    let types: Vec<_> = r.findings.iter().map(|f| f.type_id).collect();
    assert_eq!(types, ["PKCS", "EMAIL_ADDRESS"]);
    let end = r.findings[0].end.byte as usize;
    assert!(text[..end].ends_with(b"-----END PRIVATE KEY-----"));
}
