//! Policy templates from the AWS documentation and the source notes: the default key policy
//! (as `CreateKey` sets it), the console's key policy with administrator / user / grant
//! statements, cross-account key sharing (both sides), and a Parameter Store path policy.
//!
//! Each returns policy JSON text, pretty-printed so that positions in results are readable.
//! Arguments are checked (account ids, ARNs); nothing here evaluates anything.

use serde_json::{json, Value};

use super::error::PolicyError;

fn bad(message: String) -> PolicyError {
    PolicyError::InvalidRequest { message }
}

fn account_id(a: &str) -> Result<&str, PolicyError> {
    if a.len() == 12 && a.bytes().all(|b| b.is_ascii_digit()) {
        Ok(a)
    } else {
        Err(bad(format!("`{a}` is not a 12-digit AWS account id")))
    }
}

fn principal_arns<'a>(arns: &[&'a str]) -> Result<Vec<&'a str>, PolicyError> {
    for a in arns {
        match super::pattern::split_arn(a) {
            Some([_, _, "iam" | "sts", _, _, _]) => {}
            _ => {
                return Err(bad(format!(
                    "`{a}` is not an IAM principal ARN such as arn:aws:iam::111122223333:role/KeyAdmin"
                )))
            }
        }
    }
    Ok(arns.to_vec())
}

// Elements print in the order AWS prints them (the console, `get-key-policy`): the document's,
// then a statement's; other keys follow, alphabetically.
use super::document::{DOCUMENT_ELEMENTS, STATEMENT_ELEMENTS};

/// Pretty-prints like `serde_json::to_string_pretty` (two-space indent), with the elements of
/// policies and statements in AWS's order rather than alphabetical order.
fn render(v: &Value) -> String {
    let mut out = String::new();
    write_value(v, 0, &mut out);
    out
}

fn write_value(v: &Value, depth: usize, out: &mut String) {
    let indent = |d: usize| "  ".repeat(d);
    match v {
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                out.push_str(&indent(depth + 1));
                write_value(item, depth + 1, out);
            }
            out.push('\n');
            out.push_str(&indent(depth));
            out.push(']');
        }
        Value::Object(members) if !members.is_empty() => {
            let mut keys: Vec<&String> = members.keys().collect();
            keys.sort_by_key(|k| {
                (
                    DOCUMENT_ELEMENTS
                        .iter()
                        .chain(&STATEMENT_ELEMENTS)
                        .position(|e| e == k)
                        .unwrap_or(usize::MAX),
                    k.as_str(),
                )
            });
            out.push_str("{\n");
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                out.push_str(&indent(depth + 1));
                out.push_str(&Value::String((*k).clone()).to_string());
                out.push_str(": ");
                if let Some(member) = members.get(*k) {
                    write_value(member, depth + 1, out);
                }
            }
            out.push('\n');
            out.push_str(&indent(depth));
            out.push('}');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// The "Enable IAM User Permissions" statement: the account root, i.e. delegation to IAM.
fn root_statement(account: &str) -> Value {
    json!({
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": {"AWS": format!("arn:aws:iam::{account}:root")},
        "Action": "kms:*",
        "Resource": "*"
    })
}

/// The default key policy `CreateKey` attaches when none is given.
pub fn default_key_policy(account: &str) -> Result<String, PolicyError> {
    let account = account_id(account)?;
    Ok(render(&json!({
        "Version": "2012-10-17",
        "Id": "key-default-1",
        "Statement": [root_statement(account)]
    })))
}

/// The key usage actions the console grants to key users.
const KEY_USER_ACTIONS: [&str; 5] =
    ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

fn user_statements(principals: Value) -> [Value; 2] {
    [
        json!({
            "Sid": "Allow use of the key",
            "Effect": "Allow",
            "Principal": {"AWS": principals.clone()},
            "Action": KEY_USER_ACTIONS,
            "Resource": "*"
        }),
        json!({
            "Sid": "Allow attachment of persistent resources",
            "Effect": "Allow",
            "Principal": {"AWS": principals},
            "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
            "Resource": "*",
            "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}
        }),
    ]
}

/// The key policy the console creates: root delegation, key administrators, key users and the
/// grant statement for AWS services that use the key on the users' behalf.
pub fn console_key_policy(
    account: &str,
    administrators: &[&str],
    users: &[&str],
) -> Result<String, PolicyError> {
    let account = account_id(account)?;
    let mut statements = vec![root_statement(account)];
    let admins = principal_arns(administrators)?;
    if !admins.is_empty() {
        statements.push(json!({
            "Sid": "Allow access for Key Administrators",
            "Effect": "Allow",
            "Principal": {"AWS": admins},
            "Action": [
                "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*",
                "kms:Update*", "kms:Revoke*", "kms:Disable*", "kms:Get*", "kms:Delete*",
                "kms:TagResource", "kms:UntagResource", "kms:ScheduleKeyDeletion",
                "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand"
            ],
            "Resource": "*"
        }));
    }
    let users = principal_arns(users)?;
    if !users.is_empty() {
        statements.extend(user_statements(json!(users)));
    }
    Ok(render(&json!({
        "Version": "2012-10-17",
        "Id": "key-consolepolicy-3",
        "Statement": statements
    })))
}

/// A key policy that shares the key with another account (which must then allow its own
/// principals with an IAM policy, see [`cross_account_identity_policy`]).
pub fn cross_account_key_policy(account: &str, external_account: &str) -> Result<String, PolicyError> {
    let account = account_id(account)?;
    let external = account_id(external_account)?;
    let mut statements = vec![root_statement(account)];
    let [mut use_key, mut grants] = user_statements(json!(format!("arn:aws:iam::{external}:root")));
    if let Some(o) = use_key.as_object_mut() {
        o.insert("Sid".into(), json!("Allow an external account to use this key"));
    }
    if let Some(o) = grants.as_object_mut() {
        o.insert("Sid".into(), json!("Allow an external account to attach persistent resources"));
    }
    statements.push(use_key);
    statements.push(grants);
    Ok(render(&json!({
        "Version": "2012-10-17",
        "Statement": statements
    })))
}

