import { describe, expect, test } from "vitest";
import {
  COSMOS_ADDRESS,
  EVENT_HASH,
  EVM_ADDRESS,
  triggerDataSamples,
} from "../../test/helpers/service-fixtures.js";
import { WAVS_WIT, witMismatches } from "../../test/helpers/wit-conformance.js";
import { hexToBytes } from "../service/hex.js";
import { parseTriggerDataJson } from "../service/trigger-data.js";
import { triggerActionToWit, triggerDataToWit } from "./trigger-data-to-wit.js";

const SERVICE_ID = "76d41ff256803de151fce2ed99d145cf985af50e6def0809072e9f68932f5d11";

describe("triggerDataToWit", () => {
  test.each(Object.entries(triggerDataSamples()))(
    "%s conforms to WIT trigger-data",
    (_name, json) => {
      expect(
        witMismatches(WAVS_WIT, "trigger-data", triggerDataToWit(parseTriggerDataJson(json))),
      ).toEqual([]);
    },
  );

  test("evm-contract-event, field by field", () => {
    expect(
      triggerDataToWit(parseTriggerDataJson(triggerDataSamples().evm_contract_event)),
    ).toStrictEqual({
      tag: "evm-contract-event",
      val: {
        chain: "evm:31337",
        log: {
          address: { rawBytes: hexToBytes(EVM_ADDRESS) },
          data: {
            topics: [hexToBytes(EVENT_HASH), hexToBytes(`0x${"00".repeat(31)}01`)],
            data: hexToBytes("0xdeadbeef"),
          },
          txHash: hexToBytes(`0x${"11".repeat(32)}`),
          blockNumber: 12n,
          logIndex: 3n,
          blockHash: hexToBytes(`0x${"22".repeat(32)}`),
          blockTimestamp: 1_700_000_000n,
          txIndex: 0n,
        },
      },
    });
  });

  test("the other cases", () => {
    const wit = (name: string) =>
      triggerDataToWit(parseTriggerDataJson(triggerDataSamples()[name]));
    expect(wit("raw")).toStrictEqual({ tag: "raw", val: Uint8Array.of(104, 105) });
    expect(wit("cron")).toStrictEqual({
      tag: "cron",
      val: { triggerTime: { nanos: 1_700_000_000_000_000_000n } },
    });
    expect(wit("block_interval")).toStrictEqual({
      tag: "block-interval",
      val: { chain: "evm:31337", blockHeight: 42n },
    });
    expect(wit("cosmos_contract_event")).toStrictEqual({
      tag: "cosmos-contract-event",
      val: {
        contractAddress: { bech32Addr: COSMOS_ADDRESS, prefixLen: 6 },
        chain: "cosmos:wasmd-1",
        event: {
          ty: "wasm-new-trigger",
          attributes: [
            ["_contract_address", COSMOS_ADDRESS],
            ["trigger_id", "7"],
          ],
        },
        eventIndex: 2n,
        blockHeight: 100n,
      },
    });
    expect(wit("atproto_event")).toStrictEqual({
      tag: "atproto-event",
      val: {
        sequence: 123456n,
        timestamp: 1_700_000_000_000_000n,
        repo: "did:plc:abc123",
        collection: "app.bsky.feed.post",
        rkey: "3k2a",
        action: "create",
        cid: "bafytestcid",
        recordData: '{"text":"hello"}',
        rev: "rev-1",
        opIndex: 0,
      },
    });
    expect(wit("hypercore_append")).toStrictEqual({
      tag: "hypercore-append",
      val: { feedKey: "ab".repeat(32), index: 9n, data: Uint8Array.of(104, 105) },
    });
  });
});

describe("triggerActionToWit", () => {
  test("builds the operator input record", () => {
    const action = triggerActionToWit({
      serviceId: SERVICE_ID,
      workflowId: "default",
      trigger: { type: "manual" },
      data: { type: "raw", data: Uint8Array.of(1) },
    });
    expect(action).toStrictEqual({
      config: { serviceId: SERVICE_ID, workflowId: "default", trigger: { tag: "manual" } },
      data: { tag: "raw", val: Uint8Array.of(1) },
    });
    expect(witMismatches(WAVS_WIT, "trigger-action", action)).toEqual([]);
  });

  test("with an EVM trigger and its log", () => {
    const action = triggerActionToWit({
      serviceId: SERVICE_ID,
      workflowId: "wf-1",
      trigger: {
        type: "evm_contract_event",
        address: EVM_ADDRESS,
        chain: "evm:31337",
        event_hash: EVENT_HASH,
      },
      data: parseTriggerDataJson(triggerDataSamples().evm_contract_event),
    });
    expect(witMismatches(WAVS_WIT, "trigger-action", action)).toEqual([]);
    expect(action.config.trigger).toStrictEqual({
      tag: "evm-contract-event",
      val: {
        address: { rawBytes: hexToBytes(EVM_ADDRESS) },
        chain: "evm:31337",
        eventHash: hexToBytes(EVENT_HASH),
      },
    });
  });
});
