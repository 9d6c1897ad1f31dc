//! The decision path drawing's layout: the request flowing through the policy types in the order
//! AWS evaluates them (SCPs and the other guardrails, then the permissions boundary and session
//! policy, the identity policies, the key policy and grants) to the decision, each statement a
//! node marked by what the engine found: it applied (allow, or explicit deny), it did not, or its
//! policy took no part; the statements that decided are marked.
//!
//! Pure: made from the parsed [`PolicySet`] and the engine's [`Evaluation`] (its trace and the
//! statements that applied), tested natively. The SVG is written by `diagram_view.rs`. Logic:
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>.

use secplay::policy::result::StepOutcome;
use secplay::policy::{Decision, Effect, Evaluation, MatchedStatement, Policy, PolicySet};

use crate::pages::diagram::{fit, Rect, MAX_ITEMS};

/// Drawing width (SVG units); the view scales it to the card.
pub const WIDTH: f64 = 900.0;
const LABEL_W: f64 = 190.0;
const NODE_W: f64 = 132.0;
const NODE_H: f64 = 34.0;
const GAP: f64 = 8.0;
const PER_ROW: usize = 5;
const BOX_H: f64 = 40.0;
const ARROW: f64 = 24.0;
/// The line under a lane's statements with what the trace says of it.
const NOTE_H: f64 = 18.0;

/// What the engine found for one statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// An `Allow` statement that applied to the request.
    Allow,
    /// A `Deny` statement that applied: an explicit deny.
    Deny,
    /// The statement did not apply (action, resource, principal or a condition did not match).
    NoMatch,
    /// Its policy took no part in this request (for example SCPs for a service principal).
    NotEvaluated,
}

impl Status {
    /// The CSS class the view gives the node (coloured from the theme in `www/style.css`).
    pub fn class(self) -> &'static str {
        match self {
            Status::Allow => "allow",
            Status::Deny => "deny",
            Status::NoMatch => "nomatch",
            Status::NotEvaluated => "skipped",
        }
    }

    /// For people and screen readers.
    pub fn label(self) -> &'static str {
        match self {
            Status::Allow => "matched, allows",
            Status::Deny => "matched, explicit deny",
            Status::NoMatch => "not matched",
            Status::NotEvaluated => "not evaluated",
        }
    }
}

/// One statement's node.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub rect: Rect,
    /// The statement's policy as the engine names it (`resource`, `identity[0]`, `scps[0][0]`).
    pub policy: String,
    pub index: usize,
    /// `Sid` or `#index`, with the effect: `Allow AllowUse`.
    pub label: String,
    pub status: Status,
    /// One of the statements that decided the request.
    pub deciding: bool,
}

/// One policy type's lane: its title, what the trace says of it, and its statements.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub rect: Rect,
    pub title: String,
    /// The trace's line for this lane (`identity policies: allowed by …`), if any.
    pub note: String,
    pub nodes: Vec<Node>,
}

/// The whole drawing.
#[derive(Clone, Debug, PartialEq)]
pub struct PathLayout {
    pub height: f64,
    pub request: (Rect, String),
    pub lanes: Vec<Lane>,
    /// Statements not drawn (past [`MAX_ITEMS`]).
    pub more: usize,
    pub decision: (Rect, Decision, String),
    /// Vertical arrows between the boxes: `(x, y1, y2)`.
    pub arrows: Vec<(f64, f64, f64)>,
}

/// One group of policies as the engine scans them: the trace subject, a title, the policies
/// with their engine names.
struct Group<'a> {
    subject: String,
    title: String,
    policies: Vec<(String, &'a Policy)>,
}

