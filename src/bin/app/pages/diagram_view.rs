//! SVG pieces the pages' drawings share (wasm32): a labelled box and a downward arrow. Colours
//! come from `www/style.css` (`svg.diagram …`), so both themes work.

use yew::prelude::*;

use super::diagram::{num, Rect};

/// A rectangle with one line of text in it, left-aligned.
pub fn boxed(r: &Rect, class: &'static str, text: &str) -> Html {
    html! {
        <g class={class}>
            <rect x={num(r.x)} y={num(r.y)} width={num(r.w)} height={num(r.h)} rx="6" />
            <text x={num(r.x + 10.0)} y={num(r.y + r.h / 2.0 + 4.0)}>{ text }</text>
        </g>
    }
}

/// A vertical arrow from `(x, y1)` down to `(x, y2)`.
pub fn arrow_down(x: f64, y1: f64, y2: f64) -> Html {
    html! {
        <g class="arrow">
            <line x1={num(x)} y1={num(y1)} x2={num(x)} y2={num(y2 - 5.0)} />
            <polygon points={format!("{},{} {},{} {},{}", num(x - 5.0), num(y2 - 7.0), num(x + 5.0), num(y2 - 7.0), num(x), num(y2))} />
        </g>
    }
}
