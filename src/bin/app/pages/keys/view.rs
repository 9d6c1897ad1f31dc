//! The key store page: the component renders `state.rs` and runs each call on the page's one store
//! (`services::keystore`), dispatching the answer. Passphrases are read from their fields at the
//! click and the fields cleared; they never enter the page's state. A backup is offered as a
//! `blob:` download, so no key material is ever in an address.

use std::cell::RefCell;
use std::rc::Rc;

use gloo_file::callbacks::FileReader;
use gloo_file::ObjectUrl;
use secplay::keystore::sync::Event as StoreEvent;
use secplay::keystore::{ImportMode, KeyStoreError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::state::{plural, Action, AtRest, DbProblem, KeysState, Status, HEX_SHOWN};
use crate::services::keystore as ks;

/// The kind of the AES keys the page makes (the Encryption SDK's raw AES keyring).
const AES_KIND: &str = "raw-aes-keyring";

type Handle = UseReducerHandle<KeysState>;

fn failed(state: &Handle, e: &KeyStoreError) {
    state.dispatch(Action::Failed(e.code().to_owned(), e.to_string()));
}

fn input_value(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default()
}

/// Reads a passphrase field and clears it.
fn take_secret(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>()
        .map(|i| {
            let v = i.value();
            i.set_value("");
            v
        })
        .unwrap_or_default()
}

fn date(ms: u64) -> String {
    String::from(js_sys::Date::new(&JsValue::from_f64(ms as f64)).to_iso_string())
}

/// Reads the store: whether it has a passphrase, whether it is unlocked, its listing.
fn load(state: &Handle) {
    let state = state.clone();
    ks::call(
        |mut s| async move {
            let r = async {
                let initialized = s.is_initialized().await?;
                let entries = s.list().await?;
                Ok((initialized, s.is_unlocked(), entries))
            }
            .await;
            (s, r)
        },
        move |r| match r {
            Ok((initialized, unlocked, entries)) => {
                state.dispatch(Action::Loaded { initialized, unlocked, entries })
            }
            Err(e) => failed(&state, &e),
        },
    );
}

/// Runs a write, then says `done` and lists again.
fn write<F, Fut>(state: &Handle, busy: &str, done: String, f: F)
where
    F: FnOnce(secplay::web::keystore_idb::WebKeyStore) -> Fut + 'static,
    Fut: std::future::Future<Output = (secplay::web::keystore_idb::WebKeyStore, Result<(), KeyStoreError>)>
        + 'static,
{
    state.dispatch(Action::Busy(busy.to_owned()));
    let state = state.clone();
    ks::call(f, move |r| match r {
        Ok(()) => {
            state.dispatch(Action::Done(done));
            load(&state);
        }
        Err(e) => failed(&state, &e),
    });
}

fn show_at_rest(state: &Handle, id: String) {
    state.dispatch(Action::Busy(format!("Reading `{id}` as stored")));
    let state = state.clone();
    ks::call(
        move |mut s| async move {
            let raw = s.raw(&id).await;
            let decrypted = s
                .get(&id)
                .ok()
                .map(|r| (r.body.name.clone(), r.body.created_at, r.body.updated_at, r.body.data.len()));
            let r = raw.map(|raw| AtRest { id, raw: raw.unwrap_or_default(), decrypted });
            (s, r)
        },
        move |r| match r {
            Ok(r) => state.dispatch(Action::AtRest(r)),
            Err(e) => failed(&state, &e),
        },
    );
}

/// Hears the store's events: a change or a lock in another tab (re-listing), auto-lock here, and
/// the database taken away.
#[hook]
fn use_store_events(state: Handle) {
    use_effect_with((), move |_| {
        let id = ks::subscribe(move |e| {
            state.dispatch(Action::Elsewhere(e));
            if matches!(e, StoreEvent::Changed | StoreEvent::Locked) {
                load(&state);
            }
        });
        move || ks::unsubscribe(id)
    });
}

fn problem_card(state: &Handle, p: DbProblem) -> Html {
    let on_retry = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            state.dispatch(Action::Retry);
            load(&state);
        })
    };
    let on_reload = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    });
    let title = match p {
        DbProblem::Blocked => "Blocked by an older tab",
        DbProblem::Deleted => "The key store's database was deleted",
        DbProblem::Upgraded => "Upgraded in another tab",
    };
    html! {
        <section class="card err-text" id="keys-problem" data-problem={p.name()} role="alert">
            <h2>{ title }</h2>
            <p>{ p.what() }</p>
            <p>{ p.todo(state.unlocked()) }</p>
            <div class="row">
                if p == DbProblem::Blocked {
                    <button id="keys-retry" onclick={on_retry}>{"Retry"}</button>
                } else {
                    <button id="keys-reload" onclick={on_reload}>{"Reload"}</button>
                }
            </div>
        </section>
    }
}

