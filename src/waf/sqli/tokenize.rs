//! The SQL tokenizer behind the SQLi detector: token classes, keyword lists, and the
//! reading of literals, numbers, names, operators and comments (MySQL `/*! */` comments are
//! read as code). It decides nothing about injection (see `patterns`).
//!
//! Speed: tokens borrow their text from the input (names from a lowercased copy made once per
//! input), so a token costs no allocation unless its bytes are not UTF-8; keywords are found
//! by one lookup in a hash table built once from the lists below, which also records the
//! lists a name belongs to (`flags`) so the patterns never scan a list.

use std::borrow::Cow;
use std::sync::LazyLock;

/// Token classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A quoted literal; `closed` tells whether its closing quote was seen.
    Str {
        /// Whether the literal was terminated.
        closed: bool,
    },
    /// A number (decimal, hex `0x…`, binary `0b…`, float).
    Num,
    /// `AND`, `OR`, `XOR`, `NOT`, `&&`, `||`.
    Logic,
    /// `UNION`, `INTERSECT`, `EXCEPT`, `MINUS`.
    Union,
    /// A statement verb: `SELECT`, `INSERT`, `DROP`, `EXEC`, ...
    Verb,
    /// A clause keyword: `FROM`, `WHERE`, `LIMIT`, `ORDER`, `INTO`, ...
    Clause,
    /// A name followed by `(`.
    Func,
    /// `@x` / `@@x`.
    Var,
    /// Any other name.
    Word,
    /// `= < > <= >= <> != <=> LIKE IS IN ...`.
    Cmp,
    /// `+ - * / % ^ | & ~ ::`.
    Arith,
    /// `(`.
    Open,
    /// `)`.
    Close,
    /// `,`.
    Comma,
    /// `;`.
    Semi,
    /// `.`.
    Dot,
    /// A comment (`--`, `#`, `/* */`).
    Comment,
    /// Anything else (e.g. `{`, `\`).
    Other,
}

/// One token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token<'a> {
    /// Its class.
    pub kind: Kind,
    /// Its text (names lowercased), borrowed from the input when it is UTF-8.
    pub text: Cow<'a, str>,
    /// For names and variables, the keyword lists its text is in (`LOGIC`, ..., `DANGER_NAME`).
    pub flags: u8,
}

/// `flags` bits: the list a name is in.
pub const LOGIC: u8 = 1;
/// In `UNION_WORDS`.
pub const UNION: u8 = 1 << 1;
/// In `CMP_WORDS`.
pub const CMP: u8 = 1 << 2;
/// In `VERBS`.
pub const VERB: u8 = 1 << 3;
/// In `CLAUSES`.
pub const CLAUSE: u8 = 1 << 4;
/// In `DANGER_FUNCS`.
pub const DANGER_FUNC: u8 = 1 << 5;
/// In `patterns::STRONG_FUNCS`.
pub const STRONG_FUNC: u8 = 1 << 6;
/// In `DANGER_NAMES`.
pub const DANGER_NAME: u8 = 1 << 7;

const VERBS: &[&str] = &[
    "select",
    "insert",
    "update",
    "delete",
    "drop",
    "create",
    "alter",
    "truncate",
    "exec",
    "execute",
    "declare",
    "shutdown",
    "waitfor",
    "grant",
    "revoke",
    "merge",
    "call",
    "handler",
    "rename",
    "load",
    "replace",
    "backup",
    "restore",
    "kill",
    "open",
    "fetch",
    "deallocate",
    "prepare",
];
const CLAUSES: &[&str] = &[
    "from",
    "where",
    "into",
    "values",
    "order",
    "group",
    "by",
    "having",
    "limit",
    "offset",
    "join",
    "case",
    "when",
    "then",
    "else",
    "end",
    "as",
    "distinct",
    "all",
    "top",
    "procedure",
    "outfile",
    "dumpfile",
    "table",
    "database",
    "schema",
    "set",
    "delay",
    "begin",
    "collate",
    "escape",
    "sounds",
    "asc",
    "desc",
    "null",
    "true",
    "false",
    "exists",
    "between",
    "inner",
    "outer",
    "left",
    "right",
    "cross",
    "natural",
    "straight_join",
    "union",
];
const CMP_WORDS: &[&str] =
    &["like", "rlike", "regexp", "is", "in", "ilike", "glob", "match", "against", "div", "mod"];
