import { getAddress } from "viem";
import { describe, expect, it } from "vitest";
import { KnownOperators } from "./known-operators.js";

const A = "0x00000000000000000000000000000000000000aa";
const B = "0x00000000000000000000000000000000000000bb";
const C = "0x00000000000000000000000000000000000000cc";

describe("known operators", () => {
  it("lists the signers seen per service within the memory window, checksummed and once", () => {
    const known = new KnownOperators(1000, () => []);
    known.saw("s1", A, 10_000);
    known.saw("s1", A.toUpperCase().replace("0X", "0x"), 10_500);
    known.saw("s1", B, 9_000);
    known.saw("s2", C, 10_000);
    expect(known.list("s1", 10_600)).toEqual([getAddress(A)]);
    expect(known.list("s2", 10_600)).toEqual([getAddress(C)]);
    expect(known.list("s3", 10_600)).toEqual([]);
    // B's last sighting is older than the window: it left the order
    expect(known.list("s1", 11_400)).toEqual([getAddress(A)]);
    expect(known.list("s1", 11_600)).toEqual([]);
  });

  it("tells when a signer was last seen, within the window", () => {
    const known = new KnownOperators(1000, () => []);
    known.saw("s1", A, 10_000);
    known.saw("s1", A, 9_000);
    expect(known.lastSeen("s1", A.toUpperCase().replace("0X", "0x"), 10_500)).toBe(10_000);
    expect(known.lastSeen("s1", B, 10_500)).toBeUndefined();
    expect(known.lastSeen("s2", A, 10_500)).toBeUndefined();
    expect(known.lastSeen("s1", A, 11_001)).toBeUndefined();
  });

  it("is seeded once per service from the stored submissions (a restart keeps the order)", () => {
    const asked: string[] = [];
    const known = new KnownOperators(60_000, (serviceId) => {
      asked.push(serviceId);
      return serviceId === "s1"
        ? [
            { signer: A, at: Date.now() - 1000 },
            { signer: B, at: Date.now() - 500 },
          ]
        : [];
    });
    expect(known.list("s1").sort()).toEqual([getAddress(A), getAddress(B)].sort());
    known.saw("s1", C);
    expect(known.list("s1")).toHaveLength(3);
    known.list("s2");
    expect(asked).toEqual(["s1", "s2"]);
  });

  it("counts an announced operator as known (ranked) but not as seen signing (alive)", () => {
    const known = new KnownOperators(1000, () => []);
    known.announced("s1", A, 10_000);
    known.saw("s1", B, 10_200);
    known.announced("s1", B, 10_100);
    expect(known.list("s1", 10_500).sort()).toEqual([getAddress(A), getAddress(B)].sort());
    expect(known.lastSeen("s1", A, 10_500)).toBeUndefined();
    expect(known.lastSeen("s1", B, 10_500)).toBe(10_200);
    expect(known.describe("s1", 10_500)).toEqual(
      expect.arrayContaining([
        { signer: getAddress(A), last_signed_at: null, present_at: 10_000 },
        { signer: getAddress(B), last_signed_at: 10_200, present_at: 10_100 },
      ]),
    );
    // an announcement older than the window no longer counts
    expect(known.list("s1", 11_150)).toEqual([getAddress(B)]);
    expect(known.list("s1", 11_300)).toEqual([]);
  });
});