fn store_card(state: &Handle, pass: &NodeRef, minutes: &NodeRef) -> Html {
    let busy = state.busy.is_some();
    let on_unlock = {
        let (state, pass) = (state.clone(), pass.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let p = zeroize::Zeroizing::new(take_secret(&pass));
            let what = if state.status == Status::New { "Creating the store" } else { "Unlocking" };
            state.dispatch(Action::Busy(format!(
                "{what}: deriving the key (PBKDF2-SHA-256, 600,000 iterations)…"
            )));
            let state = state.clone();
            let t0 = js_sys::Date::now();
            ks::call(
                move |mut s| async move {
                    let r = async {
                        let issues = s.unlock(&p, ks::now_ms()).await?;
                        Ok((issues, s.auto_lock_minutes()?))
                    }
                    .await;
                    (s, r)
                },
                move |r| match r {
                    Ok((issues, auto_lock)) => {
                        web_sys::console::info_1(
                            &format!("secplay: key store unlocked in {:.0} ms", js_sys::Date::now() - t0)
                                .into(),
                        );
                        state.dispatch(Action::Unlocked { issues, auto_lock });
                        load(&state);
                    }
                    Err(e) => failed(&state, &e),
                },
            );
        })
    };
    let on_lock = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            ks::lock();
            state.dispatch(Action::Locked);
            load(&state);
        })
    };
    let on_minutes = {
        let (state, minutes) = (state.clone(), minutes.clone());
        Callback::from(move |_: MouseEvent| {
            let m = input_value(&minutes).trim().parse::<u32>();
            let Ok(m) = m else {
                state.dispatch(Action::Failed(
                    "InvalidInput".into(),
                    "the auto-lock time is a whole number of minutes".into(),
                ));
                return;
            };
            state.dispatch(Action::Busy("Saving the auto-lock time".into()));
            let state = state.clone();
            ks::call(
                move |mut s| async move {
                    let r = s.set_auto_lock_minutes(m).await;
                    (s, r)
                },
                move |r| match r {
                    Ok(()) => state.dispatch(Action::AutoLock(m)),
                    Err(e) => failed(&state, &e),
                },
            );
        })
    };
    let status = match state.status {
        Status::Unknown => "Reading the store…",
        Status::New => "No store yet in this browser profile: choose a passphrase to create it.",
        Status::Locked => "Locked: ids and kinds are readable, everything else is encrypted.",
        Status::Unlocked => {
            "Unlocked: the key is held in this tab's memory until you lock or it locks itself."
        }
    };
    html! {
        <section class="card" id="keys-store">
            <h2>{"The store"}</h2>
            <p id="keys-status" data-status={format!("{:?}", state.status).to_lowercase()}>{ status }</p>
            if state.unlocked() {
                <div class="row">
                    <button id="keys-lock" onclick={on_lock} disabled={busy}>{"Lock now"}</button>
                    <label for="keys-autolock">{"Lock after idle minutes (0: never)"}</label>
                    <input id="keys-autolock" ref={minutes.clone()} type="number" min="0" max="10080" class="narrow"
                        value={state.auto_lock.unwrap_or(15).to_string()} />
                    <button id="keys-autolock-save" onclick={on_minutes} disabled={busy}>{"Save"}</button>
                </div>
            } else if state.status != Status::Unknown {
                <form class="row" onsubmit={on_unlock}>
                    <label for="keys-passphrase">{ if state.status == Status::New { "New passphrase" } else { "Passphrase" } }</label>
                    <input id="keys-passphrase" ref={pass.clone()} type="password" autocomplete="current-password" />
                    <button id="keys-unlock" class="primary" type="submit" disabled={busy}>
                        { if state.status == Status::New { "Create the store" } else { "Unlock" } }</button>
                </form>
            }
        </section>
    }
}

