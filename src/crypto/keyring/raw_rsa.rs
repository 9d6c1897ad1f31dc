//! The raw RSA keyring: RSA key wrapping with PKCS#1 v1.5 or OAEP (SHA-1/256/384/512, MGF1 same hash).
//!
//! Provider id = namespace, provider info = key name; no label; the encryption context is not
//! bound into the wrap. Keys come as PEM: SPKI public keys, PKCS#8 (or PKCS#1) private keys.
//! Security note: RSA decryption in the `rsa` crate is blinded but the crate carries the
//! RUSTSEC-2023-0071 (Marvin) timing advisory; PKCS#1 v1.5 decryption uses implicit rejection.

use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{DecodePrivateKey, DecodePublicKey};
use rsa::{Oaep, Pkcs1v15Encrypt, PrivateKey, PublicKey};
use sha1::Sha1;
use sha2::{Sha256, Sha384, Sha512};

use crate::crypto::esdk::{DataKey, DecryptionMaterials, EncryptedDataKey, EncryptionMaterials, EsdkError};

use super::{ensure_data_key, Keyring};

/// The RSA padding scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsaPadding {
    /// PKCS#1 v1.5.
    Pkcs1,
    /// OAEP with SHA-1 and MGF1-SHA-1.
    OaepSha1,
    /// OAEP with SHA-256 and MGF1-SHA-256.
    OaepSha256,
    /// OAEP with SHA-384 and MGF1-SHA-384.
    OaepSha384,
    /// OAEP with SHA-512 and MGF1-SHA-512.
    OaepSha512,
}

impl RsaPadding {
    /// From the JS names: `padding` = `pkcs1` | `oaep-mgf1`, `paddingHash` = `sha1` | `sha256` | ….
    pub fn from_names(padding: &str, hash: Option<&str>) -> Result<Self, EsdkError> {
        match (padding, hash) {
            ("pkcs1", None) => Ok(Self::Pkcs1),
            ("oaep-mgf1", Some("sha1")) => Ok(Self::OaepSha1),
            ("oaep-mgf1", Some("sha256")) => Ok(Self::OaepSha256),
            ("oaep-mgf1", Some("sha384")) => Ok(Self::OaepSha384),
            ("oaep-mgf1", Some("sha512")) => Ok(Self::OaepSha512),
            ("oaep-mgf1", None) => Err(EsdkError::InvalidKeyring(
                "`oaep-mgf1` needs a `paddingHash`: sha1, sha256, sha384 or sha512".to_string(),
            )),
            ("oaep-mgf1", Some(h)) => Err(EsdkError::InvalidKeyring(format!(
                "unknown padding hash `{h}`: use sha1, sha256, sha384 or sha512"
            ))),
            ("pkcs1", Some(h)) => {
                Err(EsdkError::InvalidKeyring(format!("`pkcs1` padding takes no hash, but `{h}` was given")))
            }
            (p, _) => {
                Err(EsdkError::InvalidKeyring(format!("unknown padding `{p}`: use pkcs1 or oaep-mgf1")))
            }
        }
    }
}

/// A raw RSA keyring (public key to encrypt, private key to decrypt).
pub struct RawRsaKeyring {
    namespace: String,
    name: String,
    padding: RsaPadding,
    public: Option<PublicKey>,
    private: Option<PrivateKey>,
}

impl std::fmt::Debug for RawRsaKeyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawRsaKeyring")
            .field("namespace", &self.namespace)
            .field("name", &self.name)
            .field("padding", &self.padding)
            .field("has_public", &self.public.is_some())
            .field("private", &self.private.as_ref().map(|_| "redacted"))
            .finish()
    }
}

