//! The playground's pages, one file each.

pub mod envelope;
pub mod esdk;
pub mod overview;
pub mod policy;
pub mod waf;
