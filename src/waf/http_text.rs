//! Requests as people paste them: raw HTTP/1.x text (`GET /path HTTP/1.1`, headers, blank line,
//! body) or a `curl` command line, turned into the engine's request JSON
//! (`{method, uri, headers, body?, clientIp}`).
//!
//! Not a general HTTP or shell parser: it reads what the WAF inspects (method, path and query,
//! headers in order, body) and the curl options that shape a request; other options are ignored,
//! and an option it cannot use is reported rather than guessed at. Neither form carries the client
//! address, so the caller supplies it.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Value};

use super::error::WafError;

/// The largest text accepted (a request the WAF inspects is far smaller).
pub const MAX_TEXT: usize = 1024 * 1024;

fn bad(message: impl Into<String>) -> WafError {
    WafError::request("", message.into())
}

/// Parse raw HTTP request text. Line endings may be `\r\n` or `\n`.
pub fn parse_raw_http(text: &str, client_ip: &str) -> Result<Value, WafError> {
    if text.len() > MAX_TEXT {
        return Err(bad("the request text is larger than 1 MiB"));
    }
    let text = text.trim_start_matches(['\r', '\n', ' ', '\t']);
    let (head, body) = match text.find("\r\n\r\n") {
        Some(i) => (text.get(..i).unwrap_or(""), text.get(i + 4..).unwrap_or("")),
        None => match text.find("\n\n") {
            Some(i) => (text.get(..i).unwrap_or(""), text.get(i + 2..).unwrap_or("")),
            None => (text, ""),
        },
    };
    let mut lines = head.lines();
    let request_line = lines.next().unwrap_or("").trim();
    let mut parts = request_line.split_whitespace();
    let looks_like_target =
        |t: &&str| t.starts_with('/') || t.starts_with("http://") || t.starts_with("https://");
    let (Some(method), Some(target)) = (parts.next(), parts.next().filter(looks_like_target)) else {
        return Err(bad(format!(
            "the first line must be `METHOD /path HTTP/1.1`, not `{}`",
            request_line.chars().take(80).collect::<String>()
        )));
    };
    if !method.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Err(bad(format!("`{method}` is not an HTTP method")));
    }
    let mut headers = Vec::new();
    for line in lines {
        if line.trim().is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad(format!(
                "header line `{}` has no `:`",
                line.chars().take(80).collect::<String>()
            )));
        };
        headers.push(json!([name.trim(), value.trim()]));
    }
    let uri = origin_form(target, &mut headers);
    Ok(request_json(method, uri, headers, (!body.is_empty()).then(|| body.to_owned()), client_ip))
}

/// The engine's request shape.
fn request_json(
    method: &str,
    uri: String,
    headers: Vec<Value>,
    body: Option<String>,
    client_ip: &str,
) -> Value {
    let mut req = serde_json::Map::new();
    req.insert("method".into(), Value::String(method.to_ascii_uppercase()));
    req.insert("uri".into(), Value::String(uri));
    req.insert("headers".into(), Value::Array(headers));
    if let Some(b) = body {
        req.insert("body".into(), Value::String(b));
    }
    req.insert("clientIp".into(), Value::String(client_ip.to_owned()));
    Value::Object(req)
}

/// `http://host/path?q` → `/path?q` (adding `Host` if absent); `/path` stays.
fn origin_form(target: &str, headers: &mut Vec<Value>) -> String {
    let rest = target.strip_prefix("https://").or_else(|| target.strip_prefix("http://"));
    let Some(rest) = rest else {
        return if target.starts_with('/') { target.to_owned() } else { format!("/{target}") };
    };
    let (host, path) = match rest.find(['/', '?', '#']) {
        Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("")),
        None => (rest, ""),
    };
    let has_host = headers
        .iter()
        .any(|h| h.get(0).and_then(Value::as_str).is_some_and(|n| n.eq_ignore_ascii_case("host")));
    if !has_host && !host.is_empty() {
        headers.insert(0, json!(["Host", host]));
    }
    if path.starts_with('/') {
        path.to_owned()
    } else {
        format!("/{path}")
    }
}

