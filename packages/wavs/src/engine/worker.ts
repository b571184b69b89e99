/**
 * Engine worker thread: loads prepared components, keeps warm instances, and runs one
 * execution at a time. Blocking host calls (sleep, HTTP) block only this thread; the main
 * thread enforces the time limit by terminating it.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type MessagePort, parentPort } from "node:worker_threads";
import { errorMessage } from "@wavs-ts/errors";
import { KvStore, openDatabase } from "../store/index.js";
import { FUEL_UNLIMITED } from "./core-module-rewrite.js";
import type { LiftedData } from "./data-lift.js";
import type { ExecContext, ExportName, WorkerExecResult } from "./exec-types.js";
import { ComponentExit } from "./host/host-error.js";
import { SyncBroker } from "./host/sync-broker.js";
import { InstanceSlot, type LoadedComponent } from "./instance-slot.js";
import type { PreparedMeta } from "./prepared-component.js";
import { rewrittenModule } from "./rewritten-cache.js";
import { type WarmUpReport, warmUpContext } from "./warm-up.js";

export interface WorkerInit {
  dbPath: string;
  cacheDir: string;
  maxMemoryPages: number;
  brokerPort: MessagePort;
  brokerShared: SharedArrayBuffer;
  /** Components kept loaded per worker. */
  maxLoaded: number;
  /** Instantiations slower than this (ms) switch the component to snapshot and restore. */
  snapshotThresholdMs: number;
  /** Meter fuel in the core modules (fuel-meter.ts). */
  meterFuel: boolean;
}

export type WorkerRequest =
  /** The first message: the worker's settings (it boots before they are known, see engine-thread/). */
  | { type: "init"; init: WorkerInit }
  | { type: "exec"; ctx: ExecContext }
  | { type: "warm"; digest: string };
export type WorkerReply =
  /** The component is loaded and about to run: its time limit starts now. */
  | { type: "started"; execId: number }
  | { type: "result"; execId: number; result: WorkerExecResult }
  | { type: "warmed"; digest: string; warmUp: WarmUpReport };

const EXPORT_FUNCTIONS: Record<ExportName, string> = {
  run: "run",
  "process-input": "processInput",
  "handle-timer-callback": "handleTimerCallback",
  "handle-submit-callback": "handleSubmitCallback",
};

// jco's glue wraps a few exports with WebAssembly.promising (JSPI) in a try/catch on every
// instantiation. Without JSPI (Node 20 and 22) each call throws, and a thrown error's stack
// costs milliseconds in the glue's huge instantiate function: a third of instantiating a
// TypeScript component went there. The identity is exactly what the catch falls back to.
if (typeof (WebAssembly as { promising?: unknown }).promising !== "function") {
  (WebAssembly as { promising?: unknown }).promising = (fn: unknown) => fn;
}
const port = parentPort!;
// one listener from the start: messages behind `init` wait for the worker to be set up
const early: WorkerRequest[] = [];
let handle: ((msg: WorkerRequest) => void) | undefined;
const init = await new Promise<WorkerInit>((resolve) => {
  port.on("message", (msg: WorkerRequest) => {
    if (msg.type === "init") resolve(msg.init);
    else if (handle) handle(msg);
    else early.push(msg);
  });
});
// opened at a component's first key-value call (most never make one): `wavs exec` does not wait
// for SQLite
let kvStore: KvStore | undefined;
const kv = (): KvStore => {
  kvStore ??= new KvStore(openDatabase(init.dbPath));
  return kvStore;
};
const broker = new SyncBroker(init.brokerPort, init.brokerShared);

interface ComponentState {
  loaded: LoadedComponent;
  world: PreparedMeta["world"];
  /** A ready instance: a spare (fresh mode) or the reusable one (snapshot mode). */
  ready: InstanceSlot | undefined;
  snapshotMode: boolean;
}
const components = new Map<string, Promise<ComponentState>>();

type Glue = { instantiate: LoadedComponent["instantiate"] };
/** jco glue modules by the SHA-256 of their text. */
const glues = new Map<string, Promise<Glue>>();

/**
 * jco's glue for a component, imported once per distinct text. Components built for the same
 * world by the same toolchain (every TypeScript component of a world) get the same 2 MB of
 * glue, ~15 MB of heap once compiled, and it keeps no state outside `instantiate`: one copy
 * serves them all. Imported by path, two identical files would be two modules.
 */
