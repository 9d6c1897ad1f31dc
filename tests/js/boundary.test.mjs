// The JS boundary against arguments of the wrong type, as a caller without TypeScript would pass
// them: every export of the package (found from the module and from secplay.d.ts, so a new one
// without an entry in ARGS fails here) is called with values of every JS type in each argument.
// A wrong type must come back as SecplayError `InvalidInput` naming the argument, thrown or as a
// rejected Promise: never a trap, an exception escaping from the package's async internals, a
// Promise that never settles, an error without a code, or a silent success. Values nested 100,000
// deep (and values that contain themselves) are refused the same way in every JSON-taking
// argument, and after every failure the same instance and the module still answer correctly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { setImmediate as tick } from "node:timers/promises";
import * as pkg from "../../pkg/secplay.js";

const pkgDir = new URL("../../pkg/", import.meta.url);
pkg.initSync({ module: readFileSync(new URL("secplay_bg.wasm", pkgDir)) });
const dts = readFileSync(new URL("secplay.d.ts", pkgDir), "utf8");
const geoBin = readFileSync(new URL("geo.bin", pkgDir));

// Exceptions that escape a call (from a Promise's internals, a callback) end up here.
const escaped = [];
process.on("uncaughtException", (e) => escaped.push(e));
process.on("unhandledRejection", (e) => escaped.push(e));

// --- valid arguments ---------------------------------------------------------------------------
const bytes = new TextEncoder().encode("the same bytes, before and after");
const key32 = new Uint8Array(32).fill(7);
const esdkOpts = { keyrings: [{ type: "raw-aes", namespace: "ns", name: "k", key: Buffer.from(key32).toString("base64") }], suiteId: 0x0478 };
const policyInput = {
  request: { principal: "arn:aws:iam::111122223333:user/alice", action: "s3:GetObject",
             resource: "arn:aws:s3:::bucket/key", resourceAccount: "111122223333" },
  policies: { identity: [{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }] },
};
const vis = { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: "m" };
const acl = { WebACL: { Name: "t", Id: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", DefaultAction: { Allow: {} }, Capacity: 0,
  ARN: "arn:aws:wafv2:us-east-1:111122223333:regional/webacl/t/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", VisibilityConfig: vis,
  Rules: [{ Name: "sqli", Priority: 0, Action: { Block: {} }, VisibilityConfig: vis,
    Statement: { SqliMatchStatement: { FieldToMatch: { QueryString: {} }, TextTransformations: [{ Priority: 0, Type: "URL_DECODE" }] } } }] } };
const wafRequest = { method: "GET", uri: "/?id=1%27%20OR%20%271%27%3D%271", headers: [["Host", "example.com"]], clientIp: "192.0.2.10" };
const rsa = await pkg.generateRsaKeyPair(2048);
const certPem = readFileSync(new URL("../acm/data/rsa2048.pem", import.meta.url), "utf8");
const envelope = pkg.envelopeSeal(bytes, rsa.publicKeyPem);
const geoDb = new pkg.GeoDatabase(geoBin);
const ciphertext = await pkg.esdkEncrypt(bytes, esdkOpts);

// --- what each argument takes ------------------------------------------------------------------
const plainObject = (v) => v !== null && typeof v === "object" && Object.prototype.toString.call(v) === "[object Object]";
const KINDS = {
  string: (v) => typeof v === "string",
  bytes: (v) => v instanceof Uint8Array,
  bytesOrString: (v) => v instanceof Uint8Array || typeof v === "string",
  number: (v) => typeof v === "number" && !Number.isNaN(v),
  object: plainObject,
  // An object read field by field, never converted: its depth does not matter.
  record: plainObject,
  objectOrText: (v) => plainObject(v) || typeof v === "string",
  arrayOrText: (v) => Array.isArray(v) || typeof v === "string",
  function: (v) => typeof v === "function",
  json: (v) => Array.isArray(v) || plainObject(v) || typeof v === "string",
  GeoDatabase: (v) => v instanceof pkg.GeoDatabase,
  Kms: (v) => v instanceof pkg.Kms,
  SecretsManager: (v) => v instanceof pkg.SecretsManager,
};
const JSON_KINDS = ["object", "objectOrText", "arrayOrText", "json"];