fn records_card(state: &Handle, name: &NodeRef) -> Html {
    let busy = state.busy.is_some();
    let on_add = {
        let (state, name) = (state.clone(), name.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let n = input_value(&name).trim().to_owned();
            if n.is_empty() {
                state.dispatch(Action::Failed("InvalidInput".into(), "give the key a name".into()));
                return;
            }
            let mut key = zeroize::Zeroizing::new([0u8; 32]);
            if let Err(e) = secplay::keystore::seal::random(key.as_mut_slice()) {
                return failed(&state, &e);
            }
            let id = format!("aes/{n}");
            write(
                &state,
                "Storing the key",
                format!("Stored a new AES-256 key as `{id}`."),
                move |mut s| async move {
                    let r = s.put(&id, AES_KIND, &n, key.as_slice(), ks::now_ms()).await;
                    (s, r)
                },
            );
        })
    };
    let unlocked = state.unlocked();
    let rows = state.entries.iter().map(|e| {
        let at_rest = {
            let (state, id) = (state.clone(), e.id.clone());
            Callback::from(move |_: MouseEvent| show_at_rest(&state, id.clone()))
        };
        let delete = {
            let (state, id) = (state.clone(), e.id.clone());
            Callback::from(move |_: MouseEvent| {
                let id = id.clone();
                write(&state, "Deleting", format!("Deleted `{id}`."), move |mut s| async move {
                    let r = s.delete(&id).await;
                    (s, r)
                })
            })
        };
        let (name, created, updated) = match &e.detail {
            Some((n, c, u)) => (n.clone(), date(*c), date(*u)),
            None => ("(locked)".into(), String::new(), String::new()),
        };
        html! {
            <tr data-id={e.id.clone()} class={classes!(e.set_aside.then_some("err-text"))}>
                <td><code>{ &e.id }</code></td><td>{ &e.kind }</td><td>{ e.version }</td>
                <td class="keys-name">{ if e.set_aside { "set aside".to_owned() } else { name } }</td>
                <td class="small">{ created }</td><td class="small">{ updated }</td>
                <td><button class="keys-at-rest" onclick={at_rest} disabled={busy}>{"At rest"}</button>
                    if unlocked { <button class="keys-delete" onclick={delete} disabled={busy}>{"Delete"}</button> }</td>
            </tr>
        }
    });
    html! {
        <section class="card" id="keys-records">
            <h2>{"What it holds"}</h2>
            if state.entries.is_empty() {
                <p class="muted" id="keys-empty">{"No records."}</p>
            } else {
                <table class="fields grid" id="keys-table">
                    <tr><th>{"id"}</th><th>{"kind"}</th><th>{"version"}</th><th>{"name"}</th><th>{"created"}</th><th>{"updated"}</th><th></th></tr>
                    { for rows }
                </table>
            }
            if !state.issues.is_empty() {
                <ul id="keys-issues" class="err-text">
                    { for state.issues.iter().map(|i| html! { <li><code>{ i.kind.code() }</code>{" "}{ &i.detail }</li> }) }
                </ul>
            }
            if unlocked {
                <form class="row" onsubmit={on_add}>
                    <label for="keys-new-name">{"New AES-256 key (raw AES keyring), named"}</label>
                    <input id="keys-new-name" ref={name.clone()} placeholder="my key" />
                    <button id="keys-add" type="submit" disabled={busy}>{"Generate and store"}</button>
                </form>
            }
        </section>
    }
}

