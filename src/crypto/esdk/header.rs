//! The message header (v1 and v2): typed parsing with every length bounded before use, and writing.
//!
//! Parsing only checks structure; authenticating the header (the tag) is done in `decrypt.rs`
//! once the data key is known, and the signature input is collected there too.

use super::aead::{IV_LEN, TAG_LEN};
use super::context::EncryptionContext;
use super::error::EsdkError;
use super::kdf::COMMITMENT_LEN;
use super::materials::EncryptedDataKey;
use super::reader::{put_u16_prefixed, ParseError, ParseResult, Reader};
use super::suite::{AlgorithmSuite, MessageVersion};

/// The v1 "type" byte (customer authenticated encrypted data).
const V1_TYPE: u8 = 0x80;

/// How the body is laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentType {
    /// One single block (readable, never written by this engine).
    NonFramed,
    /// Frames of `frame_length` bytes and a final frame.
    Framed,
}

impl ContentType {
    /// The serialized byte.
    pub fn byte(self) -> u8 {
        match self {
            Self::NonFramed => 1,
            Self::Framed => 2,
        }
    }
}

/// A parsed (or to-be-written) message header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// The algorithm suite (it fixes the message version).
    pub suite: AlgorithmSuite,
    /// The message id: 16 bytes in v1, 32 in v2.
    pub message_id: Vec<u8>,
    /// The encryption context stored in the header.
    pub encryption_context: EncryptionContext,
    /// The encrypted data keys (at least one).
    pub encrypted_data_keys: Vec<EncryptedDataKey>,
    /// Framed or non-framed.
    pub content_type: ContentType,
    /// Frame length in bytes (0 for non-framed).
    pub frame_length: u32,
    /// The v1 header-authentication IV (all zeros in v2, where it is not serialized).
    pub header_iv: [u8; IV_LEN],
    /// The v2 key commitment ("algorithm suite data").
    pub commitment: Option<[u8; COMMITMENT_LEN]>,
    /// The header authentication tag.
    pub auth_tag: [u8; TAG_LEN],
}

/// A header together with where it ends.
#[derive(Debug, Clone)]
pub struct ParsedHeader {
    /// The typed header.
    pub header: Header,
    /// Length of the header body (the part covered by the header tag's AAD).
    pub body_len: usize,
    /// Length of the whole header including its authentication fields.
    pub total_len: usize,
}

impl Header {
    /// The message format version.
    pub fn version(&self) -> MessageVersion {
        self.suite.message_version()
    }

    /// Parse the header at the start of `bytes` (a message or a prefix of one).
    pub fn from_bytes(bytes: &[u8]) -> Result<ParsedHeader, EsdkError> {
        match Self::parse(bytes, None) {
            Ok(p) => Ok(p),
            Err(ParseError::Incomplete(_)) => Err(EsdkError::Truncated { what: "the header" }),
            Err(ParseError::Invalid(e)) => Err(e),
        }
    }

