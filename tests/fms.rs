//! Firewall Manager engine tests: each case is written from the FMS documentation (URL in the
//! test's comment) against `secplay::fms::json::evaluate`, over small organisations built here
//! and the page's example (`src/fms/examples/`), plus reading errors with their JSON pointers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]

#[path = "fms/cases.rs"]
mod cases;
#[path = "fms/reading.rs"]
mod reading;
