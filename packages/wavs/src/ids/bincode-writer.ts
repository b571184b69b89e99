/**
 * A byte writer following bincode 2's "standard" configuration: little-endian, variable-length
 * integers. Only what the event-id salt needs is implemented.
 *
 * Varint rule for unsigned integers: u < 251 is one byte; otherwise a marker byte then the
 * value little-endian: 251 + u16, 252 + u32, 253 + u64. Signed integers are zigzag-encoded
 * first (0 -> 0, -1 -> 1, 1 -> 2, ...). Lengths of byte strings, strings and sequences are
 * u64 varints; an option is one byte (0 = none, 1 = some) followed by the value.
 */
const U16_MARKER = 251;
const U32_MARKER = 252;
const U64_MARKER = 253;
const U64_LIMIT = 1n << 64n;
const S64_MIN = -(1n << 63n);
const S64_MAX = (1n << 63n) - 1n;

/** Accumulates bincode-standard encoded values. */
export class BincodeWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  private push(bytes: Uint8Array): this {
    this.chunks.push(bytes);
    this.length += bytes.length;
    return this;
  }

  /** One raw byte (used for option tags and u8 values). */
  u8(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xff)
      throw new RangeError(`not a u8: ${value}`);
    return this.push(Uint8Array.of(value));
  }

  /** An unsigned integer up to u64, as a varint. */
  varUint(value: bigint | number): this {
    const v = BigInt(value);
    if (v < 0n || v >= U64_LIMIT) throw new RangeError(`not a u64: ${v}`);
    if (v < BigInt(U16_MARKER)) return this.push(Uint8Array.of(Number(v)));
    if (v <= 0xffffn) {
      const out = new Uint8Array(3);
      out[0] = U16_MARKER;
      new DataView(out.buffer).setUint16(1, Number(v), true);
      return this.push(out);
    }
    if (v <= 0xffff_ffffn) {
      const out = new Uint8Array(5);
      out[0] = U32_MARKER;
      new DataView(out.buffer).setUint32(1, Number(v), true);
      return this.push(out);
    }
    const out = new Uint8Array(9);
    out[0] = U64_MARKER;
    new DataView(out.buffer).setBigUint64(1, v, true);
    return this.push(out);
  }

  /** A signed integer up to s64, zigzag-encoded then written as a varint. */
  varInt(value: bigint | number): this {
    const v = BigInt(value);
    if (v < S64_MIN || v > S64_MAX) throw new RangeError(`not an s64: ${v}`);
    return this.varUint(v >= 0n ? v * 2n : -v * 2n - 1n);
  }

  /** A byte string: varint length then the bytes. */
  bytes(value: Uint8Array): this {
    this.varUint(value.length);
    return this.push(value.slice());
  }

  /** A string: its UTF-8 bytes, length-prefixed. */
  string(value: string): this {
    return this.bytes(new TextEncoder().encode(value));
  }

  /** An option: 0 for none, else 1 then the value written by `write`. */
  option<T>(value: T | undefined, write: (w: this, v: T) => void): this {
    if (value === undefined) return this.u8(0);
    this.u8(1);
    write(this, value);
    return this;
  }

  /** Everything written so far. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
