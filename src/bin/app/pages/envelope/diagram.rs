//! The envelope drawing's layout, shared by the envelope page and the Encryption SDK page: the
//! data key, the copies of it wrapped for each recipient (RSA key, keyring), and the message as
//! its bytes lie (header or wrapped key, IV, ciphertext or frames, tag, signature), every size in
//! bytes from the real message.
//!
//! Pure: the envelope page's parts come from its sealed [`Envelope`] here ([`simple`]), the
//! ESDK's from its header parser (`esdk/diagram.rs`); [`layout`] places them. Tested natively;
//! the SVG is `diagram_view.rs`. Envelope encryption:
//! <https://docs.aws.amazon.com/kms/latest/developerguide/kms-cryptography.html#enveloping>.

use secplay::crypto::envelope::{Envelope, DATA_KEY_LEN};

use super::state::b64_len;
use crate::pages::diagram::{fit, Rect, MAX_ITEMS};

/// Drawing width (SVG units).
pub const WIDTH: f64 = 900.0;
const KEY_W: f64 = 250.0;
const BOX_H: f64 = 40.0;
const WRAP_X: f64 = 330.0;
const SEG_H: f64 = 44.0;
const SEG_MIN: f64 = 84.0;
const GAP: f64 = 6.0;

/// What a stretch of the message is (its CSS class in `www/style.css`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Cleartext that is authenticated (the header, the IV).
    Header,
    /// A wrapped (encrypted) data key.
    Wrapped,
    /// Encrypted content: the ciphertext or a frame.
    Content,
    /// An authentication tag or the signature.
    Tag,
}

impl Kind {
    pub fn class(self) -> &'static str {
        match self {
            Kind::Header => "seg-header",
            Kind::Wrapped => "seg-wrapped",
            Kind::Content => "seg-content",
            Kind::Tag => "seg-tag",
        }
    }
}

/// What is drawn, before placing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parts {
    /// The data key in words: `data key: 32 bytes`.
    pub key: String,
    /// A second line on the data key: the suite or algorithm.
    pub key_detail: String,
    /// One per recipient: `(who wraps it, wrapped size in bytes)`.
    pub wraps: Vec<(String, usize)>,
    /// The message from its first byte: `(name, bytes, kind)`.
    pub segments: Vec<(String, usize, Kind)>,
    /// Frames summed into one of the segments (past [`MAX_ITEMS`]): how many, and their bytes.
    pub more: (usize, usize),
}

/// A placed box with its text lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    pub rect: Rect,
    pub lines: Vec<String>,
    pub kind: Option<Kind>,
}

/// The whole drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvelopeLayout {
    pub height: f64,
    pub key: Placed,
    pub wraps: Vec<Placed>,
    pub segments: Vec<Placed>,
    /// Elbow arrows: points, the last the head's tip.
    pub arrows: Vec<Vec<(f64, f64)>>,
    /// The y of the message row's caption.
    pub caption_y: f64,
    /// `the message: 1,234 bytes`.
    pub caption: String,
    pub more: (usize, usize),
}

