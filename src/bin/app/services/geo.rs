//! The WAF page's offline geo database: fetched from the page's own origin (`pkg/geo.bin`, built by
//! `make pkg` from the `@ip-location-db` npm packages) with `gloo-net`, and checked by the engine
//! (`secplay::waf::geo`). I/O only; lookups are the engine's.

use std::sync::Arc;

use gloo_net::http::Request;
use secplay::waf::geo::GeoDb;

/// Same origin, relative to the page (dist/pkg/ is the npm package, geo.bin included).
pub const URL: &str = "pkg/geo.bin";

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Fetches and checks the database; answers it (or why not) and the milliseconds it took.
pub async fn load() -> (Result<Arc<GeoDb>, String>, u32) {
    let start = now_ms();
    let result = fetch().await;
    // Whole milliseconds of a fetch: far inside u32.
    let millis = (now_ms() - start).max(0.0) as u32;
    (result, millis)
}

async fn fetch() -> Result<Arc<GeoDb>, String> {
    let response = Request::get(URL).send().await.map_err(|e| format!("fetching {URL} failed: {e}"))?;
    if !response.ok() {
        return Err(format!("{URL} answered HTTP {}; build it with `make dist`", response.status()));
    }
    let bytes = response.binary().await.map_err(|e| format!("reading {URL} failed: {e}"))?;
    GeoDb::from_vec(bytes).map(Arc::new).map_err(|e| e.to_string())
}
