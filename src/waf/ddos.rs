//! DDoS practice: floods generated on the simulated clock and run through a web ACL's
//! rate-based rules (`scenario` describes and generates them, `sim` runs them and reports per
//! time bucket), and the BP1–BP7 checklist of AWS's "Best Practices for DDoS Resiliency" for a
//! described architecture (`checklist`). `json` is the JSON layer the JS API wraps. Pure Rust:
//! no clock, no network; every run is deterministic for a seed. Not modelled: connection-level
//! attacks (SYN floods, slowloris byte-trickling), which CloudFront and load balancers absorb
//! before a web ACL sees a request, and AWS's recency-weighted rate estimate.

pub mod checklist;
pub mod json;
pub mod rng;
pub mod scenario;
pub mod sim;

pub use scenario::Scenario;
pub use sim::{run, SimOptions};
