import {
  concat,
  decodeAbiParameters,
  encodeAbiParameters,
  type Hex,
  hashMessage,
  keccak256,
  recoverAddress,
  size,
  slice,
  stringToHex,
} from "viem";
import { describe, expect, it } from "vitest";
import { testKey } from "../test/helpers/fixtures.js";
import {
  buildSignatureData,
  type Envelope,
  eip191Digest,
  encodeEnvelope,
  envelopeAbiParameter,
  envelopeDigest,
  envelopeHash,
  normalizeSignature,
  orderingFromU64,
  personalMessageDigest,
  recoverEnvelopeSigner,
  signEnvelope,
  ZERO_ORDERING,
} from "./envelope.js";

const envelope: Envelope = {
  eventId: "0x0102030405060708090a0b0c0d0e0f1011121314",
  ordering: orderingFromU64(7n),
  payload: "0xdeadbeef",
};

describe("encodeEnvelope", () => {
  it("encodes the struct as one dynamic tuple", () => {
    const encoded = encodeEnvelope(envelope);
    // Head: offset of the tuple, then eventId (left-aligned), ordering, offset of payload.
    expect(slice(encoded, 0, 32)).toBe(`0x${"20".padStart(64, "0")}`);
    expect(slice(encoded, 32, 52)).toBe(envelope.eventId);
    expect(slice(encoded, 64, 76)).toBe(envelope.ordering);
    expect(slice(encoded, 96, 128)).toBe(`0x${"60".padStart(64, "0")}`);
    expect(slice(encoded, 128, 160)).toBe(`0x${"4".padStart(64, "0")}`);
    expect(slice(encoded, 160, 164)).toBe("0xdeadbeef");
    expect(size(encoded)).toBe(192);
    const [decoded] = decodeAbiParameters([envelopeAbiParameter], encoded);
    expect(decoded).toEqual(envelope);
  });

  it("matches the general ABI encoder for payloads of every length around a word", () => {
    for (const bytes of [0, 1, 31, 32, 33, 64, 65, 1000]) {
      const payload = `0x${"aB".repeat(bytes)}` as Hex;
      const e = {
        eventId: "0x0102030405060708090A0b0c0d0e0f1011121314" as Hex,
        ordering: orderingFromU64(9n),
        payload,
      };
      expect(encodeEnvelope(e)).toBe(
        encodeAbiParameters([envelopeAbiParameter], [e]).toLowerCase(),
      );
    }
  });

  it("rejects fields of the wrong size", () => {
    expect(() => encodeEnvelope({ ...envelope, eventId: "0x01" })).toThrow();
    expect(() => encodeEnvelope({ ...envelope, ordering: "0x01" })).toThrow();
  });

  it("puts a u64 ordering big-endian in the first 8 bytes", () => {
    expect(orderingFromU64(undefined)).toBe(ZERO_ORDERING);
    expect(orderingFromU64(0x0102030405060708n)).toBe("0x010203040506070800000000");
    expect(orderingFromU64(1)).toBe("0x000000000000000100000000");
  });
});

describe("digests", () => {
  it("hashes abi.encode(envelope) and applies the EIP-191 prefix", () => {
    const hash = envelopeHash(envelope);
    expect(hash).toBe(keccak256(encodeEnvelope(envelope)));
    const manual = keccak256(concat([stringToHex("\x19Ethereum Signed Message:\n32"), hash]));
    expect(eip191Digest(hash)).toBe(manual);
    expect(envelopeDigest(envelope)).toBe(manual);
    expect(envelopeDigest(envelope, null)).toBe(hash);
    expect(() => eip191Digest("0x1234")).toThrow();
  });

  it("hashes a personal message as viem's hashMessage does (length in UTF-8 bytes)", () => {
    for (const text of ["", "wavs landing v1\nservice ab", "déjà vu ✓", "x".repeat(300)]) {
      expect(personalMessageDigest(text)).toBe(hashMessage(text));
    }
  });

  it("hashes every envelope right while recent hashes are reused and the oldest dropped", () => {
    const at = (i: number, payload = `0x${i.toString(16).padStart(8, "0")}`) => ({
      ...envelope,
      payload: payload as Hex,
    });
    // past the bound of kept hashes, twice over, then the first ones again (dropped by then)
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 2500; i += 7) {
        expect(envelopeHash(at(i))).toBe(keccak256(encodeEnvelope(at(i))));
      }
    }
    // an envelope too large to be kept is hashed all the same
    const large = at(0, `0x${"ab".repeat(5000)}`);
    expect(envelopeHash(large)).toBe(keccak256(encodeEnvelope(large)));
    expect(envelopeHash(large)).toBe(keccak256(encodeEnvelope(large)));
  });
});

