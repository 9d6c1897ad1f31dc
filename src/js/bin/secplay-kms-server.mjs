#!/usr/bin/env node
// secplay-kms-server: the KMS emulator on a local endpoint that the AWS CLI, boto3 and the AWS
// SDKs talk to (AWS JSON 1.1, SigV4-signed). Node >= 20, node:http only, over the package's wasm:
// every decision (signature, protocol, authorization, the operation) is `Kms.handleHttp`.
//
//   secplay-kms-server [--port N] [--state FILE] [--region R]
//
// Listens on 127.0.0.1 (port 0: an ephemeral port), then prints one JSON line
//   {"endpoint","region","account","accessKeyId","secretAccessKey"}
// with the credentials of the first account's Admin role. With --state, the world is read from
// FILE (a `Kms.snapshot()`, so `Kms.restore` opens it) and written back atomically (temporary
// file, fsync, rename) before the answer of every call that may change keys, aliases, grants or
// policies, and within a second of read-only calls (their audit events and usage counts); at
// SIGTERM / SIGINT the server stops accepting, writes what is pending and exits 0.
import http from "node:http";
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, existsSync } from "node:fs";
import { dirname, basename, join } from "node:path";
import { initSync, Kms } from "../secplay.js";

const MAX_BODY = 1 << 20;
const FLUSH_MS = 1000;
const USAGE = "usage: secplay-kms-server [--port N] [--state FILE] [--region R]";

function fail(message) {
  process.stderr.write(`secplay-kms-server: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const o = { port: 4599, state: null, region: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : fail(`${a} needs a value`));
    if (a === "--port") {
      const p = Number(value());
      if (!Number.isInteger(p) || p < 0 || p > 65535) fail("--port must be 0 to 65535 (0: any free port)");
      o.port = p;
    } else if (a === "--state") o.state = value();
    else if (a === "--region") o.region = value();
    else if (a === "--help" || a === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else fail(`unknown argument \`${a}\``);
  }
  return o;
}

/** Writes `bytes` to `file` so that a crash leaves either the old or the new file, whole. */
function writeAtomic(file, bytes) {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  try {
    const dir = openSync(dirname(file), "r");
    try { fsyncSync(dir); } finally { closeSync(dir); }
  } catch { /* a directory that cannot be opened for fsync: the rename stands */ }
}

const opts = parseArgs(process.argv.slice(2));
initSync({ module: readFileSync(new URL("../secplay_bg.wasm", import.meta.url)) });

let kms;
try {
  kms = opts.state && existsSync(opts.state) ? Kms.restore(readFileSync(opts.state)) : new Kms();
} catch (e) {
  fail(`cannot read the state file ${opts.state}: ${e.message}`);
}
const world = kms.world();
if (opts.region && !world.regions.includes(opts.region)) {
  try { kms.addRegion(opts.region); } catch (e) { fail(`--region: ${e.message}`); }
}
const region = opts.region ?? world.regions[0];
const admin = kms.adminCredentials();
const account = admin.principal.split(":")[4];

let pending = null;
function persist() {
  if (pending) { clearTimeout(pending); pending = null; }
  if (opts.state) writeAtomic(opts.state, kms.snapshot());
}
function persistSoon() {
  if (opts.state && !pending) pending = setTimeout(() => { pending = null; try { persist(); } catch (e) { process.stderr.write(`secplay-kms-server: cannot write ${opts.state}: ${e.message}\n`); } }, FLUSH_MS);
}
try { persist(); } catch (e) { fail(`cannot write the state file ${opts.state}: ${e.message}`); }

function send(res, status, headers, body) {
  res.writeHead(status, { ...headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
const awsError = (res, status, type, message) =>
  send(res, status, { "Content-Type": "application/x-amz-json-1.1" }, JSON.stringify({ __type: type, message }));

function answer(req, res, body) {
  const headers = {};
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    headers[name] = name in headers ? `${headers[name]},${req.rawHeaders[i + 1]}` : req.rawHeaders[i + 1];
  }
  const sourceIp = (req.socket.remoteAddress ?? "").replace(/^::ffff:/, "") || undefined;
  const r = kms.handleHttp(req.method, req.url, headers, body, { sourceIp, now: Date.now() / 1000 });
  if (r.mutating) persist();
  else if (r.operation) persistSoon();
  send(res, r.status, r.headers, r.body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  let over = false;
  req.on("data", (c) => {
    if (over) return;
    size += c.length;
    if (size > MAX_BODY) {
      over = true;
      awsError(res, 413, "RequestEntityTooLargeException", `the request body is over ${MAX_BODY} bytes`);
      req.resume();
    } else chunks.push(c);
  });
  req.on("error", () => res.destroy());
  req.on("end", () => {
    if (over) return;
    try {
      answer(req, res, new Uint8Array(Buffer.concat(chunks, size)));
    } catch (e) {
      process.stderr.write(`secplay-kms-server: internal error: ${e?.stack ?? e}\n`);
      if (!res.headersSent) awsError(res, 500, "KMSInternalException", "the emulator failed on this request; it keeps serving");
      else res.destroy();
    }
  });
});
server.on("clientError", (_e, socket) => {
  if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
});

function stop() {
  server.close();
  server.closeAllConnections?.();
  try { persist(); } catch (e) { process.stderr.write(`secplay-kms-server: cannot write ${opts.state}: ${e.message}\n`); process.exit(1); }
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

server.listen(opts.port, "127.0.0.1", () => {
  const { port } = server.address();
  process.stdout.write(JSON.stringify({
    endpoint: `http://127.0.0.1:${port}`, region, account,
    accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey,
  }) + "\n");
});
server.on("error", (e) => fail(`cannot listen on 127.0.0.1:${opts.port}: ${e.message}`));
