// Builds the WAF's offline geo database (format: src/waf/geo.rs, version 1) from the npm packages
// @ip-location-db/geo-whois-asn-country (country) and @ip-location-db/asn (ASN) in node_modules.
//
//   node tools/geo-build.mjs OUT.bin
//
// The same flattening and encoding as GeoDbBuilder in src/waf/geo/build.rs; tests/waf/geo.rs checks
// that both write identical bytes. Prints the sizes (raw and gzip) and the time taken.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const mod = (name) => join(root, "node_modules", "@ip-location-db", name);
const version = (name) => JSON.parse(readFileSync(join(mod(name), "package.json"), "utf8")).version;

/** The description stored in the file (tests/waf/geo.rs builds the same string). */
export function sourceText() {
  return `country: @ip-location-db/geo-whois-asn-country ${version("geo-whois-asn-country")} (CC0-1.0, NRO data CC-BY-4.0); ` +
    `ASN: @ip-location-db/asn ${version("asn")} (CC-BY-4.0, RouteViews and DB-IP)`;
}

const MAX32 = 0xffffffffn;
const MAX128 = (1n << 128n) - 1n;

/** Rows of a `*-num.csv`: [first, last, value] with BigInt addresses; value is "CC" or an ASN number. */
function readCsv(path, kind, max) {
  const out = [];
  const text = readFileSync(path, "utf8");
  let line = 0;
  for (const row of text.split("\n")) {
    line++;
    if (!row.trim()) continue;
    const [a, b, v] = row.split(",", 3);
    const first = BigInt(a.trim()), last = BigInt(b.trim());
    if (first > last || last > max) throw new Error(`${path}:${line}: bad range`);
    let value;
    if (kind === "country") {
      value = v.trim().toUpperCase();
      if (!/^[A-Z]{2}$/.test(value)) throw new Error(`${path}:${line}: not a country code`);
    } else {
      value = Number(v.trim());
      if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new Error(`${path}:${line}: not an ASN`);
    }
    out.push([first, last, value]);
  }
  return out;
}

/** Sorted, disjoint ranges; a range overrides those that started before it; equal neighbours merge. */
function flatten(input) {
  const sorted = input.slice().sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] > y[1] ? -1 : x[1] < y[1] ? 1 : 0));
  const out = [];
  const stack = [];
  let pos = 0n; // null: past the end
  const emit = (from, to, value) => {
    if (from === null || from > to) return;
    const prev = out[out.length - 1];
    if (prev && prev[2] === value && prev[1] + 1n === from) prev[1] = to;
    else out.push([from, to, value]);
  };
  const advance = (p, last) => (p === null || last === MAX128 ? null : p > last + 1n ? p : last + 1n);
  for (const [first, last, value] of sorted) {
    while (stack.length && stack[stack.length - 1][0] < first) {
      const [tl, tv] = stack.pop();
      emit(pos, tl, tv);
      pos = advance(pos, tl);
    }
    if (stack.length && first > 0n) emit(pos, first - 1n, stack[stack.length - 1][1]);
    pos = first;
    stack.push([last, value]);
  }
  while (stack.length) {
    const [tl, tv] = stack.pop();
    emit(pos, tl, tv);
    pos = advance(pos, tl);
  }
  return out;
}

/** Trailing zero bits of a positive BigInt. */
function zeros(v) {
  let z = 0;
  while (((v >> BigInt(z)) & 1n) === 0n) z++;
  return z;
}

class Writer {
  constructor() { this.buf = new Uint8Array(1 << 20); this.len = 0; }
  push(b) {
    if (this.len === this.buf.length) { const n = new Uint8Array(this.buf.length * 2); n.set(this.buf); this.buf = n; }
    this.buf[this.len++] = b;
  }
  bytes(a) { for (const b of a) this.push(b); }
  varint(v) {
    v = BigInt(v);
    while (v >= 0x80n) { this.push(Number(v & 0x7fn) | 0x80); v >>= 7n; }
    this.push(Number(v));
  }
  scaled(v) {
    if (v === 0n) return this.push(128);
    const z = zeros(v);
    this.push(z);
    this.varint(v >> BigInt(z));
  }
}

