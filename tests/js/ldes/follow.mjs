// Replicates vnpolicy's event stream with the ldes-client library and keeps following it:
// prints one JSON line per member (its IRI, the document it is a version of, its time).
// Usage: node follow.mjs URL [--once]
import { intoConfig, replicateLDES } from "ldes-client";

const [url, mode] = process.argv.slice(2);
const client = replicateLDES(
  intoConfig({ url, polling: mode !== "--once", pollInterval: 500, noShape: true }),
);
const reader = client.stream({ highWaterMark: 10 }).getReader();
for (;;) {
  const { value, done } = await reader.read();
  if (done) break;
  const line = {
    id: value.id.value,
    isVersionOf: value.isVersionOf ?? null,
    timestamp: value.timestamp instanceof Date ? value.timestamp.toISOString() : value.timestamp ?? null,
    quads: value.quads.length,
  };
  process.stdout.write(JSON.stringify(line) + "\n");
}
