import { encodeEnvelope, recoverEnvelopeSigner } from "@wavs-ts/contracts";
import { type Hex, hashMessage, keccak256, recoverAddress } from "viem";
import { describe, expect, it } from "vitest";
import { HdKeys } from "./hd-keys.js";
import { buildEnvelope, signResponse } from "./sign-response.js";

const keys = new HdKeys("test test test test test test test test test test test junk");
const eventId = new Uint8Array(20).map((_, i) => i + 1);
const payload = new TextEncoder().encode("hello");

describe("signResponse", () => {
  it("builds the envelope per the spec: 20-byte id, ordering u64 BE in the first 8 bytes", () => {
    expect(buildEnvelope({ eventId, ordering: 0x0102030405060708n, payload })).toEqual({
      eventId: "0x0102030405060708090a0b0c0d0e0f1011121314",
      ordering: "0x010203040506070800000000",
      payload: "0x68656c6c6f",
    });
    expect(buildEnvelope({ eventId, payload }).ordering).toBe("0x000000000000000000000000");
  });

  it("signs keccak256(abi.encode(envelope)) with the EIP-191 prefix, v in {27, 28}", async () => {
    const account = keys.account(1);
    const signed = await signResponse(account, {
      eventId,
      ordering: 5n,
      payload,
      signatureKind: { algorithm: "secp256k1", prefix: "eip191" },
    });
    expect(signed.signer).toBe(account.address);
    expect(signed.eventId).toBe(signed.envelope.eventId);
    expect(signed.envelopeHash).toBe(keccak256(encodeEnvelope(signed.envelope)));
    expect((signed.signature.length - 2) / 2).toBe(65);
    expect([27, 28]).toContain(Number.parseInt(signed.signature.slice(-2), 16));
    const digest = hashMessage({ raw: signed.envelopeHash });
    expect(await recoverAddress({ hash: digest, signature: signed.signature })).toBe(
      account.address,
    );
  });

  it("signs the bare hash when the signature kind has no prefix", async () => {
    const account = keys.account(2);
    const signed = await signResponse(account, {
      eventId,
      payload,
      signatureKind: { algorithm: "secp256k1", prefix: null },
    });
    expect(await recoverAddress({ hash: signed.envelopeHash, signature: signed.signature })).toBe(
      account.address,
    );
    expect(await recoverEnvelopeSigner(signed.envelope, signed.signature, null)).toBe(
      account.address,
    );
    // The same envelope under EIP-191 is a different signature.
    const prefixed = await signResponse(account, {
      eventId,
      payload,
      signatureKind: { algorithm: "secp256k1", prefix: "eip191" },
    });
    expect(prefixed.signature).not.toBe(signed.signature);
  });

  it("refuses an event id that is not 20 bytes and an ordering beyond u64", () => {
    expect(() => buildEnvelope({ eventId: new Uint8Array(32), payload })).toThrow(/not 20 bytes/);
    expect(() => buildEnvelope({ eventId: "0x1234" as Hex, payload })).toThrow(/not 20 bytes/);
    expect(() => buildEnvelope({ eventId, ordering: 2n ** 64n, payload })).toThrow(/not a u64/);
  });
});