/** The attributions and licence texts that travel with geo.bin. */
function licenceText() {
  const file = (m, f) => readFileSync(join(mod(m), f), "utf8").trim();
  return [
    "geo.bin: the offline IP-to-country and IP-to-ASN database of secplay's WAF (format: src/waf/geo.rs).",
    "",
    `Country: @ip-location-db/geo-whois-asn-country ${version("geo-whois-asn-country")} (npm), package licence CC0-1.0,`,
    "by sapics (https://github.com/sapics/ip-location-db), built from RIR WHOIS data and NRO statistics:",
    file("geo-whois-asn-country", "NRO_LICENSE"),
    "",
    `ASN: @ip-location-db/asn ${version("asn")} (npm), CC-BY-4.0:`,
    file("asn", "ROUTEVIEWS-LICENSE"),
    file("asn", "DBIP-LICENSE"),
    file("asn", "NRO_LICENSE"),
    file("asn", "MODIFICATIONS"),
    "",
    "Modifications: overlapping ranges flattened (the more specific wins), adjacent equal ranges merged,",
    "organisation names dropped, re-encoded in the format above.",
    "",
  ].join("\n");
}

/** The four CSVs' rows: IPv4 country, IPv4 ASN, IPv6 country, IPv6 ASN. */
export function readTables() {
  const geo = mod("geo-whois-asn-country"), asn = mod("asn");
  return [
    readCsv(join(geo, "geo-whois-asn-country-ipv4-num.csv"), "country", MAX32),
    readCsv(join(asn, "asn-ipv4-num.csv"), "asn", MAX32),
    readCsv(join(geo, "geo-whois-asn-country-ipv6-num.csv"), "country", MAX128),
    readCsv(join(asn, "asn-ipv6-num.csv"), "asn", MAX128),
  ];
}

/** The file for four tables of [first, last, value] rows. */
export function encode(tables, sourceDescription) {
  const w = new Writer();
  w.bytes(Buffer.from("SPGD"));
  w.push(1);
  const source = Buffer.from(sourceDescription, "utf8").subarray(0, 1024);
  w.varint(source.length);
  w.bytes(source);
  const counts = [];
  for (const table of tables) {
    const flat = flatten(table);
    counts.push(flat.length);
    w.varint(flat.length);
    let next = 0n;
    for (const [first, last, value] of flat) {
      if (next === null) throw new Error("a range follows the last address");
      const gap = first - next, len = last - first + 1n;
      if (len > MAX128) throw new Error("a range covering all of IPv6 cannot be stored");
      const z = zeros(len);
      w.push((gap > 0n ? 0x80 : 0) | z);
      if (gap > 0n) w.scaled(gap);
      w.varint(len >> BigInt(z));
      if (typeof value === "string") w.bytes([value.charCodeAt(0), value.charCodeAt(1)]);
      else w.varint(value);
      next = last === MAX128 ? null : last + 1n;
    }
  }
  return { bytes: w.buf.subarray(0, w.len), counts };
}

export function build() {
  return encode(readTables(), sourceText());
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2];
  if (!out) { console.error("usage: node tools/geo-build.mjs OUT.bin"); process.exit(2); }
  const t0 = performance.now();
  const { bytes, counts } = build();
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  writeFileSync(join(dirname(out), "geo-LICENSE.txt"), licenceText());
  const ms = Math.round(performance.now() - t0);
  const gz = gzipSync(bytes, { level: 9 }).length;
  console.log(`geo-build: ${out}: ${bytes.length} bytes (${gz} gzipped), ranges v4 country ${counts[0]}, v4 ASN ${counts[1]}, ` +
    `v6 country ${counts[2]}, v6 ASN ${counts[3]}, in ${ms} ms`);
}
