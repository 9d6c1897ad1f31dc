//! What the chapters of §1–§5 share: a log of step outcomes that stops at the first step not
//! going as written, KMS calls as steps (with a link to the KMS page holding the world they left),
//! local AES-GCM as steps, and the KMS emulator's scenarios run as chapters.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use serde_json::{json, Value};

use crate::crypto::envelope::{aes_gcm_open, aes_gcm_seal, DataKey, Sealed, IV_LEN, TAG_LEN};
use crate::kms::{self, scenarios, World};
use crate::notes::model::{PageLink, StepError, StepOutcome};

pub const MAIN: &str = "111122223333";
pub const PARTNER: &str = "444455556666";
pub const ADMIN: &str = "arn:aws:iam::111122223333:role/Admin";
pub const KMS: &str = "KMS emulator";
pub const AES: &str = "envelope engine (AES-256-GCM)";
pub const ESDK: &str = "Encryption SDK";
pub const POLICY: &str = "policy engine";
/// The KMS page's share route (`src/bin/app/pages/kms/share.rs`, format v1).
pub const KMS_PAGE: &str = "#/kms";
/// The policy page's share route (`src/bin/app/pages/policy/share.rs`, format v1).
pub const POLICY_PAGE: &str = "#/policies";

/// The steps run so far; a step that does not go as written ends the run.
#[derive(Default)]
pub struct Log {
    pub steps: Vec<StepOutcome>,
    stopped: bool,
}

/// A step about to be recorded: its id, title and explanation.
pub struct Says<'a> {
    pub id: &'static str,
    pub title: &'a str,
    pub explain: &'a str,
}

pub fn says<'a>(id: &'static str, title: &'a str, explain: &'a str) -> Says<'a> {
    Says { id, title, explain }
}

impl Log {
    pub fn stopped(&self) -> bool {
        self.stopped
    }

    /// Records a step.
    pub fn push(&mut self, step: StepOutcome) {
        if !step.as_written() {
            self.stopped = true;
        }
        self.steps.push(step);
    }

    /// Records a step that is not a KMS call; answers its result when it succeeded.
    pub fn local<T>(
        &mut self,
        s: Says<'_>,
        engine: &'static str,
        expected: Option<&'static str>,
        result: Result<(T, String), StepError>,
    ) -> Option<T> {
        let (value, shown) = match result {
            Ok((v, text)) => (Some(v), Ok(text)),
            Err(e) => (None, Err(e)),
        };
        self.push(outcome(s, engine, shown, expected, None));
        value
    }

    /// Calls KMS as `caller` and records it; answers the response when it succeeded.
    pub fn kms(
        &mut self,
        w: &mut World,
        s: Says<'_>,
        operation: &str,
        caller: Value,
        request: Value,
        expected: Option<&'static str>,
    ) -> Option<Value> {
        let result = kms::call(w, operation, &request, &caller);
        let shown = match &result {
            Ok(v) => Ok(show(v)),
            Err(e) => Err(kms_error(e)),
        };
        let open = kms_link(w, operation, &caller, &request);
        self.push(outcome(s, KMS, shown, expected, open));
        result.ok()
    }

    /// Records a policy-engine evaluation (`input` as `evaluatePolicy` takes it) and links it to
    /// the policy page; answers the engine's answer.
    pub fn evaluate(&mut self, s: Says<'_>, input: &Value, expected: Option<&'static str>) -> Option<Value> {
        let result = crate::policy::evaluate_policy(input);
        let shown = match &result {
            Ok(v) => Ok(decision_text(v)),
            Err(e) => Err(StepError { code: e.code().to_string(), message: e.to_string() }),
        };
        let link = policy_link(input);
        self.push(outcome(s, POLICY, shown, expected, link));
        result.ok()
    }
}

pub fn outcome(
    s: Says<'_>,
    engine: &'static str,
    result: Result<String, StepError>,
    expected: Option<&'static str>,
    open: Option<PageLink>,
) -> StepOutcome {
    StepOutcome {
        id: s.id,
        title: s.title.to_string(),
        engine,
        explain: s.explain.to_string(),
        result,
        expected_error: expected,
        open,
    }
}

pub fn kms_error(e: &kms::KmsError) -> StepError {
    StepError { code: e.code().to_string(), message: e.to_string() }
}

/// A caller: a principal in a region.
pub fn caller(principal: &str, region: &str) -> Value {
    json!({"principal": principal, "region": region})
}

/// An identity policy allowing `actions` on every KMS key of `account` in any region.
pub fn allow_kms(account: &str, actions: &[&str]) -> String {
    json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": actions,
        "Resource": format!("arn:aws:kms:*:{account}:key/*")}]})
    .to_string()
}

