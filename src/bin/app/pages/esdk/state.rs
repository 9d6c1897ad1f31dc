//! The Encryption SDK page's state: which tool is showing and the header inspector's input, with
//! the states of its parts beside it (`keyrings`, `settings`, `text`, `files`), and what they share:
//! a failure as the page shows it and pasted base64 read into message bytes.
//!
//! Plain Rust for every target, tested natively; in the browser each is yew's `Reducible`.

pub mod files;
pub mod keyrings;
pub mod settings;
pub mod text;

use base64::engine::general_purpose::{STANDARD as B64, URL_SAFE_NO_PAD};
use base64::Engine as _;
use secplay::crypto::esdk::EsdkError;

/// A failure to show: the engine's error code and message.
#[derive(Clone, Debug, PartialEq)]
pub struct Failure {
    pub code: String,
    pub message: String,
}

impl From<&EsdkError> for Failure {
    fn from(e: &EsdkError) -> Self {
        Self { code: e.code().to_owned(), message: e.to_string() }
    }
}

impl Failure {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self { code: code.to_owned(), message: message.into() }
    }
}

/// Pasted base64 (line breaks and spaces allowed, standard or URL-safe alphabet) to message bytes.
pub fn decode_message(text: &str) -> Result<Vec<u8>, Failure> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.is_empty() {
        return Err(Failure::new("InvalidInput", "paste a message first (base64)"));
    }
    B64.decode(&compact).or_else(|_| URL_SAFE_NO_PAD.decode(compact.trim_end_matches('='))).map_err(|_| {
        Failure::new(
            "InvalidInput",
            "this is not base64: paste the message as the Encrypt button shows it (the files tab takes raw bytes)",
        )
    })
}

/// The page's tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Text,
    Files,
    Inspect,
}

/// Which tool shows, and what the inspector reads.
#[derive(Clone, Debug, PartialEq)]
pub struct EsdkState {
    pub tab: Tab,
    pub inspect_input: String,
}

impl Default for EsdkState {
    fn default() -> Self {
        Self { tab: Tab::Text, inspect_input: String::new() }
    }
}

#[derive(Debug)]
pub enum Action {
    Tab(Tab),
    InspectInput(String),
    /// Open a message in the header inspector.
    Inspect(String),
}

impl EsdkState {
    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::Tab(t) => self.tab = t,
            Action::InspectInput(m) => self.inspect_input = m,
            Action::Inspect(m) => {
                self.inspect_input = m;
                self.tab = Tab::Inspect;
            }
        }
        self
    }
}

reducible!(EsdkState, Action);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tabs_switch_and_a_message_opens_in_the_inspector() {
        let s = EsdkState::default();
        assert_eq!(s.tab, Tab::Text);
        let s = s.reduce(Action::Tab(Tab::Files)).reduce(Action::InspectInput("AgV4".into()));
        assert_eq!((s.tab, s.inspect_input.as_str()), (Tab::Files, "AgV4"));
        let s = s.reduce(Action::Inspect("AYAA".into()));
        assert_eq!((s.tab, s.inspect_input.as_str()), (Tab::Inspect, "AYAA"));
    }

    #[test]
    fn pasted_base64_is_read_in_either_alphabet_with_line_breaks() {
        assert_eq!(decode_message("AQID\nBA==\n"), Ok(vec![1, 2, 3, 4]));
        assert_eq!(decode_message(" -_8 "), Ok(vec![0xfb, 0xff]));
        assert_eq!(decode_message("+/8="), Ok(vec![0xfb, 0xff]));
    }

    #[test]
    fn empty_or_damaged_base64_is_invalid_input() {
        for text in ["", "  \n", "not base64!", "A", "AQ=D"] {
            let e = decode_message(text).err().unwrap_or_else(|| panic!("{text:?} was read"));
            assert_eq!(e.code, "InvalidInput", "{text:?}");
        }
    }
}