fn passphrase_card(state: &Handle, old: &NodeRef, new: &NodeRef, again: &NodeRef) -> Html {
    let on_change = {
        let (state, old, new, again) = (state.clone(), old.clone(), new.clone(), again.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (o, n, a) = (take_secret(&old), take_secret(&new), take_secret(&again));
            if n != a {
                state.dispatch(Action::Failed(
                    "InvalidInput".into(),
                    "the new passphrase and its repetition differ".into(),
                ));
                return;
            }
            let (o, n) = (zeroize::Zeroizing::new(o), zeroize::Zeroizing::new(n));
            write(
                &state,
                "Re-wrapping every record under the new passphrase",
                "Passphrase changed: every record was re-wrapped in one transaction.".into(),
                move |mut s| async move {
                    let r = s.change_passphrase(&o, &n, ks::now_ms()).await;
                    (s, r)
                },
            );
        })
    };
    html! {
        <section class="card" id="keys-passphrase-card">
            <h2>{"Change passphrase"}</h2>
            <form class="row" onsubmit={on_change}>
                <input id="keys-old" ref={old.clone()} type="password" placeholder="current passphrase" autocomplete="current-password" />
                <input id="keys-new" ref={new.clone()} type="password" placeholder="new passphrase" autocomplete="new-password" />
                <input id="keys-again" ref={again.clone()} type="password" placeholder="new passphrase again" autocomplete="new-password" />
                <button id="keys-change" type="submit" disabled={state.busy.is_some()}>{"Change"}</button>
            </form>
        </section>
    }
}

fn at_rest_card(state: &KeysState) -> Html {
    let Some(r) = &state.at_rest else { return html! {} };
    let hidden = r.raw.len().saturating_sub(HEX_SHOWN);
    html! {
        <section class="card" id="keys-at-rest">
            <h2>{ format!("What is at rest: `{}`", r.id) }</h2>
            <div class="keys-split">
                <div>
                    <h3>{ format!("IndexedDB bytes ({} bytes)", r.raw.len()) }</h3>
                    <pre class="mono" id="keys-hex">{ r.hex_lines().join("\n") }
                        if hidden > 0 { { format!("\n… {hidden} more bytes") } }</pre>
                    <table class="fields spec">
                        { for r.fields().iter().map(|f| html! {
                            <tr><th>{ f.label }</th><td>{ format!("{}..{}", f.start, f.start + f.len) }</td><td>{ &f.value }</td></tr>
                        }) }
                    </table>
                </div>
                <div>
                    <h3>{"Decrypted metadata"}</h3>
                    { match &r.decrypted {
                        Some((name, c, u, n)) => html! {
                            <table class="fields spec" id="keys-decrypted">
                                <tr><th>{"name"}</th><td>{ name }</td></tr>
                                <tr><th>{"created"}</th><td>{ date(*c) }</td></tr>
                                <tr><th>{"updated"}</th><td>{ date(*u) }</td></tr>
                                <tr><th>{"data"}</th><td>{ format!("{n} bytes (not shown)") }</td></tr>
                            </table>
                        },
                        None => html! { <p class="muted">{"Locked: only the kind and version above can be read."}</p> },
                    } }
                </div>
            </div>
        </section>
    }
}

