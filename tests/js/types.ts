// Type-checks the package's generated .d.ts against the README's usage (`tsc -p tests/js`).
import init, {
  initSync, version, generateDataKey, aesGcmEncrypt, aesGcmDecrypt, generateRsaKeyPair, envelopeSeal, envelopeOpen,
  type Envelope, type SealedBytes, type RsaKeyPairPem,
  esdkEncrypt, esdkDecrypt, EsdkEncryptor, EsdkDecryptor, type EsdkOptions, type EsdkDecryptResult,
  type EsdkKeyring, Kms, type KmsAccessKey, type KmsHttpResponse, Ssm, type SsmCostOptions,
  SecretsManager, type RotationEvent, type SecretsClockResult,
  evaluatePolicy, validatePolicy, type PolicyEvalInput, type PolicyEvalResult, type PolicyFinding,
  WebAcl, GeoDatabase, loadGeoDatabase, type WafOptions, type WafLogRecord, type GeoLookup,
  scanSensitiveData, SensitiveDataScanner, type ScanReport, type ScanOptions, type SensitiveDataFinding,
} from "../../pkg/secplay.js";

export function decide(input: PolicyEvalInput): [PolicyEvalResult["decision"], string[]] {
  const r: PolicyEvalResult = evaluatePolicy(input);
  const findings: PolicyFinding[] = validatePolicy(JSON.stringify(input.policies.resource ?? {}), "key");
  return [r.decision, findings.map((f) => `${f.findingType} ${f.issueCode} ${f.location.range?.start.line ?? "-"}`)];
}

export async function example(bytes: Uint8Array): Promise<string> {
  initSync({ module: bytes });
  await init();
  const v: string = version();
  const key: Uint8Array = generateDataKey();
  const sealed: SealedBytes = aesGcmEncrypt(key, new TextEncoder().encode(v));
  const plain: Uint8Array = aesGcmDecrypt(key, sealed);
  const pair: RsaKeyPairPem = await generateRsaKeyPair(2048);
  const env: Envelope = envelopeSeal(plain, pair.publicKeyPem);
  return new TextDecoder().decode(envelopeOpen(env, pair.privateKeyPem));
}

export async function esdkRoundTrip(data: Uint8Array, key: string): Promise<Uint8Array> {
  const opts: EsdkOptions = { keyrings: [{ type: "raw-aes", namespace: "ns", name: "k", key }], suiteId: 0x0478, aead: "webcrypto" };
  const enc = new EsdkEncryptor(opts);
  const ct = [enc.update(data), enc.finish()];
  const dec = new EsdkDecryptor(opts);
  dec.update(ct[0]);
  const r: EsdkDecryptResult = await esdkDecrypt(await esdkEncrypt(data, opts), opts);
  const more: Uint8Array = await new EsdkEncryptor(opts).updateAsync(data);
  return r.header.suiteId === 0x0478 && more.length >= 0 ? dec.finish() : r.plaintext;
}

export async function esdkKmsRoundTrip(data: Uint8Array, kms: Kms, keyId: string): Promise<Uint8Array> {
  const caller = { principal: "arn:aws:iam::111122223333:role/Admin", region: "us-east-1" };
  const keyrings: EsdkKeyring[] = [
    { type: "aws-kms", keyId, grantTokens: [] },
    { type: "aws-kms-mrk", keyId },
    { type: "aws-kms-discovery", discoveryFilter: { partition: "aws", accountIds: ["111122223333"] } },
    { type: "aws-kms-mrk-discovery", region: "us-west-2" },
  ];
  const message = await esdkEncrypt(data, { keyrings: keyrings.slice(0, 1), kms, caller });
  return (await esdkDecrypt(message, { keyrings, kms, caller: caller.principal })).plaintext;
}

export function geoCountry(acl: object, geoBin: Uint8Array, clientIp: string): [string | undefined, string] {
  const db: GeoDatabase = loadGeoDatabase(geoBin);
  const found: GeoLookup = db.lookup(clientIp);
  const options: WafOptions = { resourceType: "CLOUDFRONT", geoDb: geoBin };
  const waf = new WebAcl(acl, {}, options);
  const request = { method: "GET", uri: "/", headers: [] as [string, string][], clientIp };
  if (waf.usesGeo && waf.needsGeoDatabase(request)) waf.setGeoDatabase(db);
  const rec: WafLogRecord = waf.evaluate(request);
  return [found.country, rec.geo.countrySource];
}

import {
  evaluateReplication, ReplicationEvaluator, type ReplicationInput, type ReplicationResult,
  type ReplicationDestinationVerdict,
} from "../../pkg/secplay.js";

