//! The key store's `BroadcastChannel` between tabs of one profile: [`Channel`] sends this tab's
//! `changed` and `locked` and hands the other tabs' to a callback as [`Event`]s. I/O only: which
//! words exist, and what a tab does on hearing one, is `crate::keystore::sync` and its caller's.

use wasm_bindgen::prelude::*;

use crate::keystore::sync::{channel_name, Event};

#[wasm_bindgen(module = "/src/web/keystore_idb.js")]
extern "C" {
    #[wasm_bindgen(js_name = channelOpen)]
    fn channel_open(name: &str, on_message: &JsValue) -> JsValue;
    #[wasm_bindgen(js_name = channelPost)]
    fn channel_post(ch: &JsValue, message: &str);
    #[wasm_bindgen(js_name = channelClose)]
    fn channel_close(ch: &JsValue);
}

/// One tab's end of a store's channel; closed when dropped.
#[derive(Debug)]
pub struct Channel {
    ch: JsValue,
    _on_message: Closure<dyn FnMut(String)>,
}

impl Channel {
    /// Joins the channel of store `name`; `on` hears each event another tab sends. `None` where
    /// the runtime has no `BroadcastChannel`.
    pub fn open(name: &str, on: impl Fn(Event) + 'static) -> Option<Self> {
        let on_message = Closure::<dyn FnMut(String)>::new(move |m: String| {
            if let Some(e) = Event::from_message(&m) {
                on(e);
            }
        });
        let ch = channel_open(&channel_name(name), on_message.as_ref());
        (!ch.is_null() && !ch.is_undefined()).then_some(Self { ch, _on_message: on_message })
    }

    /// Tells the other tabs (`changed` or `locked`; other events are not sent).
    pub fn post(&self, e: Event) {
        if let Some(m) = e.message() {
            channel_post(&self.ch, m);
        }
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        channel_close(&self.ch);
    }
}
