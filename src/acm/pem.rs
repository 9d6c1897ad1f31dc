//! The certificate reader's front door: PEM text (one or more `CERTIFICATE` blocks, anything
//! between blocks ignored, as `openssl x509` does) or raw DER bytes, into DER blobs that each
//! remember where they came from.
//!
//! Bounds are checked before anything is allocated: the input as a whole, each certificate
//! ([`MAX_CERT_BYTES`]) and the number of certificates ([`MAX_CERTS`]). This does not decode
//! X.509 (that is `inspect.rs`); it only finds the bytes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

use super::error::AcmError;

/// The largest certificate read (DER bytes). Real certificates are 1–4 KiB; 64 KiB leaves room
/// for ML-DSA keys and long SAN lists.
pub const MAX_CERT_BYTES: usize = 64 * 1024;
/// The most certificates read from one input (a leaf, intermediates and a root fit easily).
pub const MAX_CERTS: usize = 10;
/// The largest input read: ten PEM certificates of the largest size with room for comments.
pub const MAX_INPUT_BYTES: usize = MAX_CERTS * (MAX_CERT_BYTES * 4 / 3 + 1024) + 64 * 1024;

const BEGIN: &str = "-----BEGIN ";
const END: &str = "-----END ";
const DASHES: &str = "-----";

/// One certificate's DER and where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The DER bytes.
    pub der: Vec<u8>,
    /// 1-based line of the BEGIN line (0 for DER input).
    pub line: usize,
}

/// Reads PEM text or DER bytes. DER is recognised by its first byte (a SEQUENCE, 0x30); anything
/// else is read as PEM text.
pub fn read(input: &[u8]) -> Result<Vec<Block>, AcmError> {
    if input.len() > MAX_INPUT_BYTES {
        return Err(AcmError::TooLarge {
            what: "the input",
            actual: input.len(),
            limit: MAX_INPUT_BYTES,
            hint: "give at most ten certificates",
        });
    }
    match input.first() {
        None => Err(AcmError::Empty),
        Some(0x30) => read_der(input),
        Some(_) => read_pem(input),
    }
}

/// DER input: one or more certificates back to back, each delimited by its own length.
fn read_der(input: &[u8]) -> Result<Vec<Block>, AcmError> {
    let mut out = Vec::new();
    let mut rest = input;
    let mut at = 0usize;
    while !rest.is_empty() {
        if out.len() == MAX_CERTS {
            return Err(too_many());
        }
        let len = der_total_len(rest).ok_or_else(|| AcmError::Der {
            index: out.len(),
            offset: 0,
            message: format!("no complete DER SEQUENCE at input byte {at}"),
        })?;
        if len > MAX_CERT_BYTES {
            return Err(too_large(len));
        }
        let (one, tail) = rest.split_at_checked(len).ok_or_else(|| AcmError::Der {
            index: out.len(),
            offset: rest.len(),
            message: format!("truncated: the SEQUENCE says {len} bytes, {} remain", rest.len()),
        })?;
        out.push(Block { der: one.to_vec(), line: 0 });
        rest = tail;
        at += len;
    }
    Ok(out)
}

/// The length of a DER TLV (header included) from its first bytes, if the header is well formed.
pub(crate) fn der_total_len(b: &[u8]) -> Option<usize> {
    let first = *b.get(1)?;
    if first < 0x80 {
        return Some(2 + usize::from(first));
    }
    let n = usize::from(first & 0x7f);
    if n == 0 || n > 4 {
        return None;
    }
    let mut len = 0usize;
    for i in 0..n {
        len = (len << 8) | usize::from(*b.get(2 + i)?);
    }
    len.checked_add(2 + n)
}

