//! The encryption context: a map of UTF-8 strings, serialized sorted by the UTF-8 bytes of the keys.
//!
//! It knows the serialization and the reserved `aws-crypto-` prefix; it does not decide which
//! keys are stored in a header and which are only authenticated (that is `materials.rs`).

use std::collections::BTreeMap;

use super::error::EsdkError;
use super::reader::{put_u16_prefixed, ParseResult, Reader};

/// Keys starting with this prefix are reserved for the ESDK itself.
pub const RESERVED_PREFIX: &str = "aws-crypto-";

/// The reserved key under which signing suites store the verification key.
pub const PUBLIC_KEY_FIELD: &str = "aws-crypto-public-key";

/// An encryption context. `BTreeMap<String, _>` orders keys by their UTF-8 bytes, as the spec requires.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EncryptionContext(pub BTreeMap<String, String>);

impl EncryptionContext {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether the context has no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value for `key`.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(String::as_str)
    }

    /// Serialize: empty → no bytes; else `u16 count` then sorted `u16 len + key, u16 len + value`.
    pub fn serialize(&self) -> Result<Vec<u8>, EsdkError> {
        let mut out = Vec::new();
        if self.0.is_empty() {
            return Ok(out);
        }
        let count = u16::try_from(self.0.len())
            .map_err(|_| EsdkError::InvalidEncryptionContext("more than 65535 entries".to_string()))?;
        out.extend_from_slice(&count.to_be_bytes());
        for (k, v) in &self.0 {
            put_u16_prefixed(&mut out, k.as_bytes(), "an encryption context key").map_err(|_| too_long(k))?;
            put_u16_prefixed(&mut out, v.as_bytes(), "an encryption context value")
                .map_err(|_| too_long(k))?;
        }
        if out.len() > usize::from(u16::MAX) {
            return Err(EsdkError::InvalidEncryptionContext(
                "it serializes to more than 65535 bytes".to_string(),
            ));
        }
        Ok(out)
    }

    /// Parse a complete serialized context (the bytes of the header's AAD field).
    pub(crate) fn parse(bytes: &[u8], base: usize) -> ParseResult<Self> {
        let mut map = BTreeMap::new();
        if bytes.is_empty() {
            return Ok(Self(map));
        }
        let mut r = Reader::bounded(bytes, base);
        let count = r.u16("the encryption context count")?;
        if count == 0 {
            return Err(r.invalid("a present encryption context has zero entries"));
        }
        for _ in 0..count {
            let at = r.offset();
            let k = utf8(r.u16_prefixed("an encryption context key")?, at)?;
            let at = r.offset();
            let v = utf8(r.u16_prefixed("an encryption context value")?, at)?;
            if map.insert(k.clone(), v).is_some() {
                return Err(r.invalid(format!("duplicate encryption context key `{k}`")));
            }
        }
        if r.remaining() != 0 {
            return Err(r.invalid("bytes left over after the encryption context"));
        }
        Ok(Self(map))
    }

    /// Reject keys that use the reserved prefix (caller-supplied context at encrypt).
    pub fn check_no_reserved_keys(&self) -> Result<(), EsdkError> {
        match self.0.keys().find(|k| k.starts_with(RESERVED_PREFIX)) {
            Some(k) => Err(EsdkError::InvalidEncryptionContext(format!(
                "the key `{k}` uses the reserved prefix `{RESERVED_PREFIX}`"
            ))),
            None => Ok(()),
        }
    }
}

impl From<BTreeMap<String, String>> for EncryptionContext {
    fn from(m: BTreeMap<String, String>) -> Self {
        Self(m)
    }
}

fn too_long(key: &str) -> EsdkError {
    EsdkError::InvalidEncryptionContext(format!(
        "the entry `{key}` has a key or value longer than 65535 bytes"
    ))
}

fn utf8(bytes: &[u8], at: usize) -> ParseResult<String> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| EsdkError::malformed(at, "an encryption context string is not UTF-8").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ec(pairs: &[(&str, &str)]) -> EncryptionContext {
        EncryptionContext(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
    }

    #[test]
    fn empty_context_serializes_to_nothing() {
        assert!(EncryptionContext::new().serialize().unwrap().is_empty());
        assert!(EncryptionContext::parse(&[], 0).unwrap().is_empty());
    }

    #[test]
    fn keys_are_sorted_by_utf8_bytes() {
        let c = ec(&[("ключ", "1"), ("b", "2"), ("\u{1}\u{2}\u{3}", "3"), ("é", "4"), ("a", "5")]);
        let bytes = c.serialize().unwrap();
        let mut r = Reader::bounded(&bytes, 0);
        assert_eq!(r.u16("n").unwrap(), 5);
        let mut keys = Vec::new();
        for _ in 0..5 {
            keys.push(String::from_utf8(r.u16_prefixed("k").unwrap().to_vec()).unwrap());
            r.u16_prefixed("v").unwrap();
        }
        assert_eq!(keys, ["\u{1}\u{2}\u{3}", "a", "b", "é", "ключ"]);
        assert_eq!(EncryptionContext::parse(&bytes, 0).unwrap(), c);
    }

    #[test]
    fn malformed_contexts_are_rejected() {
        // Zero count, duplicate key, trailing bytes, truncated value, invalid UTF-8.
        for bad in [
            &[0u8, 0][..],
            &[0, 2, 0, 1, b'a', 0, 0, 0, 1, b'a', 0, 0],
            &[0, 1, 0, 1, b'a', 0, 0, 9],
            &[0, 1, 0, 1, b'a', 0, 5, b'x'],
            &[0, 1, 0, 1, 0xff, 0, 0],
        ] {
            assert!(EncryptionContext::parse(bad, 0).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn reserved_prefix_is_refused() {
        assert!(ec(&[("aws-crypto-public-key", "x")]).check_no_reserved_keys().is_err());
        assert!(ec(&[("aws-cryptography", "x")]).check_no_reserved_keys().is_ok());
    }
}
