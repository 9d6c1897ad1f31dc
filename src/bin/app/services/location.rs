//! The address bar: the current `location.hash`, setting it, and `hashchange` listeners (a `gloo`
//! listener that goes away with its handle, or a hook that keeps one for a component's life).

use gloo_events::EventListener;
use yew::prelude::*;

/// The current `location.hash` (`#/policies?s=…`), or empty.
pub fn hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Sets `location.hash` and answers the whole address it makes (for a share link), if the
/// browser let it.
pub fn set_hash(fragment: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    location.set_hash(fragment).ok()?;
    let href = location.href().ok()?;
    let base = href.split('#').next().unwrap_or_default();
    Some(format!("{base}{fragment}"))
}

/// Calls `f` with the new hash on every `hashchange` while the listener lives.
pub fn on_hash_change(f: impl Fn(String) + 'static) -> Option<EventListener> {
    let window = web_sys::window()?;
    Some(EventListener::new(&window, "hashchange", move |_| f(hash())))
}

/// Calls `f` with the new hash on every `hashchange` while the component is mounted.
#[hook]
pub fn use_hash_change<F>(f: F)
where
    F: Fn(String) + 'static,
{
    use_effect_with((), move |_| {
        let listener = on_hash_change(f);
        move || drop(listener)
    });
}
