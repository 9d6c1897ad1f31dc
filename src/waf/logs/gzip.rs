//! Streaming gunzip for WAF log files as AWS delivers them to S3 (`.log.gz`): RFC 1952 members,
//! one after another, inflated through a fixed 64 KiB window so memory never grows with the file.
//! Each member's CRC-32 and length are checked. Not a general archive reader (no tar, no zip).

use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

use crate::waf::error::WafError;

/// Output window: decompressed bytes are handed on in pieces of at most this size.
const WINDOW: usize = 64 * 1024;
/// Longest gzip header accepted (file name and comment included).
const MAX_HEADER: usize = 64 * 1024;

const FTEXT_RESERVED: u8 = 0xe0;
const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Header,
    Body,
    Trailer,
    /// Between members (or at the end).
    Between,
}

/// A gzip stream being decompressed.
pub struct Gunzip {
    state: Box<InflateState>,
    phase: Phase,
    header: Vec<u8>,
    trailer: Vec<u8>,
    crc: u32,
    size: u32,
    out: Vec<u8>,
    members: u64,
}

impl std::fmt::Debug for Gunzip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gunzip").field("phase", &self.phase).field("members", &self.members).finish()
    }
}

impl Default for Gunzip {
    fn default() -> Self {
        Self::new()
    }
}

fn bad(reason: impl Into<String>) -> WafError {
    WafError::Gzip { reason: reason.into() }
}

impl Gunzip {
    /// A decompressor expecting a gzip header first.
    pub fn new() -> Self {
        Self {
            state: InflateState::new_boxed(DataFormat::Raw),
            phase: Phase::Header,
            header: Vec::new(),
            trailer: Vec::new(),
            crc: 0,
            size: 0,
            out: vec![0; WINDOW],
            members: 0,
        }
    }

    /// Decompresses `input`, handing each piece of output to `sink`.
    pub fn push(
        &mut self,
        mut input: &[u8],
        sink: &mut dyn FnMut(&[u8]) -> Result<(), WafError>,
    ) -> Result<(), WafError> {
        while !input.is_empty() {
            let used = match self.phase {
                Phase::Between => {
                    if input.first() != Some(&0x1f) {
                        return Err(bad("bytes after the end of the gzip data are not another gzip member"));
                    }
                    self.phase = Phase::Header;
                    0
                }
                Phase::Header => self.header_bytes(input)?,
                Phase::Body => self.body(input, sink)?,
                Phase::Trailer => {
                    let take = input.len().min(8 - self.trailer.len());
                    self.trailer.extend_from_slice(input.get(..take).unwrap_or_default());
                    if self.trailer.len() == 8 {
                        self.check_trailer()?;
                    }
                    take
                }
            };
            input = input.get(used..).unwrap_or_default();
        }
        Ok(())
    }

    /// Takes from `input` exactly what the header still needs (never a byte of the body).
    fn header_bytes(&mut self, input: &[u8]) -> Result<usize, WafError> {
        let take = match header_need(&self.header)? {
            Need::Exact(n) => n.min(input.len()),
            Need::UntilNul => memchr::memchr(0, input).map_or(input.len(), |i| i + 1),
            Need::Done => 0,
        };
        if self.header.len() + take > MAX_HEADER {
            return Err(bad(format!("the gzip header is longer than {MAX_HEADER} bytes")));
        }
        self.header.extend_from_slice(input.get(..take).unwrap_or_default());
        if header_need(&self.header)? == Need::Done {
            self.header.clear();
            self.state.reset(DataFormat::Raw);
            self.crc = 0;
            self.size = 0;
            self.phase = Phase::Body;
        }
        Ok(take)
    }

    /// Inflates from `input` until it is used up or the member's deflate data ends; returns the
    /// bytes consumed.
    fn body(
        &mut self,
        input: &[u8],
        sink: &mut dyn FnMut(&[u8]) -> Result<(), WafError>,
    ) -> Result<usize, WafError> {
        let mut used = 0;
        loop {
            let rest = input.get(used..).unwrap_or_default();
            let r = inflate(&mut self.state, rest, &mut self.out, MZFlush::None);
            used += r.bytes_consumed;
            let produced = self.out.get(..r.bytes_written).unwrap_or_default();
            if !produced.is_empty() {
                self.crc = crc32_update(self.crc, produced);
                self.size = self.size.wrapping_add(r.bytes_written as u32);
                sink(produced)?;
            }
            match r.status {
                Ok(MZStatus::StreamEnd) => {
                    self.phase = Phase::Trailer;
                    self.trailer.clear();
                    return Ok(used);
                }
                Ok(_) => {
                    if r.bytes_consumed == 0 && r.bytes_written == 0 {
                        return Ok(used);
                    }
                }
                Err(MZError::Buf) => return Ok(used),
                Err(_) => return Err(bad("the deflate data is damaged")),
            }
            if used >= input.len() && r.bytes_written < self.out.len() {
                return Ok(used);
            }
        }
    }

