//! The page's one key store (IndexedDB database `secplay-keystore:secplay`), opened on first use
//! and shared by every page: calls run as tasks of the page and hand their result to a callback.
//! The store is taken out of its slot for the length of a call, so no borrow spans an await; a
//! call made meanwhile answers `Busy`. Every 30 seconds the store locks itself if idle for its
//! auto-lock time. I/O only: formats and checks are `secplay::keystore`'s.

use std::cell::{Cell, RefCell};
use std::future::Future;

use secplay::keystore::KeyStoreError;
use secplay::web::keystore_idb::{WebBackend, WebCryptoPbkdf2, WebKeyStore};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The store's name (its database is `secplay-keystore:secplay`).
pub const STORE_NAME: &str = "secplay";

enum Slot {
    Closed,
    Idle(Box<WebKeyStore>),
    Busy,
}

thread_local! {
    static SLOT: RefCell<Slot> = const { RefCell::new(Slot::Closed) };
    static LOCK_PENDING: Cell<bool> = const { Cell::new(false) };
    static UNLOCKED: Cell<bool> = const { Cell::new(false) };
    static TIMER: Cell<bool> = const { Cell::new(false) };
}

fn now() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

fn start_idle_timer() {
    if TIMER.with(|t| t.replace(true)) {
        return;
    }
    let tick = Closure::<dyn Fn()>::new(|| {
        SLOT.with(|s| {
            if let Ok(mut s) = s.try_borrow_mut() {
                if let Slot::Idle(store) = &mut *s {
                    if store.lock_if_idle(now()) {
                        UNLOCKED.with(|u| u.set(false));
                    }
                }
            }
        });
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 30_000);
    }
    // The page lives as long as the timer: the closure is kept for it.
    tick.forget();
}

/// Runs `f` on the store (opening it on first use) and hands its result to `done`.
pub fn call<T, F, Fut>(f: F, done: impl FnOnce(Result<T, KeyStoreError>) + 'static)
where
    T: 'static,
    F: FnOnce(WebKeyStore) -> Fut + 'static,
    Fut: Future<Output = (WebKeyStore, Result<T, KeyStoreError>)> + 'static,
{
    wasm_bindgen_futures::spawn_local(async move {
        let slot = SLOT.with(|s| std::mem::replace(&mut *s.borrow_mut(), Slot::Busy));
        let store = match slot {
            Slot::Idle(store) => *store,
            Slot::Busy => return done(Err(KeyStoreError::Busy)),
            Slot::Closed => match WebBackend::open(STORE_NAME).await {
                Ok(b) => {
                    start_idle_timer();
                    WebKeyStore::new(b, WebCryptoPbkdf2)
                }
                Err(e) => {
                    SLOT.with(|s| *s.borrow_mut() = Slot::Closed);
                    return done(Err(e));
                }
            },
        };
        let (mut store, result) = f(store).await;
        if LOCK_PENDING.with(|l| l.replace(false)) {
            store.lock();
        }
        store.touch(now());
        UNLOCKED.with(|u| u.set(store.is_unlocked()));
        SLOT.with(|s| *s.borrow_mut() = Slot::Idle(Box::new(store)));
        done(result);
    });
}

/// Whether the store is unlocked (as of the last call).
pub fn is_unlocked() -> bool {
    UNLOCKED.with(Cell::get)
}

/// Locks now (or when the running call ends).
pub fn lock() {
    UNLOCKED.with(|u| u.set(false));
    let done = SLOT.with(|s| match s.try_borrow_mut().as_deref_mut() {
        Ok(Slot::Idle(store)) => {
            store.lock();
            true
        }
        _ => false,
    });
    if !done {
        LOCK_PENDING.with(|l| l.set(true));
    }
}

/// The current time for records, ms since 1970.
pub fn now_ms() -> u64 {
    now()
}
