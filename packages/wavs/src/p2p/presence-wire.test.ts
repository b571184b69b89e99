import { describe, expect, it } from "vitest";
import type { ServiceId } from "../ids/index.js";
import {
  decodePresence,
  encodePresence,
  type GossipPresence,
  MAX_PRESENCE_BYTES,
  presenceTopicForService,
  serviceIdOfPresenceTopic,
} from "./presence-wire.js";

const SERVICE = "ab".repeat(32) as ServiceId;
const presence: GossipPresence = {
  service_id: SERVICE,
  signer: `0x${"12".repeat(20)}`,
  at: 1_764_000_000_000,
  signature: `0x${"34".repeat(65)}`,
};
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("presence wire format", () => {
  it("round-trips, on a topic of its own that names the service", () => {
    expect(decodePresence(encodePresence(presence))).toEqual({ ok: true, presence });
    const topic = presenceTopicForService(SERVICE);
    expect(topic).toBe(`wavs/presence/${SERVICE}`);
    expect(serviceIdOfPresenceTopic(topic)).toBe(SERVICE);
    expect(serviceIdOfPresenceTopic(`wavs/landings/${SERVICE}`)).toBeUndefined();
    expect(serviceIdOfPresenceTopic("wavs/presence/nope")).toBeUndefined();
  });

  it("says why bytes are refused, never throwing", () => {
    const cases: [unknown, string][] = [
      [{ version: 2, presence }, "unknown_version"],
      [{ version: 1, landing: presence }, "malformed"],
      [{ version: 1, presence: { ...presence, at: -1 } }, "malformed"],
      [{ version: 1, presence: { ...presence, signer: "0x12" } }, "malformed"],
      [{ version: 1, presence: { ...presence, service_id: "AB".repeat(32) } }, "malformed"],
    ];
    for (const [value, reason] of cases) {
      expect(decodePresence(bytes(value))).toMatchObject({ ok: false, reason });
    }
    expect(decodePresence(new Uint8Array([0xff, 0xfe]))).toMatchObject({ ok: false });
    expect(decodePresence(new Uint8Array(MAX_PRESENCE_BYTES + 1))).toMatchObject({
      ok: false,
      reason: "oversized",
    });
  });
});