/// Split a shell command line into words: single and double quotes, backslash escapes,
/// backslash-newline continuations. No expansion of any kind.
fn shell_words(text: &str) -> Result<Vec<String>, WafError> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\n') => {}
                Some('\r') if chars.peek() == Some(&'\n') => {
                    chars.next();
                }
                Some('\r') => {}
                Some(n) => {
                    cur.push(n);
                    in_word = true;
                }
                None => {}
            },
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(n) => cur.push(n),
                        None => return Err(bad("a single quote is not closed")),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(n @ ('"' | '\\' | '$' | '`')) => cur.push(n),
                            Some('\n') => {}
                            Some(n) => {
                                cur.push('\\');
                                cur.push(n);
                            }
                            None => return Err(bad("a double quote is not closed")),
                        },
                        Some(n) => cur.push(n),
                        None => return Err(bad("a double quote is not closed")),
                    }
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            c => {
                cur.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Parse a `curl` command line (as browsers' "Copy as cURL" and documentation write them).
pub fn parse_curl(text: &str, client_ip: &str) -> Result<Value, WafError> {
    if text.len() > MAX_TEXT {
        return Err(bad("the command is larger than 1 MiB"));
    }
    let words = shell_words(text.trim())?;
    let mut it = words.iter().map(String::as_str);
    match it.next() {
        Some(w) if w == "curl" || w.ends_with("/curl") => {}
        _ => return Err(bad("the command must start with `curl`")),
    }
    let mut method: Option<String> = None;
    let mut url: Option<String> = None;
    let mut headers: Vec<Value> = Vec::new();
    let mut data: Vec<String> = Vec::new();
    let mut get_with_data = false;
    let mut head = false;
    while let Some(w) = it.next() {
        let mut arg =
            |name: &str| it.next().map(str::to_owned).ok_or_else(|| bad(format!("`{name}` needs a value")));
        match w {
            "-X" | "--request" => method = Some(arg(w)?),
            "-H" | "--header" => {
                let h = arg(w)?;
                let (n, v) = h.split_once(':').ok_or_else(|| bad(format!("header `{h}` has no `:`")))?;
                headers.push(json!([n.trim(), v.trim()]));
            }
            "-d" | "--data" | "--data-raw" | "--data-binary" | "--data-ascii" | "--data-urlencode"
            | "--json" => {
                let d = arg(w)?;
                if d.starts_with('@') && w != "--data-raw" {
                    return Err(bad(format!("`{w} {d}` reads a file: paste the body itself instead")));
                }
                if w == "--json" {
                    headers.push(json!(["Content-Type", "application/json"]));
                    headers.push(json!(["Accept", "application/json"]));
                }
                data.push(d);
            }
            "-b" | "--cookie" => headers.push(json!(["Cookie", arg(w)?])),
            "-A" | "--user-agent" => headers.push(json!(["User-Agent", arg(w)?])),
            "-e" | "--referer" => headers.push(json!(["Referer", arg(w)?])),
            "-u" | "--user" => {
                headers.push(json!(["Authorization", format!("Basic {}", B64.encode(arg(w)?))]))
            }
            "--url" => url = Some(arg(w)?),
            "-G" | "--get" => get_with_data = true,
            "-I" | "--head" => head = true,
            // Options that take a value but do not change what the WAF sees.
            "-o" | "--output" | "-m" | "--max-time" | "--connect-timeout" | "-w" | "--write-out"
            | "--resolve" | "-x" | "--proxy" | "--cacert" | "--cert" | "--key" | "-T" | "--upload-file"
            | "-F" | "--form" => {
                if matches!(w, "-T" | "--upload-file" | "-F" | "--form") {
                    return Err(bad(format!(
                        "`{w}` (file uploads and multipart forms) is not supported here"
                    )));
                }
                arg(w)?;
            }
            w if w.starts_with('-') => {} // flags such as -s -k -L -v -i --compressed
            w => url = Some(w.to_owned()),
        }
    }
    let url = url.ok_or_else(|| bad("the command names no URL"))?;
    let mut target = url.clone();
    let body = (!data.is_empty()).then(|| data.join("&"));
    let mut body = body;
    if get_with_data {
        if let Some(q) = body.take() {
            target.push(if target.contains('?') { '&' } else { '?' });
            target.push_str(&q);
        }
    }
    let method = method.unwrap_or_else(|| {
        if head {
            "HEAD".into()
        } else if body.is_some() {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    let has = |name: &str| {
        headers.iter().any(|h| h.get(0).and_then(Value::as_str).is_some_and(|n| n.eq_ignore_ascii_case(name)))
    };
    if body.is_some() && !has("content-type") {
        headers.push(json!(["Content-Type", "application/x-www-form-urlencoded"]));
    }
    let uri = origin_form(&target, &mut headers);
    Ok(request_json(&method, uri, headers, body, client_ip))
}

/// Either form: a text starting with `curl` is a command, anything else raw HTTP.
pub fn parse_request_text(text: &str, client_ip: &str) -> Result<Value, WafError> {
    let t = text.trim_start();
    if t.starts_with("curl ") || t.starts_with("curl\t") {
        parse_curl(t, client_ip)
    } else {
        parse_raw_http(t, client_ip)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_http_with_body() {
        let r = parse_request_text(
            "POST /login?next=%2F HTTP/1.1\r\nHost: example.com\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\nuser=a&pw=b",
            "192.0.2.1",
        )
        .unwrap();
        assert_eq!(r["method"], "POST");
        assert_eq!(r["uri"], "/login?next=%2F");
        assert_eq!(r["headers"][1], json!(["Content-Type", "application/x-www-form-urlencoded"]));
        assert_eq!(r["body"], "user=a&pw=b");
        assert_eq!(r["clientIp"], "192.0.2.1");
    }

    #[test]
    fn raw_http_absolute_target_adds_host() {
        let r = parse_raw_http("GET http://shop.example/a/b?c=1 HTTP/1.1\n\n", "::1").unwrap();
        assert_eq!(r["uri"], "/a/b?c=1");
        assert_eq!(r["headers"][0], json!(["Host", "shop.example"]));
        assert!(r.get("body").is_none());
    }

    #[test]
    fn curl_as_browsers_copy_it() {
        let r = parse_request_text(
            "curl 'https://api.example.com/v1/items?id=1%27%20OR%201=1' \\\n  -H 'accept: */*' \\\n  -H \"X-Token: a b\" -b 'session=xyz' --compressed",
            "203.0.113.7",
        )
        .unwrap();
        assert_eq!(r["method"], "GET");
        assert_eq!(r["uri"], "/v1/items?id=1%27%20OR%201=1");
        assert_eq!(r["headers"][0], json!(["Host", "api.example.com"]));
        assert_eq!(r["headers"][2], json!(["X-Token", "a b"]));
        assert_eq!(r["headers"][3], json!(["Cookie", "session=xyz"]));
    }

    #[test]
    fn curl_data_implies_post_and_get_moves_it_to_the_query() {
        let r = parse_curl("curl -d 'q=<script>' -d x=1 http://h/s", "192.0.2.1").unwrap();
        assert_eq!(r["method"], "POST");
        assert_eq!(r["body"], "q=<script>&x=1");
        let g = parse_curl("curl -G --data-urlencode 'q=1' http://h/s?a=b", "192.0.2.1").unwrap();
        assert_eq!(g["method"], "GET");
        assert_eq!(g["uri"], "/s?a=b&q=1");
        assert_eq!(
            parse_curl("curl -u alice:pw -X PUT http://h/", "1.2.3.4").unwrap()["headers"][1],
            json!(["Authorization", "Basic YWxpY2U6cHc="])
        );
    }

    #[test]
    fn hostile_or_unusable_input_gets_a_clear_error() {
        for (text, needle) in [
            ("curl 'unclosed", "single quote"),
            ("curl -H", "needs a value"),
            ("curl -s -k", "no URL"),
            ("curl -d @secrets.txt http://h/", "reads a file"),
            ("curl -F a=@f http://h/", "not supported"),
            ("ls -la", "first line"),
            ("GET", "first line"),
            ("G\u{0}T / HTTP/1.1", "not an HTTP method"),
            ("GET / HTTP/1.1\nno colon here", "has no `:`"),
        ] {
            let e = parse_request_text(text, "192.0.2.1").unwrap_err();
            assert!(e.to_string().contains(needle), "{text:?}: {e}");
        }
        assert!(parse_raw_http(&"x".repeat(MAX_TEXT + 1), "192.0.2.1").is_err());
    }
}