impl RawRsaKeyring {
    /// A keyring from PEM keys; at least one is needed. A private key implies its public key.
    pub fn from_pem(
        namespace: &str,
        name: &str,
        padding: RsaPadding,
        public_pem: Option<&str>,
        private_pem: Option<&str>,
    ) -> Result<Self, EsdkError> {
        if namespace == "aws-kms" {
            return Err(EsdkError::InvalidKeyring(
                "the namespace `aws-kms` is reserved: pick another one".to_string(),
            ));
        }
        let private = match private_pem {
            Some(pem) => {
                Some(PrivateKey::from_pkcs8_pem(pem).or_else(|_| PrivateKey::from_pkcs1_pem(pem)).map_err(
                    |_| {
                        EsdkError::InvalidKeyring(
                            "the private key is not a PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 RSA PEM"
                                .to_string(),
                        )
                    },
                )?)
            }
            None => None,
        };
        let public = match public_pem {
            Some(pem) => Some(PublicKey::from_public_key_pem(pem).map_err(|_| {
                EsdkError::InvalidKeyring(
                    "the public key is not an SPKI (`BEGIN PUBLIC KEY`) RSA PEM".to_string(),
                )
            })?),
            None => private.as_ref().map(PublicKey::from),
        };
        if public.is_none() {
            return Err(EsdkError::InvalidKeyring(
                "a raw RSA keyring needs a public key, a private key, or both".to_string(),
            ));
        }
        Ok(Self { namespace: namespace.to_string(), name: name.to_string(), padding, public, private })
    }

    fn wrap(&self, key: &PublicKey, msg: &[u8]) -> rsa::Result<Vec<u8>> {
        let mut rng = getrandom::SysRng;
        match self.padding {
            RsaPadding::Pkcs1 => key.encrypt(&mut rng, Pkcs1v15Encrypt, msg),
            RsaPadding::OaepSha1 => key.encrypt(&mut rng, Oaep::<Sha1>::new(), msg),
            RsaPadding::OaepSha256 => key.encrypt(&mut rng, Oaep::<Sha256>::new(), msg),
            RsaPadding::OaepSha384 => key.encrypt(&mut rng, Oaep::<Sha384>::new(), msg),
            RsaPadding::OaepSha512 => key.encrypt(&mut rng, Oaep::<Sha512>::new(), msg),
        }
    }

    fn unwrap_key(&self, key: &PrivateKey, ct: &[u8]) -> rsa::Result<Vec<u8>> {
        let mut rng = getrandom::SysRng;
        match self.padding {
            RsaPadding::Pkcs1 => key.decrypt_blinded(&mut rng, Pkcs1v15Encrypt, ct),
            RsaPadding::OaepSha1 => key.decrypt_blinded(&mut rng, Oaep::<Sha1>::new(), ct),
            RsaPadding::OaepSha256 => key.decrypt_blinded(&mut rng, Oaep::<Sha256>::new(), ct),
            RsaPadding::OaepSha384 => key.decrypt_blinded(&mut rng, Oaep::<Sha384>::new(), ct),
            RsaPadding::OaepSha512 => key.decrypt_blinded(&mut rng, Oaep::<Sha512>::new(), ct),
        }
    }
}

impl Keyring for RawRsaKeyring {
    fn on_encrypt(&self, materials: &mut EncryptionMaterials) -> Result<(), EsdkError> {
        let Some(public) = &self.public else {
            return Err(EsdkError::InvalidKeyring(
                "this RSA keyring has no public key to encrypt with".to_string(),
            ));
        };
        let data_key = ensure_data_key(materials)?;
        let ciphertext = self.wrap(public, data_key.as_bytes()).map_err(|_| {
            EsdkError::EncryptFailed(
                "RSA encryption of the data key failed (is the key large enough for this padding?)"
                    .to_string(),
            )
        })?;
        materials.encrypted_data_keys.push(EncryptedDataKey {
            provider_id: self.namespace.clone(),
            provider_info: self.name.as_bytes().to_vec(),
            ciphertext,
        });
        Ok(())
    }

    fn on_decrypt(
        &self,
        materials: &DecryptionMaterials,
        edks: &[EncryptedDataKey],
    ) -> Result<Option<DataKey>, EsdkError> {
        let Some(private) = &self.private else {
            return Ok(None);
        };
        for edk in
            edks.iter().filter(|e| e.provider_id == self.namespace && e.provider_info == self.name.as_bytes())
        {
            if let Ok(pt) = self.unwrap_key(private, &edk.ciphertext) {
                let key = DataKey::new(pt);
                if key.len() == materials.suite.key_len() {
                    return Ok(Some(key));
                }
            }
        }
        Ok(None)
    }
}
