//! Arbitrary bytes as a KMS symmetric ciphertext blob: `read_header` and `open` answer (mostly
//! with an error) and never panic; and any input, used as a plaintext and an encryption context,
//! seals and opens back to itself, while the same blob under another context does not open.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use secplay::kms::blob;
use secplay::kms::material::KeyMaterial;

const ARN: &str = "arn:aws:kms:us-east-1:111122223333:key/867090ec-3b1e-48c7-9e25-c5f095cc3f5d";

fuzz_target!(|data: &[u8]| {
    let Ok(material) = KeyMaterial::import_symmetric(&[7u8; 32]) else { return };
    let empty = BTreeMap::new();
    if let Ok(h) = blob::read_header(data) {
        assert!(!h.key_arn.is_empty() && !h.material_id.is_empty(), "a header names a key and a material");
    }
    let _ = blob::open(&material, data, &empty);

    let split = data.len() / 2;
    let (pt, ctx) = data.split_at(split);
    let pt = &pt[..pt.len().min(blob::MAX_PLAINTEXT)];
    let mut context = BTreeMap::new();
    context.insert(String::from_utf8_lossy(ctx).into_owned(), "v".to_string());
    let sealed = blob::seal(&material, ARN, "m1", &context, pt).expect("a plaintext within the limit seals");
    let header = blob::read_header(&sealed).expect("a sealed blob has a header");
    assert_eq!(header.key_arn, ARN);
    assert_eq!(blob::open(&material, &sealed, &context).expect("opens").as_slice(), pt);
    assert!(blob::open(&material, &sealed, &empty).is_err(), "another context must not open it");
});