// Each export: its parameters `[name, kind]` (`kind?`: optional, undefined and null accepted), the
// valid arguments (for the parameters not under test), and for methods the instance to call them on.
// `check(instance)` proves the instance still answers correctly after the failed calls.
const newEncryptor = () => new pkg.EsdkEncryptor(esdkOpts);
const newDecryptor = () => new pkg.EsdkDecryptor(esdkOpts);
const checkEncryptor = async (enc) => {
  const ct = new Uint8Array([...enc.update(bytes), ...enc.finish()]);
  assert.deepEqual((await pkg.esdkDecrypt(ct, esdkOpts)).plaintext, bytes);
};
const checkDecryptor = (dec) => {
  const out = [...dec.update(ciphertext), ...dec.finish()];
  assert.deepEqual(new Uint8Array(out), bytes);
};
const stream = (make, check, params, valid) => ({ make, check, params, valid });
const newAcl = () => new pkg.WebAcl(acl);
const checkAcl = (waf) => assert.equal(waf.evaluate(wafRequest).action, "BLOCK");
const newCompiled = () => new pkg.CompiledPolicies({ policies: policyInput.policies });
const checkCompiled = (c) => assert.equal(c.decision(policyInput.request), "allowed");
const KMS_ADMIN = "arn:aws:iam::111122223333:role/Admin";
const newKms = () => new pkg.Kms();
const checkKms = (k) => {
  const key = k.call("CreateKey", {}, KMS_ADMIN).KeyMetadata.KeyId;
  const blob = k.call("Encrypt", { KeyId: key, Plaintext: "aGk=" }, KMS_ADMIN).CiphertextBlob;
  assert.equal(k.call("Decrypt", { CiphertextBlob: blob }, KMS_ADMIN).Plaintext, "aGk=");
};
const kms = (params, valid) => ({ ...stream(newKms, checkKms, params, valid), aws: true });
const newSsm = () => new pkg.Ssm(new pkg.Kms());
const checkSsm = (s) => {
  s.call("PutParameter", { Name: `/b/${Math.random().toString(36).slice(2)}`, Value: "v", Type: "SecureString" }, KMS_ADMIN);
  assert.ok(s.call("DescribeParameters", {}, KMS_ADMIN).Parameters.length > 0);
};
const ssm = (params, valid) => ({ ...stream(newSsm, checkSsm, params, valid), aws: true });
const newSecrets = () => new pkg.SecretsManager(new pkg.Kms());
const checkSecrets = (sm) => {
  sm.call("CreateSecret", { Name: `check-${Math.random()}`.replace("0.", ""), SecretString: "v" }, KMS_ADMIN);
  assert.ok(Array.isArray(sm.call("ListSecrets", {}, KMS_ADMIN).SecretList));
};
const secrets = (params, valid) => ({ ...stream(newSecrets, checkSecrets, params, valid), aws: true });
const fmsOrg = JSON.parse(readFileSync(new URL("../fms/org.json", import.meta.url), "utf8"));
const s3Cases = JSON.parse(readFileSync(new URL("../s3/cases.json", import.meta.url), "utf8"));
const s3Input = s3Cases.bases.base;
const s3Inventory = { ...s3Input, objects: undefined, inventory: { fileSchema: "Bucket, Key, EncryptionStatus" } };
const newReplication = () => new pkg.ReplicationEvaluator(s3Inventory);
const checkReplication = (ev) => {
  assert.match(ev.push('"src-bucket","docs%2Fa","SSE-S3"\n'), /^docs\/a,,COMPLETED,REPLICATED,REPLICATED\n$/);
};
const newReplayer = () => new pkg.LogReplayer(acl);
const checkReplayer = (r) => assert.equal(typeof r.progress().records, "number");
const floodAcl = { ...acl.WebACL, Rules: [{ Name: "r", Priority: 0, Action: { Block: {} }, VisibilityConfig: vis,
  Statement: { RateBasedStatement: { Limit: 10, EvaluationWindowSec: 60, AggregateKeyType: "IP" } } }] };
const floodScenario = { kind: "httpGetFlood", attackers: 1, attackerRate: 1, durationSec: 30 };
const newFlood = () => new pkg.FloodSimulator(floodAcl);
const checkFlood = (f) => assert.equal(f.run(floodScenario).totals.blocked, 10);
const newScanner = () => new pkg.SensitiveDataScanner();
const checkScanner = (s) => assert.equal(s.push("a.b@example.com ").bytesScanned > 0, true);
// The key store (in Node: in memory, no IndexedDB), unlocked once up front.
const keyStore = await pkg.KeyStore.open("boundary");
await keyStore.unlock("boundary passphrase");
await keyStore.put("k", { kind: "raw-aes-keyring", name: "k", data: key32 });
const keyStoreBackup = keyStore.exportBackup();
const checkKeyStore = async (ks) => {
  if (!ks.isUnlocked()) await ks.unlock("boundary passphrase");
  assert.deepEqual((await ks.get("k")).data, key32);
};
const ks = (params, valid) => stream(() => keyStore, checkKeyStore, params, valid);
// changePassphrase succeeds with any string as the new passphrase: its own store, which stays
// unlocked whatever passphrase it ends with.
const keyStoreCp = await pkg.KeyStore.open("boundary-cp");
await keyStoreCp.unlock("boundary passphrase");
await keyStoreCp.put("k", { kind: "raw-aes-keyring", name: "k", data: key32 });
const checkKeyStoreCp = async (s) => assert.deepEqual((await s.get("k")).data, key32);
const checkGeo = (db) => assert.equal(typeof db.stats().bytes, "number");