/// PEM text: every `CERTIFICATE` block, in order.
fn read_pem(input: &[u8]) -> Result<Vec<Block>, AcmError> {
    let text = std::str::from_utf8(input).map_err(|e| {
        let line = 1 + input.iter().take(e.valid_up_to()).filter(|&&c| c == b'\n').count();
        AcmError::Pem {
            line,
            message: "not UTF-8 text and not DER: give a PEM certificate or DER bytes".into(),
        }
    })?;
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None; // (begin line, base64 so far)
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        let line = raw.trim();
        match &mut current {
            None => {
                if let Some(label) = armour(line, BEGIN) {
                    if label != "CERTIFICATE" {
                        if label.contains("PRIVATE KEY") {
                            return Err(AcmError::Pem {
                                line: line_no,
                                message: format!("`{label}` is a private key: paste only the certificate (a private key never needs to leave your machine)"),
                            });
                        }
                        return Err(AcmError::Pem {
                            line: line_no,
                            message: format!(
                                "`BEGIN {label}` is not a certificate: expected `BEGIN CERTIFICATE`"
                            ),
                        });
                    }
                    if out.len() == MAX_CERTS {
                        return Err(too_many());
                    }
                    current = Some((line_no, String::new()));
                } else if armour(line, END).is_some() {
                    return Err(AcmError::Pem {
                        line: line_no,
                        message: "an END line without its BEGIN line".into(),
                    });
                }
            }
            Some((begin, b64)) => {
                if let Some(label) = armour(line, END) {
                    if label != "CERTIFICATE" {
                        return Err(AcmError::Pem {
                            line: line_no,
                            message: format!("`END {label}` closes the `BEGIN CERTIFICATE` of line {begin}"),
                        });
                    }
                    let der = decode_body(b64, *begin)?;
                    out.push(Block { der, line: *begin });
                    current = None;
                } else if armour(line, BEGIN).is_some() {
                    return Err(AcmError::Pem {
                        line: line_no,
                        message: format!(
                            "a BEGIN line inside the block opened on line {begin}: its END line is missing"
                        ),
                    });
                } else if line.contains(':') {
                    return Err(AcmError::Pem {
                        line: line_no,
                        message: "PEM headers (encrypted PEM) are not read: paste a plain certificate".into(),
                    });
                } else {
                    if let Some(bad) = line
                        .chars()
                        .find(|c| !(c.is_ascii_alphanumeric() || *c == '+' || *c == '/' || *c == '='))
                    {
                        return Err(AcmError::Pem {
                            line: line_no,
                            message: format!("`{bad}` is not a base64 character"),
                        });
                    }
                    if b64.len() + line.len() > MAX_CERT_BYTES * 4 / 3 + 4 {
                        return Err(too_large(b64.len() * 3 / 4));
                    }
                    b64.push_str(line);
                }
            }
        }
    }
    if let Some((begin, _)) = current {
        return Err(AcmError::Pem {
            line: begin,
            message: "`BEGIN CERTIFICATE` without its `END CERTIFICATE` line".into(),
        });
    }
    if out.is_empty() {
        return Err(AcmError::Empty);
    }
    Ok(out)
}

/// The label of an armour line (`-----BEGIN X-----` → `X`).
fn armour<'a>(line: &'a str, which: &str) -> Option<&'a str> {
    line.strip_prefix(which)?.strip_suffix(DASHES)
}

fn decode_body(b64: &str, begin: usize) -> Result<Vec<u8>, AcmError> {
    if b64.is_empty() {
        return Err(AcmError::Pem { line: begin, message: "the certificate block is empty".into() });
    }
    STANDARD.decode(b64).map_err(|e| AcmError::Pem {
        line: begin,
        message: format!("the block's base64 does not decode ({e}): was it cut or edited?"),
    })
}

fn too_many() -> AcmError {
    AcmError::TooLarge {
        what: "the number of certificates",
        actual: MAX_CERTS + 1,
        limit: MAX_CERTS,
        hint: "give the leaf and its chain only",
    }
}

fn too_large(n: usize) -> AcmError {
    AcmError::TooLarge {
        what: "a certificate",
        actual: n,
        limit: MAX_CERT_BYTES,
        hint: "is this really a certificate?",
    }
}
