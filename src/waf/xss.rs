//! Cross-site scripting detection for `XssMatchStatement`, written for this engine.
//!
//! The input is scanned as HTML from several starting contexts (text, inside an attribute,
//! inside a quoted attribute value): tags that run script (`script`, `iframe`, `object`,
//! `svg`, ...), event-handler attributes (`on…=`), URL attributes whose value is a
//! `javascript:`/`vbscript:`/`data:text/html` URL, CSS expressions, and script breaking out of
//! a string (`';alert(1)//`). Whitespace, control characters and NULs that browsers ignore
//! inside names and schemes are ignored here too. It is not an HTML parser or a JS engine.
//!
//! Speed: the lowercased, squeezed reading is made in one pass. Tags and injected attributes
//! start from the `<` and `=` that `memchr` finds; the later checks first ask the set of bytes
//! the text holds for the bytes their patterns cannot do without (`:`, every byte of a CSS
//! pattern, ...) and return at once when they are absent. Substring searches anchor `memchr`
//! on the needle's rarest byte, and text is read in place rather than copied where it can be.

use std::borrow::Cow;

use crate::common::entity::{self, References};

/// Longest input inspected.
pub const MAX_INPUT: usize = 64 * 1024;

/// Longest tag read after its name.
const MAX_TAG: usize = 2048;

/// Why an input was flagged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XssFinding {
    /// Short name of the pattern that fired.
    pub pattern: &'static str,
    /// The matched text (AWS logs it as `matchedData`).
    pub matched: String,
}

/// Tags that run script, load code or change how what follows is read (some only with
/// certain attributes or when closed; see `tags`).
fn is_script_tag(name: &[u8]) -> bool {
    // Literal patterns: the compiler compares the length, then a word or two (no `memcmp`).
    matches!(
        name,
        b"script"
            | b"iframe"
            | b"frame"
            | b"frameset"
            | b"object"
            | b"embed"
            | b"applet"
            | b"base"
            | b"svg"
            | b"math"
            | b"meta"
            | b"link"
            | b"style"
            | b"xml"
            | b"import"
            | b"isindex"
            | b"template"
            | b"portal"
            | b"xss"
            | b"vmlframe"
            | b"bgsound"
            | b"layer"
            | b"ilayer"
            | b"animate"
            | b"set"
            | b"handler"
            | b"listener"
            | b"video"
            | b"audio"
            | b"image"
            | b"x"
            | b"form"
            | b"marquee"
            | b"keygen"
            | b"noscript"
            | b"xmp"
            | b"plaintext"
            | b"title"
            | b"textarea"
    )
}
/// Attributes whose value is a URL.
fn is_url_attr(name: &[u8]) -> bool {
    // Literal patterns: the compiler compares the length, then a word or two (no `memcmp`).
    matches!(
        name,
        b"href"
            | b"src"
            | b"action"
            | b"formaction"
            | b"data"
            | b"xlink:href"
            | b"background"
            | b"dynsrc"
            | b"lowsrc"
            | b"codebase"
            | b"code"
            | b"poster"
            | b"srcdoc"
            | b"value"
            | b"to"
            | b"from"
            | b"values"
            | b"by"
            | b"content"
            | b"folder"
            | b"ping"
            | b"cite"
            | b"longdesc"
            | b"usemap"
            | b"profile"
            | b"classid"
            | b"archive"
            | b"itemtype"
    )
}
const DANGER_SCHEMES: &[&str] = &[
    "javascript:",
    "vbscript:",
    "livescript:",
    "mocha:",
    "data:text/html",
    "data:image/svg",
    "data:application",
    "data:text/xml",
    "jar:",
];

fn lower(input: &[u8]) -> Vec<u8> {
    input.to_ascii_lowercase()
}

/// Lowercases (ASCII), drops NULs and turns tab, LF, CR and FF into spaces (HTML treats them
/// alike), in one pass.
fn lower_squeeze(input: &[u8]) -> Vec<u8> {
    let map = |b: u8| match b {
        b'\t' | b'\n' | b'\r' | 0x0c => b' ',
        _ => b.to_ascii_lowercase(),
    };
    if memchr::memchr(0, input).is_none() {
        // In place over a copy: a loop the compiler turns into vector instructions.
        let mut out = input.to_vec();
        for b in &mut out {
            *b = map(*b);
        }
        return out;
    }
    input.iter().filter(|&&b| b != 0).map(|&b| map(b)).collect()
}