const ARGS = {
  version: { params: [] },
  generateDataKey: { params: [] },
  aesGcmEncrypt: { params: [["key", "bytes"], ["plaintext", "bytes"], ["aad", "bytes?"]], valid: () => [key32, bytes, bytes] },
  aesGcmDecrypt: { params: [["key", "bytes"], ["sealed", "record"], ["aad", "bytes?"]], valid: () => [key32, pkg.aesGcmEncrypt(key32, bytes, bytes), bytes] },
  generateRsaKeyPair: { params: [["bits", "number?"]], valid: () => [2048] },
  envelopeSeal: { params: [["plaintext", "bytesOrString"], ["publicKeyPem", "string"]], valid: () => [bytes, rsa.publicKeyPem] },
  envelopeOpen: { params: [["envelope", "object"], ["privateKeyPem", "string"]], valid: () => [envelope, rsa.privateKeyPem] },
  esdkEncrypt: { params: [["plaintext", "bytes"], ["options", "object"]], valid: () => [bytes, esdkOpts] },
  esdkDecrypt: { params: [["ciphertext", "bytes"], ["options", "object"]], valid: () => [ciphertext, esdkOpts] },
  esdkInspect: { params: [["message", "bytes"]], valid: () => [ciphertext] },
  EsdkEncryptor: { params: [["options", "object"]], valid: () => [esdkOpts] },
  "EsdkEncryptor#update": stream(newEncryptor, checkEncryptor, [["chunk", "bytes"]], () => [bytes]),
  "EsdkEncryptor#updateInto": stream(newEncryptor, checkEncryptor, [["chunk", "bytes"], ["out", "bytes"]], () => [bytes, new Uint8Array(4096)]),
  "EsdkEncryptor#drainInto": stream(newEncryptor, checkEncryptor, [["out", "bytes"]], () => [new Uint8Array(16)]),
  "EsdkEncryptor#finish": stream(newEncryptor, () => {}, [], () => []),
  "EsdkEncryptor#updateAsync": stream(newEncryptor, checkEncryptor, [["chunk", "bytes"]], () => [bytes]),
  "EsdkEncryptor#finishAsync": stream(newEncryptor, () => {}, [], () => []),
  "EsdkEncryptor#pushAsync": stream(newEncryptor, checkEncryptor, [["chunk", "bytes"]], () => [bytes]),
  EsdkDecryptor: { params: [["options", "object"]], valid: () => [esdkOpts] },
  "EsdkDecryptor#update": stream(newDecryptor, checkDecryptor, [["chunk", "bytes"]], () => [new Uint8Array(0)]),
  "EsdkDecryptor#updateInto": stream(newDecryptor, checkDecryptor, [["chunk", "bytes"], ["out", "bytes"]], () => [new Uint8Array(0), new Uint8Array(16)]),
  "EsdkDecryptor#drainInto": stream(newDecryptor, checkDecryptor, [["out", "bytes"]], () => [new Uint8Array(16)]),
  "EsdkDecryptor#finish": stream(newDecryptor, () => {}, [], () => []),
  "EsdkDecryptor#header": stream(newDecryptor, checkDecryptor, [], () => []),
  "EsdkDecryptor#updateAsync": stream(newDecryptor, checkDecryptor, [["chunk", "bytes"]], () => [new Uint8Array(0)]),
  "EsdkDecryptor#finishAsync": stream(newDecryptor, () => {}, [], () => []),
  "EsdkDecryptor#pushAsync": stream(newDecryptor, checkDecryptor, [["chunk", "bytes"]], () => [new Uint8Array(0)]),
  evaluatePolicy: { params: [["input", "objectOrText"]], valid: () => [policyInput] },
  validatePolicy: { params: [["policy", "objectOrText"], ["policyType", "string"]], valid: () => [policyInput.policies.identity[0], "identity"] },
  evaluateActions: { params: [["input", "objectOrText"], ["service", "string"]], valid: () => [policyInput, "s3"] },
  policyTemplate: { params: [["name", "string"], ["params", "object?"]], valid: () => ["defaultKeyPolicy", {}] },
  referencedContextKeys: { params: [["input", "objectOrText"]], valid: () => [policyInput] },
  CompiledPolicies: { params: [["input", "objectOrText"]], valid: () => [{ policies: policyInput.policies }] },
  "CompiledPolicies#evaluate": stream(newCompiled, checkCompiled, [["request", "object"]], () => [policyInput.request]),
  "CompiledPolicies#decision": stream(newCompiled, checkCompiled, [["request", "object"]], () => [policyInput.request]),
  WebAcl: { params: [["json", "objectOrText"], ["resources", "objectOrText?"], ["options", "objectOrText?"]], valid: () => [acl, {}, {}] },
  "WebAcl#evaluate": stream(newAcl, checkAcl, [["request", "objectOrText"], ["context", "objectOrText?"]], () => [wafRequest, {}]),
  "WebAcl#replay": stream(newAcl, checkAcl, [["requests", "json"]], () => [[wafRequest]]),
  "WebAcl#capacity": stream(newAcl, checkAcl, [], () => []),
  "WebAcl#capacityReport": stream(newAcl, checkAcl, [], () => []),
  "WebAcl#reset": stream(newAcl, checkAcl, [], () => []),
  "WebAcl#needsGeoDatabase": stream(newAcl, checkAcl, [["request", "objectOrText"]], () => [wafRequest]),
  "WebAcl#setGeoDatabase": stream(newAcl, checkAcl, [["db", "GeoDatabase"]], () => [geoDb]),
  "WebAcl#clearGeoDatabase": stream(newAcl, checkAcl, [], () => []),
  GeoDatabase: { params: [["bytes", "bytes"]], valid: () => [geoBin] },
  "GeoDatabase#lookup": stream(() => geoDb, checkGeo, [["ip", "string"]], () => ["192.0.2.1"]),
  "GeoDatabase#stats": stream(() => geoDb, checkGeo, [], () => []),
  loadGeoDatabase: { params: [["bytes", "bytes"]], valid: () => [geoBin] },
  detectSqli: { params: [["input", "string"], ["sensitivity", "string?"]], valid: () => ["x", "LOW"] },
  explainSqli: { params: [["input", "string"], ["sensitivity", "string?"]], valid: () => ["x", "LOW"] },
  detectXss: { params: [["input", "string"]], valid: () => ["x"] },
  explainXss: { params: [["input", "string"]], valid: () => ["x"] },
  applyTransformations: { params: [["input", "string"], ["transformations", "arrayOrText"]], valid: () => ["%41", [{ Type: "URL_DECODE", Priority: 0 }]] },
  parseRequestText: { params: [["text", "string"], ["clientIp", "string"]], valid: () => ["GET / HTTP/1.1\r\nHost: a\r\n\r\n", "192.0.2.1"] },
  // The KMS emulator: a wrong JS type is InvalidInput like everywhere; a request of the right type
  // that KMS refuses throws the AWS exception (`aws: true` lets those through as coded errors).
  scanSensitiveData: { params: [["input", "bytesOrString"], ["options", "object?"]], valid: () => ["mail a.b@example.com", {}] },
  SensitiveDataScanner: { params: [["options", "object?"]], valid: () => [{}] },
  "SensitiveDataScanner#push": stream(newScanner, checkScanner, [["chunk", "bytesOrString"]], () => ["x"]),
  "SensitiveDataScanner#finish": stream(newScanner, () => {}, [], () => []),
  evaluateReplication: { params: [["input", "objectOrText"], ["opts", "record?"]], valid: () => [s3Input, {}] },
  evaluateFirewallManager: { params: [["orgJson", "objectOrText"], ["policiesJson", "json"], ["options", "objectOrText?"]], valid: () => [fmsOrg, [], {}] },
  inspectCertificate: { params: [["cert", "bytesOrString"], ["options", "object?"]], valid: () => [certPem, { at: 1780000000 }] },
  acmTimeline: { params: [["cert", "bytesOrString"], ["options", "object?"]], valid: () => [certPem, { type: "AMAZON_ISSUED" }] },
  ReplicationEvaluator: { params: [["input", "objectOrText"], ["opts", "record?"]], valid: () => [s3Inventory, {}] },
  "ReplicationEvaluator#header": stream(newReplication, checkReplication, [], () => []),
  "ReplicationEvaluator#push": stream(newReplication, checkReplication, [["chunk", "bytesOrString"]], () => ['"src-bucket","k","NOT-SSE"\n']),
  "ReplicationEvaluator#finish": stream(newReplication, () => {}, [], () => []),
  replayLogs: { params: [["aclJson", "objectOrText"], ["resources", "objectOrText?"], ["logText", "bytesOrString"], ["options", "objectOrText?"]],
    valid: () => [acl, {}, "", {}] },
  LogReplayer: { params: [["aclJson", "objectOrText"], ["resources", "objectOrText?"], ["options", "objectOrText?"]], valid: () => [acl, {}, {}] },
  "LogReplayer#push": stream(newReplayer, checkReplayer, [["chunk", "bytesOrString"]], () => ["\n"]),
  "LogReplayer#progress": stream(newReplayer, checkReplayer, [], () => []),
  "LogReplayer#finish": stream(newReplayer, () => {}, [], () => []),
  FloodSimulator: { params: [["aclJson", "objectOrText"], ["resources", "objectOrText?"], ["options", "objectOrText?"]], valid: () => [floodAcl, {}, {}] },
  "FloodSimulator#run": stream(newFlood, checkFlood, [["scenario", "objectOrText"], ["onProgress", "function?"]], () => [floodScenario, () => {}]),
  "FloodSimulator#runMix": stream(newFlood, checkFlood, [["scenarios", "arrayOrText"]], () => [[floodScenario]]),
  ddosChecklist: { params: [["architectureJson", "objectOrText"]], valid: () => [{ entryPoints: [] }] },
  Kms: { aws: true, params: [["options", "objectOrText?"]], valid: () => [{}] },
  "Kms#call": kms([["operation", "string"], ["request", "objectOrText?"], ["caller", "objectOrText"]], () => ["ListKeys", {}, KMS_ADMIN]),
  "Kms#auditLog": kms([["filter", "objectOrText?"]], () => [{}]),
  "Kms#exportAuditLog": kms([], () => []),
  "Kms#advanceClock": kms([["days", "number"]], () => [1]),
  "Kms#now": kms([], () => []),
  "Kms#costEstimate": kms([["monthly", "objectOrText?"]], () => [{}]),
  "Kms#snapshot": kms([], () => []),
  "Kms#restore": { make: () => pkg.Kms, aws: true, params: [["bytes", "bytes"]], valid: () => [new pkg.Kms().snapshot()] },
  "Kms#addAccount": kms([["id", "string"], ["name", "string?"]], () => ["777788889999", "third"]),
  "Kms#addRegion": kms([["region", "string"]], () => ["eu-north-1"]),
  "Kms#addPrincipal": kms([["arn", "string"], ["tags", "objectOrText?"]], () => ["arn:aws:iam::111122223333:user/bob", { team: "a" }]),
  "Kms#putIdentityPolicy": kms([["arn", "string"], ["name", "string"], ["policy", "objectOrText"]], () => [KMS_ADMIN, "p", policyInput.policies.identity[0]]),
  "Kms#deleteIdentityPolicy": kms([["arn", "string"], ["name", "string"]], () => [KMS_ADMIN, "p"]),
  "Kms#setPermissionsBoundary": kms([["arn", "string"], ["policy", "objectOrText?"]], () => [KMS_ADMIN, null]),
  "Kms#setScps": kms([["account", "string"], ["levels", "arrayOrText"]], () => ["111122223333", []]),
  "Kms#world": kms([], () => []),
  SecretsManager: { aws: true, params: [["kms", "Kms"]], valid: () => [new pkg.Kms()] },
  "SecretsManager#call": secrets([["operation", "string"], ["request", "objectOrText?"], ["caller", "objectOrText"]], () => ["ListSecrets", {}, KMS_ADMIN]),
  "SecretsManager#advanceClock": secrets([["days", "number"]], () => [1]),
  "SecretsManager#putRotationFunction": secrets([["functionArn", "string"], ["options", "objectOrText?"]], () => ["arn:aws:lambda:us-east-1:111122223333:function:f", {}]),
  "SecretsManager#rotationHistory": secrets([["secretId", "string"], ["caller", "objectOrText"]], () => ["none", KMS_ADMIN]),
  KeyStore: { params: [] },
  // A static method: called on the class itself.
  "KeyStore#open": { make: () => pkg.KeyStore, params: [["name", "string"]], valid: () => ["boundary-2"] },
  "KeyStore#isPersistent": ks([], () => []),
  "KeyStore#unlock": ks([["passphrase", "string"]], () => ["boundary passphrase"]),
  "KeyStore#lock": ks([], () => []),
  "KeyStore#isUnlocked": ks([], () => []),
  "KeyStore#lockIfIdle": ks([], () => []),
  "KeyStore#autoLockMinutes": ks([], () => []),
  "KeyStore#setAutoLockMinutes": ks([["minutes", "number"]], () => [15]),
  "KeyStore#put": ks([["id", "string"], ["record", "record"]], () => ["k2", { kind: "raw-aes-keyring", name: "k2", data: key32 }]),
  "KeyStore#get": ks([["id", "string"]], () => ["k"]),
  "KeyStore#list": ks([], () => []),
  "KeyStore#refresh": ks([], () => []),
  "KeyStore#rawRecord": ks([["id", "string"]], () => ["k"]),
  "KeyStore#delete": ks([["id", "string"]], () => ["k2"]),
  "KeyStore#exportBackup": ks([], () => []),
  "KeyStore#importBackup": ks([["bytes", "bytes"], ["passphrase", "string"], ["mode", "string"]], () => [keyStoreBackup, "boundary passphrase", "merge"]),
  "KeyStore#changePassphrase": stream(() => keyStoreCp, checkKeyStoreCp, [["old", "string"], ["newPassphrase", "string"]], () => ["boundary passphrase", "boundary passphrase"]),
  "Kms#createAccessKey": kms([["principal", "string"]], () => [KMS_ADMIN]),
  "Kms#adminCredentials": kms([], () => []),
  Ssm: { aws: true, params: [["kms", "Kms"]], valid: () => [new pkg.Kms()] },
  "Ssm#call": ssm([["operation", "string"], ["request", "objectOrText?"], ["caller", "objectOrText"]], () => ["DescribeParameters", {}, KMS_ADMIN]),
  "Ssm#advanceClock": ssm([["days", "number"]], () => [1]),
  "Ssm#events": ssm([], () => []),
  "Ssm#costEstimate": ssm([["options", "objectOrText?"]], () => [{}]),
  "Ssm#state": ssm([], () => []),
  "Ssm#connectSecretsManager": ssm([["secretsManager", "SecretsManager"]], () => [new pkg.SecretsManager(new pkg.Kms())]),
  "Kms#handleHttp": kms([["method", "string"], ["path", "string"], ["headers", "objectOrText"], ["body", "bytes"], ["context", "objectOrText?"]],
    () => ["POST", "/", { "x-amz-target": "TrentService.ListKeys" }, new Uint8Array(0), { sourceIp: "192.0.2.1" }]),
};

