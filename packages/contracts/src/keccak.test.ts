import { bytesToHex, type Hex, keccak256 as viemKeccak256 } from "viem";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as nativeModule from "./keccak.js";

type Keccak = typeof nativeModule;

/** The module loaded again with the JavaScript backend forced. */
async function jsModule(): Promise<Keccak> {
  vi.stubEnv("WAVS_KECCAK", "js");
  vi.resetModules();
  return (await import("./keccak.js")) as Keccak;
}

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Inputs around the sponge's rate (136 bytes) and typical transaction sizes, deterministic. */
const inputs: Uint8Array[] = [0, 1, 31, 32, 135, 136, 137, 271, 272, 800, 4_000].map((n) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 131 + n * 7) & 0xff),
);

describe("keccak256", () => {
  it("uses the native addon on this platform", () => {
    expect(nativeModule.keccakBackend()).toBe("native");
  });

  it("forces @noble/hashes with WAVS_KECCAK=js", async () => {
    expect((await jsModule()).keccakBackend()).toBe("js");
  });

  it("gives Ethereum's known digests (the empty input, a function signature)", () => {
    expect(nativeModule.keccak256("0x")).toBe(
      "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    );
    expect(
      nativeModule.keccak256(new TextEncoder().encode("transfer(address,uint256)")).slice(0, 10),
    ).toBe("0xa9059cbb");
  });

  for (const backend of ["native", "js"] as const) {
    it(`${backend}: the same digests as viem (@noble/hashes), from bytes and from hex`, async () => {
      const m = backend === "native" ? nativeModule : await jsModule();
      for (const input of inputs) {
        const expected = viemKeccak256(input);
        expect(m.keccak256(input)).toBe(expected);
        expect(m.keccak256(bytesToHex(input))).toBe(expected);
        expect(m.keccak256(bytesToHex(input).toUpperCase().replace("0X", "0x") as Hex)).toBe(
          expected,
        );
        expect(bytesToHex(m.keccak256Bytes(input))).toBe(expected);
      }
      // a view into a larger buffer hashes only its own bytes
      const big = new Uint8Array(64).fill(9);
      expect(m.keccak256(big.subarray(8, 40))).toBe(viemKeccak256(big.slice(8, 40)));
    });

    it(`${backend}: refuses hex it would have to guess at`, async () => {
      const m = backend === "native" ? nativeModule : await jsModule();
      for (const bad of ["0x123", "0xzz", "1234", "0x12 4"]) {
        expect(() => m.keccak256(bad as Hex)).toThrow(/not 0x-prefixed hex of whole bytes/);
      }
    });
  }
});
