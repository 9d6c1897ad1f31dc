//! AES key wrap with padding (RFC 5649), the second half of KMS's `RSA_AES_KEY_WRAP_SHA_*`
//! wrapping algorithms (OpenSSL's `id-aes256-wrap-pad`): the key material is wrapped under an
//! ephemeral AES key, which is itself wrapped with RSAES-OAEP.
//!
//! Over the block cipher of the `aes` crate (re-exported by `aes-gcm`), with 128-, 192- and
//! 256-bit wrapping keys (the RFC's own vectors use 192 bits; KMS uses 256). Unwrapping fails with
//! one opaque error for every reason, so it is no oracle. Not constant-time in the length of the
//! input, which is public.

use aes_gcm::aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, KeyInit};
use aes_gcm::aes::{Aes128, Aes192, Aes256, Block};
use zeroize::Zeroizing;

/// The alternative initial value's constant half (RFC 5649 section 3).
const AIV: [u8; 4] = [0xA6, 0x59, 0x59, 0xA6];
/// The largest key material this module unwraps (KMS imports at most 4,096-bit keys).
pub const MAX_PLAINTEXT: usize = 8192;

/// Wrapping or unwrapping failed: a wrong key, damaged bytes or a bad length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KwpError;

enum Kek {
    A128(Aes128),
    A192(Aes192),
    A256(Aes256),
}

impl Kek {
    fn new(key: &[u8]) -> Result<Kek, KwpError> {
        match key.len() {
            16 => Aes128::new_from_slice(key).map(Kek::A128).map_err(|_| KwpError),
            24 => Aes192::new_from_slice(key).map(Kek::A192).map_err(|_| KwpError),
            32 => Aes256::new_from_slice(key).map(Kek::A256).map_err(|_| KwpError),
            _ => Err(KwpError),
        }
    }

    fn encrypt(&self, b: &mut [u8; 16]) {
        let mut block = Block::from(*b);
        match self {
            Kek::A128(k) => k.encrypt_block(&mut block),
            Kek::A192(k) => k.encrypt_block(&mut block),
            Kek::A256(k) => k.encrypt_block(&mut block),
        }
        b.copy_from_slice(&block);
    }

    fn decrypt(&self, b: &mut [u8; 16]) {
        let mut block = Block::from(*b);
        match self {
            Kek::A128(k) => k.decrypt_block(&mut block),
            Kek::A192(k) => k.decrypt_block(&mut block),
            Kek::A256(k) => k.decrypt_block(&mut block),
        }
        b.copy_from_slice(&block);
    }
}

fn join(a: &[u8; 8], r: &[u8; 8]) -> [u8; 16] {
    let mut b = [0u8; 16];
    let (x, y) = b.split_at_mut(8);
    x.copy_from_slice(a);
    y.copy_from_slice(r);
    b
}

fn split(b: &[u8; 16]) -> ([u8; 8], [u8; 8]) {
    let (mut a, mut r) = ([0u8; 8], [0u8; 8]);
    let (x, y) = b.split_at(8);
    a.copy_from_slice(x);
    r.copy_from_slice(y);
    (a, r)
}

fn xor_t(a: &mut [u8; 8], t: u64) {
    for (x, y) in a.iter_mut().zip(t.to_be_bytes()) {
        *x ^= y;
    }
}

