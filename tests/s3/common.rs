//! Building inputs from the case file: a base scenario with `set` and `remove` applied by JSON pointer.

use serde_json::Value;

pub const CASES: &str = include_str!("cases.json");

pub fn corpus() -> Value {
    serde_json::from_str(CASES).unwrap()
}

fn unescape(t: &str) -> String {
    t.replace("~1", "/").replace("~0", "~")
}

/// Sets `pointer` to `value`, creating object members; an array index equal to the length appends.
pub fn set(doc: &mut Value, pointer: &str, value: Value) {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
    let (last, parents) = tokens.split_last().unwrap();
    let mut cur = doc;
    for t in parents {
        cur = match cur {
            Value::Object(o) => o.entry(t.clone()).or_insert_with(|| Value::Object(Default::default())),
            Value::Array(a) => &mut a[t.parse::<usize>().unwrap()],
            other => panic!("cannot descend into {other} at {pointer}"),
        };
    }
    match cur {
        Value::Object(o) => {
            o.insert(last.clone(), value);
        }
        Value::Array(a) => {
            let i: usize = last.parse().unwrap();
            if i == a.len() {
                a.push(value);
            } else {
                a[i] = value;
            }
        }
        other => panic!("cannot set inside {other} at {pointer}"),
    }
}

/// Removes what `pointer` names.
pub fn remove(doc: &mut Value, pointer: &str) {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let last = unescape(last);
    match doc.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent}")) {
        Value::Object(o) => {
            o.remove(&last).unwrap_or_else(|| panic!("no {pointer}"));
        }
        Value::Array(a) => {
            a.remove(last.parse::<usize>().unwrap());
        }
        other => panic!("cannot remove from {other}"),
    }
}

/// The input of a case.
pub fn input_of(corpus: &Value, case: &Value) -> Value {
    let mut input = corpus["bases"][case["base"].as_str().unwrap()].clone();
    if let Some(s) = case["set"].as_object() {
        for (p, v) in s {
            set(&mut input, p, v.clone());
        }
    }
    if let Some(r) = case["remove"].as_array() {
        for p in r {
            remove(&mut input, p.as_str().unwrap());
        }
    }
    input
}

/// The base scenario by name.
pub fn base(name: &str) -> Value {
    corpus()["bases"][name].clone()
}
