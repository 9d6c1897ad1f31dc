// The Firewall Manager engine through the npm package in Node: the page's example and the test
// organisation (tests/fms/org.json) decided as natively (tests/fms/cases.rs cites the FMS docs
// for each rule), JSON text accepted like objects, and coded errors with JSON pointers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, evaluateFirewallManager } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const text = (p) => readFileSync(new URL(p, import.meta.url), "utf8");
const exampleOrg = text("../../src/fms/examples/org.json");
const examplePolicies = text("../../src/fms/examples/policies.json");
const testOrg = JSON.parse(text("../fms/org.json"));
const SHOP = "arn:aws:elasticloadbalancing:eu-west-1:222222222222:loadbalancer/app/shop/50dc6c495c0c9188";
const NEW_TEAM = "arn:aws:elasticloadbalancing:eu-west-1:555555555555:loadbalancer/app/newapp/7e1b2c3d4e5f6a7b";
const request = (uri) => ({ method: "GET", uri, headers: [["Host", "shop.example.com"], ["User-Agent", "curl/8.5.0"]], clientIp: "192.0.2.1" });

function wafPolicy(name, extra = {}, data = {}) {
  const msd = { type: "WAFV2", preProcessRuleGroups: [], postProcessRuleGroups: [], defaultAction: { type: "ALLOW" }, ...data };
  return { Policy: { PolicyName: name, SecurityServicePolicyData: { Type: "WAFV2", ManagedServiceData: JSON.stringify(msd) },
    ResourceType: "AWS::ElasticLoadBalancingV2::LoadBalancer", ExcludeResourceTags: false, RemediationEnabled: true, ...extra },
    PolicyArn: "arn:aws:fms:eu-west-1:100000000000:policy/a0000000-0000-4000-8000-000000000000" };
}

// https://docs.aws.amazon.com/waf/latest/developerguide/waf-policies-rule-groups.html
test("the example as text: a SQL injection is blocked by the last rule group, /admin by the account's rule", () => {
  const sqli = evaluateFirewallManager(exampleOrg, examplePolicies, { resource: SHOP, request: request("/search?q=1%27%20OR%20%271%27%3D%271") });
  assert.equal(sqli.evaluation.action, "BLOCK");
  assert.equal(sqli.evaluation.set, "last");
  assert.deepEqual(sqli.merged.rules.map((r) => r.set), ["first", "account", "last"]);
  assert.match(sqli.merged.webAcl.name, /^FMManagedWebACLV2-baseline-regional-\d+$/);
  const admin = evaluateFirewallManager(JSON.parse(exampleOrg), JSON.parse(examplePolicies), { resource: SHOP, request: request("/admin") });
  assert.equal(admin.evaluation.record.terminatingRuleId, "shop-block-admin");
  assert.equal(admin.evaluation.set, "account");
});

// https://docs.aws.amazon.com/waf/latest/developerguide/policy-scope.html ("When you add a new account ...")
test("the clock: the account joining at t=600 is covered then, not before", () => {
  const before = evaluateFirewallManager(exampleOrg, examplePolicies, { at: 599 });
  assert.ok(before.upcoming.some((u) => u.arn === NEW_TEAM && u.since === 600));
  assert.ok(!before.resources.some((r) => r.arn === NEW_TEAM));
  const after = evaluateFirewallManager(exampleOrg, examplePolicies, { at: 600 });
  const r = after.resources.find((x) => x.arn === NEW_TEAM);
  assert.equal(r.compliant, true);
  assert.equal(r.webAcl.source, "firewall-manager");
  const p = after.policies.find((x) => x.policyName === "baseline-regional");
  assert.equal(p.compliant, before.policies.find((x) => x.policyName === "baseline-regional").compliant + 1);
});

// https://repost.aws/knowledge-center/waf-web-acl-association-behavior
test("remediation off reports RESOURCE_MISSING_WEB_ACL; an own web ACL is kept without the override", () => {
  const off = evaluateFirewallManager(testOrg, [wafPolicy("audit", { RemediationEnabled: false })]);
  const shop = off.resources.find((r) => r.arn.includes("/app/shop/"));
  assert.equal(shop.policies[0].violation, "RESOURCE_MISSING_WEB_ACL");
  const on = evaluateFirewallManager(testOrg, [wafPolicy("keep")]);
  const own = on.resources.find((r) => r.arn.includes("/app/ownacl/"));
  assert.equal(own.policies[0].violation, "RESOURCE_INCORRECT_WEB_ACL");
  assert.equal(own.webAcl.source, "own");
});

// https://docs.aws.amazon.com/fms/2018-01-01/APIReference/API_Policy.html (child OUs)
test("IncludeMap by OU covers a nested child OU; out-of-scope resources say why", () => {
  const r = evaluateFirewallManager(testOrg, wafPolicy("prod", { IncludeMap: { ORG_UNIT: ["ou-test-prod0001"] } }));
  assert.equal(r.resources.find((x) => x.arn.includes("/app/cards/")).inScope, true);
  const dev = r.resources.find((x) => x.arn.includes("/app/dev/"));
  assert.deepEqual(dev.policies[0].reasons.map((x) => x.code), ["ACCOUNT_NOT_INCLUDED"]);
  assert.equal(r.units.find((u) => u.id === "ou-test-card0001").depth, 3);
});

test("errors are SecplayErrors with a code and a JSON pointer", () => {
  const bad = wafPolicy("x", { Bogus: 1 });
  assert.throws(() => evaluateFirewallManager(testOrg, [bad]),
    (e) => e.name === "SecplayError" && e.code === "UnknownField" && e.pointer === "/policies/0/Policy");
  assert.throws(() => evaluateFirewallManager("{", []), (e) => e.code === "MalformedJson");
  assert.throws(() => evaluateFirewallManager(testOrg, [], { resource: "arn:aws:nope" }),
    (e) => e.code === "InvalidOptions" && e.pointer === "/options/resource");
  assert.throws(() => evaluateFirewallManager(42, []), (e) => e.code === "InvalidInput");
});