export function replication(input: ReplicationInput, kms: Kms, csv: Uint8Array): [string | null, number] {
  const r: ReplicationResult = evaluateReplication(input, { kms });
  const d: ReplicationDestinationVerdict | undefined = r.objects[0]?.destinations[0];
  const why = d?.reasons.find((x) => x.decided)?.trace?.decision ?? null;
  const ev = new ReplicationEvaluator({ ...input, inventory: { fileSchema: "Bucket, Key" } });
  ev.push(csv);
  const counts = new ReplicationEvaluator({ ...input, inventory: { fileSchema: "Bucket, Key" } }, { rows: false });
  counts.push(csv);
  const fin: ReplicationResult = ev.finish();
  return [d?.replicaEncryption?.kmsKeyArn ?? why, (fin.summary?.rows ?? 0) + r.kmsLoad.regions.length];
}

import {
  KeyStore, type KeyStoreRecord, type KeyStoreEntry, type KeyStoreIssue, type KeyStoreImportReport,
  type KeyStoreChangeEvent,
} from "../../pkg/secplay.js";

export async function keyStore(data: Uint8Array): Promise<[string, number, string[]]> {
  const ks: KeyStore = await KeyStore.open("types");
  const heard: KeyStoreChangeEvent["type"][] = [];
  ks.onchange = (e: KeyStoreChangeEvent) => { heard.push(e.type); };
  const issues: KeyStoreIssue[] = await ks.unlock("a passphrase");
  await ks.put("k", { kind: "raw-aes-keyring", name: "k", data });
  const r: KeyStoreRecord = await ks.get("k");
  const entries: KeyStoreEntry[] = await ks.list();
  const backup: Uint8Array = ks.exportBackup();
  const report: KeyStoreImportReport = await ks.importBackup(backup, "a passphrase", "merge");
  await ks.changePassphrase("a passphrase", "another");
  const raw: Uint8Array | undefined = await ks.rawRecord("k");
  ks.lock();
  ks.onchange = null;
  return [r.name + (issues[0]?.code ?? "") + heard.join(), r.updatedAt + entries.length + (raw?.length ?? 0) + Number(ks.isUnlocked()), report.conflicts];
}

// The local endpoint's entry points (README: "Local KMS endpoint").
export function endpoint(kms: Kms, body: Uint8Array): [string, number, boolean] {
  const c: KmsAccessKey = kms.adminCredentials();
  const r: KmsHttpResponse = kms.handleHttp("POST", "/", { "x-amz-target": "TrentService.ListKeys" }, body,
    { sourceIp: "127.0.0.1", now: Date.now() / 1000 });
  return [c.accessKeyId, r.status, r.mutating];
}

import {
  inspectCertificate, acmTimeline, type CertificateInspection, type CertificateInfo, type ChainProblem,
  type AcmTimeline, type AcmTimelineEvent, type AcmTimelineOptions,
} from "../../pkg/secplay.js";

export function acm(pem: string, der: Uint8Array): [string, number, string | null] {
  const r: CertificateInspection = inspectCertificate(pem, { at: 1780000000 });
  const leaf: CertificateInfo | undefined = r.certificates[0];
  const p: ChainProblem | undefined = r.chain.problems[0];
  const options: AcmTimelineOptions = { type: "AMAZON_ISSUED", inUse: false, daysBeforeExpiry: 30, hosts: ["a.example.com"] };
  const t: AcmTimeline = acmTimeline(der, options);
  const e: AcmTimelineEvent | undefined = t.events.find((x) => x.kind === "ApproachingExpiration");
  return [(leaf?.sha256 ?? "") + t.state.configRule, (leaf?.publicKey.bits ?? 0) + t.placements.length + (e?.at ?? 0), p?.code ?? null];
}

export function parameterStore(kms: Kms): [string, number] {
  const ssm = new Ssm(kms);
  ssm.call("PutParameter", { Name: "/my-department/my-app/db", Value: "s3cret", Type: "SecureString" }, "arn:aws:iam::111122223333:role/Admin");
  const p = ssm.call("GetParameter", { Name: "/my-department/my-app/db", WithDecryption: true }, { principal: "arn:aws:iam::111122223333:role/Admin" });
  const opts: SsmCostOptions = { higherThroughput: true };
  return [p.Parameter.Value, ssm.costEstimate(opts).totalUsd];
}

import {
  replayLogs, LogReplayer, type WafReplayDiff, type WafReplayOptions, type WafReplayProgress, type WafReplaySample,
} from "../../pkg/secplay.js";

// The WAF log replay (issue 15): whole, and streamed in chunks.
export function logReplay(acl: object, log: string, gz: Uint8Array): [number, string | null, number] {
  const options: WafReplayOptions = { maxSamples: 10, resourceType: "APPLICATION_LOAD_BALANCER" };
  const d: WafReplayDiff = replayLogs(acl, null, log, options);
  const s: WafReplaySample | undefined = d.samples[0];
  const r = new LogReplayer(acl, {}, options);
  const p: WafReplayProgress = r.push(gz);
  const done: WafReplayDiff = r.finish();
  const rule = d.perRule.find((x) => x.unjudged !== undefined);
  return [d.newlyBlocked + done.records + p.records, s?.requestId ?? rule?.ruleId ?? null, s?.request.headers.length ?? 0];
}

