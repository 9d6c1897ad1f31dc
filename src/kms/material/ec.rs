//! Elliptic-curve keys (ECC_NIST_P256/P384/P521, ECC_SECG_P256K1): ECDSA with DER signatures, as
//! KMS returns them, and ECDH (the shared secret is the x-coordinate, as DeriveSharedSecret returns).
//!
//! One module per curve, written once by a macro: the curves differ only in their crate.

use zeroize::Zeroizing;

use super::MaterialError;

macro_rules! curve {
    ($module:ident, $krate:ident) => {
        pub(super) mod $module {
            use pkcs8::{DecodePublicKey, EncodePrivateKey, EncodePublicKey};
            use $krate::ecdsa::signature::hazmat::{PrehashSigner, PrehashVerifier};
            use $krate::ecdsa::{Signature, SigningKey, VerifyingKey};
            use $krate::elliptic_curve::Generate;
            use $krate::{PublicKey, SecretKey};

            use super::{MaterialError, Zeroizing};

            pub(crate) type Key = SecretKey;

            pub(crate) fn generate() -> Result<Key, MaterialError> {
                SecretKey::try_generate_from_rng(&mut getrandom::SysRng).map_err(|_| MaterialError::Random)
            }

            /// Exactly the field size: `SecretKey::from_slice` would also take a shorter slice.
            pub(crate) fn from_bytes(bytes: &[u8]) -> Result<Key, MaterialError> {
                if bytes.len() != $krate::FieldBytes::default().len() {
                    return Err(MaterialError::InvalidKeyMaterial(
                        "the private scalar has the wrong length for its curve",
                    ));
                }
                SecretKey::from_slice(bytes)
                    .map_err(|_| MaterialError::InvalidKeyMaterial("not a private scalar of the key's curve"))
            }

            pub(crate) fn to_bytes(key: &Key) -> Zeroizing<Vec<u8>> {
                let bytes = Zeroizing::new(key.to_bytes());
                Zeroizing::new(bytes.to_vec())
            }

            pub(crate) fn to_pkcs8(key: &Key) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
                let doc = key.to_pkcs8_der().map_err(|_| MaterialError::Internal("ec pkcs#8 encoding"))?;
                Ok(Zeroizing::new(doc.as_bytes().to_vec()))
            }

            pub(crate) fn public_der(key: &Key) -> Result<Vec<u8>, MaterialError> {
                let doc = key
                    .public_key()
                    .to_public_key_der()
                    .map_err(|_| MaterialError::Internal("ec spki encoding"))?;
                Ok(doc.into_vec())
            }

            pub(crate) fn sign_digest(key: &Key, digest: &[u8]) -> Result<Vec<u8>, MaterialError> {
                let signer = SigningKey::from(key);
                let signature: Signature =
                    signer.sign_prehash(digest).map_err(|_| MaterialError::Internal("ecdsa signing"))?;
                Ok(signature.to_der().as_bytes().to_vec())
            }

            /// Either of a signature's two S values verifies, as in AWS KMS (whose secp256k1
            /// signatures are not low-S normalized; k256 alone would refuse the high one).
            pub(crate) fn verify_digest(key: &Key, digest: &[u8], signature: &[u8]) -> bool {
                let verifier = VerifyingKey::from(key.public_key());
                Signature::from_der(signature)
                    .is_ok_and(|s| verifier.verify_prehash(digest, &s.normalize_s()).is_ok())
            }

            // secp256k1 keys have no KEY_AGREEMENT usage in KMS, so one expansion leaves this unused.
            #[allow(dead_code)]
            pub(crate) fn ecdh(key: &Key, peer_spki_der: &[u8]) -> Result<Zeroizing<Vec<u8>>, MaterialError> {
                let peer = PublicKey::from_public_key_der(peer_spki_der)
                    .map_err(|_| MaterialError::InvalidPublicKey)?;
                let shared = key.diffie_hellman(&peer);
                Ok(Zeroizing::new(shared.raw_secret_bytes().to_vec()))
            }
        }
    };
}

curve!(p256, p256);
curve!(p384, p384);
curve!(p521, p521);
curve!(k256, k256);
