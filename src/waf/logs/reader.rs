//! The streaming log reader: bytes in (text or gzip, told apart by the gzip magic bytes), complete
//! lines out, numbered from 1, each at most [`MAX_LINE`] bytes. Memory holds one partial line
//! and the gzip window, whatever the size of the file. What a line means is `record`'s business.

use super::gzip::Gunzip;
use crate::waf::error::WafError;

/// The longest line accepted: far above any real record (AWS logs at most a few hundred
/// headers), far below what would hurt the page.
pub const MAX_LINE: usize = 1024 * 1024;

/// Splits a byte stream into lines.
#[derive(Debug, Default)]
struct Lines {
    pending: Vec<u8>,
    line: u64,
}

impl Lines {
    fn push(&mut self, chunk: &[u8], each: &mut dyn FnMut(u64, &[u8])) -> Result<(), WafError> {
        let mut rest = chunk;
        while let Some(nl) = memchr::memchr(b'\n', rest) {
            let (head, tail) = rest.split_at(nl);
            rest = tail.get(1..).unwrap_or_default();
            self.line += 1;
            self.bound(head.len(), self.line)?;
            if self.pending.is_empty() {
                each(self.line, strip_cr(head));
            } else {
                self.pending.extend_from_slice(head);
                each(self.line, strip_cr(&self.pending));
                self.pending.clear();
            }
        }
        self.bound(rest.len(), self.line + 1)?;
        self.pending.extend_from_slice(rest);
        Ok(())
    }

    fn finish(&mut self, each: &mut dyn FnMut(u64, &[u8])) {
        if !self.pending.is_empty() {
            self.line += 1;
            each(self.line, strip_cr(&self.pending));
            self.pending = Vec::new();
        }
    }

    fn bound(&self, more: usize, line: u64) -> Result<(), WafError> {
        if self.pending.len().saturating_add(more) > MAX_LINE {
            return Err(WafError::LogLine {
                line,
                reason: format!(
                    "the line is longer than {MAX_LINE} bytes: a WAF log has one JSON record per line (is this a log file?)"
                ),
            });
        }
        Ok(())
    }
}

fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// What the stream turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// Not known yet (fewer than two bytes seen).
    Unknown,
    /// Plain text.
    Text,
    /// Gzip.
    Gzip,
}

/// Reads a WAF log pushed in chunks of any size.
#[derive(Debug)]
pub struct LogReader {
    encoding: Encoding,
    first: Vec<u8>,
    gunzip: Option<Gunzip>,
    lines: Lines,
    bytes_in: u64,
    bytes_out: u64,
}

impl Default for LogReader {
    fn default() -> Self {
        Self::new()
    }
}

impl LogReader {
    /// A reader that has seen nothing yet.
    pub fn new() -> Self {
        Self {
            encoding: Encoding::Unknown,
            first: Vec::new(),
            gunzip: None,
            lines: Lines::default(),
            bytes_in: 0,
            bytes_out: 0,
        }
    }

    /// Feeds a chunk; `each` gets every complete line in it (number, bytes without the newline).
    pub fn push(&mut self, chunk: &[u8], each: &mut dyn FnMut(u64, &[u8])) -> Result<(), WafError> {
        self.bytes_in += chunk.len() as u64;
        if self.encoding == Encoding::Unknown {
            self.first.extend_from_slice(chunk);
            if self.first.len() < 2 {
                return Ok(());
            }
            let gzip = self.first.starts_with(&[0x1f, 0x8b]);
            self.encoding = if gzip { Encoding::Gzip } else { Encoding::Text };
            if gzip {
                self.gunzip = Some(Gunzip::new());
            }
            let first = std::mem::take(&mut self.first);
            return self.feed(&first, each);
        }
        self.feed(chunk, each)
    }

    fn feed(&mut self, chunk: &[u8], each: &mut dyn FnMut(u64, &[u8])) -> Result<(), WafError> {
        let Self { gunzip, lines, bytes_out, .. } = self;
        match gunzip {
            Some(g) => g.push(chunk, &mut |out| {
                *bytes_out += out.len() as u64;
                lines.push(out, each)
            }),
            None => {
                *bytes_out += chunk.len() as u64;
                lines.push(chunk, each)
            }
        }
    }

    /// Ends the stream: the last line when it has no newline; an error for a truncated gzip file.
    pub fn finish(&mut self, each: &mut dyn FnMut(u64, &[u8])) -> Result<(), WafError> {
        if self.encoding == Encoding::Unknown && !self.first.is_empty() {
            self.encoding = Encoding::Text;
            let first = std::mem::take(&mut self.first);
            self.feed(&first, each)?;
        }
        if let Some(g) = &self.gunzip {
            g.finish()?;
        }
        self.lines.finish(each);
        Ok(())
    }

    /// Text or gzip, once known.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Bytes pushed so far (compressed, for gzip).
    pub fn bytes_in(&self) -> u64 {
        self.bytes_in
    }

    /// Bytes of text read so far (decompressed, for gzip).
    pub fn bytes_out(&self) -> u64 {
        self.bytes_out
    }

    /// Lines completed so far.
    pub fn lines(&self) -> u64 {
        self.lines.line
    }
}
