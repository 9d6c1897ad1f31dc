//! DeleteParameter and DeleteParameters (up to 10 names; unknown ones in `InvalidParameters`).
//! A deleted parameter's history goes with it; a new parameter of the same name starts again at
//! version 1 (<https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_DeleteParameter.html>).

use serde_json::{json, Value};

use super::super::error::SsmError;
use super::super::events;
use super::super::names::check_name;
use super::super::store::Store;
use super::Call;
use crate::kms::params::Params;
use crate::kms::world::World;

/// Removes one parameter and emits the `Delete` change event; `false` when there was none.
fn remove(store: &mut Store, w: &World, c: &Call<'_>, name: &str) -> bool {
    let (account, region) = (c.account().to_string(), c.region().to_string());
    let Some(p) = store.region_mut(&account, &region).remove(name) else { return false };
    if let Some(v) = p.current() {
        let ev = events::change(&account, &region, w.now, "Delete", name, v.param_type, &v.description);
        store.emit(ev);
    }
    true
}

/// DeleteParameter.
pub fn delete_parameter(
    store: &mut Store,
    w: &mut World,
    c: &Call<'_>,
    request: &Value,
) -> Result<Value, SsmError> {
    let p = Params::new(request, &["Name"])?;
    let name = p.req_str("Name", 1, 2048)?;
    check_name(name)?;
    c.allow(w, store, name)?;
    if !remove(store, w, c, name) {
        return Err(SsmError::not_found(format!("Parameter {name} not found.")));
    }
    Ok(json!({}))
}

/// DeleteParameters: each name authorized first (one denial denies the call).
pub fn delete_parameters(
    store: &mut Store,
    w: &mut World,
    c: &Call<'_>,
    request: &Value,
) -> Result<Value, SsmError> {
    let p = Params::new(request, &["Names"])?;
    let names = p.str_list("Names", 10, 1, 2048)?.unwrap_or_default();
    if names.is_empty() {
        return Err(SsmError::validation("1 validation error detected: Value at 'names' failed to satisfy constraint: Member must have length greater than or equal to 1"));
    }
    for n in &names {
        check_name(n)?;
        c.allow(w, store, n)?;
    }
    let (mut deleted, mut invalid) = (Vec::new(), Vec::new());
    for n in names {
        if remove(store, w, c, &n) {
            deleted.push(n);
        } else {
            invalid.push(n);
        }
    }
    let mut out = json!({});
    if let Some(o) = out.as_object_mut() {
        if !deleted.is_empty() {
            o.insert("DeletedParameters".into(), json!(deleted));
        }
        if !invalid.is_empty() {
            o.insert("InvalidParameters".into(), json!(invalid));
        }
    }
    Ok(out)
}
