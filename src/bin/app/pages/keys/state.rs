//! The key store page's state: whether the store is new, locked or unlocked, its listing, the
//! records set aside, the auto-lock time, the last import's report, the record shown "at rest",
//! and what is running or failed; the actions that change it.
//!
//! Plain data for every target, tested natively. The component runs each call on the store
//! (`services::keystore`) and dispatches its answer here; nothing here touches storage.

use secplay::keystore::format::record_header;
use secplay::keystore::seal::NONCE_LEN;
use secplay::keystore::sync::Event;
use secplay::keystore::{ImportReport, Issue, Listing};

/// Bytes of a record shown in the hex view (the rest is counted, not shown).
pub const HEX_SHOWN: usize = 256;

/// Where the store stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Not read yet.
    Unknown,
    /// No passphrase set: the first unlock creates the store.
    New,
    /// Passphrase set, key not held.
    Locked,
    /// Key held.
    Unlocked,
}

/// Why the page cannot use the store's database (each has its own message).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DbProblem {
    /// This tab must upgrade the database and an older tab keeps it open.
    Blocked,
    /// The database was deleted while open (site data cleared, or another tab deleted it).
    Deleted,
    /// Another tab opened it with a newer secplay; this tab let go.
    Upgraded,
}

impl DbProblem {
    /// The problem a failure code names, if it is one of these.
    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "Blocked" => Some(Self::Blocked),
            "Deleted" => Some(Self::Deleted),
            "Upgraded" => Some(Self::Upgraded),
            _ => None,
        }
    }

    /// Its name in the page (`data-problem`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Blocked => "blocked",
            Self::Deleted => "deleted",
            Self::Upgraded => "upgraded",
        }
    }

    /// What happened, in words.
    pub fn what(self) -> &'static str {
        match self {
            Self::Blocked => {
                "This tab must upgrade the key store's database, and another secplay tab (an older \
                 version, still open) keeps it and will not let go. Nothing was read or changed."
            }
            Self::Deleted => {
                "The key store's database was deleted while this tab had it open: the site's data \
                 was cleared, or another tab deleted it. This tab wrote nothing after that."
            }
            Self::Upgraded => {
                "Another tab opened the key store with a newer version of secplay, so this tab let \
                 go of it (an old tab must not block the upgrade). Nothing was lost."
            }
        }
    }

    /// What the user can do; `unlocked`: this tab still holds decrypted records.
    pub fn todo(self, unlocked: bool) -> &'static str {
        match (self, unlocked) {
            (Self::Blocked, _) => "Close or reload the other secplay tabs, then press Retry.",
            (Self::Deleted, true) => {
                "The records this tab unlocked are still in its memory: make a backup below now, \
                 then reload to start a new store and restore the backup into it."
            }
            (Self::Deleted, false) => {
                "Reload to start a new, empty store; restore a backup into it if you made one."
            }
            (Self::Upgraded, _) => "Reload this page to use the new version.",
        }
    }
}

/// A record as stored, beside what its decryption says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AtRest {
    /// The record id.
    pub id: String,
    /// Its bytes in IndexedDB.
    pub raw: Vec<u8>,
    /// Name, created, updated and data length, from the decrypted record (unlocked only).
    pub decrypted: Option<(String, u64, u64, usize)>,
}

/// One labelled byte range of a stored record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    /// What it is.
    pub label: &'static str,
    /// Its offset.
    pub start: usize,
    /// Its length.
    pub len: usize,
    /// What it reads as, when readable without the key.
    pub value: String,
}

impl AtRest {
    /// The record's fields as laid out in `secplay::keystore::format` (readable ones decoded).
    pub fn fields(&self) -> Vec<Field> {
        let Ok(h) = record_header(&self.id, &self.raw) else {
            return vec![Field {
                label: "unreadable",
                start: 0,
                len: self.raw.len(),
                value: "not a record (damaged?)".into(),
            }];
        };
        let k = h.kind.len();
        let field = |label, start, len, value: String| Field { label, start, len, value };
        vec![
            field("magic", 0, 4, "SPKR".into()),
            field("format version", 4, 1, "1".into()),
            field("kind length", 5, 1, k.to_string()),
            field("kind", 6, k, h.kind.clone()),
            field("record version", 6 + k, 4, h.version.to_string()),
            field("nonce", 10 + k, NONCE_LEN, "random per write".into()),
            field(
                "ciphertext + tag",
                10 + k + NONCE_LEN,
                self.raw.len().saturating_sub(10 + k + NONCE_LEN),
                "AES-256-GCM: times, name and data".into(),
            ),
        ]
    }

