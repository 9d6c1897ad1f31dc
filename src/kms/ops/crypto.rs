//! The operations that touch key material: Encrypt, Decrypt, ReEncrypt, GenerateDataKey(+
//! WithoutPlaintext), GenerateDataKeyPair(+WithoutPlaintext), GenerateRandom, Sign, Verify,
//! GetPublicKey, GenerateMac, VerifyMac, DeriveSharedSecret, Encapsulate and Decapsulate.
//!
//! The cryptography is the material layer's ([`super::super::material`]) and the symmetric
//! ciphertext blob's ([`super::super::blob`]); this file decides who may, on which key, in which
//! state, with which usage and algorithm, and shapes the AWS response. Secret bytes leave only
//! where AWS returns them (`Plaintext`, `PrivateKeyPlaintext`, `SharedSecret`) and are otherwise
//! held in `Zeroizing` buffers.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::super::auth::Ask;
use super::super::blob;
use super::super::error::KmsError;
use super::super::material::{self, KeyMaterial, KeySpec, KeyUsage, MaterialError};
use super::super::params::{b64, Params};
use super::super::world::{Key, MaterialVersion, World};
use super::{allow, dry_run, find_key, grant_tokens, key, random_hex, usable, Call};

/// Operations that use a key's material (what GetKeyLastUsage tracks).
pub const CRYPTO_OPERATIONS: &[&str] = &[
    "Encrypt",
    "Decrypt",
    "ReEncrypt",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
    "Sign",
    "Verify",
    "GenerateMac",
    "VerifyMac",
    "DeriveSharedSecret",
    "Encapsulate",
    "Decapsulate",
];
const ENCRYPTION_ALGORITHMS: &[&str] =
    &["SYMMETRIC_DEFAULT", "RSAES_OAEP_SHA_1", "RSAES_OAEP_SHA_256", "SM2PKE"];
const SIGNING_ALGORITHMS: &[&str] = &[
    "RSASSA_PSS_SHA_256",
    "RSASSA_PSS_SHA_384",
    "RSASSA_PSS_SHA_512",
    "RSASSA_PKCS1_V1_5_SHA_256",
    "RSASSA_PKCS1_V1_5_SHA_384",
    "RSASSA_PKCS1_V1_5_SHA_512",
    "ECDSA_SHA_256",
    "ECDSA_SHA_384",
    "ECDSA_SHA_512",
    "SM2DSA",
    "ML_DSA_SHAKE_256",
    "ED25519_SHA_512",
    "ED25519_PH_SHA_512",
];
const MAC_ALGORITHMS: &[&str] = &["HMAC_SHA_224", "HMAC_SHA_256", "HMAC_SHA_384", "HMAC_SHA_512"];
const MESSAGE_TYPES: &[&str] = &["RAW", "DIGEST", "EXTERNAL_MU"];
const DATA_KEY_PAIR_SPECS: &[&str] = &[
    "RSA_2048",
    "RSA_3072",
    "RSA_4096",
    "ECC_NIST_P256",
    "ECC_NIST_P384",
    "ECC_NIST_P521",
    "ECC_SECG_P256K1",
    "SM2",
    "ECC_NIST_EDWARDS25519",
    "ML_KEM_512",
    "ML_KEM_768",
    "ML_KEM_1024",
];

fn material_error(e: MaterialError) -> KmsError {
    KmsError::from_exception(e.aws_exception(), e.to_string())
}

fn spec_of(k: &Key) -> Result<KeySpec, KmsError> {
    KeySpec::parse(&k.key_spec).map_err(material_error)
}

/// Checks that a key spec allows a key usage (CreateKey).
pub fn check_spec_usage(spec: &str, usage: &str) -> Result<(), KmsError> {
    let s = KeySpec::parse(spec).map_err(material_error)?;
    let u = KeyUsage::parse(usage).map_err(material_error)?;
    if !s.usages().contains(&u) {
        let allowed: Vec<&str> = s.usages().iter().map(KeyUsage::as_str).collect();
        return Err(KmsError::validation(format!(
            "KeyUsage {usage} is not compatible with KeySpec {spec}; it allows {}",
            allowed.join(", ")
        )));
    }
    Ok(())
}

