import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { PRESENCE_MAX_SKEW_MS, presenceFault, signPresence } from "./operator-presence.js";

const SERVICE = "ab".repeat(32);
const account = privateKeyToAccount(`0x${"11".repeat(32)}`);
const other = privateKeyToAccount(`0x${"22".repeat(32)}`);

describe("operator presence", () => {
  it("is signed by the service's signing key and checks out", async () => {
    const p = await signPresence(account, SERVICE, 1_000_000);
    expect(p).toMatchObject({ service_id: SERVICE, signer: account.address, at: 1_000_000 });
    expect(await presenceFault(p, 1_000_000)).toBeUndefined();
  });

  it("is refused when any signed field changed, or the signature is not a signature", async () => {
    const p = await signPresence(account, SERVICE, 1_000_000);
    const faults = await Promise.all([
      presenceFault({ ...p, signer: other.address }, 1_000_000),
      presenceFault({ ...p, service_id: "cd".repeat(32) }, 1_000_000),
      presenceFault({ ...p, at: 1_000_001 }, 1_000_000),
      presenceFault({ ...p, signature: "0x1234" }, 1_000_000),
    ]);
    expect(faults.slice(0, 3)).toEqual(Array(3).fill("signature does not recover to the signer"));
    expect(faults[3]).toBe("malformed signature");
  });

  it("is refused when too old or from the future (a replay, a skewed clock)", async () => {
    const p = await signPresence(account, SERVICE, 1_000_000);
    expect(await presenceFault(p, 1_000_000 + PRESENCE_MAX_SKEW_MS)).toBeUndefined();
    expect(await presenceFault(p, 1_000_001 + PRESENCE_MAX_SKEW_MS)).toBe(
      "presence too old or in the future",
    );
    expect(await presenceFault(p, 999_999 - PRESENCE_MAX_SKEW_MS)).toBe(
      "presence too old or in the future",
    );
  });
});
