//! Imported key material (keys of origin `EXTERNAL`): GetParametersForImport, ImportKeyMaterial,
//! DeleteImportedKeyMaterial, the expiry of material on the simulated clock, and on-demand
//! rotation to newly imported material.
//!
//! The flow a user follows with OpenSSL: GetParametersForImport hands out an RSA wrapping public
//! key (RSA_2048/3072/4096, fresh for each call) and an import token valid for 24 hours on the
//! simulated clock; the user wraps 256 bits of symmetric material with `RSAES_OAEP_SHA_1`,
//! `RSAES_OAEP_SHA_256`, or `RSA_AES_KEY_WRAP_SHA_1/256` (an ephemeral AES-256 key wrapped with
//! OAEP, followed by the material wrapped under it with RFC 5649, [`kwp`]); ImportKeyMaterial
//! unwraps it with the token's private key. Only the latest token of a key is valid.
//!
//! Rules (KMS developer guide, "Importing key material", "Rotate keys on demand"):
//! - the first material imported into a key is permanently associated with it; reimporting
//!   (`ImportType` `EXISTING_KEY_MATERIAL`, the default) must bring the same bytes
//!   (`IncorrectKeyMaterialException` otherwise). A material id is derived from the key id and the
//!   bytes, so the same material has the same id in every region of a multi-region key;
//! - `KEY_MATERIAL_EXPIRES` needs `ValidTo` (in the future, at most 365 days ahead);
//!   `KEY_MATERIAL_DOES_NOT_EXPIRE` forbids it; when material expires or is deleted the key goes
//!   to `PendingImport` until the same material is imported again;
//! - `NEW_KEY_MATERIAL` stages material for an on-demand rotation (`PENDING_ROTATION`);
//!   RotateKeyOnDemand makes it current. Imported keys never rotate automatically. For a
//!   multi-region key new material goes into the primary, then the same material into each
//!   replica (as `EXISTING_KEY_MATERIAL`), before the rotation.
//!
//! Not modelled: import of asymmetric and HMAC material, `RSAES_PKCS1_V1_5` (which KMS no
//! longer accepts) and SM2 (China regions only).

pub mod kwp;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use super::super::auth::Ask;
use super::super::error::KmsError;
use super::super::material::{KeyMaterial, KeySpec};
use super::super::params::{b64, Params};
use super::super::time::DAY;
use super::super::world::{ImportParameters, Key, KeyState, MaterialVersion, World};
use super::{allow, crypto, find_key, hex, key, key_mut, not_pending_deletion, Call};

/// `AlgorithmSpec`, as the model lists it.
pub const WRAPPING_ALGORITHMS: &[&str] = &[
    "RSAES_PKCS1_V1_5",
    "RSAES_OAEP_SHA_1",
    "RSAES_OAEP_SHA_256",
    "RSA_AES_KEY_WRAP_SHA_1",
    "RSA_AES_KEY_WRAP_SHA_256",
    "SM2PKE",
];
/// `WrappingKeySpec`, as the model lists it.
pub const WRAPPING_KEY_SPECS: &[&str] = &["RSA_2048", "RSA_3072", "RSA_4096", "SM2"];
/// How long an import token and its wrapping key are valid.
pub const IMPORT_TOKEN_LIFETIME: i64 = DAY;
/// The furthest `ValidTo` may be.
pub const MAX_VALID_FOR: i64 = 365 * DAY;
const TOKEN_BYTES: usize = 32;

fn external(k: &Key) -> Result<(), KmsError> {
    if k.origin != "EXTERNAL" {
        return Err(KmsError::unsupported(format!(
            "{} has key material made by KMS (origin {}); create a key with Origin EXTERNAL to import material",
            k.arn, k.origin
        )));
    }
    Ok(())
}

fn transitional(k: &Key) -> Result<(), KmsError> {
    not_pending_deletion(k)?;
    if matches!(k.state, KeyState::Creating | KeyState::Updating) {
        return Err(KmsError::invalid_state(format!("{} is {}.", k.arn, k.state.as_str())));
    }
    Ok(())
}

/// The id of imported material: SHA-256 over a label, the key id and the bytes (64 hex digits),
/// the same in every region of a multi-region key.
fn material_id(key_id: &str, bytes: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(b"secplay-kms imported key material\0");
    h.update(key_id.as_bytes());
    h.update([0]);
    h.update(bytes);
    hex(&h.finalize())
}