// Exports that are not the package's API: wasm-bindgen's loaders, and the raw entry points of the
// ESDK's hash worker (`src/web/hash_worker.rs`; kept out of secplay.d.ts, they take numbers and touch
// no JS value). `free`, `__secplayLend` (see `GeoDatabase::borrow_from`) and `__secplayLendWorld` (see
// `borrow_world` in src/js/kms.rs) and `__secplayLendStore` (`borrow_store` in src/js/secrets.rs) take no arguments.
const NOT_API = new Set(["default", "initSync", "__secplay_hash_begin", "__secplay_hash_buffer", "__secplay_hash_update", "__secplay_hash_finish"]);
const NOT_API_METHODS = new Set(["constructor", "free", "__destroy_into_raw", "__secplayLend", "__secplayLendWorld", "__secplayLendStore"]);

const isClass = (f) => typeof f === "function" && /^class\b/.test(Function.prototype.toString.call(f));

/** Every function and method of the module, as `name` or `Class#method`. */
function moduleExports() {
  const names = [];
  for (const [name, value] of Object.entries(pkg)) {
    if (NOT_API.has(name) || typeof value !== "function") continue;
    names.push(name);
    if (!isClass(value)) continue;
    for (const m of Object.getOwnPropertyNames(value.prototype)) {
      const d = Object.getOwnPropertyDescriptor(value.prototype, m);
      if (!NOT_API_METHODS.has(m) && typeof d.value === "function") names.push(`${name}#${m}`);
    }
    // Static methods (wasm-bindgen's own start with `__`): their entry's `make` gives the class.
    for (const m of Object.getOwnPropertyNames(value)) {
      const d = Object.getOwnPropertyDescriptor(value, m);
      if (!m.startsWith("__") && typeof d.value === "function") names.push(`${name}#${m}`);
    }
  }
  return names;
}

