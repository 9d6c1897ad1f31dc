//! The notes' Parameter Store examples (DIGEST §8), each a setup run on a fresh world and store,
//! then a request left ready to send: hierarchies and path-based IAM (`/my-department/my-app/`),
//! SecureString with and without decryption, versions and labels, public parameters, tiers and
//! an expiration policy on the clock, and the Secrets Manager reference.

use serde_json::{json, Value};

/// The account the examples live in (the world's first).
pub const ACCOUNT: &str = "111122223333";

/// The user the path examples call as.
pub fn app_user() -> String {
    format!("arn:aws:iam::{ACCOUNT}:user/my-app")
}

pub fn admin() -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/Admin")
}

/// One example: what it shows, the setup calls (as Admin unless a caller is given), and the
/// request left in the editor with the principal to send it as.
pub struct Example {
    pub id: &'static str,
    pub title: &'static str,
    pub explain: &'static str,
    pub setup: Vec<(&'static str, Value)>,
    /// Secrets Manager calls run first (as Admin), for the reference example.
    pub secrets_setup: Vec<(&'static str, Value)>,
    /// Whether the example adds the `my-app` user, allowed `/my-department/my-app/*` only.
    pub app_user: bool,
    /// Days to move the clock after the setup.
    pub advance_days: i64,
    pub operation: &'static str,
    pub request: Value,
    pub principal: String,
}

fn tree_setup() -> Vec<(&'static str, Value)> {
    vec![
        (
            "PutParameter",
            json!({"Name": "/my-department/my-app/db-url", "Value": "postgres://db.internal:5432/app", "Type": "String"}),
        ),
        (
            "PutParameter",
            json!({"Name": "/my-department/my-app/db-password", "Value": "correct horse battery staple", "Type": "SecureString"}),
        ),
        (
            "PutParameter",
            json!({"Name": "/my-department/my-app/hosts", "Value": "web-1,web-2,web-3", "Type": "StringList"}),
        ),
        (
            "PutParameter",
            json!({"Name": "/my-department/other-app/api-key", "Value": "not for my-app", "Type": "SecureString"}),
        ),
    ]
}

/// The identity policy of the `my-app` user: its own subtree, and `kms:Decrypt` through SSM only.
pub fn app_policy() -> Value {
    json!({"Version": "2012-10-17", "Statement": [
        {"Sid": "ReadMyAppParameters", "Effect": "Allow",
         "Action": ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"],
         "Resource": format!("arn:aws:ssm:*:{ACCOUNT}:parameter/my-department/my-app/*")}
    ]})
}

pub fn all() -> Vec<Example> {
    vec![
        Example {
            id: "path-iam",
            title: "Hierarchy and path-based IAM",
            explain: "A user allowed arn:…:parameter/my-department/my-app/* reads its whole subtree in one GetParametersByPath, SecureString decrypted through KMS (the AWS-managed key aws/ssm allows it through SSM).",
            secrets_setup: vec![],
            setup: tree_setup(),
            app_user: true,
            advance_days: 0,
            operation: "GetParametersByPath",
            request: json!({"Path": "/my-department/my-app/", "Recursive": true, "WithDecryption": true}),
            principal: app_user(),
        },
        Example {
            id: "path-denied",
            title: "Denied outside the path",
            explain: "The same user asks for another application's parameter: no identity-based policy allows ssm:GetParameter on it. The trace shows why.",
            secrets_setup: vec![],
            setup: tree_setup(),
            app_user: true,
            advance_days: 0,
            operation: "GetParameter",
            request: json!({"Name": "/my-department/other-app/api-key", "WithDecryption": true}),
            principal: app_user(),
        },
        Example {
            id: "secure-string",
            title: "SecureString with and without decryption",
            explain: "Without WithDecryption the value is the KMS ciphertext and KMS is not called; with it, KMS logs a Decrypt invoked by ssm.<region>.amazonaws.com with the PARAMETER_ARN encryption context.",
            secrets_setup: vec![],
            setup: tree_setup(),
            app_user: false,
            advance_days: 0,
            operation: "GetParameter",
            request: json!({"Name": "/my-department/my-app/db-password", "WithDecryption": true}),
            principal: admin(),
        },
        Example {
            id: "labels",
            title: "Versions and labels",
            explain: "Three versions of a parameter; the label prod is on version 2, so name:prod reads it. Move it with LabelParameterVersion.",
            secrets_setup: vec![],
            setup: vec![
                ("PutParameter", json!({"Name": "/my-department/my-app/feature-flag", "Value": "off", "Type": "String"})),
                ("PutParameter", json!({"Name": "/my-department/my-app/feature-flag", "Value": "canary", "Overwrite": true})),
                ("PutParameter", json!({"Name": "/my-department/my-app/feature-flag", "Value": "on", "Overwrite": true})),
                ("LabelParameterVersion", json!({"Name": "/my-department/my-app/feature-flag", "ParameterVersion": 2, "Labels": ["prod"]})),
            ],
            app_user: false,
            advance_days: 0,
            operation: "GetParameter",
            request: json!({"Name": "/my-department/my-app/feature-flag:prod"}),
            principal: admin(),
        },
        Example {
            id: "public",
            title: "Public parameters",
            explain: "AWS publishes parameters every account can read: region facts and the latest Amazon Linux AMI ids (the AMI ids here are stand-ins).",
            secrets_setup: vec![],
            setup: vec![],
            app_user: false,
            advance_days: 0,
            operation: "GetParametersByPath",
            request: json!({"Path": "/aws/service/global-infrastructure/regions/us-east-1"}),
            principal: admin(),
        },
        Example {
            id: "expiration",
            title: "Advanced tier: an expiration policy on the clock",
            explain: "An advanced parameter that expires on 2026-01-07, with a notification 2 days before. The clock moved 5 days: the notification fired; advance 1 more day and the parameter is deleted (see the EventBridge events).",
            secrets_setup: vec![],
            setup: vec![(
                "PutParameter",
                json!({"Name": "/my-department/my-app/temp-token", "Value": "expires soon", "Type": "SecureString", "Tier": "Advanced",
                    "Policies": json!([
                        {"Type": "Expiration", "Version": "1.0", "Attributes": {"Timestamp": "2026-01-07T00:00:00.000Z"}},
                        {"Type": "ExpirationNotification", "Version": "1.0", "Attributes": {"Before": "2", "Unit": "Days"}}
                    ]).to_string()}),
            )],
            app_user: false,
            advance_days: 5,
            operation: "DescribeParameters",
            request: json!({"ParameterFilters": [{"Key": "Tier", "Values": ["Advanced"]}]}),
            principal: admin(),
        },
        Example {
            id: "tiers",
            title: "Standard tier limit",
            explain: "A 5,000-character value does not fit the standard tier's 4 KB: AWS answers ValidationException. Change Tier to Advanced (or Intelligent-Tiering) and send again.",
            secrets_setup: vec![],
            setup: vec![],
            app_user: false,
            advance_days: 0,
            operation: "PutParameter",
            request: json!({"Name": "/my-department/my-app/big-config", "Value": "x".repeat(5000), "Type": "String", "Tier": "Standard"}),
            principal: admin(),
        },
        Example {
            id: "secrets-reference",
            title: "Secrets Manager reference",
            explain: "/aws/reference/secretsmanager/<id> reads a Secrets Manager secret through Parameter Store (WithDecryption must be true): Parameter Store calls GetSecretValue as you, so you need secretsmanager:GetSecretValue too, and Secrets Manager's Decrypt shows in the KMS audit log. Add :AWSPREVIOUS or a version id to the name for another version.",
            secrets_setup: vec![("CreateSecret", json!({"Name": "prod/db", "SecretString": "{\"username\":\"app\",\"password\":\"correct horse\"}"}))],
            setup: vec![],
            app_user: false,
            advance_days: 0,
            operation: "GetParameter",
            request: json!({"Name": "/aws/reference/secretsmanager/prod/db", "WithDecryption": true}),
            principal: admin(),
        },
    ]
}
