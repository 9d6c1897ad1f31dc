//! The chapter model: chapters, their steps' outcomes, variants and links to the engines' pages.

use serde_json::Value;

/// One chapter of the notes.
#[derive(Clone, Debug)]
pub struct Chapter {
    /// Stable, URL-safe (`envelope-kms`): `#/notes/<id>` opens it.
    pub id: &'static str,
    /// The digest's section, 1 to 12.
    pub section: u8,
    pub title: &'static str,
    /// What the chapter shows, in two or three sentences.
    pub summary: &'static str,
    /// Where the notes are out of date against AWS's documentation today.
    pub outdated: Vec<Outdated>,
    /// One permission removed (or one setting changed) at a time.
    pub variants: Vec<Variant>,
    /// Runs every step in order with the variant of this id applied (`None`: as written). It
    /// stops after the first step that fails without being written to fail.
    pub run: fn(Option<&str>) -> Vec<StepOutcome>,
}

/// A claim of the notes that AWS's documentation no longer supports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outdated {
    /// What the notes say.
    pub claim: &'static str,
    /// What AWS documents today.
    pub now: &'static str,
    /// The documentation page (URL).
    pub source: &'static str,
}

/// A change to the chapter's set-up and the step it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Variant {
    pub id: &'static str,
    /// What is taken away, for a person: "the key policy's kms:Decrypt for the partner account".
    pub removes: &'static str,
    /// The id of the step that then fails.
    pub fails_at: &'static str,
    /// The error code it fails with, as AWS names it (`AccessDeniedException`).
    pub error: &'static str,
}

impl Variant {
    /// The variants of one of the KMS emulator's scenarios (`kms::scenarios`), as a chapter's; none
    /// when there is no scenario of this id.
    pub fn of_kms_scenario(id: &str) -> Vec<Variant> {
        crate::kms::scenarios::by_id(id)
            .map(|s| {
                s.variants
                    .iter()
                    .map(|v| Variant { id: v.id, removes: v.label, fails_at: v.fails_at, error: v.error })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// What one step did.
#[derive(Clone, Debug, PartialEq)]
pub struct StepOutcome {
    /// Stable within the chapter (variants name it).
    pub id: &'static str,
    pub title: String,
    /// The engine that performed it, for a person ("KMS emulator", "policy engine").
    pub engine: &'static str,
    /// What AWS does here and why (the notes' section, AWS's documentation).
    pub explain: String,
    /// What it produced (shown to the reader), or the error it failed with.
    pub result: Result<String, StepError>,
    /// `Some(code)` when the step is written to fail (it shows a check AWS makes).
    pub expected_error: Option<&'static str>,
    /// The engine's page with this step's state loaded.
    pub open: Option<PageLink>,
}

/// An error as the engine reported it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepError {
    /// The engine's error code (`AccessDeniedException`, `InvalidCiphertextException`, …).
    pub code: String,
    pub message: String,
}

/// A page of the playground with a state: `route` is the page's share-link route (`#/kms`), `doc`
/// the document its share link carries (the members that page's `share` module reads). The page
/// app encodes it with `share::Format`; nothing secret may be in it (the pages' rules apply).
#[derive(Clone, Debug, PartialEq)]
pub struct PageLink {
    pub route: &'static str,
    pub doc: Value,
}

impl StepOutcome {
    /// Whether the step went as written: succeeded, or failed with the error it is written to show.
    pub fn as_written(&self) -> bool {
        match (&self.result, self.expected_error) {
            (Ok(_), None) => true,
            (Err(e), Some(code)) => e.code == code,
            _ => false,
        }
    }
}