#[function_component]
pub fn KeysPage() -> Html {
    let state = use_reducer(KeysState::default);
    let refs = use_memo((), |_| [(); 7].map(|()| NodeRef::default()));
    let [pass, minutes, name, old, new, again, backup_pass] = &*refs;
    let link = use_state(|| None::<Rc<ObjectUrl>>);
    let reader = use_mut_ref(|| None::<FileReader>);
    let mode = use_node_ref();
    {
        let state = state.clone();
        use_effect_with((), move |_| load(&state));
    }
    use_store_events(state.clone());

    let on_backup = {
        let (state, link) = (state.clone(), link.clone());
        Callback::from(move |_: MouseEvent| {
            let (state, link) = (state.clone(), link.clone());
            ks::call(
                |s| async move {
                    let r = s.export_backup();
                    (s, r)
                },
                move |r| match r {
                    Ok(bytes) => {
                        let blob = gloo_file::Blob::new_with_options(
                            bytes.as_slice(),
                            Some("application/octet-stream"),
                        );
                        link.set(Some(Rc::new(ObjectUrl::from(blob))));
                        state.dispatch(Action::Done(format!(
                            "Backup made: {} bytes, encrypted.",
                            bytes.len()
                        )));
                    }
                    Err(e) => failed(&state, &e),
                },
            );
        })
    };
    let on_restore = {
        let (state, reader, backup_pass, mode) =
            (state.clone(), reader.clone(), backup_pass.clone(), mode.clone());
        Callback::from(move |e: Event| {
            let input = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok());
            let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|f| f.get(0)) else { return };
            if let Some(i) = &input {
                i.set_value("");
            }
            let p = zeroize::Zeroizing::new(take_secret(&backup_pass));
            let m = match mode.cast::<HtmlSelectElement>().map(|s| s.value()).as_deref() {
                Some("replace") => ImportMode::Replace,
                _ => ImportMode::Merge,
            };
            state.dispatch(Action::Busy("Reading the backup".into()));
            let state = state.clone();
            let task = gloo_file::callbacks::read_as_bytes(&gloo_file::File::from(file), move |r| {
                let bytes = match r {
                    Ok(b) => b,
                    Err(e) => return state.dispatch(Action::Failed("ReadError".into(), e.to_string())),
                };
                let done = state.clone();
                ks::call(
                    move |mut s| async move {
                        let r = s.import_backup(&bytes, &p, m).await;
                        (s, r)
                    },
                    move |r| match r {
                        Ok(report) => {
                            done.dispatch(Action::Imported(report));
                            load(&done);
                        }
                        Err(e) => failed(&done, &e),
                    },
                );
            });
            *RefCell::borrow_mut(&reader) = Some(task);
        })
    };

    let unlocked = state.unlocked();
    html! {
        <article class="keys">
            <h1>{"Key store"}</h1>
            <p class="lede">{"Keys and KMS worlds kept in this browser's IndexedDB, never in plaintext: a key derived \
                from your passphrase (PBKDF2-SHA-256, 600,000 iterations, WebCrypto) encrypts each record with \
                AES-256-GCM, bound to its id, kind and version; a manifest catches a record deleted or put back. \
                Forget the passphrase and the records are gone: make a backup."}</p>
            if let Some(p) = state.problem { { problem_card(&state, p) } }
            { store_card(&state, pass, minutes) }
            if let Some(b) = &state.busy { <p id="keys-busy" class="muted" aria-live="polite">{ b }</p> }
            if let Some(n) = &state.notice { <p id="keys-notice" class="muted small" aria-live="polite">{ n }</p> }
            if let Some((code, msg)) = &state.error {
                <p id="keys-error" class="err-text" role="alert"><code>{ code }</code>{" "}{ msg }</p>
            }
            { records_card(&state, name) }
            { at_rest_card(&state) }
            if unlocked {
                { passphrase_card(&state, old, new, again) }
                <section class="card" id="keys-backup">
                    <h2>{"Backup and restore"}</h2>
                    <p class="muted small">{"One encrypted file that opens with the passphrase the store has now. \
                        Restore merges (records in both keep this store's copy and are listed as conflicts) or replaces."}</p>
                    <div class="row">
                        <button id="keys-backup-make" onclick={on_backup} disabled={state.busy.is_some()}>{"Make a backup"}</button>
                        if let Some(url) = &*link {
                            <a id="keys-backup-link" class="button" href={url.to_string()} download="secplay.keystore-backup">{"Download the backup"}</a>
                        }
                    </div>
                    <div class="row">
                        <input id="keys-backup-pass" ref={backup_pass.clone()} type="password" placeholder="the backup's passphrase" />
                        <select id="keys-backup-mode" ref={mode}>
                            <option value="merge" selected=true>{"merge"}</option>
                            <option value="replace">{"replace"}</option>
                        </select>
                        <label for="keys-restore">{"Restore from a file"}</label>
                        <input id="keys-restore" type="file" onchange={on_restore} />
                    </div>
                    if let Some(r) = &state.imported {
                        <table class="fields spec" id="keys-import-report">
                            <tr><th>{"added"}</th><td>{ r.added.join(", ") }</td></tr>
                            <tr><th>{"unchanged"}</th><td>{ r.unchanged.join(", ") }</td></tr>
                            <tr><th>{ format!("conflicts ({})", plural(r.conflicts.len(), "record")) }</th><td>{ r.conflicts.join(", ") }</td></tr>
                            <tr><th>{"removed"}</th><td>{ r.removed.join(", ") }</td></tr>
                        </table>
                    }
                </section>
            }
        </article>
    }
}