/// Keeps a key's state and `ValidTo` in step with its material: `PendingImport` while any
/// permanently associated material is missing, `Enabled` once all of it is back (a disabled key
/// stays disabled).
fn refresh(k: &mut Key) {
    let complete = !k.materials.is_empty() && k.materials.iter().all(MaterialVersion::present);
    k.valid_to = k.current().and_then(|m| m.valid_to);
    match (complete, k.state) {
        (false, KeyState::Enabled | KeyState::Disabled) => {
            k.settle_to = None;
            k.state = KeyState::PendingImport;
        }
        (true, KeyState::PendingImport) => k.state = KeyState::Enabled,
        _ => {}
    }
}

/// GetParametersForImport.
pub fn get_parameters_for_import(
    w: &mut World,
    c: &mut Call<'_>,
    request: &Value,
) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "WrappingAlgorithm", "WrappingKeySpec"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let alg = p.req_enum("WrappingAlgorithm", WRAPPING_ALGORITHMS)?;
    let spec = p.req_enum("WrappingKeySpec", WRAPPING_KEY_SPECS)?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(
        w,
        c,
        &Ask::key("GetParametersForImport", k)
            .with("kms:WrappingAlgorithm", alg)
            .with("kms:WrappingKeySpec", spec),
    )?;
    external(k)?;
    transitional(k)?;
    if alg == "SM2PKE" || spec == "SM2" {
        return Err(KmsError::validation("SM2 wrapping keys and SM2PKE are supported only in China Regions"));
    }
    if alg == "RSAES_PKCS1_V1_5" {
        return Err(KmsError::validation(
            "the RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported; use RSAES_OAEP_SHA_256 or RSA_AES_KEY_WRAP_SHA_256",
        ));
    }
    let wrapping =
        KeyMaterial::generate(KeySpec::parse(spec).map_err(|e| KmsError::validation(e.to_string()))?)
            .map_err(|e| KmsError::kms_internal(e.to_string()))?;
    let public = wrapping.public_key_der().map_err(|e| KmsError::kms_internal(e.to_string()))?;
    let mut token = Zeroizing::new([0u8; TOKEN_BYTES]);
    getrandom::fill(token.as_mut_slice())
        .map_err(|e| KmsError::kms_internal(format!("no randomness: {e}")))?;
    let valid_to = w.now + IMPORT_TOKEN_LIFETIME;
    key_mut(w, &arn)?.import_parameters = Some(ImportParameters {
        token: hex(token.as_slice()),
        wrapping_algorithm: alg.to_string(),
        wrapping_key_spec: spec.to_string(),
        wrapping_key: wrapping.to_bytes(),
        valid_to,
    });
    Ok(json!({
        "KeyId": arn,
        "ImportToken": b64(token.as_slice()),
        "PublicKey": b64(&public),
        "ParametersValidTo": valid_to,
    }))
}

/// Unwraps `EncryptedKeyMaterial` with the token's wrapping key; every failure is one opaque
/// `InvalidCiphertextException`.
fn unwrap_material(params: &ImportParameters, wrapped: &[u8]) -> Result<Zeroizing<Vec<u8>>, KmsError> {
    let bad = || {
        KmsError::invalid_ciphertext(
            "the encrypted key material could not be decrypted; wrap it with the public key returned with this import token, using its wrapping algorithm",
        )
    };
    let spec = KeySpec::parse(&params.wrapping_key_spec).map_err(|_| bad())?;
    let wk = KeyMaterial::from_bytes(spec, &params.wrapping_key).map_err(|_| bad())?;
    let (oaep, kwp_wrapped) = match params.wrapping_algorithm.as_str() {
        "RSAES_OAEP_SHA_1" | "RSAES_OAEP_SHA_256" => (params.wrapping_algorithm.as_str(), false),
        "RSA_AES_KEY_WRAP_SHA_1" => ("RSAES_OAEP_SHA_1", true),
        "RSA_AES_KEY_WRAP_SHA_256" => ("RSAES_OAEP_SHA_256", true),
        _ => return Err(bad()),
    };
    if !kwp_wrapped {
        return wk.rsa_decrypt(oaep, wrapped).map_err(|_| bad());
    }
    let modulus = match params.wrapping_key_spec.as_str() {
        "RSA_2048" => 256,
        "RSA_3072" => 384,
        _ => 512,
    };
    let (head, tail) = wrapped.split_at_checked(modulus).ok_or_else(bad)?;
    let aes = wk.rsa_decrypt(oaep, head).map_err(|_| bad())?;
    if aes.len() != 32 {
        return Err(bad());
    }
    kwp::unwrap(&aes, tail).map_err(|_| bad())
}