    /// Parse a header from the start of `buf`; `Incomplete` means more bytes are needed.
    /// `max_edks` is checked before any EDK is read.
    pub(crate) fn parse(buf: &[u8], max_edks: Option<u16>) -> ParseResult<ParsedHeader> {
        let mut r = Reader::streaming(buf, 0);
        let version = match r.u8("the version")? {
            1 => MessageVersion::V1,
            2 => MessageVersion::V2,
            v => return Err(EsdkError::malformed(0, format!("unknown message version `{v}`")).into()),
        };
        if version == MessageVersion::V1 {
            let t = r.u8("the type")?;
            if t != V1_TYPE {
                return Err(EsdkError::malformed(1, format!("unknown message type `0x{t:02x}`")).into());
            }
        }
        let at = r.offset();
        let suite = AlgorithmSuite::from_id(r.u16("the algorithm suite id")?)?;
        if suite.message_version() != version {
            return Err(EsdkError::malformed(
                at,
                format!("suite `0x{:04x}` cannot appear in a version {} message", suite.id(), version.byte()),
            )
            .into());
        }
        let message_id = r.take(version.message_id_len(), "the message id")?.to_vec();
        let aad_len = r.u16("the encryption context length")?;
        let at = r.offset();
        let ec_bytes = r.take(usize::from(aad_len), "the encryption context")?;
        let encryption_context = EncryptionContext::parse(ec_bytes, at)?;
        let encrypted_data_keys = parse_edks(&mut r, max_edks)?;
        let at = r.offset();
        let content_type = match r.u8("the content type")? {
            1 => ContentType::NonFramed,
            2 => ContentType::Framed,
            c => return Err(EsdkError::malformed(at, format!("unknown content type `{c}`")).into()),
        };
        if version == MessageVersion::V1 {
            let at = r.offset();
            if r.u32("the reserved field")? != 0 {
                return Err(EsdkError::malformed(at, "the reserved field is not zero").into());
            }
            let at = r.offset();
            let iv_len = r.u8("the IV length")?;
            if usize::from(iv_len) != IV_LEN {
                return Err(EsdkError::malformed(at, format!("IV length `{iv_len}` is not 12")).into());
            }
        }
        let at = r.offset();
        let frame_length = r.u32("the frame length")?;
        match (content_type, frame_length) {
            (ContentType::NonFramed, 0) => {}
            (ContentType::NonFramed, _) => {
                return Err(EsdkError::malformed(at, "a non-framed message must have frame length 0").into())
            }
            (ContentType::Framed, 0) => {
                return Err(
                    EsdkError::malformed(at, "a framed message must have a frame length above 0").into()
                )
            }
            (ContentType::Framed, _) => {}
        }
        let commitment = match version {
            MessageVersion::V1 => None,
            MessageVersion::V2 => Some(r.array::<COMMITMENT_LEN>("the key commitment")?),
        };
        let body_len = r.pos();
        let header_iv = match version {
            MessageVersion::V1 => r.array::<IV_LEN>("the header IV")?,
            MessageVersion::V2 => [0u8; IV_LEN],
        };
        let auth_tag = r.array::<TAG_LEN>("the header authentication tag")?;
        Ok(ParsedHeader {
            header: Header {
                suite,
                message_id,
                encryption_context,
                encrypted_data_keys,
                content_type,
                frame_length,
                header_iv,
                commitment,
                auth_tag,
            },
            body_len,
            total_len: r.pos(),
        })
    }

    /// Serialize the header body (everything the header tag authenticates).
    pub fn serialize_body(&self) -> Result<Vec<u8>, EsdkError> {
        let version = self.version();
        if self.message_id.len() != version.message_id_len() {
            return Err(EsdkError::InvalidInput("the message id has the wrong length".to_string()));
        }
        let mut out = Vec::new();
        out.push(version.byte());
        if version == MessageVersion::V1 {
            out.push(V1_TYPE);
        }
        out.extend_from_slice(&self.suite.id().to_be_bytes());
        out.extend_from_slice(&self.message_id);
        put_u16_prefixed(&mut out, &self.encryption_context.serialize()?, "the encryption context")?;
        let count = u16::try_from(self.encrypted_data_keys.len())
            .map_err(|_| EsdkError::InvalidInput("more than 65535 encrypted data keys".to_string()))?;
        if count == 0 {
            return Err(EsdkError::InvalidInput(
                "a message needs at least one encrypted data key".to_string(),
            ));
        }
        out.extend_from_slice(&count.to_be_bytes());
        for edk in &self.encrypted_data_keys {
            put_u16_prefixed(&mut out, edk.provider_id.as_bytes(), "a key provider id")?;
            put_u16_prefixed(&mut out, &edk.provider_info, "a key provider info")?;
            put_u16_prefixed(&mut out, &edk.ciphertext, "an encrypted data key")?;
        }
        out.push(self.content_type.byte());
        if version == MessageVersion::V1 {
            out.extend_from_slice(&[0, 0, 0, 0]);
            out.push(IV_LEN as u8);
        }
        out.extend_from_slice(&self.frame_length.to_be_bytes());
        if version == MessageVersion::V2 {
            let c = self
                .commitment
                .ok_or_else(|| EsdkError::InvalidInput("a v2 header needs a key commitment".to_string()))?;
            out.extend_from_slice(&c);
        }
        Ok(out)
    }