/// Fresh material for a key of `spec`, as a stored version.
pub fn new_material(spec: &str, at: i64, rotation_type: &str) -> Result<MaterialVersion, KmsError> {
    let m = KeyMaterial::generate(KeySpec::parse(spec).map_err(material_error)?).map_err(material_error)?;
    Ok(MaterialVersion {
        id: random_hex(32)?,
        created: at,
        rotation_type: rotation_type.to_string(),
        bytes: m.to_bytes(),
        valid_to: None,
        description: None,
    })
}

/// Stored material for imported bytes (EXTERNAL origin), under the id the caller derived.
pub fn imported_material(
    bytes: &[u8],
    id: String,
    at: i64,
    rotation_type: &str,
) -> Result<MaterialVersion, KmsError> {
    let m = KeyMaterial::import_symmetric(bytes).map_err(material_error)?;
    Ok(MaterialVersion {
        id,
        created: at,
        rotation_type: rotation_type.to_string(),
        bytes: m.to_bytes(),
        valid_to: None,
        description: None,
    })
}

/// The algorithm lists DescribeKey and GetPublicKey show for a key.
pub fn algorithm_lists(k: &Key) -> Vec<(&'static str, Vec<&'static str>)> {
    let (Ok(s), Ok(u)) = (KeySpec::parse(&k.key_spec), KeyUsage::parse(&k.key_usage)) else {
        return Vec::new();
    };
    let a = material::algorithms(s, u);
    vec![
        ("EncryptionAlgorithms", a.encryption),
        ("SigningAlgorithms", a.signing),
        ("MacAlgorithms", a.mac),
        ("KeyAgreementAlgorithms", a.key_agreement),
        ("EncapsulationAlgorithms", a.key_encapsulation),
    ]
}

/// A material version of a key, loaded.
fn load(k: &Key, version: Option<&str>) -> Result<(KeyMaterial, String), KmsError> {
    let v = match version {
        Some(id) => k.material(id).ok_or_else(|| KmsError::invalid_ciphertext(""))?,
        None => {
            k.current().ok_or_else(|| KmsError::invalid_state(format!("{} has no key material.", k.arn)))?
        }
    };
    let m = KeyMaterial::from_bytes(spec_of(k)?, &v.bytes).map_err(material_error)?;
    Ok((m, v.id.clone()))
}

fn wrong_usage(k: &Key, op: &str) -> KmsError {
    KmsError::invalid_key_usage(format!(
        "{} key usage is {} which is not valid for {op}.",
        k.arn, k.key_usage
    ))
}

fn need_usage(k: &Key, usage: &str, op: &str) -> Result<(), KmsError> {
    if k.key_usage != usage {
        return Err(wrong_usage(k, op));
    }
    Ok(())
}

fn need_algorithm(k: &Key, list: &str, alg: &str) -> Result<(), KmsError> {
    let ok = algorithm_lists(k).into_iter().any(|(n, l)| n == list && l.contains(&alg));
    if !ok {
        return Err(KmsError::invalid_key_usage(format!(
            "Algorithm {alg} is incompatible with key spec {} ({}).",
            k.key_spec, k.arn
        )));
    }
    Ok(())
}

/// What an encryption or decryption is asked to do: the operation it is authorized as, the
/// encryption context, the algorithm and extra context keys.
struct Use<'a> {
    op: &'a str,
    ec: &'a BTreeMap<String, String>,
    alg: &'a str,
    extra: &'a [(&'a str, String)],
}

/// A decryption's result: the key ARN, the plaintext and the material id (symmetric keys).
type Opened = (String, Zeroizing<Vec<u8>>, Option<String>);

