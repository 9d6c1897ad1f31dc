//! Maps a JSON pointer back to a line and column in the JSON text it came from, so an editor
//! can underline the member an error names. A small scanner over the text; it validates
//! nothing (the text has already parsed).

/// Line and column (both 1-based) where the value at `pointer` starts in `text`; for a
/// pointer to an object member, its key's position. `None` when the pointer is not found.
pub fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let target: Vec<String> = if pointer.is_empty() || pointer == "/" {
        Vec::new()
    } else {
        pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect()
    };
    let bytes = text.as_bytes();
    let mut s = Scanner { bytes, pos: 0, target: &target, found: None };
    s.ws();
    s.value(&mut Vec::new(), None);
    let at = s.found?;
    let before = text.get(..at)?;
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    target: &'a [String],
    found: Option<usize>,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn string(&mut self) -> String {
        let start = self.pos + 1;
        self.pos += 1;
        while let Some(b) = self.peek() {
            self.pos += 1;
            match b {
                b'\\' => self.pos += 1,
                b'"' => break,
                _ => {}
            }
        }
        let raw = self.bytes.get(start..self.pos.saturating_sub(1)).unwrap_or_default();
        serde_json::from_slice::<String>(&[b"\"", raw, b"\""].concat()).unwrap_or_default()
    }

    /// Scans one value at `path`; `key_pos` is where its member name starts, if any.
    fn value(&mut self, path: &mut Vec<String>, key_pos: Option<usize>) {
        if self.found.is_some() || path.len() > 256 {
            return;
        }
        if path.as_slice() == self.target {
            self.found = Some(key_pos.unwrap_or(self.pos));
            return;
        }
        let inside = path.len() < self.target.len() && self.target.get(..path.len()) == Some(path.as_slice());
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b'"') => {
                            let kp = self.pos;
                            let key = self.string();
                            self.ws();
                            if self.peek() == Some(b':') {
                                self.pos += 1;
                            }
                            self.ws();
                            path.push(key);
                            if inside {
                                self.value(path, Some(kp));
                            } else {
                                self.skip();
                            }
                            path.pop();
                            if self.found.is_some() {
                                return;
                            }
                            self.ws();
                            match self.peek() {
                                Some(b',') => self.pos += 1,
                                Some(b'}') => {}
                                _ => return,
                            }
                        }
                        Some(b'}') => {
                            self.pos += 1;
                            return;
                        }
                        _ => return,
                    }
                }
            }
            Some(b'[') => {
                self.pos += 1;
                let mut i = 0usize;
                loop {
                    self.ws();
                    match self.peek() {
                        Some(b']') | None => {
                            self.pos += 1;
                            return;
                        }
                        _ => {
                            path.push(i.to_string());
                            if inside {
                                self.value(path, None);
                            } else {
                                self.skip();
                            }
                            path.pop();
                            if self.found.is_some() {
                                return;
                            }
                            i += 1;
                            self.ws();
                            match self.peek() {
                                Some(b',') => self.pos += 1,
                                Some(b']') => {}
                                _ => return,
                            }
                        }
                    }
                }
            }
            _ => self.skip(),
        }
    }

    /// Skips one value without descending.
    fn skip(&mut self) {
        let mut depth = 0usize;
        loop {
            match self.peek() {
                None => return,
                Some(b'"') => {
                    self.string();
                    if depth == 0 {
                        return;
                    }
                    continue;
                }
                Some(b'{' | b'[') => depth += 1,
                Some(b'}' | b']') => {
                    if depth == 0 {
                        return;
                    }
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return;
                    }
                }
                Some(b',') if depth == 0 => return,
                _ => {}
            }
            self.pos += 1;
        }
    }
}