/** Every function and method secplay.d.ts declares, as `name` or `Class#method`. */
function declaredExports() {
  const names = [...dts.matchAll(/^export function (\w+)\(/gm)].map((m) => m[1]).filter((n) => !NOT_API.has(n));
  for (const m of dts.matchAll(/^export class (\w+) \{\n([\s\S]*?)\n\}/gm)) {
    names.push(m[1]);
    for (const method of m[2].matchAll(/^ +(?:static )?(\w+)\(/gm)) {
      if (!NOT_API_METHODS.has(method[1])) names.push(`${m[1]}#${method[1]}`);
    }
  }
  return names;
}

// --- the wrong values ----------------------------------------------------------------------------
const WRONG = {
  undefined: undefined, null: null, zero: 0, "a fraction": 42.5, "minus one": -1, NaN: NaN, Infinity: Infinity,
  "a bigint": 5n, true: true, "a string": "text", "the empty string": "", "an array": [1, 2], "an empty array": [],
  "an object": {}, "an array-like object": { length: 3, 0: 1 }, "a Map": new Map([["a", 1]]), "a Set": new Set([1]),
  "a Uint8Array": new Uint8Array([1, 2, 3]), "a Float64Array": new Float64Array(2), "an ArrayBuffer": new ArrayBuffer(4),
  "a Date": new Date(0), "a function": () => 1, "a symbol": Symbol("s"), "a Promise": Promise.resolve(1),
};

function deep(n, wrap) {
  let v = wrap(null);
  for (let i = 1; i < n; i++) v = wrap(v);
  return v;
}
const selfContaining = () => { const o = { a: 1 }; o.self = o; return o; };
const DEEP_OBJECTS = {
  "an object 100,000 deep": deep(100_000, (v) => ({ v })),
  "an object holding an array 100,000 deep": { a: deep(100_000, (v) => [v]) },
  "an object that contains itself": selfContaining(),
};
const DEEP_ARRAYS = {
  "an array 100,000 deep": deep(100_000, (v) => [v]),
  "an array holding an object 100,000 deep": [deep(100_000, (v) => ({ v }))],
};

// --- calling ---------------------------------------------------------------------------------------
const SETTLE_MS = 20_000;

/** Calls `fn`; `{ ok, value }` or `{ ok: false, error }`, awaiting a Promise for at most SETTLE_MS. */
async function outcome(fn) {
  let r;
  try {
    r = fn();
  } catch (error) {
    return { ok: false, error, sync: true };
  }
  if (!(r instanceof Promise)) return { ok: true, value: r, sync: true };
  let timer;
  const late = new Promise((resolve) => { timer = setTimeout(() => resolve({ late: true }), SETTLE_MS); });
  const settled = await Promise.race([r.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error })), late]);
  clearTimeout(timer);
  return settled;
}