/// What Encrypt and Decrypt check before their cipher: authorization of `u` on `k` (with the
/// algorithm, the encryption context and any extra condition keys), the key's state and usage, and
/// the algorithm against the key's spec.
fn check_cipher_use(w: &World, c: &Call<'_>, u: &Use<'_>, k: &Key) -> Result<(), KmsError> {
    let mut ask = Ask::key(u.op, k).with("kms:EncryptionAlgorithm", u.alg).with_encryption_context(u.ec);
    for (n, v) in u.extra {
        ask = ask.with(n, v.clone());
    }
    allow(w, c, &ask)?;
    usable(k)?;
    need_usage(k, "ENCRYPT_DECRYPT", u.op)?;
    if !k.is_symmetric() {
        return need_algorithm(k, "EncryptionAlgorithms", u.alg);
    }
    if u.alg != "SYMMETRIC_DEFAULT" {
        return Err(KmsError::invalid_key_usage(format!(
            "Algorithm {} is incompatible with key spec SYMMETRIC_DEFAULT ({}).",
            u.alg, k.arn
        )));
    }
    Ok(())
}

/// Encrypts under a resolved key, after authorization as `op` (`Encrypt`, `ReEncryptTo`,
/// `GenerateDataKey…`). Returns the ciphertext and the material id.
fn encrypt_with(
    w: &World,
    c: &Call<'_>,
    arn: &str,
    u: &Use<'_>,
    plaintext: &[u8],
) -> Result<(Vec<u8>, Option<String>), KmsError> {
    let (ec, alg) = (u.ec, u.alg);
    let k = key(w, arn)?;
    check_cipher_use(w, c, u, k)?;
    if k.is_symmetric() {
        let (m, id) = load(k, None)?;
        let blob =
            blob::seal(&m, &k.arn, &id, ec, plaintext).map_err(|e| KmsError::kms_internal(e.to_string()))?;
        return Ok((blob, Some(id)));
    }
    if !ec.is_empty() {
        return Err(KmsError::validation("an encryption context is not supported with asymmetric keys"));
    }
    let (m, _) = load(k, None)?;
    Ok((m.rsa_encrypt(alg, plaintext).map_err(material_error)?, None))
}

/// The key a symmetric blob names, in the caller's region: the key itself or, for a multi-region
/// key, its related key of the caller's region.
fn blob_key(w: &World, c: &Call<'_>, header_arn: &str) -> Result<String, KmsError> {
    if w.keys.get(header_arn).is_some_and(|k| k.region == c.who.region) {
        return Ok(header_arn.to_string());
    }
    let id = header_arn.rsplit('/').next().unwrap_or_default();
    let account = header_arn.split(':').nth(4).unwrap_or_default();
    if id.starts_with("mrk-") {
        if let Some(k) =
            w.keys.values().find(|k| k.key_id == id && k.account == account && k.region == c.who.region)
        {
            return Ok(k.arn.clone());
        }
    }
    Err(KmsError::invalid_ciphertext(
        "The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.",
    ))
}

/// Decrypts, after authorization as `op` (`Decrypt` or `ReEncryptFrom`). Returns the key ARN, the
/// plaintext and the material id.
fn decrypt_with(
    w: &World,
    c: &mut Call<'_>,
    u: &Use<'_>,
    ciphertext: &[u8],
    key_id: Option<&str>,
) -> Result<Opened, KmsError> {
    let (ec, alg) = (u.ec, u.alg);
    let named = match key_id {
        Some(id) => Some(find_key(w, c, id, true)?),
        None => None,
    };
    let (arn, material_id) = if alg == "SYMMETRIC_DEFAULT" {
        let header = blob::read_header(ciphertext).map_err(|_| KmsError::invalid_ciphertext(""))?;
        let arn = blob_key(w, c, &header.key_arn)?;
        if let Some(n) = &named {
            if *n != arn {
                return Err(KmsError::incorrect_key(
                    "The key ID in the request does not identify a CMK that can perform this operation.",
                ));
            }
        } else {
            c.resources.push(arn.clone());
        }
        (arn, Some(header.material_id))
    } else {
        let arn = named.ok_or_else(|| {
            KmsError::validation("KeyId is required to decrypt with an asymmetric encryption algorithm")
        })?;
        (arn, None)
    };
    let k = key(w, &arn)?;
    check_cipher_use(w, c, u, k)?;
    if k.is_symmetric() {
        let (m, id) = load(k, material_id.as_deref())?;
        let pt = blob::open(&m, ciphertext, ec).map_err(|_| KmsError::invalid_ciphertext(""))?;
        return Ok((arn, pt, Some(id)));
    }
    let (m, _) = load(k, None)?;
    let pt = m.rsa_decrypt(alg, ciphertext).map_err(|_| KmsError::invalid_ciphertext(""))?;
    Ok((arn, pt, None))
}

