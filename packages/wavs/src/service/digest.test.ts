import { describe, expect, test } from "vitest";
import { componentDigest, digestProblem, isDigest } from "./digest.js";

describe("component digests", () => {
  test("are sha256 hex of the bytes", () => {
    expect(componentDigest(new Uint8Array())).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(componentDigest(new TextEncoder().encode("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  test("validation wants 64 lowercase hex characters", () => {
    expect(isDigest("ab".repeat(32))).toBe(true);
    expect(isDigest("AB".repeat(32))).toBe(false);
    expect(isDigest(`0x${"ab".repeat(32)}`)).toBe(false);
    expect(isDigest("ab".repeat(31))).toBe(false);
    expect(digestProblem("AB".repeat(32))).toMatchInlineSnapshot(
      `"'ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB' must be lowercase hex"`,
    );
    expect(digestProblem(`0x${"ab".repeat(32)}`)).toMatchInlineSnapshot(
      `"'0xabababababababababababababababababababababababababababababababab' must not start with 0x"`,
    );
    expect(digestProblem("abc")).toMatchInlineSnapshot(
      `"'abc' is not a sha256 digest (expected 64 lowercase hex characters)"`,
    );
  });
});
