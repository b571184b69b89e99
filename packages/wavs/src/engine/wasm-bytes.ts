/** Reading and writing the binary encoding of core WebAssembly (LEB128 numbers, bytes). */

/** A position in module bytes; `endError` makes the error thrown at the end of input. */
export class WasmReader {
  constructor(
    readonly buf: Uint8Array,
    public pos = 0,
    private readonly endError: () => Error = () => new Error("unexpected end of module"),
  ) {}
  byte(): number {
    const b = this.buf[this.pos++];
    if (b === undefined) throw this.endError();
    return b;
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
      shift += 7;
    }
  }
  u64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  }
  /** Skip a LEB128 number of any width and sign. */
  leb(): void {
    while (this.byte() & 0x80) {
      // continuation bytes
    }
  }
  skip(n: number): void {
    this.pos += n;
  }
}

/** Unsigned LEB128 of a u32. */
export function encodeU32(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of an i64. */
export function encodeS64(value: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asIntN(64, value);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}
