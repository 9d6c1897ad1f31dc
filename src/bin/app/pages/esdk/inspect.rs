//! The header inspector: every field of a pasted ESDK message under the specification's names
//! (`data-format/message-header.md`, `message-body.md`, `message-footer.md`), from
//! `esdk::json::inspect`. No key is needed and nothing is decrypted.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use secplay::crypto::esdk::json as engine;
use secplay::crypto::keyring::RawAesProviderInfo;
use serde_json::Value;
use yew::prelude::*;

use super::{decode_message, failure_view, textarea_value, Failure};

#[derive(Properties, PartialEq)]
pub struct InspectProps {
    pub input: String,
    pub on_input: Callback<String>,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn b64_hex(v: &Value, key: &str) -> String {
    B64.decode(str_of(v, key)).map(|b| hex(&b)).unwrap_or_default()
}

/// Key provider information in words: the raw AES keyring's layout as the engine reads it
/// (`RawAesProviderInfo`), else a raw RSA keyring's key name, else the bytes in hex.
fn provider_info(info: &[u8]) -> String {
    if let Some(p) = RawAesProviderInfo::parse(info) {
        if let Ok(name) = std::str::from_utf8(p.key_name) {
            return format!(
                "key name `{name}`, tag length {} bits, IV length {}, IV {}",
                p.tag_bits,
                p.iv.len(),
                hex(&p.iv)
            );
        }
    }
    match std::str::from_utf8(info) {
        Ok(s) if s.chars().all(|c| !c.is_control()) => format!("key name `{s}`"),
        _ => format!("{} bytes: {}", info.len(), hex(info)),
    }
}

fn row(name: &str, value: Html) -> Html {
    html! { <tr><th>{ name }</th><td>{ value }</td></tr> }
}

fn text(s: impl Into<String>) -> Html {
    html! { <code>{ s.into() }</code> }
}

/// The tables for one `inspect` result.
fn view(v: &Value) -> Html {
    let h = v.get("header").cloned().unwrap_or(Value::Null);
    let version = h.get("messageVersion").and_then(Value::as_u64).unwrap_or(0);
    let ctx = h.get("encryptionContext").and_then(Value::as_object).cloned().unwrap_or_default();
    let edks = h.get("encryptedDataKeys").and_then(Value::as_array).cloned().unwrap_or_default();
    let body = v.get("body").cloned().unwrap_or(Value::Null);
    let framed = str_of(&h, "contentType") == "framed";
    let units = body.get("units").and_then(Value::as_u64).unwrap_or(0);
    let final_len = body.get("finalFrameLength").and_then(Value::as_u64);
    let footer = v.get("footer").cloned().unwrap_or(Value::Null);
    let complete = v.get("complete").and_then(Value::as_bool).unwrap_or(false);
    let ctx_rows = if ctx.is_empty() {
        html! { <span class="muted">{"empty (AAD Length 0)"}</span> }
    } else {
        html! {
            <table class="inner" id="inspect-context">
                { for ctx.iter().map(|(k, val)| html! {
                    <tr><td><code>{ k }</code></td><td><code>{ val.as_str().unwrap_or("") }</code>
                        if k.starts_with("aws-crypto-public-key") {
                            <span class="reserved">{" reserved key: the SDK stores the signature's public key here"}</span>
                        }</td></tr>
                }) }
            </table>
        }
    };
    let edk_rows = edks.iter().enumerate().map(|(i, e)| {
        let info = B64.decode(str_of(e, "providerInfo")).unwrap_or_default();
        let ct = B64.decode(str_of(e, "ciphertext")).map(|c| c.len()).unwrap_or(0);
        html! {
            <tr class="edk">
                <td>{ i + 1 }</td>
                <td><code class="provider-id">{ str_of(e, "providerId") }</code></td>
                <td class="provider-info">{ provider_info(&info) }</td>
                <td>{ format!("{ct} bytes") }</td>
            </tr>
        }
    });
    html! {
        <div id="inspect-result">
            <p class={classes!("status", if complete { "good" } else { "warn" })} id="inspect-status">
                { if complete {
                    "A complete message: header, body and footer are all present (the tags and signature are checked only when decrypting)."
                } else {
                    "The message is incomplete: the fields below are what could be read."
                } }
            </p>
            <h3>{"Header"}</h3>
            <table class="fields spec" id="inspect-header">
                { row("Version", text(format!("{version} (0x{version:02X})"))) }
                if version == 1 { { row("Type", text("128 (0x80, customer authenticated encrypted data)")) } }
                { row("Algorithm Suite ID", html! { <><code id="inspect-suite">{ str_of(&h, "suiteHex") }</code>{" "}
                    <code>{ str_of(&h, "suiteName") }</code></> }) }
                { row("Message ID", text(b64_hex(&h, "messageId"))) }
                { row("Encryption Context (AAD)", ctx_rows) }
                { row("Encrypted Data Key Count", text(edks.len().to_string())) }
                { row("Content Type", text(if framed { "2 (framed)" } else { "1 (non-framed)" })) }
                if version == 1 { { row("Reserved", text("00000000")) } }
                if version == 1 { { row("IV Length", text("12")) } }
                { row("Frame Length", text(h.get("frameLength").map(Value::to_string).unwrap_or_default())) }
                if version == 2 { { row("Algorithm Suite Data (key commitment)", text(b64_hex(&h, "keyCommitment"))) } }
                if version == 1 { { row("Header Authentication: IV", text(b64_hex(&h, "headerIv"))) } }
                { row("Header Authentication: Authentication Tag", text(b64_hex(&h, "headerAuthTag"))) }
                { row("Header length", text(format!("{} bytes", v.get("headerLength").and_then(Value::as_u64).unwrap_or(0)))) }
            </table>
            <h3>{"Encrypted Data Keys"}</h3>
            <table class="fields grid" id="inspect-edks">
                <tr><th>{"#"}</th><th>{"Key Provider ID"}</th><th>{"Key Provider Information"}</th><th>{"Encrypted Data Key"}</th></tr>
                { for edk_rows }
            </table>
            <h3>{"Body and footer"}</h3>
            <table class="fields spec" id="inspect-body">
                { if framed {
                    row("Frames", text(match final_len {
                        Some(n) if units == 1 => format!("1 (the Final Frame, {n} bytes of Encrypted Content)"),
                        Some(n) => format!("{units} (the last is the Final Frame, {n} bytes of Encrypted Content)"),
                        None => format!("{units} read so far, no Final Frame yet"),
                    }))
                } else {
                    row("Body", text(format!("non-framed{}", final_len.map(|n| format!(", {n} bytes of Encrypted Content")).unwrap_or_default())))
                } }
                { row("Footer", match footer.get("signatureLength").and_then(Value::as_u64) {
                    Some(n) => text(format!("Signature Length {n}, Signature {}", if footer.get("complete").and_then(Value::as_bool).unwrap_or(false) { "present" } else { "cut short" })),
                    None if v.get("signed").and_then(Value::as_bool).unwrap_or(false) => text("expected (signed suite), not reached"),
                    None => text("none (unsigned suite)"),
                }) }
            </table>
        </div>
    }
}

#[function_component]
pub fn Inspector(props: &InspectProps) -> Html {
    let on_input = props.on_input.reform(|e: InputEvent| textarea_value(&e));
    let result = if props.input.trim().is_empty() {
        None
    } else {
        Some(decode_message(&props.input).and_then(|b| engine::inspect(&b).map_err(|e| Failure::from(&e))))
    };
    html! {
        <section class="card" id="esdk-inspector">
            <h2>{"Header inspector"}</h2>
            <p class="muted">{"Paste a message (base64, whole or only its first bytes): every field is shown with \
                the name the AWS Encryption SDK specification gives it. No key is needed, nothing is decrypted."}</p>
            <label for="esdk-inspect-input">{"Message (base64)"}</label>
            <textarea id="esdk-inspect-input" class="mono" rows="5" spellcheck="false" value={props.input.clone()}
                oninput={on_input} placeholder="AgV4…" />
            { match result {
                None => html! {},
                Some(Ok(v)) => view(&v),
                Some(Err(f)) => failure_view(&f, "inspect-error"),
            } }
        </section>
    }
}
