// The local KMS endpoint beside moto: the same request stream against each server (CreateKey
// once, then Encrypt, Decrypt, GenerateDataKey in turn), from 64 concurrent keep-alive
// connections, every request signed with SigV4 (node:crypto) as the AWS SDKs sign them. Prints
// requests/s, p50/p99 latency per server and the ratio ours / moto's.
//
// Servers are started here, each on a free loopback port, one at a time (the machine's cores are
// shared between server and load generator, so the two never run at once):
// - moto: `bench/kms/.venv/bin/moto_server` (PyPI `moto[server]`, pinned in requirements.txt and
//   installed by `make bench-kms` into its own virtualenv, never the test one);
// - secplay: `secplay-kms-server` (the bin of the npm package in pkg/), which prints
//   `{"endpoint","region","account","accessKeyId","secretAccessKey"}` once listening.
// The generator's own CPU time is printed beside each figure: near 100 % of one core would mean the
// client, not the server, set the pace.
//
// Usage: node bench/kms/endpoint.mjs   (BENCH_SECONDS per server, default 10; CONNECTIONS, default 64)
import { spawn } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { performance } from "node:perf_hooks";

const root = new URL("../../", import.meta.url);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const REGION = "us-east-1";
const PLAINTEXT = Buffer.from("a 64-byte plaintext for the endpoint benchmark ..............!!").toString("base64");
const CONTEXT = { tenant: "acme", purpose: "bench" };

const sha256hex = (data) => createHash("sha256").update(data).digest("hex");
const hmac = (key, data) => createHmac("sha256", key).update(data).digest();

// SigV4 for AWS JSON 1.1 (https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html).
function signer({ accessKeyId, secretAccessKey, region, host }) {
  let day = "";
  let key;
  return (target, body) => {
    const amzDate = new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
    if (amzDate.slice(0, 8) !== day) {
      day = amzDate.slice(0, 8);
      key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, day), region), "kms"), "aws4_request");
    }
    const headers = { "content-type": "application/x-amz-json-1.1", host, "x-amz-date": amzDate, "x-amz-target": target };
    const signed = Object.keys(headers).sort();
    const canonical = ["POST", "/", "", ...signed.map((h) => `${h}:${headers[h]}`), "", signed.join(";"), sha256hex(body)].join("\n");
    const scope = `${day}/${region}/kms/aws4_request`;
    const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, sha256hex(canonical)].join("\n");
    const signature = createHmac("sha256", key).update(toSign).digest("hex");
    headers.authorization = `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signed.join(";")}, Signature=${signature}`;
    headers["content-length"] = Buffer.byteLength(body);
    return headers;
  };
}

function client(creds) {
  const url = new URL(creds.endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS, maxFreeSockets: CONNECTIONS });
  const sign = signer({ ...creds, host: url.host });
  const call = (operation, request) =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify(request);
      const req = http.request({ host: url.hostname, port: url.port, path: "/", method: "POST", agent, headers: sign(`TrentService.${operation}`, body) }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          if (res.statusCode !== 200) reject(new Error(`${operation}: HTTP ${res.statusCode} ${text.slice(0, 300)}`));
          else resolve(JSON.parse(text));
        });
      });
      req.on("error", reject);
      req.end(body);
    });
  return { call, close: () => agent.destroy() };
}

const freePort = () =>
  new Promise((ok, fail) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
    s.on("error", fail);
  });

