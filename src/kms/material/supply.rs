//! Key material made elsewhere: the seam through which a caller that cannot afford to make slow
//! material on its own thread (the page: RSA key generation takes hundreds of milliseconds to
//! seconds in wasm) supplies it ahead of the call that needs it.
//!
//! Outside [`drawing`] nothing changes: [`super::KeyMaterial::generate`] makes every key in place,
//! as natively, in the JS API and in the notes. Inside [`drawing`], a key of a slow spec
//! ([`is_slow`]) is taken from this thread's pool instead; when the pool has none, `generate`
//! fails with [`MaterialError::NotReady`] and `drawing` reports every slow spec the call asked
//! for, so the caller throws the attempt away, has the material made (the page: WebCrypto's
//! `generateKey`, off its thread), [`supply`]s it and runs the call again.
//!
//! Why a pool filled by WebCrypto and not the whole KMS world in a worker: the page reads the
//! world synchronously everywhere (keys, audit log, cost, templates, the snapshot it keeps), so a
//! world in a worker would make every one of those reads a message; key generation is the only
//! slow step (measured: see [`is_slow`]), and WebCrypto already
//! makes RSA keys off the thread for the envelope and ESDK pages (`secplay::web::webcrypto`).
//!
//! Material is real and used once: what is drawn leaves the pool (a thrown-away attempt's key is
//! dropped and zeroized, never offered again), supplied bytes are checked like a snapshot's
//! (PKCS #8, the spec's exact modulus size), and the pool holds at most [`MAX_POOLED`] keys a spec.
//! This is not what this is: a cache of keys made ahead to be handed out twice.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::{KeyMaterial, KeySpec, MaterialError};

/// The most keys of one spec the pool holds.
pub const MAX_POOLED: usize = 8;

#[derive(Default)]
struct Supply {
    /// Whether calls on this thread draw slow material from the pool (inside [`drawing`]).
    drawing: bool,
    pool: BTreeMap<KeySpec, Vec<KeyMaterial>>,
    /// Every slow spec asked for inside the current [`drawing`], drawn or not.
    asked: Vec<KeySpec>,
    /// Whether one of them was missing.
    short: bool,
}

thread_local! {
    static SUPPLY: RefCell<Supply> = RefCell::new(Supply::default());
}

/// The specs whose keys are too slow to make on a page's thread: RSA. (In Chromium an RSA_2048
/// scenario step took 236–353 ms on the page's thread. CreateKey through the JS package in Node,
/// 2026-12-03, load average 8 on 2 cores: RSA_2048 1.2 s, RSA_3072 2.1 s, RSA_4096 11.4 s, one
/// each; median of 5, ML-DSA 0.9–2.2 ms, ML-KEM 0.2–0.3 ms, ECC P-256 to P-521, secp256k1 and
/// Ed25519 0.1–0.4 ms, HMAC and AES 0.3 ms.)
pub fn is_slow(spec: KeySpec) -> bool {
    matches!(spec, KeySpec::Rsa2048 | KeySpec::Rsa3072 | KeySpec::Rsa4096)
}

/// The modulus size of a slow spec's keys, in bits (what to ask WebCrypto for).
pub fn modulus_bits(spec: KeySpec) -> Option<usize> {
    super::rsa_bits(spec)
}

/// Restores the state before [`drawing`] even if the call unwinds.
struct Scope {
    was_drawing: bool,
    outer_asked: Vec<KeySpec>,
    outer_short: bool,
}

impl Drop for Scope {
    fn drop(&mut self) {
        SUPPLY.with(|s| {
            let mut s = s.borrow_mut();
            s.drawing = self.was_drawing;
            let inner = std::mem::replace(&mut s.asked, std::mem::take(&mut self.outer_asked));
            // A nested scope's requests are its outer scope's too.
            s.asked.extend(inner);
            s.short |= self.outer_short;
        });
    }
}

/// Runs `call` drawing slow material from the pool. Returns its result and, when the pool was
/// short, every slow spec the call asked for (drawn or not: the caller throws the attempt away,
/// and with it what it drew); empty when every key it needed was there.
pub fn drawing<R>(call: impl FnOnce() -> R) -> (R, Vec<KeySpec>) {
    let (was_drawing, outer_asked, outer_short) = SUPPLY.with(|s| {
        let mut s = s.borrow_mut();
        let was = s.drawing;
        s.drawing = true;
        (was, std::mem::take(&mut s.asked), std::mem::replace(&mut s.short, false))
    });
    let scope = Scope { was_drawing, outer_asked, outer_short };
    let result = call();
    let wanted = SUPPLY.with(|s| {
        let s = s.borrow();
        if s.short {
            s.asked.clone()
        } else {
            Vec::new()
        }
    });
    drop(scope);
    (result, wanted)
}

/// The keys still to make before a call that asked for `wanted` can run: `wanted` less what the
/// pool holds, spec by spec.
pub fn to_make(wanted: &[KeySpec]) -> Vec<KeySpec> {
    let mut have: BTreeMap<KeySpec, usize> = BTreeMap::new();
    SUPPLY.with(|s| {
        for (spec, keys) in &s.borrow().pool {
            have.insert(*spec, keys.len());
        }
    });
    let mut out = Vec::new();
    for spec in wanted {
        match have.get_mut(spec) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(*spec),
        }
    }
    out
}

