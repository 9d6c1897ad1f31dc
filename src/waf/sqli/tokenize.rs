//! The SQL tokenizer behind the SQLi detector: token classes, keyword lists, and the
//! reading of literals, numbers, names, operators and comments (MySQL `/*! */` comments are
//! read as code). It decides nothing about injection (see `patterns`).

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
pub struct Token {
    /// Its class.
    pub kind: Kind,
    /// Its text (names lowercased).
    pub text: String,
}

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

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Tokenises `input` as SQL. With `quote`, the input is read as continuing a literal opened
/// by that quote character.
pub fn tokenize(input: &[u8], quote: Option<u8>) -> Vec<Token> {
    let mut toks: Vec<Token> = Vec::new();
    let mut i = 0;
    if let Some(q) = quote {
        let (end, closed) = string_end(input, 0, q);
        toks.push(Token {
            kind: Kind::Str { closed },
            text: String::from_utf8_lossy(input.get(..end).unwrap_or_default()).into_owned(),
        });
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
                let text = String::from_utf8_lossy(input.get(i + 1..end).unwrap_or_default()).into_owned();
                if b == b'`' {
                    toks.push(Token { kind: Kind::Word, text: text.to_ascii_lowercase() });
                } else {
                    toks.push(Token { kind: Kind::Str { closed }, text });
                }
                i = if closed { end + 1 } else { input.len() };
            }
            b'#' => {
                let end = line_end(input, i);
                toks.push(Token { kind: Kind::Comment, text: comment_text(b"#", input.get(i + 1..end)) });
                i = end;
            }
            b'-' if next == Some(b'-') => {
                let end = line_end(input, i);
                toks.push(Token { kind: Kind::Comment, text: comment_text(b"--", input.get(i + 2..end)) });
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
                toks.push(Token { kind: Kind::Comment, text: "/**/".to_owned() });
                i = end;
            }
            b'*' if next == Some(b'/') => i += 2,
            b'(' | b'[' => {
                toks.push(Token { kind: Kind::Open, text: "(".to_owned() });
                i += 1;
            }
            b')' | b']' => {
                toks.push(Token { kind: Kind::Close, text: ")".to_owned() });
                i += 1;
            }
            b',' => {
                toks.push(Token { kind: Kind::Comma, text: ",".to_owned() });
                i += 1;
            }
            b';' => {
                toks.push(Token { kind: Kind::Semi, text: ";".to_owned() });
                i += 1;
            }
            b'=' | b'<' | b'>' | b'!' => {
                let mut j = i + 1;
                while matches!(input.get(j), Some(b'=' | b'<' | b'>')) && j < i + 3 {
                    j += 1;
                }
                let text = String::from_utf8_lossy(input.get(i..j).unwrap_or_default()).into_owned();
                let kind = if text == "!" { Kind::Logic } else { Kind::Cmp };
                toks.push(Token { kind, text });
                i = j;
            }
            b'&' | b'|' if next == Some(b) => {
                toks.push(Token { kind: Kind::Logic, text: if b == b'&' { "&&" } else { "||" }.to_owned() });
                i += 2;
            }
            b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'|' | b'&' | b'~' | b':' => {
                toks.push(Token { kind: Kind::Arith, text: char::from(b).to_string() });
                i += 1;
            }
            b'.' if !next.is_some_and(|n| n.is_ascii_digit()) => {
                toks.push(Token { kind: Kind::Dot, text: ".".to_owned() });
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
                let text = String::from_utf8_lossy(input.get(i..j).unwrap_or_default()).to_ascii_lowercase();
                toks.push(Token { kind: Kind::Var, text });
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
                let text = String::from_utf8_lossy(input.get(i..j).unwrap_or_default()).into_owned();
                toks.push(Token { kind: Kind::Num, text });
                i = j;
            }
            _ if is_word_byte(b) => {
                let mut j = i + 1;
                while input.get(j).is_some_and(|c| is_word_byte(*c)) {
                    j += 1;
                }
                let text = String::from_utf8_lossy(input.get(i..j).unwrap_or_default()).to_ascii_lowercase();
                let mut k = j;
                while matches!(input.get(k), Some(b' ' | b'\t' | b'\n' | b'\r')) {
                    k += 1;
                }
                let call = input.get(k) == Some(&b'(');
                toks.push(Token { kind: classify(&text, call), text });
                i = j;
            }
            _ => {
                toks.push(Token { kind: Kind::Other, text: char::from(b).to_string() });
                i += 1;
            }
        }
    }
    toks
}

fn classify(word: &str, call: bool) -> Kind {
    if LOGIC_WORDS.contains(&word) {
        Kind::Logic
    } else if UNION_WORDS.contains(&word) {
        Kind::Union
    } else if CMP_WORDS.contains(&word) {
        Kind::Cmp
    } else if VERBS.contains(&word) && (!call || matches!(word, "select" | "exec" | "execute")) {
        Kind::Verb
    } else if call {
        Kind::Func
    } else if CLAUSES.contains(&word) {
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

fn comment_text(marker: &[u8], body: Option<&[u8]>) -> String {
    let body = body.unwrap_or_default();
    let cut = body.get(..body.len().min(40)).unwrap_or_default();
    let mut t = String::from_utf8_lossy(marker).into_owned();
    t.push_str(&String::from_utf8_lossy(cut));
    t
}

fn line_end(input: &[u8], from: usize) -> usize {
    input.get(from..).unwrap_or_default().iter().position(|&c| c == b'\n').map_or(input.len(), |p| from + p)
}