describe("signEnvelope", () => {
  it("produces 65-byte r||s||v signatures with v in {27, 28} that recover to the signer", async () => {
    const seen = new Set<number>();
    for (let i = 0; i < 12; i++) {
      const key = testKey(`envelope-${i}`);
      const signature = await signEnvelope(envelope, key);
      expect(size(signature)).toBe(65);
      const v = Number.parseInt(signature.slice(-2), 16);
      expect([27, 28]).toContain(v);
      seen.add(v);
      expect(await recoverEnvelopeSigner(envelope, signature)).toBe(key.address);
      expect(await recoverAddress({ hash: envelopeDigest(envelope), signature })).toBe(key.address);
    }
    // Both recovery ids occur, so the normalisation is exercised, not assumed.
    expect(seen.size).toBe(2);
  });

  it("accepts a raw private key and gives the same signature as the account", async () => {
    const privateKey = keccak256(stringToHex("wavs-ts raw key"));
    const { privateKeyToAccount } = await import("viem/accounts");
    expect(await signEnvelope(envelope, privateKey)).toBe(
      await signEnvelope(envelope, privateKeyToAccount(privateKey)),
    );
  });

  it("signs the bare hash when the prefix is null", async () => {
    const key = testKey("no-prefix");
    const signature = await signEnvelope(envelope, key, { prefix: null });
    expect(await recoverEnvelopeSigner(envelope, signature, null)).toBe(key.address);
    expect(await recoverEnvelopeSigner(envelope, signature)).not.toBe(key.address);
  });

  it("does not verify against another envelope", async () => {
    const key = testKey("other");
    const signature = await signEnvelope(envelope, key);
    const other = { ...envelope, payload: "0xdeadbeee" as Hex };
    expect(await recoverEnvelopeSigner(other, signature)).not.toBe(key.address);
  });
});

describe("normalizeSignature", () => {
  it("maps v 0/1 to 27/28 and rejects bad lengths and recovery bytes", async () => {
    const signature = await signEnvelope(envelope, testKey("norm"));
    const body = slice(signature, 0, 64);
    const v = Number.parseInt(signature.slice(-2), 16);
    expect(normalizeSignature(concat([body, v === 27 ? "0x00" : "0x01"]))).toBe(signature);
    expect(() => normalizeSignature(body)).toThrow(/65-byte/);
    expect(() => normalizeSignature(concat([body, "0x05"]))).toThrow(/recovery/);
  });
});

describe("buildSignatureData", () => {
  it("sorts signers ascending with their signatures and keeps the reference block", async () => {
    const keys = Array.from({ length: 6 }, (_, i) => testKey(`sort-${i}`));
    const parts = await Promise.all(
      keys.map(async (key) => ({
        signer: key.address,
        signature: await signEnvelope(envelope, key),
      })),
    );
    const data = buildSignatureData(parts, 41n);
    expect(data.referenceBlock).toBe(41);
    const numeric = data.signers.map((s) => BigInt(s));
    expect(numeric).toEqual([...numeric].sort((a, b) => (a < b ? -1 : 1)));
    for (let i = 0; i < data.signers.length; i++) {
      expect(await recoverEnvelopeSigner(envelope, data.signatures[i]!)).toBe(data.signers[i]);
    }
  });

  it("rejects duplicates whatever their case, bad signatures and a non-uint32 block", async () => {
    const key = testKey("dup");
    const signature = await signEnvelope(envelope, key);
    expect(() =>
      buildSignatureData(
        [
          { signer: key.address, signature },
          { signer: key.address.toLowerCase() as Hex, signature },
        ],
        1,
      ),
    ).toThrow(/duplicate/);
    expect(() => buildSignatureData([{ signer: key.address, signature: "0x1234" }], 1)).toThrow();
    expect(() => buildSignatureData([{ signer: key.address, signature }], 2 ** 32)).toThrow();
    expect(() => buildSignatureData([{ signer: key.address, signature }], -1)).toThrow();
  });
});
