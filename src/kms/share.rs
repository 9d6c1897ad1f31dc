//! A KMS world without its secrets, for a share link: accounts, principals, regions, the clock,
//! keys (metadata, policies, grants, tags, rotation, multi-region links) and aliases — and none of
//! the key material, import wrapping keys and tokens, access key secrets or grant tokens. The audit
//! log and the usage counters are left out too (they would make links long; the page says so).
//!
//! Opening such a world gives every key made by KMS (`AWS_KMS` origin) **new** material of its
//! spec, under the same material ids (versions shared by multi-region keys get the same new
//! bytes, so replicas still agree): the keys work, but ciphertexts made before the link was written
//! do not decrypt. Imported material (`EXTERNAL` origin) cannot be made up: those keys open
//! `PendingImport`, as AWS shows a key whose imported material was deleted.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use zeroize::Zeroizing;

use super::error::KmsError;
use super::material::{supply, KeyMaterial, KeySpec};
use super::snapshot;
use super::world::{KeyState, World};

/// Most keys a shared world may hold.
pub const MAX_KEYS: usize = 200;
/// Most material versions made anew for asymmetric and ML keys (RSA-4096 takes a while in a page).
pub const MAX_SLOW_MATERIALS: usize = 20;
/// Most material versions made anew in all.
pub const MAX_MATERIALS: usize = 2_000;

/// The world as a link carries it: no secret in it.
pub fn shareable(w: &World) -> Result<Value, KmsError> {
    let mut bare = w.clone();
    for k in bare.keys.values_mut() {
        for m in &mut k.materials {
            m.bytes = Zeroizing::new(Vec::new());
        }
        k.pending_rotation = None;
        k.import_parameters = None;
    }
    bare.access_keys.clear();
    bare.grant_tokens.clear();
    bare.audit.clear();
    bare.usage.clear();
    serde_json::to_value(&bare).map_err(|e| KmsError::kms_internal(format!("could not write the world: {e}")))
}

fn refused(what: impl Into<String>) -> KmsError {
    KmsError::validation(format!("the shared KMS world does not open: {}", what.into()))
}

/// A world from a link, with new material for every key KMS made (see the module's note).
/// Whatever secret a hand-made link carries is dropped, never used.
pub fn open(v: &Value) -> Result<World, KmsError> {
    furnish(read(v)?, &BTreeMap::new())
}

/// A link's world checked and bare: every secret dropped, no material made yet, and the slow
/// material it needs ([`Bare::slow`]) for a caller that makes those elsewhere ([`furnish`]).
#[derive(Clone, Debug)]
pub struct Bare {
    /// The world; its keys' material is empty until [`furnish`]ed.
    pub world: World,
    /// The material versions of slow specs (RSA) to make, by material id, each once (versions
    /// shared by multi-region keys are one).
    pub slow: Vec<(String, KeySpec)>,
}

/// Checks a link's world and drops its secrets (everything [`open`] refuses, this refuses).
pub fn read(v: &Value) -> Result<Bare, KmsError> {
    let mut w: World = serde_json::from_value(v.clone()).map_err(|e| refused(format!("{e}")))?;
    snapshot::check(&w).map_err(refused)?;
    if w.keys.len() > MAX_KEYS {
        return Err(refused(format!("it holds {} keys; a link may hold {MAX_KEYS}", w.keys.len())));
    }
    w.access_keys.clear();
    w.grant_tokens.clear();
    let (mut all, mut asymmetric) = (0usize, 0usize);
    let mut slow: Vec<(String, KeySpec)> = Vec::new();
    let mut named: BTreeSet<String> = BTreeSet::new();
    for k in w.keys.values_mut() {
        k.pending_rotation = None;
        k.import_parameters = None;
        for m in &mut k.materials {
            m.bytes = Zeroizing::new(Vec::new());
        }
        if k.origin != "AWS_KMS" {
            if matches!(k.state, KeyState::Enabled | KeyState::Disabled) {
                k.state = KeyState::PendingImport;
            }
            continue;
        }
        let spec = KeySpec::parse(&k.key_spec).map_err(|e| refused(format!("key `{}`: {e}", k.arn)))?;
        all += k.materials.len();
        if !matches!(
            spec,
            KeySpec::SymmetricDefault
                | KeySpec::Hmac224
                | KeySpec::Hmac256
                | KeySpec::Hmac384
                | KeySpec::Hmac512
        ) {
            asymmetric += k.materials.len();
        }
        if supply::is_slow(spec) {
            for m in &k.materials {
                if named.insert(m.id.clone()) {
                    slow.push((m.id.clone(), spec));
                }
            }
        }
    }
    if all > MAX_MATERIALS || asymmetric > MAX_SLOW_MATERIALS {
        return Err(refused(format!(
            "it needs {all} key material versions made anew ({asymmetric} asymmetric); a link may need {MAX_MATERIALS} ({MAX_SLOW_MATERIALS} asymmetric)"
        )));
    }
    Ok(Bare { world: w, slow })
}

