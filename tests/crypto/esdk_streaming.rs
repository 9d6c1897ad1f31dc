//! Streaming: every vector pushed byte by byte and in random chunk sizes through the incremental
//! decryptor must give the one-shot outcome; memory stays bounded by one frame; a frame is
//! released only after its tag verifies; the signed-message policies behave as documented;
//! hostile headers are refused before anything large is buffered.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use crate::support;

use support::Rng;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use secplay::crypto::esdk::{
    AlgorithmSuite, CommitmentPolicy, DataKey, DecryptOptions, Decryptor, EncryptOptions, Encryptor,
    EsdkError, SignedMessagePolicy,
};
use secplay::crypto::keyring::RawAesKeyring;

fn stream(
    ciphertext: &[u8],
    test: &serde_json::Value,
    chunks: &mut dyn FnMut() -> usize,
) -> Result<Vec<u8>, EsdkError> {
    let keyring = support::keyring_for(test);
    let mut d = Decryptor::new(&*keyring, support::options_for(test));
    let mut out = Vec::new();
    let mut rest = ciphertext;
    while !rest.is_empty() {
        let n = chunks().clamp(1, rest.len());
        let (now, later) = rest.split_at(n);
        d.update_into(now, &mut out)?;
        rest = later;
    }
    out.extend(d.finish()?);
    Ok(out)
}

fn all_vectors(mut chunking: impl FnMut(usize) -> Box<dyn FnMut() -> usize>) {
    for (i, test) in support::manifest()["tests"].as_array().unwrap().iter().enumerate() {
        let ct = support::read(test["ciphertext"].as_str().unwrap());
        let mut c = chunking(i);
        support::check(test, stream(&ct, test, &mut *c));
    }
}

#[test]
fn every_vector_byte_by_byte() {
    all_vectors(|_| Box::new(|| 1));
}

#[test]
fn every_vector_in_random_chunks() {
    all_vectors(|i| {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1));
        Box::new(move || match rng.next() % 4 {
            0 => 1 + (rng.next() % 7) as usize,
            1 => 1 + (rng.next() % 300) as usize,
            2 => 1 + (rng.next() % 5000) as usize,
            _ => 4096,
        })
    });
}

fn aes_keyring() -> RawAesKeyring {
    RawAesKeyring::new("ns", "key", DataKey::new(vec![7u8; 32])).unwrap()
}

fn encrypt_streaming(suite: AlgorithmSuite, frame: u32, plaintext: &[u8]) -> Vec<u8> {
    let opts = EncryptOptions {
        suite: Some(suite),
        frame_length: frame,
        commitment_policy: if suite.is_committing() {
            CommitmentPolicy::RequireEncryptRequireDecrypt
        } else {
            CommitmentPolicy::ForbidEncryptAllowDecrypt
        },
        ..EncryptOptions::default()
    };
    let mut e = Encryptor::new(&aes_keyring(), &opts).unwrap();
    let mut out = Vec::new();
    for c in plaintext.chunks(10_000) {
        e.update_into(c, &mut out).unwrap();
    }
    out.extend(e.finish().unwrap());
    out
}

#[test]
fn memory_stays_bounded_by_one_frame() {
    let plaintext: Vec<u8> = (0..6_000_000u32).map(|i| (i * 31 % 251) as u8).collect();
    let frame = 4096u32;
    let ct = encrypt_streaming(AlgorithmSuite::Aes256GcmHkdfSha512CommitKey, frame, &plaintext);
    let kr = aes_keyring();
    let mut d = Decryptor::new(&kr, DecryptOptions::default());
    let mut out = Vec::new();
    let mut max_buffered = 0;
    for c in ct.chunks(1000) {
        out.extend(d.update(c).unwrap());
        max_buffered = max_buffered.max(d.buffered_len());
    }
    d.finish().unwrap();
    assert!(out == plaintext);
    // One frame plus its framing, plus at most one pushed chunk.
    assert!(max_buffered < frame as usize + 64 + 1000, "buffered up to {max_buffered} bytes");
}