/// `1234567` → `1,234,567`.
pub fn bytes(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The envelope page's parts: RSA-OAEP wraps the data key, AES-256-GCM encrypts the message
/// with it (the IV and tag around the ciphertext).
pub fn simple(env: &Envelope) -> Parts {
    Parts {
        key: format!("data key: {DATA_KEY_LEN} bytes, new each time"),
        key_detail: "AES-256-GCM key".into(),
        wraps: vec![("RSA-OAEP-SHA256 with your public key".into(), b64_len(&env.wrapped_key))],
        segments: vec![
            ("wrapped key".into(), b64_len(&env.wrapped_key), Kind::Wrapped),
            ("IV".into(), b64_len(&env.iv), Kind::Header),
            ("ciphertext".into(), b64_len(&env.ciphertext), Kind::Content),
            ("tag".into(), b64_len(&env.tag), Kind::Tag),
        ],
        more: (0, 0),
    }
}

/// Places `p`: the data key top left, its wrapped copies to its right, the message's bytes
/// below as a row of boxes (wrapping onto more rows), widths growing with size.
pub fn layout(p: &Parts) -> EnvelopeLayout {
    let key = Placed {
        rect: Rect::new(0.0, 0.0, KEY_W, SEG_H),
        lines: vec![fit(&p.key, 38), fit(&p.key_detail, 38)],
        kind: None,
    };
    let mut arrows = Vec::new();
    let wraps: Vec<Placed> = p
        .wraps
        .iter()
        .take(MAX_ITEMS)
        .enumerate()
        .map(|(i, (who, n))| {
            let rect = Rect::new(WRAP_X, i as f64 * (BOX_H + GAP), WIDTH - WRAP_X, BOX_H);
            let (kx, ky) = key.rect.right();
            let (wx, wy) = rect.left();
            let mid = (kx + wx) / 2.0;
            arrows.push(vec![(kx, ky), (mid, ky), (mid, wy), (wx, wy)]);
            Placed {
                rect,
                lines: vec![fit(&format!("wrapped by {who}: {} bytes", bytes(*n)), 95)],
                kind: Some(Kind::Wrapped),
            }
        })
        .collect();
    let top_h = wraps.last().map_or(SEG_H, |w| w.rect.y + w.rect.h).max(SEG_H);
    let caption_y = top_h + 40.0;
    let mut y = caption_y + 10.0;
    let segs: Vec<&(String, usize, Kind)> = p.segments.iter().take(MAX_ITEMS).collect();
    let total: usize = p.segments.iter().map(|s| s.1).sum();
    // Width: a readable box plus a share of the rest of the row by size, so that up to
    // WIDTH / SEG_MIN boxes fit on one row; more boxes take their share of a row each and wrap.
    let count = segs.len() as f64;
    let one_row = count * SEG_MIN <= WIDTH;
    let share = |n: usize| {
        let f = if total == 0 { 0.0 } else { n as f64 / total as f64 };
        if one_row {
            SEG_MIN + f * (WIDTH - count * SEG_MIN)
        } else {
            (f * WIDTH).clamp(SEG_MIN, WIDTH)
        }
    };
    let mut x = 0.0;
    let mut segments = Vec::new();
    for (name, n, kind) in segs {
        let w = share(*n);
        if x > 0.0 && x + w > WIDTH + 0.01 {
            x = 0.0;
            y += SEG_H + GAP;
        }
        segments.push(Placed {
            rect: Rect::new(x, y, w - 2.0, SEG_H),
            lines: vec![fit(name, ((w / 7.0) as usize).max(6)), format!("{} B", bytes(*n))],
            kind: Some(*kind),
        });
        x += w;
    }
    // The data key encrypts the content: an arrow down to the first content box.
    if let Some(c) = segments.iter().find(|s| s.kind == Some(Kind::Content)) {
        let (kx, ky) = key.rect.bottom();
        let (cx, cy) = c.rect.top();
        let turn = caption_y - 24.0;
        arrows.push(vec![(kx, ky), (kx, turn), (cx, turn), (cx, cy)]);
    }
    let height = segments.last().map_or(y, |s| s.rect.y + s.rect.h) + 4.0;
    let caption = format!("the message, byte by byte: {} bytes", bytes(total));
    EnvelopeLayout { height, key, wraps, segments, arrows, caption_y, caption, more: p.more }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secplay::crypto::envelope::{seal, KeyPair};

    #[test]
    fn byte_counts_read_with_separators() {
        assert_eq!(bytes(0), "0");
        assert_eq!(bytes(999), "999");
        assert_eq!(bytes(1000), "1,000");
        assert_eq!(bytes(1_234_567), "1,234,567");
    }

    /// The envelope page's real envelope: a 2048-bit RSA key wraps the data key into 256 bytes,
    /// AES-GCM adds a 12-byte IV and a 16-byte tag to a ciphertext as long as the message.
    #[test]
    fn the_envelope_pages_envelope_in_bytes() {
        let pair = KeyPair::generate(2048).unwrap();
        let message = "Meet me at the usual place at seven.";
        let env = seal(message.as_bytes(), &pair.public()).unwrap();
        let l = layout(&simple(&env));
        let sizes: Vec<&str> = l.segments.iter().map(|s| s.lines[1].as_str()).collect();
        assert_eq!(sizes, ["256 B", "12 B", format!("{} B", message.len()).as_str(), "16 B"]);
        assert_eq!(l.wraps.len(), 1);
        assert_eq!(l.wraps[0].lines[0], "wrapped by RSA-OAEP-SHA256 with your public key: 256 bytes");
        assert_eq!(l.caption, format!("the message, byte by byte: {} bytes", 256 + 12 + message.len() + 16));
        assert_eq!(l.arrows.len(), 2, "key → wrapped key, key → ciphertext");
        assert!(l.segments.iter().all(|s| s.rect.y == l.segments[0].rect.y), "four boxes share one row");
        assert!(l.segments.windows(2).all(|w| w[0].rect.x + w[0].rect.w <= w[1].rect.x));
        assert!(l.segments.iter().all(|s| s.rect.x + s.rect.w <= WIDTH));
        assert!(
            l.segments[0].rect.w > l.segments[2].rect.w,
            "the 256-byte wrapped key is wider than the ciphertext"
        );
    }

    #[test]
    fn many_segments_wrap_onto_rows_inside_the_width() {
        let parts = Parts {
            key: "k".into(),
            key_detail: String::new(),
            wraps: (0..3).map(|i| (format!("r{i}"), 100)).collect(),
            segments: (0..40).map(|i| (format!("frame {i}"), 4096, Kind::Content)).collect(),
            more: (0, 0),
        };
        let l = layout(&parts);
        assert!(l.segments.iter().all(|s| s.rect.x + s.rect.w <= WIDTH));
        assert!(l.segments.last().unwrap().rect.y > l.segments[0].rect.y, "more than one row");
        assert!(
            l.segments[0].rect.y > l.wraps[2].rect.y + l.wraps[2].rect.h,
            "the message is below the keys"
        );
        assert!(l.height >= l.segments.last().unwrap().rect.y + SEG_H);
    }
}
