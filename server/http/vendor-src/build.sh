#!/usr/bin/env bash
# Rebuilds ../static/vendor/ from the versions locked in package-lock.json: installs them exactly
# (npm ci), bundles graphology and sigma into one minified script with esbuild (also locked), and
# copies each package's licence next to it. VERSIONS.json names what went in; a test checks it
# against the lock file. Run it after changing package.json (then `npm install` to update the lock).
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --silent
out=../static/vendor
mkdir -p "$out" && find "$out" -maxdepth 1 -type f -delete  # its own files; vendor/editor/ is the query editor's
./node_modules/.bin/esbuild entry.js --bundle --minify --format=iife --target=es2019 \
  --legal-comments=none --log-level=warning --outfile="$out/sigma-graphology.min.js"
packages=(graphology sigma events graphology-utils)
for package in "${packages[@]}"; do
  licence=$(ls node_modules/"$package"/LICEN[CS]E* | head -n 1)
  cp "$licence" "$out/LICENCE-$package.txt"
done
node -e '
  const lock = require("./package-lock.json").packages;
  const names = process.argv.slice(1);
  const versions = Object.fromEntries(names.map((n) => [n, lock["node_modules/" + n].version]));
  versions.esbuild = lock["node_modules/esbuild"].version;
  process.stdout.write(JSON.stringify({ "sigma-graphology.min.js": versions }, null, 1) + "\n");
' "${packages[@]}" > "$out/VERSIONS.json"
