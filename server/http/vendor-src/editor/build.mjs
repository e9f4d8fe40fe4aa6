// Builds ../../static/vendor/editor/codemirror.js (one minified IIFE exposing window.VnpolicyCodeMirror)
// from the versions locked in package-lock.json, and writes the licences and versions beside it.
// Run: npm ci && npm run build (from this folder).
import { build } from "esbuild";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "..", "static", "vendor", "editor");
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(here, "entry.js")],
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "VnpolicyCodeMirror",
  target: ["es2020"],
  legalComments: "none",
  outfile: join(out, "codemirror.js"),
});

// The licence of every bundled package, and its exact version.
const lock = JSON.parse(readFileSync(join(here, "package-lock.json"), "utf8"));
const bundled = Object.entries(lock.packages)
  .filter(([path, info]) => path.startsWith("node_modules/") && !info.dev && !path.includes("esbuild"))
  .map(([path, info]) => ({ name: path.slice("node_modules/".length), version: info.version, license: info.license }))
  .sort((a, b) => a.name.localeCompare(b.name));
const notices = [];
for (const { name, version, license } of bundled) {
  const text = readFileSync(join(here, "node_modules", name, "LICENSE"), "utf8");
  notices.push(`${name} ${version} (${license})\n\n${text.trim()}\n`);
}
writeFileSync(join(out, "LICENSES.txt"), notices.join("\n" + "-".repeat(72) + "\n\n"));
writeFileSync(
  join(out, "VERSIONS.json"),
  JSON.stringify(Object.fromEntries(bundled.map(({ name, version }) => [name, version])), null, 2) + "\n",
);