function target(name) {
  const [cls, method] = name.split("#");
  return { cls: pkg[cls], method };
}

/** Runs `name` with `args` on `instance` (methods) or as a function / constructor. */
function invoke(name, instance, args) {
  const { cls, method } = target(name);
  if (method) return instance[method](...args);
  if (isClass(cls)) return new cls(...args);
  return cls(...args);
}

async function expectRefused(name, instance, args, param, what, pattern) {
  const where = `${name}(${param} = ${what})`;
  const r = await outcome(() => invoke(name, instance, args));
  await tick();
  assert.equal(escaped.length, 0, `${where}: an exception escaped: ${escaped.map(String).join("; ")}`);
  assert.ok(!r.late, `${where}: the Promise did not settle within ${SETTLE_MS} ms`);
  assert.ok(!r.ok, `${where}: accepted (returned ${typeof r.value})`);
  assert.ok(!(r.error instanceof WebAssembly.RuntimeError), `${where}: trapped: ${r.error}`);
  assert.equal(r.error?.name, "SecplayError", `${where}: not a SecplayError: ${r.error}`);
  assert.equal(r.error.code, "InvalidInput", `${where}: ${r.error.code}: ${r.error.message}`);
  assert.ok(r.error.message.includes(`\`${param}\``), `${where}: the message names no argument: ${r.error.message}`);
  if (pattern) assert.match(r.error.message, pattern, where);
}