function loadGlue(path: string): Promise<Glue> {
  const hash = createHash("sha256").update(readFileSync(path)).digest("hex");
  let glue = glues.get(hash);
  if (!glue) {
    glue = import(pathToFileURL(path).href) as Promise<Glue>;
    glues.set(hash, glue);
    glue.catch(() => glues.delete(hash));
  }
  return glue;
}

async function load(digest: string): Promise<ComponentState> {
  const dir = join(init.cacheDir, digest);
  const meta = JSON.parse(readFileSync(join(dir, "meta.json"), "utf8")) as PreparedMeta;
  const glue = await loadGlue(join(dir, meta.glue));
  const modules = new Map<string, WebAssembly.Module>();
  const liftedData = new Map<WebAssembly.Module, LiftedData>();
  let metered = init.meterFuel;
  for (const file of meta.coreFiles) {
    const rewritten = rewrittenModule(dir, file, {
      maxMemoryPages: init.maxMemoryPages,
      exportState: true,
      meterFuel: init.meterFuel,
      liftData: true,
    });
    if (!rewritten.metered) metered = false;
    const module = new WebAssembly.Module(rewritten.bytes);
    modules.set(file, module);
    if (rewritten.liftedData) liftedData.set(module, rewritten.liftedData);
  }
  const loaded: LoadedComponent = {
    digest,
    instantiate: glue.instantiate,
    modules,
    liftedData,
    maxMemoryBytes: init.maxMemoryPages * 65536,
    metered,
  };
  const first = new InstanceSlot(loaded, kv, broker);
  const snapshotMode = first.instantiateMs > init.snapshotThresholdMs;
  if (snapshotMode) first.takeSnapshot();
  return { loaded, world: meta.world, ready: first, snapshotMode };
}

/**
 * Loaded components, least recently used first. A worker keeps at most `maxLoaded` (each holds
 * compiled code and, in snapshot mode, a copy of its memory), so a node with many services
 * does not grow without bound; an evicted component is simply loaded again when needed.
 */
function getComponent(digest: string): Promise<ComponentState> {
  let p = components.get(digest);
  if (p) {
    components.delete(digest);
    components.set(digest, p);
    return p;
  }
  while (components.size >= init.maxLoaded) {
    const oldest = components.keys().next().value;
    if (oldest === undefined) break;
    components.delete(oldest);
  }
  p = load(digest);
  components.set(digest, p);
  p.catch(() => components.delete(digest));
  return p;
}

function newSlot(c: ComponentState): InstanceSlot {
  const slot = new InstanceSlot(c.loaded, kv, broker);
  if (c.snapshotMode) slot.takeSnapshot();
  return slot;
}

/** The error value a component returned (jco throws it as a ComponentError), if that is what `err` is. */
function returnedError(err: unknown): unknown {
  return err && typeof err === "object" && Object.hasOwn(err, "payload")
    ? (err as { payload: unknown }).payload
    : undefined;
}

function classify(err: unknown, slot: InstanceSlot): { code: string; message: string } {
  const payload = returnedError(err);
  const message =
    payload !== undefined
      ? typeof payload === "string"
        ? payload
        : JSON.stringify(payload)
      : err instanceof Error
        ? err.message
        : String(err);
  // checked first: a guest runtime that catches its own allocation failure still ran out
  if (slot.atMemoryLimit()) {
    return {
      code: "WAVS_ERR_EXEC_MEMORY",
      message: `component reached the memory limit of ${init.maxMemoryPages * 64} KiB: ${message}`,
    };
  }
  if (payload !== undefined) return { code: "WAVS_ERR_EXEC_COMPONENT_ERROR", message };
  if (err instanceof ComponentExit) {
    return {
      code: "WAVS_ERR_EXEC_TRAP",
      message: `component exited (status ${String(err.status)}) without returning a result`,
    };
  }
  if (
    err instanceof RangeError &&
    /Array buffer allocation failed|Invalid typed array length/.test(message)
  ) {
    return {
      code: "WAVS_ERR_EXEC_MEMORY",
      message: `component output too large for the host: ${message}`,
    };
  }
  if (err instanceof WebAssembly.RuntimeError) {
    return { code: "WAVS_ERR_EXEC_TRAP", message: `component trapped: ${message}` };
  }
  return { code: "WAVS_ERR_EXEC_TRAP", message: `component failed: ${message}` };
}

