//! The message body: frame and single-block layout, the body AAD, frame IVs, reading and writing one unit.
//!
//! A "unit" is one regular frame, the final frame, or the single block of a non-framed body.
//! Sealing and opening a unit is done by the caller with a [`super::aead::BatchAead`]; ordering rules
//! live in `encrypt.rs` and `decrypt.rs`.

use super::aead::{SealJob, IV_LEN, TAG_LEN};
use super::error::EsdkError;
use super::reader::{ParseResult, Reader};

/// Marks a final frame in place of a sequence number.
pub const FINAL_FRAME_MARKER: u32 = 0xFFFF_FFFF;
/// Largest content of a non-framed body (2^36 - 32 bytes).
pub const MAX_SINGLE_BLOCK: u64 = (1 << 36) - 32;

/// Which kind of body unit; it selects the body AAD content string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKind {
    /// A regular frame.
    Frame,
    /// The final frame.
    FinalFrame,
    /// The single block of a non-framed body.
    SingleBlock,
}

impl UnitKind {
    fn content_string(self) -> &'static [u8] {
        match self {
            Self::Frame => b"AWSKMSEncryptionClient Frame",
            Self::FinalFrame => b"AWSKMSEncryptionClient Final Frame",
            Self::SingleBlock => b"AWSKMSEncryptionClient Single Block",
        }
    }
}

/// Body AAD: message id ‖ content string ‖ u32 sequence number ‖ u64 content length.
pub fn body_aad(message_id: &[u8], kind: UnitKind, seq: u32, len: u64) -> Vec<u8> {
    let s = kind.content_string();
    let mut aad = Vec::with_capacity(message_id.len() + s.len() + 12);
    aad.extend_from_slice(message_id);
    aad.extend_from_slice(s);
    aad.extend_from_slice(&seq.to_be_bytes());
    aad.extend_from_slice(&len.to_be_bytes());
    aad
}

/// The IV a writer uses for a sequence number: zeros ‖ u32 seq.
pub fn frame_iv(seq: u32) -> [u8; IV_LEN] {
    let mut iv = [0u8; IV_LEN];
    for (d, s) in iv.iter_mut().skip(IV_LEN - 4).zip(seq.to_be_bytes()) {
        *d = s;
    }
    iv
}

/// One body unit as it sits in the input buffer.
#[derive(Debug)]
pub(crate) struct Unit<'a> {
    pub kind: UnitKind,
    pub seq: u32,
    pub iv: [u8; IV_LEN],
    /// Followed in the input by its tag.
    pub ciphertext: &'a [u8],
    /// Serialized length of the unit.
    pub len: usize,
}

/// Parse the next frame; `base` is its offset in the message (for errors).
pub(crate) fn parse_frame(
    buf: &[u8],
    base: usize,
    frame_length: u32,
    expected_seq: u32,
) -> ParseResult<Unit<'_>> {
    let mut r = Reader::streaming(buf, base);
    let at = r.offset();
    let first = r.u32("a frame sequence number")?;
    let (kind, seq, iv, len) = if first == FINAL_FRAME_MARKER {
        let at = r.offset();
        let seq = r.u32("the final frame sequence number")?;
        check_seq(seq, expected_seq, at)?;
        let iv = r.array::<IV_LEN>("the final frame IV")?;
        let at = r.offset();
        let len = r.u32("the final frame length")?;
        if len > frame_length {
            return Err(EsdkError::malformed(
                at,
                format!("the final frame holds {len} bytes, more than the frame length {frame_length}"),
            )
            .into());
        }
        (UnitKind::FinalFrame, seq, iv, len)
    } else {
        check_seq(first, expected_seq, at)?;
        let iv = r.array::<IV_LEN>("a frame IV")?;
        (UnitKind::Frame, first, iv, frame_length)
    };
    let n = usize::try_from(len).map_err(|_| r.invalid("frame too large for this platform"))?;
    r.require(n.saturating_add(TAG_LEN), "a frame")?;
    let ciphertext = r.take(n, "a frame's ciphertext")?;
    r.take(TAG_LEN, "a frame's tag")?;
    Ok(Unit { kind, seq, iv, ciphertext, len: r.pos() })
}