/// Encrypt.
pub fn encrypt(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &["KeyId", "Plaintext", "EncryptionContext", "GrantTokens", "EncryptionAlgorithm", "DryRun"],
    )?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let pt = p.req_blob("Plaintext", 1, 4096)?;
    let ec = p.context("EncryptionContext")?;
    let alg = p.enum_str("EncryptionAlgorithm", ENCRYPTION_ALGORITHMS)?.unwrap_or("SYMMETRIC_DEFAULT");
    grant_tokens(w, &p)?;
    let arn = find_key(w, c, id, true)?;
    let (ct, _) = encrypt_with(w, c, &arn, &Use { op: "Encrypt", ec: &ec, alg, extra: &[] }, &pt)?;
    dry_run(&p)?;
    Ok(json!({"CiphertextBlob": b64(&ct), "KeyId": arn, "EncryptionAlgorithm": alg}))
}

/// Decrypt (KeyId optional for symmetric blobs, which name their key).
pub fn decrypt(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &[
            "CiphertextBlob",
            "EncryptionContext",
            "GrantTokens",
            "KeyId",
            "EncryptionAlgorithm",
            "Recipient",
            "DryRun",
            "DryRunModifiers",
        ],
    )?;
    let ct = p.req_blob("CiphertextBlob", 1, 6144)?;
    let ec = p.context("EncryptionContext")?;
    let key_id = p.str("KeyId", 1, 2048)?;
    let alg = p.enum_str("EncryptionAlgorithm", ENCRYPTION_ALGORITHMS)?.unwrap_or("SYMMETRIC_DEFAULT");
    no_recipient(&p)?;
    grant_tokens(w, &p)?;
    let (arn, pt, mid) = decrypt_with(w, c, &Use { op: "Decrypt", ec: &ec, alg, extra: &[] }, &ct, key_id)?;
    dry_run(&p)?;
    let mut out = json!({"KeyId": arn, "Plaintext": b64(&pt), "EncryptionAlgorithm": alg});
    if let (Some(m), Some(o)) = (mid, out.as_object_mut()) {
        o.insert("KeyMaterialId".into(), json!(m));
    }
    Ok(out)
}

fn no_recipient(p: &Params<'_>) -> Result<(), KmsError> {
    if p.has("Recipient") {
        return Err(KmsError::unsupported(
            "Recipient (Nitro Enclaves attestation) is not modelled by this emulator",
        ));
    }
    Ok(())
}

