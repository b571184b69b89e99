/**
 * Starting an engine worker thread, and starting one early. A worker takes ~50 ms to boot (a
 * new isolate loading the store, SQLite and the host), and `wavs exec` spent it after its own
 * ~100 ms of loading modules, one after the other. `prespawnEngineWorker()` starts a worker
 * first thing; the worker loads its modules and waits for its settings (worker.ts), and the
 * engine's pool adopts it instead of starting its own.
 */
import { Worker } from "node:worker_threads";
import { engineWorkerPath } from "./worker-path.js";

let early: Worker | undefined;

/** A new engine worker thread, booting; it does nothing until it gets its `init` message. */
export function createEngineWorker(): Worker {
  const worker = new Worker(engineWorkerPath("worker"), {
    // the JS heap of a worker holds lifted component values; wasm memory is capped separately
    resourceLimits: { maxOldGenerationSizeMb: 1024 },
    stdout: true,
    stderr: true,
  });
  // never what keeps the process alive: a worker started early and never adopted (the command
  // failed first) must not hold the process open; the pool's handles keep it alive meanwhile.
  // Its output is drained by the pool that adopts it: a drained stdio stream keeps the process
  // alive even with the worker unref'd.
  worker.unref();
  return worker;
}

/** Start one engine worker now, for the engine created later in this process to adopt. */
export function prespawnEngineWorker(): void {
  early ??= createEngineWorker();
}

/** The worker started by `prespawnEngineWorker`, once; otherwise a new one. */
export function takeEngineWorker(): Worker {
  const worker = early ?? createEngineWorker();
  early = undefined;
  return worker;
}
