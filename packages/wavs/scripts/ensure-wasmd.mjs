#!/usr/bin/env node
// Builds the local Cosmos chain's wasmd (pinned version) from the Go module proxy into the
// cache, unless it is there already: `npm run wasmd`. CI runs it before the tests so no test
// hook waits for a first build. Needs Go and a C compiler (CGO).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const dist = new URL("../dist/devnet/wasmd-binary.js", import.meta.url);
if (!existsSync(fileURLToPath(dist))) {
  console.error("wasmd: packages/wavs/dist is missing; run `npm run build` first");
  process.exit(1);
}
const { ensureWasmd } = await import(dist.href);
const { createProgress } = await import(
  new URL("../dist/internal/progress.js", import.meta.url).href
);
const started = Date.now();
try {
  const binary = await ensureWasmd(createProgress(process.stderr));
  console.log(`wasmd: ${binary} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
} catch (err) {
  console.error(`wasmd: ${err.message}`);
  if (err.details?.error) console.error(err.details.error);
  if (err.hint) console.error(`hint: ${err.hint}`);
  process.exit(1);
}