    /// The first [`HEX_SHOWN`] bytes as hex dump lines (`offset  16 bytes in hex`).
    pub fn hex_lines(&self) -> Vec<String> {
        hex_lines(self.raw.get(..HEX_SHOWN.min(self.raw.len())).unwrap_or_default())
    }
}

/// Hex dump lines, 16 bytes each, with their offsets.
pub fn hex_lines(bytes: &[u8]) -> Vec<String> {
    bytes
        .chunks(16)
        .enumerate()
        .map(|(i, c)| {
            let hex: Vec<String> = c.iter().map(|b| format!("{b:02x}")).collect();
            format!("{:04x}  {}", i * 16, hex.join(" "))
        })
        .collect()
}

/// What the page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeysState {
    pub status: Status,
    /// The listing: names and times only while unlocked.
    pub entries: Vec<Listing>,
    /// Records set aside at the last unlock.
    pub issues: Vec<Issue>,
    /// Idle minutes before the store locks itself (unlocked only).
    pub auto_lock: Option<u32>,
    /// The call running, in words (buttons wait for it).
    pub busy: Option<String>,
    /// The last failure: code and message.
    pub error: Option<(String, String)>,
    /// The last success, in words.
    pub notice: Option<String>,
    /// The last import's report.
    pub imported: Option<ImportReport>,
    /// The record shown at rest.
    pub at_rest: Option<AtRest>,
    /// Why the database cannot be used, if it cannot.
    pub problem: Option<DbProblem>,
}

impl Default for KeysState {
    fn default() -> Self {
        Self {
            status: Status::Unknown,
            entries: Vec::new(),
            issues: Vec::new(),
            auto_lock: None,
            busy: None,
            error: None,
            notice: None,
            imported: None,
            at_rest: None,
            problem: None,
        }
    }
}

/// What can happen on the page.
#[derive(Debug)]
pub enum Action {
    /// A call started (in words).
    Busy(String),
    /// A call failed: code and message.
    Failed(String, String),
    /// The store was read: whether it has a passphrase, whether it is unlocked, its listing.
    Loaded { initialized: bool, unlocked: bool, entries: Vec<Listing> },
    /// Unlocked (or created): the records set aside and the auto-lock time.
    Unlocked { issues: Vec<Issue>, auto_lock: u32 },
    /// Locked (by the user, by auto-lock or by another page).
    Locked,
    /// The auto-lock time was saved.
    AutoLock(u32),
    /// A write finished, in words (the component lists again).
    Done(String),
    /// A backup was imported.
    Imported(ImportReport),
    /// A record's bytes at rest were read.
    AtRest(AtRest),
    /// Another tab changed or locked the store, or the database was taken away.
    Elsewhere(Event),
    /// Try the database again (after [`DbProblem::Blocked`]).
    Retry,
}

