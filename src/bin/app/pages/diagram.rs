//! Shared pieces of the pages' drawings (inline SVG made by the app from an engine's result):
//! the box a layout places, the cap on how many items a drawing shows, and label shortening.
//!
//! Plain Rust for every target: each page's `diagram.rs` lays its drawing out with these and is
//! tested natively; the SVG elements themselves are written by the page's view (wasm32). Colours
//! are never here: the views use classes that `www/style.css` colours from the theme's custom
//! properties, so both themes work.

/// The most items (statements, rules, events, frames) one drawing shows; the rest are counted
/// in an "and N more" line, so a long input keeps the page fast.
pub const MAX_ITEMS: usize = 100;

/// A placed rectangle, in SVG user units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Self {
        Rect { x, y, w, h }
    }

    /// The middle of the bottom edge (where an arrow leaves going down).
    pub fn bottom(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h)
    }

    /// The middle of the top edge.
    pub fn top(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y)
    }

    /// The middle of the right edge.
    pub fn right(&self) -> (f64, f64) {
        (self.x + self.w, self.y + self.h / 2.0)
    }

    /// The middle of the left edge.
    pub fn left(&self) -> (f64, f64) {
        (self.x, self.y + self.h / 2.0)
    }
}

/// `text` cut to at most `max` characters (an ellipsis marks the cut), for a label in a box of a
/// known width; the full text goes in the element's `<title>`.
pub fn fit(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

/// A number with one decimal at most, as SVG attributes want it (`12`, `12.5`).
pub fn num(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        format!("{}", v.round())
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_long_labels_and_keeps_short_ones() {
        assert_eq!(fit("AllowUse", 10), "AllowUse");
        assert_eq!(fit("AllowUseOfTheKey", 8), "AllowUs…");
        assert_eq!(fit("ééééé", 3).chars().count(), 3);
    }

    #[test]
    fn rect_edges() {
        let r = Rect::new(10.0, 20.0, 100.0, 40.0);
        assert_eq!(r.bottom(), (60.0, 60.0));
        assert_eq!(r.top(), (60.0, 20.0));
        assert_eq!(r.right(), (110.0, 40.0));
        assert_eq!(r.left(), (10.0, 40.0));
    }

    #[test]
    fn numbers_print_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.34), "12.3");
    }
}
