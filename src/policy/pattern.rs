//! Policy strings with wildcards and policy variables, and the matching that AWS applies to them.
//!
//! A [`Template`] is a string as written in a policy (`arn:aws:s3:::bucket/${aws:username}/*`),
//! parsed once into literal text, wildcards and variables. Resolving it against a request context
//! yields a [`Glob`] (variables substituted; substituted text is literal, never a wildcard), which
//! matches plain strings or ARNs segment by segment. This file does not know about operators.

use std::borrow::Cow;

use super::request::Context;

/// One piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    /// Text as written; `*` and `?` in it are wildcards where the element allows them.
    Text(String),
    /// `${key}` or `${key, 'default'}`.
    Var { key: String, default: Option<String> },
    /// `${*}`, `${?}`, `${$}`: the character itself, never a wildcard.
    Literal(char),
}

/// A policy string parsed once into text, wildcards and variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    parts: Vec<Part>,
    source: String,
    /// Without variables, the text and the wildcard glob are computed once, at parse time.
    fixed: Option<(String, Glob)>,
}

/// A glob token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Byte(u8),
    /// `*`: any run of characters, including none.
    Star,
    /// `?`: exactly one character.
    Quest,
}

/// A pattern ready to match: wildcards resolved, variables substituted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    toks: Vec<Tok>,
}

impl Template {
    /// Parses `source`; with `variables` false (policy `Version` 2008-10-17 or absent),
    /// `${...}` is plain text, as AWS treats it.
    pub fn parse(source: &str, variables: bool) -> Template {
        let mut parts = Vec::new();
        if variables {
            let mut rest = source;
            while let Some(i) = rest.find("${") {
                let (before, after) = rest.split_at(i);
                let Some(close) = after.find('}') else { break };
                let inner = after.get(2..close).unwrap_or_default();
                if !before.is_empty() {
                    parts.push(Part::Text(before.to_string()));
                }
                parts.push(parse_var(inner));
                rest = after.get(close + 1..).unwrap_or_default();
            }
            if !rest.is_empty() {
                parts.push(Part::Text(rest.to_string()));
            }
        } else if !source.is_empty() {
            parts.push(Part::Text(source.to_string()));
        }
        let mut t = Template { parts, source: source.to_string(), fixed: None };
        if !t.has_variables() {
            let empty = Context::default();
            if let (Ok(text), Ok(glob)) = (t.build_text(&empty), t.build_glob(&empty, true)) {
                t.fixed = Some((text, glob));
            }
        }
        t
    }

    /// The string as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the string contains a policy variable (not counting `${*}` and friends).
    pub fn has_variables(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Var { .. }))
    }

    /// The keys of the variables used.
    pub fn variable_keys(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var { key, .. } => Some(key.as_str()),
            _ => None,
        })
    }

    /// Whether the text (outside variables) contains `*` or `?`.
    pub fn has_wildcards(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Text(t) if t.contains(['*', '?'])))
    }

    /// Substitutes variables and returns the plain string (wildcards kept as characters).
    /// `Err(key)` names a variable that has no value in the context and no default.
    pub fn resolve_text(&self, ctx: &Context) -> Result<Cow<'_, str>, String> {
        match &self.fixed {
            Some((text, _)) => Ok(Cow::Borrowed(text)),
            None => self.build_text(ctx).map(Cow::Owned),
        }
    }

    /// Substitutes variables and returns a glob; with `wildcards` false, `*` and `?` are literal.
    pub fn resolve_glob(&self, ctx: &Context, wildcards: bool) -> Result<Cow<'_, Glob>, String> {
        match &self.fixed {
            Some((_, glob)) if wildcards => Ok(Cow::Borrowed(glob)),
            _ => self.build_glob(ctx, wildcards).map(Cow::Owned),
        }
    }

    fn build_text(&self, ctx: &Context) -> Result<String, String> {
        let mut out = String::with_capacity(self.source.len());
        for p in &self.parts {
            match p {
                Part::Text(t) => out.push_str(t),
                Part::Literal(c) => out.push(*c),
                Part::Var { key, default } => out.push_str(&lookup(ctx, key, default)?),
            }
        }
        Ok(out)
    }

    fn build_glob(&self, ctx: &Context, wildcards: bool) -> Result<Glob, String> {
        let mut toks = Vec::with_capacity(self.source.len());
        for p in &self.parts {
            match p {
                Part::Text(t) => {
                    for b in t.bytes() {
                        toks.push(match b {
                            b'*' if wildcards => Tok::Star,
                            b'?' if wildcards => Tok::Quest,
                            _ => Tok::Byte(b),
                        });
                    }
                }
                Part::Literal(c) => {
                    let mut buf = [0u8; 4];
                    toks.extend(c.encode_utf8(&mut buf).bytes().map(Tok::Byte));
                }
                Part::Var { key, default } => {
                    toks.extend(lookup(ctx, key, default)?.bytes().map(Tok::Byte));
                }
            }
        }
        Ok(Glob { toks })
    }
}

