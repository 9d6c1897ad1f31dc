//! The decision path drawn: the layout of `diagram.rs` as inline SVG (colours from the theme's
//! custom properties through `www/style.css`), with the same content as a list for screen readers.

use secplay::policy::Decision;
use yew::prelude::*;

use super::diagram::{PathLayout, WIDTH};
use crate::pages::diagram::num;
use crate::pages::diagram_view::{arrow_down, boxed};

fn decision_class(d: Decision) -> &'static str {
    match d {
        Decision::Allowed => "allow",
        Decision::ExplicitDeny => "deny",
        Decision::ImplicitDeny => "implicit",
    }
}

/// The card with the drawing of `l`.
pub fn path_view(l: &PathLayout) -> Html {
    let (req_rect, req_text) = &l.request;
    let (dec_rect, decision, dec_text) = &l.decision;
    let summary = format!(
        "Decision path: {} policy types, {} statements, decision {}",
        l.lanes.len(),
        l.lanes.iter().map(|x| x.nodes.len()).sum::<usize>() + l.more,
        decision.as_str()
    );
    html! {
        <section class="card" id="policy-path">
            <h2>{"Decision path"}</h2>
            <p class="muted small">{"The request through each policy type in evaluation order; every statement marked as the engine found it. Thick outline: the statement that decided."}</p>
            <svg class="diagram" viewBox={format!("0 0 {} {}", num(WIDTH), num(l.height))} role="img" aria-label={summary.clone()}>
                <title>{ summary }</title>
                { boxed(req_rect, "box request", req_text) }
                { for l.arrows.iter().map(|(x, y1, y2)| arrow_down(*x, *y1, *y2)) }
                { for l.lanes.iter().map(|lane| html! {
                    <g class="lane" data-lane={lane.title.clone()}>
                        <rect class="lane-bg" x="0" y={num(lane.rect.y)} width={num(lane.rect.w)} height={num(lane.rect.h)} rx="6" />
                        <text x="8" y={num(lane.rect.y + 18.0)} class="lane-title">{ &lane.title }</text>
                        <text x="8" y={num(lane.rect.y + lane.rect.h - 6.0)} class="lane-note">{ crate::pages::diagram::fit(&lane.note, 140) }<title>{ &lane.note }</title></text>
                        { for lane.nodes.iter().map(|n| html! {
                            <g class={classes!("node", n.status.class(), n.deciding.then_some("deciding"))}
                                data-policy={n.policy.clone()} data-statement={n.index.to_string()}>
                                <title>{ format!("{} statement {}: {}{}", n.policy, n.index, n.status.label(), if n.deciding { " (decided)" } else { "" }) }</title>
                                <rect x={num(n.rect.x)} y={num(n.rect.y)} width={num(n.rect.w)} height={num(n.rect.h)} rx="5" />
                                <text x={num(n.rect.x + 6.0)} y={num(n.rect.y + 14.0)}>{ &n.label }</text>
                                <text x={num(n.rect.x + 6.0)} y={num(n.rect.y + 28.0)} class="small">{ n.status.label() }</text>
                            </g>
                        }) }
                    </g>
                }) }
                <g class={classes!("decision", decision_class(*decision))}>
                    { boxed(dec_rect, "box", dec_text) }
                </g>
            </svg>
            if l.more > 0 { <p class="muted small" id="policy-path-more">{ format!("… and {} more statements (not drawn)", l.more) }</p> }
            <ol class="visually-hidden" aria-label="decision path as a list">
                <li>{ req_text }</li>
                { for l.lanes.iter().map(|lane| html! {
                    <li>{ format!("{}: {}", lane.title, lane.note) }
                        <ul>{ for lane.nodes.iter().map(|n| html! {
                            <li>{ format!("{} ({} statement {}): {}{}", n.label, n.policy, n.index, n.status.label(), if n.deciding { ", decided" } else { "" }) }</li>
                        }) }</ul>
                    </li>
                }) }
                <li>{ format!("decision {}: {}", decision.as_str(), dec_text) }</li>
            </ol>
        </section>
    }
}
