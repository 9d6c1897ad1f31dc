//! Browser services shared by the JS API and the yew app: wasm32 only, no domain logic.
//!
//! - [`webcrypto`]: key generation through `crypto.subtle`, which runs off the main thread.
//! - [`esdk_aead`]: the ESDK's frame AES-GCM through `crypto.subtle`, a batch of frames in flight.
//! - [`keystore_idb`]: the key store's IndexedDB backend and PBKDF2 through `crypto.subtle`.
//! - [`keystore_sync`]: the key store's `BroadcastChannel` between tabs.
//! - [`hash_worker`] / [`hash_slices`]: the ESDK signature's hash in a worker, or on the calling
//!   thread a slice per task; [`yield_now`]: a turn of the event loop between such slices.

pub mod esdk_aead;
pub mod hash_slices;
pub mod hash_worker;
pub mod keystore_idb;
pub mod keystore_sync;
pub mod webcrypto;
pub mod yield_now;
