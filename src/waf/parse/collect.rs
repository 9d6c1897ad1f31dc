//! Gathering every error of a parse instead of stopping at the first: each independent part of
//! a document (a top-level member, a rule, a nested statement) is parsed on its own and its
//! errors are kept, up to [`MAX_ERRORS`], the rest counted. Within one part parsing still stops
//! at its first error, since what follows it would only repeat it. This is not validation.

use crate::waf::error::{WafError, MAX_ERRORS};

/// The errors found so far.
#[derive(Debug, Default)]
pub(crate) struct Errors {
    kept: Vec<WafError>,
    more: usize,
}

impl Errors {
    /// Keeps `e` (each of them when it is `Several`).
    pub(crate) fn push(&mut self, e: WafError) {
        match e {
            WafError::Several { errors, more } => {
                for one in errors {
                    self.push(one);
                }
                self.more += more;
            }
            one if self.kept.len() < MAX_ERRORS => self.kept.push(one),
            _ => self.more += 1,
        }
    }

    /// The value of `r`, or `None` with its error kept.
    pub(crate) fn ok<T>(&mut self, r: Result<T, WafError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(e);
                None
            }
        }
    }

    /// Whether no error was found so far.
    pub(crate) fn is_clean(&self) -> bool {
        self.kept.is_empty() && self.more == 0
    }

    /// `Ok(())` when nothing went wrong, else the one error or `Several`.
    pub(crate) fn check(self) -> Result<(), WafError> {
        let Self { mut kept, more } = self;
        if kept.len() == 1 && more == 0 {
            if let Some(one) = kept.pop() {
                return Err(one);
            }
        }
        if kept.is_empty() && more == 0 {
            return Ok(());
        }
        Err(WafError::Several { errors: kept, more })
    }

    /// `value` when nothing went wrong, else the errors.
    pub(crate) fn finish<T>(self, value: T) -> Result<T, WafError> {
        self.check().map(|()| value)
    }
}

/// The value a part yielded once the parse found no error: every part yields one then. The
/// error is unreachable in practice and says so rather than panicking.
pub(crate) fn parsed<T>(v: Option<T>, pointer: &str) -> Result<T, WafError> {
    v.ok_or_else(|| WafError::Request {
        pointer: crate::waf::error::display_pointer(pointer),
        reason: "internal: a part parsed without error yielded no value".to_owned(),
    })
}