#[test]
fn a_frame_is_released_only_after_its_tag() {
    let plaintext = vec![0x41u8; 100];
    let ct = encrypt_streaming(AlgorithmSuite::Aes256GcmHkdfSha512CommitKey, 64, &plaintext);
    let kr = aes_keyring();
    // The message: header, one full frame of 64 bytes, then the final frame of 36.
    let header_total = ct.len() - (4 + 12 + 64 + 16) - (4 + 4 + 12 + 4 + 36 + 16);
    let mut d = Decryptor::new(&kr, DecryptOptions::default());
    assert!(d.header().is_none(), "a header before any byte was read");
    // Find the first frame's end: header, then 4 + 12 + 64 + 16 bytes.
    let mut out = Vec::new();
    let mut released_at = None;
    for (i, b) in ct.iter().enumerate() {
        d.update_into(&[*b], &mut out).unwrap();
        if i + 1 < header_total {
            assert!(d.header().is_none(), "the header was read after only {} bytes of {header_total}", i + 1);
        } else {
            assert!(
                d.header().is_some(),
                "the header's {header_total} bytes were read but no header is known"
            );
        }
        if released_at.is_none() && !out.is_empty() {
            released_at = Some(i);
        }
    }
    d.finish().unwrap();
    // The first plaintext appears exactly when the last tag byte of frame 1 arrives.
    assert_eq!(released_at, Some(header_total + 4 + 12 + 64 + 16 - 1));
    assert_eq!(out, plaintext);
}

fn signed_message() -> Vec<u8> {
    encrypt_streaming(AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384, 32, &[9u8; 100])
}

#[test]
fn signed_release_mode_streams_and_checks_signature_at_the_end() {
    let mut ct = signed_message();
    let kr = aes_keyring();
    let mut d = Decryptor::new(&kr, DecryptOptions::default());
    assert_eq!(d.update(&ct).unwrap(), vec![9u8; 100]);
    d.finish().unwrap();
    let last = ct.len() - 1;
    ct[last] ^= 1;
    let mut d = Decryptor::new(&kr, DecryptOptions::default());
    let released = d.update(&ct[..ct.len() - 1]).unwrap();
    // Frames of 32: three regular frames are released, the 4-byte final frame waits.
    assert_eq!(released.len(), 96, "regular frames are released before the signature");
    let err = d.update(&ct[ct.len() - 1..]).unwrap_err();
    assert_eq!(err.code(), "SignatureInvalid");
}

#[test]
fn signed_buffer_mode_holds_plaintext_until_the_signature_verifies() {
    let ct = signed_message();
    let kr = aes_keyring();
    let opts = DecryptOptions {
        signed_messages: SignedMessagePolicy::BufferUntilVerified(1 << 20),
        ..DecryptOptions::default()
    };
    let mut d = Decryptor::new(&kr, opts.clone());
    assert!(d.update(&ct[..ct.len() - 1]).unwrap().is_empty());
    assert_eq!(d.update(&ct[ct.len() - 1..]).unwrap(), vec![9u8; 100]);
    d.finish().unwrap();
    // The cap is enforced.
    let small = DecryptOptions {
        signed_messages: SignedMessagePolicy::BufferUntilVerified(50),
        ..DecryptOptions::default()
    };
    let mut d = Decryptor::new(&kr, small);
    assert_eq!(d.update(&ct).unwrap_err().code(), "PolicyViolation");
}

#[test]
fn signed_reject_mode_refuses_signed_but_streams_unsigned() {
    let kr = aes_keyring();
    let opts =
        DecryptOptions { signed_messages: SignedMessagePolicy::RejectSigned, ..DecryptOptions::default() };
    let mut d = Decryptor::new(&kr, opts.clone());
    assert_eq!(d.update(&signed_message()).unwrap_err().code(), "PolicyViolation");
    let unsigned = encrypt_streaming(AlgorithmSuite::Aes256GcmHkdfSha512CommitKey, 32, &[1u8; 70]);
    let mut d = Decryptor::new(&kr, opts);
    assert_eq!(d.update(&unsigned).unwrap(), vec![1u8; 70]);
    d.finish().unwrap();
}

#[test]
fn errors_poison_the_stream_and_trailing_bytes_are_rejected() {
    let kr = aes_keyring();
    let mut ct = encrypt_streaming(AlgorithmSuite::Aes256GcmHkdfSha512CommitKey, 32, &[1u8; 70]);
    ct.push(0);
    let mut d = Decryptor::new(&kr, DecryptOptions::default());
    assert_eq!(d.update(&ct).unwrap_err().code(), "MalformedMessage");
    assert_eq!(d.update(b"x").unwrap_err().code(), "StreamClosed");
}

