//! The transformed values of one request's fields, kept for the rest of its evaluation.
//!
//! Several rules often inspect the same field through the same transformations (SQLi and XSS
//! rules on the URL- and entity-decoded query string); a transformation is a pure function of
//! its input and the request does not change while it is evaluated, so each such value is
//! computed once per request and the later rules read it back. A field the transformations
//! leave as it is is remembered as "unchanged" (its bytes are the request's own, borrowed).
//! Only single-part fields (`FieldToMatch::single_part`) are kept. Not a cache across requests:
//! a `Memo` lives in one evaluation.

use crate::waf::field::FieldToMatch;
use crate::waf::transform::Transformation;

/// At most this many values are kept per request: a bound on memory and on the linear search
/// (a web ACL inspecting more distinct field/transformation pairs computes the rest each time).
const MAX_ENTRIES: usize = 16;

/// What a field became through its transformations.
#[derive(Debug)]
pub(super) enum Value {
    /// The transformations leave the field's bytes as they are.
    Unchanged,
    /// The transformed bytes.
    Changed(Vec<u8>),
}

#[derive(Debug)]
struct Entry {
    field: FieldToMatch,
    transformations: Vec<Transformation>,
    value: Value,
}

/// The values computed so far in one evaluation.
#[derive(Debug, Default)]
pub(super) struct Memo {
    entries: Vec<Entry>,
}

impl Memo {
    /// The value of `field` through `transformations`, if computed before.
    pub(super) fn get(&self, field: &FieldToMatch, transformations: &[Transformation]) -> Option<&Value> {
        self.entries
            .iter()
            .find(|e| e.transformations == transformations && e.field == *field)
            .map(|e| &e.value)
    }

    /// Keeps a value (unless the memo is full).
    pub(super) fn put(&mut self, field: &FieldToMatch, transformations: &[Transformation], value: Value) {
        if self.entries.len() < MAX_ENTRIES {
            self.entries.push(Entry {
                field: field.clone(),
                transformations: transformations.to_vec(),
                value,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_found_only_for_the_same_field_and_transformations() {
        let mut m = Memo::default();
        let url = [Transformation::UrlDecode];
        m.put(&FieldToMatch::QueryString, &url, Value::Changed(b"a b".to_vec()));
        m.put(&FieldToMatch::UriPath, &url, Value::Unchanged);
        assert!(matches!(m.get(&FieldToMatch::QueryString, &url), Some(Value::Changed(v)) if v == b"a b"));
        assert!(matches!(m.get(&FieldToMatch::UriPath, &url), Some(Value::Unchanged)));
        assert!(m.get(&FieldToMatch::QueryString, &[]).is_none());
        assert!(m
            .get(&FieldToMatch::QueryString, &[Transformation::UrlDecode, Transformation::Lowercase])
            .is_none());
        assert!(m.get(&FieldToMatch::Method, &url).is_none());
        assert!(m.get(&FieldToMatch::SingleHeader("a".to_owned()), &url).is_none());
    }

    #[test]
    fn the_memo_stops_growing_at_its_bound() {
        let mut m = Memo::default();
        for i in 0..MAX_ENTRIES + 5 {
            m.put(&FieldToMatch::SingleHeader(format!("h{i}")), &[], Value::Unchanged);
        }
        assert_eq!(m.entries.len(), MAX_ENTRIES);
        assert!(m.get(&FieldToMatch::SingleHeader(format!("h{}", MAX_ENTRIES - 1)), &[]).is_some());
        assert!(m.get(&FieldToMatch::SingleHeader(format!("h{MAX_ENTRIES}")), &[]).is_none());
    }
}
