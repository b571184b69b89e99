import { describe, expect, test } from "vitest";
import { bigintToJson, toS64, toU64, U64_MAX } from "./integers.js";

describe("u64 and s64 values", () => {
  test.each([
    [0, 0n],
    [42, 42n],
    ["42", 42n],
    ["9007199254740993", 9007199254740993n],
    ["18446744073709551615", U64_MAX],
    [42n, 42n],
    // JSON.parse reads Rust's u64::MAX as 2^64 (the nearest double): taken as u64::MAX.
    [JSON.parse("18446744073709551615") as number, U64_MAX],
  ])("toU64(%s) = %s", (input, expected) => {
    expect(toU64(input)).toBe(expected);
  });

  test.each([
    -1,
    1.5,
    "1.5",
    "-1",
    "0x10",
    "",
    " 1",
    "18446744073709551616",
    null,
    true,
    {},
    2 ** 65,
  ])("toU64(%j) is not a u64", (input) => {
    expect(toU64(input)).toBeUndefined();
  });

  test("s64 accepts negatives within range", () => {
    expect(toS64(-5)).toBe(-5n);
    expect(toS64("-9223372036854775808")).toBe(-(1n << 63n));
    expect(toS64("9223372036854775808")).toBeUndefined();
    expect(toS64(1.5)).toBeUndefined();
  });

  test("written back as numbers when exact, else as decimal strings", () => {
    expect(bigintToJson(5n)).toBe(5);
    expect(bigintToJson(9007199254740991n)).toBe(9007199254740991);
    expect(bigintToJson(9007199254740992n)).toBe("9007199254740992");
    expect(bigintToJson(-9007199254740991n)).toBe(-9007199254740991);
    expect(bigintToJson(U64_MAX)).toBe("18446744073709551615");
  });
});
