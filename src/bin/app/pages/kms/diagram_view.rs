//! The audit timeline drawn: the layout of `diagram.rs` as inline SVG (colours from the theme
//! through `www/style.css`). Each event can be focused (Tab) or hovered: the line under the
//! drawing says what it was. The same events are the rows of the audit table beside it.

use std::rc::Rc;

use yew::prelude::*;

use super::diagram::{lane_label, Mark, Timeline, LABEL_W, WIDTH};
use crate::pages::diagram::num;

#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    pub timeline: Rc<Timeline>,
}

/// The timeline card.
#[function_component]
pub fn AuditTimeline(props: &TimelineProps) -> Html {
    let shown = use_state(|| None::<usize>);
    let t = &props.timeline;
    if t.dots.is_empty() {
        return html! {};
    }
    let lane_h = t.lanes.len().max(1) as f64;
    let top = t.height - 4.0 - lane_h * 26.0;
    let detail = shown.and_then(|i| t.dots.get(i)).map(|d| d.detail.clone());
    let summary = format!(
        "Audit timeline: {} events of {} principals on the simulated clock",
        t.dots.len() + t.more,
        t.lanes.len()
    );
    html! {
        <section class="card" id="kms-timeline">
            <h2>{"Audit timeline"}</h2>
            <svg class="diagram timeline" viewBox={format!("0 0 {} {}", num(WIDTH), num(t.height))} role="group" aria-label={summary}>
                { for t.lanes.iter().enumerate().map(|(i, name)| {
                    let y = top + i as f64 * 26.0;
                    html! {
                        <g class="lane">
                            <rect class="lane-bg" x="0" y={num(y)} width={num(WIDTH)} height="26" />
                            <text x="6" y={num(y + 17.0)}>{ lane_label(name) }<title>{ name.clone() }</title></text>
                        </g>
                    }
                }) }
                <line class="axis" x1={num(LABEL_W)} y1={num(top - 2.0)} x2={num(WIDTH)} y2={num(top - 2.0)} />
                { for t.ticks.iter().map(|k| html! {
                    <g class="tick">
                        <line x1={num(k.x)} y1={num(top - 8.0)} x2={num(k.x)} y2={num(top - 2.0)} />
                        <text x={num(k.x)} y={num(top - 12.0)} class="small">{ &k.label }</text>
                    </g>
                }) }
                { for t.dots.iter().filter(|d| d.mark.is_some()).map(|d| html! {
                    <line class={classes!("mark", if d.mark == Some(Mark::Rotation) { "rotation" } else { "deletion" })}
                        x1={num(d.x)} y1={num(top)} x2={num(d.x)} y2={num(t.height - 4.0)} />
                }) }
                { for t.dots.iter().enumerate().map(|(i, d)| {
                    let (s1, s2) = (shown.clone(), shown.clone());
                    let shape = match d.mark {
                        Some(_) => html! { <polygon points={format!("{},{} {},{} {},{} {},{}",
                            num(d.x), num(d.y - 8.0), num(d.x + 8.0), num(d.y), num(d.x), num(d.y + 8.0), num(d.x - 8.0), num(d.y))} /> },
                        None => html! { <circle cx={num(d.x)} cy={num(d.y)} r="6" /> },
                    };
                    html! {
                        <g class={classes!("ev", d.outcome.class(), (*shown == Some(i)).then_some("shown"))} tabindex="0" role="img"
                            aria-label={d.detail.clone()} data-event={d.name.clone()}
                            onfocus={Callback::from(move |_: FocusEvent| s1.set(Some(i)))}
                            onmouseenter={Callback::from(move |_: MouseEvent| s2.set(Some(i)))}>
                            <title>{ d.detail.clone() }</title>
                            { shape }
                        </g>
                    }
                }) }
            </svg>
            <p class="small" id="kms-timeline-detail" aria-live="polite">
                { detail.unwrap_or_else(|| "Hover over an event, or Tab to it, to see it here.".to_string()) }
            </p>
            <p class="muted small">{"Green: succeeded · red: access denied · amber: another error · diamonds and lines: key rotation and deletion events. A step of the clock leaves a gap labelled with the new time. The same events are the rows of the audit log below."}</p>
            if t.more > 0 { <p class="muted small" id="kms-timeline-more">{ format!("… and {} earlier events (not drawn)", t.more) }</p> }
        </section>
    }
}
