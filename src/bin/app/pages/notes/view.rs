//! The notes page's component: the chapter list, or one chapter with its steps revealed one at a
//! time, each with its engine, explanation, result (errors as alerts with their code) and a link
//! to the engine's page; the "Remove a permission" select reruns the chapter with a variant.

use secplay::notes::{Chapter, StepOutcome};
use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::links;
use super::state::{index, section_name, Action, NotesState};
use crate::services::location;

#[function_component]
pub fn NotesPage() -> Html {
    let state = use_reducer(|| NotesState::at(&location::hash()));
    {
        let state = state.clone();
        location::use_hash_change(move |hash| state.dispatch(Action::Open(hash)));
    }
    match (&state.chapter, &state.unknown) {
        (Some(c), _) => chapter_view(c, &state),
        (None, Some(id)) => html! {
            <section class="notes">
                <h1>{ "Notes" }</h1>
                <p class="error" role="alert">{ format!("There is no chapter `{id}`.") }</p>
                <p><a href="#/notes">{ "All chapters" }</a></p>
            </section>
        },
        (None, None) => list_view(),
    }
}

fn list_view() -> Html {
    html! {
        <section class="notes">
            <h1>{ "Notes" }</h1>
            <p class="lede">
                { "The study notes, chapter by chapter: each step is performed by one of this playground's engines \
                   (the KMS emulator, the policy engine, the Encryption SDK, …) and says what AWS does and why. \
                   Remove a permission and see which step fails, with AWS's error. Nothing leaves the page." }
            </p>
            <div id="notes-index">
                { for index().into_iter().map(|(section, chapters)| html! {
                    <section class="notes-section" aria-label={section_name(section)}>
                        <h2>{ section_name(section) }</h2>
                        <ul>
                            { for chapters.iter().map(|c| html! {
                                <li>
                                    <a class="notes-chapter" href={format!("#/notes/{}", c.id)} data-chapter={c.id}>{ c.title }</a>
                                    <span class="muted">{ match c.variants.len() {
                                        0 => String::new(),
                                        1 => " — one change to try".to_owned(),
                                        n => format!(" — {n} changes to try"),
                                    } }</span>
                                </li>
                            }) }
                        </ul>
                    </section>
                }) }
            </div>
        </section>
    }
}

fn chapter_view(c: &Chapter, state: &UseReducerHandle<NotesState>) -> Html {
    let next = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::Next))
    };
    let all = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| state.dispatch(Action::RunAll))
    };
    let variant = {
        let state = state.clone();
        Callback::from(move |e: Event| {
            let v = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok()).map(|s| s.value());
            state.dispatch(Action::Variant(v.unwrap_or_default()));
        })
    };
    let chosen = c.variants.iter().find(|v| Some(v.id) == state.variant);
    html! {
        <section class="notes" data-chapter={c.id}>
            <p><a href="#/notes">{ "← All chapters" }</a>{ format!(" · {}", section_name(c.section)) }</p>
            <h1>{ c.title }</h1>
            <p class="lede" id="notes-summary">{ c.summary }</p>
            if !c.outdated.is_empty() {
                <div class="card warn" id="notes-outdated">
                    <h2>{ "Where the notes are out of date" }</h2>
                    <ul>
                        { for c.outdated.iter().map(|o| html! {
                            <li>
                                <p><strong>{ "The notes: " }</strong>{ o.claim }</p>
                                <p><strong>{ "AWS today: " }</strong>{ o.now }</p>
                                <p><a href={o.source} rel="noreferrer">{ o.source }</a></p>
                            </li>
                        }) }
                    </ul>
                </div>
            }
            <div class="notes-controls">
                <label for="notes-variant">{ "Remove a permission " }</label>
                <select id="notes-variant" onchange={variant}>
                    <option value="" selected={state.variant.is_none()}>{ "Nothing: the chapter as written" }</option>
                    { for c.variants.iter().map(|v| html! {
                        <option value={v.id} selected={state.variant == Some(v.id)}>{ v.removes }</option>
                    }) }
                </select>
                <button id="notes-next" onclick={next} disabled={state.done()}>{ "Next step" }</button>
                <button id="notes-all" onclick={all} disabled={state.done()}>{ "Run all" }</button>
                <span class="muted" id="notes-progress">{ format!(" {} of {} steps shown", state.shown, state.steps.len()) }</span>
            </div>
            if let Some(v) = chosen {
                <p id="notes-variant-says" class="muted">
                    { format!("Without {}: the step `{}` should fail with {}. ", v.removes, v.fails_at, v.error) }
                    { match state.variant_verdict() {
                        Some(true) => "It does.",
                        Some(false) => "It did not: a bug, please report it.",
                        None => "",
                    } }
                </p>
            }
            <ol id="notes-steps" class="notes-steps" aria-live="polite">
                { for state.visible().iter().map(step_view) }
            </ol>
        </section>
    }
}

fn step_view(s: &StepOutcome) -> Html {
    let status = match (&s.result, s.as_written()) {
        (Ok(_), true) => "ok",
        (Err(_), true) => "expected",
        _ => "failed",
    };
    let card = if status == "failed" { "card err" } else { "card" };
    let link = s.open.as_ref().and_then(|l| Some((links::href(l)?, links::page_title(l))));
    html! {
        <li class={classes!("notes-step", card)} data-step={s.id} data-status={status}
            data-code={s.result.as_ref().err().map(|e| e.code.clone())}>
            <h3>{ s.title.clone() }{ " " }<span class="badge">{ s.engine }</span></h3>
            <p>{ s.explain.clone() }</p>
            { match &s.result {
                Ok(text) => html! { <pre class="notes-result">{ text }</pre> },
                Err(e) => html! {
                    <div class={if status == "expected" { "card warn notes-error" } else { "card err notes-error" }} role="alert">
                        <strong>{ e.code.clone() }</strong>{ ": " }{ e.message.clone() }
                        if status == "expected" { <p>{ "This is the check the step shows: AWS refuses here too." }</p> }
                    </div>
                },
            } }
            if let Some((href, page)) = link {
                <p><a class="notes-open" href={href}>{ format!("Open in the {page} page") }</a></p>
            }
        </li>
    }
}