export function scanTypes(text: string, chunks: Uint8Array[]): [string[], number, string | null] {
  const opts: ScanOptions = { types: ["CREDIT_CARD_NUMBER", "EMAIL_ADDRESS"], maxFindings: 10 };
  const r: ScanReport = scanSensitiveData(text, opts);
  const s = new SensitiveDataScanner(opts);
  for (const c of chunks) s.push(c);
  const streamed: ScanReport = s.finish();
  const f: SensitiveDataFinding[] = r.findings;
  return [f.map((x) => `${x.type}@${x.start.line}:${x.start.column} ${x.masked}`), streamed.bytesScanned, r.finding?.type ?? null];
}

// Secrets Manager over a Kms instance's world (README: "Secrets Manager").
export function secretsRotation(kms: Kms): [string, number, number] {
  const sm = new SecretsManager(kms);
  new Ssm(kms).connectSecretsManager(sm);
  sm.call("CreateSecret", { Name: "db", SecretString: "v" }, "arn:aws:iam::111122223333:role/Admin");
  sm.putRotationFunction("arn:aws:lambda:us-east-1:111122223333:function:f", { failAt: "setSecret" });
  const h: RotationEvent[] = sm.rotationHistory("db", "arn:aws:iam::111122223333:role/Admin");
  const c: SecretsClockResult = sm.advanceClock(1);
  return [h.length ? h[0].step : "", c.events.length, c.kms.now];
}

import { type WafErrorDetail, type WafErrorItem } from "../../pkg/secplay.js";

/** Every parse error of a web ACL, as the WAF page lists them: pointer and place. */
export function wafErrors(acl: string): string[] {
  try {
    new WebAcl(acl);
    return [];
  } catch (e) {
    const detail = (e as { detail?: WafErrorDetail }).detail;
    const items: WafErrorItem[] = detail?.errors ?? [];
    return items.map((x) => `${x.code} ${x.pointer ?? ""} ${x.line ?? "?"}:${x.column ?? "?"}-${x.endLine ?? "?"}:${x.endColumn ?? "?"}`)
      .concat(detail && detail.more > 0 ? [`and ${detail.more} more`] : []);
  }
}

import {
  FloodSimulator, ddosChecklist, type FloodOptions, type FloodScenario, type FloodReport, type DdosArchitecture,
  type DdosChecklist, type DdosPractice,
} from "../../pkg/secplay.js";

// DDoS practice (issue 15, part 3): a flood through a web ACL's rate rules, and the checklist.
export function ddosPractice(acl: object): [number, number | null, string[]] {
  const options: FloodOptions = { rateModel: "periodic", checkIntervalSec: 10, bucketSec: 1 };
  const sim = new FloodSimulator(acl, undefined, options);
  const scenario: FloodScenario = { kind: "botnetMix", attackers: 10, users: 5, durationSec: 60, headers: [["x-api-key", "{client}"]] };
  const r: FloodReport = sim.run(scenario, (done: number, expected: number) => { void (done / expected); });
  const mix: FloodReport = sim.runMix([scenario, { kind: "loginFlood" }]);
  const arch: DdosArchitecture = { entryPoints: [{ name: "www", type: "CLOUDFRONT", shieldAdvanced: true }], dns: { provider: "ROUTE_53" } };
  const c: DdosChecklist = ddosChecklist(arch);
  const missing: DdosPractice[] = c.practices.filter((p) => p.status === "missing");
  return [r.totals.blocked + mix.buckets.length, r.rules[0]?.firstTripSec ?? null, missing.map((p) => p.id)];
}

import {
  evaluateFirewallManager, type FmsOrganization, type FmsEvaluation, type FmsOptions, type FmsResourceVerdict,
  type FmsMergedRule, type WafRequest as FmsWafRequest,
} from "../../pkg/secplay.js";

// Firewall Manager across an organisation (issue 15, part 4).
export function firewallManager(org: FmsOrganization, policies: object[], request: FmsWafRequest): [string | null, number, string] {
  const options: FmsOptions = { at: 600, resource: "arn:aws:elasticloadbalancing:eu-west-1:1:loadbalancer/app/a/b", request };
  const r: FmsEvaluation = evaluateFirewallManager(org, policies, options);
  const v: FmsResourceVerdict | undefined = r.resources[0];
  const rule: FmsMergedRule | undefined = r.merged?.rules[0];
  return [v?.webAcl.name ?? r.evaluation?.set ?? null, r.timeline.length + (v?.policies.length ?? 0), rule?.set ?? "none"];
}
