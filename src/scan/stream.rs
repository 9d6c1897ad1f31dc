//! The streaming scanner: bytes in any chunks, findings out, memory bounded by a fixed window.
//!
//! Text is scanned in windows at fixed absolute positions (every `WINDOW` bytes), each seen with
//! `CONTEXT` bytes before it (for keywords and excerpts) and `OVERLAP` bytes after it (longer than
//! any match), so a finding that straddles two chunks is found whole, and the result does not
//! depend on how the input was cut into chunks: the windows are the same whatever the chunks.
//! A window decides the candidates that start inside it; overlapping candidates are resolved by
//! kind priority (`Kind::ALL` order). Invalid UTF-8 is text that matches nothing.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use super::detect::{self, Candidate, MAX_MATCH};
use super::error::ScanError;
use super::kind::Kind;
use super::mask;

/// Bytes decided per pass.
pub const WINDOW: usize = 256 * 1024;
/// Bytes seen after a window (more than the longest match).
pub const OVERLAP: usize = MAX_MATCH + 4 * 1024;
/// Bytes kept before a window.
pub const CONTEXT: usize = 256;
/// Locations kept per type for the Macie-shaped finding (Macie keeps 15).
pub const MACIE_OCCURRENCES: usize = 15;
/// The default and the largest `maxFindings`.
pub const DEFAULT_MAX_FINDINGS: usize = 1000;
/// See [`DEFAULT_MAX_FINDINGS`].
pub const LIMIT_MAX_FINDINGS: usize = 100_000;

/// What to scan for.
#[derive(Debug, Clone)]
pub struct Options {
    /// Kinds to report (all if empty).
    pub kinds: Vec<Kind>,
    /// Findings kept in full; beyond, only counted (and located for Macie, 15 per type).
    pub max_findings: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self { kinds: Vec::new(), max_findings: DEFAULT_MAX_FINDINGS }
    }
}

/// A position in the text, counted four ways.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Pos {
    /// Bytes from the start.
    pub byte: u64,
    /// Characters (Unicode scalar values; an invalid byte counts as one).
    pub char: u64,
    /// UTF-16 code units (what a JS string index counts).
    pub utf16: u64,
    /// 1-based line.
    pub line: u64,
    /// 1-based column in characters.
    pub column: u64,
    #[serde(skip)]
    line_start_char: u64,
}

impl Pos {
    fn start() -> Self {
        Self { line: 1, column: 1, ..Self::default() }
    }
    fn advance(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte += 1;
            if b & 0xC0 != 0x80 {
                self.char += 1;
                self.utf16 += if b >= 0xF0 { 2 } else { 1 };
            }
            if b == b'\n' {
                self.line += 1;
                self.line_start_char = self.char;
            }
        }
        self.column = self.char - self.line_start_char + 1;
    }
}

/// One occurrence of sensitive data. It holds no raw secret: `masked` and `excerpt` are masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The kind.
    #[serde(skip)]
    pub kind: Kind,
    /// The type id (Macie's where Macie has one).
    #[serde(rename = "type")]
    pub type_id: &'static str,
    /// Whether `type` is one of Macie's managed data identifiers.
    pub macie: bool,
    /// Macie's category.
    pub category: &'static str,
    /// `Low`, `Medium` or `High`.
    pub severity: &'static str,
    /// Why it was reported (the card network, the check that passed, …).
    pub detail: &'static str,
    /// Where it starts.
    pub start: Pos,
    /// Where it ends (one past the last byte).
    pub end: Pos,
    /// The match, masked.
    pub masked: String,
    /// Up to 24 characters either side, with the match and any other finding masked.
    pub excerpt: String,
}

/// A located occurrence for the Macie shape: lines and the start column, and character offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Located {
    /// First line (1-based).
    pub line: u64,
    /// Last line.
    pub end_line: u64,
    /// Start column (1-based characters).
    pub column: u64,
    /// Character offsets.
    pub char_start: u64,
    /// See `char_start`.
    pub char_end: u64,
}

/// The streaming scanner: `push` chunks, then `finish`.
#[derive(Debug)]
pub struct Scanner {
    opts: Options,
    buf: Vec<u8>,
    /// Position of `buf[0]`.
    base: Pos,
    /// Candidates starting before this absolute offset are decided.
    decided: u64,
    /// Emitted spans that may still touch the buffer (blocking overlaps, masked in excerpts).
    recent: VecDeque<(u64, u64)>,
    findings: Vec<Finding>,
    counts: BTreeMap<Kind, u64>,
    located: BTreeMap<Kind, Vec<Located>>,
    finished: bool,
}

/// Everything a scan found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Findings in text order, at most `max_findings`.
    pub findings: Vec<Finding>,
    /// Occurrences per kind (all of them, kept or not).
    pub counts: BTreeMap<Kind, u64>,
    /// The first 15 locations per kind.
    pub located: BTreeMap<Kind, Vec<Located>>,
    /// Bytes scanned.
    pub bytes: u64,
    /// Whether findings were dropped for `max_findings`.
    pub truncated: bool,
}

impl Scanner {
    /// A scanner with these options.
    pub fn new(opts: Options) -> Result<Self, ScanError> {
        detect::warm()?;
        Ok(Self {
            opts,
            buf: Vec::new(),
            base: Pos::start(),
            decided: 0,
            recent: VecDeque::new(),
            findings: Vec::new(),
            counts: BTreeMap::new(),
            located: BTreeMap::new(),
            finished: false,
        })
    }

    /// Bytes taken so far.
    pub fn bytes_seen(&self) -> u64 {
        self.base.byte + self.buf.len() as u64
    }

