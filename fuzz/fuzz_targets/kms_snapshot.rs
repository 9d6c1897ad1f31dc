//! Arbitrary bytes as a KMS world snapshot: `restore` answers (mostly with an error) and never
//! panics. The same bytes are also tried as the snapshot's JSON payload inside a correct header
//! and checksum, so mutations reach the world reader rather than dying at the checksum; a world
//! that loads snapshots and restores to the same bytes, and answers a call and a clock step.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secplay::kms::snapshot::{restore, snapshot, MAGIC, VERSION};
use secplay::kms::{advance_clock, call};
use serde_json::json;
use sha2::{Digest, Sha256};

fn framed(payload: &[u8]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&VERSION.to_be_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    out.extend_from_slice(payload);
    let digest = Sha256::digest(&out);
    out.extend_from_slice(&digest);
    out
}

fuzz_target!(|data: &[u8]| {
    let _ = restore(data);
    let Ok(mut w) = restore(&framed(data)) else { return };
    let first = snapshot(&w).expect("a restored world snapshots");
    let again = restore(&first).expect("its snapshot restores");
    assert_eq!(snapshot(&again).expect("snapshots again"), first, "snapshot ∘ restore is stable");
    let caller = w
        .accounts
        .keys()
        .next()
        .map(|a| format!("arn:aws:iam::{a}:role/Admin"))
        .unwrap_or_default();
    let _ = call(&mut w, "ListKeys", &json!({}), &json!(caller));
    if let Some(k) = w.keys.keys().next().cloned() {
        let _ = call(&mut w, "DescribeKey", &json!({"KeyId": k}), &json!(caller));
    }
    let _ = advance_clock(&mut w, 86_400);
});