async function expectNoTrap(name, instance, args, what) {
  const r = await outcome(() => invoke(name, instance, args));
  await tick();
  assert.equal(escaped.length, 0, `${name}(${what}): an exception escaped: ${escaped.map(String).join("; ")}`);
  assert.ok(!r.late, `${name}(${what}): the Promise did not settle`);
  if (!r.ok) {
    assert.ok(!(r.error instanceof WebAssembly.RuntimeError), `${name}(${what}): trapped: ${r.error}`);
    const aws = ARGS[name]?.aws && /^[A-Za-z]+Exception$/.test(r.error?.name) && r.error.code === r.error.name;
    if (!aws) assert.equal(r.error?.name, "SecplayError", `${name}(${what}): not a SecplayError: ${r.error}`);
    assert.equal(typeof r.error.code, "string", `${name}(${what}): no code: ${r.error}`);
  }
}

/** The module as a whole still answers correctly. */
async function moduleAnswers(after) {
  assert.equal(pkg.detectSqli("1' OR '1'='1"), true, `after ${after}`);
  assert.equal(pkg.evaluatePolicy(policyInput).decision, "allowed", `after ${after}`);
  assert.deepEqual((await pkg.esdkDecrypt(ciphertext, esdkOpts)).plaintext, bytes, `after ${after}`);
}

const entryOf = (name) => ARGS[name] ?? assert.fail(`${name} has no entry in ARGS (boundary.test.mjs): list its parameters`);

// --- the tests -------------------------------------------------------------------------------------
test("every export has an entry, and the table lists no export that is gone", () => {
  const found = new Set([...moduleExports(), ...declaredExports()]);
  assert.ok(found.size > 40, `only ${found.size} exports found`);
  for (const name of found) entryOf(name);
  for (const name of Object.keys(ARGS)) assert.ok(found.has(name), `ARGS lists ${name}, which the package no longer exports`);
  for (const name of NOT_API) {
    if (name.startsWith("__")) assert.ok(!dts.includes(`export function ${name}(`), `${name} is internal but in secplay.d.ts`);
  }
});