/// ImportKeyMaterial.
pub fn import_key_material(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &[
            "KeyId",
            "ImportToken",
            "EncryptedKeyMaterial",
            "ValidTo",
            "ExpirationModel",
            "ImportType",
            "KeyMaterialDescription",
            "KeyMaterialId",
        ],
    )?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let token = p.req_blob("ImportToken", 1, 6144)?;
    let wrapped = p.req_blob("EncryptedKeyMaterial", 1, 6144)?;
    let valid_to = p.int("ValidTo", 0, i64::MAX)?;
    let model = p.enum_str("ExpirationModel", &["KEY_MATERIAL_EXPIRES", "KEY_MATERIAL_DOES_NOT_EXPIRE"])?;
    let import_type = p
        .enum_str("ImportType", &["NEW_KEY_MATERIAL", "EXISTING_KEY_MATERIAL"])?
        .unwrap_or("EXISTING_KEY_MATERIAL");
    let description = p.str("KeyMaterialDescription", 0, 256)?;
    let named_id = p.str("KeyMaterialId", 64, 64)?;
    let model = model.unwrap_or(if valid_to.is_some() {
        "KEY_MATERIAL_EXPIRES"
    } else {
        "KEY_MATERIAL_DOES_NOT_EXPIRE"
    });
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    let mut ask = Ask::key("ImportKeyMaterial", k).with("kms:ExpirationModel", model);
    if let Some(v) = valid_to {
        ask = ask.with("kms:ValidTo", v.to_string());
    }
    allow(w, c, &ask)?;
    external(k)?;
    transitional(k)?;
    match (model, valid_to) {
        ("KEY_MATERIAL_EXPIRES", None) => {
            return Err(KmsError::validation(
                "ValidTo is required when ExpirationModel is KEY_MATERIAL_EXPIRES",
            ))
        }
        ("KEY_MATERIAL_DOES_NOT_EXPIRE", Some(_)) => {
            return Err(KmsError::validation(
                "ValidTo must be omitted when ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE",
            ))
        }
        (_, Some(v)) if v <= w.now || v > w.now + MAX_VALID_FOR => {
            return Err(KmsError::validation(
                "ValidTo must be in the future and at most 365 days from now (on the simulated clock)",
            ))
        }
        _ => {}
    }
    let params = k.import_parameters.as_ref().filter(|ip| ip.token == hex(&token)).ok_or_else(|| {
        KmsError::invalid_import_token(
            "the import token is not valid for this key; use the token of the latest GetParametersForImport on this key",
        )
    })?;
    if params.valid_to <= w.now {
        return Err(KmsError::expired_import_token(
            "the import token has expired (tokens are valid for 24 hours); call GetParametersForImport again",
        ));
    }
    let bytes = unwrap_material(params, &wrapped)?;
    if bytes.len() != 32 {
        return Err(KmsError::validation(format!(
            "symmetric key material must be 256 bits (32 bytes); the unwrapped material is {} bytes",
            bytes.len()
        )));
    }
    let mid = material_id(&k.key_id, &bytes);
    if named_id.is_some_and(|n| n != mid) {
        return Err(KmsError::incorrect_key_material(
            "the key material does not match the KeyMaterialId named in the request",
        ));
    }
    let primary = k.primary_arn.clone().and_then(|a| w.keys.get(&a).cloned());
    let now = w.now;
    let mut m = crypto::imported_material(&bytes, mid.clone(), now, "INITIAL")?;
    m.valid_to = valid_to;
    m.description = description.map(str::to_string);
    let k = key_mut(w, &arn)?;
    if k.materials.is_empty() {
        if let Some(pk) = &primary {
            // A replica's materials are its primary's: listed, then imported one by one.
            k.materials = pk.materials.iter().map(absent).collect();
        }
    }
    let pending_match = k.pending_rotation.as_ref().is_some_and(|x| x.id == mid)
        || primary.as_ref().and_then(|pk| pk.pending_rotation.as_ref()).is_some_and(|x| x.id == mid);
    if let Some(slot) = k.materials.iter_mut().find(|x| x.id == mid) {
        if import_type == "NEW_KEY_MATERIAL" {
            return Err(KmsError::incorrect_key_material(
                "this key material is already associated with the key; import it with ImportType EXISTING_KEY_MATERIAL",
            ));
        }
        slot.bytes = m.bytes.clone();
        slot.valid_to = valid_to;
        if description.is_some() {
            slot.description = m.description.clone();
        }
    } else if k.materials.is_empty() && primary.is_none() {
        k.materials.push(m);
    } else if import_type == "NEW_KEY_MATERIAL" {
        if primary.is_some() {
            return Err(KmsError::unsupported(
                "import new key material into the primary key, then the same material into each replica",
            ));
        }
        m.rotation_type = "ON_DEMAND".into();
        k.pending_rotation = Some(m);
    } else if pending_match {
        m.rotation_type = "ON_DEMAND".into();
        k.pending_rotation = Some(m);
    } else {
        return Err(KmsError::incorrect_key_material(
            "the key material is not the material associated with this key; reimport the same material, or use ImportType NEW_KEY_MATERIAL to stage new material for an on-demand rotation",
        ));
    }
    refresh(k);
    Ok(json!({"KeyId": arn, "KeyMaterialId": mid}))
}

