import { describe, expect, it } from "vitest";
import type { ServiceId } from "../ids/index.js";
import {
  decodeLanding,
  encodeLanding,
  type GossipLanding,
  landingTopicForService,
  MAX_LANDING_BYTES,
  MAX_LANDING_RAW_HEX,
  serviceIdOfLandingTopic,
} from "./landing-wire.js";

const SERVICE = "cd".repeat(32) as ServiceId;
const evm: GossipLanding = {
  service_id: SERVICE,
  event_id: `0x${"01".repeat(20)}`,
  chain: "evm:31337",
  handler: `0x${"02".repeat(20)}`,
  tx_hash: `0x${"03".repeat(32)}`,
  signer: `0x${"04".repeat(20)}`,
  signature: `0x${"05".repeat(65)}`,
};
const cosmos: GossipLanding = {
  ...evm,
  chain: "cosmos:wasmd-1",
  handler: "wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d",
  tx_hash: "C61EE05198111680A39434AA9F19FC4A20C6C9FDB3537A87E9A3E02A23E570DC",
};
const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe("landing wire format", () => {
  it("round-trips landings on either chain family, on the service's own topic", () => {
    expect(decodeLanding(encodeLanding(evm))).toEqual({ ok: true, landing: evm });
    expect(decodeLanding(encodeLanding(cosmos))).toEqual({ ok: true, landing: cosmos });
    const topic = landingTopicForService(SERVICE);
    expect(serviceIdOfLandingTopic(topic)).toBe(SERVICE);
    expect(serviceIdOfLandingTopic(`wavs/presence/${SERVICE}`)).toBeUndefined();
  });

  it("carries the signed transaction when it fits, and leaves a longer one out", () => {
    const withRaw = { ...evm, tx_raw: `0x${"f8".repeat(200)}` };
    expect(decodeLanding(encodeLanding(withRaw))).toEqual({ ok: true, landing: withRaw });
    const longest = { ...evm, tx_raw: `0x${"ab".repeat((MAX_LANDING_RAW_HEX - 2) / 2)}` };
    expect(decodeLanding(encodeLanding(longest))).toEqual({ ok: true, landing: longest });
    const tooLong = { ...evm, tx_raw: `0x${"ab".repeat(MAX_LANDING_RAW_HEX / 2)}` };
    expect(decodeLanding(encodeLanding(tooLong))).toEqual({ ok: true, landing: evm });
  });

  it("says why bytes are refused, never throwing", () => {
    const cases: GossipLanding[] = [
      { ...evm, handler: "0x02" },
      { ...evm, tx_hash: `0x${"03".repeat(31)}` },
      // a CometBFT hash is upper-case hex without 0x, 32 bytes
      { ...cosmos, tx_hash: cosmos.tx_hash.toLowerCase().slice(2) },
      { ...cosmos, handler: "wasm1 not bech32" },
      { ...cosmos, handler: "Wasm14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s0phg4d" },
      { ...evm, chain: "no chain" },
      { ...evm, tx_raw: "0xabc" },
      { ...evm, tx_raw: "f8ab" },
      { ...evm, tx_raw: `0x${"ab".repeat(MAX_LANDING_RAW_HEX / 2)}` },
    ];
    for (const landing of cases) {
      expect(decodeLanding(bytes({ version: 1, landing })), JSON.stringify(landing)).toMatchObject({
        ok: false,
        reason: "malformed",
      });
    }
    expect(decodeLanding(new Uint8Array(MAX_LANDING_BYTES + 1))).toMatchObject({
      ok: false,
      reason: "oversized",
    });
  });
});
