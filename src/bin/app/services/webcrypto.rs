//! RSA key generation for the pages: WebCrypto's `generateKey` (off the main thread, through
//! `secplay::web::webcrypto`) run as a task of the page, its answer and duration handed to a
//! callback that dispatches it. I/O only; the key is the engine's `KeyPair`, or for the KMS page
//! a key supplied to the KMS engine's pool (`secplay::kms::material::supply`).

use std::collections::BTreeMap;

use secplay::crypto::envelope::KeyPair;
use secplay::kms::material::{supply, KeyMaterial, KeySpec};
use secplay::web::webcrypto::{generate_rsa_key_pair, WebCryptoError};

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Generates an RSA-OAEP key pair of `bits` and calls `done` with it (or why not) and the
/// milliseconds it took.
pub fn generate_rsa(bits: usize, done: impl FnOnce(Result<KeyPair, WebCryptoError>, f64) + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        let start = now_ms();
        let result = generate_rsa_key_pair(bits).await;
        done(result, now_ms() - start);
    });
}

/// Makes an RSA key of each spec with WebCrypto, one after the other (one key per task), handing
/// each PKCS #8 key to `take`; stops at the first that could not be made or taken, and says why.
async fn each_kms_key(
    specs: impl IntoIterator<Item = KeySpec>,
    mut take: impl FnMut(KeySpec, &[u8]) -> Result<(), String>,
) -> Result<(), String> {
    for spec in specs {
        let Some(bits) = supply::modulus_bits(spec) else {
            return Err(format!("{} keys are not made with WebCrypto", spec.as_str()));
        };
        let der = secplay::web::webcrypto::generate_rsa_pkcs8(bits).await.map_err(|e| e.to_string())?;
        take(spec, &der)?;
    }
    Ok(())
}

/// Makes the KMS keys of `specs` (RSA) with WebCrypto and supplies each to the KMS engine's pool;
/// then calls `done` with why one could not be made, if one could not.
pub fn make_kms_keys(specs: Vec<KeySpec>, done: impl FnOnce(Result<(), String>) + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        done(
            each_kms_key(specs, |spec, der| supply::supply(spec, der).map(|_| ()).map_err(|e| e.to_string()))
                .await,
        );
    });
}

/// Makes the RSA material versions a shared KMS world needs (`secplay::kms::share::Bare::slow`)
/// with WebCrypto, each read as the engine reads PKCS #8 as it arrives; then calls `done` with
/// them by material id, or why one could not be made.
pub fn make_kms_materials(
    needs: Vec<(String, KeySpec)>,
    done: impl FnOnce(Result<BTreeMap<String, KeyMaterial>, String>) + 'static,
) {
    wasm_bindgen_futures::spawn_local(async move {
        let mut made = BTreeMap::new();
        let mut ids = needs.iter().map(|(id, _)| id.clone());
        let result = each_kms_key(needs.iter().map(|(_, spec)| *spec), |spec, der| {
            let material = KeyMaterial::from_bytes(spec, der).map_err(|e| e.to_string())?;
            if let Some(id) = ids.next() {
                made.insert(id, material);
            }
            Ok(())
        })
        .await;
        done(result.map(|()| made));
    });
}
