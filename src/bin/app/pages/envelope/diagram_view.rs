//! The envelope drawn (the envelope page and the Encryption SDK page): the layout of
//! `diagram.rs` as inline SVG, colours from the theme through `www/style.css`, with the same
//! parts as a list for screen readers.

use yew::prelude::*;

use super::diagram::{EnvelopeLayout, Placed, WIDTH};
use crate::pages::diagram::num;

fn placed(p: &Placed, class: &'static str) -> Html {
    let r = &p.rect;
    html! {
        <g class={classes!(class, p.kind.map(|k| k.class()))}>
            <rect x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="5" />
            { for p.lines.iter().enumerate().map(|(i, line)| html! {
                <text x={num(r.x + 8.0)} y={num(r.y + 17.0 + i as f64 * 16.0)}>{ line }</text>
            }) }
        </g>
    }
}

fn elbow(points: &[(f64, f64)]) -> Html {
    let line: Vec<String> = points.iter().map(|(x, y)| format!("{},{}", num(*x), num(*y))).collect();
    // The head points along the last leg.
    let head = match points {
        [.., (ax, ay), (bx, by)] => {
            let (dx, dy) = (bx - ax, by - ay);
            let len = (dx * dx + dy * dy).sqrt().max(1.0);
            let (ux, uy) = (dx / len, dy / len);
            let (px, py) = (-uy, ux);
            format!(
                "{},{} {},{} {},{}",
                num(*bx),
                num(*by),
                num(bx - 8.0 * ux + 5.0 * px),
                num(by - 8.0 * uy + 5.0 * py),
                num(bx - 8.0 * ux - 5.0 * px),
                num(by - 8.0 * uy - 5.0 * py)
            )
        }
        _ => String::new(),
    };
    html! {
        <g class="arrow">
            <polyline points={line.join(" ")} fill="none" />
            <polygon points={head} />
        </g>
    }
}

/// The drawing of `l` in a card with the id `id`.
pub fn envelope_view(l: &EnvelopeLayout, id: &'static str) -> Html {
    let summary =
        format!("Envelope: {}, wrapped {} times; {}", l.key.lines.join(", "), l.wraps.len(), l.caption);
    html! {
        <section class="card" id={id}>
            <h2>{"How the data flowed"}</h2>
            <svg class="diagram envelope" viewBox={format!("0 0 {} {}", num(WIDTH), num(l.height))} role="img" aria-label={summary.clone()}>
                <title>{ summary }</title>
                { placed(&l.key, "box datakey") }
                { for l.wraps.iter().map(|w| placed(w, "wrap")) }
                { for l.arrows.iter().map(|a| elbow(a)) }
                <text x="0" y={num(l.caption_y)} class="caption">{ &l.caption }</text>
                { for l.segments.iter().map(|s| placed(s, "seg")) }
            </svg>
            <p class="muted small">{"Top: the data key and each copy of it wrapped for a recipient. Below: the message as its bytes lie, box widths growing with size (blue outline: cleartext header and IV; dashed: wrapped keys; green: encrypted content; amber: tags and signature)."}</p>
            <ul class="visually-hidden" aria-label="the envelope as a list">
                <li>{ l.key.lines.join(", ") }</li>
                { for l.wraps.iter().map(|w| html! { <li>{ w.lines.join(" ") }</li> }) }
                <li>{ &l.caption }</li>
                { for l.segments.iter().map(|s| html! { <li>{ s.lines.join(": ") }</li> }) }
            </ul>
        </section>
    }
}
