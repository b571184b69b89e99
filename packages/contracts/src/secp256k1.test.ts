import { concat, type Hex, keccak256, numberToHex, slice, stringToHex } from "viem";
import { generatePrivateKey, privateKeyToAccount, sign } from "viem/accounts";
import { afterEach, describe, expect, it, vi } from "vitest";
import * as nativeModule from "./secp256k1.js";

type Secp = typeof nativeModule;

const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The module loaded again with the JavaScript backend forced. */
async function jsModule(): Promise<Secp> {
  vi.stubEnv("WAVS_SECP256K1", "js");
  vi.resetModules();
  return (await import("./secp256k1.js")) as Secp;
}

/** The malleable twin of a low-s signature: s' = n - s, v flipped. Same signer for ecrecover. */
function malleate(signature: Hex): Hex {
  const s = BigInt(slice(signature, 32, 64));
  const v = Number.parseInt(signature.slice(-2), 16);
  return concat([
    slice(signature, 0, 32),
    numberToHex(CURVE_ORDER - s, { size: 32 }),
    v === 27 ? "0x1c" : "0x1b",
  ]);
}

const vectors = Array.from({ length: 24 }, (_, i) => ({
  key: generatePrivateKey(),
  digest: keccak256(stringToHex(`digest ${i}`)),
}));

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("secp256k1", () => {
  it("uses libsecp256k1 on this platform", () => {
    expect(nativeModule.secp256k1Backend()).toBe("native");
  });

  it("forces the JavaScript backend with WAVS_SECP256K1=js", async () => {
    expect((await jsModule()).secp256k1Backend()).toBe("js");
  });

  for (const backend of ["native", "js"] as const) {
    describe(`${backend} backend`, () => {
      const load = async (): Promise<Secp> =>
        backend === "native" ? nativeModule : await jsModule();

      it("signs exactly as viem does (RFC 6979, low s) and recovers the signer", async () => {
        const m = await load();
        for (const { key, digest } of vectors) {
          const signature = await m.signDigest(digest, key);
          expect(signature).toBe(await sign({ hash: digest, privateKey: key, to: "hex" }));
          expect(await m.recoverDigestSigner(digest, signature)).toBe(
            privateKeyToAccount(key).address,
          );
        }
      });

      it("recovers someone else for another digest", async () => {
        const m = await load();
        const { key, digest } = vectors[0]!;
        const signature = await m.signDigest(digest, key);
        const other = keccak256(stringToHex("another digest"));
        expect(await m.recoverDigestSigner(other, signature)).not.toBe(
          privateKeyToAccount(key).address,
        );
      });

      it("refuses the malleable high-s twin of a valid signature", async () => {
        const m = await load();
        const { key, digest } = vectors[1]!;
        const twin = malleate(await m.signDigest(digest, key));
        await expect(m.recoverDigestSigner(digest, twin)).rejects.toThrow(/high s/);
      });

      it("refuses malformed signatures with a reason", async () => {
        const m = await load();
        const { key, digest } = vectors[2]!;
        const good = await m.signDigest(digest, key);
        await expect(m.recoverDigestSigner(digest, slice(good, 0, 64))).rejects.toThrow(/65-byte/);
        await expect(
          m.recoverDigestSigner(digest, concat([slice(good, 0, 64), "0x01"])),
        ).rejects.toThrow(/recovery byte 1/);
        const zeroR = concat([numberToHex(0, { size: 32 }), slice(good, 32, 65)]);
        await expect(m.recoverDigestSigner(digest, zeroR)).rejects.toThrow();
        await expect(m.signDigest("0x1234", key)).rejects.toThrow();
      });
    });
  }
});

describe("signTransactionWithKey", () => {
  const to: Hex = "0x1111111111111111111111111111111111111111";
  const kinds = [
    { type: "legacy", chainId: 31337, gasPrice: 1_000_000_007n },
    { type: "legacy", gasPrice: 3n }, // no chain id: v is 27 or 28
    { type: "legacy", chainId: 1, gasPrice: 10n ** 12n },
    { type: "eip2930", chainId: 17000, gasPrice: 5n, accessList: [] },
    { type: "eip1559", chainId: 8453, maxFeePerGas: 9n ** 12n, maxPriorityFeePerGas: 2n },
  ] as const;

  it("signs every transaction kind byte for byte as viem does, on both backends", async () => {
    const js = await jsModule();
    for (const [i, { key }] of vectors.entries()) {
      const transaction = {
        ...kinds[i % kinds.length]!,
        to,
        nonce: i * 7,
        gas: 21_000n + BigInt(i),
        data: keccak256(stringToHex(`calldata ${i}`)),
      };
      const expected = await privateKeyToAccount(key).signTransaction(transaction);
      expect(await nativeModule.signTransactionWithKey(key, transaction)).toBe(expected);
      expect(await js.signTransactionWithKey(key, transaction)).toBe(expected);
    }
  });
});
