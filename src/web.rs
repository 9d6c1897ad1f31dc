//! Browser services shared by the JS API and the yew app: wasm32 only, no domain logic.
//!
//! - [`webcrypto`]: key generation through `crypto.subtle`, which runs off the main thread.

pub mod webcrypto;
