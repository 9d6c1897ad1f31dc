// Bundle the peer into build/peer.js (an ES module the bench page imports; nothing is fetched at run time).
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
await build({
  entryPoints: [`${here}peer-entry.mjs`],
  outfile: `${here}build/peer.js`,
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "chrome120",
  minify: true,
  logLevel: "warning",
});
