// Addresses with their country and ASN taken from the @ip-location-db CSV rows themselves (npm ci
// installs them), for the JS and end-to-end tests of the offline geo database: rows that no
// neighbour overlaps, spread over the file, so the expected answer is the row's own value.
import { readFileSync } from "node:fs";

const dir = new URL("../../node_modules/@ip-location-db/", import.meta.url);
const v4 = (n) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");

function rows(path) {
  return readFileSync(new URL(path, dir), "utf8").split("\n").filter(Boolean).map((l) => {
    const [a, b, v] = l.split(",", 3);
    return [Number(a), Number(b), v];
  });
}

/** `count` IPv4 samples `{ ip, country }` from geo-whois-asn-country (middle of the row's range). */
export function countrySamples(count = 5) {
  const r = rows("geo-whois-asn-country/geo-whois-asn-country-ipv4-num.csv");
  const out = [];
  const step = Math.floor(r.length / (count + 1));
  for (let i = step; out.length < count && i < r.length - 1; i += step) {
    let j = i;
    while (j < r.length - 1 && (r[j - 1][1] >= r[j][0] || r[j + 1][0] <= r[j][1])) j++;
    out.push({ ip: v4(Math.floor((r[j][0] + r[j][1]) / 2)), country: r[j][2] });
  }
  return out;
}

/** `count` IPv4 samples `{ ip, asn }` from the asn package. */
export function asnSamples(count = 5) {
  const r = rows("asn/asn-ipv4-num.csv");
  const out = [];
  const step = Math.floor(r.length / (count + 1));
  for (let i = step; out.length < count && i < r.length - 1; i += step) {
    let j = i;
    while (j < r.length - 1 && (r[j - 1][1] >= r[j][0] || r[j + 1][0] <= r[j][1])) j++;
    out.push({ ip: v4(r[j][0]), asn: Number(r[j][2]) });
  }
  return out;
}

/** One IPv4 address `{ ip, country }` that geo-whois-asn-country places in `code` (a row no neighbour overlaps). */
export function addressIn(code) {
  const r = rows("geo-whois-asn-country/geo-whois-asn-country-ipv4-num.csv");
  const hits = [];
  for (let j = 1; j < r.length - 1; j++) {
    if (r[j][2] === code && r[j - 1][1] < r[j][0] && r[j + 1][0] > r[j][1]) hits.push(j);
  }
  if (!hits.length) throw new Error(`no usable ${code} row`);
  const j = hits[Math.floor(hits.length / 2)];
  return { ip: v4(Math.floor((r[j][0] + r[j][1]) / 2)), country: code };
}
