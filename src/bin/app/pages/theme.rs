//! The header's theme toggle: follow the system (`prefers-color-scheme`), or always light, or always
//! dark. [`Theme`] is plain Rust (tested natively); the component (wasm32) renders a labelled
//! `<select>` (keyboard-reachable, read by screen readers) and announces a change in a polite live
//! region. Storage and the `<html data-theme>` attribute are `services::theme`'s; `www/style.css`
//! holds the colours and `www/theme.js` applies a saved choice before the first paint.

/// The user's choice of theme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Whatever `prefers-color-scheme` says (nothing stored, no `data-theme`).
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    /// Every choice, in the toggle's order.
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The stored or `<option>` value: `system`, `light` or `dark`.
    pub fn value(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// A stored or selected value; anything unknown (an old or edited entry) follows the system.
    pub fn parse(value: &str) -> Self {
        match value {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// The `<html data-theme>` value and the stored one: none when the system decides.
    pub fn attribute(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light | Theme::Dark => Some(self.value()),
        }
    }

    /// The option's label.
    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    /// What the live region says after a change.
    pub fn announcement(self) -> &'static str {
        match self {
            Theme::System => "Theme follows the system setting",
            Theme::Light => "Light theme on",
            Theme::Dark => "Dark theme on",
        }
    }
}

// The home module shows the toggle; the page chunks compile this module without using it.
#[cfg(target_arch = "wasm32")]
#[allow(unused_imports)]
pub use view::ThemeToggle;

#[cfg(target_arch = "wasm32")]
mod view {
    use wasm_bindgen::JsCast;
    use web_sys::HtmlSelectElement;
    use yew::prelude::*;

    use super::Theme;
    use crate::services::theme as store;

    #[function_component]
    pub fn ThemeToggle() -> Html {
        let theme = use_state(|| store::saved().map(|v| Theme::parse(&v)).unwrap_or_default());
        // Empty until the user changes something: a screen reader hears the change, not the load.
        let said = use_state(String::new);
        let on_change = {
            let (theme, said) = (theme.clone(), said.clone());
            Callback::from(move |e: Event| {
                let select = e.target().and_then(|t| t.dyn_into::<HtmlSelectElement>().ok());
                let Some(chosen) = select.map(|s| Theme::parse(&s.value())) else {
                    return;
                };
                store::apply(chosen.attribute());
                theme.set(chosen);
                said.set(chosen.announcement().to_owned());
            })
        };
        html! {
            <div class="theme-toggle">
                <label for="theme">{"Theme"}</label>
                <select id="theme" onchange={on_change}>
                    { for Theme::ALL.iter().map(|t| html! {
                        <option value={t.value()} selected={*t == *theme}>{ t.label() }</option>
                    }) }
                </select>
                <span id="theme-status" class="visually-hidden" role="status">{ (*said).clone() }</span>
            </div>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Theme;

    #[test]
    fn every_value_parses_back_to_its_theme() {
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.value()), t);
        }
    }

    #[test]
    fn only_an_explicit_choice_is_stored() {
        assert_eq!(Theme::System.attribute(), None);
        assert_eq!(Theme::Light.attribute(), Some("light"));
        assert_eq!(Theme::Dark.attribute(), Some("dark"));
    }

    #[test]
    fn an_unknown_stored_value_follows_the_system() {
        for v in ["", "Dark", "blue", "dark "] {
            assert_eq!(Theme::parse(v), Theme::System, "{v:?}");
        }
    }
}
