/**
 * `npm run bench:idle`: what an operator costs with nothing to do. Runs the real binary,
 * `wavs dev` (anvil, three operators meshed over P2P, the two example services loaded), waits
 * until the network is up, lets it settle, then reads each operator's CPU time and memory from
 * `/proc` over a window with no events. Ends with one JSON line: the mean CPU per second of
 * an operator and the largest operator's resident memory.
 * `WAVS_BENCH_IDLE_SETTLE_S` / `WAVS_BENCH_IDLE_WINDOW_S` change the two periods (120 / 60 s).
 * Start-up work goes on for a minute or two after the network is up (V8 compiling in the
 * background, the garbage collections of start-up garbage, a few bursts of 200 - 300 ms of
 * CPU): a window that opens sooner measures those, not an operator with nothing to do.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cpuSeconds, descendantsMatching, memoryMb } from "./process-usage.js";

const BIN = fileURLToPath(new URL("../../bin/wavs.js", import.meta.url));
const SETTLE_S = Number(process.env.WAVS_BENCH_IDLE_SETTLE_S ?? 120);
const WINDOW_S = Number(process.env.WAVS_BENCH_IDLE_WINDOW_S ?? 60);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), "wavs-bench-idle-"));
  const args = [BIN, "dev", "--reset", "--home", home];
  args.push("--port", "0", "--p2p-port", "0", "--anvil-port", "0");
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => {
    stderr += c;
  });
  const exited = new Promise<number | null>((r) => child.on("close", r));
  try {
    // the summary on stdout means every operator is up with its services loaded
    const ready = await Promise.race([
      new Promise<true>((r) => child.stdout.once("data", () => r(true))),
      exited.then(() => false),
    ]);
    if (!ready) throw new Error(`wavs dev exited before it was ready:\n${stderr}`);
    const operators = descendantsMatching(child.pid!, " node --home ");
    if (operators.length === 0) throw new Error("no operator process found under wavs dev");
    console.log(`network up with ${operators.length} operators; settling for ${SETTLE_S} s`);
    await sleep(SETTLE_S * 1000);
    const before = operators.map((pid) => cpuSeconds(pid));
    console.log(`measuring for ${WINDOW_S} s with no events`);
    await sleep(WINDOW_S * 1000);
    const perSecond = operators.map((pid, i) => ((cpuSeconds(pid) - before[i]!) * 1000) / WINDOW_S);
    const rss = operators.map((pid) => memoryMb(pid, "VmRSS"));
    for (const [i, pid] of operators.entries()) {
      console.log(
        `operator ${i + 1} (pid ${pid}): ${perSecond[i]!.toFixed(2)} ms CPU per second, ${rss[i]!.toFixed(0)} MB resident`,
      );
    }
    const mean = perSecond.reduce((a, b) => a + b, 0) / perSecond.length;
    console.log(
      "(CPU time comes from /proc in clock ticks of 10 ms: over the window that is a resolution of",
      `${(10 / WINDOW_S).toFixed(2)} ms/s per operator)`,
    );
    console.log(
      JSON.stringify({
        bench: "idle",
        operator_cpu_ms_per_s: Number(mean.toFixed(2)),
        operator_rss_mb: Math.round(Math.max(...rss)),
      }),
    );
  } finally {
    child.kill("SIGINT");
    await exited;
    rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
