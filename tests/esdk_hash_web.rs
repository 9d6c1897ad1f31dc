//! The ESDK signature's hash in headless Chromium and Firefox (`make test-wasm` runs it in each;
//! alone: `cargo test --target wasm32-unknown-unknown --test esdk_hash_web` with CHROMEDRIVER set): the same bytes, fed in
//! uneven pieces, give the same SHA-256 / SHA-384 digest through the hash worker
//! (`web/hash_worker.rs`), through the calling thread's hash a slice per task
//! (`web/hash_slices.rs`) and through the engine's own hash; and the sliced hash gives the event
//! loop a turn between slices during a Promise-returning call, but none during a synchronous one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;

use secplay::crypto::esdk::aead::complete_now;
use secplay::crypto::esdk::signature::SignedBytesHash;
use secplay::crypto::esdk::suite::SignatureAlgorithm;
use secplay::web::hash_slices::{SlicedHashPlan, SLICE};
use secplay::web::hash_worker::HashPlan;
use secplay::web::yield_now::yield_now;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const ALGS: [SignatureAlgorithm; 2] =
    [SignatureAlgorithm::EcdsaP256Sha256, SignatureAlgorithm::EcdsaP384Sha384];

/// Lengths around the slice (and the worker's 1 MiB buffer) boundaries.
fn lengths() -> [usize; 6] {
    [0, 1, SLICE - 1, SLICE, SLICE + 1, 3 * SLICE + 17]
}

fn bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i.wrapping_mul(131) ^ (i >> 11)) as u8).collect()
}

/// Uneven pieces, as windows and frames arrive: 1 byte, then 700,001, then the rest.
fn pieces(b: &[u8]) -> Vec<&[u8]> {
    let (a, rest) = b.split_at(b.len().min(1));
    let (c, d) = rest.split_at(rest.len().min(700_001));
    vec![a, c, d]
}

fn engine_digest(alg: SignatureAlgorithm, b: &[u8]) -> Vec<u8> {
    let mut h = SignedBytesHash::new(alg);
    h.update(b);
    h.finish()
}

/// The digest through the sliced hash during a Promise-returning call: everything queued, then
/// hashed a slice per task.
async fn sliced_digest(alg: SignatureAlgorithm, b: &[u8]) -> Vec<u8> {
    let plan = SlicedHashPlan::new();
    let mut h = (plan.factory())(alg).unwrap();
    plan.defer(true);
    for p in pieces(b) {
        h.update(p);
        plan.catch_up().await;
    }
    h.digest().await.unwrap()
}

#[wasm_bindgen_test]
async fn sliced_worker_and_engine_hashes_agree() {
    let mut worker_ran = 0;
    for alg in ALGS {
        for len in lengths() {
            let b = bytes(len);
            let want = engine_digest(alg, &b);
            assert_eq!(sliced_digest(alg, &b).await, want, "{alg:?} {len} B in slices");
            // The worker, where this runner lets one start (a blob: worker from this module).
            if let Some(plan) = HashPlan::prepare().await {
                let mut h = (plan.factory())(alg).unwrap();
                for p in pieces(&b) {
                    h.update(p);
                    plan.backlog().await;
                }
                assert_eq!(h.digest().await.unwrap(), want, "{alg:?} {len} B in a worker");
                worker_ran += 1;
            }
        }
    }
    console_log!("hash digests agree; {worker_ran} of them also through a worker");
}

#[wasm_bindgen_test]
async fn a_plan_hashes_one_message_only() {
    let plan = SlicedHashPlan::new();
    let mut make = plan.factory();
    assert!(make(SignatureAlgorithm::EcdsaP384Sha384).is_some());
    assert!(make(SignatureAlgorithm::EcdsaP384Sha384).is_none(), "a second message would share the hash");
}

#[wasm_bindgen_test]
async fn the_event_loop_turns_between_slices() {
    let alg = SignatureAlgorithm::EcdsaP384Sha384;
    let b = bytes(4 * SLICE);
    let plan = SlicedHashPlan::new();
    let mut h = (plan.factory())(alg).unwrap();
    plan.defer(true);
    h.update(&b);
    // Another task that counts its turns while the hash runs.
    let turns = Rc::new(Cell::new(0u32));
    let done = Rc::new(Cell::new(false));
    let (t, d) = (Rc::clone(&turns), Rc::clone(&done));
    wasm_bindgen_futures::spawn_local(async move {
        while !d.get() {
            yield_now().await;
            t.set(t.get() + 1);
        }
    });
    plan.catch_up().await;
    done.set(true);
    // Four slices: three turns between them, each one the counter's chance to run.
    assert!(turns.get() >= 2, "only {} turns of the event loop during four slices", turns.get());
    assert_eq!(h.digest().await.unwrap(), engine_digest(alg, &b));
}

#[wasm_bindgen_test]
fn a_synchronous_call_hashes_at_once() {
    let alg = SignatureAlgorithm::EcdsaP256Sha256;
    let b = bytes(3 * SLICE + 17);
    // Queued during a Promise-returning call, more than a slice: the digest has to wait its turns.
    let plan = SlicedHashPlan::new();
    let mut h = (plan.factory())(alg).unwrap();
    plan.defer(true);
    h.update(&b);
    assert!(complete_now(h.digest()).is_err(), "the digest of 3 MiB queued did not wait for a turn");
    // During a synchronous call (which cannot wait) everything is hashed at once, anything queued
    // before included, and the digest is ready without a turn.
    let plan = SlicedHashPlan::new();
    let mut h = (plan.factory())(alg).unwrap();
    plan.defer(true);
    h.update(&b[..SLICE * 2]);
    plan.defer(false);
    h.update(&b[SLICE * 2..]);
    assert_eq!(complete_now(h.digest()).unwrap().unwrap(), engine_digest(alg, &b));
}
