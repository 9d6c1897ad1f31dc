//! GetRandomPassword (<https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetRandomPassword.html>):
//! default length 32, the character classes and their switches, RequireEachIncludedType.

use secplay::secrets::password::PUNCTUATION;
use serde_json::json;

use crate::common::*;

fn pw(e: &mut Env, req: serde_json::Value) -> String {
    e.admin("GetRandomPassword", req)["RandomPassword"].as_str().unwrap().to_string()
}

#[test]
fn default_password_is_32_characters_with_every_type_and_no_space() {
    let mut e = Env::new();
    for _ in 0..50 {
        let p = pw(&mut e, json!({}));
        assert_eq!(p.chars().count(), 32);
        assert!(p.chars().any(|c| c.is_ascii_uppercase()), "{p}");
        assert!(p.chars().any(|c| c.is_ascii_lowercase()), "{p}");
        assert!(p.chars().any(|c| c.is_ascii_digit()), "{p}");
        assert!(p.chars().any(|c| PUNCTUATION.contains(c)), "{p}");
        assert!(!p.contains(' '));
    }
}

#[test]
fn switches_and_excluded_characters_are_respected() {
    let mut e = Env::new();
    let p = pw(
        &mut e,
        json!({"PasswordLength": 200, "ExcludePunctuation": true, "ExcludeNumbers": true, "ExcludeCharacters": "aeiouAEIOU"}),
    );
    assert_eq!(p.len(), 200);
    assert!(p.chars().all(|c| c.is_ascii_alphabetic() && !"aeiouAEIOU".contains(c)), "{p}");
    let p = pw(
        &mut e,
        json!({"PasswordLength": 100, "IncludeSpace": true, "ExcludeUppercase": true, "ExcludeLowercase": true, "ExcludePunctuation": true}),
    );
    assert!(p.chars().all(|c| c.is_ascii_digit() || c == ' '), "{p}");
    assert!(p.contains(' '), "RequireEachIncludedType puts a space in: {p}");
    let p = pw(&mut e, json!({"PasswordLength": 1, "RequireEachIncludedType": false}));
    assert_eq!(p.len(), 1);
}

#[test]
fn impossible_requests_are_invalid_parameter() {
    let mut e = Env::new();
    for req in [
        json!({"PasswordLength": 0}),
        json!({"PasswordLength": 4097}),
        json!({"PasswordLength": 3}),
        json!({"ExcludeUppercase": true, "ExcludeLowercase": true, "ExcludeNumbers": true, "ExcludePunctuation": true}),
        json!({"ExcludePunctuation": true, "ExcludeNumbers": true, "ExcludeCharacters": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}),
    ] {
        e.expect_code("GetRandomPassword", req, admin(MAIN), "InvalidParameterException");
    }
}

#[test]
fn characters_are_spread_over_the_whole_alphabet() {
    // Every allowed character shows up over many draws (no class starved by the construction).
    let mut e = Env::new();
    let p = pw(&mut e, json!({"PasswordLength": 4096, "RequireEachIncludedType": false}));
    let distinct: std::collections::BTreeSet<char> = p.chars().collect();
    assert_eq!(distinct.len(), 26 + 26 + 10 + PUNCTUATION.len());
}