/// ReEncrypt: decrypt under the source key (`kms:ReEncryptFrom`), encrypt under the destination
/// key (`kms:ReEncryptTo`); the plaintext never leaves.
pub fn re_encrypt(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &[
            "CiphertextBlob",
            "SourceEncryptionContext",
            "SourceKeyId",
            "DestinationKeyId",
            "DestinationEncryptionContext",
            "SourceEncryptionAlgorithm",
            "DestinationEncryptionAlgorithm",
            "GrantTokens",
            "DryRun",
            "DryRunModifiers",
        ],
    )?;
    let ct = p.req_blob("CiphertextBlob", 1, 6144)?;
    let sec = p.context("SourceEncryptionContext")?;
    let src_id = p.str("SourceKeyId", 1, 2048)?;
    let dst_id = p.req_str("DestinationKeyId", 1, 2048)?;
    let dec = p.context("DestinationEncryptionContext")?;
    let salg = p.enum_str("SourceEncryptionAlgorithm", ENCRYPTION_ALGORITHMS)?.unwrap_or("SYMMETRIC_DEFAULT");
    let dalg =
        p.enum_str("DestinationEncryptionAlgorithm", ENCRYPTION_ALGORITHMS)?.unwrap_or("SYMMETRIC_DEFAULT");
    grant_tokens(w, &p)?;
    let dst_arn = find_key(w, c, dst_id, true)?;
    // `kms:ReEncryptOnSameKey` needs the source key first; the blob names it for symmetric keys.
    let src_hint = match src_id {
        Some(id) => Some(find_key(w, c, id, true)?),
        None => blob::read_header(&ct).ok().map(|h| h.key_arn),
    };
    let same = [("kms:ReEncryptOnSameKey", (src_hint.as_deref() == Some(dst_arn.as_str())).to_string())];
    let (src_arn, pt, smid) =
        decrypt_with(w, c, &Use { op: "ReEncryptFrom", ec: &sec, alg: salg, extra: &same }, &ct, src_id)?;
    let (out_ct, dmid) =
        encrypt_with(w, c, &dst_arn, &Use { op: "ReEncryptTo", ec: &dec, alg: dalg, extra: &same }, &pt)?;
    dry_run(&p)?;
    let mut out = json!({
        "CiphertextBlob": b64(&out_ct),
        "SourceKeyId": src_arn,
        "KeyId": dst_arn,
        "SourceEncryptionAlgorithm": salg,
        "DestinationEncryptionAlgorithm": dalg,
    });
    if let Some(o) = out.as_object_mut() {
        if let Some(m) = smid {
            o.insert("SourceKeyMaterialId".into(), json!(m));
        }
        if let Some(m) = dmid {
            o.insert("DestinationKeyMaterialId".into(), json!(m));
        }
    }
    Ok(out)
}

fn random(n: usize) -> Result<Zeroizing<Vec<u8>>, KmsError> {
    let mut b = Zeroizing::new(vec![0u8; n]);
    getrandom::fill(b.as_mut_slice()).map_err(|e| KmsError::kms_internal(format!("no randomness: {e}")))?;
    Ok(b)
}

fn symmetric_only(w: &World, arn: &str, op: &str) -> Result<(), KmsError> {
    let k = key(w, arn)?;
    if !k.is_symmetric() || k.key_usage != "ENCRYPT_DECRYPT" {
        return Err(wrong_usage(k, op));
    }
    Ok(())
}

/// GenerateDataKey / GenerateDataKeyWithoutPlaintext.
pub fn generate_data_key(
    w: &mut World,
    c: &mut Call<'_>,
    request: &Value,
    plaintext: bool,
) -> Result<Value, KmsError> {
    let mut members = vec!["KeyId", "EncryptionContext", "NumberOfBytes", "KeySpec", "GrantTokens", "DryRun"];
    if plaintext {
        members.push("Recipient");
    }
    let p = Params::new(request, &members)?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let ec = p.context("EncryptionContext")?;
    let n = p.int("NumberOfBytes", 1, 1024)?;
    let spec = p.enum_str("KeySpec", &["AES_256", "AES_128"])?;
    no_recipient(&p)?;
    grant_tokens(w, &p)?;
    let len = match (n, spec) {
        (Some(n), None) => usize::try_from(n).unwrap_or(32),
        (None, Some("AES_128")) => 16,
        (None, Some(_)) => 32,
        _ => return Err(KmsError::validation(
            "Please specify either number of bytes or key spec (exactly one of NumberOfBytes and KeySpec)",
        )),
    };
    let op = if plaintext { "GenerateDataKey" } else { "GenerateDataKeyWithoutPlaintext" };
    let arn = find_key(w, c, id, true)?;
    let dk = random(len)?;
    let k = key(w, &arn)?;
    let ask = Ask::key(op, k).with_encryption_context(&ec);
    allow(w, c, &ask)?;
    usable(k)?;
    symmetric_only(w, &arn, op)?;
    let (m, mid) = load(k, None)?;
    let ct = blob::seal(&m, &k.arn, &mid, &ec, &dk).map_err(|e| KmsError::kms_internal(e.to_string()))?;
    dry_run(&p)?;
    let mut out = json!({"CiphertextBlob": b64(&ct), "KeyId": arn, "KeyMaterialId": mid});
    if let (true, Some(o)) = (plaintext, out.as_object_mut()) {
        o.insert("Plaintext".into(), json!(b64(&dk)));
    }
    Ok(out)
}