/// Whether a URL value is a script URL (`DANGER_SCHEMES`), read as browsers do before reading
/// its scheme: character references decoded, every control character, space and non-ASCII
/// byte before the first letter dropped, and tabs/newlines removed anywhere. Without a `&`
/// nothing is decoded, and the value is read in place.
fn dangerous_url(value: &[u8]) -> bool {
    let decoded = if memchr::memchr(b'&', value).is_some() {
        Cow::Owned(entity_decode(value))
    } else {
        Cow::Borrowed(value)
    };
    let start = decoded.iter().position(u8::is_ascii_alphanumeric).unwrap_or(decoded.len());
    let url = decoded.get(start..).unwrap_or_default().iter().copied().filter(|b| *b > 0x20 && *b < 0x7f);
    DANGER_SCHEMES.iter().any(|sch| url.clone().take(sch.len()).eq(sch.bytes()))
}

fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':')
}

/// Detects XSS in `input`.
pub fn detect(input: &[u8]) -> Option<XssFinding> {
    let input = input.get(..MAX_INPUT.min(input.len())).unwrap_or_default();
    if input.is_empty() {
        return None;
    }
    if let Some(f) = detect_raw(input) {
        return Some(f);
    }
    // Encoded input is also read decoded (percent-encoding, then character references).
    let mut current = Cow::Borrowed(input);
    if memchr::memchr_iter(b'%', &current)
        .any(|p| current.get(p + 1..p + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit)))
    {
        current = Cow::Owned(super::transform::Transformation::UrlDecodeUni.apply(&current));
        if let Some(f) = detect_raw(&current) {
            return Some(f);
        }
    }
    if contains(&current, b"+AD") {
        let mut t = current.to_vec();
        for (from, to) in [
            (&b"+ADw-"[..], &b"<"[..]),
            (b"+AD4-", b">"),
            (b"+ACI-", b"\""),
            (b"+ACc-", b"'"),
            (b"+AC8-", b"/"),
        ] {
            t = replace_all(&t, from, to);
        }
        if let Some(f) = detect_raw(&t) {
            return Some(f);
        }
    }
    if current.contains(&b'&') {
        let decoded = entity_decode(&lower(&current));
        let decoded = super::transform::Transformation::HtmlEntityDecode.apply(&decoded);
        // `detect_raw` reads its input lowercased and already passed on `current`, so a decoding
        // that only changed letter case cannot fire.
        if !decoded.eq_ignore_ascii_case(&current) {
            return detect_raw(&decoded);
        }
    }
    None
}

/// The set of byte values a text holds (one flag per value: independent stores, so filling it
/// runs at the speed of the loop).
struct ByteSet([bool; 256]);

impl ByteSet {
    fn of(s: &[u8]) -> Self {
        let mut set = [false; 256];
        for &b in s {
            if let Some(f) = set.get_mut(usize::from(b)) {
                *f = true;
            }
        }
        Self(set)
    }
    fn has(&self, b: u8) -> bool {
        self.0.get(usize::from(b)).copied().unwrap_or(false)
    }
    fn any(&self, bytes: &[u8]) -> bool {
        bytes.iter().any(|&b| self.has(b))
    }
    fn all(&self, bytes: &[u8]) -> bool {
        bytes.iter().all(|&b| self.has(b))
    }
}

fn detect_raw(input: &[u8]) -> Option<XssFinding> {
    let sq = lower_squeeze(input);
    // Tags start at a `<` and injected attributes at a `=`, both found by `memchr`: most
    // script is found here, before the byte set the later checks ask is made.
    if let Some(f) = tags(&sq).or_else(|| attribute_injection(&sq)) {
        return Some(f);
    }
    let set = ByteSet::of(&sq);
    // A script URL call needs `:`.
    scheme(&sq)
        .or_else(|| css(&sq, &set))
        .or_else(|| script_breakout(&sq, &set))
        .or_else(|| set.has(b':').then(|| script_url_call(&sq)).flatten())
}

