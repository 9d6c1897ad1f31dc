//! The app shell: header with the version, left navigation, the routed page, and the first-render mark
//! the end-to-end test reads (`performance.mark("secplay:first-render")`).

use yew::prelude::*;

use crate::pages;
use crate::route::Route;
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
    use_effect_with((), |_| {
        if let Some(w) = web_sys::window() {
            if let Some(p) = w.performance() {
                let _ = p.mark("secplay:first-render");
            }
            if let Some(root) = w.document().and_then(|d| d.document_element()) {
                let _ = root.set_attribute("data-ready", "1");
            }
        }
    });
    let page = match route {
        Route::Overview => html! { <pages::overview::Overview /> },
        Route::Envelope => html! { <pages::envelope::EnvelopePage /> },
        Route::Waf => html! { <pages::waf::WafPage /> },
        Route::Policies => html! { <pages::policy::PolicyPage /> },
        Route::Esdk => html! { <pages::esdk::EsdkPage /> },
        Route::Kms => html! { <pages::kms::KmsPage /> },
        Route::S3 => html! { <pages::s3::S3Page /> },
        Route::Ssm => html! { <pages::ssm::SsmPage /> },
        Route::Secrets => html! { <pages::secrets::SecretsPage /> },
        Route::Keys => html! { <pages::keys::KeysPage /> },
        Route::Acm => html! { <pages::acm::AcmPage /> },
        Route::Scan => html! { <pages::scan::ScanPage /> },
        Route::Fms => html! { <pages::fms::FmsPage /> },
        Route::NotFound => html! { <pages::overview::NotFound /> },
    };
    html! {
        <div class="shell">
            <header class="top">
                <a class="brand" href="#/">{"secplay"}</a>
                <span class="version" title="secplay version">{ format!("v{}", secplay::VERSION) }</span>
                <span class="tagline">{"Runs entirely in your browser: nothing you type leaves this page."}</span>
            </header>
            <nav class="side" aria-label="Sections">
                <ul>
                    { for Route::NAV.iter().map(|r| html! {
                        <li><a href={r.href()} class={classes!((*r == route).then_some("active"))}
                               aria-current={(*r == route).then_some("page")}>{ r.title() }</a></li>
                    }) }
                </ul>
            </nav>
            <main class={classes!("page", matches!(route, Route::Policies | Route::Kms | Route::S3 | Route::Ssm | Route::Secrets | Route::Scan | Route::Acm | Route::Fms).then_some("wide"))}>{ page }</main>
        </div>
    }
}