/// A copy of a material version's record without its bytes (a replica's, not yet imported).
pub fn absent(m: &MaterialVersion) -> MaterialVersion {
    MaterialVersion { bytes: Zeroizing::new(Vec::new()), valid_to: None, description: None, ..m.clone() }
}

/// DeleteImportedKeyMaterial: the current material (or the one named) is deleted; the key is
/// `PendingImport` until the same material is imported again. Staged (`PENDING_ROTATION`)
/// material is simply dropped.
pub fn delete_imported_key_material(
    w: &mut World,
    c: &mut Call<'_>,
    request: &Value,
) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "KeyMaterialId"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let named = p.str("KeyMaterialId", 64, 64)?;
    let arn = find_key(w, c, id, false)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("DeleteImportedKeyMaterial", k))?;
    external(k)?;
    transitional(k)?;
    let k = key_mut(w, &arn)?;
    let target = match named {
        Some(n) => n.to_string(),
        None => k
            .current()
            .map(|m| m.id.clone())
            .ok_or_else(|| KmsError::invalid_state(format!("{} has no imported key material.", k.arn)))?,
    };
    if k.pending_rotation.as_ref().is_some_and(|m| m.id == target) {
        k.pending_rotation = None;
    } else {
        let m = k
            .materials
            .iter_mut()
            .find(|m| m.id == target)
            .ok_or_else(|| KmsError::not_found(format!("{} has no key material `{target}`", arn)))?;
        m.bytes = Zeroizing::new(Vec::new());
        m.valid_to = None;
    }
    refresh(k);
    Ok(json!({"KeyId": arn, "KeyMaterialId": target}))
}

/// RotateKeyOnDemand of a key with imported material: the staged material becomes current, in
/// the primary and in every replica (each must have had the same material imported).
pub fn rotate_imported(w: &mut World, arn: &str) -> Result<(), KmsError> {
    let k = key(w, arn)?;
    let staged = k.pending_rotation.clone().ok_or_else(|| {
        KmsError::invalid_state(format!(
            "{} has no new key material to rotate to; import it first (ImportKeyMaterial with ImportType NEW_KEY_MATERIAL)",
            k.arn
        ))
    })?;
    let replicas: Vec<String> = super::multi_region::related(w, arn).into_iter().skip(1).collect();
    for r in &replicas {
        if key(w, r)?.pending_rotation.as_ref().is_none_or(|m| m.id != staged.id) {
            return Err(KmsError::invalid_state(format!(
                "replica {r} does not have the new key material yet; import the same material into it first"
            )));
        }
    }
    let now = w.now;
    for a in std::iter::once(arn.to_string()).chain(replicas) {
        let k = key_mut(w, &a)?;
        if let Some(mut m) = k.pending_rotation.take() {
            m.created = now;
            k.materials.push(m);
        }
        refresh(k);
    }
    Ok(())
}

/// Imported material whose `ValidTo` has come is deleted (CloudTrail's `DeleteExpiredKeyMaterial`).
pub fn expire(w: &mut World) -> Vec<(&'static str, String)> {
    let now = w.now;
    let mut events = Vec::new();
    for k in w.keys.values_mut().filter(|k| k.origin == "EXTERNAL") {
        let mut expired = false;
        for m in &mut k.materials {
            if m.present() && m.valid_to.is_some_and(|t| t <= now) {
                m.bytes = Zeroizing::new(Vec::new());
                m.valid_to = None;
                expired = true;
            }
        }
        if k.pending_rotation.as_ref().is_some_and(|m| m.valid_to.is_some_and(|t| t <= now)) {
            k.pending_rotation = None;
            expired = true;
        }
        if expired {
            refresh(k);
            events.push(("DeleteExpiredKeyMaterial", k.arn.clone()));
        }
    }
    events
}
