//! S3 Inventory CSV reports, read as a stream: chunks in, one object per complete line out, so
//! memory holds at most one line (bounded by [`MAX_LINE`]) whatever the file's size. Then the
//! summary of the verdicts (counts per outcome, reason and top-level prefix) and the verdicts as
//! CSV rows.
//!
//! The columns are those of the manifest's `fileSchema` (`"Bucket, Key, VersionId, IsLatest,
//! IsDeleteMarker, Size, LastModifiedDate, ETag, StorageClass, ReplicationStatus,
//! EncryptionStatus, BucketKeyStatus, …"`); `Key` is required, the rest optional, unknown columns
//! ignored. Keys are URL-encoded in the report (`+` for a space). `EncryptionStatus` is
//! `NOT-SSE`, `SSE-S3`, `SSE-C`, `SSE-KMS` or `DSSE-KMS`; a `KMSKeyArn` column is read when
//! present, else SSE-KMS rows use the source bucket's default key. `ReplicationStatus` =
//! `REPLICA` marks a replica. Gzip is not read here: give the CSV decompressed.

use std::collections::BTreeMap;

use super::error::S3Error;
use super::evaluate::{ObjectVerdict, Outcome};
use super::model::{Encryption, Object};

/// The longest line accepted (a key is at most 1,024 bytes, URL-encoded at most three times that).
pub const MAX_LINE: usize = 64 * 1024;
/// Distinct top-level prefixes counted one by one; the rest are counted together.
pub const MAX_PREFIXES: usize = 1_000;

#[derive(Debug, Clone, Default)]
struct Columns {
    key: usize,
    version: Option<usize>,
    delete_marker: Option<usize>,
    size: Option<usize>,
    storage_class: Option<usize>,
    replication: Option<usize>,
    encryption: Option<usize>,
    bucket_key: Option<usize>,
    kms_key: Option<usize>,
    count: usize,
}

/// The streaming reader.
#[derive(Debug, Clone)]
pub struct InventoryReader {
    cols: Columns,
    pending: Vec<u8>,
    line: u64,
    /// Rows are evaluated as existing objects (`true`) or as objects written now.
    pub existing: bool,
}

impl InventoryReader {
    /// A reader for reports with this `fileSchema`.
    pub fn new(file_schema: &str, existing: bool) -> Result<InventoryReader, S3Error> {
        let names: Vec<String> = file_schema.split(',').map(|s| s.trim().to_ascii_lowercase()).collect();
        let find = |n: &str| names.iter().position(|c| c == n);
        let key = find("key")
            .ok_or_else(|| S3Error::input("/inventory/fileSchema", "the fileSchema has no `Key` column"))?;
        let cols = Columns {
            key,
            version: find("versionid"),
            delete_marker: find("isdeletemarker"),
            size: find("size"),
            storage_class: find("storageclass"),
            replication: find("replicationstatus"),
            encryption: find("encryptionstatus"),
            bucket_key: find("bucketkeystatus"),
            kms_key: find("kmskeyarn"),
            count: names.len(),
        };
        Ok(InventoryReader { cols, pending: Vec::new(), line: 0, existing })
    }

    /// Feeds a chunk; `each` gets every object of the complete lines in it.
    pub fn push(&mut self, chunk: &[u8], each: &mut dyn FnMut(Object)) -> Result<(), S3Error> {
        let mut rest = chunk;
        while let Some(nl) = memchr::memchr(b'\n', rest) {
            let (head, tail) = rest.split_at(nl);
            rest = tail.get(1..).unwrap_or_default();
            if self.pending.is_empty() {
                self.row(head, each)?;
            } else {
                self.bound(head.len())?;
                self.pending.extend_from_slice(head);
                let line = std::mem::take(&mut self.pending);
                self.row(&line, each)?;
            }
        }
        self.bound(rest.len())?;
        self.pending.extend_from_slice(rest);
        Ok(())
    }

    /// The last line, when the report does not end with a newline.
    pub fn finish(&mut self, each: &mut dyn FnMut(Object)) -> Result<(), S3Error> {
        let line = std::mem::take(&mut self.pending);
        self.row(&line, each)
    }

    fn bound(&self, more: usize) -> Result<(), S3Error> {
        if self.pending.len().saturating_add(more) > MAX_LINE {
            return Err(S3Error::Inventory {
                line: self.line + 1,
                message: format!(
                    "a line is longer than {MAX_LINE} bytes: is this an S3 Inventory CSV report?"
                ),
            });
        }
        Ok(())
    }

