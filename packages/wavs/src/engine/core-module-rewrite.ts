/**
 * Small, allocation-light rewriting of core WebAssembly modules before they are compiled:
 * - cap every memory the module defines at a maximum number of 64 KiB pages, so `memory.grow`
 *   fails inside the sandbox instead of exhausting the host;
 * - export every mutable global and defined memory under reserved names, so the engine can
 *   snapshot an instance right after instantiation and restore it between executions.
 * - with `meterFuel`, add a fuel global (exported as `__wavs_fuel`) and charge it in every
 *   function and loop body (fuel-meter.ts).
 * - with `liftData`, take the active data segments out (data-lift.ts): the engine writes them.
 * Only the memory, global, export, (for fuel) code and (for lifting) data sections are touched.
 */
import { type LiftedSegment, liftDataSection } from "./data-lift.js";
import { meterCodeSection, UnmeterableCode } from "./fuel-meter.js";
import { encodeS64, encodeU32, WasmReader } from "./wasm-bytes.js";

const SECTION_IMPORT = 2;
const SECTION_MEMORY = 5;
const SECTION_GLOBAL = 6;
const SECTION_EXPORT = 7;
const SECTION_START = 8;
const SECTION_CODE = 10;
const SECTION_DATA = 11;

/** Name of the fuel global's export. */
export const FUEL_EXPORT = "__wavs_fuel";
/** The fuel global's value before the engine sets it: as good as unlimited. */
export const FUEL_UNLIMITED = 2n ** 63n - 1n;

/** Name prefix of the exports this rewrite adds. */
export const SNAPSHOT_EXPORT_PREFIX = "__wavs_snapshot_";

/** The export name of the defined memory with index `index`. */
export function memoryStateExport(index: number): string {
  return `${SNAPSHOT_EXPORT_PREFIX}m${index}`;
}

export interface RewriteOptions {
  /** Maximum memory size in 64 KiB pages for every memory the module defines. */
  maxMemoryPages?: number | undefined;
  /** Export mutable globals and defined memories for snapshot and restore. */
  exportState?: boolean;
  /** Meter fuel (see fuel-meter.ts). */
  meterFuel?: boolean;
  /** Lift the active data segments out when that is safe (data-lift.ts); needs `exportState`. */
  liftData?: boolean;
}

export interface RewriteResult {
  bytes: Uint8Array;
  /** Names of the added exports: globals and memories, with their kind. */
  stateExports: { name: string; kind: "global" | "memory" }[];
  /** Largest initial memory size in pages among defined memories. */
  initialPages: number;
  /** Whether the code is metered (false when not asked, or its code could not be decoded). */
  metered: boolean;
  /** Why the code is not metered though it was asked. */
  unmeteredReason?: string;
  /** The active data segments taken out, for the engine to write after instantiation. */
  liftedData?: LiftedSegment[];
}

class Reader extends WasmReader {
  name(): string {
    const len = this.u32();
    const s = new TextDecoder().decode(this.buf.subarray(this.pos, this.pos + len));
    this.pos += len;
    return s;
  }
  skipLimits(): void {
    const flags = this.byte();
    const is64 = (flags & 0x04) !== 0;
    if (is64) this.u64();
    else this.u32();
    if (flags & 0x01) {
      if (is64) this.u64();
      else this.u32();
    }
  }
}

function encodeName(s: string): number[] {
  const bytes = new TextEncoder().encode(s);
  return [...encodeU32(bytes.length), ...bytes];
}

function section(id: number, body: number[] | Uint8Array): Uint8Array {
  const header = [id, ...encodeU32(body.length)];
  const out = new Uint8Array(header.length + body.length);
  out.set(header, 0);
  out.set(body, header.length);
  return out;
}

