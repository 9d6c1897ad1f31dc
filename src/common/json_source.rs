//! A small JSON reader that keeps the source position (line:column) of every value and key,
//! shared by the engines.
//!
//! This is what lets the policy engine point at the statement or element that decided a request
//! and underline validation findings in place, and lets the WAF turn the JSON pointer of an error
//! back into a line and column ([`Node::locate`]). It reads RFC 8259 JSON into [`Node`] trees; it
//! is not a general-purpose JSON library (no serialisation, numbers stay as their source text).
//! A tree built from a `serde_json::Value` has no positions. [`JsonError`] is what both engines
//! report as `MalformedJson`, also when the text was read by `serde_json` ([`JsonError::from_serde`]).

/// Deepest nesting [`parse_json`] accepts; policies are shallow, so this only stops hostile input.
pub const MAX_DEPTH: usize = 64;
/// Largest document accepted (AWS's largest policy type, a key policy, is limited to 32 KiB;
/// this leaves room for whitespace and for whole evaluation inputs).
pub const MAX_SOURCE_BYTES: usize = 4 * 1024 * 1024;

/// A position in source text: 1-based line and column (column counts characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    /// Byte offset from the start of the text.
    pub offset: usize,
}

/// The source range of a value: from its first character to just after its last one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

/// A JSON value with its position (absent when built from an already-parsed value).
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: NodeValue,
    pub span: Option<Span>,
}

/// An object member: the key (with its own position) and the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub key: String,
    pub key_span: Option<Span>,
    pub value: Node,
}

/// The JSON data model. Numbers keep their source text; objects keep member order and duplicates.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Node>),
    Object(Vec<Member>),
}

impl Node {
    /// The members of an object, or `None` for any other value.
    pub fn as_object(&self) -> Option<&[Member]> {
        match &self.value {
            NodeValue::Object(m) => Some(m),
            _ => None,
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            NodeValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The member named `key` (exact spelling); with duplicates, the last one.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_object()?.iter().rev().find(|m| m.key == key).map(|m| &m.value)
    }

    /// A short name of the value's JSON type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            NodeValue::Null => "null",
            NodeValue::Bool(_) => "a boolean",
            NodeValue::Number(_) => "a number",
            NodeValue::String(_) => "a string",
            NodeValue::Array(_) => "an array",
            NodeValue::Object(_) => "an object",
        }
    }

    /// Where the value at JSON pointer `pointer` starts; for an object member, where its key
    /// starts (so an editor underlines the member). `None` when nothing is at `pointer` or the
    /// tree has no positions. With duplicate keys, the last one (the one a reader keeps).
    pub fn locate(&self, pointer: &str) -> Option<Pos> {
        let mut node = self;
        let mut at = node.span.map(|s| s.start);
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            match &node.value {
                NodeValue::Object(members) => {
                    let m = members.iter().rev().find(|m| m.key == token)?;
                    at = m.key_span.map(|s| s.start);
                    node = &m.value;
                }
                NodeValue::Array(items) => {
                    let canonical = token == "0" || !token.starts_with('0');
                    let i = token.parse::<usize>().ok().filter(|_| canonical)?;
                    node = items.get(i)?;
                    at = node.span.map(|s| s.start);
                }
                _ => return None,
            }
        }
        at
    }

    /// The source range at JSON pointer `pointer`: from where [`Node::locate`] says it starts
    /// (an object member's key) to the end of its value, so an editor can select it whole.
    pub fn locate_span(&self, pointer: &str) -> Option<Span> {
        let start = self.locate(pointer)?;
        let mut node = self;
        for token in pointer.split('/').skip(1) {
            let token = token.replace("~1", "/").replace("~0", "~");
            node = match &node.value {
                NodeValue::Object(members) => &members.iter().rev().find(|m| m.key == token)?.value,
                NodeValue::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(Span { start, end: node.span?.end })
    }

    /// Converts an already-parsed value (no positions).
    pub fn from_value(value: &serde_json::Value) -> Node {
        Self::from_value_depth(value, 0)
    }

    fn from_value_depth(value: &serde_json::Value, depth: usize) -> Node {
        use serde_json::Value;
        let v = match value {
            Value::Null => NodeValue::Null,
            Value::Bool(b) => NodeValue::Bool(*b),
            Value::Number(n) => NodeValue::Number(n.to_string()),
            Value::String(s) => NodeValue::String(s.clone()),
            // serde_json already bounds recursion (128); deeper trees are cut to null here.
            Value::Array(_) | Value::Object(_) if depth >= MAX_DEPTH => NodeValue::Null,
            Value::Array(a) => {
                NodeValue::Array(a.iter().map(|x| Self::from_value_depth(x, depth + 1)).collect())
            }
            Value::Object(o) => NodeValue::Object(
                o.iter()
                    .map(|(k, x)| Member {
                        key: k.clone(),
                        key_span: None,
                        value: Self::from_value_depth(x, depth + 1),
                    })
                    .collect(),
            ),
        };
        Node { value: v, span: None }
    }

    /// Converts back to a `serde_json::Value` (duplicate keys: the last one wins, as in serde_json).
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.value {
            NodeValue::Null => Value::Null,
            NodeValue::Bool(b) => Value::Bool(*b),
            NodeValue::Number(n) => serde_json::from_str(n).unwrap_or(Value::Null),
            NodeValue::String(s) => Value::String(s.clone()),
            NodeValue::Array(a) => Value::Array(a.iter().map(Node::to_value).collect()),
            NodeValue::Object(m) => {
                Value::Object(m.iter().map(|x| (x.key.clone(), x.value.to_value())).collect())
            }
        }
    }
}

