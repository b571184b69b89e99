/**
 * Fuel metering of core WebAssembly code, added when a module is loaded (V8 has none of its
 * own). Every function body and every loop body is charged, on entry, the number of
 * instructions it holds directly (a nested loop's body is charged by that loop): a call costs
 * its function's straight-line size, each loop iteration its body's size. The charge is taken
 * from a mutable i64 global and checked at once; below zero the code traps (`unreachable`),
 * and the engine reads the global to tell "out of fuel" from any other trap. The count depends
 * only on the code and the path taken, so it is the same on every run and every machine.
 *
 * The decoder knows the MVP and the extensions compilers emit (sign extension, saturating
 * conversions, bulk memory, reference types, multi-value, SIMD, threads, tail calls, legacy
 * exceptions); code with anything else (GC, typed function references, try_table) is left
 * unmetered, and the caller says so.
 */

import { encodeS64, encodeU32, WasmReader } from "./wasm-bytes.js";

/** Code the meter cannot decode. */
export class UnmeterableCode extends Error {
  override readonly name = "UnmeterableCode";
}

/** A reader of function bodies: the end of input means undecodable code. */
class Cursor extends WasmReader {
  constructor(buf: Uint8Array, pos: number) {
    super(buf, pos, () => new UnmeterableCode("unexpected end of code"));
  }
}

/** A block type: 0x40, a value type byte, or a type index (s33). */
function skipBlockType(c: Cursor): void {
  const b = c.buf[c.pos];
  if (b === undefined) throw new UnmeterableCode("unexpected end of code");
  if (b === 0x40 || (b >= 0x6f && b <= 0x7f)) {
    c.pos++;
    return;
  }
  if (b === 0x63 || b === 0x64) throw new UnmeterableCode("typed reference block type");
  c.leb();
}

function skipMemArg(c: Cursor): void {
  const align = c.u32();
  // multi-memory: bit 6 of the alignment says a memory index follows
  if (align & 0x40) c.u32();
  c.u32();
}

function skipPrefixFC(c: Cursor): void {
  const sub = c.u32();
  if (sub <= 7) return; // saturating truncations
  switch (sub) {
    case 8: // memory.init data mem
    case 10: // memory.copy mem mem
    case 12: // table.init elem table
    case 14: // table.copy table table
      c.u32();
      c.u32();
      return;
    case 9: // data.drop
    case 11: // memory.fill
    case 13: // elem.drop
    case 15: // table.grow
    case 16: // table.size
    case 17: // table.fill
      c.u32();
      return;
    default:
      throw new UnmeterableCode(`opcode 0xfc ${sub}`);
  }
}

function skipPrefixFD(c: Cursor): void {
  const sub = c.u32();
  if (sub <= 11 || sub === 92 || sub === 93) {
    skipMemArg(c); // loads and stores, load32_zero, load64_zero
  } else if (sub === 12 || sub === 13) {
    c.skip(16); // v128.const, i8x16.shuffle
  } else if (sub >= 21 && sub <= 34) {
    c.skip(1); // extract/replace lane
  } else if (sub >= 84 && sub <= 91) {
    skipMemArg(c); // load/store lane
    c.skip(1);
  } else if (sub > 275) {
    throw new UnmeterableCode(`opcode 0xfd ${sub}`);
  }
}

function skipPrefixFE(c: Cursor): void {
  const sub = c.u32();
  if (sub === 0x03)
    c.skip(1); // atomic.fence
  else if (sub <= 0x4e) skipMemArg(c);
  else throw new UnmeterableCode(`opcode 0xfe ${sub}`);
}

interface Frame {
  /** The region (function or loop body) its instructions are charged to. */
  region: number;
  closesRegion: boolean;
}

/**
 * Meter one function body (locals and expression); returns the new body bytes. `fuelGlobal`
 * is the index of the module's fuel global.
 */