/// `javascript:alert(1)` anywhere: a script scheme followed by a call.
fn script_url_call(s: &[u8]) -> Option<XssFinding> {
    // Every scheme below ends in `script:`.
    if !contains(s, b"script:") {
        return None;
    }
    for sch in [&b"javascript:"[..], b"vbscript:", b"livescript:"] {
        if let Some(p) = s.windows(sch.len()).position(|w| w == sch) {
            let rest = s.get(p + sch.len()..).unwrap_or_default();
            let rest = rest.get(..rest.len().min(40)).unwrap_or_default();
            let name = rest
                .iter()
                .take_while(|b| {
                    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'$' | b'[' | b']' | b'\'')
                })
                .count();
            if name > 0 && matches!(rest.get(name), Some(b'(' | b'`')) {
                return found(
                    "script-url",
                    s.get(p..(p + sch.len() + name + 1).min(s.len())).unwrap_or_default(),
                );
            }
        }
    }
    None
}

/// Whether `input` holds XSS (the boolean form).
pub fn is_xss(input: &[u8]) -> bool {
    detect(input).is_some()
}

fn found(pattern: &'static str, bytes: &[u8]) -> Option<XssFinding> {
    // ASCII (the usual case): the first 80 characters are the first 80 bytes.
    let head = bytes.get(..bytes.len().min(80)).unwrap_or_default();
    if head.is_ascii() {
        return Some(XssFinding { pattern, matched: String::from_utf8(head.to_vec()).unwrap_or_default() });
    }
    // The first 80 characters: each takes at most 4 bytes (a replaced invalid sequence fewer),
    // so only the first 320 bytes are decoded.
    let s = String::from_utf8_lossy(bytes.get(..bytes.len().min(320)).unwrap_or_default());
    let end = s.char_indices().nth(80).map_or(s.len(), |(i, _)| i);
    let matched = s.get(..end).unwrap_or_default().to_owned();
    Some(XssFinding { pattern, matched })
}

fn skip_ws(s: &[u8], mut i: usize) -> usize {
    while s.get(i).is_some_and(|b| matches!(b, b' ' | 0x0b | 0x0c | b'/')) {
        i += 1;
    }
    i
}

fn tags(s: &[u8]) -> Option<XssFinding> {
    let mut i = 0;
    while let Some(p) = s.get(i..).and_then(|r| memchr::memchr(b'<', r)) {
        let lt = i + p;
        let mut j = lt + 1;
        if s.get(j) == Some(&b'/') {
            j += 1;
        }
        let start = j;
        while s.get(j).is_some_and(|b| is_name(*b)) {
            j += 1;
        }
        let name = s.get(start..j).unwrap_or_default();
        i = lt + 1;
        if name.is_empty() {
            if s.get(start) == Some(&b'!')
                && s.get(start..).is_some_and(|r| {
                    r.starts_with(b"![cdata[")
                        || r.starts_with(b"!entity")
                        || r.starts_with(b"!doctype") && contains(r, b"<!entity")
                })
            {
                return found("markup-declaration", s.get(lt..).unwrap_or_default());
            }
            if s.get(start) == Some(&b'?')
                && s.get(start..).is_some_and(|r| {
                    r.starts_with(b"?xml-stylesheet")
                        || r.starts_with(b"?import")
                        || r.starts_with(b"?xml:namespace")
                })
            {
                return found("processing-instruction", s.get(lt..).unwrap_or_default());
            }
            continue;
        }
        // A tag is read up to its `>` or at most MAX_TAG bytes, so scanning stays linear.
        let window = s.get(j..(j + MAX_TAG).min(s.len())).unwrap_or_default();
        let tag_end = memchr::memchr(b'>', window).map_or(j + window.len(), |q| j + q + 1);
        let tag = s.get(lt..tag_end).unwrap_or_default();
        let local = name.rsplit(|&b| b == b':').next().unwrap_or(name);
        if is_script_tag(local) {
            let closing = s.get(lt + 1) == Some(&b'/');
            let weak = matches!(
                local,
                b"video"
                    | b"audio"
                    | b"image"
                    | b"x"
                    | b"form"
                    | b"title"
                    | b"textarea"
                    | b"marquee"
                    | b"noscript"
                    | b"xmp"
                    | b"plaintext"
                    | b"style"
                    | b"set"
                    | b"math"
                    | b"template"
                    | b"keygen"
                    | b"layer"
                    | b"ilayer"
                    | b"link"
                    | b"meta"
                    | b"base"
            );
            if !weak && !closing {
                return found("script-tag", tag);
            }
            // Tags that load code or restyle the page from a URL.
            let loads = match local {
                b"base" => contains(tag, b"href"),
                b"link" => {
                    contains(tag, b"href")
                        && (contains(tag, b"stylesheet") || contains(tag, b"import") || contains(tag, b"//"))
                }
                b"layer" | b"ilayer" => contains(tag, b"src"),
                b"style" => s.get(tag_end..).is_some_and(|r| {
                    contains(r, b"@import") || style_danger(r.get(..r.len().min(4096)).unwrap_or_default())
                }),
                _ => false,
            };
            if loads && !closing {
                return found("remote-code", tag);
            }
            if closing
                && matches!(local, b"script" | b"title" | b"textarea" | b"style" | b"noscript" | b"xmp")
                && s.get(tag_end..).is_some_and(|r| contains(r, b"<"))
            {
                return found("tag-breakout", tag);
            }
        }
        if let Some(hit) = attributes(tag.get(j - lt..).unwrap_or_default(), local) {
            return found(hit, tag);
        }
    }
    None
}