/// Why JSON text could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonError {
    /// The text is not JSON: where reading stopped and why.
    Malformed {
        /// 1-based line.
        line: u32,
        /// 1-based column, in characters.
        column: u32,
        /// What was wrong, lowercase (`expected `,` or `]``).
        message: String,
    },
    /// The text is longer than the reader accepts.
    TooLarge {
        /// The limit in bytes.
        limit: usize,
    },
}

impl JsonError {
    /// The same error for text `serde_json` refused: its line and column, and its message
    /// without the position it repeats.
    pub fn from_serde(e: &serde_json::Error) -> JsonError {
        let text = e.to_string();
        let message = text.split(" at line ").next().unwrap_or_default().to_owned();
        JsonError::Malformed {
            line: u32::try_from(e.line()).unwrap_or(u32::MAX),
            column: u32::try_from(e.column()).unwrap_or(u32::MAX),
            message,
        }
    }
}

/// Parses JSON text into a [`Node`] tree with positions, nested at most [`MAX_DEPTH`] deep.
pub fn parse_json(text: &str) -> Result<Node, JsonError> {
    parse_json_nested(text, MAX_DEPTH)
}

/// Parses JSON text like [`parse_json`], nested at most `max_depth` deep.
pub fn parse_json_nested(text: &str, max_depth: usize) -> Result<Node, JsonError> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(JsonError::TooLarge { limit: MAX_SOURCE_BYTES });
    }
    let mut r =
        Reader { bytes: text.as_bytes(), text, pos: Pos { line: 1, column: 1, offset: 0 }, max_depth };
    r.skip_ws();
    let node = r.value(0)?;
    r.skip_ws();
    if r.peek().is_some() {
        return Err(r.error("unexpected text after the JSON value"));
    }
    Ok(node)
}

