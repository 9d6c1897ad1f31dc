//! A lenient JSON walker for the `JsonBody` field: it emits each key and each scalar value
//! with its JSON pointer, and on malformed input keeps what it read before the first error
//! (AWS evaluates "up to the first parse error" when no fallback is set). It builds no tree
//! and is not a general JSON parser (see `serde_json` for that).

use super::reader::child;

/// Maximum nesting depth read before giving up (treated as a parse error).
pub const MAX_DEPTH: usize = 128;

/// What a walk produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Walk {
    /// Object member names, with the pointer of the member.
    pub keys: Vec<(String, Vec<u8>)>,
    /// Scalar values (strings unescaped, other scalars as written), with their pointers.
    pub values: Vec<(String, Vec<u8>)>,
    /// Whether the document was malformed (events up to the error are kept).
    pub invalid: bool,
}

/// Walks `input`.
pub fn walk(input: &[u8]) -> Walk {
    let mut w = Walker { input, pos: 0, out: Walk::default() };
    w.ws();
    let ok = w.value("", 0).is_some();
    w.ws();
    w.out.invalid = !ok || w.pos != input.len();
    w.out
}

struct Walker<'a> {
    input: &'a [u8],
    pos: usize,
    out: Walk,
}

impl Walker<'_> {
    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.pos += 1)
    }

    fn value(&mut self, pointer: &str, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'{' => self.object(pointer, depth),
            b'[' => self.array(pointer, depth),
            b'"' => {
                let s = self.string()?;
                self.out.values.push((pointer.to_owned(), s));
                Some(())
            }
            _ => {
                let start = self.pos;
                while matches!(
                    self.peek(),
                    Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E' | b'a'..=b'z')
                ) {
                    self.pos += 1;
                }
                let lit = self.input.get(start..self.pos)?;
                let valid = matches!(lit, b"true" | b"false" | b"null")
                    || (!lit.is_empty()
                        && lit.iter().all(|b| !b.is_ascii_lowercase() || *b == b'e')
                        && std::str::from_utf8(lit).ok()?.parse::<f64>().is_ok());
                if !valid {
                    return None;
                }
                self.out.values.push((pointer.to_owned(), lit.to_vec()));
                Some(())
            }
        }
    }

    fn object(&mut self, pointer: &str, depth: usize) -> Option<()> {
        self.eat(b'{')?;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.ws();
            let key = self.string()?;
            let member = child(pointer, &String::from_utf8_lossy(&key));
            self.out.keys.push((member.clone(), key));
            self.ws();
            self.eat(b':')?;
            self.ws();
            self.value(&member, depth + 1)?;
            self.ws();
            if self.eat(b',').is_some() {
                continue;
            }
            return self.eat(b'}');
        }
    }

    fn array(&mut self, pointer: &str, depth: usize) -> Option<()> {
        self.eat(b'[')?;
        self.ws();
        if self.eat(b']').is_some() {
            return Some(());
        }
        let mut index = 0usize;
        loop {
            self.ws();
            self.value(&child(pointer, &index.to_string()), depth + 1)?;
            index += 1;
            self.ws();
            if self.eat(b',').is_some() {
                continue;
            }
            return self.eat(b']');
        }
    }

    fn string(&mut self) -> Option<Vec<u8>> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            let b = self.peek()?;
            self.pos += 1;
            match b {
                b'"' => return Some(out),
                b'\\' => {
                    let e = self.peek()?;
                    self.pos += 1;
                    match e {
                        b'"' | b'\\' | b'/' => out.push(e),
                        b'b' => out.push(8),
                        b'f' => out.push(0x0c),
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'u' => {
                            let hex = self.input.get(self.pos..self.pos + 4)?;
                            let code = u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
                            self.pos += 4;
                            let c = char::from_u32(code).unwrap_or('\u{fffd}');
                            let mut buf = [0u8; 4];
                            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                        }
                        _ => return None,
                    }
                }
                0..=0x1f => return None,
                _ => out.push(b),
            }
        }
    }
}
