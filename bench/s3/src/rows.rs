//! The generated S3 Inventory report, row by row: the same rows as `rows.mjs` (the wasm side), so
//! both sides read the same report. See there for what the rows hold.

use std::fmt::Write as _;

pub const SCHEMA: &str = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, StorageClass, ReplicationStatus, EncryptionStatus, BucketKeyStatus, KMSKeyArn";
const PREFIXES: [&str; 5] = ["docs", "logs", "img", "backup", "tmp"];
const ENC: [&str; 10] = [
    "SSE-KMS", "SSE-KMS", "SSE-KMS", "SSE-KMS", "SSE-S3", "SSE-S3", "SSE-S3", "NOT-SSE", "SSE-C", "DSSE-KMS",
];
const KEYS: [&str; 2] = [
    "arn:aws:kms:us-east-1:111122223333:key/1111aaaa-0000-4000-8000-000000000001",
    "arn:aws:kms:us-east-1:111122223333:key/3333cccc-0000-4000-8000-000000000003",
];

/// Appends row `i` (with its newline) to `out`.
pub fn row(i: u64, out: &mut String) {
    let enc = ENC[((i * 7) % 10) as usize];
    let kms = enc.ends_with("KMS");
    let class = match i % 20 {
        0 => "GLACIER",
        1 => "DEEP_ARCHIVE",
        2 => "STANDARD_IA",
        _ => "STANDARD",
    };
    let _ = write!(
        out,
        "\"src-bucket\",\"{}/{}/file-{i}.dat\",\"v{i}\",\"true\",\"{}\",\"{}\",\"2026-11-01T00:00:00.000Z\",\"{class}\",\"{}\",\"{enc}\",\"{}\",\"{}\"\n",
        PREFIXES[(i % 5) as usize],
        (i / 1000) % 100,
        i % 97 == 0,
        i % 100_000,
        if i % 50 == 0 { "REPLICA" } else { "" },
        if kms && i % 3 == 0 { "ENABLED" } else { "DISABLED" },
        if kms { KEYS[(i % 2) as usize] } else { "" },
    );
}