struct Reader<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: Pos,
    max_depth: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos.offset).copied()
    }

    fn error(&self, message: &str) -> JsonError {
        JsonError::Malformed { line: self.pos.line, column: self.pos.column, message: message.to_string() }
    }

    /// Advances over one character (which may be several bytes) and keeps line/column right.
    fn bump(&mut self) {
        let Some(b) = self.peek() else { return };
        let len = if b < 0x80 {
            1
        } else {
            self.text.get(self.pos.offset..).and_then(|s| s.chars().next()).map_or(1, char::len_utf8)
        };
        self.pos.offset += len;
        if b == b'\n' {
            self.pos.line += 1;
            self.pos.column = 1;
        } else {
            self.pos.column += 1;
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.bump();
        }
    }

    fn expect(&mut self, b: u8, what: &str) -> Result<(), JsonError> {
        if self.peek() == Some(b) {
            self.bump();
            Ok(())
        } else {
            Err(self.error(what))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Node, JsonError> {
        if depth > self.max_depth {
            return Err(self.error("nesting is too deep"));
        }
        let start = self.pos;
        let value = match self.peek() {
            None => return Err(self.error("unexpected end of input, expected a value")),
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => NodeValue::String(self.string()?),
            Some(b't') => self.literal("true", NodeValue::Bool(true))?,
            Some(b'f') => self.literal("false", NodeValue::Bool(false))?,
            Some(b'n') => self.literal("null", NodeValue::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(_) => return Err(self.error("expected a value")),
        };
        Ok(Node { value, span: Some(Span { start, end: self.pos }) })
    }

    fn literal(&mut self, word: &str, v: NodeValue) -> Result<NodeValue, JsonError> {
        let end = self.pos.offset + word.len();
        if self.bytes.get(self.pos.offset..end) == Some(word.as_bytes()) {
            for _ in 0..word.len() {
                self.bump();
            }
            Ok(v)
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn number(&mut self) -> Result<NodeValue, JsonError> {
        let from = self.pos.offset;
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => self.bump(),
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("expected a digit")),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit after the decimal point"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.bump();
            if let Some(b'+' | b'-') = self.peek() {
                self.bump();
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("expected a digit in the exponent"));
            }
            self.digits();
        }
        let text = self.text.get(from..self.pos.offset).unwrap_or_default();
        Ok(NodeValue::Number(text.to_string()))
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.bump();
        }
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.expect(b'"', "expected a string")?;
        let mut out = String::new();
        loop {
            let from = self.pos.offset;
            // Copy the run of plain characters in one go.
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.bump();
            }
            out.push_str(self.text.get(from..self.pos.offset).unwrap_or_default());
            match self.peek() {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.bump();
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.bump();
                    self.escape(&mut out)?;
                }
                Some(_) => return Err(self.error("control character in string, escape it")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), JsonError> {
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.bump();
                let hi = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    self.expect(b'\\', "expected a low surrogate escape")?;
                    self.expect(b'u', "expected a low surrogate escape")?;
                    let lo = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(self.error("invalid low surrogate"));
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else {
                    hi
                };
                let c = char::from_u32(code).ok_or_else(|| self.error("invalid unicode escape"))?;
                out.push(c);
                return Ok(());
            }
            _ => return Err(self.error("invalid escape sequence")),
        };
        self.bump();
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(b @ b'0'..=b'9') => b - b'0',
                Some(b @ b'a'..=b'f') => b - b'a' + 10,
                Some(b @ b'A'..=b'F') => b - b'A' + 10,
                _ => return Err(self.error("expected four hex digits")),
            };
            v = v * 16 + u32::from(d);
            self.bump();
        }
        Ok(v)
    }

    fn array(&mut self, depth: usize) -> Result<NodeValue, JsonError> {
        self.bump();
        let mut items = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.bump();
            return Ok(NodeValue::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return Ok(NodeValue::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<NodeValue, JsonError> {
        self.bump();
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.bump();
            return Ok(NodeValue::Object(members));
        }
        loop {
            self.skip_ws();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a quoted member name"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span { start: key_start, end: self.pos };
            self.skip_ws();
            self.expect(b':', "expected `:` after the member name")?;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            members.push(Member { key, key_span: Some(key_span), value });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.bump(),
                Some(b'}') => {
                    self.bump();
                    return Ok(NodeValue::Object(members));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_of_values_and_keys() {
        let n = parse_json("{\n  \"a\": [1, \"x\"],\n  \"b\": true\n}").unwrap();
        let m = n.as_object().unwrap();
        assert_eq!(m[0].key_span.unwrap().start.line, 2);
        assert_eq!(m[0].key_span.unwrap().start.column, 3);
        let b = &m[1].value;
        assert_eq!(b.span.unwrap().start.line, 3);
        assert_eq!(b.span.unwrap().start.column, 8);
        assert_eq!(b.span.unwrap().end.column, 12);
    }

    #[test]
    fn errors_carry_position() {
        let e = parse_json("{\n \"a\": [1,, 2]}").unwrap_err();
        match e {
            JsonError::Malformed { line, column, .. } => {
                assert_eq!((line, column), (2, 10));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn escapes_and_unicode() {
        let n = parse_json(r#""a\u00e9\ud83d\ude00\n""#).unwrap();
        assert_eq!(n.as_str(), Some("aé😀\n"));
        let n = parse_json("\"é\" ").unwrap();
        assert_eq!(n.span.unwrap().end.column, 4);
    }

    #[test]
    fn rejects_bad_input() {
        for bad in ["", "{", "[1 2]", "tru", "01x", "\"abc", "{\"a\" 1}", "1 2", "-", "1.", "1e"] {
            assert!(parse_json(bad).is_err(), "{bad}");
        }
        let deep = "[".repeat(200);
        assert!(parse_json(&deep).is_err());
    }

    #[test]
    fn too_deep_or_too_large() {
        let nested = format!("{}{}", "[".repeat(80), "]".repeat(80));
        assert!(
            matches!(parse_json(&nested), Err(JsonError::Malformed { message, .. }) if message == "nesting is too deep")
        );
        assert!(parse_json_nested(&nested, 100).is_ok());
        let big = " ".repeat(MAX_SOURCE_BYTES + 1);
        assert_eq!(parse_json(&big), Err(JsonError::TooLarge { limit: MAX_SOURCE_BYTES }));
    }

    #[test]
    fn pointers_locate_keys_and_items() {
        let text = "{\n  \"a\": [1, {\"b/c\": 2}],\n  \"d\": 3, \"d\": 4\n}";
        let n = parse_json(text).unwrap();
        let at = |p: &str| n.locate(p).map(|pos| (pos.line, pos.column));
        assert_eq!(at(""), Some((1, 1)));
        assert_eq!(at("/a"), Some((2, 3)), "a member: its key");
        assert_eq!(at("/a/0"), Some((2, 9)));
        assert_eq!(at("/a/1/b~1c"), Some((2, 13)));
        assert_eq!(at("/d"), Some((3, 11)), "duplicates: the last");
        assert_eq!(at("/a/2"), None);
        assert_eq!(at("/a/01"), None, "no leading zeros in an index");
        assert_eq!(at("/x"), None);
        assert_eq!(at("/d/0"), None);
        assert_eq!(Node::from_value(&serde_json::json!({"a": 1})).locate("/a"), None, "no positions");
    }

    #[test]
    fn serde_errors_read_the_same() {
        let e = serde_json::from_str::<serde_json::Value>("{\n \"a\": [1,, 2]}").unwrap_err();
        match JsonError::from_serde(&e) {
            JsonError::Malformed { line, column, message } => {
                assert_eq!((line, column), (2, 10));
                assert!(!message.contains("line"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn numbers_keep_text() {
        let n = parse_json("[-1.5e3, 0, 42]").unwrap();
        match n.value {
            NodeValue::Array(a) => assert_eq!(a[0].value, NodeValue::Number("-1.5e3".into())),
            _ => panic!(),
        }
    }
}