/// GenerateDataKeyPair / GenerateDataKeyPairWithoutPlaintext: the private key (PKCS#8 DER)
/// encrypted under a symmetric key, the public key (SPKI DER).
pub fn generate_data_key_pair(
    w: &mut World,
    c: &mut Call<'_>,
    request: &Value,
    plaintext: bool,
) -> Result<Value, KmsError> {
    let mut members = vec!["EncryptionContext", "KeyId", "KeyPairSpec", "GrantTokens", "DryRun"];
    if plaintext {
        members.push("Recipient");
    }
    let p = Params::new(request, &members)?;
    let ec = p.context("EncryptionContext")?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let spec_name = p.req_enum("KeyPairSpec", DATA_KEY_PAIR_SPECS)?;
    no_recipient(&p)?;
    grant_tokens(w, &p)?;
    let op = if plaintext { "GenerateDataKeyPair" } else { "GenerateDataKeyPairWithoutPlaintext" };
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key(op, k).with("kms:DataKeyPairSpec", spec_name).with_encryption_context(&ec))?;
    usable(k)?;
    symmetric_only(w, &arn, op)?;
    let spec = KeySpec::parse(spec_name).map_err(material_error)?;
    let (private, public) = material::generate_data_key_pair(spec).map_err(material_error)?;
    let (m, mid) = load(k, None)?;
    let ct =
        blob::seal(&m, &k.arn, &mid, &ec, &private).map_err(|e| KmsError::kms_internal(e.to_string()))?;
    dry_run(&p)?;
    let mut out = json!({
        "PrivateKeyCiphertextBlob": b64(&ct),
        "PublicKey": b64(&public),
        "KeyId": arn,
        "KeyPairSpec": spec_name,
        "KeyMaterialId": mid,
    });
    if let (true, Some(o)) = (plaintext, out.as_object_mut()) {
        o.insert("PrivateKeyPlaintext".into(), json!(b64(&private)));
    }
    Ok(out)
}

/// GenerateRandom.
pub fn generate_random(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["NumberOfBytes", "CustomKeyStoreId", "Recipient"])?;
    let n = p.int("NumberOfBytes", 1, 1024)?;
    if p.str("CustomKeyStoreId", 1, 64)?.is_some() {
        return Err(KmsError::custom_key_store_not_found(
            "custom key stores are not modelled by this emulator",
        ));
    }
    no_recipient(&p)?;
    let n = n.ok_or_else(|| KmsError::validation("NumberOfBytes is required (1 to 1024)"))?;
    allow(w, c, &Ask::any("GenerateRandom"))?;
    let b = random(usize::try_from(n).unwrap_or(0))?;
    Ok(json!({"Plaintext": b64(&b)}))
}