const LOGIC_WORDS: &[&str] = &["and", "or", "xor", "not"];
const UNION_WORDS: &[&str] = &["union", "intersect", "except", "minus"];

/// Functions and names that injected SQL uses and ordinary text practically never calls.
pub(super) const DANGER_FUNCS: &[&str] = &[
    "sleep",
    "benchmark",
    "pg_sleep",
    "load_file",
    "updatexml",
    "extractvalue",
    "xp_cmdshell",
    "sp_executesql",
    "sp_oacreate",
    "sp_password",
    "dbms_pipe",
    "receive_message",
    "utl_inaddr",
    "utl_http",
    "get_host_name",
    "get_host_address",
    "ctxsys",
    "drithsx",
    "dbms_xdb",
    "dbms_lock",
    "name_const",
    "gtid_subset",
    "json_keys",
    "exp",
    "geometrycollection",
    "multipoint",
    "polygon",
    "multipolygon",
    "linestring",
    "multilinestring",
    "procedure",
    "analyse",
    "concat",
    "concat_ws",
    "group_concat",
    "char",
    "chr",
    "nchar",
    "ascii",
    "ord",
    "unhex",
    "hex",
    "substring",
    "substr",
    "mid",
    "version",
    "database",
    "user",
    "current_user",
    "system_user",
    "session_user",
    "schema",
    "cast",
    "convert",
    "floor",
    "rand",
    "count",
    "if",
    "ifnull",
    "iif",
    "isnull",
    "nullif",
    "coalesce",
    "len",
    "length",
    "md5",
    "sha1",
    "make_set",
    "elt",
    "aes_encrypt",
    "aes_decrypt",
    "benchmark",
    "row",
    "updatexml",
    "make_set",
    "instr",
    "locate",
    "position",
    "lpad",
    "rpad",
    "reverse",
    "left",
    "right",
    "waitfor",
    "pg_read_file",
    "lo_import",
    "dblink",
    "openrowset",
    "opendatasource",
    "db_name",
    "user_name",
    "host_name",
    "suser_name",
    "system",
    "tables",
    "columns",
    "sysdate",
    "now",
    "last_insert_id",
    "encode",
    "decode",
    "randomblob",
    "sqlite_version",
    "typeof",
    "unicode",
    "upper",
    "lower",
    "trim",
    "replace",
    "cot",
    "ln",
    "log",
    "pi",
    "abs",
    "sign",
    "bin",
    "oct",
    "conv",
    "soundex",
];
pub(super) const DANGER_NAMES: &[&str] = &[
    "information_schema",
    "sysobjects",
    "syscolumns",
    "sysdatabases",
    "master",
    "mysql",
    "pg_catalog",
    "pg_shadow",
    "pg_user",
    "all_tables",
    "user_tables",
    "dual",
    "sqlite_master",
    "msysobjects",
    "msysaccessobjects",
    "xp_cmdshell",
    "sys",
    "@@version",
    "@@datadir",
];

/// Slots in the keyword hash table (a power of two, about four times the keyword count).
const SLOTS: usize = 1024;

/// The keyword lists and the flag each sets.
const KEYWORD_LISTS: [(&[&str], u8); 8] = [
    (LOGIC_WORDS, LOGIC),
    (UNION_WORDS, UNION),
    (CMP_WORDS, CMP),
    (VERBS, VERB),
    (CLAUSES, CLAUSE),
    (DANGER_FUNCS, DANGER_FUNC),
    (super::patterns::STRONG_FUNCS, STRONG_FUNC),
    (DANGER_NAMES, DANGER_NAME),
];

