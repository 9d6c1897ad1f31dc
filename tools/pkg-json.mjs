// Writes pkg/package.json for the npm package, with the version taken from Cargo.toml.
import { readFileSync, writeFileSync } from "node:fs";

const cargo = readFileSync(new URL("../Cargo.toml", import.meta.url), "utf8");
const field = (name) => cargo.match(new RegExp(`^${name} = "([^"]*)"`, "m"))?.[1];
const pkg = {
  name: "secplay",
  version: field("version"),
  description: field("description"),
  license: field("license"),
  type: "module",
  main: "secplay.js",
  module: "secplay.js",
  types: "secplay.d.ts",
  // The local KMS endpoint (README: "Local KMS endpoint").
  bin: { "secplay-kms-server": "bin/secplay-kms-server.mjs" },
  files: ["secplay.js", "secplay.d.ts", "secplay_bg.wasm", "secplay_bg.wasm.d.ts", "snippets/", "geo.bin", "geo-LICENSE.txt", "bin/"],
  sideEffects: false,
  engines: { node: ">=20" },
};
writeFileSync(new URL("../pkg/package.json", import.meta.url), JSON.stringify(pkg, null, 2) + "\n");