fn replace_all(hay: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(hay.len());
    let mut i = 0;
    while i < hay.len() {
        if hay.get(i..).is_some_and(|r| r.starts_with(from)) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.extend(hay.get(i).copied());
            i += 1;
        }
    }
    out
}

/// Whether `needle` occurs in `hay`: `memchr` looks for the needle's rarest byte (a letter
/// common in text stops it far more often), and the bytes around each hit are compared.
#[inline]
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    let anchor = rarest(needle);
    let Some(&a) = needle.get(anchor) else { return true };
    // The anchor's position in `hay` is at least `anchor`, so `at - anchor` cannot wrap.
    let mut from = anchor;
    while let Some(p) = hay.get(from..).and_then(|r| memchr::memchr(a, r)) {
        let at = from + p;
        if hay.get(at - anchor..).is_some_and(|r| r.starts_with(needle)) {
            return true;
        }
        from = at + 1;
    }
    false
}

/// The index of the byte of `needle` least frequent in typical input (the first of equals).
/// A `const fn` over a literal: inlined into `contains`, it is worked out when compiling.
const fn rarest(needle: &[u8]) -> usize {
    let (mut rest, mut i, mut best, mut best_rank) = (needle, 0, 0, u8::MAX);
    while let Some((&b, tail)) = rest.split_first() {
        let rank = match b {
            b' ' | b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'r' | b'h' => 4,
            b'a'..=b'z' | b'0'..=b'9' => 3,
            b'.' | b',' | b'-' | b'\'' | b'"' | b'=' | b'/' | b'_' => 2,
            _ => 1,
        };
        if rank < best_rank {
            (best, best_rank) = (i, rank);
        }
        rest = tail;
        i += 1;
    }
    best
}

/// Looks through `attrs` (the text after a tag name) for handlers and script URLs.
fn attributes(attrs: &[u8], tag: &[u8]) -> Option<&'static str> {
    let mut i = 0;
    while i < attrs.len() {
        i = skip_ws(attrs, i);
        while attrs.get(i).is_some_and(|b| matches!(b, b'"' | b'\'' | b'`')) {
            i += 1;
        }
        let start = i;
        while attrs.get(i).is_some_and(|b| is_name(*b)) {
            i += 1;
        }
        let name = attrs.get(start..i).unwrap_or_default();
        if name.is_empty() {
            i += 1;
            continue;
        }
        let mut j = i;
        while attrs.get(j) == Some(&b' ') {
            j += 1;
        }
        let has_value = attrs.get(j) == Some(&b'=');
        if name.len() > 2 && name.starts_with(b"on") && (has_value || tag.is_empty()) {
            return Some("event-handler");
        }
        if has_value {
            j += 1;
            while attrs.get(j) == Some(&b' ') {
                j += 1;
            }
            let quote = attrs.get(j).copied().filter(|b| matches!(b, b'"' | b'\'' | b'`'));
            if quote.is_some() {
                j += 1;
            }
            // A quoted value ends at its quote, another at a space or `>`.
            let vend = attrs
                .get(j..)
                .and_then(|r| match quote {
                    Some(q) => memchr::memchr(q, r),
                    None => memchr::memchr2(b' ', b'>', r),
                })
                .map_or(attrs.len(), |p| j + p);
            let value = attrs.get(j..vend).unwrap_or_default();
            if is_url_attr(name) && dangerous_url(value) {
                return Some("script-url");
            }
            // The checks below read the decoded value of these attributes only.
            if !matches!(name, b"style" | b"http-equiv" | b"content" | b"attributename") {
                i = vend + 1;
                continue;
            }
            let value_sq: Vec<u8> =
                value.iter().copied().filter(|b| !matches!(b, b' ' | 0x0b | 0x0c)).collect();
            let decoded = entity_decode(&value_sq);
            if name == b"style" && style_danger(&decoded) {
                return Some("css-expression");
            }
            if (name == b"http-equiv" && decoded.starts_with(b"refresh"))
                || (name == b"content" && contains(&decoded, b"url=javascript:"))
            {
                return Some("meta-refresh");
            }
            if name == b"attributename" && (decoded.starts_with(b"href") || decoded.starts_with(b"on")) {
                return Some("svg-animation");
            }
            i = vend + 1;
        }
    }
    None
}

