#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
//! Transformation vectors from Coraza (`shared/vectors/waf/transformations/*.json`), one test
//! per file and a failure message per case id (`file#index`). Where AWS documents different
//! semantics, the case is listed in `AWS_DIFFERS` with the reason and checked to differ.

use crate::coraza_harness::{aws_name, harness_bytes, AWS_DIFFERS};
use secplay::waf::transform::Transformation;
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/vectors/waf/transformations/");

fn run_file(file: &str) -> usize {
    let cases: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(format!("{DIR}{file}")).unwrap()).unwrap();
    let stem = file.trim_end_matches(".json");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (i, c) in cases.iter().enumerate() {
        let name = c["name"].as_str().unwrap();
        let Some(t) = aws_name(name) else { continue };
        let input = harness_bytes(c["input"].as_str().unwrap());
        let expected = harness_bytes(c["output"].as_str().unwrap());
        let got = t.apply(&input);
        let differs = AWS_DIFFERS.iter().find(|(f, n, _)| *f == stem && *n == i);
        match differs {
            Some((_, _, why)) => {
                assert_ne!(got, expected, "{stem}#{i} is listed as differing ({why}) but now agrees")
            }
            None if got != expected => failures.push(format!(
                "{stem}#{i} ({name}): input {:?} expected {:?} got {:?}",
                String::from_utf8_lossy(&input),
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(&got)
            )),
            None => {}
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    checked
}

macro_rules! vector_files {
    ($($test:ident => $file:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                assert!(run_file($file) > 0, "no case of {} was checked", $file);
            }
        )*
    };
}

vector_files! {
    base64_decode => "base64Decode.json",
    base64_decode_ext => "base64DecodeExt.json",
    cmd_line => "cmdLine.json",
    compress_whitespace => "compressWhitespace.json",
    css_decode => "cssDecode.json",
    escape_seq_decode => "escapeSeqDecode.json",
    hex_decode => "hexDecode.json",
    html_entity_decode => "htmlEntityDecode.json",
    js_decode => "jsDecode.json",
    lowercase => "lowercase.json",
    md5 => "md5.json",
    normalise_path => "normalisePath.json",
    normalise_path_win => "normalisePathWin.json",
    remove_comments_char => "removeCommentsChar.json",
    remove_nulls => "removeNulls.json",
    remove_whitespace => "removeWhitespace.json",
    replace_comments => "replaceComments.json",
    replace_nulls => "replaceNulls.json",
    sql_hex_decode => "sqlHexDecode.json",
    trim => "trim.json",
    trim_left => "trimLeft.json",
    trim_right => "trimRight.json",
    uppercase => "uppercase.json",
    url_decode => "urlDecode.json",
    url_decode_uni => "urlDecodeUni.json",
    utf8_to_unicode => "utf8toUnicode.json",
}

#[test]
fn remove_comments_has_no_aws_counterpart_and_replace_comments_differs() {
    // `removeComments.json` is ModSecurity-only; AWS's REPLACE_COMMENTS turns a comment into a space.
    let t = Transformation::from_aws("REPLACE_COMMENTS").unwrap();
    assert_eq!(t.apply(b"Before/* TestCase */After"), b"Before After");
}

#[test]
fn aws_documented_semantics() {
    let t = |n: &str, i: &[u8]| Transformation::from_aws(n).unwrap().apply(i);
    assert_eq!(t("HTML_ENTITY_DECODE", b"&lt;a&gt; &quot;x&quot; &#65;&#x42; &nbsp;"), b"<a> \"x\" AB \xa0");
    assert_eq!(t("HTML_ENTITY_DECODE", b"&amp;"), b"&amp;", "AWS lists no &amp;");
    assert_eq!(t("URL_DECODE_UNI", b"%uff1cscript%uff1e"), b"<script>");
    assert_eq!(t("JS_DECODE", b"\\uff1c\\x41\\101"), b"<AA");
    assert_eq!(t("SQL_HEX_DECODE", b"select 0x414243"), b"select ABC");
    assert_eq!(t("COMPRESS_WHITE_SPACE", b"a \t\n\r\x0b\x0c\xa0b"), b"a b");
    assert_eq!(t("CMD_LINE", b"C^OMMAND /C DIR"), b"command/c dir");
    assert_eq!(t("SHA256", b"").len(), 32);
    assert_eq!(t("BASE64_DECODE_EXT", b"P.HNjcmlwdD4="), b"<script>");
    assert_eq!(t("NORMALIZE_PATH", b"/a/./b/../../etc//passwd"), b"/etc/passwd");
    assert_eq!(t("NORMALIZE_PATH_WIN", b"\\a\\..\\b"), b"/b");
    assert_eq!(t("REMOVE_COMMENTS_CHAR", b"un/**/ion--#"), b"union");
    assert_eq!(t("ESCAPE_SEQ_DECODE", b"\\x41\\101\\n"), b"AA\n");
    assert_eq!(t("CSS_DECODE", b"\\3c script\\3e"), b"<script>");
    assert_eq!(t("UTF8_TO_UNICODE", "é".as_bytes()), b"%u00e9");
    // Playground interpretations of the undocumented newer types.
    assert_eq!(t("CMD_LINE_UNIX", b"c$@at /etc/pa''sswd"), b"cat/etc/passwd");
    assert_eq!(t("CMD_LINE_WIN", b"@ECHO off & p^ower\"shell\""), b"echo off & powershell");
    assert_eq!(t("JS_DECODE_EXT", br"\u{3c}x\u003e"), b"<x>");
    assert_eq!(t("JS_DECODE", br"\u{3c}"), b"u{3c}");
}