fn parse_var(inner: &str) -> Part {
    match inner.trim() {
        "*" => return Part::Literal('*'),
        "?" => return Part::Literal('?'),
        "$" => return Part::Literal('$'),
        _ => {}
    }
    match inner.split_once(',') {
        Some((key, default)) => {
            let d = default.trim();
            let d = d.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')).unwrap_or(d);
            Part::Var { key: key.trim().to_string(), default: Some(d.to_string()) }
        }
        None => Part::Var { key: inner.trim().to_string(), default: None },
    }
}

fn lookup(ctx: &Context, key: &str, default: &Option<String>) -> Result<String, String> {
    // A policy variable takes a single value; a multivalued key cannot be substituted.
    match ctx.single(key) {
        Some(v) => Ok(v.to_string()),
        None => default.clone().ok_or_else(|| key.to_string()),
    }
}

impl Glob {
    /// A glob from text where `*` and `?` are wildcards (no variables).
    pub fn wild(text: &str) -> Glob {
        Glob {
            toks: text
                .bytes()
                .map(|b| match b {
                    b'*' => Tok::Star,
                    b'?' => Tok::Quest,
                    _ => Tok::Byte(b),
                })
                .collect(),
        }
    }

    /// Matches the whole of `text`; `ignore_case` folds ASCII letters.
    pub fn matches(&self, text: &str, ignore_case: bool) -> bool {
        glob(&self.toks, text.as_bytes(), ignore_case)
    }

    /// ARN-aware match: the six colon-delimited segments of pattern and value are matched
    /// pairwise, so a wildcard never spans a `:` between segments (it may span `/` and, in the
    /// last segment, further colons). A pattern with fewer than six segments is matched as a
    /// plain string. `None` when `value` is not an ARN.
    pub fn matches_arn(&self, value: &str) -> Option<bool> {
        let vs = split_arn(value)?;
        let ps = self.segments();
        if ps.len() < 6 {
            return Some(self.matches(value, false));
        }
        Some(ps.iter().zip(vs.iter()).all(|(p, v)| glob(p, v.as_bytes(), false)))
    }

    /// The `Arn*` operators' match: like [`Glob::matches_arn`], but a pattern must have all six
    /// segments (a lone `*` matches any ARN). `None` when `value` is not an ARN.
    pub fn matches_arn_operator(&self, value: &str) -> Option<bool> {
        split_arn(value)?;
        if self.segments().len() < 6 {
            return Some(self.toks == [Tok::Star]);
        }
        self.matches_arn(value)
    }

    /// Resource match: ARN-aware when both sides are ARNs, plain otherwise.
    pub fn matches_resource(&self, value: &str) -> bool {
        self.matches_arn(value).unwrap_or_else(|| self.matches(value, false))
    }

    fn segments(&self) -> Vec<&[Tok]> {
        let mut out = Vec::with_capacity(6);
        let mut rest: &[Tok] = &self.toks;
        while out.len() < 5 {
            match rest.iter().position(|t| *t == Tok::Byte(b':')) {
                Some(i) => {
                    out.push(rest.get(..i).unwrap_or_default());
                    rest = rest.get(i + 1..).unwrap_or_default();
                }
                None => break,
            }
        }
        out.push(rest);
        out
    }
}