impl KeysState {
    /// The state after `action`.
    pub fn reduce(mut self, action: Action) -> Self {
        match action {
            Action::Busy(what) => {
                self.busy = Some(what);
                self.error = None;
                self.notice = None;
            }
            Action::Failed(code, message) => {
                self.busy = None;
                if code == "Locked" {
                    self.lock();
                }
                if let Some(p) = DbProblem::from_code(&code) {
                    self.problem = Some(p);
                }
                self.error = Some((code, message));
            }
            Action::Loaded { initialized, unlocked, entries } => {
                self.busy = None;
                self.status = match (initialized, unlocked) {
                    (false, _) => Status::New,
                    (true, false) => Status::Locked,
                    (true, true) => Status::Unlocked,
                };
                if self.status != Status::Unlocked {
                    self.lock();
                }
                self.entries = entries;
            }
            Action::Unlocked { issues, auto_lock } => {
                self.busy = None;
                self.status = Status::Unlocked;
                self.auto_lock = Some(auto_lock);
                self.notice = Some(if issues.is_empty() {
                    "Unlocked: every record authenticated.".into()
                } else {
                    format!("Unlocked; {} set aside (see below).", plural(issues.len(), "record"))
                });
                self.issues = issues;
            }
            Action::Locked => {
                self.busy = None;
                if self.status == Status::Unlocked {
                    self.status = Status::Locked;
                }
                self.lock();
                self.notice = Some("Locked: the key and every decrypted record were dropped.".into());
            }
            Action::AutoLock(m) => {
                self.busy = None;
                self.auto_lock = Some(m);
                self.notice = Some(if m == 0 {
                    "The store no longer locks itself.".into()
                } else {
                    format!("The store locks itself after {} idle.", plural(m as usize, "minute"))
                });
            }
            Action::Done(what) => {
                self.busy = None;
                self.notice = Some(what);
            }
            Action::Imported(report) => {
                self.busy = None;
                self.notice = Some(format!(
                    "Imported: {} added, {} unchanged, {} in conflict (kept as they were), {} removed.",
                    report.added.len(),
                    report.unchanged.len(),
                    report.conflicts.len(),
                    report.removed.len()
                ));
                self.imported = Some(report);
            }
            Action::AtRest(r) => {
                self.busy = None;
                self.at_rest = Some(r);
            }
            Action::Elsewhere(Event::Changed) => {
                self.notice = Some("Changed in another tab: the list below was read again.".into());
            }
            Action::Elsewhere(Event::Locked) => {
                let was = self.status == Status::Unlocked;
                self.lock();
                if was {
                    self.notice = Some("Locked in another tab, or by auto-lock: unlock again here.".into());
                }
            }
            Action::Elsewhere(Event::Deleted) => self.problem = Some(DbProblem::Deleted),
            Action::Elsewhere(Event::Upgraded) => self.problem = Some(DbProblem::Upgraded),
            Action::Retry => {
                self.problem = None;
                self.error = None;
                self.status = Status::Unknown;
            }
        }
        self
    }

    /// Forgets everything decrypted (names, times, the decrypted half of the at-rest view).
    fn lock(&mut self) {
        if self.status == Status::Unlocked {
            self.status = Status::Locked;
        }
        self.auto_lock = None;
        self.issues.clear();
        for e in &mut self.entries {
            e.detail = None;
        }
        if let Some(r) = &mut self.at_rest {
            r.decrypted = None;
        }
    }

    /// Whether the key is held.
    pub fn unlocked(&self) -> bool {
        self.status == Status::Unlocked
    }
}

/// "1 record", "3 records".
pub fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

reducible!(KeysState, Action);

#[cfg(test)]
mod tests {
    use secplay::keystore::format::{encode_record, Body, RecordHeader};
    use secplay::keystore::{IssueKind, Kek};

    use super::*;

    fn listing(id: &str, name: Option<&str>) -> Listing {
        Listing {
            id: id.into(),
            kind: "raw-aes-keyring".into(),
            version: 1,
            detail: name.map(|n| (n.into(), 1, 2)),
            set_aside: false,
        }
    }

    #[test]
    fn a_new_store_then_unlocked_then_locked_forgets_names() {
        let s = KeysState::default().reduce(Action::Loaded {
            initialized: false,
            unlocked: false,
            entries: vec![],
        });
        assert_eq!(s.status, Status::New);
        let s = s.reduce(Action::Unlocked { issues: vec![], auto_lock: 15 });
        assert!(s.unlocked());
        let s = s.reduce(Action::Loaded {
            initialized: true,
            unlocked: true,
            entries: vec![listing("a", Some("A"))],
        });
        assert_eq!(s.entries[0].detail.as_ref().map(|d| d.0.as_str()), Some("A"));
        let s = s.reduce(Action::Locked);
        assert_eq!(s.status, Status::Locked);
        assert_eq!(s.entries[0].detail, None, "no name once locked");
        assert_eq!(s.auto_lock, None);
    }

