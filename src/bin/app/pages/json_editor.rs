//! A JSON editor for the pages that take JSON (WAF, S3, Firewall Manager, KMS requests): line
//! numbers beside a textarea that does not wrap (so line N is always N line-heights down), a
//! "Format" button, and where the text stops being JSON: the line marked in the gutter, the
//! offending characters underlined in a layer over the textarea, and the error as text the
//! textarea points at (`aria-describedby`, `aria-invalid`).
//!
//! One box scrolls: it is as tall as the text and holds the gutter (sticky at the left) and the
//! textarea, which is as big as what it holds and never scrolls itself. Cheap on big texts: past
//! `window::BIG_BYTES` the textarea holds a window of lines around what is on screen, placed at
//! its first line (`window.rs`; a browser lays out every line of a textarea at each edit), the
//! gutter numbers that window, an edit in it is spliced into the whole text, and a big paste is
//! spliced in here instead of into the textarea. The check reads the text into nothing
//! (`text::check`). Tab leaves the textarea as usual (nothing here catches keys); `select`
//! selects a place in the whole text for the page's error lists.
//! Not here: the policy page's editor (`policy/editor.rs`, which tints statements), a page's own
//! validation (the WAF's errors with their JSON pointers stay the page's).

pub mod text;
pub mod window;

#[cfg(target_arch = "wasm32")]
pub use view::{select, FormatButton, JsonEditor};

#[cfg(target_arch = "wasm32")]
mod view {
    use std::cell::RefCell;
    use std::collections::HashMap;

    use wasm_bindgen::JsCast;
    use web_sys::HtmlTextAreaElement;
    use yew::prelude::*;

    use super::text::{self, MAX_PREFIX_CHARS};
    use super::window::{self, Window};

    /// The line height and top padding of the textarea, in pixels (`.je-*` in the stylesheet).
    const LINE_PX: usize = 18;
    const PAD_PX: usize = 6;

    #[derive(Properties, PartialEq)]
    pub struct FormatProps {
        /// The element id of the text's textarea: the button is `{for_id}-format`.
        pub for_id: AttrValue,
        /// What the text is, for the button's accessible name ("Format the web ACL").
        pub what: AttrValue,
        pub text: AttrValue,
        /// Receives the formatted text (only when it differs).
        pub onformat: Callback<String>,
    }

    /// "Format": pretty-prints the text; when it is not JSON, keeps it and says why beside the button.
    #[function_component]
    pub fn FormatButton(props: &FormatProps) -> Html {
        let note = use_state(|| None::<String>);
        {
            // A new text makes an earlier refusal stale.
            let note = note.clone();
            use_effect_with(props.text.clone(), move |_| note.set(None));
        }
        let onclick = {
            let (note, text, onformat) = (note.clone(), props.text.clone(), props.onformat.clone());
            Callback::from(move |_: MouseEvent| match text::pretty(&text) {
                Ok(p) => {
                    note.set(None);
                    if p != *text {
                        onformat.emit(p);
                    }
                }
                Err(e) => note.set(Some(format!("Not formatted, the text is kept: {e}"))),
            })
        };
        html! {
            <span class="je-format">
                <button type="button" class="link" id={format!("{}-format", props.for_id)}
                    aria-label={format!("Format {}", props.what)} {onclick}>{"Format"}</button>
                if let Some(n) = &*note { {" "}<span class="inline-err" role="status" id={format!("{}-format-note", props.for_id)}>{ n.clone() }</span> }
            </span>
        }
    }

    #[derive(Properties, PartialEq)]
    pub struct JsonEditorProps {
        /// The textarea's id (a `<label for>` outside names it).
        pub id: AttrValue,
        /// What the text is, for the Format button's name.
        pub what: AttrValue,
        pub value: AttrValue,
        pub oninput: Callback<String>,
        #[prop_or(12)]
        pub rows: u32,
        #[prop_or_default]
        pub placeholder: AttrValue,
    }

    thread_local! {
        /// The editors on the page by textarea id: how [`select`] reaches one.
        static EDITORS: RefCell<HashMap<String, Callback<(u32, u32)>>> = RefCell::new(HashMap::new());
    }

    /// Selects `start..end` (UTF-16 offsets in the whole text) in the editor whose textarea is
    /// `id`, focuses it and scrolls the selection into view (a big text's window moves there).
    pub fn select(id: &str, start: u32, end: u32) {
        let cb = EDITORS.with(|e| e.borrow().get(id).cloned());
        if let Some(cb) = cb {
            cb.emit((start, end));
        }
    }