/// Character references as browsers decode them inside attribute values, for text already
/// lowercased: numeric references (`&#x` only) and `&colon;`, `&tab;`, `&newline;`, `&lpar;`.
const ATTRIBUTE_REFERENCES: References<'static> = References {
    named: &[(b"colon;", b":"), (b"tab;", b""), (b"newline;", b""), (b"lpar;", b"(")],
    names_ignore_case: false,
    capital_x: false,
    numeric: push_reference,
};

/// A numeric reference lowercased when it is ASCII; tab, newline, carriage return and NUL
/// (which browsers drop from schemes) and anything else write nothing.
fn push_reference(out: &mut Vec<u8>, code: Option<u32>) {
    if let Some(c) = code.and_then(char::from_u32).filter(char::is_ascii) {
        if !matches!(c, '\t' | '\n' | '\r' | '\0') {
            out.push(c.to_ascii_lowercase() as u8);
        }
    }
}

/// Decodes [`ATTRIBUTE_REFERENCES`].
fn entity_decode(v: &[u8]) -> Vec<u8> {
    entity::decode(v, &ATTRIBUTE_REFERENCES)
}

/// Dangerous CSS, read without comments, spaces, backslashes and NULs.
const STYLE_PATTERNS: &[&[u8]] = &[
    b"expression(",
    b"-moz-binding",
    b"-o-link:'javascript:",
    b"-o-link:javascript:",
    b"behavior:",
    b"behaviour:url(",
    b"binding:url(",
    b"url(javascript:",
    b"url(\"javascript:",
    b"url('javascript:",
    b"url(vbscript:",
];

fn style_danger(v: &[u8]) -> bool {
    // Every pattern holds `(`, `:` or `-`: each of those bytes (found by `memchr3`) is tried as
    // the first of them in each pattern.
    if memchr::memchr3(b'(', b':', b'-', v).is_none() {
        return false;
    }
    // Text without comments, spaces, backslashes and NULs (as a decoded attribute value often
    // is) is read as it is.
    let t = if memchr::memchr3(b' ', b'\\', 0, v).is_none() && memchr::memchr(b'/', v).is_none() {
        Cow::Borrowed(v)
    } else {
        Cow::Owned(strip_css_comments(v, |b| !matches!(b, b' ' | b'\\' | 0)))
    };
    memchr::memchr3_iter(b'(', b':', b'-', &t).any(|at| {
        STYLE_PATTERNS.iter().any(|p| {
            p.iter().position(|b| matches!(b, b'(' | b':' | b'-')).is_some_and(|k| {
                p.get(k) == t.get(at)
                    && at.checked_sub(k).and_then(|start| t.get(start..)).is_some_and(|r| r.starts_with(p))
            })
        })
    })
}

/// `v` without its `/* */` comments, keeping only the bytes `keep` accepts (one pass; the text
/// between slashes is copied without looking for comments).
fn strip_css_comments(v: &[u8], keep: impl Fn(u8) -> bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.len());
    let mut copy = |from: &[u8]| out.extend(from.iter().copied().filter(|&b| keep(b)));
    let mut i = 0;
    while let Some(p) = v.get(i..).and_then(|r| memchr::memchr(b'/', r)) {
        let slash = i + p;
        if v.get(slash + 1) != Some(&b'*') {
            copy(v.get(i..=slash).unwrap_or_default());
            i = slash + 1;
            continue;
        }
        copy(v.get(i..slash).unwrap_or_default());
        let body = v.get(slash + 2..).unwrap_or_default();
        i = body.windows(2).position(|w| w == b"*/").map_or(v.len(), |q| slash + 2 + q + 2);
    }
    copy(v.get(i..).unwrap_or_default());
    out
}

