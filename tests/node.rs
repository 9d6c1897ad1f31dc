//! The shared engine cases compiled to wasm and run in Node 20 (`make test-wasm`): envelope, ESDK
//! vectors (WebCrypto and the pure-Rust fallback), the IAM corpus and the WAF cases. The same
//! modules run in headless Chromium and Firefox through `tests/web.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(target_arch = "wasm32")]

#[path = "shared/envelope_cases.rs"]
mod envelope_cases;

#[path = "shared/crypto_esdk_support.rs"]
mod support;

#[path = "shared/esdk_cases.rs"]
mod esdk_cases;

#[path = "shared/policy_cases.rs"]
mod policy_cases;

#[path = "shared/coraza_harness.rs"]
mod coraza_harness;
#[path = "shared/waf_cases.rs"]
mod waf_cases;
