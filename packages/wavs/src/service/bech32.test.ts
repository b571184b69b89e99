import { describe, expect, test } from "vitest";
import { decodeBech32, encodeBech32, tryDecodeBech32 } from "./bech32.js";
import { bytesToHex } from "./hex.js";

describe("bech32", () => {
  test("decodes a known Cosmos address (cosmjs vector)", () => {
    const { prefix, data } = decodeBech32("cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6");
    expect(prefix).toBe("cosmos");
    expect(bytesToHex(data)).toBe("0x0d82b1e7c96dbfa42462fe612932e6bff111d51b");
  });

  test.each([
    ["A12UEL5L", "a", "0x"],
    [
      "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
      "abcdef",
      "0x00443214c74254b635cf84653a56d7c675be77df",
    ],
    ["?1ezyfcl", "?", "0x"],
  ])("accepts BIP-173 valid string %s", (s, prefix, hex) => {
    const decoded = decodeBech32(s);
    expect([decoded.prefix, bytesToHex(decoded.data)]).toEqual([prefix, hex]);
  });

  test.each([
    ["pzry9x0s0muk", "has no prefix followed by the separator '1'"],
    ["1pzry9x0s0muk", "has no prefix followed by the separator '1'"],
    ["x1b4n0q5v", "has an invalid character 'b'"],
    ["li1dgmt3", "is too short to hold a checksum"],
    ["A1G7SGD8", "has a bad checksum"],
    ["cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs7", "has a bad checksum"],
    ["cosmos1PKPTRE7FDKL6GFRZLESJJVHXHLC3R4GMMK8RS6", "mixes upper and lower case"],
  ])("rejects %s", (s, reason) => {
    expect(tryDecodeBech32(s)).toBe(reason);
  });

  test("throws a WavsError with the reason", () => {
    expect(() => decodeBech32("cosmos1xyz")).toThrowErrorMatchingInlineSnapshot(
      `[WavsError: 'cosmos1xyz' is not valid bech32: it is too short to hold a checksum]`,
    );
  });

  test("accepts an all-uppercase string and reads its prefix in lowercase", () => {
    expect(decodeBech32("COSMOS1PKPTRE7FDKL6GFRZLESJJVHXHLC3R4GMMK8RS6").prefix).toBe("cosmos");
  });

  test("encodes: known vector and round trips of 20- and 32-byte addresses", () => {
    const known = Uint8Array.from(Buffer.from("0d82b1e7c96dbfa42462fe612932e6bff111d51b", "hex"));
    expect(encodeBech32("cosmos", known)).toBe("cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6");
    for (const len of [20, 32]) {
      const bytes = Uint8Array.from({ length: len }, (_, i) => (i * 37 + 11) & 0xff);
      const s = encodeBech32("wasm", bytes);
      expect(decodeBech32(s)).toEqual({ prefix: "wasm", data: bytes });
    }
  });
});