/// Every keyword with the lists it is in, in an open-addressing hash table (linear probing)
/// built once from the lists above: a lookup is one hash of a short name and usually one probe.
static KEYWORDS: LazyLock<Vec<Option<(&'static str, u8)>>> = LazyLock::new(|| {
    let lists = KEYWORD_LISTS;
    let mut table: Vec<Option<(&'static str, u8)>> = vec![None; SLOTS];
    for (list, flag) in lists {
        for &word in list {
            let mut slot = hash(word.as_bytes());
            // The table is a quarter full, so a free or matching slot is always found.
            while let Some(entry) = table.get_mut(slot) {
                match entry {
                    Some((w, f)) if *w == word => *f |= flag,
                    Some(_) => {
                        slot = (slot + 1) % SLOTS;
                        continue;
                    }
                    None => *entry = Some((word, flag)),
                }
                break;
            }
        }
    }
    table
});

/// FNV-1a over the bytes, reduced to a slot.
fn hash(word: &[u8]) -> usize {
    let h = word.iter().fold(0x811c_9dc5_u32, |h, &b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193));
    (h as usize) % SLOTS
}

/// Longest keyword: longer names skip the lookup.
const MAX_KEYWORD: usize = 20;

/// The lists `word` (lowercased) is in, as `flags` bits (0 for none).
pub fn keyword_flags(word: &str) -> u8 {
    if word.is_empty() || word.len() > MAX_KEYWORD {
        return 0;
    }
    let mut slot = hash(word.as_bytes());
    while let Some(Some((w, f))) = KEYWORDS.get(slot) {
        if *w == word {
            return *f;
        }
        slot = (slot + 1) % SLOTS;
    }
    0
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// `bytes` as text: borrowed when UTF-8, else decoded lossily.
fn text(bytes: Option<&[u8]>) -> Cow<'_, str> {
    let bytes = bytes.unwrap_or_default();
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// Text to tokenise: its bytes, and the same as `str` when they are UTF-8 (checked once, so a
/// token's text is a slice of it without checking again).
#[derive(Debug, Clone, Copy)]
pub struct Src<'a> {
    bytes: &'a [u8],
    utf8: Option<&'a str>,
}

impl<'a> Src<'a> {
    /// Wraps `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, utf8: std::str::from_utf8(bytes).ok() }
    }

    /// Bytes `i..j` as text (empty when out of range; lossy where not UTF-8, as at a cut
    /// inside a character).
    fn text(&self, i: usize, j: usize) -> Cow<'a, str> {
        match self.utf8.and_then(|s| s.get(i..j)) {
            Some(s) => Cow::Borrowed(s),
            None => text(self.bytes.get(i..j)),
        }
    }
}

/// Tokenises `input` as SQL. With `quote`, the input is read as continuing a literal opened
/// by that quote character. The tokens own their text (see `tokenize_into` for the
/// allocation-free form the detector uses).
pub fn tokenize(input: &[u8], quote: Option<u8>) -> Vec<Token<'static>> {
    let lower = input.to_ascii_lowercase();
    let mut toks = Vec::new();
    tokenize_into(Src::new(input), Src::new(&lower), quote, &mut toks);
    toks.into_iter().map(|t| Token { text: Cow::Owned(t.text.into_owned()), ..t }).collect()
}