    fn check_trailer(&mut self) -> Result<(), WafError> {
        let word = |i: usize| -> u32 {
            let b = |j: usize| u32::from(self.trailer.get(i + j).copied().unwrap_or(0));
            b(0) | b(1) << 8 | b(2) << 16 | b(3) << 24
        };
        if word(0) != self.crc {
            return Err(bad("the CRC-32 of the decompressed data does not match: the file is damaged"));
        }
        if word(4) != self.size {
            return Err(bad("the length of the decompressed data does not match: the file is damaged"));
        }
        self.members += 1;
        self.phase = Phase::Between;
        Ok(())
    }

    /// Ends the stream: an error if it stopped inside a member.
    pub fn finish(&self) -> Result<(), WafError> {
        match self.phase {
            Phase::Between => Ok(()),
            Phase::Header if self.header.is_empty() && self.members > 0 => Ok(()),
            _ => Err(bad("the gzip data ends early: the file is truncated")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Need {
    /// This many more bytes (at most) before the header can be read further.
    Exact(usize),
    /// Bytes up to and including the next NUL (a file name or comment).
    UntilNul,
    /// The header is complete.
    Done,
}

/// What the gzip header at the start of `h` still needs.
fn header_need(h: &[u8]) -> Result<Need, WafError> {
    let byte = |i: usize| h.get(i).copied();
    if let Some(m) = byte(0) {
        if m != 0x1f || byte(1).is_some_and(|m| m != 0x8b) {
            return Err(bad("the data does not start with the gzip magic bytes 1f 8b"));
        }
    }
    if h.len() < 10 {
        return Ok(Need::Exact(10 - h.len()));
    }
    if byte(2) != Some(8) {
        return Err(bad("the gzip compression method is not deflate"));
    }
    let flags = byte(3).unwrap_or(0);
    if flags & FTEXT_RESERVED != 0 {
        return Err(bad("the gzip header sets reserved flags"));
    }
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let (Some(lo), Some(hi)) = (byte(at), byte(at + 1)) else { return Ok(Need::Exact(at + 2 - h.len())) };
        at += 2 + (usize::from(lo) | usize::from(hi) << 8);
        if h.len() < at {
            return Ok(Need::Exact(at - h.len()));
        }
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            match h.get(at..).and_then(|t| memchr::memchr(0, t)) {
                Some(nul) => at += nul + 1,
                None => return Ok(Need::UntilNul),
            }
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    Ok(if h.len() >= at { Need::Done } else { Need::Exact(at - h.len()) })
}

/// CRC-32 tables for slicing by 8: `T[0]` is the classic byte table, `T[k][b]` the CRC of `b`
/// followed by `k` zero bytes.
const fn crc_tables() -> [[u32; 256]; 8] {
    let mut t = [[0u32; 256]; 8];
    let mut i = 0;
    while i < 256 {
        let mut c = i as u32;
        let mut k = 0;
        while k < 8 {
            c = if c & 1 != 0 { 0xedb8_8320 ^ (c >> 1) } else { c >> 1 };
            k += 1;
        }
        // Const evaluation: every index is below its bound (256, 8); a slip would fail the build.
        #[allow(clippy::indexing_slicing)]
        {
            t[0][i] = c;
        }
        i += 1;
    }
    let mut k = 1;
    while k < 8 {
        let mut i = 0;
        while i < 256 {
            #[allow(clippy::indexing_slicing)]
            {
                let prev = t[k - 1][i];
                t[k][i] = (prev >> 8) ^ t[0][(prev & 0xff) as usize];
            }
            i += 1;
        }
        k += 1;
    }
    t
}

static CRC: [[u32; 256]; 8] = crc_tables();

fn tab(k: usize, i: u32) -> u32 {
    CRC.get(k).and_then(|t| t.get((i & 0xff) as usize)).copied().unwrap_or(0)
}

/// CRC-32 (ISO-HDLC, as gzip uses) continued over `data`, eight bytes at a time.
pub fn crc32_update(crc: u32, data: &[u8]) -> u32 {
    let mut c = !crc;
    let mut words = data.chunks_exact(8);
    for w in &mut words {
        let mut b = [0u8; 8];
        b.copy_from_slice(w);
        let lo = c ^ u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let hi = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
        c = tab(7, lo)
            ^ tab(6, lo >> 8)
            ^ tab(5, lo >> 16)
            ^ tab(4, lo >> 24)
            ^ tab(3, hi)
            ^ tab(2, hi >> 8)
            ^ tab(1, hi >> 16)
            ^ tab(0, hi >> 24);
    }
    for &b in words.remainder() {
        c = tab(0, c ^ u32::from(b)) ^ (c >> 8);
    }
    !c
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::crc32_update;

    #[test]
    fn crc32_check_value_and_any_split() {
        // The CRC-32/ISO-HDLC check value (the CRC of "123456789").
        assert_eq!(crc32_update(0, b"123456789"), 0xcbf4_3926);
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        let whole = crc32_update(0, &data);
        for cut in [0, 1, 7, 8, 9, 500, 999] {
            assert_eq!(crc32_update(crc32_update(0, &data[..cut]), &data[cut..]), whole);
        }
    }
}
