// Type-checks the package's generated .d.ts against the README's usage (`tsc -p tests/js`).
import init, {
  initSync, version, generateDataKey, aesGcmEncrypt, aesGcmDecrypt, generateRsaKeyPair, envelopeSeal, envelopeOpen,
  type Envelope, type SealedBytes, type RsaKeyPairPem,
  evaluatePolicy, validatePolicy, type PolicyEvalInput, type PolicyEvalResult, type PolicyFinding,
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
