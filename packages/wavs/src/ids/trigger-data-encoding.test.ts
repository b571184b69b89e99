import { describe, expect, test } from "vitest";
import { triggerDataSamples } from "../../test/helpers/service-fixtures.js";
import { bytesToHex } from "../service/hex.js";
import { parseTriggerDataJson, type TriggerData } from "../service/trigger-data.js";
import { encodeTriggerDataForEventId } from "./trigger-data-encoding.js";

const encodeHex = (data: TriggerData) => bytesToHex(encodeTriggerDataForEventId(data), false);

// Golden vectors, computed by an independent Python implementation of the layout documented in
// trigger-data-encoding.ts. Changing any of them changes every event id in the network.
const GOLDEN: Record<string, string> = {
  evm_contract_event:
    "010965766d3a3331333337145fbdb2315678afecb367f032d93f642f64180aa3022086eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e6820000000000000000000000000000000000000000000000000000000000000000104deadbeef2011111111111111111111111111111111111111111111111111111111111111110c0320222222222222222222222222222222222222222222222222222222222222222201fc00f1536500",
  cosmos_contract_event:
    "002d636f736d6f7331706b707472653766646b6c366766727a6c65736a6a766878686c63337234676d6d6b387273360e636f736d6f733a7761736d642d31107761736d2d6e65772d7472696767657202115f636f6e74726163745f616464726573732d636f736d6f7331706b707472653766646b6c366766727a6c65736a6a766878686c63337234676d6d6b387273360a747269676765725f696401376402",
  block_interval: "020965766d3a33313333372a",
  cron: "03fd00002a36fe9c9717",
  atproto_event:
    "04fc80c40300fd00803c3048140c000e6469643a706c633a616263313233126170702e62736b792e666565642e706f737404336b326106637265617465010b626166797465737463696401107b2274657874223a2268656c6c6f227d01057265762d310100",
  hypercore_append:
    "05406162616261626162616261626162616261626162616261626162616261626162616261626162616261626162616261626162616261626162616261626162616209026869",
  raw: "06026869",
};

describe("encodeTriggerDataForEventId", () => {
  test.each(Object.entries(triggerDataSamples()))("golden vector: %s", (name, json) => {
    expect(encodeHex(parseTriggerDataJson(json))).toBe(GOLDEN[name]);
  });

  test("the first byte is the reference's variant index", () => {
    const firstBytes = Object.values(triggerDataSamples()).map(
      (json) => encodeTriggerDataForEventId(parseTriggerDataJson(json))[0],
    );
    expect(firstBytes).toEqual([1, 0, 2, 3, 4, 5, 6]);
  });

  test("an absent block timestamp is encoded as none, distinct from zero", () => {
    const evm = parseTriggerDataJson(triggerDataSamples().evm_contract_event);
    if (evm.type !== "evm_contract_event") throw new Error("unreachable");
    const none = encodeHex({ ...evm, log: { ...evm.log, block_timestamp: undefined } });
    const zero = encodeHex({ ...evm, log: { ...evm.log, block_timestamp: 0n } });
    expect(none).not.toBe(zero);
    expect(none.endsWith("0000")).toBe(true); // option none, then tx_index 0
    expect(zero.endsWith("010000")).toBe(true); // option some(0), then tx_index 0
  });

  test("length prefixes keep adjacent fields apart (no ambiguity by concatenation)", () => {
    const a = encodeHex({ type: "block_interval", chain: "evm:1", block_height: 23n });
    const b = encodeHex({ type: "block_interval", chain: "evm:12", block_height: 3n });
    expect(a).not.toBe(b);
  });
});