/// The IAM policy the external account attaches to its principals to use a shared key.
pub fn cross_account_identity_policy(key_arn: &str) -> Result<String, PolicyError> {
    match super::pattern::split_arn(key_arn) {
        Some([_, _, "kms", _, _, r]) if r.starts_with("key/") => {}
        _ => {
            return Err(bad(format!(
                "`{key_arn}` is not a KMS key ARN such as arn:aws:kms:us-east-1:111122223333:key/1234abcd-..."
            )))
        }
    }
    Ok(render(&json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": "AllowUseOfTheSharedKey",
            "Effect": "Allow",
            "Action": KEY_USER_ACTIONS,
            "Resource": key_arn
        }]
    })))
}

/// An identity policy for a Parameter Store hierarchy such as `/my-department/my-app/`: read the
/// parameters under the path and decrypt SecureString values through SSM only.
pub fn parameter_store_path_policy(
    region: &str,
    account: &str,
    path: &str,
    key_arn: &str,
) -> Result<String, PolicyError> {
    let account = account_id(account)?;
    if region.is_empty() || !region.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(bad(format!("`{region}` is not a region name such as us-east-1")));
    }
    if !path.starts_with('/') || path.contains(['*', '?', ' ']) {
        return Err(bad(format!("`{path}` is not a parameter path such as /my-department/my-app/")));
    }
    let trimmed = path.trim_end_matches('/');
    Ok(render(&json!({
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadParametersUnderPath",
                "Effect": "Allow",
                "Action": ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
                "Resource": [
                    format!("arn:aws:ssm:{region}:{account}:parameter{trimmed}"),
                    format!("arn:aws:ssm:{region}:{account}:parameter{trimmed}/*")
                ]
            },
            {
                "Sid": "DecryptSecureStringsViaSsm",
                "Effect": "Allow",
                "Action": "kms:Decrypt",
                "Resource": key_arn,
                "Condition": {"StringEquals": {"kms:ViaService": format!("ssm.{region}.amazonaws.com")}}
            }
        ]
    })))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::validate::{validate_policy, PolicyType};

    #[test]
    fn templates_print_elements_in_aws_order() {
        let text = console_key_policy(
            "111122223333",
            &["arn:aws:iam::111122223333:role/KeyAdmin"],
            &["arn:aws:iam::111122223333:role/App"],
        )
        .unwrap();
        // The same document as serde's alphabetical rendering, in AWS's order: rendering the
        // parsed text again gives the text back, serde's rendering orders the members
        // differently, and the two hold the same lines once the order is set aside.
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(render(&value), text);
        let alphabetical = serde_json::to_string_pretty(&value).unwrap();
        assert_ne!(alphabetical, text, "the template prints in serde's alphabetical order");
        let lines = |t: &str| {
            let mut l: Vec<String> = t.lines().map(|x| x.trim_end_matches(',').to_string()).collect();
            l.sort_unstable();
            l
        };
        assert_eq!(lines(&alphabetical), lines(&text));
        let at = |needle: &str| text.find(needle).unwrap();
        assert!(text.starts_with(
            "{\n  \"Version\": \"2012-10-17\",\n  \"Id\": \"key-consolepolicy-3\",\n  \"Statement\": [\n"
        ));
        let sid = at("\"Sid\": \"Allow use of the key\"");
        let effect = sid + text[sid..].find("\"Effect\"").unwrap();
        let principal = sid + text[sid..].find("\"Principal\"").unwrap();
        let action = sid + text[sid..].find("\"Action\"").unwrap();
        let resource = sid + text[sid..].find("\"Resource\"").unwrap();
        assert!(sid < effect && effect < principal && principal < action && action < resource, "{text}");
        assert!(text.contains("\"Condition\": {\n        \"Bool\": {\n          \"kms:GrantIsForAWSResource\": \"true\"\n        }\n      }\n    }\n  ]\n}"));
        assert_eq!(
            render(&serde_json::json!({"a": [], "b": {}, "c": "q\"uote"})),
            "{\n  \"a\": [],\n  \"b\": {},\n  \"c\": \"q\\\"uote\"\n}"
        );
    }

    #[test]
    fn templates_validate_cleanly() {
        let key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let cases = [
            (default_key_policy("111122223333").unwrap(), PolicyType::Key),
            (
                console_key_policy(
                    "111122223333",
                    &["arn:aws:iam::111122223333:role/KeyAdmin"],
                    &["arn:aws:iam::111122223333:role/App"],
                )
                .unwrap(),
                PolicyType::Key,
            ),
            (cross_account_key_policy("111122223333", "444455556666").unwrap(), PolicyType::Key),
            (cross_account_identity_policy(key).unwrap(), PolicyType::Identity),
            (
                parameter_store_path_policy("us-east-1", "111122223333", "/my-department/my-app/", key)
                    .unwrap(),
                PolicyType::Identity,
            ),
        ];
        for (text, kind) in cases {
            let f = validate_policy(&text, kind);
            assert!(f.is_empty(), "{text}\n{f:#?}");
        }
        assert!(default_key_policy("1234").is_err());
        assert!(console_key_policy("111122223333", &["alice"], &[]).is_err());
        assert!(parameter_store_path_policy("us-east-1", "111122223333", "my-app", key).is_err());
    }
}