/// Parse a non-framed body; content longer than `max_len` is refused before waiting for it.
pub(crate) fn parse_single_block(buf: &[u8], base: usize, max_len: u64) -> ParseResult<Unit<'_>> {
    let mut r = Reader::streaming(buf, base);
    let iv = r.array::<IV_LEN>("the body IV")?;
    let at = r.offset();
    let len = r.u64("the body length")?;
    if len > MAX_SINGLE_BLOCK {
        return Err(EsdkError::malformed(at, format!("the body length {len} exceeds 2^36 - 32")).into());
    }
    if len > max_len {
        return Err(EsdkError::PolicyViolation(format!(
            "the non-framed body holds {len} bytes, more than the {max_len} this decryptor may buffer"
        ))
        .into());
    }
    let n = usize::try_from(len).map_err(|_| r.invalid("body too large for this platform"))?;
    r.require(n.saturating_add(TAG_LEN), "the body")?;
    let ciphertext = r.take(n, "the body ciphertext")?;
    r.take(TAG_LEN, "the body tag")?;
    Ok(Unit { kind: UnitKind::SingleBlock, seq: 1, iv, ciphertext, len: r.pos() })
}

fn check_seq(seq: u32, expected: u32, at: usize) -> ParseResult<()> {
    if seq == expected {
        Ok(())
    } else {
        Err(EsdkError::malformed(at, format!("frame sequence number {seq} where {expected} was expected"))
            .into())
    }
}

/// Append one frame (regular or final) to `out` with its plaintext in place of the ciphertext and
/// room for the tag; returns the job that seals it.
pub fn lay_out_frame(
    out: &mut Vec<u8>,
    message_id: &[u8],
    seq: u32,
    plaintext: &[u8],
    is_final: bool,
) -> Result<SealJob, EsdkError> {
    let len = u32::try_from(plaintext.len())
        .map_err(|_| EsdkError::InvalidInput("a frame cannot exceed 2^32 - 1 bytes".to_string()))?;
    let iv = frame_iv(seq);
    let kind = if is_final {
        out.extend_from_slice(&FINAL_FRAME_MARKER.to_be_bytes());
        UnitKind::FinalFrame
    } else {
        UnitKind::Frame
    };
    out.extend_from_slice(&seq.to_be_bytes());
    out.extend_from_slice(&iv);
    if is_final {
        out.extend_from_slice(&len.to_be_bytes());
    }
    let at = out.len();
    out.extend_from_slice(plaintext);
    out.extend_from_slice(&[0u8; TAG_LEN]);
    let aad = body_aad(message_id, kind, seq, u64::from(len));
    Ok(SealJob { iv, aad, at, len: plaintext.len() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::esdk::reader::ParseError;

    #[test]
    fn iv_and_aad_layout() {
        assert_eq!(frame_iv(0x0102_0304), [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]);
        let aad = body_aad(&[0xAA; 16], UnitKind::FinalFrame, 3, 5);
        assert_eq!(&aad[..16], &[0xAA; 16]);
        assert_eq!(&aad[16..50], b"AWSKMSEncryptionClient Final Frame");
        assert_eq!(&aad[50..], &[0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 5]);
    }

    #[test]
    fn final_frame_longer_than_the_frame_length_is_malformed() {
        let mut f = FINAL_FRAME_MARKER.to_be_bytes().to_vec();
        f.extend_from_slice(&1u32.to_be_bytes());
        f.extend_from_slice(&[0; IV_LEN]);
        f.extend_from_slice(&17u32.to_be_bytes());
        assert!(matches!(parse_frame(&f, 0, 16, 1), Err(ParseError::Invalid(_))));
        assert!(
            matches!(parse_frame(&f, 0, 17, 1), Err(ParseError::Incomplete(n)) if n == f.len() + 17 + TAG_LEN)
        );
        assert!(matches!(parse_frame(&f, 0, 17, 2), Err(ParseError::Invalid(_))));
    }

    #[test]
    fn huge_single_block_is_refused_before_buffering() {
        let mut b = vec![0u8; IV_LEN];
        b.extend_from_slice(&(1u64 << 40).to_be_bytes());
        assert!(matches!(
            parse_single_block(&b, 0, u64::MAX),
            Err(ParseError::Invalid(EsdkError::Malformed { .. }))
        ));
        b.truncate(IV_LEN);
        b.extend_from_slice(&1000u64.to_be_bytes());
        assert!(matches!(
            parse_single_block(&b, 0, 999),
            Err(ParseError::Invalid(EsdkError::PolicyViolation(_)))
        ));
    }
}