/// A v2 header with chosen frame length / EDK count, valid up to the point being tested.
fn hostile_v2_header(edk_count: u16, content_type: u8, frame_length: u32) -> Vec<u8> {
    let mut h = vec![2u8, 0x04, 0x78];
    h.extend_from_slice(&[0u8; 32]);
    h.extend_from_slice(&0u16.to_be_bytes());
    h.extend_from_slice(&edk_count.to_be_bytes());
    h.extend_from_slice(&[0, 2, b'n', b's', 0, 0, 0, 1, 0]);
    h.push(content_type);
    h.extend_from_slice(&frame_length.to_be_bytes());
    h
}

#[test]
fn hostile_lengths_are_refused_before_buffering() {
    let kr = aes_keyring();
    // 65535 EDKs with a limit of 10: refused on reading the count.
    let opts = DecryptOptions { max_encrypted_data_keys: Some(10), ..DecryptOptions::default() };
    let mut d = Decryptor::new(&kr, opts);
    assert_eq!(d.update(&hostile_v2_header(65535, 2, 4096)[..40]).unwrap_err().code(), "PolicyViolation");

    // A frame length of 4 GiB is refused as soon as the header is parsed (before key lookup).
    let mut h = hostile_v2_header(1, 2, u32::MAX);
    h.extend_from_slice(&[0u8; 48]);
    let mut d = Decryptor::new(&kr, DecryptOptions::default());
    assert_eq!(d.update(&h).unwrap_err().code(), "PolicyViolation");

    // A non-framed header must declare frame length 0.
    let mut d = Decryptor::new(&kr, DecryptOptions::default());
    assert_eq!(d.update(&hostile_v2_header(1, 1, 7)).unwrap_err().code(), "MalformedMessage");

    // Unknown version, unknown suite.
    let mut d = Decryptor::new(&kr, DecryptOptions::default());
    assert_eq!(d.update(&[3, 0]).unwrap_err().code(), "MalformedMessage");
    let mut d = Decryptor::new(&kr, DecryptOptions::default());
    assert_eq!(d.update(&[2, 0x09, 0x99]).unwrap_err().code(), "MalformedMessage");
}

#[test]
fn base64_input_is_recognised() {
    let kr = aes_keyring();
    for suite in
        [AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha256, AlgorithmSuite::Aes256GcmHkdfSha512CommitKeyEcdsaP384]
    {
        let ct = encrypt_streaming(suite, 64, b"hello");
        let text = B64.encode(&ct);
        let opts = DecryptOptions {
            commitment_policy: CommitmentPolicy::RequireEncryptAllowDecrypt,
            ..DecryptOptions::default()
        };
        let mut d = Decryptor::new(&kr, opts);
        let err = d.update(text.as_bytes()).unwrap_err();
        assert_eq!(err.code(), "Base64Input", "{err}");
        assert!(err.to_string().contains("decode it"));
    }
}

#[test]
fn encryptor_accepts_any_chunking_and_never_writes_an_empty_final_frame() {
    let kr = aes_keyring();
    let mut rng = Rng(42);
    for n in [0usize, 1, 63, 64, 65, 128, 1000, 4097] {
        for round in 0..4 {
            let plaintext: Vec<u8> = (0..n).map(|i| (i % 256) as u8).collect();
            let opts = EncryptOptions { frame_length: 64, ..EncryptOptions::default() };
            let mut e = Encryptor::new(&kr, &opts).unwrap();
            let mut ct = Vec::new();
            let mut rest = &plaintext[..];
            while !rest.is_empty() {
                let k = match round {
                    0 => 1,
                    1 => 64,
                    _ => (rng.next() % 150) as usize,
                }
                .min(rest.len());
                ct.extend(e.update(&rest[..k]).unwrap());
                rest = &rest[k..];
            }
            ct.extend(e.finish().unwrap());
            let v = secplay::crypto::esdk::json::inspect(&ct).unwrap();
            assert_eq!(v["body"]["units"], n.div_ceil(64).max(1), "n={n} round={round}");
            let last = if n == 0 { 0 } else { (n - 1) % 64 + 1 };
            assert_eq!(v["body"]["finalFrameLength"], last, "n={n} round={round}");
            let mut d = Decryptor::new(&kr, DecryptOptions::default());
            let mut out = d.update(&ct).unwrap();
            out.extend(d.finish().unwrap());
            assert_eq!(out, plaintext);
        }
    }
}
