// The generated S3 Inventory report of the S3 benchmark, row by row; src/rows.rs writes the same
// rows natively. Mixed encryption (SSE-KMS under two keys, with and without Bucket Keys, SSE-S3,
// unencrypted, SSE-C, DSSE-KMS), five top-level prefixes, storage classes (Standard, Standard-IA,
// Glacier Flexible Retrieval, Deep Archive), replicas and delete markers. S3 Inventory reports do
// not carry object tags, so no row has any.
export const SCHEMA = "Bucket, Key, VersionId, IsLatest, IsDeleteMarker, Size, LastModifiedDate, StorageClass, ReplicationStatus, EncryptionStatus, BucketKeyStatus, KMSKeyArn";
const PREFIXES = ["docs", "logs", "img", "backup", "tmp"];
const ENC = ["SSE-KMS", "SSE-KMS", "SSE-KMS", "SSE-KMS", "SSE-S3", "SSE-S3", "SSE-S3", "NOT-SSE", "SSE-C", "DSSE-KMS"];
const KEYS = ["arn:aws:kms:us-east-1:111122223333:key/1111aaaa-0000-4000-8000-000000000001",
  "arn:aws:kms:us-east-1:111122223333:key/3333cccc-0000-4000-8000-000000000003"];

export function row(i) {
  const enc = ENC[(i * 7) % 10];
  const kms = enc.endsWith("KMS");
  const cls = i % 20 === 0 ? "GLACIER" : i % 20 === 1 ? "DEEP_ARCHIVE" : i % 20 === 2 ? "STANDARD_IA" : "STANDARD";
  const key = `${PREFIXES[i % 5]}/${Math.floor(i / 1000) % 100}/file-${i}.dat`;
  return `"src-bucket","${key}","v${i}","true","${i % 97 === 0}","${i % 100_000}","2026-11-01T00:00:00.000Z",` +
    `"${cls}","${i % 50 === 0 ? "REPLICA" : ""}","${enc}","${kms && i % 3 === 0 ? "ENABLED" : "DISABLED"}",` +
    `"${kms ? KEYS[i % 2] : ""}"\n`;
}
