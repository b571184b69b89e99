/**
 * `npm run bench:engine`: isolated executions per second and latency percentiles of the
 * component engine, for (a) a minimal hand-written echo component (a few KB, standing in for a
 * compiled Rust or C component), (b) the TypeScript echo (componentize-js, ~18 MB), and
 * (c) the TypeScript square on a large input; plus component preparation times, and what fuel
 * metering costs (the same runs with it off).
 * Every execution gets fresh component state. Ends with one JSON line of headline figures.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildFixture, buildWatComponent } from "@wavs-ts/sdk";
import { Engine, type ExecRequest, rawRunRequest } from "../engine/index.js";
import { silentLogger } from "../internal/index.js";
import { pct } from "./percentile.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, "..", "..", "..", "..");

interface Figures {
  execPerS: number;
  p50: number;
  p99: number;
}

async function measure(
  engine: Engine,
  req: ExecRequest,
  total: number,
  concurrency: number,
): Promise<Figures> {
  const latencies: number[] = [];
  let started = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (started < total) {
        started++;
        const s = performance.now();
        const out = await engine.execute(req);
        latencies.push(performance.now() - s);
        if (!out.ok) throw out.error;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { execPerS: total / seconds, p50: pct(latencies, 50), p99: pct(latencies, 99) };
}

function line(label: string, f: Figures): void {
  console.log(
    `${label.padEnd(44)} ${f.execPerS.toFixed(0).padStart(7)} exec/s   p50 ${f.p50.toFixed(2).padStart(7)} ms   p99 ${f.p99.toFixed(2).padStart(7)} ms`,
  );
}

async function main(): Promise<void> {
  const cores = availableParallelism();
  const dataDir = mkdtempSync(join(tmpdir(), "wavs-bench-engine-"));
  console.log(`engine benchmark on ${cores} cores; building fixtures...`);
  const watPath = join(dataDir, "wat-echo.wasm");
  await buildWatComponent({
    wat: join(repoRoot, "packages/wavs/test/fixtures/wat/echo.wat"),
    out: watPath,
  });
  const tsEchoPath = await buildFixture("echo");
  const squarePath = await buildFixture("square");

  const engine = new Engine({ dataDir, logger: silentLogger(), poolSize: cores });
  const prep: Record<string, number> = {};
  for (const [name, path] of [
    ["wat-echo", watPath],
    ["ts-echo", tsEchoPath],
    ["ts-square", squarePath],
  ] as const) {
    const bytes = readFileSync(path);
    const t = performance.now();
    await engine.register(bytes);
    prep[name] = performance.now() - t;
    console.log(
      `prepare ${name} (${(bytes.length / 1024).toFixed(0)} KiB) first time: ${prep[name]!.toFixed(0)} ms`,
    );
  }
  // a restart: a new engine on the same data directory finds the prepared forms on disk
  const restarted = new Engine({ dataDir, logger: silentLogger(), poolSize: 1 });
  for (const [name, path] of [
    ["wat-echo", watPath],
    ["ts-echo", tsEchoPath],
  ] as const) {
    const bytes = readFileSync(path);
    const t = performance.now();
    const r = await restarted.register(bytes);
    console.log(
      `prepare ${name} after restart (cached=${r.cached}): ${(performance.now() - t).toFixed(1)} ms`,
    );
  }
  await restarted.stop();

  const wat = await engine.register(readFileSync(watPath));
  const tsEcho = await engine.register(readFileSync(tsEchoPath));
  const square = await engine.register(readFileSync(squarePath));
  const small = new TextEncoder().encode("hello");
  const large = new TextEncoder().encode(JSON.stringify({ x: 12345, pad: "a".repeat(1 << 20) }));

  // warm every worker so that one-time compilation is not counted
  await measure(engine, rawRunRequest(wat.digest, small), 200, cores * 4);
  await measure(engine, rawRunRequest(tsEcho.digest, small), cores * 4, cores * 4);
  await measure(engine, rawRunRequest(square.digest, large), cores * 2, cores * 2);

  const watSeq = await measure(engine, rawRunRequest(wat.digest, small), 1000, 1);
  line("(a) minimal echo, one at a time", watSeq);
  const watPar = await measure(engine, rawRunRequest(wat.digest, small), 5000, cores * 8);
  line(`(a) minimal echo, full pool (${cores} workers)`, watPar);
  const tsSeq = await measure(engine, rawRunRequest(tsEcho.digest, small), 100, 1);
  line("(b) TypeScript echo, one at a time", tsSeq);
  const tsPar = await measure(engine, rawRunRequest(tsEcho.digest, small), 400, cores * 4);
  line("(b) TypeScript echo, full pool", tsPar);
  const sqSeq = await measure(engine, rawRunRequest(square.digest, large), 20, 1);
  line("(c) TypeScript square, 1 MiB input, one at a time", sqSeq);
  const sqPar = await measure(engine, rawRunRequest(square.digest, large), 60, cores * 2);
  line("(c) TypeScript square, 1 MiB input, full pool", sqPar);

  await engine.stop();

  // what fuel metering costs: the same runs on fresh engines with metering on and off, in
  // turns (each engine warmed first), the best of two rounds each
  const best: Record<"on" | "off", { wat: Figures; ts: Figures }> = {
    on: { wat: { execPerS: 0, p50: 0, p99: 0 }, ts: { execPerS: 0, p50: 0, p99: 0 } },
    off: { wat: { execPerS: 0, p50: 0, p99: 0 }, ts: { execPerS: 0, p50: 0, p99: 0 } },
  };
  for (let round = 0; round < 2; round++) {
    for (const mode of ["on", "off"] as const) {
      const e = new Engine({
        dataDir,
        logger: silentLogger(),
        poolSize: cores,
        meterFuel: mode === "on",
      });
      await e.register(readFileSync(watPath));
      await e.register(readFileSync(tsEchoPath));
      await measure(e, rawRunRequest(wat.digest, small), 1000, cores * 8);
      await measure(e, rawRunRequest(tsEcho.digest, small), cores * 8, cores * 4);
      const w = await measure(e, rawRunRequest(wat.digest, small), 5000, cores * 8);
      const t = await measure(e, rawRunRequest(tsEcho.digest, small), 400, cores * 4);
      await e.stop();
      if (w.execPerS > best[mode].wat.execPerS) best[mode].wat = w;
      if (t.execPerS > best[mode].ts.execPerS) best[mode].ts = t;
    }
  }
  line("(a) minimal echo, full pool, fuel metered", best.on.wat);
  line("(a) minimal echo, full pool, fuel not metered", best.off.wat);
  line("(b) TypeScript echo, full pool, fuel metered", best.on.ts);
  line("(b) TypeScript echo, full pool, fuel not metered", best.off.ts);
  // overhead: how much more time a metered run takes
  const overhead = (on: Figures, off: Figures) => (off.execPerS / on.execPerS - 1) * 100;
  const watOverhead = overhead(best.on.wat, best.off.wat);
  const tsOverhead = overhead(best.on.ts, best.off.ts);
  console.log(
    `fuel metering overhead: minimal echo ${watOverhead.toFixed(1)} %, TypeScript echo ${tsOverhead.toFixed(1)} %`,
  );

  rmSync(dataDir, { recursive: true, force: true });
  const r = (n: number, d = 2) => Number(n.toFixed(d));
  console.log(
    JSON.stringify({
      bench: "engine",
      exec_per_s: r(watPar.execPerS, 0),
      p50_ms: r(watPar.p50),
      p99_ms: r(watPar.p99),
      ts_exec_per_s: r(tsPar.execPerS, 1),
      fuel_overhead_pct: r(watOverhead, 1),
      ts_fuel_overhead_pct: r(tsOverhead, 1),
    }),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