async function execute(ctx: ExecContext): Promise<void> {
  const t0 = performance.now();
  let c: ComponentState;
  try {
    c = await getComponent(ctx.digest);
  } catch (err) {
    const message = errorMessage(err);
    reply(ctx.execId, {
      ok: false,
      error: { code: "WAVS_ERR_COMPONENT_NOT_FOUND", message },
      logs: [],
      durationMs: 0,
    });
    return;
  }
  port.postMessage({ type: "started", execId: ctx.execId } satisfies WorkerReply);
  const slot = c.ready ?? newSlot(c);
  c.ready = undefined;
  const instantiateMs = performance.now() - t0;
  const fn = slot.api[EXPORT_FUNCTIONS[ctx.fn]];
  const fuel = ctx.fuelLimit ?? FUEL_UNLIMITED;
  slot.setFuel(fuel);
  const fuelUsed = () => (c.loaded.metered ? Number(slot.fuelUsed(fuel).used) : undefined);
  const start = performance.now();
  slot.state.begin(ctx);
  let result: WorkerExecResult;
  let healthy = true;
  try {
    if (!fn) throw new Error(`component does not export ${ctx.fn}`);
    const value = fn(...ctx.args);
    slot.flushOutput();
    result = {
      ok: true,
      value,
      logs: slot.state.end(),
      durationMs: performance.now() - start,
      instantiateMs,
      fuelUsed: fuelUsed(),
    };
  } catch (err) {
    healthy = false;
    const error =
      c.loaded.metered && slot.fuelUsed(fuel).exhausted
        ? {
            code: "WAVS_ERR_EXEC_FUEL",
            message: `Out of fuel: the component used its fuel limit of ${fuel} and was stopped`,
          }
        : classify(err, slot);
    slot.flushOutput();
    result = {
      ok: false,
      error,
      logs: slot.state.end(),
      durationMs: performance.now() - start,
      fuelUsed: fuelUsed(),
    };
  }
  // post before restoring: the reply is copied now, so values never alias restored memory
  reply(ctx.execId, result);
  if (c.snapshotMode && healthy && slot.restore()) {
    c.ready = slot;
  } else {
    // prepare the next instance off the hot path
    setImmediate(() => {
      if (!c.ready) c.ready = newSlot(c);
    });
  }
}

/**
 * The warm-up call of a component just loaded ahead of use (warm-up.ts), on its ready instance,
 * which is then restored, or replaced when the call did not return (a trap, a refused host call).
 */
function warmUp(c: ComponentState): WarmUpReport {
  const slot = c.ready;
  if (!slot) return { ran: false, why: "no instance ready" };
  if (!c.loaded.metered)
    return { ran: false, why: "code not metered: nothing would bound the call" };
  c.ready = undefined;
  const t0 = performance.now();
  const ctx = warmUpContext(c.loaded.digest, c.world);
  slot.setFuel(ctx.fuelLimit ?? 0n);
  slot.state.begin(ctx);
  let returned = true;
  try {
    slot.api[EXPORT_FUNCTIONS[ctx.fn]]?.(...ctx.args);
  } catch (err) {
    returned = returnedError(err) !== undefined;
  }
  slot.flushOutput();
  slot.state.end();
  const ms = performance.now() - t0;
  c.ready = c.snapshotMode && returned && slot.restore() ? slot : newSlot(c);
  return { ran: true, returned, ms };
}

function reply(execId: number, result: WorkerExecResult): void {
  try {
    port.postMessage({ type: "result", execId, result } satisfies WorkerReply);
  } catch (err) {
    // a value that cannot be cloned is a garbage result, not a crash
    port.postMessage({
      type: "result",
      execId,
      result: {
        ok: false,
        error: {
          code: "WAVS_ERR_EXEC_BAD_RESPONSE",
          message: `result could not be transferred: ${String(err)}`,
        },
        logs: result.logs,
        durationMs: result.durationMs,
      },
    } satisfies WorkerReply);
  }
}

// one execution at a time: the next message waits until the current one is done
let chain: Promise<void> = Promise.resolve();
handle = (msg) => {
  chain = chain.then(async () => {
    if (msg.type === "exec") await execute(msg.ctx);
    else if (msg.type === "warm") {
      const c = await getComponent(msg.digest).catch((err: unknown) => errorMessage(err));
      let report: WarmUpReport;
      try {
        report = typeof c === "string" ? { ran: false, why: `not loaded: ${c}` } : warmUp(c);
      } catch (err) {
        // the replacement instance failed: the next execution makes one and reports why
        report = { ran: false, why: errorMessage(err) };
      }
      port.postMessage({
        type: "warmed",
        digest: msg.digest,
        warmUp: report,
      } satisfies WorkerReply);
    }
  });
};
for (const msg of early.splice(0)) handle(msg);
