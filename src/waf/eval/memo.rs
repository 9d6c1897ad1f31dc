//! The transformed values of one request's fields, kept for the rest of its evaluation.
//!
//! Several rules often inspect the same field through the same transformations (SQLi and XSS
//! rules on the URL- and entity-decoded query string); a transformation is a pure function of
//! its input and the request does not change while it is evaluated, so each such value is
//! computed once per request and the later rules read it back. Only values the transformations
//! changed are kept (an unchanged field is the request's own bytes, borrowed for free, and
//! re-checking that is cheaper than remembering it), and only for single-part fields
//! (`FieldToMatch::single_part`). Not a cache across requests: a `Memo` lives in one evaluation.

use crate::waf::field::FieldToMatch;
use crate::waf::transform::Transformation;

/// At most this many values are kept per request: a bound on memory and on the linear search
/// (a web ACL inspecting more distinct field/transformation pairs computes the rest each time).
const MAX_ENTRIES: usize = 16;

#[derive(Debug)]
struct Entry {
    field: FieldToMatch,
    transformations: Vec<Transformation>,
    value: Vec<u8>,
}

/// The values computed so far in one evaluation.
#[derive(Debug, Default)]
pub(super) struct Memo {
    entries: Vec<Entry>,
}

impl Memo {
    /// The value of `field` through `transformations`, if computed before.
    pub(super) fn get(&self, field: &FieldToMatch, transformations: &[Transformation]) -> Option<&[u8]> {
        self.entries
            .iter()
            .find(|e| e.transformations == transformations && e.field == *field)
            .map(|e| e.value.as_slice())
    }

    /// Keeps a value (unless the memo is full).
    pub(super) fn put(&mut self, field: &FieldToMatch, transformations: &[Transformation], value: Vec<u8>) {
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
        m.put(&FieldToMatch::QueryString, &url, b"a b".to_vec());
        m.put(&FieldToMatch::UriPath, &url, b"/".to_vec());
        assert_eq!(m.get(&FieldToMatch::QueryString, &url), Some(&b"a b"[..]));
        assert_eq!(m.get(&FieldToMatch::UriPath, &url), Some(&b"/"[..]));
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
            m.put(&FieldToMatch::SingleHeader(format!("h{i}")), &[], Vec::new());
        }
        assert_eq!(m.entries.len(), MAX_ENTRIES);
        assert!(m.get(&FieldToMatch::SingleHeader(format!("h{}", MAX_ENTRIES - 1)), &[]).is_some());
        assert!(m.get(&FieldToMatch::SingleHeader(format!("h{MAX_ENTRIES}")), &[]).is_none());
    }
}