/// Adds a key of `spec` made elsewhere, as PKCS #8 DER (WebCrypto's `exportKey("pkcs8")`): checked
/// as a snapshot's material is. Refused for a spec that is not slow, and when the pool is full.
/// Returns how many keys of `spec` the pool holds.
pub fn supply(spec: KeySpec, pkcs8: &[u8]) -> Result<usize, MaterialError> {
    if !is_slow(spec) {
        return Err(MaterialError::InvalidKeyMaterial("only rsa keys are made elsewhere and supplied"));
    }
    let material = KeyMaterial::from_bytes(spec, pkcs8)?;
    SUPPLY.with(|s| {
        let mut s = s.borrow_mut();
        let keys = s.pool.entry(spec).or_default();
        if keys.len() >= MAX_POOLED {
            return Err(MaterialError::InvalidKeyMaterial("the pool of keys made elsewhere is full"));
        }
        keys.push(material);
        Ok(keys.len())
    })
}

/// How many keys of `spec` the pool holds.
pub fn pooled(spec: KeySpec) -> usize {
    SUPPLY.with(|s| s.borrow().pool.get(&spec).map_or(0, Vec::len))
}

/// For [`KeyMaterial::generate`]: `None` to make the key in place; inside [`drawing`], for a slow
/// spec, the pool's key (taken out of it) or `NotReady`.
pub(super) fn draw(spec: KeySpec) -> Option<Result<KeyMaterial, MaterialError>> {
    if !is_slow(spec) {
        return None;
    }
    SUPPLY.with(|s| {
        let mut s = s.borrow_mut();
        if !s.drawing {
            return None;
        }
        s.asked.push(spec);
        match s.pool.get_mut(&spec).and_then(Vec::pop) {
            Some(material) => Some(Ok(material)),
            None => {
                s.short = true;
                Some(Err(MaterialError::NotReady(spec.as_str())))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rsa_2048_der() -> Vec<u8> {
        KeyMaterial::generate(KeySpec::Rsa2048).unwrap().to_bytes().to_vec()
    }

    #[test]
    fn outside_drawing_every_key_is_made_in_place() {
        assert_eq!(pooled(KeySpec::Rsa2048), 0);
        let m = KeyMaterial::generate(KeySpec::Rsa2048).unwrap();
        assert_eq!(m.spec(), KeySpec::Rsa2048);
        let (m, wanted) = drawing(|| KeyMaterial::generate(KeySpec::EccNistP521));
        assert_eq!(m.unwrap().spec(), KeySpec::EccNistP521, "a fast spec is made in place while drawing");
        assert!(wanted.is_empty());
    }

    #[test]
    fn a_short_pool_fails_the_call_and_names_every_slow_key_it_asked_for() {
        supply(KeySpec::Rsa2048, &rsa_2048_der()).unwrap();
        let (r, wanted) = drawing(|| {
            let a = KeyMaterial::generate(KeySpec::Rsa2048);
            let b = KeyMaterial::generate(KeySpec::Rsa4096);
            (a.is_ok(), b)
        });
        assert!(r.0, "the pooled key was drawn");
        assert_eq!(r.1.unwrap_err(), MaterialError::NotReady("RSA_4096"));
        assert_eq!(wanted, vec![KeySpec::Rsa2048, KeySpec::Rsa4096]);
        assert_eq!(pooled(KeySpec::Rsa2048), 0, "what an attempt drew is gone, never offered again");
        assert_eq!(to_make(&wanted), wanted);
    }

    #[test]
    fn a_supplied_key_is_drawn_once() {
        let der = rsa_2048_der();
        assert_eq!(supply(KeySpec::Rsa2048, &der).unwrap(), 1);
        assert_eq!(to_make(&[KeySpec::Rsa2048, KeySpec::Rsa2048]), vec![KeySpec::Rsa2048]);
        let (m, wanted) = drawing(|| KeyMaterial::generate(KeySpec::Rsa2048));
        assert!(wanted.is_empty());
        assert_eq!(m.unwrap().to_bytes().as_slice(), der.as_slice(), "the supplied key itself");
        let (m, wanted) = drawing(|| KeyMaterial::generate(KeySpec::Rsa2048));
        assert_eq!(m.unwrap_err(), MaterialError::NotReady("RSA_2048"), "and only once");
        assert_eq!(wanted, vec![KeySpec::Rsa2048]);
    }

    #[test]
    fn supplied_bytes_are_checked_and_the_pool_is_bounded() {
        let der = rsa_2048_der();
        assert!(supply(KeySpec::Rsa3072, &der).is_err(), "a 2048-bit key is not an RSA_3072 key");
        assert!(supply(KeySpec::Rsa2048, b"not a key").is_err());
        assert!(supply(KeySpec::EccNistP256, &der).is_err(), "only slow specs are supplied");
        for n in 1..=MAX_POOLED {
            assert_eq!(supply(KeySpec::Rsa2048, &der).unwrap(), n);
        }
        assert!(supply(KeySpec::Rsa2048, &der).is_err(), "a full pool refuses more");
        assert_eq!(pooled(KeySpec::Rsa2048), MAX_POOLED);
    }

    #[test]
    fn nested_drawing_reports_to_the_outer_call() {
        let ((inner, inner_wanted), outer_wanted) =
            drawing(|| drawing(|| KeyMaterial::generate(KeySpec::Rsa3072).is_err()));
        assert!(inner);
        assert_eq!(inner_wanted, vec![KeySpec::Rsa3072]);
        assert_eq!(outer_wanted, vec![KeySpec::Rsa3072]);
        let m = KeyMaterial::generate(KeySpec::Rsa2048);
        assert!(m.is_ok(), "after the scope, keys are made in place again");
    }
}
