//! `/aws/reference/secretsmanager/<id>` answered by the Secrets Manager engine over the same world:
//! a read is Secrets Manager's `GetSecretValue` as the caller, so it needs that permission too.
//! <https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html>

use secplay::secrets::ssm_reference::References;
use secplay::secrets::Store as Secrets;
use secplay::ssm::{call_with, SsmError};
use serde_json::{json, Value};

use super::common::{admin, allow, env, Env};

fn get(e: &mut Env, sm: &mut Secrets, name: &str, caller: &str) -> Result<Value, SsmError> {
    let req = json!({"Name": name, "WithDecryption": true});
    call_with(&mut e.s, &mut e.w, &mut References { store: sm }, "GetParameter", &req, &json!(caller))
}

fn sm_call(e: &mut Env, sm: &mut Secrets, op: &str, req: Value) -> Value {
    secplay::secrets::call(&mut e.w, sm, op, &req, &json!(admin())).unwrap()
}

#[test]
fn a_reference_reads_the_secret_as_the_caller() {
    let mut e = env();
    let mut sm = Secrets::default();
    let created = sm_call(&mut e, &mut sm, "CreateSecret", json!({"Name": "db", "SecretString": "v1"}));
    let p = get(&mut e, &mut sm, "/aws/reference/secretsmanager/db", &admin()).unwrap();
    assert_eq!(p["Parameter"]["Value"], "v1");
    assert_eq!(p["Parameter"]["Type"], "SecureString");
    assert_eq!(p["Parameter"]["Version"], 0);
    assert_eq!(p["Parameter"]["ARN"], created["ARN"]);
    let source: Value = serde_json::from_str(p["Parameter"]["SourceResult"].as_str().unwrap()).unwrap();
    assert_eq!(source["VersionStages"], json!(["AWSCURRENT"]));
    // Secrets Manager's Decrypt on the caller's behalf is in the KMS audit log.
    assert!(e
        .audit("Decrypt")
        .iter()
        .any(|x| x["userIdentity"]["invokedBy"].as_str().is_some_and(|s| s.starts_with("secretsmanager."))));

    // A staging label and a version id select versions.
    sm_call(&mut e, &mut sm, "PutSecretValue", json!({"SecretId": "db", "SecretString": "v2"}));
    let now = get(&mut e, &mut sm, "/aws/reference/secretsmanager/db", &admin()).unwrap();
    assert_eq!(now["Parameter"]["Value"], "v2");
    let prev = get(&mut e, &mut sm, "/aws/reference/secretsmanager/db:AWSPREVIOUS", &admin()).unwrap();
    assert_eq!(prev["Parameter"]["Value"], "v1");
    assert_eq!(prev["Parameter"]["Selector"], ":AWSPREVIOUS");
    let id = created["VersionId"].as_str().unwrap();
    let by_id = get(&mut e, &mut sm, &format!("/aws/reference/secretsmanager/db:{id}"), &admin()).unwrap();
    assert_eq!(by_id["Parameter"]["Value"], "v1");
}

#[test]
fn a_reference_needs_get_secret_value_and_names_what_is_missing() {
    let mut e = env();
    let mut sm = Secrets::default();
    sm_call(&mut e, &mut sm, "CreateSecret", json!({"Name": "db", "SecretString": "v1"}));
    let ssm_only = e.user("ssm-only", &[allow(&["ssm:GetParameter"], "*")]);
    let err = get(&mut e, &mut sm, "/aws/reference/secretsmanager/db", &ssm_only).unwrap_err();
    assert_eq!(err.code(), "AccessDeniedException", "{err}");
    let both = e.user("both", &[allow(&["ssm:GetParameter", "secretsmanager:GetSecretValue"], "*")]);
    let ok = get(&mut e, &mut sm, "/aws/reference/secretsmanager/db", &both).unwrap();
    assert_eq!(ok["Parameter"]["Value"], "v1");
    let missing = get(&mut e, &mut sm, "/aws/reference/secretsmanager/nope", &admin()).unwrap_err();
    assert_eq!(missing.code(), "ParameterNotFound", "{missing}");
    let numbered = get(&mut e, &mut sm, "/aws/reference/secretsmanager/db:3", &admin()).unwrap_err();
    assert_eq!(numbered.code(), "ValidationException", "{numbered}");
}
