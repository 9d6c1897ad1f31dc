//! Criterion bench of the ESDK engine: MB/s (criterion's throughput) for one-shot and streaming
//! encryption and decryption, suites 0x0478 (no signature) and 0x0578 (ECDSA P-384), frame 4096,
//! beside raw AES-256-GCM one-shot over the same bytes. Every message is checked to decrypt to its
//! plaintext before anything is timed.

use aes_gcm::aead::{AeadInOut, KeyInit};
use aes_gcm::{Aes256Gcm, Key};
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use secplay::crypto::esdk::json as esdk;
use secplay_bench_esdk::{decrypt_options, encrypt_options, plaintext};
use std::hint::black_box;

const SIZES: [(usize, &str); 3] = [(1 << 10, "1KiB"), (1 << 20, "1MiB"), (100 << 20, "100MiB")];

fn bench(c: &mut Criterion) {
    for suite in [0x0478u16, 0x0578] {
        let opts = encrypt_options(suite);
        let dopts = decrypt_options();
        let mut g = c.benchmark_group(format!("esdk-0x{suite:04x}"));
        for (len, name) in SIZES {
            let data = plaintext(len);
            let message = esdk::encrypt(&data, &opts).expect("encrypt");
            assert_eq!(esdk::decrypt(&message, &dopts).expect("decrypt").0, data, "round trip {name}");
            g.throughput(Throughput::Bytes(len as u64));
            g.sample_size(if len > 1 << 20 { 10 } else { 30 });
            g.bench_with_input(BenchmarkId::new("encrypt", name), &data, |b, d| {
                b.iter(|| esdk::encrypt(black_box(d), &opts).expect("encrypt"))
            });
            g.bench_with_input(BenchmarkId::new("decrypt", name), &message, |b, m| {
                b.iter(|| esdk::decrypt(black_box(m), &dopts).expect("decrypt"))
            });
            if len > 1 << 20 {
                // Streaming in 1 MiB slices, the way the page's worker reads a file.
                g.bench_with_input(BenchmarkId::new("stream-decrypt", name), &message, |b, m| {
                    b.iter(|| {
                        let mut d = esdk::decryptor(&dopts).expect("decryptor");
                        let mut out = Vec::with_capacity(1 << 21);
                        let mut n = 0usize;
                        for chunk in m.chunks(1 << 20) {
                            d.update_into(chunk, &mut out).expect("update");
                            n += out.len();
                            out.clear();
                        }
                        n + d.finish().expect("finish").len()
                    })
                });
            }
        }
        g.finish();
    }
    let mut g = c.benchmark_group("aes-256-gcm-raw");
    let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from([7u8; 32]));
    let nonce = [0u8; 12];
    for (len, name) in SIZES {
        let mut buf = plaintext(len);
        g.throughput(Throughput::Bytes(len as u64));
        g.sample_size(if len > 1 << 20 { 10 } else { 30 });
        g.bench_function(BenchmarkId::new("seal", name), |b| {
            b.iter(|| {
                cipher.encrypt_inout_detached((&nonce).into(), b"", buf.as_mut_slice().into()).expect("seal")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