/// `actions` without those a variant removes.
pub fn without<'a>(actions: &[&'a str], removed: &[&str]) -> Vec<&'a str> {
    actions.iter().copied().filter(|a| !removed.contains(a)).collect()
}

/// Adds a role with one identity policy.
pub fn role(w: &mut World, arn: &str, policy: &str) -> Result<(), kms::KmsError> {
    w.add_principal(arn, None)?;
    w.put_identity_policy(arn, "notes", policy)
}

/// A response as the reader sees it: data keys and plaintexts are said, not shown, long blobs cut.
pub fn show(v: &Value) -> String {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        for (k, x) in o.iter_mut() {
            let Some(text) = x.as_str() else { continue };
            let bytes = B64.decode(text).map(|b| b.len()).unwrap_or(0);
            if k == "Plaintext" {
                *x = Value::String(format!("({bytes} bytes, only in the caller's memory)"));
            } else if text.len() > 48 && bytes > 0 {
                let head: String = text.chars().take(24).collect();
                *x = Value::String(format!("{head}… ({bytes} bytes)"));
            }
        }
    }
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// The first bytes of a blob in hex, as a reader would see it on a disk or a wire.
pub fn hex_head(bytes: &[u8]) -> String {
    let head: String = bytes.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("{head}… ({} bytes)", bytes.len())
}

/// The KMS page with `w` loaded and this call in its request editor (no plaintext in it).
pub fn kms_link(w: &World, operation: &str, caller: &Value, request: &Value) -> Option<PageLink> {
    let world = kms::share::shareable(w).ok()?;
    let mut request = request.clone();
    if let Some(o) = request.as_object_mut() {
        if o.contains_key("Plaintext") {
            o.insert("Plaintext".into(), json!(""));
        }
    }
    Some(PageLink {
        route: KMS_PAGE,
        doc: json!({
            "world": world,
            "principal": caller.get("principal").and_then(Value::as_str).unwrap_or(ADMIN),
            "region": caller.get("region").and_then(Value::as_str).unwrap_or("us-east-1"),
            "operation": operation,
            "request": serde_json::to_string_pretty(&request).unwrap_or_default(),
        }),
    })
}

/// The policy page with an `evaluatePolicy` input loaded.
pub fn policy_link(input: &Value) -> Option<PageLink> {
    let r = input.get("request")?;
    let p = input.get("policies")?;
    let text = |v: Option<&Value>| {
        v.map(|x| serde_json::to_string_pretty(x).unwrap_or_default()).unwrap_or_default()
    };
    let identity: Vec<String> = p
        .get("identity")
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|x| serde_json::to_string_pretty(x).unwrap_or_default()).collect())
        .unwrap_or_default();
    let context: Vec<Value> = r
        .get("context")
        .and_then(Value::as_object)
        .map(|o| o.iter().map(|(k, v)| json!([k, v.as_str().unwrap_or_default()])).collect())
        .unwrap_or_default();
    Some(PageLink {
        route: POLICY_PAGE,
        doc: json!({
            "keyPolicy": text(p.get("resource")),
            "identity": identity,
            "principal": r.get("principal").cloned().unwrap_or_default(),
            "action": r.get("action").cloned().unwrap_or_default(),
            "resource": r.get("resource").cloned().unwrap_or_default(),
            "resourceAccount": r.get("resourceAccount").cloned().unwrap_or_default(),
            "context": context,
        }),
    })
}

/// The policy engine's answer for a person: the decision and the statements that decided.
pub fn decision_text(v: &Value) -> String {
    let decision = v.get("decision").and_then(Value::as_str).unwrap_or("?");
    let statements: Vec<String> = v
        .get("matchedStatements")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|m| {
            let sid = m.get("sid").and_then(Value::as_str).unwrap_or("(no Sid)");
            let kind = m.get("policyType").and_then(Value::as_str).unwrap_or("policy");
            let effect = m.get("effect").and_then(Value::as_str).unwrap_or("");
            format!("{effect} `{sid}` ({kind})")
        })
        .collect();
    if statements.is_empty() {
        format!("{decision}: no statement matched")
    } else {
        format!("{decision}, by {}", statements.join(", "))
    }
}

/// Seals `plaintext` under a data key given as base64 (KMS's `Plaintext`): IV ‖ ciphertext ‖ tag.
pub fn seal(data_key_b64: &str, plaintext: &str, aad: &str) -> Result<Vec<u8>, StepError> {
    let key = data_key(data_key_b64)?;
    let s =
        aes_gcm_seal(&key, plaintext.as_bytes(), aad.as_bytes()).map_err(|e| crypto_error(&e.to_string()))?;
    Ok([s.iv.as_slice(), &s.ciphertext, &s.tag].concat())
}