    fn row(&mut self, raw: &[u8], each: &mut dyn FnMut(Object)) -> Result<(), S3Error> {
        self.line += 1;
        let line = self.line;
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let text =
            std::str::from_utf8(raw).map_err(|_| S3Error::Inventory { line, message: "not UTF-8".into() })?;
        let fields = split_csv(text).map_err(|m| S3Error::Inventory { line, message: m })?;
        if fields.len() != self.cols.count {
            return Err(S3Error::Inventory {
                line,
                message: format!("{} fields, but the fileSchema names {}", fields.len(), self.cols.count),
            });
        }
        let get =
            |i: Option<usize>| i.and_then(|i| fields.get(i)).map(String::as_str).filter(|s| !s.is_empty());
        let key = url_decode(get(Some(self.cols.key)).unwrap_or_default())
            .ok_or_else(|| S3Error::Inventory { line, message: "the key is not URL-encoded UTF-8".into() })?;
        let encryption = match get(self.cols.encryption) {
            None => None,
            Some(e) => Some(Encryption::parse(e).ok_or_else(|| S3Error::Inventory {
                line,
                message: format!("EncryptionStatus `{e}` is not NOT-SSE, SSE-S3, SSE-C, SSE-KMS or DSSE-KMS"),
            })?),
        };
        let size =
            match get(self.cols.size) {
                None => None,
                Some(s) => Some(s.parse::<u64>().map_err(|_| S3Error::Inventory {
                    line,
                    message: format!("Size `{s}` is not a number"),
                })?),
            };
        each(Object {
            key,
            version_id: get(self.cols.version).map(str::to_string),
            size,
            tags: Vec::new(),
            storage_class: get(self.cols.storage_class).unwrap_or("STANDARD").to_string(),
            encryption,
            kms_key_arn: get(self.cols.kms_key).map(str::to_string),
            bucket_key: get(self.cols.bucket_key).map(|s| s.eq_ignore_ascii_case("ENABLED")),
            is_replica: get(self.cols.replication) == Some("REPLICA"),
            is_delete_marker: get(self.cols.delete_marker).is_some_and(|s| s.eq_ignore_ascii_case("true")),
            existing: self.existing,
        });
        Ok(())
    }
}

/// Splits one CSV line (fields optionally quoted, `""` inside quotes).
fn split_csv(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cur.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cur.push(c),
            (false, '"') if cur.is_empty() && !was_quoted => {
                quoted = true;
                was_quoted = true;
            }
            (false, ',') => {
                out.push(std::mem::take(&mut cur));
                was_quoted = false;
            }
            (false, c) if was_quoted => return Err(format!("`{c}` after a closing quote")),
            (false, c) => cur.push(c),
        }
    }
    if quoted {
        return Err("a quote is not closed".into());
    }
    out.push(cur);
    Ok(out)
}

