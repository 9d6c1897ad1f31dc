//! Code splitting: the pages of a [`Chunk`] are their own wasm module, fetched the first time one
//! of them is opened, so the first visit loads only the home module.
//!
//! The home module's shell calls [`use_page_chunk`]: `www/chunks.js` imports `pages/<chunk>.js`
//! (once; the module stays loaded, with its state, for later visits) and calls that module's
//! [`mount`], which renders the route's page into `#page`. `#page` sits beside the home module's
//! root (`#app`), never inside it: each module has its own yew, and yew marks the elements it
//! listens on with the same property names in every instance, so one instance nested in another
//! would take the other's events for its own.
//!
//! What a module holds is decided when it is compiled: [`page`] keeps an arm only when the route's
//! chunk is the module's (`crate::CHUNK`, see `here!`), and the linker drops every other page's code.
//! Not here: what a page does (its module in `pages/`) and which pages share a chunk (`route.rs`).

use wasm_bindgen::prelude::*;
use yew::prelude::*;

use crate::pages;
use crate::route::{Chunk, Route};

#[wasm_bindgen(module = "/www/chunks.js")]
extern "C" {
    /// Shows `host`, fetches `chunk`'s module if it is not yet loaded and mounts `hash`'s page
    /// into `host`; answers a handle for [`hide_page`]. A failed fetch is said in `host`.
    #[wasm_bindgen(js_name = showPage)]
    fn show_page(chunk: &str, hash: &str, host: &web_sys::Element) -> JsValue;

    /// Destroys what [`show_page`] mounted (or cancels the mount still on its way) and hides its host.
    #[wasm_bindgen(js_name = hidePage)]
    fn hide_page(handle: &JsValue);
}

/// The page host of the shell: while `route` is a page chunk's, its page is mounted in `#page`
/// with the class `class`; a route of the home module leaves `#page` hidden and empty.
#[hook]
pub fn use_page_chunk(route: Route, class: &'static str) {
    use_effect_with(route, move |&route| {
        let host = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("page"));
        let handle = match (route.chunk(), host) {
            (Chunk::Home, _) | (_, None) => None,
            (chunk, Some(host)) => {
                let _ = host.set_attribute("class", class);
                Some(show_page(chunk.name(), &crate::services::location::hash(), &host))
            }
        };
        move || {
            if let Some(handle) = handle {
                hide_page(&handle);
            }
        }
    });
}

/// A chunk's page as rendered into `#page`, for `www/chunks.js` to destroy when the route changes.
#[wasm_bindgen]
pub struct Mounted(Option<yew::AppHandle<PageRoot>>);

#[wasm_bindgen]
impl Mounted {
    /// Removes the page (its components' effects are cleaned up, its listeners dropped).
    pub fn destroy(&mut self) {
        if let Some(app) = self.0.take() {
            app.destroy();
        }
    }
}

/// Renders the page of `hash` into `host` (called by `www/chunks.js` in a page chunk; `host`'s
/// children are replaced).
#[wasm_bindgen]
pub fn mount(host: web_sys::Element, hash: &str) -> Mounted {
    let route = Route::from_hash(hash);
    Mounted(Some(yew::Renderer::<PageRoot>::with_root_and_props(host, PageProps { route }).render()))
}

#[derive(Properties, PartialEq)]
pub struct PageProps {
    pub route: Route,
}

/// The root component of a page chunk: the one page. Routes that share a mount (the WAF page's
/// tabs, [`Route::mount`]) switch here, without a remount, so the page keeps its state.
#[function_component]
pub fn PageRoot(props: &PageProps) -> Html {
    let route = use_state(|| props.route);
    {
        let route = route.clone();
        let mounted = props.route.mount();
        crate::services::location::use_hash_change(move |hash| {
            let r = Route::from_hash(&hash);
            if r.mount() == mounted {
                route.set(r);
            }
        });
    }
    page(*route)
}

/// The page of `route`, if this module holds it. A new page is one arm here.
pub fn page(route: Route) -> Html {
    match route {
        Route::Overview if here!(Route::Overview) => html! { <pages::overview::Overview /> },
        Route::Envelope if here!(Route::Envelope) => html! { <pages::envelope::EnvelopePage /> },
        Route::Waf | Route::WafReplay if here!(Route::Waf) => {
            html! { <pages::waf::WafPage replay={route == Route::WafReplay} /> }
        }
        Route::WafDdos if here!(Route::WafDdos) => html! { <pages::waf_ddos::DdosPage /> },
        Route::Fms if here!(Route::Fms) => html! { <pages::fms::FmsPage /> },
        Route::Policies if here!(Route::Policies) => html! { <pages::policy::PolicyPage /> },
        Route::Esdk if here!(Route::Esdk) => html! { <pages::esdk::EsdkPage /> },
        Route::Kms if here!(Route::Kms) => html! { <pages::kms::KmsPage /> },
        Route::S3 if here!(Route::S3) => html! { <pages::s3::S3Page /> },
        Route::Ssm if here!(Route::Ssm) => html! { <pages::ssm::SsmPage /> },
        Route::Secrets if here!(Route::Secrets) => html! { <pages::secrets::SecretsPage /> },
        Route::Keys if here!(Route::Keys) => html! { <pages::keys::KeysPage /> },
        Route::Acm if here!(Route::Acm) => html! { <pages::acm::AcmPage /> },
        Route::Scan if here!(Route::Scan) => html! { <pages::scan::ScanPage /> },
        Route::Notes if here!(Route::Notes) => html! { <pages::notes::NotesPage /> },
        Route::NotFound if here!(Route::NotFound) => html! { <pages::overview::NotFound /> },
        _ => html! {
            <p class="error" role="alert">
                { format!("The page {} is not in the module {}: a build error, reload the page.",
                          route.href(), crate::CHUNK.name()) }
            </p>
        },
    }
}