    #[test]
    fn a_locked_error_locks_the_page_and_issues_are_counted() {
        let issue = Issue { id: "x".into(), kind: IssueKind::Corrupted, detail: "bad".into() };
        let s = KeysState::default().reduce(Action::Unlocked { issues: vec![issue], auto_lock: 5 });
        assert!(s.notice.as_deref().unwrap_or_default().contains("1 record set aside"));
        let s =
            s.reduce(Action::Busy("Reading".into())).reduce(Action::Failed("Locked".into(), "locked".into()));
        assert_eq!(s.status, Status::Locked);
        assert!(s.issues.is_empty() && s.busy.is_none());
        assert_eq!(s.error.as_ref().map(|e| e.0.as_str()), Some("Locked"));
    }

    #[test]
    fn another_tab_locks_this_one_and_database_problems_have_their_own_message() {
        let s = KeysState::default().reduce(Action::Unlocked { issues: vec![], auto_lock: 5 }).reduce(
            Action::Loaded { initialized: true, unlocked: true, entries: vec![listing("a", Some("A"))] },
        );
        let s = s.reduce(Action::Elsewhere(Event::Changed));
        assert!(s.unlocked(), "a change elsewhere does not lock");
        let s = s.reduce(Action::Elsewhere(Event::Locked));
        assert_eq!(s.status, Status::Locked);
        assert_eq!(s.entries[0].detail, None, "no name once locked elsewhere");
        assert!(s.notice.as_deref().unwrap_or_default().contains("another tab"));
        assert_eq!(s.problem, None);

        let s = s.reduce(Action::Elsewhere(Event::Deleted));
        assert_eq!(s.problem, Some(DbProblem::Deleted));
        let s = KeysState::default().reduce(Action::Failed("Blocked".into(), "blocked".into()));
        assert_eq!(s.problem, Some(DbProblem::Blocked));
        let s = s.reduce(Action::Retry);
        assert_eq!((s.problem, s.status), (None, Status::Unknown));
        let s = s.reduce(Action::Failed("Upgraded".into(), "x".into()));
        assert_eq!(s.problem, Some(DbProblem::Upgraded));
        assert_eq!(DbProblem::from_code("WrongPassphrase"), None);
        for p in [DbProblem::Blocked, DbProblem::Deleted, DbProblem::Upgraded] {
            assert_ne!(p.what(), p.todo(true));
            assert_eq!(
                DbProblem::from_code(&format!("{}{}", &p.name()[..1].to_uppercase(), &p.name()[1..])),
                Some(p)
            );
        }
        assert!(DbProblem::Deleted.todo(true).contains("backup"), "unlocked records can still be saved");
        assert!(DbProblem::Blocked.todo(false).contains("Retry"));
    }

    #[test]
    fn the_at_rest_view_labels_every_byte_of_a_record() {
        let kek = Kek::from_bytes([7; 32]);
        let body = Body { created_at: 1, updated_at: 2, name: "n".into(), data: vec![9; 32] };
        let raw =
            encode_record(&kek, "k", &RecordHeader { kind: "raw-aes-keyring".into(), version: 3 }, &body)
                .unwrap();
        let r = AtRest { id: "k".into(), raw: raw.clone(), decrypted: None };
        let f = r.fields();
        assert_eq!(f.iter().map(|f| f.len).sum::<usize>(), raw.len());
        assert_eq!(f[3].value, "raw-aes-keyring");
        assert_eq!(f[4].value, "3");
        for w in f.windows(2) {
            assert_eq!(w[0].start + w[0].len, w[1].start, "{} then {}", w[0].label, w[1].label);
        }
        assert_eq!(r.hex_lines()[0].split(' ').next(), Some("0000"));
        assert_eq!(
            hex_lines(&[0xab; 17]),
            vec![format!("0000  {}", ["ab"; 16].join(" ")), "0010  ab".into()]
        );
        let damaged = AtRest { id: "k".into(), raw: b"junk".to_vec(), decrypted: None };
        assert_eq!(damaged.fields()[0].label, "unreadable");
    }
}
