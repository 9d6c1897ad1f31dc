//! The landing page: what secplay is, the examples gallery (cards that open a page with an
//! example loaded, `super::gallery`), and what is here now.

use yew::prelude::*;

use super::gallery::{self, Card};

/// The gallery's cards as the build wrote them into `index.html` (none when the page was built
/// without them; the rest of the overview does not depend on them).
fn cards() -> Result<Vec<Card>, String> {
    let text = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(gallery::ELEMENT_ID))
        .and_then(|e| e.text_content());
    match text {
        Some(t) => gallery::from_script_json(&t),
        None => Ok(Vec::new()),
    }
}

#[function_component]
fn Gallery() -> Html {
    let cards = use_memo((), |_| cards());
    match &*cards {
        Ok(cards) if cards.is_empty() => html! {},
        Ok(cards) => html! {
            <section aria-labelledby="gallery-title">
                <h2 id="gallery-title">{"Examples to open"}</h2>
                <ul class="gallery">
                    { for cards.iter().map(|c| html! {
                        <li class="gallery-card" data-example={c.id.clone()}>
                            <a id={format!("example-{}", c.id)} href={c.href.clone()}>{ c.title.clone() }</a>
                            <span class="gallery-page">{ c.page.clone() }</span>
                            <p>{ c.text.clone() }</p>
                        </li>
                    }) }
                </ul>
            </section>
        },
        Err(e) => html! { <p class="error" role="alert">{ e.clone() }</p> },
    }
}

#[function_component]
pub fn Overview() -> Html {
    html! {
        <article>
            <h1>{"A cloud-security playground"}</h1>
            <p>{"Paste what AWS gives you (key policies, IAM policies, replication configurations, web ACLs, \
                 encrypted messages) and see what AWS would do with it, with real cryptography. \
                 Everything runs here, in WebAssembly: no request leaves this page."}</p>
            <Gallery />
            <h2>{"Available now"}</h2>
            <ul>
                <li><a href="#/envelope">{"Envelope encryption"}</a>{": encrypt a message with a fresh \
                    AES-256-GCM data key, wrap the key with RSA-OAEP, and open it again."}</li>
                <li><a href="#/esdk">{"Encryption SDK"}</a>{": the AWS Encryption SDK message format with \
                    every suite and raw AES/RSA keyrings: text, a header inspector, and files of any size \
                    encrypted in a worker with memory that does not grow with the file."}</li>
                <li><a href="#/policies">{"Key policies"}</a>{": key policies, IAM policies, SCPs, boundaries \
                    and session policies evaluated as AWS does, with the deciding statements marked, a trace, \
                    findings in place, every KMS action at once, templates and share links."}</li>
                <li><a href="#/s3">{"S3 replication"}</a>{": a replication configuration, its buckets, role \
                    and keys as AWS prints them: per object and destination whether it replicates, under which \
                    key, and why not, with the policy statement that decided; S3 Inventory reports in a worker."}</li>
                <li><a href="#/ssm">{"Parameter Store"}</a>{": SSM parameters with paths, versions and labels, \
                    SecureString encrypted through the KMS emulator, tiers, policies on a clock, and \
                    path-based access with the policy trace of a denial."}</li>
                <li><a href="#/waf">{"WAF"}</a>{": paste a web ACL and a request (raw HTTP or curl) and see \
                    what AWS WAF does: the log record, the rule that decided, capacity, SQLi/XSS explained."}</li>
            </ul>
            <h2>{"Coming"}</h2>
            <p>{"A persistent key store. It joins the navigation once it works."}</p>
        </article>
    }
}

#[function_component]
pub fn NotFound() -> Html {
    html! {
        <article>
            <h1>{"No such page"}</h1>
            <p>{"This link points nowhere in the playground. "}<a href="#/">{"Back to the overview"}</a></p>
        </article>
    }
}