/// The groups in the order the drawing shows them (the evaluation logic's order).
fn groups(set: &PolicySet) -> Vec<Group<'_>> {
    let mut out = Vec::new();
    let n = set.scps.len();
    for (i, level) in set.scps.iter().enumerate() {
        out.push(Group {
            subject: format!("scps[{i}]"),
            title: format!("SCP level {} of {n}", i + 1),
            policies: level.iter().enumerate().map(|(j, p)| (format!("scps[{i}][{j}]"), &**p)).collect(),
        });
    }
    let n = set.rcps.len();
    for (i, level) in set.rcps.iter().enumerate() {
        out.push(Group {
            subject: format!("rcps[{i}]"),
            title: format!("RCP level {} of {n}", i + 1),
            policies: level.iter().enumerate().map(|(j, p)| (format!("rcps[{i}][{j}]"), &**p)).collect(),
        });
    }
    for (i, p) in set.vpc_endpoint.iter().enumerate() {
        let name = format!("vpcEndpoint[{i}]");
        out.push(Group {
            subject: name.clone(),
            title: "VPC endpoint policy".into(),
            policies: vec![(name, &**p)],
        });
    }
    if let Some(p) = &set.permissions_boundary {
        let name = "permissionsBoundary".to_string();
        out.push(Group {
            subject: name.clone(),
            title: "Permissions boundary".into(),
            policies: vec![(name, &**p)],
        });
    }
    if let Some(p) = &set.session {
        let name = "session".to_string();
        out.push(Group {
            subject: name.clone(),
            title: "Session policy".into(),
            policies: vec![(name, &**p)],
        });
    }
    out.push(Group {
        subject: "identity".into(),
        title: "Identity policies".into(),
        policies: set.identity.iter().enumerate().map(|(i, p)| (format!("identity[{i}]"), &**p)).collect(),
    });
    if let Some(p) = &set.resource {
        let name = "resource".to_string();
        out.push(Group { subject: name.clone(), title: "Key policy".into(), policies: vec![(name, &**p)] });
    }
    out
}

fn same(m: &MatchedStatement, policy: &str, index: usize) -> bool {
    m.policy == policy && m.statement_index == index
}

fn node_label(sid: Option<&str>, index: usize, effect: Effect) -> String {
    let effect = match effect {
        Effect::Allow => "Allow",
        Effect::Deny => "Deny",
    };
    match sid {
        Some(s) if !s.is_empty() => format!("{effect} {}", fit(s, 12)),
        _ => format!("{effect} #{index}"),
    }
}