    /// The bytes that follow the header body: the v1 IV (if any) and the tag.
    pub fn serialize_auth(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(IV_LEN + TAG_LEN);
        if self.version() == MessageVersion::V1 {
            out.extend_from_slice(&self.header_iv);
        }
        out.extend_from_slice(&self.auth_tag);
        out
    }
}

fn parse_edks(r: &mut Reader<'_>, max_edks: Option<u16>) -> ParseResult<Vec<EncryptedDataKey>> {
    let at = r.offset();
    let count = r.u16("the encrypted data key count")?;
    if count == 0 {
        return Err(EsdkError::malformed(at, "the message has no encrypted data keys").into());
    }
    if let Some(max) = max_edks {
        if count > max {
            return Err(ParseError::Invalid(EsdkError::PolicyViolation(format!(
                "the message has {count} encrypted data keys, more than the allowed {max}"
            ))));
        }
    }
    // Each EDK takes at least 6 bytes, so never reserve more than the bytes present justify.
    let mut edks = Vec::with_capacity(usize::from(count).min(r.remaining() / 6));
    for _ in 0..count {
        let at = r.offset();
        let provider_id = String::from_utf8(r.u16_prefixed("a key provider id")?.to_vec())
            .map_err(|_| EsdkError::malformed(at, "a key provider id is not UTF-8"))?;
        let provider_info = r.u16_prefixed("a key provider info")?.to_vec();
        let ciphertext = r.u16_prefixed("an encrypted data key")?.to_vec();
        edks.push(EncryptedDataKey { provider_id, provider_info, ciphertext });
    }
    Ok(edks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(suite: AlgorithmSuite) -> Header {
        let mut ec = EncryptionContext::new();
        ec.0.insert("k".into(), "v".into());
        Header {
            suite,
            message_id: vec![7; suite.message_version().message_id_len()],
            encryption_context: ec,
            encrypted_data_keys: vec![EncryptedDataKey {
                provider_id: "ns".into(),
                provider_info: b"name".to_vec(),
                ciphertext: vec![1, 2, 3],
            }],
            content_type: ContentType::Framed,
            frame_length: 4096,
            header_iv: [0; IV_LEN],
            commitment: suite.is_committing().then_some([9; COMMITMENT_LEN]),
            auth_tag: [5; TAG_LEN],
        }
    }

    #[test]
    fn every_suite_round_trips_and_every_prefix_is_incomplete() {
        for suite in AlgorithmSuite::ALL {
            let h = sample(suite);
            let mut bytes = h.serialize_body().unwrap();
            let body_len = bytes.len();
            bytes.extend_from_slice(&h.serialize_auth());
            let p = Header::parse(&bytes, None).unwrap();
            assert_eq!(p.header, h);
            assert_eq!((p.body_len, p.total_len), (body_len, bytes.len()));
            for n in 0..bytes.len() {
                assert!(matches!(Header::parse(&bytes[..n], None), Err(ParseError::Incomplete(m)) if m > n));
            }
        }
    }

    #[test]
    fn structural_errors_are_reported_with_offsets() {
        let h = sample(AlgorithmSuite::Aes256GcmIv12Tag16HkdfSha256);
        let mut bytes = h.serialize_body().unwrap();
        bytes.extend_from_slice(&h.serialize_auth());
        let type_byte = 1;
        let mut t = bytes.clone();
        t[type_byte] = 0x81;
        assert!(matches!(
            Header::parse(&t, None),
            Err(ParseError::Invalid(EsdkError::Malformed { at: 1, .. }))
        ));
        // A v1 suite id inside a v2 header.
        let mut t = bytes.clone();
        t[0] = 2;
        assert!(matches!(Header::parse(&t, None), Err(ParseError::Invalid(_))));
        // The EDK limit is checked before the EDKs are read.
        let two = Header { encrypted_data_keys: vec![h.encrypted_data_keys[0].clone(); 2], ..h };
        let bytes = two.serialize_body().unwrap();
        assert!(matches!(
            Header::parse(&bytes, Some(1)),
            Err(ParseError::Invalid(EsdkError::PolicyViolation(_)))
        ));
    }
}
