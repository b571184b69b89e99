import { describe, expect, test } from "vitest";
import { bytesToHex } from "../service/hex.js";
import { BincodeWriter } from "./bincode-writer.js";

const hex = (write: (w: BincodeWriter) => void) => {
  const w = new BincodeWriter();
  write(w);
  return bytesToHex(w.finish(), false);
};

describe("BincodeWriter (bincode 2 standard config)", () => {
  test.each([
    [0n, "00"],
    [250n, "fa"],
    [251n, "fbfb00"],
    [0xffffn, "fbffff"],
    [0x10000n, "fc00000100"],
    [0xffff_ffffn, "fcffffffff"],
    [0x1_0000_0000n, "fd0000000001000000"],
    [(1n << 64n) - 1n, "fdffffffffffffffff"],
  ])("unsigned varint %s -> %s", (value, expected) => {
    expect(hex((w) => w.varUint(value))).toBe(expected);
  });

  test.each([
    [0n, "00"],
    [-1n, "01"],
    [1n, "02"],
    [-2n, "03"],
    [125n, "fa"],
    [-126n, "fbfb00"], // zigzag 251: the first value that needs the u16 marker
    [(1n << 63n) - 1n, "fdfeffffffffffffff"],
    [-(1n << 63n), "fdffffffffffffffff"],
  ])("signed (zigzag) varint %s -> %s", (value, expected) => {
    expect(hex((w) => w.varInt(value))).toBe(expected);
  });

  test("byte strings and strings are length-prefixed; strings as UTF-8", () => {
    expect(hex((w) => w.bytes(Uint8Array.of(1, 2, 3)))).toBe("03010203");
    expect(hex((w) => w.bytes(new Uint8Array()))).toBe("00");
    expect(hex((w) => w.string("é"))).toBe("02c3a9");
    expect(hex((w) => w.bytes(new Uint8Array(300)))).toMatch(/^fb2c01(00){300}$/);
  });

  test("options are a 0/1 byte then the value", () => {
    expect(hex((w) => w.option(undefined, (o, v: number) => o.varUint(v)))).toBe("00");
    expect(hex((w) => w.option(300, (o, v) => o.varUint(v)))).toBe("01fb2c01");
  });

  test("out-of-range values are refused", () => {
    expect(() => new BincodeWriter().varUint(-1)).toThrow(RangeError);
    expect(() => new BincodeWriter().varUint(1n << 64n)).toThrow(RangeError);
    expect(() => new BincodeWriter().varInt(1n << 63n)).toThrow(RangeError);
    expect(() => new BincodeWriter().u8(256)).toThrow(RangeError);
  });

  test("the written bytes do not alias the caller's buffer", () => {
    const input = Uint8Array.of(7);
    const w = new BincodeWriter().bytes(input);
    input[0] = 8;
    expect(bytesToHex(w.finish(), false)).toBe("0107");
  });
});