    /// Bytes held in memory now (at most `CONTEXT + WINDOW + OVERLAP`).
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Findings so far (all kinds).
    pub fn total(&self) -> u64 {
        self.counts.values().sum()
    }

    /// Takes the next chunk. The buffer never holds more than `CONTEXT + WINDOW + OVERLAP` bytes.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), ScanError> {
        if self.finished {
            return Err(ScanError::Finished);
        }
        let mut rest = chunk;
        while !rest.is_empty() {
            let trigger = self.decided + (WINDOW + OVERLAP) as u64;
            let want = usize::try_from(trigger.saturating_sub(self.bytes_seen())).unwrap_or(usize::MAX);
            let (now, later) = rest.split_at(want.min(rest.len()));
            self.buf.extend_from_slice(now);
            rest = later;
            if self.bytes_seen() >= trigger {
                self.pass(false)?;
            }
        }
        Ok(())
    }

    /// Scans what is left and returns the report.
    pub fn finish(&mut self) -> Result<Report, ScanError> {
        if self.finished {
            return Err(ScanError::Finished);
        }
        self.pass(true)?;
        self.finished = true;
        let truncated = self.total() > self.findings.len() as u64;
        Ok(Report {
            findings: std::mem::take(&mut self.findings),
            counts: std::mem::take(&mut self.counts),
            located: std::mem::take(&mut self.located),
            bytes: self.bytes_seen(),
            truncated,
        })
    }

    fn enabled(&self, k: Kind) -> bool {
        self.opts.kinds.is_empty() || self.opts.kinds.contains(&k)
    }

    fn pass(&mut self, last: bool) -> Result<(), ScanError> {
        let base = self.base.byte;
        let cut = if last { self.bytes_seen() } else { self.decided + WINDOW as u64 };
        let rel = |abs: u64| usize::try_from(abs.saturating_sub(base)).unwrap_or(usize::MAX);
        let (from, upto) = (rel(self.decided), rel(cut));
        let mut cands = detect::candidates(&self.buf, &|k| self.enabled(k))?;
        // Candidates before `from` were decided by the previous window.
        cands.retain(|c| c.start >= from);
        cands.sort_by_key(|c| (Kind::ALL.iter().position(|k| *k == c.kind), c.start));
        let mut taken: Vec<(usize, usize)> =
            self.recent.iter().filter(|(_, e)| *e > base).map(|(s, e)| (rel(*s), rel(*e))).collect();
        let mut accepted: Vec<Candidate> = Vec::new();
        for c in cands {
            if taken.iter().any(|(s, e)| c.start < *e && *s < c.end) {
                continue;
            }
            taken.push((c.start, c.end));
            accepted.push(c);
        }
        accepted.retain(|c| c.start < upto);
        accepted.sort_by_key(|c| c.start);
        let mut pos = self.base;
        let mut at = 0usize;
        for c in &accepted {
            pos.advance(self.buf.get(at..c.start).unwrap_or(b""));
            at = c.start;
            let start = pos;
            let mut end = pos;
            end.advance(self.buf.get(c.start..c.end).unwrap_or(b""));
            self.emit(c, start, end, &taken);
            self.recent.push_back((base + c.start as u64, base + c.end as u64));
        }
        self.decided = cut;
        // Keep CONTEXT bytes before the next window.
        let keep_from = rel(cut.saturating_sub(CONTEXT as u64)).min(self.buf.len());
        let dropped: Vec<u8> = self.buf.drain(..keep_from).collect();
        self.base.advance(&dropped);
        let new_base = self.base.byte;
        while self.recent.front().is_some_and(|(_, e)| *e <= new_base) {
            self.recent.pop_front();
        }
        Ok(())
    }

    fn emit(&mut self, c: &Candidate, start: Pos, end: Pos, taken: &[(usize, usize)]) {
        *self.counts.entry(c.kind).or_insert(0) += 1;
        let loc = self.located.entry(c.kind).or_default();
        if loc.len() < MACIE_OCCURRENCES {
            loc.push(Located {
                line: start.line,
                end_line: end.line,
                column: start.column,
                char_start: start.char,
                char_end: end.char,
            });
        }
        if self.findings.len() >= self.opts.max_findings {
            return;
        }
        let w = &self.buf;
        let m = w.get(c.start..c.end).unwrap_or(b"");
        let before_from = mask::back_chars(w, c.start, mask::CONTEXT_CHARS, 0);
        let key = matches!(c.kind, Kind::OpensshPrivateKey | Kind::PkcsPrivateKey | Kind::PgpPrivateKey);
        // After a private key header with no END line in reach, the text is key material.
        let after_to = if key && c.end - c.start < 100 {
            c.end
        } else {
            mask::forward_chars(w, c.end, mask::CONTEXT_CHARS, w.len())
        };
        let others: Vec<(usize, usize)> = taken
            .iter()
            .copied()
            .filter(|s| *s != (c.start, c.end) && s.0 < after_to && s.1 > before_from)
            .collect();
        let mut excerpt = mask::context(w.get(before_from..c.start).unwrap_or(b""), before_from, &others);
        excerpt.push_str(&mask::mask(c.kind, m));
        excerpt.push_str(&mask::context(w.get(c.end..after_to).unwrap_or(b""), c.end, &others));
        self.findings.push(Finding {
            kind: c.kind,
            type_id: c.kind.id(),
            macie: c.kind.macie(),
            category: c.kind.category().id(),
            severity: c.kind.severity().description(),
            detail: c.detail,
            start,
            end,
            masked: mask::mask(c.kind, m),
            excerpt,
        });
    }
}

/// Scans a whole input at once (the same windows as streaming).
pub fn scan(input: &[u8], opts: Options) -> Result<Report, ScanError> {
    let mut s = Scanner::new(opts)?;
    s.push(input)?;
    s.finish()
}
