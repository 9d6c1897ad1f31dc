//! The "Share link" bar every page shows: a button that puts the page's state in the address
//! bar (`crate::share`), copies the link to the clipboard where the browser allows it, and shows
//! it with what it holds; and, when the address held a link that did not open, why.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::services::location;

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    /// Makes the fragment (`#/page?s=v1.…`) of the page's state now, or says why it cannot.
    pub link: Callback<(), Result<String, String>>,
    /// Why the link the page was opened with could not be read (nothing was loaded from it).
    #[prop_or_default]
    pub error: Option<String>,
    /// What a link holds and what it leaves out, in a sentence.
    pub holds: AttrValue,
}

/// Copies `text` with the asynchronous clipboard API, if the page may; says nothing otherwise
/// (the link is in the address bar and in the box anyway).
fn copy(text: &str) -> bool {
    let get = |o: &wasm_bindgen::JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap_or_default();
    let nav = get(&js_sys::global(), "navigator");
    let clip = get(&nav, "clipboard");
    let Ok(write) = get(&clip, "writeText").dyn_into::<js_sys::Function>() else { return false };
    let Ok(promise) = write.call1(&clip, &text.into()).and_then(|p| p.dyn_into::<js_sys::Promise>()) else {
        return false;
    };
    // A refusal (no focus, no permission) is not an error of the page: the link is shown anyway.
    wasm_bindgen_futures::spawn_local(async move {
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    });
    true
}

#[function_component(ShareBar)]
pub fn share_bar(props: &ShareBarProps) -> Html {
    let made = use_state(|| None::<Result<(String, bool), String>>);
    let onclick = {
        let made = made.clone();
        let link = props.link.clone();
        Callback::from(move |_: MouseEvent| {
            made.set(Some(link.emit(()).and_then(|fragment| {
                let url = location::set_hash(&fragment)
                    .ok_or_else(|| "the browser did not let the page set its address".to_owned())?;
                let copied = copy(&url);
                Ok((url, copied))
            })));
        })
    };
    let select = Callback::from(|e: FocusEvent| {
        if let Some(i) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            i.select();
        }
    });
    html! {
        <>
            if let Some(e) = &props.error {
                <section class="card err" role="alert" id="share-error">
                    <p><strong>{"This share link could not be opened: "}</strong>{ e }{". Nothing was loaded from it."}</p>
                </section>
            }
            <section class="toolbar share-bar" aria-label="Sharing">
                <button id="share" class="primary" {onclick}>{"Share link"}</button>
                <span class="muted">{ props.holds.clone() }</span>
            </section>
            {
                match &*made {
                    Some(Ok((url, copied))) => html! {
                        <section class="share-box" aria-live="polite">
                            <label for="share-url">{ if *copied { "Share link (in the address bar, and copied where the browser allows):" } else { "Share link (in the address bar too):" } }</label>
                            <input id="share-url" class="mono" readonly=true value={url.clone()} onfocus={select} />
                        </section>
                    },
                    Some(Err(e)) => html! { <p class="card err" role="alert" id="share-failed">{"No link: "}{ e.clone() }</p> },
                    None => html! {},
                }
            }
        </>
    }
}

/// The state a page opens with — its share link's, when the address holds one — and why the
/// link did not open, when it did not. Made once per mounted page (`use_memo`).
pub struct Opening<S> {
    state: std::cell::RefCell<Option<S>>,
    /// Why the address's share link could not be opened (the page opened as usual).
    pub error: Option<String>,
}

impl<S: Default> Opening<S> {
    /// `start()` with the link's actions applied in order; on a damaged link, `start()` and why.
    pub fn new<A>(
        open: impl FnOnce(&str) -> Result<Option<Vec<A>>, String>,
        start: impl FnOnce() -> S,
        apply: impl Fn(S, A) -> S,
    ) -> Self {
        let (state, error) = match open(&location::hash()) {
            Ok(Some(actions)) => (actions.into_iter().fold(start(), apply), None),
            Ok(None) => (start(), None),
            Err(e) => (start(), Some(e)),
        };
        Self { state: std::cell::RefCell::new(Some(state)), error }
    }

    /// The state, once (the reducer's initial state); `S::default()` if asked again.
    pub fn take(&self) -> S {
        self.state.borrow_mut().take().unwrap_or_default()
    }
}
