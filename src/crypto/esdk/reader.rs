//! A bounds-checked big-endian byte cursor for parsing untrusted message bytes.
//!
//! It distinguishes "not enough bytes yet" (so a streaming reader can wait for more) from "these
//! bytes are wrong". It is not a parser of any ESDK structure itself.

use super::error::EsdkError;

/// Why a parse step did not produce a value.
#[derive(Debug)]
pub(crate) enum ParseError {
    /// At least this many bytes (counted from the start of the reader's buffer) are needed.
    Incomplete(usize),
    /// The bytes are invalid.
    Invalid(EsdkError),
}

impl From<EsdkError> for ParseError {
    fn from(e: EsdkError) -> Self {
        Self::Invalid(e)
    }
}

pub(crate) type ParseResult<T> = Result<T, ParseError>;

/// A cursor over a byte slice; `base` is the slice's offset in the whole message (for errors).
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
    /// When true, running out of bytes is an error (the slice is a length-delimited field).
    bounded: bool,
}

impl<'a> Reader<'a> {
    /// A reader over a prefix of a stream that may grow.
    pub(crate) fn streaming(buf: &'a [u8], base: usize) -> Self {
        Self { buf, pos: 0, base, bounded: false }
    }

    /// A reader over a complete, length-delimited field.
    pub(crate) fn bounded(buf: &'a [u8], base: usize) -> Self {
        Self { buf, pos: 0, base, bounded: true }
    }

    /// Bytes consumed so far.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// Absolute offset in the message of the next byte.
    pub(crate) fn offset(&self) -> usize {
        self.base.saturating_add(self.pos)
    }

    /// Bytes left in the slice.
    pub(crate) fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    /// An error at the current position.
    pub(crate) fn invalid(&self, reason: impl Into<String>) -> ParseError {
        ParseError::Invalid(EsdkError::malformed(self.offset(), reason))
    }

    /// Take `n` bytes; `what` names the field for errors.
    pub(crate) fn take(&mut self, n: usize, what: &str) -> ParseResult<&'a [u8]> {
        let end = self.pos.checked_add(n).ok_or_else(|| self.invalid(format!("{what} is too long")))?;
        match self.buf.get(self.pos..end) {
            Some(s) => {
                self.pos = end;
                Ok(s)
            }
            None if self.bounded => Err(self.invalid(format!("{what} runs past the end of its field"))),
            None => Err(ParseError::Incomplete(end)),
        }
    }

    /// Ask for `n` more bytes up front (so a streaming caller waits once for a whole unit).
    pub(crate) fn require(&self, n: usize, what: &str) -> ParseResult<()> {
        let end = self.pos.checked_add(n).ok_or_else(|| self.invalid(format!("{what} is too long")))?;
        if end <= self.buf.len() {
            Ok(())
        } else if self.bounded {
            Err(self.invalid(format!("{what} runs past the end of its field")))
        } else {
            Err(ParseError::Incomplete(end))
        }
    }

    /// Take a fixed-size array.
    pub(crate) fn array<const N: usize>(&mut self, what: &str) -> ParseResult<[u8; N]> {
        let s = self.take(N, what)?;
        let mut out = [0u8; N];
        out.copy_from_slice(s);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, what: &str) -> ParseResult<u8> {
        Ok(u8::from_be_bytes(self.array::<1>(what)?))
    }

    pub(crate) fn u16(&mut self, what: &str) -> ParseResult<u16> {
        Ok(u16::from_be_bytes(self.array::<2>(what)?))
    }

    pub(crate) fn u32(&mut self, what: &str) -> ParseResult<u32> {
        Ok(u32::from_be_bytes(self.array::<4>(what)?))
    }

    pub(crate) fn u64(&mut self, what: &str) -> ParseResult<u64> {
        Ok(u64::from_be_bytes(self.array::<8>(what)?))
    }

    /// A `u16` length followed by that many bytes.
    pub(crate) fn u16_prefixed(&mut self, what: &str) -> ParseResult<&'a [u8]> {
        let len = self.u16(what)?;
        self.take(usize::from(len), what)
    }
}

/// Append a `u16` length prefix and the bytes; fails if longer than 65535.
pub(crate) fn put_u16_prefixed(out: &mut Vec<u8>, bytes: &[u8], what: &str) -> Result<(), EsdkError> {
    let len = u16::try_from(bytes.len())
        .map_err(|_| EsdkError::InvalidInput(format!("{what} is longer than 65535 bytes")))?;
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(bytes);
    Ok(())
}