/// Sign.
pub fn sign(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &["KeyId", "Message", "MessageType", "GrantTokens", "SigningAlgorithm", "DryRun"],
    )?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let msg = p.req_blob("Message", 1, 4096)?;
    let mt = p.enum_str("MessageType", MESSAGE_TYPES)?.unwrap_or("RAW");
    let alg = p.req_enum("SigningAlgorithm", SIGNING_ALGORITHMS)?;
    grant_tokens(w, &p)?;
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("Sign", k).with("kms:SigningAlgorithm", alg).with("kms:MessageType", mt))?;
    usable(k)?;
    need_usage(k, "SIGN_VERIFY", "Sign")?;
    need_algorithm(k, "SigningAlgorithms", alg)?;
    let (m, _) = load(k, None)?;
    let sig = m.sign(alg, mt, &msg).map_err(material_error)?;
    dry_run(&p)?;
    Ok(json!({"KeyId": arn, "Signature": b64(&sig), "SigningAlgorithm": alg}))
}

/// Verify: an invalid signature is `KMSInvalidSignatureException`.
pub fn verify(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &["KeyId", "Message", "MessageType", "Signature", "SigningAlgorithm", "GrantTokens", "DryRun"],
    )?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let msg = p.req_blob("Message", 1, 4096)?;
    let mt = p.enum_str("MessageType", MESSAGE_TYPES)?.unwrap_or("RAW");
    let sig = p.req_blob("Signature", 1, 6144)?;
    let alg = p.req_enum("SigningAlgorithm", SIGNING_ALGORITHMS)?;
    grant_tokens(w, &p)?;
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("Verify", k).with("kms:SigningAlgorithm", alg).with("kms:MessageType", mt))?;
    usable(k)?;
    need_usage(k, "SIGN_VERIFY", "Verify")?;
    need_algorithm(k, "SigningAlgorithms", alg)?;
    let (m, _) = load(k, None)?;
    let ok = m.verify(alg, mt, &msg, &sig).map_err(material_error)?;
    dry_run(&p)?;
    if !ok {
        return Err(KmsError::invalid_signature(""));
    }
    Ok(json!({"KeyId": arn, "SignatureValid": true, "SigningAlgorithm": alg}))
}

/// GetPublicKey (asymmetric keys only).
pub fn get_public_key(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "GrantTokens"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    grant_tokens(w, &p)?;
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("GetPublicKey", k))?;
    usable(k)?;
    if !spec_of(k)?.is_asymmetric() {
        return Err(KmsError::unsupported(format!(
            "{} is not an asymmetric key; it has no public key",
            k.arn
        )));
    }
    let (m, _) = load(k, None)?;
    let der = m.public_key_der().map_err(material_error)?;
    let mut out = json!({
        "KeyId": arn,
        "PublicKey": b64(&der),
        "KeySpec": k.key_spec,
        "KeyUsage": k.key_usage,
    });
    if let Some(o) = out.as_object_mut() {
        if let Some(s) = super::keys::legacy_spec(&k.key_spec) {
            o.insert("CustomerMasterKeySpec".into(), json!(s));
        }
        for (name, list) in algorithm_lists(k) {
            if !list.is_empty() && name != "MacAlgorithms" {
                o.insert(name.into(), json!(list));
            }
        }
    }
    Ok(out)
}

/// GenerateMac, or VerifyMac (`verify`): an invalid MAC is `KMSInvalidMacException`.
pub fn generate_mac(
    w: &mut World,
    c: &mut Call<'_>,
    request: &Value,
    verify: bool,
) -> Result<Value, KmsError> {
    let mut members = vec!["Message", "KeyId", "MacAlgorithm", "GrantTokens", "DryRun"];
    if verify {
        members.push("Mac");
    }
    let p = Params::new(request, &members)?;
    let msg = p.req_blob("Message", 1, 4096)?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let alg = p.req_enum("MacAlgorithm", MAC_ALGORITHMS)?;
    let mac = if verify { Some(p.req_blob("Mac", 1, 6144)?) } else { None };
    grant_tokens(w, &p)?;
    let op = if verify { "VerifyMac" } else { "GenerateMac" };
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key(op, k).with("kms:MacAlgorithm", alg))?;
    usable(k)?;
    need_usage(k, "GENERATE_VERIFY_MAC", op)?;
    need_algorithm(k, "MacAlgorithms", alg)?;
    let (m, _) = load(k, None)?;
    match mac {
        Some(mac) => {
            let ok = m.verify_mac(alg, &msg, &mac).map_err(material_error)?;
            dry_run(&p)?;
            if !ok {
                return Err(KmsError::invalid_mac(""));
            }
            Ok(json!({"KeyId": arn, "MacValid": true, "MacAlgorithm": alg}))
        }
        None => {
            let out = m.generate_mac(alg, &msg).map_err(material_error)?;
            dry_run(&p)?;
            Ok(json!({"Mac": b64(&out), "MacAlgorithm": alg, "KeyId": arn}))
        }
    }
}

