//! A JSON editor for the pages that take JSON (WAF, S3, Firewall Manager, KMS requests): line
//! numbers beside a textarea that does not wrap (so line N is always N line-heights down), a
//! "Format" button, and where the text stops being JSON: the line marked in the gutter, the
//! offending characters underlined in a layer over the textarea, and the error as text the
//! textarea points at (`aria-describedby`, `aria-invalid`).
//!
//! Cheap on big texts: the gutter is one text node rebuilt only when the line count changes;
//! scrolling moves the gutter and the layer directly, without a render; the check reads the text
//! into nothing (`text::check`). Tab leaves the textarea as usual (nothing here catches keys).
//! Not here: the policy page's editor (`policy/editor.rs`, which tints statements), a page's own
//! validation (the WAF's errors with their JSON pointers stay the page's).

pub mod text;

#[cfg(target_arch = "wasm32")]
pub use view::{FormatButton, JsonEditor};

#[cfg(target_arch = "wasm32")]
mod view {
    use wasm_bindgen::JsCast;
    use yew::prelude::*;

    use super::text::{self, MAX_PREFIX_CHARS};

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

    /// Moves the gutter and the underline layer to the textarea's scroll position.
    fn sync(area: &NodeRef, gutter: &NodeRef, layer: &NodeRef) {
        let Some(area) = area.cast::<web_sys::Element>() else { return };
        let (top, left) = (area.scroll_top(), area.scroll_left());
        if let Some(g) = gutter.cast::<web_sys::Element>() {
            g.set_scroll_top(top);
        }
        if let Some(l) = layer.cast::<web_sys::Element>() {
            let _ = l.set_attribute("style", &format!("transform: translate({}px, {}px)", -left, -top));
        }
    }

    #[function_component]
    pub fn JsonEditor(props: &JsonEditorProps) -> Html {
        let (area, gutter, layer) = (use_node_ref(), use_node_ref(), use_node_ref());
        let lines = text::line_count(&props.value);
        let numbers = use_memo(lines, |n| AttrValue::from(text::gutter(*n)));
        // The gutter is as wide as the longest number; its numbers do not size the editor's height
        // (they sit in a box of its height, scrolled with the text).
        let digits = lines.to_string().len().max(2);
        let problem = use_memo(props.value.clone(), |v| text::check(v));
        {
            let (a, g, l) = (area.clone(), gutter.clone(), layer.clone());
            use_effect(move || sync(&a, &g, &l));
        }
        let onscroll = {
            let (a, g, l) = (area.clone(), gutter.clone(), layer.clone());
            Callback::from(move |_: Event| sync(&a, &g, &l))
        };
        let oninput = {
            let cb = props.oninput.clone();
            Callback::from(move |e: InputEvent| {
                if let Some(t) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                    cb.emit(t.value());
                }
            })
        };
        let error_id = format!("{}-json-error", props.id);
        let top = |line: u32| (line as usize).saturating_sub(1).saturating_mul(LINE_PX) + PAD_PX;
        html! {
            <div class="je">
                <div class="je-bar">
                    <FormatButton for_id={props.id.clone()} what={props.what.clone()} text={props.value.clone()}
                        onformat={props.oninput.clone()} />
                </div>
                <div class={classes!("je-box", problem.is_some().then_some("je-bad"))}>
                    <div class="je-gutter" aria-hidden="true" style={format!("width: calc({digits}ch + 16px)")}>
                        <div class="je-gutter-in" ref={gutter}>
                            <pre class="je-nums">{ (*numbers).clone() }</pre>
                            if let Some(p) = &*problem {
                                <div class="je-errline" data-line={p.line.to_string()} style={format!("top: {}px", top(p.line))}></div>
                            }
                        </div>
                    </div>
                    <div class="je-main">
                        <textarea id={props.id.clone()} ref={area} class="je-input" rows={props.rows.to_string()}
                            spellcheck="false" autocomplete="off" wrap="off" value={props.value.clone()}
                            placeholder={props.placeholder.clone()} {oninput} {onscroll}
                            aria-invalid={problem.is_some().then_some("true")}
                            aria-describedby={problem.is_some().then(|| error_id.clone())} />
                        <div class="je-clip" aria-hidden="true">
                            <div class="je-layer" ref={layer}>
                                if let Some(p) = &*problem {
                                    <div class="je-mark" data-line={p.line.to_string()}
                                        style={format!("top: {}px{}", top(p.line),
                                            if p.before.is_empty() && p.indent > MAX_PREFIX_CHARS { format!("; padding-left: {}ch", p.indent) } else { String::new() })}>
                                        { p.before.clone() }<span class="je-under">{ p.span.clone() }</span>
                                    </div>
                                }
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
}