/// Opens what [`seal`] made; a wrong key or a changed byte is one opaque error.
pub fn open(data_key_b64: &str, sealed: &[u8], aad: &str) -> Result<String, StepError> {
    let key = data_key(data_key_b64)?;
    let bad = || crypto_error("the data did not decrypt: wrong data key or changed bytes");
    if sealed.len() < IV_LEN + TAG_LEN {
        return Err(bad());
    }
    let (iv, rest) = sealed.split_at(IV_LEN);
    let (ct, tag) = rest.split_at(rest.len() - TAG_LEN);
    let s = Sealed {
        iv: iv.try_into().map_err(|_| bad())?,
        ciphertext: ct.to_vec(),
        tag: tag.try_into().map_err(|_| bad())?,
    };
    let pt = aes_gcm_open(&key, &s, aad.as_bytes()).map_err(|_| bad())?;
    String::from_utf8(pt).map_err(|_| bad())
}

fn data_key(b64: &str) -> Result<DataKey, StepError> {
    let bytes =
        zeroize::Zeroizing::new(B64.decode(b64).map_err(|_| crypto_error("the data key is not base64"))?);
    DataKey::from_bytes(&bytes).map_err(|e| crypto_error(&e.to_string()))
}

fn crypto_error(message: &str) -> StepError {
    StepError { code: "DecryptionFailed".into(), message: message.to_string() }
}

/// A string member of a response.
pub fn member<'v>(v: &'v Value, pointer: &str) -> &'v str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or_default()
}

/// Runs one of the KMS emulator's scenarios (`kms::scenarios`) as a chapter's steps, with the
/// scenario's variant of this id (`None`: as written), each KMS step linked to the KMS page with
/// the world it left and the scenario chosen. `extra` runs after the scenario's last step, with
/// the world and the results, to add the chapter's own steps.
pub fn scenario_run(
    id: &str,
    variant: Option<&str>,
    extra: impl FnOnce(&mut Log, &mut World, &[scenarios::StepResult]),
) -> Vec<StepOutcome> {
    let mut log = Log::default();
    let Some(scenario) = scenarios::by_id(id) else {
        log.push(missing(&format!("the KMS emulator has no scenario `{id}`")));
        return log.steps;
    };
    let index = variant.and_then(|v| scenario.variants.iter().position(|x| x.id == v));
    if variant.is_some() && index.is_none() {
        log.push(missing(&format!("the scenario `{id}` has no variant `{}`", variant.unwrap_or_default())));
        return log.steps;
    }
    let (mut w, mut run) = match scenario.start(index) {
        Ok(x) => x,
        Err(e) => {
            log.push(StepOutcome { result: Err(kms_error(&e)), ..missing("") });
            return log.steps;
        }
    };
    while let Some(r) = run.next(&mut w).cloned() {
        let Some(step) = run.scenario.steps.get(r.step) else { break };
        let kms_call = !step.operation.starts_with("Client.");
        let open = if kms_call {
            kms_link(&w, step.operation, &r.caller, &r.request).map(|mut l| {
                if let Some(o) = l.doc.as_object_mut() {
                    o.insert("scenario".into(), json!(id));
                    o.insert("variant".into(), json!(index));
                }
                l
            })
        } else {
            None
        };
        let result = match &r.outcome {
            Ok(v) if kms_call => Ok(show(v)),
            Ok(v) => Ok(show_rows(v)),
            Err(e) => Err(kms_error(e)),
        };
        let title = format!("{} ({})", step.operation.trim_start_matches("Client."), step.id);
        let engine = if kms_call { KMS } else { AES };
        log.push(StepOutcome {
            id: step.id,
            title,
            engine,
            explain: step.explain.to_string(),
            result,
            expected_error: step.expect_error,
            open,
        });
    }
    if !log.stopped() {
        extra(&mut log, &mut w, &run.results);
    }
    log.steps
}

fn missing(message: &str) -> StepOutcome {
    StepOutcome {
        id: "set-up",
        title: "Set up".into(),
        engine: KMS,
        explain: String::new(),
        result: Err(StepError { code: "ValidationException".into(), message: message.to_string() }),
        expected_error: None,
        open: None,
    }
}

/// Table rows as a reader sees them (the encrypted data key cut short).
pub fn show_rows(v: &Value) -> String {
    let mut v = v.clone();
    for row in v.get_mut("Rows").and_then(Value::as_array_mut).into_iter().flatten() {
        if let Some(edk) = row.get_mut("_dataKey") {
            let text = edk.as_str().unwrap_or_default();
            *edk = Value::String(format!("{}…", text.chars().take(16).collect::<String>()));
        }
    }
    serde_json::to_string_pretty(&v).unwrap_or_default()
}
