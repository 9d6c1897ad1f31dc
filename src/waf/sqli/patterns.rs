//! The grammar patterns of injected SQL, checked over one token stream: UNION SELECT,
//! stacked statements, dangerous functions and system objects, tautologies, literal breakouts
//! followed by logic/comparison/comment/clause, and statement skeletons. `LOW` fires only on
//! patterns that benign text practically never forms. Tokenising is elsewhere. Membership in
//! the keyword lists is read from each token's `flags` (set by the tokenizer), never searched.

use super::tokenize::{Kind, Token, DANGER_FUNC, DANGER_NAME, STRONG_FUNC};
use crate::waf::model::Sensitivity;

type Hit = (&'static str, (usize, usize));

pub(super) const STRONG_FUNCS: &[&str] = &[
    "sleep",
    "benchmark",
    "pg_sleep",
    "load_file",
    "updatexml",
    "extractvalue",
    "xp_cmdshell",
    "name_const",
    "gtid_subset",
    "dbms_pipe",
    "utl_inaddr",
    "utl_http",
    "receive_message",
    "pg_read_file",
    "lo_import",
    "openrowset",
    "opendatasource",
    "dblink",
    "randomblob",
];

/// A view of the token stream without comments, with helpers for the patterns.
struct View<'t, 'a> {
    all: &'t [Token<'a>],
    idx: Vec<usize>,
}

