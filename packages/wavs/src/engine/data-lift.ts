/**
 * Active data segments taken out of a core module and written by the engine instead. V8 keeps
 * a compiled module's whole bytes for as long as the module lives, data section included, and
 * the engine keeps a snapshot of each instance's memory anyway (instance-slot.ts): for a
 * componentize-js component the data section is ~9 MB of its ~18 MB, held once more in every
 * worker that loads it. Lifted, the module carries empty segments in their place (indices and
 * the data count stay valid, the bounds check stays V8's) and the bytes live in a file beside
 * the rewritten module, read only when an instance is created.
 *
 * Only done when it cannot change behaviour: the module has no start function (nothing runs
 * between V8's instantiation and the engine's writes), and every active segment targets a
 * memory the module defines at a constant `i32.const` offset, so writing them in order after
 * instantiation leaves exactly the memory V8 would have. Anything else keeps its data section.
 */
import { closeSync, openSync, readSync } from "node:fs";
import { encodeU32, WasmReader } from "./wasm-bytes.js";

/** One active data segment: where it goes and its bytes. */
export interface LiftedSegment {
  /** Memory index in the module's index space. */
  memory: number;
  offset: number;
  bytes: Uint8Array;
}

/** Read a signed LEB128 of at most 32 bits. */
function s32(r: WasmReader): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    const b = r.byte();
    result |= (b & 0x7f) << shift;
    shift += 7;
    if ((b & 0x80) === 0) {
      if (shift < 32 && b & 0x40) result |= -1 << shift;
      return result;
    }
  }
}

/**
 * The data section body `body` with its active segments emptied, and those segments; undefined
 * when a segment cannot be lifted safely (see the file comment) or there is nothing to lift.
 */
export function liftDataSection(
  body: Uint8Array,
  importedMemories: number,
): { body: Uint8Array; segments: LiftedSegment[] } | undefined {
  const r = new WasmReader(body);
  const count = r.u32();
  const out: number[] = [...encodeU32(count)];
  const segments: LiftedSegment[] = [];
  for (let i = 0; i < count; i++) {
    const start = r.pos;
    const flags = r.u32();
    if (flags === 1) {
      // passive: used by memory.init, kept as it is
      const len = r.u32();
      r.skip(len);
      for (const b of body.subarray(start, r.pos)) out.push(b);
      continue;
    }
    if (flags !== 0 && flags !== 2) return undefined;
    const memory = flags === 2 ? r.u32() : 0;
    if (memory < importedMemories) return undefined;
    if (r.byte() !== 0x41) return undefined;
    const offset = s32(r) >>> 0;
    if (r.byte() !== 0x0b) return undefined;
    const exprEnd = r.pos;
    const len = r.u32();
    segments.push({ memory, offset, bytes: body.subarray(r.pos, r.pos + len) });
    r.skip(len);
    // the same segment header and offset, no bytes
    for (const b of body.subarray(start, exprEnd)) out.push(b);
    out.push(0);
  }
  if (segments.length === 0) return undefined;
  return { body: Uint8Array.from(out), segments };
}

/** Lifted segments, ready to be written into each new instance of their module. */
export interface LiftedData {
  /** Write the segments, in order, into `instance`'s memories (exported as `memoryExport(index)`). */
  apply(instance: WebAssembly.Instance, memoryExport: (index: number) => string): void;
}

/** The memory a segment goes to, checked the way V8 would check it. */
function target(
  instance: WebAssembly.Instance,
  memoryExport: (index: number) => string,
  memory: number,
  offset: number,
  length: number,
): Uint8Array {
  const exported = instance.exports[memoryExport(memory)];
  if (!(exported instanceof WebAssembly.Memory)) {
    throw new Error(`lifted data segment for memory ${memory}: the memory is not exported`);
  }
  const view = new Uint8Array(exported.buffer);
  if (offset + length > view.length) {
    // V8 refuses such a module at instantiation; the empty segment left in its place passes
    throw new WebAssembly.RuntimeError("data segment is out of bounds");
  }
  return view;
}

/** Segments held in memory (when the cache could not be written). */
export function heldLiftedData(segments: readonly LiftedSegment[]): LiftedData {
  return {
    apply(instance, memoryExport) {
      for (const s of segments) {
        target(instance, memoryExport, s.memory, s.offset, s.bytes.length).set(s.bytes, s.offset);
      }
    },
  };
}

/**
 * The file format: a u32 count, per segment its memory, offset and length (u32 little-endian),
 * then the segments' bytes one after the other.
 */
export function encodeLiftedSegments(segments: readonly LiftedSegment[]): Uint8Array {
  const header = 4 + 12 * segments.length;
  const out = new Uint8Array(header + segments.reduce((n, s) => n + s.bytes.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, segments.length, true);
  let pos = header;
  for (const [i, s] of segments.entries()) {
    view.setUint32(4 + 12 * i, s.memory, true);
    view.setUint32(8 + 12 * i, s.offset, true);
    view.setUint32(12 + 12 * i, s.bytes.length, true);
    out.set(s.bytes, pos);
    pos += s.bytes.length;
  }
  return out;
}

/**
 * Segments in a file written by `encodeLiftedSegments`, read straight into the instance's
 * memory on each `apply`: no copy of megabytes is made or left for the garbage collector.
 */
export function liftedDataFile(path: string): LiftedData {
  return {
    apply(instance, memoryExport) {
      const fd = openSync(path, "r");
      try {
        const countBuf = new Uint8Array(4);
        readExactly(fd, countBuf, 0);
        const count = new DataView(countBuf.buffer).getUint32(0, true);
        const header = new Uint8Array(12 * count);
        readExactly(fd, header, 4);
        const view = new DataView(header.buffer);
        let pos = 4 + header.length;
        for (let i = 0; i < count; i++) {
          const memory = view.getUint32(12 * i, true);
          const offset = view.getUint32(12 * i + 4, true);
          const length = view.getUint32(12 * i + 8, true);
          const mem = target(instance, memoryExport, memory, offset, length);
          readExactly(fd, mem.subarray(offset, offset + length), pos);
          pos += length;
        }
      } finally {
        closeSync(fd);
      }
    },
  };
}

/** Fill `into` from `fd` at `position`; a short file is an error. */
function readExactly(fd: number, into: Uint8Array, position: number): void {
  for (let done = 0; done < into.length; ) {
    const n = readSync(fd, into, done, into.length - done, position + done);
    if (n === 0) throw new Error("lifted data file is truncated");
    done += n;
  }
}
