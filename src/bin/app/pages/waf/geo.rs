//! The WAF page's offline geo database: fetched from this page's own origin (`pkg/geo.bin`, built by
//! `make pkg` from the `@ip-location-db` npm packages) the first time a GeoMatch/AsnMatch rule meets
//! a request without a country, then kept for the page's lifetime. I/O only; lookups are
//! `secplay::waf::geo`.

use std::sync::Arc;

use js_sys::{Function, Promise, Reflect, Uint8Array};
use secplay::waf::geo::GeoDb;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Same origin, relative to the page (dist/pkg/ is the npm package, geo.bin included).
pub const URL: &str = "pkg/geo.bin";

/// Attribution the data's licences ask for.
pub const ATTRIBUTION: &str =
    "Country from the offline database geo-whois-asn-country (CC0; RIR WHOIS data, NRO, CC-BY-4.0), \
    ASN from ip-location-db asn (CC-BY-4.0; RouteViews and DB-IP), both by sapics/ip-location-db via npm.";

/// Where the database stands.
#[derive(Clone, PartialEq)]
pub enum GeoStatus {
    /// Not needed yet, so not fetched.
    NotLoaded,
    /// Being fetched.
    Loading,
    /// Loaded: ranges in all four tables and the size in bytes.
    Ready { ranges: usize, bytes: usize, millis: u32 },
    /// Fetching or checking failed.
    Failed(String),
}

async fn call_promise(target: &JsValue, method: &str, arg: Option<&JsValue>) -> Result<JsValue, String> {
    let f: Function = Reflect::get(target, &method.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("this browser has no `{method}`"))?;
    let p = match arg {
        Some(a) => f.call1(target, a),
        None => f.call0(target),
    }
    .map_err(|e| format!("{method} failed: {}", e.as_string().unwrap_or_default()))?;
    JsFuture::from(Promise::from(p)).await.map_err(|e| {
        let message = Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string());
        format!("{method} failed: {}", message.unwrap_or_default())
    })
}

/// Fetches and checks the database.
pub async fn load() -> Result<Arc<GeoDb>, String> {
    let window: JsValue = web_sys::window().ok_or("no window")?.into();
    let response = call_promise(&window, "fetch", Some(&URL.into())).await?;
    let ok = Reflect::get(&response, &"ok".into()).ok().and_then(|v| v.as_bool()).unwrap_or(false);
    if !ok {
        let status = Reflect::get(&response, &"status".into()).ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
        return Err(format!("{URL} answered HTTP {status}; build it with `make dist`"));
    }
    let buffer = call_promise(&response, "arrayBuffer", None).await?;
    let bytes = Uint8Array::new(&buffer).to_vec();
    GeoDb::from_vec(bytes).map(Arc::new).map_err(|e| e.to_string())
}