impl<'a> View<'_, 'a> {
    fn len(&self) -> usize {
        self.idx.len()
    }
    fn tok(&self, i: usize) -> Option<&Token<'a>> {
        self.all.get(*self.idx.get(i)?)
    }
    fn k(&self, i: usize) -> Option<Kind> {
        self.tok(i).map(|t| t.kind)
    }
    fn txt(&self, i: usize) -> &str {
        self.tok(i).map_or("", |t| &*t.text)
    }
    /// Whether token i is in a keyword list (`flags` bit).
    fn is(&self, i: usize, flag: u8) -> bool {
        self.tok(i).is_some_and(|t| t.flags & flag != 0)
    }
    /// Full-stream span covering view tokens a..=b.
    fn span(&self, a: usize, b: usize) -> (usize, usize) {
        let s = self.idx.get(a).copied().unwrap_or(0);
        let e = self.idx.get(b.min(self.idx.len().saturating_sub(1))).map_or(self.all.len(), |e| e + 1);
        (s, e.max(s))
    }
    /// The comment right after view token i, if any.
    fn comment_after(&self, i: usize) -> Option<&str> {
        let f = *self.idx.get(i)?;
        self.all.get(f + 1).filter(|t| t.kind == Kind::Comment).map(|t| &*t.text)
    }
    /// Whether token i ends the statement: nothing after, or a comment after.
    fn ends(&self, i: usize) -> bool {
        i + 1 >= self.len() || self.comment_after(i).is_some()
    }
    /// Index after the parenthesised group opening at `i`.
    fn close_of(&self, i: usize) -> usize {
        let mut depth = 0usize;
        let mut j = i;
        // Bounded so that many operands over unbalanced parentheses stay linear.
        while let Some(kind) = self.k(j).filter(|_| j < i + 256) {
            match kind {
                Kind::Open => depth += 1,
                Kind::Close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return j + 1;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        j
    }
    /// Skips one operand (with unary prefixes); returns (index after it, kind of its head).
    fn operand(&self, mut i: usize) -> Option<(usize, Kind)> {
        while matches!(self.txt(i), "-" | "+" | "!" | "~" | "not" | "binary") {
            i += 1;
        }
        let kind = self.k(i)?;
        match kind {
            Kind::Num | Kind::Str { .. } | Kind::Var | Kind::Word => Some((i + 1, kind)),
            Kind::Clause if matches!(self.txt(i), "true" | "false" | "null") => Some((i + 1, Kind::Num)),
            Kind::Func | Kind::Verb if self.k(i + 1) == Some(Kind::Open) => {
                Some((self.close_of(i + 1), Kind::Func))
            }
            Kind::Func => Some((i + 1, Kind::Func)),
            Kind::Open => Some((self.close_of(i), Kind::Open)),
            _ => None,
        }
    }
    /// `operand CMP operand` starting at `a`: returns (end, cmp text, left head, right head).
    fn comparison(&self, a: usize) -> Option<(usize, String, Kind, Kind)> {
        let (b, left) = self.operand(a)?;
        if self.k(b) != Some(Kind::Cmp) {
            return None;
        }
        let mut c = b + 1;
        while self.k(c) == Some(Kind::Cmp) && matches!(self.txt(c), "not" | "=") {
            c += 1;
        }
        let (d, right) = self.operand(c)?;
        Some((d, self.txt(b).to_owned(), left, right))
    }
}

fn strong_cmp(op: &str) -> bool {
    matches!(op, "=" | "!=" | "<>" | "<=>" | "==" | "like" | "rlike" | "regexp" | "is" | "in")
}

#[allow(clippy::too_many_lines)]
pub(super) fn check(all: &[Token<'_>], quoted: bool, tail_matches: bool, sens: Sensitivity) -> Option<Hit> {
    let high = sens == Sensitivity::High;
    let v = View {
        all,
        idx: {
            let mut idx = Vec::with_capacity(all.len());
            idx.extend(all.iter().enumerate().filter(|(_, t)| t.kind != Kind::Comment).map(|(i, _)| i));
            idx
        },
    };
    let n = v.len();
    let k = |i: usize| v.k(i);
    let txt = |i: usize| v.txt(i);

    // Anywhere: UNION SELECT, stacked statements, dangerous functions and objects.
    for i in 0..n {
        let ki = k(i)?;
        if ki == Kind::Union {
            let mut j = i + 1;
            while matches!(txt(j), "all" | "distinct" | "(") {
                j += 1;
            }
            if txt(j) == "select" && (k(j + 1).is_some() || high || i > 0)
                || (txt(j).starts_with("select") && k(j) == Some(Kind::Func))
                || (high && txt(j) == "values")
            {
                return Some(("union-select", v.span(i, j)));
            }
        }
        if ki == Kind::Semi {
            let next = txt(i + 1);
            let ok = match next {
                "select" => k(i + 2).is_some_and(|x| x != Kind::Word || high) || txt(i + 2) == "*",
                "insert" | "replace" => txt(i + 2) == "into",
                "update" => txt(i + 3) == "set",
                "delete" => txt(i + 2) == "from",
                "drop" | "create" | "alter" | "truncate" => matches!(
                    txt(i + 2),
                    "table"
                        | "database"
                        | "schema"
                        | "user"
                        | "procedure"
                        | "function"
                        | "view"
                        | "index"
                        | "login"
                ),
                "exec" | "execute" => {
                    k(i + 2).is_some_and(|x| matches!(x, Kind::Var | Kind::Open | Kind::Func))
                        || txt(i + 2).starts_with("xp_")
                        || txt(i + 2).starts_with("sp_")
                        || txt(i + 2) == "master"
                }
                "declare" | "set" => k(i + 2) == Some(Kind::Var),
                "shutdown" => true,
                "waitfor" => matches!(txt(i + 2), "delay" | "time"),
                "load" | "handler" | "grant" | "revoke" | "desc" | "show" | "use" => {
                    high && k(i + 2).is_some()
                }
                _ => false,
            };
            if ok {
                return Some(("stacked-query", v.span(i, i + 2)));
            }
        }
        if ki == Kind::Func && v.is(i, STRONG_FUNC) {
            let arg = k(i + 2);
            if arg.is_some_and(|a| a != Kind::Word) || txt(i + 2).contains('_') {
                return Some(("dangerous-function", v.span(i, i + 2)));
            }
        }
        if ki == Kind::Verb && txt(i) == "waitfor" && matches!(txt(i + 1), "delay" | "time") {
            return Some(("time-delay", v.span(i, i + 2)));
        }
        if matches!(ki, Kind::Word | Kind::Var) && v.is(i, DANGER_NAME) {
            let strong = txt(i).starts_with("@@")
                || matches!(
                    txt(i),
                    "information_schema"
                        | "sysobjects"
                        | "syscolumns"
                        | "sqlite_master"
                        | "pg_shadow"
                        | "msysobjects"
                        | "xp_cmdshell"
                );
            let sqlish = v.all.iter().any(|t| {
                matches!(t.kind, Kind::Verb | Kind::Union | Kind::Logic)
                    || t.kind == Kind::Clause && t.text == "from"
            });
            if (strong && (sqlish || high || txt(i).starts_with("@@"))) || (high && sqlish) {
                return Some(("system-object", v.span(i, i)));
            }
        }
        if ki == Kind::Clause && matches!(txt(i), "outfile" | "dumpfile") && i > 0 && txt(i - 1) == "into" {
            return Some(("into-outfile", v.span(i - 1, i)));
        }
        // Logic then a tautology: `OR 1=1`, `and (ascii(substr(..)))>51`, `HOPE AND 8=3`.
        if ki == Kind::Logic {
            // The comparison may sit inside parentheses: `and (3=pi())`.
            let mut inner = i + 1;
            while k(inner) == Some(Kind::Open) {
                inner += 1;
            }
            let cmp = v.comparison(i + 1).or_else(|| v.comparison(inner));
            if let Some((end, op, left, right)) = cmp {
                let same = v.operand(i + 1).is_some_and(|(e, _)| {
                    let l = (i + 1..e).map(|x| v.txt(x));
                    let r = (e + 1..end).map(|x| v.txt(x));
                    e > i + 1 && l.eq(r)
                });
                let words = left == Kind::Word && right == Kind::Word && !same;
                let funcy = matches!(left, Kind::Func | Kind::Open | Kind::Var)
                    || matches!(right, Kind::Func | Kind::Var | Kind::Open);
                let numeric = left == Kind::Num && right == Kind::Num;
                let strings = matches!(left, Kind::Str { .. }) && matches!(right, Kind::Str { .. });
                let low_ok = !words
                    && (left != Kind::Word || funcy || same)
                    && (strings
                        || strong_cmp(&op)
                            && (numeric
                                || funcy
                                || matches!(left, Kind::Str { .. })
                                || matches!(right, Kind::Str { .. })
                                || i == 0)
                        || funcy);
                let prose = i == 0 && quoted;
                let high_ok = !words
                    && (strong_cmp(&op) || funcy || strings)
                    && !(left == Kind::Word && matches!(v.txt(i), "||" | "&&"));
                if (low_ok || (high && high_ok)) && !prose {
                    return Some(("tautology", v.span(i, end.saturating_sub(1))));
                }
            }
            let mut a = i + 1;
            while k(a) == Some(Kind::Open) || matches!(txt(a), "not" | "-" | "+") {
                a += 1;
            }
            if k(a) == Some(Kind::Func)
                && (v.is(a, STRONG_FUNC)
                    || (high
                        || i > 0
                            && matches!(
                                k(i - 1),
                                Some(Kind::Num | Kind::Close | Kind::Str { closed: true })
                            ))
                        && v.is(a, DANGER_FUNC))
            {
                return Some(("boolean-function", v.span(i, a + 1)));
            }
            if k(a) == Some(Kind::Num)
                && k(a + 1) == Some(Kind::Clause)
                && matches!(txt(a + 1), "group" | "order" | "having" | "limit" | "procedure")
            {
                return Some(("boolean-clause", v.span(i, a + 2)));
            }
            if k(a) == Some(Kind::Verb) && txt(a) == "select" && i > 0 {
                return Some(("boolean-subquery", v.span(i, a + 1)));
            }
        }
    }

    // A leading clause: ` ORDER BY 23`, ` HAVING 1=1`, ` GROUP BY 1--`, ` LIMIT 1,1`.
    if !quoted {
        let c = txt(0);
        if matches!(c, "order" | "group")
            && txt(1) == "by"
            && k(2) == Some(Kind::Num)
            && (v.ends(2) || k(3) == Some(Kind::Comma) || high)
        {
            return Some(("order-by", v.span(0, 2)));
        }
        if c == "having" && v.comparison(1).is_some() {
            return Some(("clause-injection", v.span(0, 3)));
        }
    }

    // A leading comparison joined to more logic: `1 = 1 OR 1`, `1 = '1' /* x */ OR 1`.
    if !quoted && k(0) == Some(Kind::Num) {
        if let Some((end, op, _, _)) = v.comparison(0) {
            if k(end) == Some(Kind::Logic) && v.operand(end + 1).is_some() && (high || strong_cmp(&op)) {
                return Some(("tautology", v.span(0, end + 1)));
            }
        }
        // A number (or arithmetic on numbers) cut off by a comment: `1--`, `1*1--`, `1/* x */`.
        let mut e = 1;
        while k(e) == Some(Kind::Arith) && k(e + 1) == Some(Kind::Num) {
            e += 2;
        }
        if let Some(c) = v.comment_after(e - 1) {
            if (c.starts_with("--") || c.starts_with("/**/") && high) && (e >= n || high)
                || c.contains("sp_password")
            {
                return Some(("number-then-comment", v.span(0, e - 1)));
            }
        }
        if high && k(1) == Some(Kind::Union) && n == 2 {
            return Some(("union-select", v.span(0, 1)));
        }
    }

    // Patterns anchored on a closed literal (quote contexts) or on a leading number or `)`.
    let start = if quoted {
        matches!(k(0), Some(Kind::Str { closed: true })).then_some(1usize)
    } else {
        let mut s = 0;
        while matches!(txt(s), "-" | "+") {
            s += 1;
        }
        match k(s) {
            Some(Kind::Num) => Some(s + 1),
            Some(Kind::Close) => Some(s),
            _ => None,
        }
    };
    if let Some(mut s) = start {
        let first = s;
        while k(s) == Some(Kind::Close) {
            s += 1;
        }
        let closes = s > first;
        let anchored = quoted || closes;
        // literal then comment: `admin'--`, `1)#`
        if anchored {
            if let Some(c) = v.comment_after(s.saturating_sub(1)) {
                let body = c.trim_start_matches(['-', '#']).trim_start_matches("/**/");
                let empty = body.trim().is_empty()
                    || c.starts_with("/**/")
                    || (c.starts_with("--") && body.starts_with([' ', '\t']) && body.trim().len() < 3)
                    || body.contains("sp_password");
                if (empty && (s >= n || closes || quoted))
                    || (high
                        && (c.starts_with("/**/")
                            || body.trim().is_empty()
                            || c.starts_with("--") && body.starts_with([' ', '\t', '-'])))
                {
                    return Some(("literal-then-comment", v.span(0, s.saturating_sub(1))));
                }
            }
        }
        if let Some(ks) = k(s) {
            match ks {
                Kind::Logic => {
                    // `' OR 'a'='a`, `' and 1`, `' or true--`
                    if let Some((end, _op, left, _right)) = v.comparison(s + 1) {
                        if anchored && (left != Kind::Word || high) {
                            return Some(("tautology", v.span(0, end.saturating_sub(1))));
                        }
                    }
                    if let Some((end, head)) = v.operand(s + 1) {
                        let value = matches!(
                            head,
                            Kind::Num | Kind::Func | Kind::Open | Kind::Var | Kind::Str { closed: true }
                        );
                        let ends = end >= n || v.comment_after(end.saturating_sub(1)).is_some();
                        let closed_tail = head == Kind::Str { closed: true } && end >= n;
                        if ends
                            && value
                            && anchored
                            && (head != Kind::Str { closed: true } || quoted)
                            && !closed_tail
                        {
                            return Some(("boolean-injection", v.span(0, end.saturating_sub(1))));
                        }
                        let unclosed_tail = head == Kind::Str { closed: false } && end >= n;
                        if high
                            && unclosed_tail
                            && tail_matches
                            && matches!(txt(s), "or" | "and" | "||" | "&&" | "xor")
                        {
                            return Some(("boolean-injection", v.span(0, end.saturating_sub(1))));
                        }
                        if high && ends && anchored && (head != Kind::Str { closed: false } || tail_matches) {
                            return Some(("boolean-injection", v.span(0, end.saturating_sub(1))));
                        }
                    }
                }
                Kind::Cmp if anchored => {
                    // `' = '`, `') LIKE md5(1)`, `1)=(1`
                    let symbolic = !txt(s).chars().all(|c| c.is_ascii_alphabetic());
                    if let Some((end, head)) = v.operand(s + 1) {
                        let followed = end >= n
                            || v.comment_after(end.saturating_sub(1)).is_some()
                            || matches!(
                                k(end),
                                Some(Kind::Logic | Kind::Close | Kind::Semi | Kind::Cmp | Kind::Arith)
                            );
                        let strong = matches!(head, Kind::Func | Kind::Var | Kind::Open)
                            || (symbolic && head != Kind::Word && (quoted || closes));
                        let plain_head = head == Kind::Word || head == Kind::Str { closed: false };
                        if followed && (strong || (high && !plain_head)) && txt(s) != "is"
                            || (high && symbolic && followed && !plain_head)
                        {
                            return Some(("literal-comparison", v.span(0, end.saturating_sub(1))));
                        }
                    }
                }
                Kind::Semi
                    if anchored
                        && (matches!(k(s + 1), Some(Kind::Verb))
                            || (high && k(s + 1).is_none() && closes)) =>
                {
                    return Some(("stacked-query", v.span(0, s + 1)));
                }
                Kind::Clause if anchored || k(0) == Some(Kind::Num) => {
                    let c = txt(s);
                    if matches!(c, "order" | "group") && txt(s + 1) == "by" && v.operand(s + 2).is_some() {
                        return Some(("order-by", v.span(0, s + 2)));
                    }
                    if matches!(c, "having" | "where") && v.comparison(s + 1).is_some() {
                        return Some(("clause-injection", v.span(0, s + 2)));
                    }
                    if c == "limit" && k(s + 1) == Some(Kind::Num) && (anchored || high) {
                        return Some(("clause-injection", v.span(0, s + 1)));
                    }
                    if c == "procedure" && txt(s + 1) == "analyse"
                        || c == "into"
                            && (k(s + 1) == Some(Kind::Var)
                                || high && matches!(txt(s + 1), "outfile" | "dumpfile"))
                    {
                        return Some(("clause-injection", v.span(0, s + 1)));
                    }
                    if c == "case" && txt(s + 1) == "when" {
                        return Some(("clause-injection", v.span(0, s + 1)));
                    }
                }
                Kind::Verb
                    if (anchored || high && k(0) == Some(Kind::Num))
                        && matches!(
                            txt(s),
                            "select"
                                | "exec"
                                | "execute"
                                | "waitfor"
                                | "drop"
                                | "insert"
                                | "update"
                                | "delete"
                        )
                        && v.operand(s + 1).is_some_and(|(_, h)| h != Kind::Word || high) =>
                {
                    return Some(("statement-after-literal", v.span(0, s + 1)));
                }
                _ => {}
            }
            // literal then arithmetic on a subquery or function: `' + (select ..)`, `'||md5(1)`
            if quoted && matches!(ks, Kind::Arith)
                || ks == Kind::Logic && matches!(txt(s), "||" | "&&") && quoted
            {
                if let Some((end, head)) = v.operand(s + 1) {
                    let followed = end >= n
                        || v.comment_after(end.saturating_sub(1)).is_some()
                        || matches!(k(end), Some(Kind::Arith | Kind::Cmp | Kind::Logic | Kind::Close));
                    if followed
                        && (matches!(head, Kind::Func | Kind::Open | Kind::Var)
                            || high
                                && matches!(head, Kind::Num | Kind::Func | Kind::Open | Kind::Var)
                                && end < n)
                    {
                        return Some(("literal-arithmetic", v.span(0, end.saturating_sub(1))));
                    }
                }
            }
        }
    }

    // Statement skeletons: SELECT … FROM, INSERT INTO … VALUES, DELETE FROM, DROP TABLE, UPDATE … SET.
    for i in 0..n {
        if k(i) != Some(Kind::Verb) {
            continue;
        }
        let rest = || v.all.iter().skip(v.idx.get(i).copied().unwrap_or(0) + 1).take(80);
        let prev = if i > 0 { k(i - 1) } else { None };
        let injected = matches!(
            prev,
            Some(
                Kind::Open
                    | Kind::Semi
                    | Kind::Logic
                    | Kind::Str { .. }
                    | Kind::Cmp
                    | Kind::Union
                    | Kind::Arith
                    | Kind::Comma
            )
        );
        let hit = match txt(i) {
            "select" => {
                let from = rest().any(|t| t.text == "from");
                let head = v.operand(i + 1).map(|(_, h)| h);
                let valuey =
                    matches!(head, Some(Kind::Func | Kind::Var | Kind::Num | Kind::Str { .. } | Kind::Open))
                        || matches!(txt(i + 1), "*" | "null" | "top" | "distinct" | "-");
                let danger = head == Some(Kind::Func) && v.is(i + 1, DANGER_FUNC);
                (from && (valuey || high)) || danger || (high && valuey) || (valuey && injected)
            }
            "insert" => {
                txt(i + 1) == "into" && (high || rest().any(|t| t.text == "values" || t.text == "select"))
            }
            "delete" => txt(i + 1) == "from" && (high || injected),
            "drop" | "create" | "alter" | "truncate" => {
                matches!(txt(i + 1), "table" | "database" | "schema" | "procedure" | "function")
                    && (high && i + 2 < n && txt(i + 2) != "tennis" || injected)
            }
            "update" => (high || injected) && rest().any(|t| t.text == "set"),
            "exec" | "execute" => {
                txt(i + 1).starts_with("xp_")
                    || txt(i + 1).starts_with("sp_")
                    || k(i + 1) == Some(Kind::Open)
                    || (injected
                        && (high || matches!(k(i + 1), Some(Kind::Var | Kind::Func | Kind::Str { .. }))))
            }
            "declare" => k(i + 1) == Some(Kind::Var),
            "shutdown" => injected || (high && n == 1),
            _ => false,
        };
        if hit {
            return Some(("sql-statement", v.span(i, i + 1)));
        }
    }

    if high {
        // Comment inside a keyword: un/**/ion, sel/**/ect.
        for w in all.windows(3) {
            if let [a, Token { kind: Kind::Comment, .. }, b] = w {
                let joined = |w: &str| {
                    w.len() == a.text.len() + b.text.len() && w.starts_with(&*a.text) && w.ends_with(&*b.text)
                };
                if ["union", "select", "insert", "update", "delete", "drop", "where", "from"]
                    .into_iter()
                    .any(joined)
                {
                    return Some(("split-keyword", (0, all.len())));
                }
            }
        }
        // A parenthesised expression with SQL operators ending in a line comment.
        if all.last().is_some_and(|t| {
            t.kind == Kind::Comment && t.text.trim_start_matches(['-', '#']).trim().is_empty()
        }) && v.all.iter().any(|t| t.kind == Kind::Open)
            && v.all.iter().any(|t| matches!(t.kind, Kind::Logic | Kind::Cmp | Kind::Func | Kind::Var))
        {
            return Some(("expression-then-comment", (0, all.len())));
        }
    }
    None
}
