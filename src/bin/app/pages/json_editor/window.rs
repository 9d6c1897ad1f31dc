//! Which lines of a big text the JSON editor's textarea holds. A browser lays out every line of
//! a textarea at each edit (a 1.1 MB, 70,000-line web ACL took 650–930 ms of style, layout and
//! text shaping per keystroke, whatever the page did), so past [`BIG_BYTES`] the textarea holds a
//! window of about [`WINDOW_LINES`] lines around what is on screen, placed at its line in a box
//! as tall as the whole text; scrolling moves the window, an edit in it is spliced into the whole
//! text. Below [`BIG_BYTES`] the window is the whole text.
//!
//! Plain Rust over byte offsets, tested natively; offsets a textarea speaks (UTF-16 code units)
//! are converted here against the window's own text, never the whole one.

/// Texts up to this many bytes sit whole in the textarea.
pub const BIG_BYTES: usize = 128 * 1024;
/// At most this many lines in the window…
pub const WINDOW_LINES: usize = 600;
/// …and, after its first line, at most this many bytes.
pub const WINDOW_BYTES: usize = 48 * 1024;
/// The window starts this many lines above the line it is placed for (so scrolling either way
/// has lines before it moves again).
pub const LEAD: usize = WINDOW_LINES / 3;
/// A window grown past this (text pasted or typed into it) is placed again.
pub const REPLACE_BYTES: usize = 2 * WINDOW_BYTES;

/// The lines of a text in the textarea: lines `first..first + lines` of `total` (0-based), the
/// bytes `start..end` of the text (`end` is before the newline that ends the last line, if any).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Window {
    pub first: usize,
    pub lines: usize,
    pub start: usize,
    pub end: usize,
    pub total: usize,
}

impl Window {
    /// The whole of `text`.
    pub fn whole(text: &str) -> Self {
        let total = count_lines(text);
        Self { first: 0, lines: total, start: 0, end: text.len(), total }
    }

    /// Whether this is all of a text of `len` bytes.
    pub fn is_whole(&self, len: usize) -> bool {
        self.start == 0 && self.end == len
    }

    /// The window's own text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.start..self.end).unwrap_or_default()
    }

    /// Whether byte `at` of the text lies in the window (its end included: a caret there is in it).
    pub fn holds(&self, at: usize) -> bool {
        (self.start..=self.end).contains(&at)
    }

    /// The window after an edit inside it: the same start, the textarea's new text `inner`, and
    /// the whole text `text` it is now part of.
    pub fn edited(&self, text: &str, inner: &str) -> Self {
        let end = self.start.saturating_add(inner.len()).min(text.len());
        Self {
            first: self.first,
            lines: count_lines(inner),
            start: self.start,
            end,
            total: count_lines(text),
        }
    }
}

/// The number of lines of `text` (an empty text has one).
pub fn count_lines(text: &str) -> usize {
    text.bytes().filter(|b| *b == b'\n').count() + 1
}

/// The window of `text` for a textarea whose first line is `first` (clamped): the whole text
/// when it is at most [`BIG_BYTES`]; otherwise up to [`WINDOW_LINES`] lines and
/// [`WINDOW_BYTES`] bytes from `first`, taken from earlier lines when the text ends before
/// either is reached. Always at least one line.
pub fn window(text: &str, first: usize) -> Window {
    if text.len() <= BIG_BYTES {
        return Window::whole(text);
    }
    let bytes = text.as_bytes();
    let total = count_lines(text);
    let first = first.min(total.saturating_sub(1));
    // The start of line `first`: just after its (first)th newline.
    let start = if first == 0 {
        0
    } else {
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(first - 1)
            .map_or(text.len(), |(i, _)| i + 1)
    };
    // Forward from `start`, line by line, within both budgets.
    let mut end = line_end(bytes, start);
    let mut lines = 1;
    while lines < WINDOW_LINES && end < text.len() {
        let next = line_end(bytes, end + 1);
        if next - start > WINDOW_BYTES {
            break;
        }
        end = next;
        lines += 1;
    }
    // Back from `start` while the text ended before a budget did.
    let mut start = start;
    let mut first = first;
    while end >= text.len() && lines < WINDOW_LINES && start > 0 {
        let before = line_start(bytes, start - 1);
        if end - before > WINDOW_BYTES {
            break;
        }
        start = before;
        first -= 1;
        lines += 1;
    }
    Window { first, lines, start, end, total }
}

/// The byte just past the line that starts at `from` (the index of its newline, or the end).
fn line_end(bytes: &[u8], from: usize) -> usize {
    bytes.get(from..).and_then(|rest| rest.iter().position(|b| *b == b'\n')).map_or(bytes.len(), |i| from + i)
}

/// The start of the line whose newline (or last byte) is at `at`.
fn line_start(bytes: &[u8], at: usize) -> usize {
    bytes.get(..at).and_then(|head| head.iter().rposition(|b| *b == b'\n')).map_or(0, |i| i + 1)
}

/// The 0-based line of byte `at` of `text`.
pub fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes().get(..at.min(text.len())).map_or(0, |head| head.iter().filter(|b| **b == b'\n').count())
}

/// The byte offset in `text` of the UTF-16 offset `units` (a textarea's `selectionStart`),
/// rounded down to a character boundary; the end of the text past it.
pub fn byte_at_utf16(text: &str, units: u32) -> usize {
    let mut seen = 0u32;
    for (i, c) in text.char_indices() {
        if seen >= units {
            return i;
        }
        seen = seen.saturating_add(c.len_utf16() as u32);
        if seen > units {
            return i;
        }
    }
    text.len()
}

