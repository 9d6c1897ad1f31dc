//! The page's one key store (IndexedDB database `secplay-keystore:secplay`), opened on first use
//! and shared by every page: calls run as tasks of the page and hand their result to a callback.
//! The store is taken out of its slot for the length of a call, so no borrow spans an await; a
//! call made meanwhile answers `Busy`. Every 30 seconds the store locks itself if idle for its
//! auto-lock time. I/O only: formats and checks are `secplay::keystore`'s.
//!
//! Other tabs: a call that wrote tells them `changed`, a lock tells them `locked`
//! (`secplay::web::keystore_sync`); hearing `changed` this tab re-reads the store (at once when
//! idle, else when the running call ends), hearing `locked` it locks. Pages [`subscribe`] to
//! hear each [`Event`], and the database taken away (`Upgraded`, `Deleted`).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use secplay::keystore::sync::Event;
use secplay::keystore::KeyStoreError;
use secplay::web::keystore_idb::{WebBackend, WebCryptoPbkdf2, WebKeyStore};
use secplay::web::keystore_sync::Channel;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The store's name (its database is `secplay-keystore:secplay`).
pub const STORE_NAME: &str = "secplay";

enum Slot {
    Closed,
    Idle(Box<WebKeyStore>),
    Busy,
}

type Listener = Rc<dyn Fn(Event)>;

thread_local! {
    static SLOT: RefCell<Slot> = const { RefCell::new(Slot::Closed) };
    static LOCK_PENDING: Cell<bool> = const { Cell::new(false) };
    static UNLOCKED: Cell<bool> = const { Cell::new(false) };
    static TIMER: Cell<bool> = const { Cell::new(false) };
    /// Another tab wrote: re-read before the next call, or when the running one ends.
    static STALE: Cell<bool> = const { Cell::new(false) };
    /// The store is out of its slot for that re-read (a call made meanwhile waits for it).
    static CATCHING_UP: Cell<bool> = const { Cell::new(false) };
    static CHANNEL: RefCell<Option<Channel>> = const { RefCell::new(None) };
    static LISTENERS: RefCell<Vec<(u32, Listener)>> = const { RefCell::new(Vec::new()) };
    static NEXT_LISTENER: Cell<u32> = const { Cell::new(0) };
}

fn now() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Calls `f` with every event from now on, until [`unsubscribe`] with the number returned.
pub fn subscribe(f: impl Fn(Event) + 'static) -> u32 {
    let id = NEXT_LISTENER.with(|n| n.replace(n.get().wrapping_add(1)));
    LISTENERS.with(|l| l.borrow_mut().push((id, Rc::new(f))));
    id
}

/// Stops the listener `id`.
pub fn unsubscribe(id: u32) {
    LISTENERS.with(|l| l.borrow_mut().retain(|(i, _)| *i != id));
}

fn notify(e: Event) {
    // Listeners may subscribe, unsubscribe or call the store: no borrow is held while they run.
    let listeners: Vec<Listener> = LISTENERS.with(|l| l.borrow().iter().map(|(_, f)| f.clone()).collect());
    for f in listeners {
        f(e);
    }
}

fn post(e: Event) {
    CHANNEL.with(|c| {
        if let Some(c) = c.borrow().as_ref() {
            c.post(e);
        }
    });
}