/// The world of `bare` with new material for every key KMS made: a slow version's from `made`
/// (by material id; made elsewhere and read with [`KeyMaterial::from_bytes`], one at a time as
/// each arrives) when it is there and of the key's spec, every other made here. Versions shared by
/// multi-region keys get the same bytes.
pub fn furnish(bare: Bare, made: &BTreeMap<String, KeyMaterial>) -> Result<World, KmsError> {
    let mut w = bare.world;
    let mut done: BTreeMap<String, Zeroizing<Vec<u8>>> = BTreeMap::new();
    for k in w.keys.values_mut() {
        if k.origin != "AWS_KMS" {
            continue;
        }
        let spec = KeySpec::parse(&k.key_spec).map_err(|e| refused(format!("key `{}`: {e}", k.arn)))?;
        for m in &mut k.materials {
            if let Some(bytes) = done.get(&m.id) {
                m.bytes = bytes.clone();
                continue;
            }
            let fresh = match made.get(&m.id).filter(|x| x.spec() == spec) {
                Some(material) => material.to_bytes(),
                None => KeyMaterial::generate(spec)
                    .map_err(|e| refused(format!("new material for `{}`: {e}", k.arn)))?
                    .to_bytes(),
            };
            done.insert(m.id.clone(), fresh.clone());
            m.bytes = fresh;
        }
    }
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kms::json::call;
    use serde_json::json;

    fn admin(w: &World) -> Value {
        let a = w.accounts.keys().next().cloned().unwrap_or_default();
        json!({"principal": format!("arn:aws:iam::{a}:role/Admin")})
    }

    fn world_with_keys() -> (World, String, String) {
        let mut w = World::new();
        let me = admin(&w);
        let k = call(&mut w, "CreateKey", &json!({"Description": "shared"}), &me).unwrap();
        let id = k["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned();
        call(&mut w, "CreateAlias", &json!({"AliasName": "alias/shared", "TargetKeyId": id}), &me).unwrap();
        let ct = call(&mut w, "Encrypt", &json!({"KeyId": id, "Plaintext": "aGVsbG8="}), &me).unwrap();
        let ext = call(&mut w, "CreateKey", &json!({"Origin": "EXTERNAL"}), &me).unwrap();
        let ext_id = ext["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned();
        call(&mut w, "GetParametersForImport", &json!({"KeyId": ext_id, "WrappingAlgorithm": "RSAES_OAEP_SHA_256", "WrappingKeySpec": "RSA_2048"}), &me).unwrap();
        (w, id, ct["CiphertextBlob"].as_str().unwrap().to_owned())
    }

    #[test]
    fn no_secret_goes_into_the_shared_world() {
        let (w, _, _) = world_with_keys();
        let text = shareable(&w).unwrap().to_string();
        for k in w.keys.values() {
            for m in &k.materials {
                let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &*m.bytes);
                assert!(m.bytes.is_empty() || !text.contains(&b64), "material of {} in the link", k.arn);
            }
        }
        assert!(
            !text.contains("wrappingKey") && !text.contains("\"token\""),
            "import parameters in the link"
        );
        assert!(text.contains("alias/shared") && text.contains("\"shared\""));
    }

    #[test]
    fn an_opened_world_works_with_new_material_and_old_ciphertexts_do_not_decrypt() {
        let (w, id, old_ct) = world_with_keys();
        let mut back = open(&shareable(&w).unwrap()).unwrap();
        let me = admin(&back);
        let d = call(&mut back, "DescribeKey", &json!({"KeyId": "alias/shared"}), &me).unwrap();
        assert_eq!(d["KeyMetadata"]["KeyId"], json!(id));
        let ct = call(&mut back, "Encrypt", &json!({"KeyId": id, "Plaintext": "aGVsbG8="}), &me).unwrap();
        let pt = call(&mut back, "Decrypt", &json!({"CiphertextBlob": ct["CiphertextBlob"]}), &me).unwrap();
        assert_eq!(pt["Plaintext"], json!("aGVsbG8="));
        let old = call(&mut back, "Decrypt", &json!({"CiphertextBlob": old_ct}), &me);
        assert!(old.is_err(), "a ciphertext from before the link decrypted");
        let ext = back.keys.values().find(|k| k.origin == "EXTERNAL").unwrap();
        assert_eq!(ext.state, KeyState::PendingImport);
        assert!(ext.import_parameters.is_none());
    }

    #[test]
    fn a_crafted_world_is_checked_and_its_secrets_dropped() {
        let (w, id, _) = world_with_keys();
        let mut v = shareable(&w).unwrap();
        let arn = w.keys.values().find(|k| k.key_id == id).unwrap().arn.clone();
        // Material smuggled into a link is replaced, never used.
        v["keys"][&arn]["materials"][0]["bytes"] = json!("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
        let back = open(&v).unwrap();
        assert_ne!(&*back.keys[&arn].materials[0].bytes, &[0u8; 32][..]);
        let mut bad = shareable(&w).unwrap();
        bad["now"] = json!(-5);
        assert!(open(&bad).unwrap_err().to_string().contains("clock"));
        assert!(open(&json!({"keys": 5})).is_err());
        assert!(open(&json!([])).is_err());
    }

    #[test]
    fn a_bare_world_names_its_rsa_material_once_and_takes_it_made_elsewhere() {
        let mut w = World::new();
        let me = admin(&w);
        let rsa = call(&mut w, "CreateKey", &json!({"KeySpec": "RSA_2048", "KeyUsage": "SIGN_VERIFY"}), &me)
            .unwrap();
        let rsa_id = rsa["KeyMetadata"]["KeyId"].as_str().unwrap().to_owned();
        call(&mut w, "CreateKey", &json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}), &me)
            .unwrap();
        let v = shareable(&w).unwrap();
        let bare = read(&v).unwrap();
        assert_eq!(bare.slow.len(), 1, "{:?}", bare.slow);
        assert_eq!(bare.slow[0].1, KeySpec::Rsa2048);
        assert!(bare.world.keys.values().all(|k| k.materials.iter().all(|m| m.bytes.is_empty())));
        // Made elsewhere (here: by the engine, read back as WebCrypto's PKCS #8 would be).
        let der = KeyMaterial::generate(KeySpec::Rsa2048).unwrap().to_bytes();
        let material = KeyMaterial::from_bytes(KeySpec::Rsa2048, &der).unwrap();
        let made = BTreeMap::from([(bare.slow[0].0.clone(), material)]);
        let mut back = furnish(bare.clone(), &made).unwrap();
        let key = back.keys.values().find(|k| k.key_id == rsa_id).unwrap();
        assert_eq!(&*key.materials[0].bytes, &*der, "the material made elsewhere is the key's");
        let me = admin(&back);
        let sig = call(
            &mut back,
            "Sign",
            &json!({"KeyId": rsa_id, "Message": "aGVsbG8=", "SigningAlgorithm": "RSASSA_PSS_SHA_256"}),
            &me,
        )
        .unwrap();
        assert!(sig["Signature"].as_str().is_some_and(|s| !s.is_empty()));
        // Material of another spec is not used: the key gets material of its own spec.
        let other = KeyMaterial::generate(KeySpec::EccNistP256).unwrap();
        let wrong = BTreeMap::from([(bare.slow[0].0.clone(), other.clone())]);
        let back = furnish(bare, &wrong).unwrap();
        let key = back.keys.values().find(|k| k.key_id == rsa_id).unwrap();
        assert_ne!(key.materials[0].bytes, other.to_bytes());
        assert!(KeyMaterial::from_bytes(KeySpec::Rsa2048, &key.materials[0].bytes).is_ok());
    }

    #[test]
    fn too_much_asymmetric_material_is_refused_before_any_is_made() {
        let mut w = World::new();
        let me = admin(&w);
        for _ in 0..=MAX_SLOW_MATERIALS {
            call(&mut w, "CreateKey", &json!({"KeySpec": "ECC_NIST_P256", "KeyUsage": "SIGN_VERIFY"}), &me)
                .unwrap();
        }
        let e = read(&shareable(&w).unwrap()).unwrap_err().to_string();
        assert!(e.contains("asymmetric"), "{e}");
    }
}
