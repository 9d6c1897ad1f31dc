//! What one tab tells the others about a store, and what a store's user is told: [`Event`].
//!
//! Tabs of one browser profile share a store's IndexedDB database. When one writes or locks, the
//! others hear it on a `BroadcastChannel` named after the store ([`channel_name`]) and re-read or
//! lock. A message is one word, `changed` or `locked`: it carries no id, no name and nothing
//! secret, and a tab that receives it trusts nothing but the storage it then reads itself.
//! `upgraded` and `deleted` come from the tab's own database connection (IndexedDB's
//! `versionchange` and `close` events), never from a message. This module is the protocol only;
//! the channel and the connection are `crate::web`'s.

/// What happened to a store, as a listener sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Another tab wrote (a record put or deleted, a backup imported, the passphrase or auto-lock
    /// changed): this tab has re-read the store.
    Changed,
    /// The store was locked in another tab (by the user or by auto-lock), so it is locked here.
    Locked,
    /// Another tab opened the database with a newer schema: this tab let go of it (so that tab is
    /// not blocked) and must be reloaded.
    Upgraded,
    /// The database was deleted while open (site data cleared, or deleted by another tab).
    Deleted,
}

impl Event {
    /// The event's name (`changed`, `locked`, `upgraded`, `deleted`), as listeners see it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Changed => "changed",
            Self::Locked => "locked",
            Self::Upgraded => "upgraded",
            Self::Deleted => "deleted",
        }
    }

    /// The event a channel message stands for: only `changed` and `locked` are messages; anything
    /// else (another word, another type) is ignored.
    pub fn from_message(message: &str) -> Option<Self> {
        match message {
            "changed" => Some(Self::Changed),
            "locked" => Some(Self::Locked),
            _ => None,
        }
    }

    /// The message that tells other tabs of this event, for the two events that are sent.
    pub fn message(self) -> Option<&'static str> {
        matches!(self, Self::Changed | Self::Locked).then(|| self.name())
    }

    /// The event a closed database connection stands for (`upgraded` or `deleted`).
    pub fn from_connection(reason: &str) -> Option<Self> {
        match reason {
            "upgraded" => Some(Self::Upgraded),
            "deleted" => Some(Self::Deleted),
            _ => None,
        }
    }
}

/// The `BroadcastChannel` of store `name` (tabs of one origin with the same store share it).
pub fn channel_name(name: &str) -> String {
    format!("secplay-keystore:{name}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_changed_and_locked_travel_between_tabs() {
        for e in [Event::Changed, Event::Locked] {
            assert_eq!(e.message().and_then(Event::from_message), Some(e));
        }
        for e in [Event::Upgraded, Event::Deleted] {
            assert_eq!(e.message(), None, "{e:?} is the connection's to say, not a message");
            assert_eq!(Event::from_message(e.name()), None, "a message cannot claim {e:?}");
            assert_eq!(Event::from_connection(e.name()), Some(e));
        }
        for junk in ["", "Changed", "changed ", "{\"type\":\"changed\"}", "delete"] {
            assert_eq!(Event::from_message(junk), None, "{junk:?}");
        }
        assert_eq!(Event::from_connection("changed"), None);
        assert_eq!(channel_name("secplay"), "secplay-keystore:secplay");
    }
}