/// The UTF-16 length of `text` up to byte `at` (clamped to the text, rounded down to a boundary).
pub fn utf16_at(text: &str, at: usize) -> u32 {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    text.get(..at).map_or(0, |head| head.encode_utf16().count().try_into().unwrap_or(u32::MAX))
}

/// `text` with bytes `from..to` replaced by `with` (the offsets clamped and ordered, each rounded
/// down to a character boundary).
pub fn splice(text: &str, from: usize, to: usize, with: &str) -> String {
    let floor = |mut at: usize| {
        at = at.min(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let (a, b) = (floor(from.min(to)), floor(from.max(to)));
    let mut out = String::with_capacity(text.len() - (b - a) + with.len());
    out.push_str(text.get(..a).unwrap_or_default());
    out.push_str(with);
    out.push_str(text.get(b..).unwrap_or_default());
    out
}

/// Pasted text as a textarea would hold it: `\r\n` and lone `\r` become `\n`.
pub fn normalise_newlines(text: &str) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_owned()
    }
}

/// The widest line of `text`, in columns of a monospace font (a CJK or emoji character counts
/// two): the textarea is made this wide, so it never scrolls inside the box that scrolls it.
pub fn widest(text: &str) -> usize {
    text.split('\n')
        .map(|line| line.chars().map(|c| if u32::from(c) >= 0x1100 { 2 } else { 1 }).sum::<usize>())
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A big text of `n` numbered lines ("line 0", "line 1", …).
    fn numbered(n: usize) -> String {
        (0..n).map(|i| format!("  \"line {i:07}\",")).collect::<Vec<_>>().join("\n")
    }

    #[test]
    fn a_small_text_is_its_own_window() {
        let t = "{\n  \"a\": 1\n}";
        let w = window(t, 5);
        assert_eq!(w, Window { first: 0, lines: 3, start: 0, end: t.len(), total: 3 });
        assert!(w.is_whole(t.len()));
        assert_eq!(w.text(t), t);
    }

    #[test]
    fn a_big_text_is_windowed_at_the_line_asked_for() {
        let t = numbered(70_000);
        assert!(t.len() > BIG_BYTES);
        let w = window(&t, 35_000);
        assert_eq!((w.first, w.lines, w.total), (35_000, WINDOW_LINES, 70_000));
        let inner = w.text(&t);
        assert!(inner.starts_with("  \"line 0035000\","), "{}", &inner[..20]);
        assert!(inner.ends_with(&format!("\"line {:07}\",", 35_000 + WINDOW_LINES - 1)));
        assert_eq!(count_lines(inner), w.lines);
        assert_eq!(line_of(&t, w.start), w.first);
        // The text before and after, with the window, is the text.
        assert_eq!(format!("{}{inner}{}", &t[..w.start], &t[w.end..]), t);
    }

    #[test]
    fn a_window_near_either_end_is_full_and_clamped() {
        let t = numbered(70_000);
        let top = window(&t, 0);
        assert_eq!((top.first, top.lines, top.start), (0, WINDOW_LINES, 0));
        let bottom = window(&t, 1_000_000);
        assert_eq!((bottom.first + bottom.lines, bottom.lines, bottom.end), (70_000, WINDOW_LINES, t.len()));
        let near = window(&t, 69_990);
        assert_eq!(near, bottom, "a window that would run past the end is taken from earlier lines");
    }

    #[test]
    fn long_lines_keep_the_window_within_its_bytes() {
        let line = "x".repeat(10_000);
        let t = vec![line.as_str(); 40].join("\n");
        let w = window(&t, 10);
        assert!(w.end - w.start <= WINDOW_BYTES, "{w:?}");
        assert_eq!(w.lines, 4);
        // One line longer than the budget is still a window of one line.
        let t = format!("{}\n{}", "y".repeat(BIG_BYTES), "z");
        let w = window(&t, 0);
        assert_eq!((w.first, w.lines, w.end), (0, 1, BIG_BYTES));
        let w = window(&t, 1);
        assert_eq!((w.first, w.lines, w.text(&t)), (1, 1, "z"));
    }

    #[test]
    fn an_edit_inside_the_window_keeps_its_start() {
        let t = numbered(70_000);
        let w = window(&t, 100);
        let inner = format!("{}\nnew line", w.text(&t));
        let edited = splice(&t, w.start, w.end, &inner);
        let after = w.edited(&edited, &inner);
        assert_eq!((after.first, after.start, after.lines, after.total), (100, w.start, w.lines + 1, 70_001));
        assert_eq!(after.text(&edited), inner);
    }

    #[test]
    fn utf16_offsets_convert_at_character_boundaries() {
        let t = "a\u{1F6E1}é\nb";
        assert_eq!(byte_at_utf16(t, 0), 0);
        assert_eq!(byte_at_utf16(t, 1), 1);
        assert_eq!(byte_at_utf16(t, 2), 1, "inside a surrogate pair: the character's start");
        assert_eq!(byte_at_utf16(t, 3), 5);
        assert_eq!(byte_at_utf16(t, 4), 7);
        assert_eq!(byte_at_utf16(t, 99), t.len());
        for at in [0, 1, 5, 7, 8, t.len()] {
            assert_eq!(byte_at_utf16(t, utf16_at(t, at)), at);
        }
        assert_eq!(utf16_at(t, 3), 1, "inside a character: rounded down");
    }

    #[test]
    fn splicing_and_pasting_are_bounded_and_normalised() {
        assert_eq!(splice("hello", 1, 3, "EY"), "hEYlo");
        assert_eq!(splice("hello", 3, 1, ""), "hlo");
        assert_eq!(splice("hé", 2, 99, "!"), "h!", "offsets inside a character round down");
        assert_eq!(normalise_newlines("a\r\nb\rc\n"), "a\nb\nc\n");
        assert_eq!(widest("ab\n日本語\n"), 6);
    }
}
