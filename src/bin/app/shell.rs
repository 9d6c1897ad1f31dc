//! The app shell: header with the version, left navigation, the routed page (a home page here, a
//! page chunk's in `#page` beside this module's root, see `chunks.rs`), and the first-render mark
//! the end-to-end tests read (`performance.mark("secplay:first-render")`).

use yew::prelude::*;

use crate::chunks;
use crate::pages;
use crate::route::{Chunk, Route};
use crate::services::location;

/// The current route, updated on every `hashchange`.
#[hook]
fn use_route() -> Route {
    let route = use_state(|| Route::from_hash(&location::hash()));
    {
        let route = route.clone();
        location::use_hash_change(move |hash| route.set(Route::from_hash(&hash)));
    }
    *route
}

#[function_component]
pub fn App() -> Html {
    let route = use_route();
    let home = route.chunk() == Chunk::Home;
    use_effect_with((), move |_| {
        if let Some(w) = web_sys::window() {
            if let Some(p) = w.performance() {
                let _ = p.mark("secplay:first-render");
            }
            // A page chunk's route is ready once its module has mounted it (`www/chunks.js`).
            if let Some(root) = w.document().and_then(|d| d.document_element()).filter(|_| home) {
                let _ = root.set_attribute("data-ready", "1");
            }
        }
    });
    let wide = matches!(
        route,
        Route::Waf
            | Route::WafReplay
            | Route::Policies
            | Route::Kms
            | Route::S3
            | Route::Ssm
            | Route::Secrets
            | Route::Scan
            | Route::Acm
            | Route::Fms
    );
    let class = if wide { "page wide" } else { "page" };
    chunks::use_page_chunk(route.mount(), class);
    html! {
        <>
            <header class="top">
                <a class="brand" href="#/">{"secplay"}</a>
                <span class="version" title="secplay version">{ format!("v{}", secplay::VERSION) }</span>
                <span class="tagline">{"Runs entirely in your browser: nothing you type leaves this page."}</span>
                <pages::offline::OfflineStatus />
                <pages::theme::ThemeToggle />
            </header>
            <nav class="side" aria-label="Sections">
                <ul>
                    { for Route::NAV.iter().map(|r| html! {
                        <li><a href={r.href()} class={classes!((*r == route.section()).then_some("active"))}
                               aria-current={(*r == route.section()).then_some("page")}>{ r.title() }</a></li>
                    }) }
                </ul>
            </nav>
            if home { <main class={class}>{ chunks::page(route) }</main> }
        </>
    }
}