/// Tokenises `src` into `toks` (cleared first); `low` is `src` ASCII-lowercased (names borrow
/// their text from it).
pub fn tokenize_into<'a>(src: Src<'a>, low: Src<'a>, quote: Option<u8>, toks: &mut Vec<Token<'a>>) {
    toks.clear();
    let input = src.bytes;
    let tok = |kind: Kind, text: Cow<'a, str>| Token { kind, text, flags: 0 };
    let fixed = |kind: Kind, text: &'static str| Token { kind, text: Cow::Borrowed(text), flags: 0 };
    let mut i = 0;
    if let Some(q) = quote {
        let (end, closed) = string_end(input, 0, q);
        toks.push(tok(Kind::Str { closed }, src.text(0, end)));
        i = if closed { end + 1 } else { input.len() };
    }
    while let Some(&b) = input.get(i) {
        if toks.len() > 4096 {
            break;
        }
        let next = input.get(i + 1).copied();
        match b {
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0xa0 | 0 => i += 1,
            b'\'' | b'"' | b'`' => {
                let (end, closed) = string_end(input, i + 1, b);
                if b == b'`' {
                    let name = low.text(i + 1, end);
                    let flags = keyword_flags(&name);
                    toks.push(Token { kind: Kind::Word, text: name, flags });
                } else {
                    toks.push(tok(Kind::Str { closed }, src.text(i + 1, end)));
                }
                i = if closed { end + 1 } else { input.len() };
            }
            b'#' => {
                let end = line_end(input, i);
                toks.push(tok(Kind::Comment, comment_text(src, i, 1, end)));
                i = end;
            }
            b'-' if next == Some(b'-') => {
                let end = line_end(input, i);
                toks.push(tok(Kind::Comment, comment_text(src, i, 2, end)));
                i = end;
            }
            b'/' if next == Some(b'*') => {
                // MySQL executable comments `/*!50000 … */` hold code: drop only the marker.
                if input.get(i + 2) == Some(&b'!') {
                    i += 3;
                    while input.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                    continue;
                }
                let body = input.get(i + 2..).unwrap_or_default();
                let end = body.windows(2).position(|w| w == b"*/").map_or(input.len(), |p| i + 2 + p + 2);
                toks.push(fixed(Kind::Comment, "/**/"));
                i = end;
            }
            b'*' if next == Some(b'/') => i += 2,
            b'(' | b'[' => {
                toks.push(fixed(Kind::Open, "("));
                i += 1;
            }
            b')' | b']' => {
                toks.push(fixed(Kind::Close, ")"));
                i += 1;
            }
            b',' => {
                toks.push(fixed(Kind::Comma, ","));
                i += 1;
            }
            b';' => {
                toks.push(fixed(Kind::Semi, ";"));
                i += 1;
            }
            b'=' | b'<' | b'>' | b'!' => {
                let mut j = i + 1;
                while matches!(input.get(j), Some(b'=' | b'<' | b'>')) && j < i + 3 {
                    j += 1;
                }
                let kind = if j == i + 1 && b == b'!' { Kind::Logic } else { Kind::Cmp };
                toks.push(tok(kind, src.text(i, j)));
                i = j;
            }
            b'&' | b'|' if next == Some(b) => {
                toks.push(fixed(Kind::Logic, if b == b'&' { "&&" } else { "||" }));
                i += 2;
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'|' | b'&' | b'~' | b':' => {
                toks.push(tok(Kind::Arith, src.text(i, i + 1)));
                i += 1;
            }
            b'.' if !next.is_some_and(|n| n.is_ascii_digit()) => {
                toks.push(fixed(Kind::Dot, "."));
                i += 1;
            }
            b'@' => {
                let mut j = i + 1;
                while matches!(input.get(j), Some(b'@')) {
                    j += 1;
                }
                while input.get(j).is_some_and(|c| is_word_byte(*c) || *c == b'.') {
                    j += 1;
                }
                let name = low.text(i, j);
                let flags = keyword_flags(&name);
                toks.push(Token { kind: Kind::Var, text: name, flags });
                i = j.max(i + 1);
            }
            b'0'..=b'9' | b'.' => {
                let mut j = i + 1;
                if b == b'0' && matches!(next, Some(b'x' | b'X' | b'b' | b'B')) {
                    j = i + 2;
                    while input.get(j).is_some_and(u8::is_ascii_alphanumeric) {
                        j += 1;
                    }
                } else {
                    while input.get(j).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
                        j += 1;
                    }
                    if matches!(input.get(j), Some(b'e' | b'E'))
                        && input.get(j + 1).is_some_and(u8::is_ascii_digit)
                    {
                        j += 2;
                        while input.get(j).is_some_and(u8::is_ascii_digit) {
                            j += 1;
                        }
                    }
                    // "1union", "1and": MySQL reads a number followed by a keyword.
                }
                toks.push(tok(Kind::Num, src.text(i, j)));
                i = j;
            }
            _ if is_word_byte(b) => {
                let mut j = i + 1;
                while input.get(j).is_some_and(|c| is_word_byte(*c)) {
                    j += 1;
                }
                let name = low.text(i, j);
                let mut k = j;
                while matches!(input.get(k), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                    k += 1;
                }
                let call = input.get(k) == Some(&b'(');
                let flags = keyword_flags(&name);
                toks.push(Token { kind: classify(&name, flags, call), text: name, flags });
                i = j;
            }
            _ => {
                // Not a word byte, so ASCII: one character.
                toks.push(tok(Kind::Other, src.text(i, i + 1)));
                i += 1;
            }
        }
    }
}

