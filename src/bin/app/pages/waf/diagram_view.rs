//! The WAF evaluation flow drawn: the layout of `diagram.rs` as inline SVG (colours from the
//! theme through `www/style.css`), with the same rows as a list for screen readers.

use yew::prelude::*;

use super::diagram::{FlowLayout, WIDTH};
use crate::pages::diagram::num;
use crate::pages::diagram_view::{arrow_down, boxed};

/// The card with the drawing of `l`.
pub fn flow_view(l: &FlowLayout) -> Html {
    let (req_rect, req_text) = &l.request;
    let (def_rect, def_text, def_decided) = &l.default;
    let (ver_rect, ver_text, ver_status) = &l.verdict;
    let summary = format!("WAF evaluation flow: {} rules, {}", l.rows.len() + l.more, ver_text);
    let x = 18.0;
    // Each box's (top, bottom), in flow order; an arrow joins each bottom to the next top.
    let mut boxes: Vec<(f64, f64)> = vec![(req_rect.y, req_rect.y + req_rect.h)];
    boxes.extend(l.rows.iter().map(|r| (r.rect.y, r.rect.y + r.rect.h)));
    boxes.push((def_rect.y, def_rect.y + def_rect.h));
    boxes.push((ver_rect.y, ver_rect.y + ver_rect.h));
    let arrows: Vec<(f64, f64)> =
        boxes.windows(2).filter_map(|w| Some((w.first()?.1, w.get(1)?.0))).collect();
    html! {
        <figure class="card" id="waf-flow">
            <h2>{"Evaluation flow"}</h2>
            <svg class="diagram" viewBox={format!("0 0 {} {}", num(WIDTH), num(l.height))} role="img" aria-label={summary.clone()}>
                <title>{ summary }</title>
                { boxed(req_rect, "box request", req_text) }
                { for arrows.iter().map(|(a, b)| arrow_down(x, *a, *b)) }
                { for l.rows.iter().map(|r| html! {
                    <g class={classes!("rule", r.status.class(), r.deciding.then_some("deciding"))}
                        data-rule={r.rule.clone()} data-outcome={r.outcome.clone()}>
                        <rect x={num(r.rect.x)} y={num(r.rect.y)} width={num(r.rect.w)} height={num(r.rect.h)} rx="5" />
                        <text x={num(r.rect.x + 30.0)} y={num(r.rect.y + 19.0)}>{ r.text() }</text>
                    </g>
                }) }
                <g class={classes!("default", if *def_decided { "count deciding" } else { "skipped" })}>
                    { boxed(def_rect, "", def_text) }
                </g>
                <g class={classes!("verdict", ver_status.class())}>{ boxed(ver_rect, "", ver_text) }</g>
            </svg>
            <figcaption class="muted small">{"Rules in priority order; thick outline: what decided. Dashed: no match; grey dotted: not evaluated or never reached."}</figcaption>
            if l.more > 0 { <p class="muted small" id="waf-flow-more">{ format!("… and {} more rules (not drawn)", l.more) }</p> }
            <ol class="visually-hidden" aria-label="evaluation flow as a list">
                { for l.rows.iter().map(|r| html! { <li>{ format!("{}{}", r.text(), if r.deciding { ", decided" } else { "" }) }</li> }) }
                <li>{ def_text }</li>
                <li>{ ver_text }</li>
            </ol>
        </figure>
    }
}
