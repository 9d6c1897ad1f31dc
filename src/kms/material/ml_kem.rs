//! ML-KEM keys (ML_KEM_512/768/1024, FIPS 203): Encapsulate (a fresh 32-byte shared secret and its
//! ciphertext, under the public key) and Decapsulate (the shared secret back, with the private key).
//!
//! The key is kept as its 64-byte seed (d ‖ z), as FIPS 203 allows. A ciphertext of the right size
//! that was not made for this key decapsulates to an unrelated secret (implicit rejection), as in
//! the standard; one of the wrong size is an invalid ciphertext.

use ml_kem::Decapsulate;
use ml_kem::{DecapsulationKey, EncapsulationKey, MlKem1024, MlKem512, MlKem768, B32};
use zeroize::Zeroizing;

use super::MaterialError;

macro_rules! level {
    ($module:ident, $params:ty) => {
        pub(super) mod $module {
            use super::*;

            pub(crate) type Key = Box<DecapsulationKey<$params>>;

            pub(crate) fn from_seed(seed: &[u8]) -> Result<Key, MaterialError> {
                let seed: ml_kem::Seed = seed
                    .try_into()
                    .map_err(|_| MaterialError::InvalidKeyMaterial("an ml-kem seed is 64 bytes"))?;
                Ok(Box::new(DecapsulationKey::<$params>::from_seed(seed)))
            }

            pub(crate) fn generate() -> Result<Key, MaterialError> {
                let mut seed = Zeroizing::new([0u8; 64]);
                getrandom::fill(seed.as_mut()).map_err(|_| MaterialError::Random)?;
                from_seed(seed.as_slice())
            }

            pub(crate) fn to_bytes(key: &Key) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
                let seed = Zeroizing::new(
                    key.to_seed().ok_or(MaterialError::Internal("ml-kem key without a seed"))?,
                );
                Ok(Zeroizing::new(seed.to_vec()))
            }

            pub(crate) fn to_pkcs8(key: &Key) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
                use pkcs8::EncodePrivateKey;
                let doc =
                    key.to_pkcs8_der().map_err(|_| MaterialError::Internal("ml-kem pkcs#8 encoding"))?;
                Ok(Zeroizing::new(doc.as_bytes().to_vec()))
            }

            pub(crate) fn public_der(key: &Key) -> Result<Vec<u8>, MaterialError> {
                use pkcs8::EncodePublicKey;
                let public: &EncapsulationKey<$params> = key.encapsulation_key();
                let doc = public
                    .to_public_key_der()
                    .map_err(|_| MaterialError::Internal("ml-kem spki encoding"))?;
                Ok(doc.into_vec())
            }

            /// FIPS 203 ML-KEM.Encaps: the random message m comes from the system generator, so a
            /// generator failure is an error rather than a panic.
            pub(crate) fn encapsulate(key: &Key) -> Result<(Zeroizing<Vec<u8>>, Vec<u8>), MaterialError> {
                let mut m = Zeroizing::new(B32::default());
                getrandom::fill(m.as_mut_slice()).map_err(|_| MaterialError::Random)?;
                let (ciphertext, shared) = key.encapsulation_key().encapsulate_deterministic(&m);
                let shared = Zeroizing::new(shared);
                Ok((Zeroizing::new(shared.to_vec()), ciphertext.to_vec()))
            }

            pub(crate) fn decapsulate(
                key: &Key,
                ciphertext: &[u8],
            ) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
                let shared =
                    key.decapsulate_slice(ciphertext).map_err(|_| MaterialError::InvalidCiphertext)?;
                let shared = Zeroizing::new(shared);
                Ok(Zeroizing::new(shared.to_vec()))
            }
        }
    };
}

level!(l512, MlKem512);
level!(l768, MlKem768);
level!(l1024, MlKem1024);