/// `" onmouseover=alert(1) x="`, `' autofocus onfocus='…`: a quote or space closing an
/// attribute, then an event handler.
///
/// Read from each `=` backwards: the name before it (spaces between), then what opens the
/// name: a quote, space or `/`, with only vertical tabs and form feeds between. Names come in
/// the order the text holds them, so the first finding is the one a forward scan finds first.
fn attribute_injection(s: &[u8]) -> Option<XssFinding> {
    for eq in memchr::memchr_iter(b'=', s) {
        let before = s.get(..eq).unwrap_or_default();
        let end = eq - before.iter().rev().take_while(|&&b| b == b' ').count();
        let head = s.get(..end).unwrap_or_default();
        let start = end - head.iter().rev().take_while(|b| b.is_ascii_alphanumeric()).count();
        let name = s.get(start..end).unwrap_or_default();
        let handler = name.len() > 4 && name.starts_with(b"on");
        let url = matches!(name, b"href" | b"src" | b"formaction" | b"action");
        if !handler && !url && name != b"style" {
            continue;
        }
        let opened = s.get(..start).unwrap_or_default().iter().rev().find(|b| !matches!(b, 0x0b | 0x0c));
        if !matches!(opened, Some(b'"' | b'\'' | b'`' | b' ' | b'/')) {
            continue;
        }
        let value = s.get(eq + 1..).unwrap_or_default();
        let from_name = s.get(start..).unwrap_or_default();
        if handler && looks_like_script(value) {
            return found("attribute-injection", from_name);
        }
        if name == b"style" && style_danger(s.get(eq..).unwrap_or_default()) {
            return found("css-expression", from_name);
        }
        if url {
            let v: Vec<u8> = value.iter().copied().filter(|b| !matches!(b, b'"' | b'\'' | b' ')).collect();
            if dangerous_url(&v) {
                return found("script-url", from_name);
            }
        }
    }
    None
}

fn looks_like_script(v: &[u8]) -> bool {
    let v: Vec<u8> =
        v.iter().copied().skip_while(|b| matches!(b, b'"' | b'\'' | b'`' | b' ')).take(200).collect();
    v.iter().any(|b| matches!(b, b'(' | b'`' | b'=' | b'.' | b'[' | b'&' | b'\\'))
}

/// A whole value that is a script URL (`javascript:alert(1)`), as put in an `href`.
fn scheme(s: &[u8]) -> Option<XssFinding> {
    // Decoding only changes text from a `&`: the value must start with `&` or a scheme's letter.
    let first = s.iter().find(|b| !matches!(b, b' ' | b'"' | b'\'' | 0x01..=0x1f));
    if !matches!(first, Some(b'j' | b'v' | b'l' | b'd' | b'&')) {
        return None;
    }
    let t: Vec<u8> = s
        .iter()
        .copied()
        .skip_while(|b| matches!(b, b' ' | b'"' | b'\'' | 0x01..=0x1f))
        .filter(|b| !matches!(b, b' '))
        .collect();
    let t = entity_decode(&t);
    for sch in ["javascript:", "vbscript:", "livescript:", "data:text/html"] {
        if t.starts_with(sch.as_bytes()) && t.len() > sch.len() {
            return found("script-url", &t);
        }
    }
    None
}

fn css(s: &[u8], set: &ByteSet) -> Option<XssFinding> {
    // The comment-stripped text is a subsequence of `s`, so each check below needs the bytes of
    // what it looks for in `s`: `expression(` with `{` or `:`; `style_danger` one of its
    // patterns; `@import` with `javascript:`. Without them only the SSI checks remain.
    let expression = set.all(b"expression(") && set.any(b"{:");
    let styled = (set.has(b'{') || set.all(b"style")) && STYLE_PATTERNS.iter().any(|p| set.all(p));
    let import = set.all(b"@import") && set.all(b"javascript:");
    if !expression && !styled && !import {
        return ssi(s, set);
    }
    let t = strip_css_comments(s, |b| !matches!(b, b' ' | b'\\'));
    if expression && contains(&t, b"expression(") && (contains(&t, b"{") || contains(&t, b":"))
        || styled && (contains(&t, b"{") || contains(&t, b"style")) && style_danger(s)
        || import && contains(&t, b"@import") && contains(&t, b"javascript:")
    {
        return found("css-expression", s);
    }
    ssi(s, set)
}

