//! A policy editor: a plain textarea laid over a line-numbered copy of its text in which ranges
//! are marked (findings underlined, deciding statements tinted).
//!
//! The textarea never scrolls on its own: it is exactly as tall as the copy behind it, and both
//! scroll together inside one box, so the marks stay under the characters they belong to. Both
//! wrap long lines the same way (same font, width, padding and `pre-wrap` rules).

use yew::prelude::*;

use super::analysis::Mark;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// Suffix of the element ids: `policy-{id}` (textarea), `editor-{id}` (the box).
    pub id: AttrValue,
    pub text: AttrValue,
    pub marks: Vec<Mark>,
    pub oninput: Callback<String>,
    #[prop_or_default]
    pub placeholder: AttrValue,
    /// The id of the findings list, which the textarea points at (`aria-describedby`).
    #[prop_or_default]
    pub described_by: Option<AttrValue>,
}

/// One piece of a line: characters `[from, to)` with the classes of the marks covering them.
/// `to > len` means the marks run past the end of the line (shown as one marked space).
fn pieces(line_no: u32, chars: usize, marks: &[Mark]) -> Vec<(usize, usize, Vec<&'static str>)> {
    let ln = line_no;
    let covering: Vec<(usize, usize, &'static str)> = marks
        .iter()
        .filter(|m| m.start.0 <= ln && ln <= m.end.0)
        .map(|m| {
            let from = if m.start.0 == ln { m.start.1.saturating_sub(1) as usize } else { 0 };
            let mut to = if m.end.0 == ln { m.end.1.saturating_sub(1) as usize } else { chars + 1 };
            if to <= from {
                // An empty range (a position, such as where malformed JSON stops): to the end of
                // the line, or one marked space at its end.
                to = if from < chars { chars } else { from + 1 };
            }
            (from.min(chars), to.min(chars + 1), m.class)
        })
        .filter(|(f, t, _)| f < t)
        .collect();
    let mut cuts: Vec<usize> = vec![0, chars];
    for (f, t, _) in &covering {
        cuts.push(*f);
        cuts.push(*t);
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .filter_map(|w| match w {
            [a, b] => Some((*a, *b)),
            _ => None,
        })
        .map(|(a, b)| {
            let classes =
                covering.iter().filter(|(f, t, _)| *f <= a && b <= *t).map(|(_, _, c)| *c).collect();
            (a, b, classes)
        })
        .collect()
}

fn line_html(no: u32, line: &str, marks: &[Mark]) -> Html {
    let chars: Vec<char> = line.chars().collect();
    let len = chars.len();
    let on_line: Vec<&Mark> = marks.iter().filter(|m| m.start.0 <= no && no <= m.end.0).collect();
    let mut num_class: Vec<&'static str> = vec!["ed-num"];
    for m in &on_line {
        let c = match m.class {
            "mk-allow" => "num-allow",
            "mk-deny" => "num-deny",
            "mk-error" => "num-error",
            "mk-security" | "mk-warning" => "num-warning",
            _ => "num-suggestion",
        };
        if !num_class.contains(&c) {
            num_class.push(c);
        }
    }
    let title: Vec<&str> =
        on_line.iter().filter(|m| m.start.0 == no && !m.title.is_empty()).map(|m| m.title.as_str()).collect();
    let body: Html = pieces(no, len, marks)
        .into_iter()
        .map(|(a, b, classes)| {
            let text: String =
                if a >= len { " ".into() } else { chars.get(a..b.min(len)).unwrap_or(&[]).iter().collect() };
            if classes.is_empty() {
                html! { { text } }
            } else {
                html! { <span class={classes!(classes)}>{ text }</span> }
            }
        })
        .collect();
    html! {
        <div class="ed-line">
            <span class={classes!(num_class)} title={(!title.is_empty()).then(|| title.join("\n"))}>{ no }</span>
            <span class="ed-txt">{ body }</span>
        </div>
    }
}

/// The editor's line height in pixels (`.ed-txt` in the stylesheet).
const LINE_PX: i32 = 18;

/// Scrolls editor `id` so that `line` is near its top: the box scrolls, not the textarea.
pub fn reveal(id: &str, line: u32) {
    let box_id = format!("editor-{id}");
    if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&box_id))
    {
        // One line of context above.
        let top = i32::try_from(line.saturating_sub(2)).unwrap_or(i32::MAX).saturating_mul(LINE_PX);
        el.set_scroll_top(top);
    }
}

#[function_component]
pub fn PolicyEditor(props: &EditorProps) -> Html {
    let oninput = {
        let cb = props.oninput.clone();
        Callback::from(move |e: InputEvent| {
            use wasm_bindgen::JsCast;
            if let Some(t) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok()) {
                cb.emit(t.value());
            }
        })
    };
    let lines = props.text.split('\n').enumerate().map(|(i, l)| {
        let no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        line_html(no, l, &props.marks)
    });
    html! {
        <div class="ed" id={format!("editor-{}", props.id)}>
            <div class="ed-inner">
                <div class="ed-back" aria-hidden="true">{ for lines }</div>
                <textarea id={format!("policy-{}", props.id)} class="ed-input" spellcheck="false" autocomplete="off"
                    wrap="soft" value={props.text.clone()} oninput={oninput} placeholder={props.placeholder.clone()}
                    aria-invalid={props.marks.iter().any(|m| m.class == "mk-error").then_some("true")}
                    aria-describedby={props.described_by.clone()} />
            </div>
        </div>
    }
}
