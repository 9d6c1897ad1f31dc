//! Parsed policies, kept between calls: authorization reads the same key, identity, boundary and
//! SCP texts on every call, and parsing them was most of a call's time.
//!
//! Keyed by the policy text itself, so an edit (PutKeyPolicy, putIdentityPolicy, a new boundary or
//! SCP) can never be served a stale parse: a new text is a new entry, and an entry whose text is
//! no longer stored anywhere is simply never asked for again. The cache is bounded
//! ([`MAX_ENTRIES`]; full, it starts over) and is not part of the world's data: not serialized
//! into snapshots, empty after a restore, and filled again lazily. Not a cache of decisions —
//! every call is still evaluated against its request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use crate::policy::{parse_policy, Policy, PolicyError};

/// Distinct policy texts kept at most; beyond this the cache is emptied and refilled.
pub const MAX_ENTRIES: usize = 512;

/// Policy text → its parse. Interior mutability: authorization reads the world immutably.
#[derive(Default)]
pub struct PolicyCache {
    parsed: Mutex<HashMap<String, Arc<Policy>>>,
}

impl PolicyCache {
    /// The parse of `text`, from the cache or parsed now (and kept). Errors are not kept.
    pub fn get(&self, text: &str) -> Result<Arc<Policy>, PolicyError> {
        // A poisoned lock only means a panic elsewhere while holding it; the map is still sound.
        let mut map = self.parsed.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(p) = map.get(text) {
            return Ok(Arc::clone(p));
        }
        let policy = Arc::new(parse_policy(text)?);
        if map.len() >= MAX_ENTRIES {
            map.clear();
        }
        map.insert(text.to_string(), Arc::clone(&policy));
        Ok(policy)
    }

    /// How many parsed policies are kept.
    pub fn len(&self) -> usize {
        self.parsed.lock().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A cloned world starts with an empty cache (it refills on the first calls).
impl Clone for PolicyCache {
    fn clone(&self) -> Self {
        PolicyCache::default()
    }
}

impl std::fmt::Debug for PolicyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PolicyCache({} parsed)", self.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Encrypt","Resource":"*"}]}"#;
    const B: &str =
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:Encrypt","Resource":"*"}]}"#;

    #[test]
    fn one_parse_per_text_and_an_edited_text_is_parsed_anew() {
        let cache = PolicyCache::default();
        let first = cache.get(A).unwrap();
        let again = cache.get(A).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "the same text must be served from the cache");
        let edited = cache.get(B).unwrap();
        assert_eq!(
            edited.statements[0].effect,
            crate::policy::Effect::Deny,
            "an edited policy must not get the old parse"
        );
        assert_eq!(cache.len(), 2);
    }

    #[test]
    fn errors_are_not_kept_and_the_cache_is_bounded() {
        let cache = PolicyCache::default();
        assert!(cache.get("{").is_err());
        assert!(cache.is_empty());
        for i in 0..MAX_ENTRIES + 3 {
            let text = A.replace("kms:Encrypt", &format!("kms:Encrypt{i}"));
            cache.get(&text).unwrap();
        }
        assert!(cache.len() <= MAX_ENTRIES, "the cache grew past its bound: {}", cache.len());
    }

    #[test]
    fn a_clone_starts_empty() {
        let cache = PolicyCache::default();
        cache.get(A).unwrap();
        assert!(cache.clone().is_empty());
    }
}