/// Splits an ARN into its six segments (`arn`, partition, service, region, account, resource).
pub fn split_arn(value: &str) -> Option<[&str; 6]> {
    let mut it = value.splitn(6, ':');
    let parts = [it.next()?, it.next()?, it.next()?, it.next()?, it.next()?, it.next()?];
    if parts[0] != "arn" {
        return None;
    }
    Some(parts)
}

/// Length in bytes of the UTF-8 character that starts with `b`.
fn char_len(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// Iterative wildcard match with single-star backtracking: linear in practice, never exponential.
fn glob(p: &[Tok], t: &[u8], ci: bool) -> bool {
    let eq = |a: u8, b: u8| {
        if ci {
            a.eq_ignore_ascii_case(&b)
        } else {
            a == b
        }
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if ti >= t.len() {
            // Text consumed: the rest of the pattern must be stars.
            return p.get(pi..).unwrap_or_default().iter().all(|x| *x == Tok::Star);
        }
        let tb = t.get(ti).copied().unwrap_or(0);
        match p.get(pi) {
            Some(Tok::Star) => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some(Tok::Quest) => {
                pi += 1;
                ti += char_len(tb);
                continue;
            }
            Some(Tok::Byte(b)) if eq(*b, tb) => {
                pi += 1;
                ti += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) => {
                // Let the last star absorb one more character and retry.
                let next = st + char_len(t.get(st).copied().unwrap_or(0));
                star = Some((sp, next));
                pi = sp + 1;
                ti = next;
            }
            None => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_basics() {
        let g = Glob::wild("s3:Get*");
        assert!(g.matches("s3:GetObject", false));
        assert!(g.matches("S3:getobject", true));
        assert!(!g.matches("S3:getobject", false));
        assert!(Glob::wild("a*b*c").matches("axxbyyc", false));
        assert!(!Glob::wild("a*b*c").matches("axxbyy", false));
        assert!(Glob::wild("log-?.txt").matches("log-é.txt", false));
        assert!(!Glob::wild("log-?.txt").matches("log-12.txt", false));
        assert!(Glob::wild("*").matches("", false));
        assert!(Glob::wild("").matches("", false));
        assert!(!Glob::wild("").matches("a", false));
    }

    #[test]
    fn arn_segments() {
        let g = Glob::wild("arn:aws:iam::*:user/*");
        assert_eq!(g.matches_arn("arn:aws:iam::123:user/a/b"), Some(true));
        assert_eq!(g.matches_arn("not-an-arn"), None);
        let g = Glob::wild("arn:aws:sns:*:111122223333:*");
        assert_eq!(g.matches_arn("arn:aws:sns:us-east-1:444455556666:topic-a"), Some(false));
        assert!(Glob::wild("arn:aws:s3:::b/*").matches_resource("arn:aws:s3:::b/x:y/z"));
        assert!(!Glob::wild("arn:aws:s3:::b/*").matches_resource("*"));
        assert!(Glob::wild("*").matches_resource("*"));
    }

    #[test]
    fn variables() {
        let mut ctx = Context::default();
        ctx.insert("aws:username", vec!["al*ce".into()], false);
        let t = Template::parse("home/${aws:username}/${*}x", true);
        let g = t.resolve_glob(&ctx, true).unwrap();
        assert!(g.matches("home/al*ce/*x", false));
        assert!(!g.matches("home/alice/*x", false));
        let t = Template::parse("${aws:PrincipalTag/team, 'company-wide'}", true);
        assert_eq!(t.resolve_text(&ctx).unwrap(), "company-wide");
        let t = Template::parse("${aws:userid}", true);
        assert_eq!(t.resolve_text(&ctx), Err("aws:userid".to_string()));
        let t = Template::parse("${aws:userid}", false);
        assert_eq!(t.resolve_text(&ctx).unwrap(), "${aws:userid}");
    }
}
