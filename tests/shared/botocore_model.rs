//! A botocore service model (`../shared/vectors/aws-models/*.service-2.json`) as a checker: every
//! way a JSON value breaks a shape (member names and types, required members, enums, length and
//! range bounds, base64 blobs, epoch-second timestamps), each with its path. Shared by the
//! model-shape tests of the KMS, Parameter Store, Secrets Manager and ACM engines.

#![allow(dead_code)]

use serde_json::{json, Value};

/// An extra rule for string shapes the model states only as a Java pattern: given the shape's
/// name and the text, what is wrong with it.
pub type StringRule = fn(&str, &str) -> Option<String>;

pub struct Model {
    pub json: Value,
    pub string_rule: Option<StringRule>,
}

impl Model {
    pub fn load(path: &str) -> Model {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("the botocore model {path}: {e}"));
        Model { json: serde_json::from_str(&text).unwrap(), string_rule: None }
    }

    pub fn shape(&self, name: &str) -> &Value {
        &self.json["shapes"][name]
    }

    pub fn op(&self, name: &str) -> &Value {
        &self.json["operations"][name]
    }

    /// Every way `v` breaks shape `name`, with a path.
    pub fn check(&self, name: &str, v: &Value, path: &str, out: &mut Vec<String>) {
        let s = self.shape(name);
        let bound = |n: usize, out: &mut Vec<String>| {
            if let Some(min) = s["min"].as_u64().filter(|m| (n as u64) < *m) {
                out.push(format!("{path}: length {n} < min {min} of {name}"));
            }
            if let Some(max) = s["max"].as_u64().filter(|m| n as u64 > *m) {
                out.push(format!("{path}: length {n} > max {max} of {name}"));
            }
        };
        match s["type"].as_str().unwrap_or("?") {
            "structure" => {
                let Some(o) = v.as_object() else { return out.push(format!("{path}: not an object")) };
                let members = s["members"].as_object().unwrap();
                for (k, mv) in o {
                    match members.get(k) {
                        Some(m) => self.check(m["shape"].as_str().unwrap(), mv, &format!("{path}.{k}"), out),
                        None => out.push(format!("{path}: `{k}` is not a member of {name}")),
                    }
                }
                for r in s["required"].as_array().into_iter().flatten() {
                    if !o.contains_key(r.as_str().unwrap()) {
                        out.push(format!("{path}: required `{r}` missing"));
                    }
                }
            }
            "string" => {
                let Some(t) = v.as_str() else { return out.push(format!("{path}: not a string")) };
                if let Some(e) = s["enum"].as_array() {
                    if !e.iter().any(|x| x == t) {
                        out.push(format!("{path}: `{t}` not in enum {name}"));
                    }
                }
                bound(t.chars().count(), out);
                if let Some(problem) = self.string_rule.and_then(|rule| rule(name, t)) {
                    out.push(format!("{path}: {problem}"));
                }
            }
            "blob" => {
                use base64::Engine as _;
                match v.as_str().and_then(|t| base64::engine::general_purpose::STANDARD.decode(t).ok()) {
                    Some(b) => bound(b.len(), out),
                    None => out.push(format!("{path}: not base64")),
                }
            }
            "integer" | "long" => {
                let Some(n) = v.as_i64() else { return out.push(format!("{path}: not an integer")) };
                if s["min"].as_i64().is_some_and(|m| n < m) || s["max"].as_i64().is_some_and(|m| n > m) {
                    out.push(format!("{path}: {n} out of range"));
                }
            }
            "boolean" => {
                if !v.is_boolean() {
                    out.push(format!("{path}: not a boolean"));
                }
            }
            "timestamp" => {
                if !v.is_number() {
                    out.push(format!("{path}: a timestamp is epoch seconds in AWS JSON 1.1"));
                }
            }
            "list" => {
                let Some(items) = v.as_array() else { return out.push(format!("{path}: not a list")) };
                bound(items.len(), out);
                let m = s["member"]["shape"].as_str().unwrap();
                for (i, it) in items.iter().enumerate() {
                    self.check(m, it, &format!("{path}[{i}]"), out);
                }
            }
            "map" => {
                let Some(o) = v.as_object() else { return out.push(format!("{path}: not a map")) };
                bound(o.len(), out);
                let (ks, vs) = (s["key"]["shape"].as_str().unwrap(), s["value"]["shape"].as_str().unwrap());
                for (k, mv) in o {
                    self.check(ks, &json!(k), &format!("{path}.<key>"), out);
                    self.check(vs, mv, &format!("{path}.{k}"), out);
                }
            }
            other => out.push(format!("{path}: unhandled shape type {other}")),
        }
    }
}