/** Skip a constant initialiser expression (ends with `end`, 0x0b). */
function skipConstExpr(r: Reader): void {
  for (;;) {
    const op = r.byte();
    if (op === 0x0b) return;
    if (op === 0x41 || op === 0x23 || op === 0xd2) r.u32();
    else if (op === 0x42) r.u64();
    else if (op === 0x43) r.pos += 4;
    else if (op === 0x44) r.pos += 8;
    else if (op === 0xd0) r.byte();
    else if (op === 0xfd) {
      r.u32();
      r.pos += 16;
    } else if (
      op === 0x6a ||
      op === 0x6b ||
      op === 0x6c ||
      op === 0x7c ||
      op === 0x7d ||
      op === 0x7e
    ) {
      // extended-const arithmetic: no immediates
    } else throw new Error(`unsupported opcode 0x${op.toString(16)} in constant expression`);
  }
}

function skipValType(r: Reader): void {
  const t = r.byte();
  // reference types with heap type immediates (GC proposal); plain value types are one byte
  if (t === 0x63 || t === 0x64) r.u32();
}

/** Rewrite a core module; see the file comment. Throws on malformed input. */
export function rewriteCoreModule(input: Uint8Array, options: RewriteOptions): RewriteResult {
  if (input.length < 8 || input[0] !== 0 || input[1] !== 0x61 || input[4] !== 1) {
    throw new Error("not a core WebAssembly module");
  }
  const parts: Uint8Array[] = [input.subarray(0, 8)];
  const stateExports: RewriteResult["stateExports"] = [];
  let importedGlobals = 0;
  let importedMemories = 0;
  const mutableGlobals: number[] = [];
  let definedMemories = 0;
  let initialPages = 0;
  let sawExport = false;
  let sawGlobal = false;
  let definedGlobals = 0;
  let metered = false;
  let unmeteredReason: string | undefined;
  let sawStart = false;
  let liftedData: LiftedSegment[] | undefined;
  const r = new Reader(input, 8);
  const fuelGlobal = () => importedGlobals + definedGlobals;
  /** The fuel global's definition: (mut i64) = i64.const max. */
  const fuelGlobalBytes = [0x7e, 0x01, 0x42, ...encodeS64(FUEL_UNLIMITED), 0x0b];

  const extraExports = (): number[][] => {
    const out: number[][] = [];
    if (options.meterFuel) out.push([...encodeName(FUEL_EXPORT), 0x03, ...encodeU32(fuelGlobal())]);
    if (!options.exportState) return out;
    for (const idx of mutableGlobals) {
      const name = `${SNAPSHOT_EXPORT_PREFIX}g${idx}`;
      stateExports.push({ name, kind: "global" });
      out.push([...encodeName(name), 0x03, ...encodeU32(idx)]);
    }
    for (let i = 0; i < definedMemories; i++) {
      const idx = importedMemories + i;
      const name = memoryStateExport(idx);
      stateExports.push({ name, kind: "memory" });
      out.push([...encodeName(name), 0x02, ...encodeU32(idx)]);
    }
    return out;
  };

  while (r.pos < input.length) {
    const start = r.pos;
    const id = r.byte();
    const size = r.u32();
    const bodyStart = r.pos;
    const end = bodyStart + size;
    if (id === SECTION_IMPORT) {
      const count = r.u32();
      for (let i = 0; i < count; i++) {
        r.name();
        r.name();
        const kind = r.byte();
        if (kind === 0x00) r.u32();
        else if (kind === 0x01) {
          skipValType(r);
          r.skipLimits();
        } else if (kind === 0x02) {
          r.skipLimits();
          importedMemories++;
        } else if (kind === 0x03) {
          skipValType(r);
          r.byte();
          importedGlobals++;
        } else if (kind === 0x04) {
          r.byte();
          r.u32();
        } else throw new Error(`unknown import kind ${kind}`);
      }
      parts.push(input.subarray(start, end));
    } else if (id === SECTION_MEMORY) {
      const count = r.u32();
      const body: number[] = [...encodeU32(count)];
      for (let i = 0; i < count; i++) {
        const flags = r.byte();
        if (flags & 0x04) throw new Error("64-bit memories are not supported");
        const min = r.u32();
        const max = flags & 0x01 ? r.u32() : undefined;
        initialPages = Math.max(initialPages, min);
        let newMax = max;
        if (options.maxMemoryPages !== undefined) {
          newMax = Math.max(min, Math.min(max ?? Number.POSITIVE_INFINITY, options.maxMemoryPages));
        }
        const shared = flags & 0x02;
        body.push(
          (newMax === undefined ? 0 : 0x01) | shared,
          ...encodeU32(min),
          ...(newMax === undefined ? [] : encodeU32(newMax)),
        );
      }
      definedMemories = count;
      parts.push(section(SECTION_MEMORY, body));
    } else if (id === SECTION_GLOBAL) {
      sawGlobal = true;
      const count = r.u32();
      const first = r.pos;
      for (let i = 0; i < count; i++) {
        skipValType(r);
        const mutable = r.byte();
        skipConstExpr(r);
        if (mutable === 1) mutableGlobals.push(importedGlobals + i);
      }
      definedGlobals = count;
      if (options.meterFuel) {
        // the fuel global goes last: no existing index moves
        const existing = input.subarray(first, end);
        parts.push(
          section(SECTION_GLOBAL, [...encodeU32(count + 1), ...existing, ...fuelGlobalBytes]),
        );
      } else {
        parts.push(input.subarray(start, end));
      }
    } else if (id === SECTION_EXPORT) {
      if (options.meterFuel && !sawGlobal) {
        sawGlobal = true;
        parts.push(section(SECTION_GLOBAL, [1, ...fuelGlobalBytes]));
      }
      sawExport = true;
      const count = r.u32();
      const extra = extraExports();
      const body = [...encodeU32(count + extra.length)];
      const existing = input.subarray(r.pos, end);
      const out = new Uint8Array(body.length + existing.length + extra.flat().length);
      out.set(body, 0);
      out.set(existing, body.length);
      out.set(extra.flat(), body.length + existing.length);
      parts.push(section(SECTION_EXPORT, out));
    } else {
      // sections after the export section (start, element, code, data, custom) keep their order;
      // a module without a global or export section gets them before the first later section
      const later = id !== 0 && id !== 13 && id > SECTION_EXPORT;
      if (options.meterFuel && !sawGlobal && later) {
        sawGlobal = true;
        parts.push(section(SECTION_GLOBAL, [1, ...fuelGlobalBytes]));
      }
      if (!sawExport && (options.exportState || options.meterFuel) && later) {
        sawExport = true;
        const extra = extraExports();
        parts.push(section(SECTION_EXPORT, [...encodeU32(extra.length), ...extra.flat()]));
      }
      if (id === SECTION_START) sawStart = true;
      const lifted =
        id === SECTION_DATA && options.liftData && options.exportState && !sawStart
          ? liftDataSection(input.subarray(bodyStart, end), importedMemories)
          : undefined;
      if (lifted) {
        liftedData = lifted.segments;
        parts.push(section(SECTION_DATA, lifted.body));
      } else if (id === SECTION_CODE && options.meterFuel) {
        try {
          parts.push(
            section(SECTION_CODE, meterCodeSection(input.subarray(bodyStart, end), fuelGlobal())),
          );
          metered = true;
        } catch (err) {
          if (!(err instanceof UnmeterableCode)) throw err;
          unmeteredReason = err.message;
          parts.push(input.subarray(start, end));
        }
      } else {
        parts.push(input.subarray(start, end));
      }
    }
    r.pos = end;
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const bytes = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    bytes.set(p, off);
    off += p.length;
  }
  // a module with no code at all has nothing to meter
  if (options.meterFuel && !metered && unmeteredReason === undefined) metered = true;
  return {
    bytes,
    stateExports,
    initialPages,
    metered,
    ...(unmeteredReason === undefined ? {} : { unmeteredReason }),
    ...(liftedData === undefined ? {} : { liftedData }),
  };
}
