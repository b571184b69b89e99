/**
 * `npm run bench:cli`: how long the `wavs` binary takes from process start to exit for the
 * builder's loop: `wavs exec` of a ~300 KB compiled component with a warm cache (prepared once
 * by a first run), and `wavs --help`. The component stands in for a Rust build: the echo core
 * module of the engine benchmarks plus a couple of thousand small functions, hand-written WAT
 * generated here. Medians of several runs; ends with one JSON line.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildWatComponent } from "@wavs-ts/sdk";
import { largeEchoWat } from "./large-echo-wat.js";

const BIN = fileURLToPath(new URL("../../bin/wavs.js", import.meta.url));
const RUNS = 7;

/** Milliseconds from spawning `wavs <args>` to its exit (which must be 0). */
function timeRun(args: string[]): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stdout.resume();
    child.stderr.on("data", (c: Buffer) => {
      stderr += c;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(performance.now() - t0);
      else reject(new Error(`wavs ${args.join(" ")} exited with ${code}: ${stderr}`));
    });
  });
}

async function median(args: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await timeRun(args));
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "wavs-bench-cli-"));
  try {
    const wat = join(dir, "large-echo.wat");
    writeFileSync(wat, largeEchoWat(2200));
    const component = join(dir, "large-echo.wasm");
    const { bytes } = await buildWatComponent({ wat, out: component });
    console.log(`component: ${(bytes / 1024).toFixed(0)} KB (echo + 2,200 functions, WAT)`);
    const exec = ["exec", "--component", component, "--input", "hello", "--json"];
    const first = await timeRun(exec);
    console.log(`wavs exec, first run (prepares the component): ${first.toFixed(0)} ms`);
    const execMs = await median(exec);
    console.log(`wavs exec, cache warm: median ${execMs.toFixed(0)} ms of ${RUNS} (target <= 250)`);
    const helpMs = await median(["--help"]);
    console.log(`wavs --help: median ${helpMs.toFixed(0)} ms of ${RUNS} (target <= 150)`);
    const nodeMs = await new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const child = spawn(process.execPath, ["-e", "0"], { stdio: "ignore" });
      child.on("error", reject);
      child.on("close", () => resolve(performance.now() - t0));
    });
    console.log(`for scale, node -e 0: ${nodeMs.toFixed(0)} ms`);
    console.log(
      JSON.stringify({ bench: "cli", exec_ms: Math.round(execMs), help_ms: Math.round(helpMs) }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