export function meterFunctionBody(body: Uint8Array, fuelGlobal: number): Uint8Array {
  const c = new Cursor(body, 0);
  const localGroups = c.u32();
  for (let i = 0; i < localGroups; i++) {
    c.u32();
    const t = c.byte();
    if (t === 0x63 || t === 0x64) c.leb();
  }
  // charge points: [offset in body, region]; region 0 is the function itself
  const points: [number, number][] = [[c.pos, 0]];
  const costs: number[] = [0];
  const stack: Frame[] = [{ region: 0, closesRegion: false }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    costs[top.region]! += 1;
    const op = c.byte();
    switch (op) {
      case 0x02: // block
      case 0x04: // if
      case 0x06: // try (legacy exceptions)
        skipBlockType(c);
        stack.push({ region: top.region, closesRegion: false });
        break;
      case 0x03: {
        // loop: its body is a region of its own, charged on every iteration
        skipBlockType(c);
        const region = costs.length;
        costs.push(0);
        points.push([c.pos, region]);
        stack.push({ region, closesRegion: true });
        break;
      }
      case 0x0b: // end
        stack.pop();
        break;
      case 0x18: // delegate ends a try
        c.u32();
        stack.pop();
        break;
      case 0x0c: // br
      case 0x0d: // br_if
      case 0x07: // catch
      case 0x08: // throw
      case 0x09: // rethrow
      case 0x10: // call
      case 0x12: // return_call
      case 0x20:
      case 0x21:
      case 0x22:
      case 0x23:
      case 0x24: // locals and globals
      case 0x25:
      case 0x26: // table.get/set
      case 0x3f:
      case 0x40: // memory.size/grow
      case 0xd2: // ref.func
        c.u32();
        break;
      case 0x0e: {
        // br_table
        const n = c.u32();
        for (let i = 0; i <= n; i++) c.u32();
        break;
      }
      case 0x11: // call_indirect
      case 0x13: // return_call_indirect
        c.u32();
        c.u32();
        break;
      case 0x1c: {
        // select with types
        const n = c.u32();
        for (let i = 0; i < n; i++) {
          const t = c.byte();
          if (t === 0x63 || t === 0x64) c.leb();
        }
        break;
      }
      case 0x41: // i32.const
      case 0x42: // i64.const
        c.leb();
        break;
      case 0x43:
        c.skip(4);
        break;
      case 0x44:
        c.skip(8);
        break;
      case 0xd0: {
        // ref.null heap type
        const t = c.buf[c.pos];
        if (t !== undefined && (t === 0x70 || t === 0x6f)) c.pos++;
        else c.leb();
        break;
      }
      case 0xfc:
        skipPrefixFC(c);
        break;
      case 0xfd:
        skipPrefixFD(c);
        break;
      case 0xfe:
        skipPrefixFE(c);
        break;
      default:
        if (op >= 0x28 && op <= 0x3e) skipMemArg(c);
        else if (
          op === 0x00 ||
          op === 0x01 ||
          op === 0x05 ||
          op === 0x0f ||
          op === 0x19 ||
          op === 0x1a ||
          op === 0x1b ||
          op === 0xd1 ||
          (op >= 0x45 && op <= 0xc4)
        ) {
          // no immediates
        } else throw new UnmeterableCode(`opcode 0x${op.toString(16)}`);
    }
  }
  if (c.pos !== body.length) throw new UnmeterableCode("code after the function's end");
  const g = encodeU32(fuelGlobal);
  const charge = (cost: number) => [
    0x23,
    ...g,
    0x42,
    ...encodeS64(BigInt(cost)),
    0x7d, // i64.sub
    0x24,
    ...g,
    0x23,
    ...g,
    0x42,
    0x00,
    0x53, // i64.lt_s
    0x04,
    0x40,
    0x00, // unreachable
    0x0b,
  ];
  const out: number[] = [];
  let from = 0;
  for (const [at, region] of points) {
    for (let i = from; i < at; i++) out.push(body[i]!);
    out.push(...charge(costs[region]!));
    from = at;
  }
  const result = new Uint8Array(out.length + body.length - from);
  result.set(out, 0);
  result.set(body.subarray(from), out.length);
  return result;
}

/** Meter every body of a code section's contents; returns the new contents. */
export function meterCodeSection(contents: Uint8Array, fuelGlobal: number): Uint8Array {
  const c = new Cursor(contents, 0);
  const count = c.u32();
  const bodies: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const size = c.u32();
    bodies.push(meterFunctionBody(contents.subarray(c.pos, c.pos + size), fuelGlobal));
    c.pos += size;
  }
  const parts: number[][] = [encodeU32(count)];
  let total = parts[0]!.length;
  const sizes = bodies.map((b) => encodeU32(b.length));
  for (const [i, b] of bodies.entries()) total += sizes[i]!.length + b.length;
  const out = new Uint8Array(total);
  let off = 0;
  out.set(parts[0]!, off);
  off += parts[0]!.length;
  for (const [i, b] of bodies.entries()) {
    out.set(sizes[i]!, off);
    off += sizes[i]!.length;
    out.set(b, off);
    off += b.length;
  }
  return out;
}