/// Lays out the decision path of `ev` over the policies of `set`.
pub fn layout(set: &PolicySet, ev: &Evaluation) -> PathLayout {
    let trace = |subject: &str| ev.trace.iter().find(|s| s.subject == subject);
    let mut y = 0.0;
    let request_text = trace("request").map_or_else(|| "the request".to_string(), |s| s.message.clone());
    let request = (Rect::new(0.0, y, WIDTH, BOX_H), fit(&request_text, 120));
    y += BOX_H + ARROW;
    let mut drawn = 0usize;
    let mut more = 0usize;
    let mut lanes = Vec::new();
    let mut add_lane =
        |title: String, note: String, items: Vec<(String, usize, String, Status, bool)>, y: &mut f64| {
            let mut nodes = Vec::new();
            for (policy, index, label, status, deciding) in items {
                if drawn >= MAX_ITEMS {
                    more += 1;
                    continue;
                }
                drawn += 1;
                let k = nodes.len();
                let (col, row) = ((k % PER_ROW) as f64, (k / PER_ROW) as f64);
                let rect = Rect::new(
                    LABEL_W + 10.0 + col * (NODE_W + GAP),
                    *y + GAP + row * (NODE_H + GAP),
                    NODE_W,
                    NODE_H,
                );
                nodes.push(Node { rect, policy, index, label, status, deciding });
            }
            let rows = nodes.len().div_ceil(PER_ROW).max(1) as f64;
            // The nodes' rows, then a line for the trace's note across the lane.
            let h = (rows * (NODE_H + GAP) + GAP).max(BOX_H) + NOTE_H;
            lanes.push(Lane { rect: Rect::new(0.0, *y, WIDTH, h), title, note, nodes });
            *y += h;
        };
    for g in groups(set) {
        let step =
            trace(&g.subject).or_else(|| if g.subject.starts_with("scps") { trace("scps") } else { None });
        let skipped = step.is_none_or(|s| s.outcome == StepOutcome::Skipped);
        let items = g
            .policies
            .iter()
            .flat_map(|(name, p)| p.statements.iter().map(move |s| (name, s)))
            .map(|(name, s)| {
                let applied = ev.applied_statements.iter().any(|m| same(m, name, s.index));
                let status = match (skipped, applied, s.effect) {
                    (true, _, _) => Status::NotEvaluated,
                    (false, false, _) => Status::NoMatch,
                    (false, true, Effect::Allow) => Status::Allow,
                    (false, true, Effect::Deny) => Status::Deny,
                };
                let deciding = ev.matched_statements.iter().any(|m| same(m, name, s.index));
                (name.clone(), s.index, node_label(s.sid.as_deref(), s.index, s.effect), status, deciding)
            })
            .collect();
        let note = step.map_or_else(|| "not evaluated".to_string(), |s| s.message.clone());
        add_lane(g.title, note, items, &mut y);
        y += ARROW;
    }
    // KMS grants that decided (they are not policies: only the deciding one is known).
    let grants: Vec<_> = ev
        .matched_statements
        .iter()
        .filter(|m| m.policy.starts_with("grants["))
        .map(|m| {
            let label =
                format!("Grant {}", m.sid.as_deref().map_or_else(|| m.policy.clone(), |s| fit(s, 10)));
            (m.policy.clone(), m.statement_index, label, Status::Allow, true)
        })
        .collect();
    if !grants.is_empty() {
        let note = ev
            .trace
            .iter()
            .find(|s| s.subject.starts_with("grants["))
            .map_or_else(String::new, |s| s.message.clone());
        add_lane("KMS grants".into(), note, grants, &mut y);
        y += ARROW;
    }
    // Arrows run from each box's bottom to the next one's top.
    let mut tops: Vec<f64> = lanes.iter().map(|l| l.rect.y).collect();
    tops.push(y);
    let mut bottoms: Vec<f64> = vec![BOX_H];
    bottoms.extend(lanes.iter().map(|l| l.rect.y + l.rect.h));
    let arrows = bottoms.iter().zip(&tops).map(|(b, t)| (LABEL_W / 2.0, *b, *t)).collect();
    let decided = trace("decision").map_or_else(String::new, |s| s.message.clone());
    let decision = (Rect::new(0.0, y, WIDTH, BOX_H), ev.decision, fit(&decided, 120));
    PathLayout { height: y + BOX_H + 2.0, request, lanes, more, decision, arrows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secplay::policy::evaluate;
    use secplay::policy::json::read_input;
    use secplay::policy::source::Node as SourceNode;
    use serde_json::{json, Value};

    fn run(input: Value) -> PathLayout {
        let (set, req) = read_input(&SourceNode::from_value(&input)).unwrap();
        let ev = evaluate(&set, &req);
        layout(&set, &ev)
    }

    const KEY: &str = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    fn key_policy(statements: Value) -> String {
        json!({"Version": "2012-10-17", "Statement": statements}).to_string()
    }

    /// An explicit deny in any policy overrides every allow:
    /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
    #[test]
    fn explicit_deny_in_the_key_policy_is_the_deciding_node() {
        let l = run(json!({
            "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "kms:Decrypt", "resource": KEY},
            "policies": {
                "identity": [key_policy(json!([{"Sid": "UseKeys", "Effect": "Allow", "Action": "kms:*", "Resource": "*"}]))],
                "resource": key_policy(json!([
                    {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
                    {"Sid": "NoDecrypt", "Effect": "Deny", "Principal": "*", "Action": "kms:Decrypt", "Resource": "*"},
                    {"Sid": "Other", "Effect": "Allow", "Principal": "*", "Action": "kms:Encrypt", "Resource": "*"}
                ]))
            }
        }));
        assert_eq!(l.decision.1, Decision::ExplicitDeny);
        let titles: Vec<&str> = l.lanes.iter().map(|l| l.title.as_str()).collect();
        assert_eq!(titles, ["Identity policies", "Key policy"]);
        let key = &l.lanes[1].nodes;
        assert_eq!(key.len(), 3);
        assert_eq!((key[0].status, key[0].deciding), (Status::Allow, false));
        assert_eq!((key[1].status, key[1].deciding), (Status::Deny, true));
        assert_eq!(key[1].label, "Deny NoDecrypt");
        assert_eq!((key[2].status, key[2].deciding), (Status::NoMatch, false));
        assert_eq!(l.lanes[0].nodes[0].status, Status::Allow);
        assert_eq!(l.arrows.len(), 3, "request → identity → key policy → decision");
    }

    /// Same account: the key policy delegating to the account plus an identity policy allows:
    /// https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html
    #[test]
    fn an_allow_marks_the_identity_statement_as_deciding_and_the_scp_lane_comes_first() {
        let l = run(json!({
            "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "kms:Encrypt", "resource": KEY},
            "policies": {
                "identity": [key_policy(json!([{"Sid": "UseKeys", "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}]))],
                "resource": key_policy(json!([{"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"}])),
                "scps": [[key_policy(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]))]]
            }
        }));
        assert_eq!(l.decision.1, Decision::Allowed);
        assert_eq!(l.lanes[0].title, "SCP level 1 of 1");
        assert_eq!(l.lanes[0].nodes[0].label, "Allow #0");
        let deciding: Vec<&str> =
            l.lanes.iter().flat_map(|l| &l.nodes).filter(|n| n.deciding).map(|n| n.policy.as_str()).collect();
        assert!(deciding.contains(&"identity[0]"), "{deciding:?}");
        assert!(l.lanes.windows(2).all(|w| w[0].rect.y + w[0].rect.h < w[1].rect.y), "lanes flow downwards");
    }

    /// SCPs do not apply to service principals:
    /// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
    #[test]
    fn scps_skipped_for_a_service_principal_are_not_evaluated() {
        let l = run(json!({
            "request": {"principal": "cloudtrail.amazonaws.com", "action": "kms:GenerateDataKey", "resource": KEY},
            "policies": {
                "identity": [],
                "resource": key_policy(json!([{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "kms:GenerateDataKey", "Resource": "*"}])),
                "scps": [[key_policy(json!([{"Effect": "Deny", "Action": "*", "Resource": "*"}]))]]
            }
        }));
        assert_eq!(l.lanes[0].nodes[0].status, Status::NotEvaluated);
        assert_eq!(l.decision.1, Decision::Allowed);
    }

    #[test]
    fn past_the_cap_statements_are_counted_not_drawn() {
        let many: Vec<Value> = (0..130)
            .map(|i| json!({"Sid": format!("S{i}"), "Effect": "Allow", "Action": "kms:Encrypt", "Resource": "*"}))
            .collect();
        let l = run(json!({
            "request": {"principal": "arn:aws:iam::111122223333:user/alice", "action": "kms:Decrypt", "resource": KEY},
            "policies": {"identity": [key_policy(Value::Array(many))]}
        }));
        let drawn: usize = l.lanes.iter().map(|l| l.nodes.len()).sum();
        assert_eq!((drawn, l.more), (MAX_ITEMS, 30));
        let last = l.lanes[0].nodes.last().unwrap();
        assert!(last.rect.y + last.rect.h <= l.lanes[0].rect.y + l.lanes[0].rect.h);
        assert!(l.decision.0.y + l.decision.0.h <= l.height);
    }
}