fn classify(word: &str, flags: u8, call: bool) -> Kind {
    if flags & LOGIC != 0 {
        Kind::Logic
    } else if flags & UNION != 0 {
        Kind::Union
    } else if flags & CMP != 0 {
        Kind::Cmp
    } else if flags & VERB != 0 && (!call || matches!(word, "select" | "exec" | "execute")) {
        Kind::Verb
    } else if call {
        Kind::Func
    } else if flags & CLAUSE != 0 {
        Kind::Clause
    } else {
        Kind::Word
    }
}

fn string_end(input: &[u8], from: usize, q: u8) -> (usize, bool) {
    let mut j = from;
    while let Some(&c) = input.get(j) {
        if c == b'\\' {
            j += 2;
            continue;
        }
        if c == q {
            if input.get(j + 1) == Some(&q) {
                j += 2;
                continue;
            }
            return (j, true);
        }
        j += 1;
    }
    (input.len(), false)
}

/// A line comment's text: its `marker_len`-byte marker at `from` and at most 40 bytes of its body.
fn comment_text(src: Src<'_>, from: usize, marker_len: usize, end: usize) -> Cow<'_, str> {
    let body_start = (from + marker_len).min(end);
    src.text(from, end.min(body_start + 40))
}

fn line_end(input: &[u8], from: usize) -> usize {
    input.get(from..).unwrap_or_default().iter().position(|&c| c == b'\n').map_or(input.len(), |p| from + p)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]
    use super::*;

    #[test]
    fn keyword_table_agrees_with_the_lists() {
        let lists = KEYWORD_LISTS;
        for (list, flag) in lists {
            for w in list {
                assert!(w.len() <= MAX_KEYWORD, "{w} is longer than MAX_KEYWORD");
                assert_ne!(keyword_flags(w) & flag, 0, "{w}");
            }
        }
        for (w, f) in KEYWORDS.iter().flatten() {
            let member = lists.iter().filter(|(l, _)| l.contains(w)).fold(0, |a, (_, b)| a | b);
            assert_eq!(*f, member, "{w}");
        }
        assert_eq!(keyword_flags("selectx"), 0);
        assert_eq!(keyword_flags(""), 0);
    }

    #[test]
    fn tokens_borrow_names_lowercased() {
        let toks = tokenize(b"1' UNION Select sleep(5)-- x\xff", None);
        let kinds: Vec<Kind> = toks.iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [Kind::Num, Kind::Str { closed: false }]);
        let toks = tokenize(b"1 UNION Select SLEEP (5)-- x\xff", None);
        let texts: Vec<&str> = toks.iter().map(|t| &*t.text).collect();
        assert_eq!(texts, ["1", "union", "select", "sleep", "(", "5", ")", "-- x\u{fffd}"]);
        assert_eq!(toks[3].kind, Kind::Func);
        assert_ne!(toks[3].flags & STRONG_FUNC, 0);
    }
}
