//! The ESDK message's parts for the envelope drawing (`envelope/diagram.rs` places them): the
//! data key of the suite, one wrapped copy per encrypted data key in the header (its key
//! provider and size), then the message's bytes: the header, each frame (or the non-framed
//! body), the final frame and the signature footer, from the engine's header parser
//! (`esdk::json::inspect`).
//!
//! Frame sizes follow the message format: a regular frame is its sequence number (4), IV (12),
//! content (the frame length) and tag (16); the final frame adds the end marker (4) and the
//! content length (4); a non-framed body is IV (12), content length (8), content and tag (16);
//! the footer is the signature length (2) and the signature.
//! <https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/body-structure.html>,
//! <https://docs.aws.amazon.com/encryption-sdk/latest/developer-guide/footer-structure.html>.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use secplay::crypto::esdk::suite::AlgorithmSuite;
use secplay::crypto::keyring::RawAesProviderInfo;
use serde_json::Value;

use crate::pages::diagram::MAX_ITEMS;
use crate::pages::envelope::diagram::{Kind, Parts};

const IV: usize = 12;
const TAG: usize = 16;

fn num(v: &Value, key: &str) -> Option<usize> {
    v.get(key).and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok())
}

fn text<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

/// Who wrapped an encrypted data key: the provider and, where it reads, the key's name or ARN.
fn provider(edk: &Value) -> String {
    let id = text(edk, "providerId");
    let info = B64.decode(text(edk, "providerInfo")).unwrap_or_default();
    let name = match RawAesProviderInfo::parse(&info) {
        Some(p) => String::from_utf8_lossy(p.key_name).into_owned(),
        None => match std::str::from_utf8(&info) {
            Ok(s) if s.chars().all(|c| !c.is_control()) => s.to_string(),
            _ => format!("{} bytes of provider info", info.len()),
        },
    };
    format!("{id} {name}")
}

/// The parts of the message `inspected` (the answer of `esdk::json::inspect`).
pub fn parts(inspected: &Value) -> Parts {
    let h = inspected.get("header").unwrap_or(&Value::Null);
    let suite = h
        .get("suiteId")
        .and_then(Value::as_u64)
        .and_then(|id| u16::try_from(id).ok())
        .and_then(|id| AlgorithmSuite::from_id(id).ok());
    let key = match suite {
        Some(s) => format!("data key: {} bytes", s.key_len()),
        None => "data key".to_string(),
    };
    let key_detail = format!("suite {} {}", text(h, "suiteHex"), text(h, "suiteName"));
    let edks: Vec<&Value> =
        h.get("encryptedDataKeys").and_then(Value::as_array).into_iter().flatten().collect();
    let wraps = edks
        .iter()
        .map(|e| (provider(e), B64.decode(text(e, "ciphertext")).map(|c| c.len()).unwrap_or_default()))
        .collect();
    let mut segments =
        vec![("header".to_string(), num(inspected, "headerLength").unwrap_or_default(), Kind::Header)];
    let body = inspected.get("body").unwrap_or(&Value::Null);
    let units = num(body, "units").unwrap_or_default();
    let final_len = num(body, "finalFrameLength");
    let mut more = (0, 0);
    if text(h, "contentType") == "framed" {
        let frame = num(h, "frameLength").unwrap_or_default();
        let regular = if final_len.is_some() { units.saturating_sub(1) } else { units };
        let frame_bytes = 4 + IV + frame + TAG;
        // Room for the header, the final frame, the footer and an "and more" box.
        let shown = regular.min(MAX_ITEMS.saturating_sub(4));
        for i in 1..=shown {
            segments.push((format!("frame {i}"), frame_bytes, Kind::Content));
        }
        if regular > shown {
            more = (regular - shown, (regular - shown) * frame_bytes);
            segments.push((format!("frames {}–{regular}", shown + 1), more.1, Kind::Content));
        }
        if let Some(n) = final_len {
            segments.push((format!("final frame {}", regular + 1), 4 + 4 + IV + 4 + n + TAG, Kind::Content));
        }
    } else if let Some(n) = final_len {
        segments.push(("body (non-framed)".into(), IV + 8 + n + TAG, Kind::Content));
    }
    if let Some(n) = inspected.get("footer").and_then(|f| num(f, "signatureLength")) {
        segments.push(("signature".into(), 2 + n, Kind::Tag));
    }
    Parts { key, key_detail, wraps, segments, more }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secplay::crypto::esdk::json as engine;
    use serde_json::json;

    fn raw_aes(name: &str, byte: u8) -> Value {
        json!({"type": "raw-aes", "namespace": "ns", "name": name, "key": B64.encode([byte; 32])})
    }

    fn message(len: usize, opts: Value) -> (Vec<u8>, Parts) {
        let bytes = engine::encrypt(&vec![b'x'; len], &opts).unwrap();
        let p = parts(&engine::inspect(&bytes).unwrap());
        (bytes, p)
    }

    /// The parts add up to the message's real length, byte for byte: header, frames with the
    /// final frame last, and the signature of the default (signed) suite.
    #[test]
    fn the_parts_add_up_to_the_message() {
        let opts = json!({"keyrings": [raw_aes("k1", 1), raw_aes("k2", 2)], "frameLength": 1024});
        let (bytes, p) = message(3000, opts);
        let total: usize = p.segments.iter().map(|s| s.1).sum();
        assert_eq!(total, bytes.len());
        let names: Vec<&str> = p.segments.iter().map(|s| s.0.as_str()).collect();
        assert_eq!(names, ["header", "frame 1", "frame 2", "final frame 3", "signature"]);
        assert_eq!(p.segments[1].1, 4 + 12 + 1024 + 16);
        assert_eq!(p.segments[3].1, 4 + 4 + 12 + 4 + (3000 - 2048) + 16);
        assert_eq!(p.wraps.len(), 2);
        assert_eq!(
            p.wraps[0],
            ("ns k1".to_string(), 32 + 16),
            "AES-GCM wraps the 32-byte key with a 16-byte tag"
        );
        assert_eq!(p.key, "data key: 32 bytes");
        assert!(p.key_detail.starts_with("suite 0x0578 "), "{}", p.key_detail);
    }

    /// An unsigned suite has no footer; an empty message is one empty final frame.
    #[test]
    fn an_unsigned_empty_message() {
        let opts = json!({"keyrings": [raw_aes("k", 3)], "suiteId": 0x0478});
        let (bytes, p) = message(0, opts);
        assert_eq!(p.segments.iter().map(|s| s.1).sum::<usize>(), bytes.len());
        assert!(p.segments.iter().all(|s| s.0 != "signature"));
        assert_eq!(p.segments.last().unwrap().0, "final frame 1");
    }

    #[test]
    fn many_frames_are_summed_in_one_box() {
        let opts = json!({"keyrings": [raw_aes("k", 4)], "frameLength": 128});
        let (bytes, p) = message(128 * 300 + 5, opts);
        assert!(p.segments.len() <= MAX_ITEMS);
        assert_eq!(p.segments.iter().map(|s| s.1).sum::<usize>(), bytes.len());
        assert_eq!(p.more.0, 300 - (MAX_ITEMS - 4));
    }
}