    /// The text the textarea shows and where it sits in the whole text.
    #[derive(Default)]
    struct Live {
        /// The whole text the window was made for.
        value: AttrValue,
        win: Window,
    }

    /// What to do once the next render is in the page.
    #[derive(Default)]
    struct After {
        /// A selection to set, as byte offsets in the whole text.
        select: Option<(usize, usize)>,
        focus: bool,
        /// Scroll so this line (0-based) is in view.
        reveal: Option<usize>,
        /// Put the scroll position back where it was (setting a textarea's value can move it).
        keep_scroll: Option<(i32, i32)>,
    }

    fn textarea(r: &NodeRef) -> Option<HtmlTextAreaElement> {
        r.cast::<HtmlTextAreaElement>()
    }

    /// The textarea's selection as byte offsets in the whole text.
    fn selection(area: &HtmlTextAreaElement, live: &Live) -> Option<(usize, usize)> {
        let inner = live.win.text(&live.value);
        let a = area.selection_start().ok().flatten()?;
        let b = area.selection_end().ok().flatten()?;
        Some((
            live.win.start + window::byte_at_utf16(inner, a),
            live.win.start + window::byte_at_utf16(inner, b),
        ))
    }

    #[function_component]
    pub fn JsonEditor(props: &JsonEditorProps) -> Html {
        let (area, scroller) = (use_node_ref(), use_node_ref());
        let live = use_mut_ref(Live::default);
        let after = use_mut_ref(After::default);
        let redraw = use_force_update();
        // The window for this text: kept while the text is the one it was made (or edited) for,
        // made again at the same first line when the page brings another.
        let win = {
            let mut l = live.borrow_mut();
            if l.value != props.value {
                l.win = window::window(&props.value, l.win.first);
                l.value = props.value.clone();
            }
            l.win
        };
        let whole = win.is_whole(props.value.len());
        let inner: AttrValue =
            if whole { props.value.clone() } else { AttrValue::from(win.text(&props.value).to_owned()) };
        let numbers = use_memo((win.first, win.lines), |(first, lines)| {
            AttrValue::from(text::gutter_from(*first, *lines))
        });
        let columns = use_memo(inner.clone(), |t| window::widest(t));
        let digits = win.total.to_string().len().max(2);
        let problem = use_memo(props.value.clone(), |v| text::check(v));
        {
            // `select` reaches this editor by its id while it is on the page.
            let (id, live, after, redraw) =
                (props.id.to_string(), live.clone(), after.clone(), redraw.clone());
            use_effect_with(id, move |id| {
                let cb = Callback::from(move |(a, b): (u32, u32)| {
                    let mut l = live.borrow_mut();
                    let (a, b) = (window::byte_at_utf16(&l.value, a), window::byte_at_utf16(&l.value, b));
                    if !(l.win.holds(a) && l.win.holds(b)) {
                        let line = window::line_of(&l.value, a);
                        l.win = window::window(&l.value, line.saturating_sub(window::LEAD));
                    }
                    let line = window::line_of(&l.value, a);
                    *after.borrow_mut() =
                        After { select: Some((a, b)), focus: true, reveal: Some(line), keep_scroll: None };
                    drop(l);
                    redraw.force_update();
                });
                EDITORS.with(|e| e.borrow_mut().insert(id.clone(), cb));
                let id = id.clone();
                move || {
                    EDITORS.with(|e| e.borrow_mut().remove(&id));
                }
            });
        }
        {
            // After each render: the selection, focus and scroll an action asked for.
            let (area, scroller, live, after) = (area.clone(), scroller.clone(), live.clone(), after.clone());
            use_effect(move || {
                let todo = std::mem::take(&mut *after.borrow_mut());
                let (Some(ta), Some(sc)) = (textarea(&area), scroller.cast::<web_sys::Element>()) else {
                    return;
                };
                if todo.focus {
                    let _ = ta.focus();
                }
                if let Some((a, b)) = todo.select {
                    let l = live.borrow();
                    if l.win.holds(a) && l.win.holds(b) {
                        let inner = l.win.text(&l.value);
                        let at = |x: usize| window::utf16_at(inner, x - l.win.start);
                        let _ = ta.set_selection_range(at(a), at(b));
                    }
                }
                if let Some((top, left)) = todo.keep_scroll {
                    sc.set_scroll_top(top);
                    sc.set_scroll_left(left);
                }
                if let Some(line) = todo.reveal {
                    let y = line_top(line) as i32;
                    let (top, height) = (sc.scroll_top(), sc.client_height());
                    if y < top || y + LINE_PX as i32 > top + height {
                        sc.set_scroll_top((y - 2 * LINE_PX as i32).max(0));
                    }
                }
            });
        }
        let onscroll = {
            // A big text's window follows what is on screen: once the lines in view come within
            // a quarter of the window's edge, it is placed again around them.
            let (area, scroller, live, after, redraw) =
                (area.clone(), scroller.clone(), live.clone(), after.clone(), redraw.clone());
            let rows = props.rows as usize;
            Callback::from(move |_: Event| {
                let Some(sc) = scroller.cast::<web_sys::Element>() else { return };
                let mut l = live.borrow_mut();
                if l.win.is_whole(l.value.len()) {
                    return;
                }
                {
                    // A scroll from before an action whose render has not come yet (the action
                    // placed the window; its own scroll follows) is not a reason to move it.
                    let pending = after.borrow();
                    if pending.reveal.is_some() || pending.select.is_some() {
                        return;
                    }
                }
                let top = usize::try_from(sc.scroll_top()).unwrap_or(0);
                let height = usize::try_from(sc.client_height()).unwrap_or(0);
                let first = top.saturating_sub(PAD_PX) / LINE_PX;
                let last = (top + height) / LINE_PX;
                let margin = (l.win.lines / 4).min(100).max(rows.min(l.win.lines / 2));
                let w = l.win;
                let short_above = w.first > 0 && first < w.first + margin;
                let short_below = w.first + w.lines < w.total && last + margin > w.first + w.lines;
                if !(short_above || short_below) {
                    return;
                }
                let keep = textarea(&area)
                    .filter(|ta| {
                        web_sys::window()
                            .and_then(|w| w.document())
                            .and_then(|d| d.active_element())
                            .is_some_and(|e| ta.is_same_node(Some(&e)))
                    })
                    .and_then(|ta| selection(&ta, &l));
                l.win = window::window(&l.value, first.saturating_sub(window::LEAD));
                *after.borrow_mut() = After {
                    select: keep,
                    focus: false,
                    reveal: None,
                    keep_scroll: Some((sc.scroll_top(), sc.scroll_left())),
                };
                drop(l);
                redraw.force_update();
            })
        };
        let oninput = {
            let (cb, live, after) = (props.oninput.clone(), live.clone(), after.clone());
            Callback::from(move |e: InputEvent| {
                let Some(ta) = e.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()) else {
                    return;
                };
                let inner = ta.value();
                let mut l = live.borrow_mut();
                let w = l.win;
                let full = if w.is_whole(l.value.len()) {
                    inner.clone()
                } else {
                    window::splice(&l.value, w.start, w.end, &inner)
                };
                // Where the caret is, in the whole text (the textarea's offsets are the window's).
                let caret = ta
                    .selection_start()
                    .ok()
                    .flatten()
                    .map_or(w.start + inner.len(), |u| w.start + window::byte_at_utf16(&inner, u));
                l.win = w.edited(&full, &inner);
                if full.len() > window::BIG_BYTES && inner.len() > window::REPLACE_BYTES {
                    // The window grew past its size (a big paste or drop the page did not catch):
                    // placed again around the caret.
                    let line = window::line_of(&full, caret);
                    l.win = window::window(&full, line.saturating_sub(window::LEAD));
                    *after.borrow_mut() = After {
                        select: Some((caret, caret)),
                        focus: false,
                        reveal: Some(line),
                        keep_scroll: None,
                    };
                } else if !w.is_whole(l.value.len()) && full.len() <= window::BIG_BYTES {
                    l.win = Window::whole(&full);
                    *after.borrow_mut() =
                        After { select: Some((caret, caret)), focus: false, reveal: None, keep_scroll: None };
                }
                l.value = AttrValue::from(full.clone());
                drop(l);
                cb.emit(full);
            })
        };
        let onpaste = {
            // A big paste is not left to the textarea (the browser would lay all of it out in
            // it): the text is spliced in here and the window placed at its end. (It is then not
            // in the textarea's own undo history.)
            let (cb, live, after) = (props.oninput.clone(), live.clone(), after.clone());
            Callback::from(move |e: Event| {
                let Some(pasted) = e
                    .dyn_ref::<web_sys::ClipboardEvent>()
                    .and_then(web_sys::ClipboardEvent::clipboard_data)
                    .and_then(|d| d.get_data("text/plain").ok())
                else {
                    return;
                };
                let Some(ta) = e.target().and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok()) else {
                    return;
                };
                let mut l = live.borrow_mut();
                let whole = l.win.is_whole(l.value.len());
                if whole && l.value.len() + pasted.len() <= window::BIG_BYTES {
                    return;
                }
                e.prevent_default();
                let Some((a, b)) = selection(&ta, &l) else { return };
                let pasted = window::normalise_newlines(&pasted);
                let full = window::splice(&l.value, a, b, &pasted);
                let caret = a.min(b) + pasted.len();
                let line = window::line_of(&full, caret);
                l.win = window::window(&full, line.saturating_sub(window::LEAD));
                l.value = AttrValue::from(full.clone());
                *after.borrow_mut() = After {
                    select: Some((caret, caret)),
                    focus: true,
                    reveal: Some(line),
                    keep_scroll: None,
                };
                drop(l);
                cb.emit(full);
            })
        };
        let on_area_scroll = {
            // The textarea is as big as its text, so it should never scroll inside; if the
            // browser scrolls it anyway (to show the caret), the box around it takes the scroll.
            let (area, scroller) = (area.clone(), scroller.clone());
            Callback::from(move |_: Event| {
                let (Some(ta), Some(sc)) = (textarea(&area), scroller.cast::<web_sys::Element>()) else {
                    return;
                };
                let (top, left) = (ta.scroll_top(), ta.scroll_left());
                if top != 0 || left != 0 {
                    ta.set_scroll_top(0);
                    ta.set_scroll_left(0);
                    sc.set_scroll_top(sc.scroll_top() + top);
                    sc.set_scroll_left(sc.scroll_left() + left);
                }
            })
        };
        let error_id = format!("{}-json-error", props.id);
        let win_top = line_top(win.first) - PAD_PX;
        html! {
            <div class="je" data-lines={win.total.to_string()}>
                <div class="je-bar">
                    if !whole {
                        <span class="je-size muted" id={format!("{}-window", props.id)}>{ format!(
                            "{} lines: the editor holds lines {}–{} at a time, so select-all and find stay within them",
                            win.total, win.first + 1, win.first + win.lines) }</span>
                    }
                    <FormatButton for_id={props.id.clone()} what={props.what.clone()} text={props.value.clone()}
                        onformat={props.oninput.clone()} />
                </div>
                <div class={classes!("je-box", problem.is_some().then_some("je-bad"))}>
                    <div class="je-scroll" ref={scroller} {onscroll}
                        style={format!("height: {}px", props.rows as usize * LINE_PX + 2 * PAD_PX)}>
                        <div class="je-sizer" style={format!("height: {}px", (win.total + 1) * LINE_PX + 2 * PAD_PX)}>
                            <div class="je-gutter" aria-hidden="true" style={format!("width: calc({digits}ch + 16px)")}>
                                <pre class="je-nums" style={format!("top: {win_top}px")}>{ (*numbers).clone() }</pre>
                                if let Some(p) = &*problem {
                                    <div class="je-errline" data-line={p.line.to_string()} style={format!("top: {}px", line_top(p.line.saturating_sub(1) as usize))}></div>
                                }
                            </div>
                            <div class="je-main" style={format!("min-width: calc({}ch + 16px)", *columns + 4)}>
                                <textarea id={props.id.clone()} ref={area} class="je-input"
                                    style={format!("top: {win_top}px; height: {}px{}", (win.lines + 1) * LINE_PX + 2 * PAD_PX,
                                        if win.first == 0 { "; min-height: 100%" } else { "" })}
                                    spellcheck="false" autocomplete="off" wrap="off" value={inner}
                                    placeholder={props.placeholder.clone()} {oninput} {onpaste} onscroll={on_area_scroll}
                                    aria-invalid={problem.is_some().then_some("true")}
                                    aria-describedby={problem.is_some().then(|| error_id.clone())} />
                                <div class="je-layer" aria-hidden="true">
                                    if let Some(p) = &*problem {
                                        <div class="je-mark" data-line={p.line.to_string()}
                                            style={format!("top: {}px{}", line_top(p.line.saturating_sub(1) as usize),
                                                if p.before.is_empty() && p.indent > MAX_PREFIX_CHARS { format!("; padding-left: {}ch", p.indent) } else { String::new() })}>
                                            { p.before.clone() }<span class="je-under">{ p.span.clone() }</span>
                                        </div>
                                    }
                                </div>
                            </div>
                        </div>
                    </div>
                </div>
                if let Some(p) = &*problem {
                    <p id={error_id} class="inline-err je-error">{ format!("Not JSON at {}", p.describe()) }</p>
                }
            </div>
        }
    }

    /// The top of line `line` (0-based) in the editor's box, in pixels.
    fn line_top(line: usize) -> usize {
        line.saturating_mul(LINE_PX) + PAD_PX
    }
}