// Starts a server; resolves with its credentials once it answers.
async function startMoto() {
  const bin = new URL("bench/kms/.venv/bin/moto_server", root).pathname;
  if (!existsSync(bin)) return { skip: "bench/kms/.venv has no moto_server (make bench-kms installs it)" };
  const port = await freePort();
  const proc = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
  const creds = { endpoint: `http://127.0.0.1:${port}`, region: REGION, accessKeyId: "AKIDBENCHMOTO", secretAccessKey: "moto-accepts-any" };
  for (let i = 0; i < 300; i++) {
    try {
      await client(creds).call("ListKeys", {});
      return { proc, creds };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  proc.kill();
  return { skip: "moto_server did not answer within 30 s" };
}

async function startSecplay() {
  const pkgDir = new URL("pkg/", root);
  const pkg = JSON.parse(readFileSync(new URL("package.json", pkgDir), "utf8"));
  const rel = typeof pkg.bin === "object" ? pkg.bin["secplay-kms-server"] : undefined;
  if (!rel) return { skip: "pkg/package.json has no secplay-kms-server bin (a package built before the endpoint existed)" };
  const port = await freePort();
  const proc = spawn(process.execPath, [new URL(rel, pkgDir).pathname, "--port", String(port), "--region", REGION], { stdio: ["ignore", "pipe", "inherit"] });
  const line = await new Promise((ok, fail) => {
    let buf = "";
    proc.stdout.on("data", (c) => {
      buf += c;
      const nl = buf.indexOf("\n");
      if (nl >= 0) ok(buf.slice(0, nl));
    });
    proc.on("exit", (code) => fail(new Error(`secplay-kms-server exited (${code}) before listening`)));
  });
  return { proc, creds: JSON.parse(line) };
}

// The request stream: CreateKey once, then Encrypt, Decrypt, GenerateDataKey in turn per connection.
async function load(creds) {
  const c = client(creds);
  const keyId = (await c.call("CreateKey", { Description: "endpoint benchmark" })).KeyMetadata.KeyId;
  const blob = (await c.call("Encrypt", { KeyId: keyId, Plaintext: PLAINTEXT, EncryptionContext: CONTEXT })).CiphertextBlob;
  const stream = [
    ["Encrypt", { KeyId: keyId, Plaintext: PLAINTEXT, EncryptionContext: CONTEXT }],
    ["Decrypt", { CiphertextBlob: blob, EncryptionContext: CONTEXT }],
    ["GenerateDataKey", { KeyId: keyId, KeySpec: "AES_256", EncryptionContext: CONTEXT }],
  ];
  const latencies = [];
  let errors = 0;
  let firstError;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const end = t0 + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, i) => {
      for (let n = i; performance.now() < end; n++) {
        const [op, req] = stream[n % stream.length];
        const t = performance.now();
        try {
          await c.call(op, req);
          latencies.push(performance.now() - t);
        } catch (e) {
          errors++;
          firstError ??= e.message;
        }
      }
    }),
  );
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  c.close();
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? NaN;
  return { rps: latencies.length / wall, p50: at(0.5), p99: at(0.99), errors, firstError, clientCpu: (cpu.user + cpu.system) / 1e6 / wall };
}

const results = {};
for (const [name, start] of [["moto", startMoto], ["secplay-kms-server", startSecplay]]) {
  const s = await start();
  if (s.skip) {
    console.error(`${name}: skipped (${s.skip})`);
    continue;
  }
  try {
    results[name] = await load(s.creds);
  } finally {
    s.proc.kill();
  }
  const r = results[name];
  if (r.errors) console.error(`${name}: ${r.errors} failed requests, the first: ${r.firstError}`);
}

console.log(`\nKMS endpoints, ${CONNECTIONS} keep-alive connections, SigV4-signed, ${SECONDS} s each: Encrypt / Decrypt / GenerateDataKey in turn\n`);
console.log("| server | requests/s | p50 | p99 | failed | load generator CPU |");
console.log("|---|---:|---:|---:|---:|---:|");
for (const [name, r] of Object.entries(results)) {
  console.log(`| ${name} | ${r.rps.toFixed(0)} | ${r.p50.toFixed(2)} ms | ${r.p99.toFixed(2)} ms | ${r.errors} | ${(r.clientCpu * 100).toFixed(0)} % of a core |`);
}
if (results.moto && results["secplay-kms-server"]) {
  console.log(`\nratio: secplay-kms-server / moto = ${(results["secplay-kms-server"].rps / results.moto.rps).toFixed(1)}× requests/s (goal ≥ 10×)`);
}
