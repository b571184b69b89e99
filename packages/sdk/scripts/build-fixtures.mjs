#!/usr/bin/env node
// Build every component fixture (packages/wavs/test/fixtures/components) and example
// (examples/components) into the component cache, two at a time, with progress lines.
// Usage: node packages/sdk/scripts/build-fixtures.mjs [name...]
// Each build runs in its own child process: componentize-js blocks its thread while wizer
// runs, so in-process promises would not actually build in parallel.
import { fork } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const CONCURRENCY = 2;
const distIndex = new URL("../dist/index.js", import.meta.url);
if (!existsSync(fileURLToPath(distIndex))) {
  console.error("build-fixtures: packages/sdk/dist is missing; run `npm run build` first");
  process.exit(1);
}
const sdk = await import(distIndex.href);

if (process.argv[2] === "--one") {
  // Child mode: build one fixture and report the result to the parent.
  const name = process.argv[3];
  try {
    const r = await sdk.buildFixtureWithInfo(name, {
      onProgress: (msg) => process.send?.({ type: "progress", msg }),
    });
    process.send?.({ type: "done", result: r });
  } catch (err) {
    process.send?.({ type: "failed", message: err instanceof Error ? err.message : String(err) });
  }
  process.exit(0);
}

const wanted = process.argv.slice(2);
const all = sdk.listFixtures();
const unknown = wanted.filter((n) => !all.includes(n));
if (unknown.length > 0) {
  console.error(
    `build-fixtures: unknown fixture(s) ${unknown.join(", ")}; known: ${all.join(", ")}`,
  );
  process.exit(1);
}
const names = wanted.length > 0 ? wanted : all;
const width = Math.max(...names.map((n) => n.length));
const started = Date.now();
console.log(`build-fixtures: ${names.length} components, ${CONCURRENCY} at a time`);

function buildInChild(name) {
  const t0 = Date.now();
  return new Promise((resolve) => {
    let outcome = { name, ok: false, message: "build process exited without a result" };
    const child = fork(fileURLToPath(import.meta.url), ["--one", name], { stdio: "inherit" });
    child.on("message", (m) => {
      if (m.type === "progress") console.log(`[${name.padEnd(width)}] ${m.msg}`);
      else if (m.type === "done") outcome = { name, ok: true, ...m.result };
      else if (m.type === "failed") outcome = { name, ok: false, message: m.message };
    });
    child.on("exit", () => resolve({ ...outcome, ms: Date.now() - t0 }));
  });
}

const queue = [...names];
const results = [];
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      results.push(await buildInChild(name));
    }
  }),
);

console.log("");
for (const name of names) {
  const r = results.find((x) => x.name === name);
  if (r.ok) {
    const mb = (r.bytes / 1024 / 1024).toFixed(1);
    const how = r.cached ? "cached" : `built in ${(r.ms / 1000).toFixed(1)} s`;
    console.log(
      `${name.padEnd(width)}  ${sdk.fixtureWorld(name).padEnd(10)} ${mb} MB  ${how}  ${r.path}`,
    );
  } else {
    console.log(`${name.padEnd(width)}  FAILED`);
  }
}
const failed = results.filter((r) => !r.ok);
for (const f of failed) console.error(`\n${f.name}: ${f.message}`);
console.log(
  `\nbuild-fixtures: ${results.length - failed.length}/${results.length} ok in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
process.exit(failed.length > 0 ? 1 : 0);
