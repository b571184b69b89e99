/**
 * `npm run bench:quick`: the regression guard run by `.ci/run` after the tests. Runs the CLI
 * benchmark, a shortened node benchmark and a shortened idle one (an idle `wavs dev` network:
 * an operator's CPU per second and memory), a few minutes in all, and prints each headline
 * figure beside the one recorded in docs/benchmarks.json, with the ratio; a figure more than
 * three times worse is flagged. It never fails: figures on a shared machine are noisy, and
 * the point is that a ten-fold regression cannot pass unseen.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const RECORDED = fileURLToPath(new URL("../../../../docs/benchmarks.json", import.meta.url));

/** Run a benchmark script of this folder; its last JSON line, or undefined when it failed. */
function run(script: string, env: Record<string, string> = {}): Promise<Record<string, number>> {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c;
      process.stdout.write(c);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const last = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !last.startsWith("{")) reject(new Error(`${script} exited with ${code}`));
      else resolve(JSON.parse(last) as Record<string, number>);
    });
  });
}

/** Whether a larger value of this figure is better (rates) or worse (times). */
function higherIsBetter(key: string): boolean {
  // events or lookups per second; CPU milliseconds per second are a cost
  return key.endsWith("_per_s") && !key.includes("_ms_per_s");
}

function compare(name: string, now: Record<string, number>, recorded: Record<string, number>) {
  for (const [key, value] of Object.entries(now)) {
    if (key === "bench" || typeof value !== "number") continue;
    const before = recorded[key];
    if (typeof before !== "number" || before === 0 || value === 0) {
      console.log(`  ${name}.${key}: ${value} (nothing recorded)`);
      continue;
    }
    const worse = higherIsBetter(key) ? before / value : value / before;
    const flag = worse > 3 ? "   <-- more than 3x worse than recorded: look into it" : "";
    console.log(
      `  ${name}.${key}: ${value} (recorded ${before}; x${worse.toFixed(2)}, ${worse > 1 ? "worse" : "better or equal"})${flag}`,
    );
  }
}

/** The recorded figures; none when the file is missing or unreadable (said, not fatal). */
function readRecorded(): Record<string, Record<string, number>> {
  try {
    return JSON.parse(readFileSync(RECORDED, "utf8")) as Record<string, Record<string, number>>;
  } catch (err) {
    console.log(`bench:quick: no recorded figures (${(err as Error).message})`);
    return {};
  }
}

const recorded = readRecorded();
const results: [string, Record<string, number>][] = [];
// the node benchmark runs shortened, so it is compared with the record of a shortened run
for (const [name, script, env] of [
  ["cli", "cli.js", {}],
  ["node_quick", "node.js", { WAVS_BENCH_QUICK: "1" }],
  // an idle `wavs dev` network, measured sooner and shorter than bench:idle does
  ["idle_quick", "idle.js", { WAVS_BENCH_IDLE_SETTLE_S: "15", WAVS_BENCH_IDLE_WINDOW_S: "10" }],
] as const) {
  try {
    results.push([name, await run(script, env)]);
  } catch (err) {
    console.log(`bench:quick: ${name} did not finish: ${(err as Error).message}`);
  }
}
console.log("\nbench:quick, against docs/benchmarks.json (x1.00 = as recorded; above 1 is worse):");
for (const [name, now] of results) compare(name, now, recorded[name] ?? {});
