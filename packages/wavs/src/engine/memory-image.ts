/**
 * A copy of a linear memory that leaves out its all-zero pages. A component's memory right
 * after instantiation is often half zeros (a JavaScript engine's reserved heap, stacks), and a
 * worker keeps one image per loaded component for as long as it is loaded: the zeros would be
 * megabytes held for nothing.
 *
 * Restoring compares before it writes, chunk by chunk (a native memcmp): an execution changes
 * a small part of a large memory, reading is cheaper than writing, and a page the component
 * never touched is never written, so the operating system never has to back it (writing zeros
 * over the untouched zero pages of a TypeScript component's memory cost ~4 MB of resident
 * memory per instance, for pages that only ever held zeros).
 */

/** Pages are compared and kept in units of a WebAssembly page. */
const CHUNK = 65536;

/** A chunk of zeros to compare zero runs with. */
const ZERO_CHUNK = Buffer.alloc(CHUNK);

interface Run {
  offset: number;
  length: number;
  /** The run's bytes; null for a run of zeros. */
  bytes: Buffer | null;
}

/** Whether `length` bytes of `words` from byte `offset` are all zero (offset, length: multiples of 8). */
function allZero(words: BigUint64Array, offset: number, length: number): boolean {
  const end = (offset + length) / 8;
  for (let i = offset / 8; i < end; i++) if (words[i] !== 0n) return false;
  return true;
}

/** An image of a memory's bytes at one moment, restorable into a memory of the same size. */
export class MemoryImage {
  private constructor(
    /** Size of the memory the image was taken of. */
    readonly byteLength: number,
    private readonly runs: readonly Run[],
  ) {}

  /** Copy the non-zero chunks of `memory` (a whole linear memory: its length is a page multiple). */
  static take(memory: Uint8Array): MemoryImage {
    const words = new BigUint64Array(memory.buffer, memory.byteOffset, memory.byteLength / 8);
    // runs of chunks of one kind (all zero or not), then a copy of each non-zero run
    const spans: { offset: number; length: number; zero: boolean }[] = [];
    for (let offset = 0; offset < memory.byteLength; offset += CHUNK) {
      const length = Math.min(CHUNK, memory.byteLength - offset);
      const zero = length % 8 === 0 && allZero(words, offset, length);
      const last = spans[spans.length - 1];
      if (last?.zero === zero) last.length += length;
      else spans.push({ offset, length, zero });
    }
    const runs = spans.map(({ offset, length, zero }) => ({
      offset,
      length,
      bytes: zero ? null : Buffer.from(memory.slice(offset, offset + length).buffer),
    }));
    return new MemoryImage(memory.byteLength, runs);
  }

  /** Bytes the image holds (its non-zero chunks). */
  get storedBytes(): number {
    return this.runs.reduce((sum, r) => sum + (r.bytes?.length ?? 0), 0);
  }

  /** Write the image over `memory`, which must have the image's size: only the chunks that differ. */
  restoreInto(memory: Uint8Array): void {
    const target = Buffer.from(memory.buffer, memory.byteOffset, memory.byteLength);
    for (const run of this.runs) {
      for (let at = 0; at < run.length; at += CHUNK) {
        const length = Math.min(CHUNK, run.length - at);
        const start = run.offset + at;
        // a zero run compares with (and is written from) the same chunk of zeros
        const source = run.bytes ?? ZERO_CHUNK;
        const from = run.bytes ? at : 0;
        if (source.compare(target, start, start + length, from, from + length) === 0) continue;
        target.set(source.subarray(from, from + length), start);
      }
    }
  }
}