/// DeriveSharedSecret (ECDH with a KEY_AGREEMENT key).
pub fn derive_shared_secret(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &["KeyId", "KeyAgreementAlgorithm", "PublicKey", "GrantTokens", "DryRun", "Recipient"],
    )?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let alg = p.req_enum("KeyAgreementAlgorithm", &["ECDH"])?;
    let peer = p.req_blob("PublicKey", 1, 8192)?;
    no_recipient(&p)?;
    grant_tokens(w, &p)?;
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("DeriveSharedSecret", k).with("kms:KeyAgreementAlgorithm", alg))?;
    usable(k)?;
    need_usage(k, "KEY_AGREEMENT", "DeriveSharedSecret")?;
    let (m, _) = load(k, None)?;
    let secret = m.derive_shared_secret(alg, &peer).map_err(material_error)?;
    dry_run(&p)?;
    Ok(
        json!({"KeyId": arn, "SharedSecret": b64(&secret), "KeyAgreementAlgorithm": alg, "KeyOrigin": k.origin}),
    )
}

/// Encapsulate (ML-KEM).
pub fn encapsulate(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(request, &["KeyId", "EncapsulationAlgorithm", "GrantTokens", "DryRun"])?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let alg = p.req_enum("EncapsulationAlgorithm", &["ML_KEM"])?;
    grant_tokens(w, &p)?;
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("Encapsulate", k))?;
    usable(k)?;
    need_usage(k, "ENCAPSULATE_DECAPSULATE", "Encapsulate")?;
    let (m, _) = load(k, None)?;
    let (secret, ct) = m.encapsulate(alg).map_err(material_error)?;
    dry_run(&p)?;
    Ok(
        json!({"KeyId": arn, "SharedSecret": b64(&secret), "SharedSecretCiphertextBlob": b64(&ct), "EncapsulationAlgorithm": alg}),
    )
}

/// Decapsulate (ML-KEM).
pub fn decapsulate(w: &mut World, c: &mut Call<'_>, request: &Value) -> Result<Value, KmsError> {
    let p = Params::new(
        request,
        &["KeyId", "SharedSecretCiphertextBlob", "EncapsulationAlgorithm", "GrantTokens", "DryRun"],
    )?;
    let id = p.req_str("KeyId", 1, 2048)?;
    let ct = p.req_blob("SharedSecretCiphertextBlob", 1, 6144)?;
    let alg = p.req_enum("EncapsulationAlgorithm", &["ML_KEM"])?;
    grant_tokens(w, &p)?;
    let arn = find_key(w, c, id, true)?;
    let k = key(w, &arn)?;
    allow(w, c, &Ask::key("Decapsulate", k))?;
    usable(k)?;
    need_usage(k, "ENCAPSULATE_DECAPSULATE", "Decapsulate")?;
    let (m, _) = load(k, None)?;
    let secret = m.decapsulate(alg, &ct).map_err(material_error)?;
    dry_run(&p)?;
    Ok(json!({"KeyId": arn, "SharedSecret": b64(&secret), "EncapsulationAlgorithm": alg}))
}