for (const name of moduleExports()) {
  test(`${name}: arguments of the wrong type are refused with InvalidInput`, async () => {
    const entry = entryOf(name);
    // Values of the right type go to a scratch instance: they may change its state.
    const instance = entry.make?.();
    const scratch = entry.make?.();
    for (const [i, [param, kindSpec]] of entry.params.entries()) {
      const optional = kindSpec.endsWith("?");
      const kind = kindSpec.replace("?", "");
      const fits = KINDS[kind];
      for (const [what, value] of Object.entries(WRONG)) {
        const args = entry.valid();
        args[i] = value;
        if (optional && (value === undefined || value === null)) continue;
        if (fits(value)) await expectNoTrap(name, scratch, args, `${param} = ${what}`);
        else await expectRefused(name, instance, args, param, what);
      }
      if (!optional && i === entry.params.length - 1) {
        await expectRefused(name, instance, entry.valid().slice(0, i), param, "left out");
      }
    }
    if (entry.check) await entry.check(instance);
    await moduleAnswers(name);
  });
}

test("JS values nested 100,000 deep, or containing themselves, are refused in every JSON-taking argument", async () => {
  let covered = 0;
  for (const name of moduleExports()) {
    const entry = entryOf(name);
    for (const [i, [param, kindSpec]] of entry.params.entries()) {
      const kind = kindSpec.replace("?", "");
      if (!JSON_KINDS.includes(kind)) continue;
      const values = { ...(KINDS[kind]({}) ? DEEP_OBJECTS : {}), ...(KINDS[kind]([]) ? DEEP_ARRAYS : {}) };
      const instance = entry.make?.();
      for (const [what, value] of Object.entries(values)) {
        const args = entry.valid();
        args[i] = value;
        await expectRefused(name, instance, args, param, what, /nesting is too deep/);
        covered++;
      }
      if (entry.check) await entry.check(instance);
      await moduleAnswers(`${name} with deep values`);
    }
  }
  assert.ok(covered >= 40, `only ${covered} deep cases ran`);
});

test("a deep array inside evaluatePolicy's policies is refused, and the module answers after", async () => {
  const input = { ...policyInput, policies: { identity: [deep(100_000, (v) => [v])] } };
  await expectRefused("evaluatePolicy", undefined, [input], "input", "a deep policy", /nesting is too deep/);
  const nested = { ...policyInput, request: { ...policyInput.request, context: { k: deep(100_000, (v) => ({ v })) } } };
  await expectRefused("evaluatePolicy", undefined, [nested], "input", "a deep context", /nesting is too deep/);
  await moduleAnswers("deep policies");
});

test("values whose getters throw are refused with a code, and the module answers after", async () => {
  const boom = () => Object.defineProperty({}, "boom", { enumerable: true, get() { throw new Error("boom"); } });
  await expectRefused("evaluatePolicy", undefined, [boom()], "input", "a throwing getter", /could not be read: boom/);
  await expectRefused("esdkEncrypt", undefined, [bytes, { ...esdkOpts, extra: boom() }], "options", "a throwing getter", /boom/);
  const sealed = Object.defineProperty({}, "iv", { get() { throw new Error("boom"); } });
  assert.equal((await outcome(() => pkg.aesGcmDecrypt(key32, sealed))).error?.code, "MalformedEnvelope");
  const options = Object.defineProperty({}, "geoDb", { get() { throw new Error("boom"); } });
  assert.equal((await outcome(() => new pkg.WebAcl(acl, {}, options))).error?.code, "InvalidInput");
  assert.equal(escaped.length, 0, escaped.map(String).join("; "));
  await moduleAnswers("throwing getters");
});

test("the hash worker's raw entry points take wrong values without trapping", async () => {
  for (const name of [...NOT_API].filter((n) => n.startsWith("__secplay_hash_"))) {
    for (const [what, value] of Object.entries(WRONG)) {
      if (typeof value === "symbol" || typeof value === "bigint") continue; // `>>> 0` throws a TypeError in JS glue
      await expectNoTrap(name, undefined, [value], what);
    }
  }
  await moduleAnswers("the hash worker's entry points");
});

test("a stream keeps working after refused arguments, its output unchanged", async () => {
  const enc = new pkg.EsdkEncryptor(esdkOpts);
  const head = enc.update(bytes.subarray(0, 10));
  for (const value of Object.values(WRONG).filter((v) => !(v instanceof Uint8Array))) {
    await outcome(() => enc.update(value));
    await outcome(() => enc.updateAsync(value));
    await outcome(() => enc.pushAsync(value));
    await outcome(() => enc.updateInto(value, value));
  }
  const ct = new Uint8Array([...head, ...enc.update(bytes.subarray(10)), ...enc.finish()]);
  assert.deepEqual((await pkg.esdkDecrypt(ct, esdkOpts)).plaintext, bytes);
  assert.equal(escaped.length, 0, escaped.map(String).join("; "));
});
