//! ML-DSA keys (ML_DSA_44/65/87, FIPS 204): ML_DSA_SHAKE_256 over a RAW message (hedged signing,
//! empty context) or over a 64-byte EXTERNAL_MU (the representative μ of FIPS 204 §6.2).
//!
//! The key is kept as its 32-byte seed ξ, as FIPS 204 allows; the expanded key is derived from it.

use ml_dsa::common::array::Array;
use ml_dsa::common::typenum::U64;
use ml_dsa::{Keypair, MlDsa44, MlDsa65, MlDsa87, MlDsaParams, Signature, SigningKey};
use zeroize::Zeroizing;

use super::MaterialError;

/// The 64-byte representative μ.
type B64 = Array<u8, U64>;

macro_rules! level {
    ($module:ident, $params:ty) => {
        pub(super) mod $module {
            use super::*;

            pub(crate) type Key = Box<SigningKey<$params>>;

            pub(crate) fn from_seed(seed: &[u8]) -> Result<Key, MaterialError> {
                let seed: ml_dsa::Seed = seed
                    .try_into()
                    .map_err(|_| MaterialError::InvalidKeyMaterial("an ml-dsa seed is 32 bytes"))?;
                Ok(Box::new(SigningKey::<$params>::from_seed(&seed)))
            }

            pub(crate) fn generate() -> Result<Key, MaterialError> {
                let mut seed = Zeroizing::new([0u8; 32]);
                getrandom::fill(seed.as_mut()).map_err(|_| MaterialError::Random)?;
                from_seed(seed.as_slice())
            }

            pub(crate) fn to_bytes(key: &Key) -> Zeroizing<Vec<u8>> {
                Zeroizing::new(key.as_seed().to_vec())
            }

            pub(crate) fn public_der(key: &Key) -> Result<Vec<u8>, MaterialError> {
                super::public_der::<$params>(key)
            }

            pub(crate) fn sign(
                key: &Key,
                external_mu: bool,
                message: &[u8],
            ) -> Result<Vec<u8>, MaterialError> {
                super::sign::<$params>(key, external_mu, message)
            }

            pub(crate) fn verify(key: &Key, external_mu: bool, message: &[u8], signature: &[u8]) -> bool {
                super::verify::<$params>(key, external_mu, message, signature)
            }
        }
    };
}

level!(l44, MlDsa44);
level!(l65, MlDsa65);
level!(l87, MlDsa87);

fn public_der<P: MlDsaParams>(key: &SigningKey<P>) -> Result<Vec<u8>, MaterialError>
where
    ml_dsa::VerifyingKey<P>: pkcs8::EncodePublicKey,
{
    use pkcs8::EncodePublicKey;
    let doc = key
        .verifying_key()
        .to_public_key_der()
        .map_err(|_| MaterialError::Internal("ml-dsa spki encoding"))?;
    Ok(doc.into_vec())
}

fn sign<P: MlDsaParams>(
    key: &SigningKey<P>,
    external_mu: bool,
    message: &[u8],
) -> Result<Vec<u8>, MaterialError> {
    let expanded = key.expanded_key();
    let signature = if external_mu {
        let mu = B64::try_from(message).map_err(|_| MaterialError::Internal("external mu length"))?;
        expanded.sign_mu_randomized(&mu, &mut getrandom::SysRng)
    } else {
        expanded.sign_randomized(message, &[], &mut getrandom::SysRng)
    };
    let signature = signature.map_err(|_| MaterialError::Random)?;
    Ok(signature.encode().to_vec())
}

fn verify<P: MlDsaParams>(key: &SigningKey<P>, external_mu: bool, message: &[u8], signature: &[u8]) -> bool {
    let Ok(encoded) = signature.try_into() else {
        return false;
    };
    let Some(signature) = Signature::<P>::decode(encoded) else {
        return false;
    };
    let public = key.verifying_key();
    if external_mu {
        B64::try_from(message).is_ok_and(|mu| public.verify_mu(&mu, &signature))
    } else {
        public.verify_with_context(message, &[], &signature)
    }
}
