//! Which host names a certificate covers, as ACM matches them: names compare without case and
//! without a trailing dot; a wildcard `*.example.com` covers exactly one label in its place
//! (`www.example.com`), not the apex (`example.com`) and not deeper names (`a.b.example.com`).
//! (ACM User Guide, "ACM certificate characteristics", wildcard names:
//! <https://docs.aws.amazon.com/acm/latest/userguide/acm-certificate.html>.)

use serde::Serialize;

/// A name in the form compared: lowercase, no trailing dot.
pub fn normalize(name: &str) -> String {
    name.trim().trim_end_matches('.').to_ascii_lowercase()
}

/// Whether certificate name `pattern` covers host `host`.
pub fn covers(pattern: &str, host: &str) -> bool {
    let (p, h) = (normalize(pattern), normalize(host));
    if p.is_empty() || h.is_empty() {
        return false;
    }
    match p.strip_prefix("*.") {
        Some(base) => match h.split_once('.') {
            Some((label, rest)) => !label.is_empty() && label != "*" && rest == base,
            None => false,
        },
        None => p == h,
    }
}

/// One host name and what covers it.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// The host asked about.
    pub host: String,
    /// The certificate name that covers it, if one does.
    pub covered_by: Option<String>,
    /// Why not, when not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Checks each host against the certificate's names.
pub fn coverage(names: &[String], hosts: &[String]) -> Vec<Coverage> {
    hosts
        .iter()
        .map(|h| {
            let by = names.iter().find(|n| covers(n, h)).cloned();
            let reason = if by.is_some() { None } else { Some(why_not(names, h)) };
            Coverage { host: h.clone(), covered_by: by, reason }
        })
        .collect()
}

fn why_not(names: &[String], host: &str) -> String {
    let h = normalize(host);
    for n in names {
        let p = normalize(n);
        if let Some(base) = p.strip_prefix("*.") {
            if h == base {
                return format!("`{n}` does not cover the apex `{base}`: add `{base}` as its own name");
            }
            if h.ends_with(&format!(".{base}")) {
                return format!(
                    "`{n}` covers one label only: `{h}` is deeper; add `*.{}`",
                    h.split_once('.').map_or("", |x| x.1)
                );
            }
        }
    }
    format!("no name of the certificate matches `{h}`")
}
