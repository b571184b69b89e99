import { type Address, concat, keccak256, toHex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { designatedSubmitter, submissionOrder, submitterRank } from "./designated-submitter.js";

const signers = [1, 2, 3, 4]
  .map((i) => privateKeyToAccount(keccak256(toHex(`key ${i}`))).address)
  .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)) as Address[];
const eventId = toHex(new Uint8Array(20).fill(7));

describe("designated submitter", () => {
  it("is the signer with the lowest keccak256(eventId ‖ signer)", () => {
    const weights = signers.map((s) => BigInt(keccak256(concat([eventId, s]))));
    const lowest = signers[weights.indexOf(weights.reduce((a, b) => (b < a ? b : a)))];
    expect(designatedSubmitter(eventId, signers)).toBe(lowest);
    expect(submissionOrder(eventId, [...signers].reverse())).toEqual(
      submissionOrder(eventId, signers),
    );
  });

  it("agrees between operators that saw different subsets when the designated one is in both", () => {
    const designated = designatedSubmitter(eventId, signers);
    const others = signers.filter((s) => s !== designated);
    // any subset containing the designated signer designates it too
    for (const drop of others) {
      expect(
        designatedSubmitter(
          eventId,
          signers.filter((s) => s !== drop),
        ),
      ).toBe(designated);
    }
  });

  it("gives every signer a distinct rank, the designated one 0", () => {
    const ranks = signers.map((s) => submitterRank(eventId, signers, s));
    expect([...ranks].sort()).toEqual([0, 1, 2, 3]);
    expect(submitterRank(eventId, signers, designatedSubmitter(eventId, signers))).toBe(0);
    // case of the address does not matter
    expect(submitterRank(eventId, signers, signers[0]!.toLowerCase() as Address)).toBe(ranks[0]);
  });

  it("puts a node that did not sign (or has no key) last", () => {
    const outsider = privateKeyToAccount(keccak256(toHex("outsider"))).address;
    expect(submitterRank(eventId, signers, outsider)).toBe(4);
    expect(submitterRank(eventId, signers, undefined)).toBe(4);
  });

  it("spreads events over signers", () => {
    const counts = new Map<Address, number>();
    for (let i = 0; i < 400; i++) {
      const s = designatedSubmitter(keccak256(toHex(i)).slice(0, 42) as `0x${string}`, signers);
      counts.set(s, (counts.get(s) ?? 0) + 1);
    }
    expect(counts.size).toBe(4);
    for (const n of counts.values()) expect(n).toBeGreaterThan(50);
  });
});
