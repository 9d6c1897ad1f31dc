//! Hash routing (`#/envelope`), so the built `dist/` works from any static host without rewrites.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The pages. A page joins [`Route::NAV`] only once it has real content.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    Overview,
    Envelope,
    Policies,
    Waf,
    Esdk,
    NotFound,
}

impl Route {
    /// The navigation, in order.
    pub const NAV: [Route; 5] = [Route::Overview, Route::Envelope, Route::Esdk, Route::Policies, Route::Waf];

    /// Parse a `location.hash` value.
    pub fn from_hash(hash: &str) -> Self {
        match hash.trim_start_matches('#').trim_start_matches('/').split(['?', '/']).next().unwrap_or("") {
            "" | "overview" => Route::Overview,
            "envelope" => Route::Envelope,
            "policies" => Route::Policies,
            "waf" => Route::Waf,
            "esdk" => Route::Esdk,
            _ => Route::NotFound,
        }
    }

    /// The hash that leads here.
    pub fn href(self) -> &'static str {
        match self {
            Route::Overview | Route::NotFound => "#/",
            Route::Envelope => "#/envelope",
            Route::Policies => "#/policies",
            Route::Waf => "#/waf",
            Route::Esdk => "#/esdk",
        }
    }

    /// The navigation label.
    pub fn title(self) -> &'static str {
        match self {
            Route::Overview => "Overview",
            Route::Envelope => "Envelope encryption",
            Route::Policies => "Key policies",
            Route::Waf => "WAF",
            Route::Esdk => "Encryption SDK",
            Route::NotFound => "Not found",
        }
    }
}

fn current() -> Route {
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    Route::from_hash(&hash)
}

/// The current route, updated on every `hashchange`.
#[hook]
pub fn use_route() -> Route {
    let route = use_state(current);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let listener = Closure::<dyn Fn()>::new(move || route.set(current()));
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
            }
            move || {
                if let Some(w) = &window {
                    let _ = w
                        .remove_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref());
                }
            }
        });
    }
    *route
}
