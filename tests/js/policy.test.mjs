// The policy engine through the npm package in Node: the vector corpus through `evaluatePolicy`
// (objects and JSON text), validation findings with positions, and coded errors.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { initSync, CompiledPolicies, evaluatePolicy, validatePolicy, evaluateActions, policyTemplate, referencedContextKeys } from "../../pkg/secplay.js";

initSync({ module: readFileSync(new URL("../../pkg/secplay_bg.wasm", import.meta.url)) });
const corpus = JSON.parse(readFileSync(new URL("../../../shared/vectors/iam/policy-eval-cases.json", import.meta.url), "utf8"));

test("every documented/high vector decides as expected through the JS API", () => {
  const cases = corpus.cases.filter((c) => c.confidence !== "doubtful");
  assert.ok(cases.length >= 370);
  for (const c of cases) {
    const r = evaluatePolicy({ request: c.request, policies: c.policies });
    assert.equal(r.decision, c.expected.decision, c.id);
    assert.ok(Array.isArray(r.trace) && r.trace.length > 0, `${c.id} has a trace`);
  }
});

test("JSON text input reports the deciding statement's position in that text", () => {
  const text = JSON.stringify({
    request: { principal: "arn:aws:iam::111122223333:user/alice", action: "kms:Decrypt",
               resource: "arn:aws:kms:us-east-1:111122223333:key/k1", resourceAccount: "111122223333" },
    policies: { identity: [{ Version: "2012-10-17", Statement: [{ Sid: "NoDecrypt", Effect: "Deny", Action: "kms:*", Resource: "*" }] }] },
  }, null, 2);
  const r = evaluatePolicy(text);
  assert.equal(r.decision, "explicitDeny");
  const [m] = r.matchedStatements;
  assert.equal(m.sid, "NoDecrypt");
  assert.ok(m.range.start.line > 1, "positions refer to the input text");
});

test("validation finds problems with their level, code and location", () => {
  const findings = validatePolicy('{"Statement":[{"Effect":"Allow","Principal":"*","Action":"kms:*","Resource":"*"}]}', "key");
  const levels = new Set(findings.map((f) => f.findingType));
  assert.ok(levels.has("SECURITY_WARNING"), JSON.stringify(findings));
  assert.ok(findings.every((f) => f.issueCode && f.message && f.location));
  const broken = validatePolicy('{"Version": "2012-10-17", "Statement": [', "identity");
  assert.equal(broken[0].findingType, "ERROR");
});

test("what can this principal do, templates, context-key suggestions", () => {
  const { policy } = policyTemplate("defaultKeyPolicy", { account: "111122223333" });
  const input = {
    request: { principal: "arn:aws:iam::111122223333:user/alice", action: "kms:Decrypt",
               resource: "arn:aws:kms:us-east-1:111122223333:key/k1", resourceAccount: "111122223333" },
    policies: { resource: policy, identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: "*",
      Condition: { StringEquals: { "kms:EncryptionContext:app": "billing" } } }] }] },
  };
  const all = evaluateActions(input, "kms");
  assert.ok(all.length > 30);
  assert.ok(all.every((a) => a.action.startsWith("kms:")));
  assert.ok(referencedContextKeys(input).includes("kms:EncryptionContext:app"));
});

test("bad input throws coded errors", () => {
  const codeOf = (fn) => { try { fn(); } catch (e) { return e.code; } return "no error"; };
  assert.equal(codeOf(() => evaluatePolicy("{not json")), "MalformedJson");
  assert.equal(codeOf(() => validatePolicy("{}", "nonsense")), "UnknownPolicyType");
  assert.equal(codeOf(() => policyTemplate("noSuchTemplate", {})), "InvalidRequest");
});

test("parse once, evaluate many: CompiledPolicies agrees with evaluatePolicy on the corpus", () => {
  let n = 0;
  for (const c of corpus.cases.filter((c) => c.confidence !== "doubtful")) {
    const compiled = new CompiledPolicies({ policies: c.policies });
    assert.equal(compiled.decision(c.request), c.expected.decision, c.id);
    assert.equal(compiled.evaluate(c.request).decision, c.expected.decision, c.id);
    compiled.free();
    n++;
  }
  assert.ok(n >= 370);
});