/// Forgets the key now, or when the running call ends (this tab only).
fn lock_here() {
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

/// What another tab said, or the connection.
fn heard(e: Event) {
    match e {
        Event::Locked => {
            lock_here();
            notify(Event::Locked);
        }
        Event::Changed => {
            STALE.with(|s| s.set(true));
            let idle = SLOT.with(|s| match s.try_borrow_mut().as_deref_mut() {
                Ok(slot @ Slot::Idle(_)) => match std::mem::replace(slot, Slot::Busy) {
                    Slot::Idle(store) => Some(store),
                    other => {
                        *slot = other;
                        None
                    }
                },
                _ => None,
            });
            // A call is running: it re-reads when it ends.
            let Some(mut store) = idle else { return };
            CATCHING_UP.with(|c| c.set(true));
            wasm_bindgen_futures::spawn_local(async move {
                let e = catch_up(&mut store).await;
                put_back(*store);
                CATCHING_UP.with(|c| c.set(false));
                if let Some(e) = e {
                    notify(e);
                }
            });
        }
        Event::Upgraded | Event::Deleted => notify(e),
    }
}

/// Re-reads the store if another tab wrote; says what to tell the pages.
async fn catch_up(store: &mut WebKeyStore) -> Option<Event> {
    if !STALE.with(|s| s.replace(false)) {
        return None;
    }
    if !store.is_unlocked() {
        return Some(Event::Changed);
    }
    match store.refresh().await {
        // The passphrase was changed there: this tab's key no longer opens the store.
        Err(KeyStoreError::Locked) => Some(Event::Locked),
        _ => Some(Event::Changed),
    }
}

fn put_back(mut store: WebKeyStore) {
    if LOCK_PENDING.with(|l| l.replace(false)) {
        store.lock();
    }
    store.touch(now());
    UNLOCKED.with(|u| u.set(store.is_unlocked()));
    SLOT.with(|s| *s.borrow_mut() = Slot::Idle(Box::new(store)));
}

fn start_idle_timer() {
    if TIMER.with(|t| t.replace(true)) {
        return;
    }
    let tick = Closure::<dyn Fn()>::new(|| {
        let locked = SLOT.with(|s| match s.try_borrow_mut().as_deref_mut() {
            Ok(Slot::Idle(store)) => store.lock_if_idle(now()),
            _ => false,
        });
        if locked {
            UNLOCKED.with(|u| u.set(false));
            post(Event::Locked);
            notify(Event::Locked);
        }
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_interval_with_callback_and_timeout_and_arguments_0(tick.as_ref().unchecked_ref(), 30_000);
    }
    // The page lives as long as the timer: the closure is kept for it.
    tick.forget();
}

/// A few milliseconds (while another tab's change is read).
async fn pause() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 5);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

/// Runs `f` on the store (opening it on first use) and hands its result to `done`.
pub fn call<T, F, Fut>(f: F, done: impl FnOnce(Result<T, KeyStoreError>) + 'static)
where
    T: 'static,
    F: FnOnce(WebKeyStore) -> Fut + 'static,
    Fut: Future<Output = (WebKeyStore, Result<T, KeyStoreError>)> + 'static,
{
    wasm_bindgen_futures::spawn_local(async move {
        let slot = loop {
            let slot = SLOT.with(|s| std::mem::replace(&mut *s.borrow_mut(), Slot::Busy));
            if !matches!(slot, Slot::Busy) || !CATCHING_UP.with(Cell::get) {
                break slot;
            }
            pause().await;
        };
        let mut store = match slot {
            Slot::Idle(store) => *store,
            Slot::Busy => return done(Err(KeyStoreError::Busy)),
            Slot::Closed => match WebBackend::open_watched(STORE_NAME, heard).await {
                Ok(b) => {
                    start_idle_timer();
                    CHANNEL.with(|c| *c.borrow_mut() = Channel::open(STORE_NAME, heard));
                    WebKeyStore::new(b, WebCryptoPbkdf2)
                }
                Err(e) => {
                    SLOT.with(|s| *s.borrow_mut() = Slot::Closed);
                    return done(Err(e));
                }
            },
        };
        let before = catch_up(&mut store).await;
        let commits = store.backend_mut().commits();
        let (mut store, result) = f(store).await;
        let wrote = store.backend_mut().commits() != commits;
        let after = catch_up(&mut store).await;
        put_back(store);
        if wrote {
            post(Event::Changed);
        }
        for e in [before, after].into_iter().flatten() {
            notify(e);
        }
        done(result);
    });
}

/// Whether the store is unlocked (as of the last call).
pub fn is_unlocked() -> bool {
    UNLOCKED.with(Cell::get)
}

/// Locks now (or when the running call ends), here and in the other tabs.
pub fn lock() {
    lock_here();
    post(Event::Locked);
}

/// The current time for records, ms since 1970.
pub fn now_ms() -> u64 {
    now()
}
