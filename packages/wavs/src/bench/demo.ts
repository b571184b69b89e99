/**
 * `npm run bench:demo`: how long `wavs dev --demo` takes from the command to the printed
 * on-chain result, on a warm install (components built and prepared once before). Runs the
 * real binary: three fresh networks (`--reset`) and one resumed network; the headlines are the
 * medians of the fresh runs: seconds to the printed result, and milliseconds from the demo's
 * trigger mined to its result mined (`event_ms`, a first event on a fresh network). Ends with
 * one JSON line.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { median } from "./percentile.js";
import { descendantsMatching, memoryMb } from "./process-usage.js";

const BIN = fileURLToPath(new URL("../../bin/wavs.js", import.meta.url));

interface Timing {
  /** Seconds from spawning `wavs dev --demo` to its result on stdout. */
  result: number;
  /** Seconds until the process exited (network stopped). */
  exit: number;
  latencyMs: number;
  /** The largest operator's resident memory (MB) when the result was printed. */
  operatorRssMb: number;
}

function demo(home: string, reset: boolean): Promise<Timing> {
  const t0 = performance.now();
  const args = [BIN, "dev", "--demo", "--json", "--home", home];
  args.push("--port", "0", "--p2p-port", "0", "--anvil-port", "0");
  if (reset) args.push("--reset");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let result: number | undefined;
    let operatorRssMb = 0;
    child.stdout.on("data", (c: Buffer) => {
      stdout += c;
      if (result !== undefined) return;
      result = (performance.now() - t0) / 1000;
      const operators = descendantsMatching(child.pid!, " node --home ");
      operatorRssMb = Math.max(0, ...operators.map((pid) => memoryMb(pid, "VmRSS")));
    });
    child.stderr.on("data", (c: Buffer) => {
      stderr += c;
    });
    child.on("close", (code) => {
      if (code !== 0 || result === undefined) {
        reject(new Error(`wavs dev --demo exited ${code}:\n${stderr}${stdout}`));
        return;
      }
      const out = JSON.parse(stdout) as { latency_ms: number };
      resolve({
        result,
        exit: (performance.now() - t0) / 1000,
        latencyMs: out.latency_ms,
        operatorRssMb,
      });
    });
  });
}

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "wavs-bench-demo-"));
  try {
    console.log("warm-up run (builds and prepares the components once)");
    const warm = await demo(home, true);
    console.log(`  warm-up: result after ${warm.result.toFixed(1)} s`);
    const fresh: Timing[] = [];
    for (let i = 0; i < 3; i++) {
      const t = await demo(home, true);
      fresh.push(t);
      console.log(
        `fresh network ${i + 1}: result printed after ${t.result.toFixed(1)} s (trigger to landed ${t.latencyMs} ms), exited after ${t.exit.toFixed(1)} s; largest operator ${t.operatorRssMb.toFixed(0)} MB resident`,
      );
    }
    const resumed = await demo(home, false);
    console.log(
      `resumed network: result printed after ${resumed.result.toFixed(1)} s (trigger to landed ${resumed.latencyMs} ms), exited after ${resumed.exit.toFixed(1)} s`,
    );
    const seconds = median(fresh.map((t) => t.result));
    const eventMs = median(fresh.map((t) => t.latencyMs));
    const rssMb = median(fresh.map((t) => t.operatorRssMb));
    console.log(
      `median, fresh network: result printed after ${seconds.toFixed(1)} s (target <= 10 s), its event landed ${eventMs} ms after the trigger (target <= 500 ms); largest operator ${rssMb.toFixed(0)} MB resident (target <= 250 MB)`,
    );
    console.log(
      JSON.stringify({
        bench: "demo",
        seconds: Number(seconds.toFixed(1)),
        event_ms: eventMs,
        operator_rss_mb: Math.round(rssMb),
      }),
    );
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