/// Server-side includes: `<!--#exec cmd=`, `<!--#include`.
fn ssi(s: &[u8], set: &ByteSet) -> Option<XssFinding> {
    if !set.all(b"<!-#") {
        return None;
    }
    if s.starts_with(b"<!--#exec") || contains(s, b"<!--#exec cmd=") || contains(s, b"<!--#include") {
        return found("server-side-include", s);
    }
    None
}

const SINKS: &[&[u8]] = &[
    b"alert(",
    b"alert`",
    b"prompt(",
    b"prompt`",
    b"confirm(",
    b"confirm`",
    b"eval(",
    b"settimeout(",
    b"setinterval(",
    b"document.cookie",
    b"document.write",
    b"document.location",
    b"window.location",
    b"location.href",
    b"fromcharcode(",
    b"constructor(",
    b"importscripts(",
    b"top[",
    b"window[",
    b"self[",
    b"atob(",
    b"fetch(",
    b"new function",
    b"document.domain",
    b".innerhtml=",
    b"print(",
];

/// `';alert(1)//`, `"-alert(1)-"`, `</script><script>…`: leaving a JS string and calling a sink.
/// Spaces and `+` are ignored (`' + alert(1) + '`); the text is read in place, not copied
/// without them.
fn script_breakout(s: &[u8], set: &ByteSet) -> Option<XssFinding> {
    // A breakout starts at a quote, `}` or `)`, and every sink holds `(`, `` ` ``, `[` or `.`.
    if !set.any(b"\"'`})") || !set.any(b"(`[.") {
        return None;
    }
    let kept = |b: &&u8| !matches!(b, b' ' | b'+');
    // Each quote, `}` or `)` followed by an operator: the quotes and the brackets are found by
    // two `memchr` searches, merged in order.
    let mut quotes = memchr::memchr3_iter(b'"', b'\'', b'`', s).peekable();
    let mut brackets = memchr::memchr2_iter(b'}', b')', s).peekable();
    loop {
        let p = match (quotes.peek(), brackets.peek()) {
            (Some(q), Some(b)) if q < b => quotes.next(),
            (_, Some(_)) => brackets.next(),
            (Some(_), None) => quotes.next(),
            (None, None) => None,
        };
        let Some(p) = p else { break };
        let after = s.get(p + 1..).unwrap_or_default();
        let Some(q) = after.iter().position(|b| kept(&b)) else { break };
        let Some(&op) = after.get(q) else { break };
        if !matches!(
            op,
            b';' | b'-'
                | b'+'
                | b'*'
                | b'/'
                | b'|'
                | b'&'
                | b','
                | b'^'
                | b'%'
                | b'='
                | b')'
                | b'}'
                | b'?'
                | b':'
        ) {
            continue;
        }
        let is_prefix = |b: &u8| matches!(b, b'(' | b'[' | b'!' | b'~' | b';' | b'-' | b'}' | b')' | b'{');
        // Most operators are not followed by a sink: the first kept byte after the prefix
        // (within 80) must start one before the 80 bytes are gathered.
        let mut kept_after = after.get(q + 1..).unwrap_or_default().iter().filter(kept);
        let first = kept_after.by_ref().take(80).find(|b| !is_prefix(b));
        if !first.is_some_and(|&b| SINKS.iter().any(|sink| sink.first() == Some(&b))) {
            continue;
        }
        // The next 80 kept bytes.
        let mut buf = [0u8; 80];
        let mut len = 0;
        for (slot, &b) in buf.iter_mut().zip(after.get(q + 1..).unwrap_or_default().iter().filter(kept)) {
            *slot = b;
            len += 1;
        }
        let rest = buf.get(..len).unwrap_or_default();
        let mut r = rest;
        while let Some((first, tail)) = r.split_first() {
            if is_prefix(first) {
                r = tail;
            } else {
                break;
            }
        }
        if SINKS.iter().any(|sink| sink.first() == r.first() && r.starts_with(sink)) {
            let start = s.get(p..=p).unwrap_or_default();
            let matched: Vec<u8> = start.iter().chain([op].iter()).chain(rest).copied().collect();
            return found("script-breakout", &matched);
        }
    }
    None
}
