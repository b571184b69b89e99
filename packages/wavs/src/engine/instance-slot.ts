import type { KvStore } from "../store/index.js";
import { FUEL_EXPORT, memoryStateExport, SNAPSHOT_EXPORT_PREFIX } from "./core-module-rewrite.js";
import type { LiftedData } from "./data-lift.js";
import { ExecState } from "./host/exec-state.js";
import { createHostImports } from "./host/index.js";
import type { SyncBroker } from "./host/sync-broker.js";
import { MemoryImage } from "./memory-image.js";

/** A loaded component in a worker: jco's glue and its compiled core modules. */
export interface LoadedComponent {
  digest: string;
  instantiate: (
    getCoreModule: (name: string) => WebAssembly.Module,
    imports: Record<string, unknown>,
    instantiateCore: (
      module: WebAssembly.Module,
      imports: WebAssembly.Imports,
    ) => WebAssembly.Instance,
  ) => Record<string, (...args: unknown[]) => unknown>;
  modules: Map<string, WebAssembly.Module>;
  /** Data segments lifted out of a module (data-lift.ts), written right after it is instantiated. */
  liftedData: Map<WebAssembly.Module, LiftedData>;
  maxMemoryBytes: number;
  /** Whether every core module is fuel-metered. */
  metered: boolean;
}

interface Snapshot {
  memories: { memory: WebAssembly.Memory; image: MemoryImage }[];
  globals: { global: WebAssembly.Global; value: unknown }[];
}

/**
 * One live instance of a component plus everything needed to make it fresh again. After
 * instantiation the state of every core instance (defined memories and mutable globals,
 * exported by the core-module rewrite) is copied; restoring it returns the instance to exactly
 * the state a new instantiation would have, at the cost of a memory copy instead of re-running
 * the glue and the component's start functions.
 */
export class InstanceSlot {
  readonly state: ExecState;
  readonly api: Record<string, (...args: unknown[]) => unknown>;
  readonly flushOutput: () => void;
  readonly instantiateMs: number;
  private readonly cores: WebAssembly.Instance[] = [];
  private snapshot: Snapshot | undefined;

  constructor(
    readonly component: LoadedComponent,
    kv: () => KvStore,
    broker: SyncBroker,
  ) {
    this.state = new ExecState(kv, broker);
    const host = createHostImports(this.state);
    this.flushOutput = host.flushOutput;
    const t0 = performance.now();
    this.api = component.instantiate(
      (name) => {
        const m = component.modules.get(name);
        if (!m) throw new Error(`core module ${name} missing from the prepared component`);
        return m;
      },
      host.imports,
      (module, imports) => {
        const instance = new WebAssembly.Instance(module, imports);
        const lifted = component.liftedData.get(module);
        lifted?.apply(instance, memoryStateExport);
        this.cores.push(instance);
        return instance;
      },
    );
    this.instantiateMs = performance.now() - t0;
  }

  /** The fuel globals of the metered core instances. */
  private fuelGlobals(): WebAssembly.Global[] {
    const out: WebAssembly.Global[] = [];
    for (const core of this.cores) {
      const g = core.exports[FUEL_EXPORT];
      if (g instanceof WebAssembly.Global) out.push(g);
    }
    return out;
  }

  /** Give every metered core instance `limit` fuel for the next run. */
  setFuel(limit: bigint): void {
    for (const g of this.fuelGlobals()) g.value = limit;
  }

  /** Fuel used since `setFuel(limit)`, and whether a core instance ran out. */
  fuelUsed(limit: bigint): { used: bigint; exhausted: boolean } {
    let used = 0n;
    let exhausted = false;
    for (const g of this.fuelGlobals()) {
      const left = g.value as bigint;
      used += limit - left;
      if (left < 0n) exhausted = true;
    }
    return { used, exhausted };
  }

  /** Copy the instance's state so that `restore` can bring it back. */
  takeSnapshot(): void {
    const snap: Snapshot = { memories: [], globals: [] };
    for (const core of this.cores) {
      for (const [name, value] of Object.entries(core.exports)) {
        if (!name.startsWith(SNAPSHOT_EXPORT_PREFIX)) continue;
        if (value instanceof WebAssembly.Memory) {
          snap.memories.push({
            memory: value,
            image: MemoryImage.take(new Uint8Array(value.buffer)),
          });
        } else if (value instanceof WebAssembly.Global) {
          snap.globals.push({ global: value, value: value.value });
        }
      }
    }
    this.snapshot = snap;
  }

  /** Restore the snapshot; false when that is impossible (a memory grew) and a new instance is needed. */
  restore(): boolean {
    const snap = this.snapshot;
    if (!snap) return false;
    for (const m of snap.memories)
      if (m.memory.buffer.byteLength !== m.image.byteLength) return false;
    for (const m of snap.memories) m.image.restoreInto(new Uint8Array(m.memory.buffer));
    for (const g of snap.globals) g.global.value = g.value;
    return true;
  }

  /**
   * Whether a memory of the instance is close enough to the limit that the last failure was
   * running out of it. Guest allocators ask for large chunks (a JS engine grows its heap by
   * many megabytes), so "close" is within an eighth of the limit or 32 MiB, whichever is less.
   */
  atMemoryLimit(): boolean {
    const max = this.component.maxMemoryBytes;
    const margin = Math.min(max / 8, 32 << 20);
    for (const core of this.cores) {
      for (const value of Object.values(core.exports)) {
        if (value instanceof WebAssembly.Memory && value.buffer.byteLength + margin >= max)
          return true;
      }
    }
    return false;
  }
}