/// Decodes `%XX` and `+` (a space), as S3 Inventory encodes keys.
pub fn url_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'%' => {
                let hex = b.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Counts of the verdicts: per destination and outcome, per destination and deciding reason, per
/// source status and per top-level prefix.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub rows: u64,
    pub outcomes: BTreeMap<(String, &'static str), u64>,
    pub reasons: BTreeMap<(String, &'static str), u64>,
    pub source_status: BTreeMap<&'static str, u64>,
    /// prefix → [replicated, not replicated, failed] objects (by their worst destination).
    pub prefixes: BTreeMap<String, [u64; 3]>,
}

impl Summary {
    /// Adds one verdict.
    pub fn add(&mut self, v: &ObjectVerdict) {
        self.rows += 1;
        for d in &v.destinations {
            *self.outcomes.entry((d.bucket.clone(), d.outcome.as_str())).or_default() += 1;
            if let Some(r) = d.decided() {
                *self.reasons.entry((d.bucket.clone(), r.code)).or_default() += 1;
            }
        }
        *self.source_status.entry(v.source_status.unwrap_or("NONE")).or_default() += 1;
        let prefix = match v.key.split_once('/') {
            Some((p, _)) => format!("{p}/"),
            None => String::new(),
        };
        let prefix = if self.prefixes.contains_key(&prefix) || self.prefixes.len() < MAX_PREFIXES {
            prefix
        } else {
            "(other prefixes)".to_string()
        };
        let worst = v.destinations.iter().map(|d| d.outcome).max().unwrap_or(Outcome::NotReplicated);
        let slot = match worst {
            Outcome::Replicated => 0,
            Outcome::NotReplicated => 1,
            Outcome::Failed => 2,
        };
        if let Some(c) = self.prefixes.entry(prefix).or_default().get_mut(slot) {
            *c += 1;
        }
    }

    /// The summary as CSV (`kind,destination,name,count`), for download.
    pub fn to_csv(&self) -> String {
        let mut s = String::from("kind,destination,name,count\n");
        s.push_str(&format!("rows,,,{}\n", self.rows));
        for ((d, o), n) in &self.outcomes {
            s.push_str(&format!("outcome,{},{o},{n}\n", csv_field(d)));
        }
        for ((d, c), n) in &self.reasons {
            s.push_str(&format!("reason,{},{c},{n}\n", csv_field(d)));
        }
        for (st, n) in &self.source_status {
            s.push_str(&format!("sourceStatus,,{st},{n}\n"));
        }
        for (p, [r, nr, f]) in &self.prefixes {
            let p = csv_field(p);
            s.push_str(&format!(
                "prefixReplicated,,{p},{r}\nprefixNotReplicated,,{p},{nr}\nprefixFailed,,{p},{f}\n"
            ));
        }
        s
    }
}

/// One CSV field, quoted when needed.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The header of the per-row verdict CSV for these destinations.
pub fn verdict_csv_header(destinations: &[String]) -> String {
    let mut s = String::from("key,versionId,sourceStatus");
    for d in destinations {
        let d = csv_field(d);
        s.push_str(&format!(",{d} outcome,{d} reason"));
    }
    s.push('\n');
    s
}

/// One verdict as a CSV row (same columns as [`verdict_csv_header`]).
pub fn verdict_csv_row(v: &ObjectVerdict, out: &mut String) {
    out.push_str(&csv_field(&v.key));
    out.push(',');
    out.push_str(&csv_field(v.version_id.as_deref().unwrap_or_default()));
    out.push(',');
    out.push_str(v.source_status.unwrap_or_default());
    for d in &v.destinations {
        out.push(',');
        out.push_str(d.outcome.as_str());
        out.push(',');
        out.push_str(d.decided().map_or("", |r| r.code));
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_and_keys() {
        assert_eq!(split_csv(r#""a","b ""q""",,c"#).unwrap(), vec!["a", "b \"q\"", "", "c"]);
        assert!(split_csv(r#""a"x"#).is_err());
        assert!(split_csv(r#""open"#).is_err());
        assert_eq!(url_decode("logs%2F2026+01.txt").unwrap(), "logs/2026 01.txt");
        assert!(url_decode("%G1").is_none());
        assert!(url_decode("%4").is_none());
    }

    #[test]
    fn lines_split_across_chunks() {
        let mut r = InventoryReader::new("Bucket, Key, EncryptionStatus", false).unwrap();
        let mut keys = Vec::new();
        let mut each = |o: Object| keys.push((o.key, o.encryption));
        r.push(b"\"b\",\"a%2F1\",\"SSE-KMS\"\n\"b\",\"x", &mut each).unwrap();
        r.push(b"y\",\"NOT-SSE\"\r\n\"b\",\"z\",\"SSE-S3\"", &mut each).unwrap();
        r.finish(&mut each).unwrap();
        assert_eq!(
            keys,
            vec![
                ("a/1".to_string(), Some(Encryption::SseKms)),
                ("xy".to_string(), Some(Encryption::None)),
                ("z".to_string(), Some(Encryption::SseS3)),
            ]
        );
    }

    #[test]
    fn hostile_lines_are_refused_with_their_number() {
        let mut r = InventoryReader::new("Bucket, Key", false).unwrap();
        let mut each = |_: Object| {};
        let long = vec![b'a'; MAX_LINE + 1];
        assert!(matches!(r.push(&long, &mut each), Err(S3Error::Inventory { line: 1, .. })));
        let mut r = InventoryReader::new("Bucket, Key", false).unwrap();
        assert!(matches!(
            r.push(b"\"b\",\"k\"\n\"only\"\n", &mut each),
            Err(S3Error::Inventory { line: 2, .. })
        ));
        assert!(InventoryReader::new("Bucket, Size", false).is_err());
    }
}