/// Wraps `plaintext` (1 to [`MAX_PLAINTEXT`] bytes) under `kek`.
pub fn wrap(kek: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, KwpError> {
    if plaintext.is_empty() || plaintext.len() > MAX_PLAINTEXT {
        return Err(KwpError);
    }
    let k = Kek::new(kek)?;
    let mli = u32::try_from(plaintext.len()).map_err(|_| KwpError)?;
    let mut a = [0u8; 8];
    let (x, y) = a.split_at_mut(4);
    x.copy_from_slice(&AIV);
    y.copy_from_slice(&mli.to_be_bytes());
    let mut r: Vec<[u8; 8]> = plaintext
        .chunks(8)
        .map(|c| {
            let mut s = [0u8; 8];
            for (d, b) in s.iter_mut().zip(c) {
                *d = *b;
            }
            s
        })
        .collect();
    if let [only] = r.as_slice() {
        let mut b = join(&a, only);
        k.encrypt(&mut b);
        return Ok(b.to_vec());
    }
    let n = r.len() as u64;
    for j in 0..6u64 {
        for (i, ri) in r.iter_mut().enumerate() {
            let mut b = join(&a, ri);
            k.encrypt(&mut b);
            let (na, nr) = split(&b);
            a = na;
            xor_t(&mut a, n * j + i as u64 + 1);
            *ri = nr;
        }
    }
    let mut out = a.to_vec();
    for ri in &r {
        out.extend_from_slice(ri);
    }
    Ok(out)
}

/// Unwraps what [`wrap`] (or OpenSSL's `id-aes*-wrap-pad`) made.
pub fn unwrap(kek: &[u8], ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, KwpError> {
    if ciphertext.len() < 16 || !ciphertext.len().is_multiple_of(8) || ciphertext.len() > MAX_PLAINTEXT + 16 {
        return Err(KwpError);
    }
    let k = Kek::new(kek)?;
    let mut blocks = ciphertext.chunks_exact(8).map(|c| {
        let mut s = [0u8; 8];
        s.copy_from_slice(c);
        s
    });
    let mut a = blocks.next().ok_or(KwpError)?;
    let mut r: Zeroizing<Vec<[u8; 8]>> = Zeroizing::new(blocks.collect());
    if let [only] = r.as_mut_slice() {
        let mut b = join(&a, only);
        k.decrypt(&mut b);
        (a, *only) = split(&b);
        b.fill(0);
    } else {
        let n = r.len() as u64;
        for j in (0..6u64).rev() {
            for (i, ri) in r.iter_mut().enumerate().rev() {
                xor_t(&mut a, n * j + i as u64 + 1);
                let mut b = join(&a, ri);
                k.decrypt(&mut b);
                (a, *ri) = split(&b);
                b.fill(0);
            }
        }
    }
    let (head, len) = a.split_at(4);
    let mut mli = [0u8; 4];
    mli.copy_from_slice(len);
    let mli = usize::try_from(u32::from_be_bytes(mli)).map_err(|_| KwpError)?;
    let total = r.len() * 8;
    if head != AIV || mli > total || mli + 8 <= total || mli == 0 {
        return Err(KwpError);
    }
    let mut out = Zeroizing::new(Vec::with_capacity(total));
    for ri in r.iter() {
        out.extend_from_slice(ri);
    }
    if out.get(mli..).is_none_or(|pad| pad.iter().any(|b| *b != 0)) {
        return Err(KwpError);
    }
    out.truncate(mli);
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// RFC 5649 section 6, both vectors (192-bit KEK).
    #[test]
    fn rfc5649_vectors() {
        let kek = h("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8");
        let cases = [
            (
                "c37b7e6492584340bed12207808941155068f738",
                "138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a",
            ),
            ("466f7250617369", "afbeb0f07dfbf5419200f2ccb50bb24f"),
        ];
        for (key, wrapped) in cases {
            assert_eq!(wrap(&kek, &h(key)).unwrap(), h(wrapped), "wrap of {key}");
            assert_eq!(
                unwrap(&kek, &h(wrapped)).unwrap().as_slice(),
                h(key).as_slice(),
                "unwrap of {wrapped}"
            );
        }
    }

    #[test]
    fn round_trips_and_rejects_damage() {
        let kek = [7u8; 32];
        for n in [1usize, 7, 8, 9, 16, 32, 33, 256] {
            let p: Vec<u8> = (0..n).map(|i| i as u8).collect();
            let c = wrap(&kek, &p).unwrap();
            assert_eq!(unwrap(&kek, &c).unwrap().as_slice(), p.as_slice(), "length {n}");
            let mut bad = c.clone();
            bad[c.len() - 1] ^= 1;
            assert_eq!(unwrap(&kek, &bad), Err(KwpError), "damaged, length {n}");
            assert_eq!(unwrap(&[8u8; 32], &c), Err(KwpError), "wrong key, length {n}");
        }
        assert_eq!(unwrap(&kek, &[0u8; 8]), Err(KwpError));
        assert_eq!(unwrap(&kek, &[0u8; 20]), Err(KwpError));
        assert_eq!(wrap(&kek, &[]), Err(KwpError));
        assert_eq!(wrap(&[0u8; 5], b"x"), Err(KwpError));
    }
}
