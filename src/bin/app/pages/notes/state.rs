//! The notes page's state: which chapter is open (from the address), the variant chosen, the
//! steps run and how many are shown. Plain Rust, tested natively.
//!
//! A chapter runs all its steps at once (`Chapter::run`: they are cheap, a few milliseconds); the
//! page reveals them one at a time ("Next step") or all ("Run all"). Choosing a variant reruns the
//! chapter with it and shows every step up to the one that fails.

use secplay::notes::{self, Chapter, StepOutcome};

/// The digest's sections (`../shared/seed/DIGEST.md`), 1 to 12.
pub const SECTIONS: [&str; 12] = [
    "Encryption 101",
    "KMS",
    "Snapshots across regions and accounts",
    "Key policies",
    "Multi-region keys",
    "S3 replication and encryption",
    "AMI sharing with KMS",
    "SSM Parameter Store",
    "Secrets Manager",
    "ACM and API Gateway",
    "WAF, Shield, Firewall Manager, DDoS practices",
    "GuardDuty, Inspector, Macie",
];

/// The section's name (`§3 Snapshots …`).
pub fn section_name(section: u8) -> String {
    let name = SECTIONS.get(usize::from(section).wrapping_sub(1)).copied().unwrap_or("?");
    format!("§{section} {name}")
}

/// The chapter id in a `location.hash` (`#/notes/<id>`), if any.
pub fn chapter_id(hash: &str) -> Option<&str> {
    let path = hash.trim_start_matches('#').trim_start_matches('/');
    let rest = path.strip_prefix("notes/")?;
    let id = rest.split(['?', '/']).next().unwrap_or_default();
    (!id.is_empty()).then_some(id)
}

/// The chapters grouped by section, in order (sections without a chapter left out).
pub fn index() -> Vec<(u8, Vec<Chapter>)> {
    let mut out: Vec<(u8, Vec<Chapter>)> = Vec::new();
    for c in notes::all() {
        match out.last_mut() {
            Some((s, list)) if *s == c.section => list.push(c),
            _ => out.push((c.section, vec![c])),
        }
    }
    out
}

#[derive(Clone, Debug, Default)]
pub struct NotesState {
    /// The chapter open, `None` on the list.
    pub chapter: Option<Chapter>,
    /// An id in the address that names no chapter.
    pub unknown: Option<String>,
    /// The variant applied (its id), `None` as written.
    pub variant: Option<&'static str>,
    /// Every step the run made.
    pub steps: Vec<StepOutcome>,
    /// How many of them are shown.
    pub shown: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// The address changed: open the chapter it names (or the list).
    Open(String),
    /// Choose a variant by id (empty: as written); reruns the chapter.
    Variant(String),
    /// Show one more step.
    Next,
    /// Show every step.
    RunAll,
}

impl NotesState {
    /// The state for an address.
    pub fn at(hash: &str) -> Self {
        Self::default().reduce(Action::Open(hash.to_owned()))
    }

    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::Open(hash) => {
                let id = chapter_id(&hash);
                if id.is_some() && id == self.chapter.as_ref().map(|c| c.id) {
                    return self;
                }
                self = Self::default();
                if let Some(id) = id {
                    match notes::find(id) {
                        Some(c) => {
                            self.steps = (c.run)(None);
                            self.chapter = Some(c);
                        }
                        None => self.unknown = Some(id.chars().take(80).collect()),
                    }
                }
            }
            Action::Variant(id) => {
                let Some(c) = &self.chapter else { return self };
                self.variant = c.variants.iter().find(|v| v.id == id).map(|v| v.id);
                self.steps = (c.run)(self.variant);
                self.shown = if self.variant.is_some() { self.steps.len() } else { 0 };
            }
            Action::Next => self.shown = (self.shown + 1).min(self.steps.len()),
            Action::RunAll => self.shown = self.steps.len(),
        }
        self
    }

    /// The steps shown.
    pub fn visible(&self) -> &[StepOutcome] {
        self.steps.get(..self.shown).unwrap_or(&self.steps)
    }

    /// Whether every step is shown.
    pub fn done(&self) -> bool {
        self.shown >= self.steps.len()
    }

    /// With a variant, once its step is shown: whether it failed as the variant says.
    pub fn variant_verdict(&self) -> Option<bool> {
        let c = self.chapter.as_ref()?;
        let v = c.variants.iter().find(|v| Some(v.id) == self.variant)?;
        let step = self.visible().iter().find(|s| s.id == v.fails_at)?;
        Some(matches!(&step.result, Err(e) if e.code == v.error))
    }
}

reducible!(NotesState, Action);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_names_the_chapter() {
        assert_eq!(chapter_id("#/notes/envelope-kms"), Some("envelope-kms"));
        assert_eq!(chapter_id("#/notes/envelope-kms?x=1"), Some("envelope-kms"));
        assert_eq!(chapter_id("#/notes"), None);
        assert_eq!(chapter_id("#/notes/"), None);
        assert_eq!(chapter_id("#/kms"), None);
    }

    #[test]
    fn steps_are_revealed_one_at_a_time() {
        let s = NotesState::at("#/notes/envelope-kms");
        assert_eq!(s.chapter.as_ref().map(|c| c.id), Some("envelope-kms"));
        assert_eq!(s.shown, 0);
        let s = s.reduce(Action::Next);
        assert_eq!(s.visible().len(), 1);
        let s = s.reduce(Action::RunAll);
        assert!(s.done() && s.visible().iter().all(StepOutcome::as_written));
        // The same address again keeps what is shown.
        let again = s.clone().reduce(Action::Open("#/notes/envelope-kms".into()));
        assert!(again.done());
    }

    #[test]
    fn a_variant_shows_its_failing_step() {
        let s = NotesState::at("#/notes/envelope-kms").reduce(Action::Variant("no-decrypt".into()));
        assert_eq!(s.variant, Some("no-decrypt"));
        assert_eq!(s.variant_verdict(), Some(true));
        let last = s.visible().last().unwrap();
        assert_eq!(last.id, "unwrap");
        let back = s.reduce(Action::Variant(String::new()));
        assert_eq!((back.variant, back.shown), (None, 0));
    }

    #[test]
    fn an_unknown_chapter_is_said_and_the_list_has_every_chapter() {
        let s = NotesState::at("#/notes/nope");
        assert!(s.chapter.is_none());
        assert_eq!(s.unknown.as_deref(), Some("nope"));
        let listed: usize = index().iter().map(|(_, l)| l.len()).sum();
        assert_eq!(listed, notes::all().len());
        assert_eq!(section_name(1), "§1 Encryption 101");
        assert_eq!(section_name(0), "§0 ?");
    }
}
