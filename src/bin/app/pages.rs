//! The playground's pages, one module each: `state` (a plain-Rust reducer, every target, tested
//! natively) beside the components that render it (wasm32). A new page is one more module here,
//! one more [`crate::route::Route`] and one arm in the shell.

pub mod acm;
pub mod diagram;
#[cfg(target_arch = "wasm32")]
pub mod diagram_view;
pub mod envelope;
pub mod esdk;
#[cfg(target_arch = "wasm32")]
pub mod file_drop;
pub mod fms;
pub mod gallery;
pub mod json_editor;
pub mod keys;
pub mod kms;
#[cfg(target_arch = "wasm32")]
pub mod later;
pub mod newest;
pub mod notes;
#[cfg(target_arch = "wasm32")]
pub mod offline;
#[cfg(target_arch = "wasm32")]
pub mod overview;
pub mod policy;
pub mod s3;
pub mod scan;
pub mod secrets;
#[cfg(target_arch = "wasm32")]
pub mod share_bar;
pub mod ssm;
pub mod theme;
pub mod waf;
pub mod waf_ddos;

/// The job a page's worker message is about, from its `id` (a JS number): the id (its whole part)
/// when it is from 1 to `u32::MAX`, else 0, which no job has (every page numbers its worker jobs
/// from 1, so a missing, negative, too large or NaN id matches none).
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
pub fn worker_job(id: f64) -> u32 {
    if id.is_finite() && id >= 1.0 && id <= f64::from(u32::MAX) {
        id as u32
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::worker_job;

    #[test]
    fn a_worker_message_id_names_a_job_only_when_whole_and_in_range() {
        assert_eq!(worker_job(1.0), 1);
        assert_eq!(worker_job(f64::from(u32::MAX)), u32::MAX);
        for odd in [0.0, -1.0, 0.5, f64::NAN, f64::INFINITY, f64::from(u32::MAX) + 1.0] {
            assert_eq!(worker_job(odd), 0, "{odd}");
        }
    }
}
