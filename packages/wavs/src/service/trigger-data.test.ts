import { describe, expect, test } from "vitest";
import {
  COSMOS_ADDRESS,
  EVENT_HASH,
  thrown,
  triggerDataSamples,
} from "../../test/helpers/service-fixtures.js";
import { eventIdForTriggerData } from "../ids/event-id.js";
import { hexToBytes } from "./hex.js";
import { parseTriggerDataJson, type TriggerData, triggerDataToJson } from "./trigger-data.js";

const bytes = (hex: string) => hexToBytes(hex);

describe("parseTriggerDataJson", () => {
  test("accepts the reference's PascalCase forms", () => {
    expect(parseTriggerDataJson({ Raw: [104, 105] })).toEqual({
      type: "raw",
      data: bytes("0x6869"),
    });
    expect(parseTriggerDataJson({ Cron: { trigger_time: 123 } })).toEqual({
      type: "cron",
      trigger_time: 123n,
    });
    expect(
      parseTriggerDataJson({ BlockInterval: { chain: "evm:31337", block_height: 7 } }),
    ).toEqual({
      type: "block_interval",
      chain: "evm:31337",
      block_height: 7n,
    });
    const evm = parseTriggerDataJson({
      EvmContractEvent: {
        chain: "evm:31337",
        log: {
          address: `0x${"ab".repeat(20)}`,
          data: { topics: [EVENT_HASH], data: "0x" },
          tx_hash: `0x${"11".repeat(32)}`,
          block_number: 1,
          log_index: 0,
          block_hash: `0x${"22".repeat(32)}`,
          block_timestamp: null,
          tx_index: 0,
        },
      },
    });
    expect(evm).toEqual({
      type: "evm_contract_event",
      chain: "evm:31337",
      log: {
        address: bytes(`0x${"ab".repeat(20)}`),
        data: { topics: [bytes(EVENT_HASH)], data: new Uint8Array() },
        tx_hash: bytes(`0x${"11".repeat(32)}`),
        block_number: 1n,
        log_index: 0n,
        block_hash: bytes(`0x${"22".repeat(32)}`),
        block_timestamp: undefined,
        tx_index: 0n,
      },
    });
  });

  test("PascalCase and snake_case forms of every variant parse to the same value", () => {
    const pascal: Record<string, string> = {
      evm_contract_event: "EvmContractEvent",
      cosmos_contract_event: "CosmosContractEvent",
      block_interval: "BlockInterval",
      cron: "Cron",
      atproto_event: "AtProtoEvent",
      hypercore_append: "HypercoreAppend",
      raw: "Raw",
    };
    for (const [name, json] of Object.entries(triggerDataSamples())) {
      const snake = parseTriggerDataJson(json);
      expect(snake.type).toBe(name);
      expect(parseTriggerDataJson({ [pascal[name] ?? ""]: json[name] })).toEqual(snake);
    }
    expect(
      parseTriggerDataJson({ at_proto_event: triggerDataSamples().atproto_event?.atproto_event })
        .type,
    ).toBe("atproto_event");
  });

  test("triggerDataToJson writes what parseTriggerDataJson reads back, for every variant", () => {
    for (const json of Object.values(triggerDataSamples())) {
      const data = parseTriggerDataJson(json);
      expect(parseTriggerDataJson(triggerDataToJson(data))).toEqual(data);
    }
  });

  test("triggerDataToJson writes WAVS's form: PascalCase variants, its field names in its order", () => {
    const json = triggerDataToJson(parseTriggerDataJson(triggerDataSamples().evm_contract_event));
    expect(json).toEqual({
      EvmContractEvent: {
        chain: "evm:31337",
        contract_address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        log_data: {
          topics: [
            "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68",
            "0x0000000000000000000000000000000000000000000000000000000000000001",
          ],
          data: "0xdeadbeef",
        },
        tx_hash: "0x1111111111111111111111111111111111111111111111111111111111111111",
        block_number: 12,
        log_index: 3,
        block_hash: "0x2222222222222222222222222222222222222222222222222222222222222222",
        block_timestamp: 1700000000,
        tx_index: 0,
      },
    });
    // field order as declared in WAVS's types (spec: trigger-data.md)
    const order: Record<string, string[]> = {
      EvmContractEvent: [
        "chain",
        "contract_address",
        "log_data",
        "tx_hash",
        "block_number",
        "log_index",
        "block_hash",
        "block_timestamp",
        "tx_index",
      ],
      CosmosContractEvent: ["contract_address", "chain", "event", "block_height", "event_index"],
      BlockInterval: ["chain", "block_height"],
      Cron: ["trigger_time"],
      AtProtoEvent: [
        "sequence",
        "timestamp",
        "repo",
        "collection",
        "rkey",
        "action",
        "cid",
        "record",
        "rev",
        "op_index",
      ],
      HypercoreAppend: ["feed_key", "index", "data"],
    };
    for (const sample of Object.values(triggerDataSamples())) {
      const out = triggerDataToJson(parseTriggerDataJson(sample));
      const [variant, fields] = Object.entries(out)[0]!;
      if (variant === "Raw") {
        expect(fields).toEqual([104, 105]);
        continue;
      }
      expect(Object.keys(fields as object), variant).toEqual(order[variant]);
    }
    expect(triggerDataToJson({ type: "raw", data: Uint8Array.of(104, 105) })).toEqual({
      Raw: [104, 105],
    });
    expect(triggerDataToJson({ type: "cron", trigger_time: 2n ** 60n })).toEqual({
      Cron: { trigger_time: "1152921504606846976" },
    });
  });

  test("WAVS's JSON of every variant (spec examples) parses, and the same trigger in either form has one event id", () => {
    const wavs = {
      EvmContractEvent: {
        chain: "evm:31337",
        contract_address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
        log_data: {
          topics: ["0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68"],
          data: "0x00",
        },
        tx_hash: `0x${"ab".repeat(32)}`,
        block_number: 100,
        log_index: 0,
        block_hash: `0x${"cd".repeat(32)}`,
        block_timestamp: 1700000000,
        tx_index: 0,
      },
    };
    const ours = {
      evm_contract_event: {
        chain: "evm:31337",
        log: {
          address: "0x5fbdb2315678afecb367f032d93f642f64180aa3",
          data: {
            topics: ["0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68"],
            data: "0x00",
          },
          tx_hash: `0x${"ab".repeat(32)}`,
          block_number: 100,
          log_index: 0,
          block_hash: `0x${"cd".repeat(32)}`,
          block_timestamp: 1700000000,
          tx_index: 0,
        },
      },
    };
    const a = parseTriggerDataJson(wavs);
    expect(a).toEqual(parseTriggerDataJson(ours));
    const service = "ab".repeat(32);
    expect(eventIdForTriggerData(service, "default", a)).toEqual(
      eventIdForTriggerData(service, "default", parseTriggerDataJson(ours)),
    );
    // a null timestamp, as WAVS writes an unknown one
    expect(
      parseTriggerDataJson({
        EvmContractEvent: { ...wavs.EvmContractEvent, block_timestamp: null },
      }),
    ).toMatchObject({ log: { block_timestamp: undefined } });
    const others = [
      {
        CosmosContractEvent: {
          contract_address: COSMOS_ADDRESS,
          chain: "cosmos:wasmd",
          event: {
            type: "wasm-push-message",
            attributes: [{ key: "trigger-id", value: "42" }],
          },
          block_height: 1234,
          event_index: 3,
        },
      },
      { Cron: { trigger_time: 1700000000000000000n.toString() } },
      { BlockInterval: { chain: "evm:31337", block_height: 10 } },
      { HypercoreAppend: { feed_key: "aa".repeat(32), index: 5, data: [104, 105] } },
      { Raw: [104, 105] },
      {
        AtProtoEvent: {
          sequence: 1,
          timestamp: 2,
          repo: "did:plc:abc",
          collection: "app.bsky.feed.post",
          rkey: "k",
          action: "create",
          cid: null,
          record: { text: "hi" },
          rev: null,
          op_index: null,
        },
      },
    ];
    // each reads, and what we write back reads to the same trigger data
    for (const json of [wavs, ...others]) {
      const parsed = parseTriggerDataJson(json);
      expect(triggerDataToJson(parsed)).toEqual(json);
      expect(parseTriggerDataJson(triggerDataToJson(parsed))).toEqual(parsed);
    }
    // what went wrong is named by its path
    const missing = { ...wavs.EvmContractEvent } as Record<string, unknown>;
    delete missing.tx_hash;
    expect(thrown(() => parseTriggerDataJson({ EvmContractEvent: missing })).message).toContain(
      "tx_hash",
    );
  });

  test("byte fields accept hex or arrays; trigger_time accepts number, string or {nanos}", () => {
    expect(parseTriggerDataJson({ raw: "0x" })).toEqual({ type: "raw", data: new Uint8Array() });
    expect(parseTriggerDataJson({ raw: [] })).toEqual({ type: "raw", data: new Uint8Array() });
    expect(parseTriggerDataJson({ raw: "0xABcd" })).toEqual({
      type: "raw",
      data: Uint8Array.of(0xab, 0xcd),
    });
    const at = (trigger_time: unknown) => parseTriggerDataJson({ cron: { trigger_time } });
    expect(at(5)).toEqual({ type: "cron", trigger_time: 5n });
    expect(at("18446744073709551615")).toEqual({ type: "cron", trigger_time: 2n ** 64n - 1n });
    expect(at({ nanos: 6 })).toEqual({ type: "cron", trigger_time: 6n });
    expect(at({ nanos: "7" })).toEqual({ type: "cron", trigger_time: 7n });
  });

  test("cosmos: address as bech32 or {bech32_addr, prefix_len}; event as cosmwasm or WIT shape", () => {
    const base = triggerDataSamples().cosmos_contract_event?.cosmos_contract_event as Record<
      string,
      unknown
    >;
    const expected = {
      type: "cosmos_contract_event",
      contract_address: { bech32_addr: COSMOS_ADDRESS, prefix_len: 6 },
      chain: "cosmos:wasmd-1",
      event: {
        ty: "wasm-new-trigger",
        attributes: [
          ["_contract_address", COSMOS_ADDRESS],
          ["trigger_id", "7"],
        ],
      },
      event_index: 2n,
      block_height: 100n,
    };
    expect(parseTriggerDataJson({ cosmos_contract_event: base })).toEqual(expected);
    expect(
      parseTriggerDataJson({
        cosmos_contract_event: {
          ...base,
          contract_address: { bech32_addr: COSMOS_ADDRESS, prefix_len: 6 },
          event: {
            ty: "wasm-new-trigger",
            attributes: [
              ["_contract_address", COSMOS_ADDRESS],
              ["trigger_id", "7"],
            ],
          },
        },
      }),
    ).toEqual(expected);
  });

  test("atproto: record as JSON value or record_data string", () => {
    const base = triggerDataSamples().atproto_event?.atproto_event as Record<string, unknown>;
    const { record_data: _rd, ...noRecord } = base;
    const viaRecord = parseTriggerDataJson({
      atproto_event: { ...noRecord, record: { text: "hello" } },
    });
    expect(viaRecord).toEqual(parseTriggerDataJson({ atproto_event: base }));
    const deleted = parseTriggerDataJson({
      atproto_event: {
        ...noRecord,
        action: "delete",
        cid: null,
        record: null,
        rev: null,
        op_index: null,
      },
    });
    expect(deleted).toMatchObject({
      action: "delete",
      cid: undefined,
      record_data: undefined,
      op_index: undefined,
    });
  });

  test("errors name the path, what was found and what was expected", () => {
    const bad = (json: unknown) => thrown(() => parseTriggerDataJson(json));
    expect(bad({ Foo: {} })).toMatchInlineSnapshot(`
      {
        "code": "WAVS_ERR_TRIGGER_DATA_INVALID",
        "message": "trigger data: 'Foo' is not one of evm_contract_event, cosmos_contract_event, block_interval, cron, atproto_event, hypercore_append, raw (PascalCase names such as EvmContractEvent are accepted too)",
        "path": "",
      }
    `);
    expect(bad("raw").message).toMatchInlineSnapshot(
      `"trigger data: 'raw' needs a value: write {"raw": ...}"`,
    );
    expect(bad({ raw: "hi" }).message).toMatchInlineSnapshot(
      `"raw: expected bytes as a 0x-hex string or an array of numbers 0-255, found 'hi'"`,
    );
    expect(bad({ raw: [1, 256] }).message).toMatchInlineSnapshot(
      `"raw[1]: expected a byte (an integer 0-255), found 256"`,
    );
    expect(bad({ Cron: { trigger_time: -5 } }).message).toMatchInlineSnapshot(
      `"Cron.trigger_time: expected nanoseconds since the epoch (a number, a decimal string or {"nanos": n}), found -5"`,
    );
    expect(bad({ Cron: {} }).message).toMatchInlineSnapshot(
      `"Cron.trigger_time: missing (expected nanoseconds since the epoch (a number, a decimal string or {"nanos": n}))"`,
    );
    expect(
      bad({ BlockInterval: { chain: "evm:1", block_height: 1, extra: 1 } }).message,
    ).toMatchInlineSnapshot(
      `"BlockInterval: unknown field 'extra' (expected chain, block_height)"`,
    );
    const evm = triggerDataSamples().evm_contract_event?.evm_contract_event as {
      log: Record<string, unknown>;
    };
    expect(
      bad({ EvmContractEvent: { ...evm, log: { ...evm.log, tx_hash: "0x1234" } } }).message,
    ).toMatchInlineSnapshot(`"EvmContractEvent.log.tx_hash: expected 32 bytes, found 2"`);
    expect(
      bad({
        EvmContractEvent: { ...evm, log: { ...evm.log, data: { topics: ["0x12"], data: "0x" } } },
      }).message,
    ).toMatchInlineSnapshot(`"EvmContractEvent.log.data.topics[0]: expected 32 bytes, found 1"`);
    const cosmos = triggerDataSamples().cosmos_contract_event?.cosmos_contract_event as Record<
      string,
      unknown
    >;
    expect(
      bad({
        CosmosContractEvent: {
          ...cosmos,
          contract_address: { bech32_addr: COSMOS_ADDRESS, prefix_len: 5 },
        },
      }).message,
    ).toMatchInlineSnapshot(
      `"CosmosContractEvent.contract_address: prefix_len 5 does not match the address prefix 'cosmos' (6)"`,
    );
    expect(
      bad({ CosmosContractEvent: { ...cosmos, event: { type: "x", attributes: [{ key: "k" }] } } })
        .message,
    ).toMatchInlineSnapshot(
      `"CosmosContractEvent.event.attributes[0]: expected {"key": "...", "value": "..."} or ["key", "value"], found an object"`,
    );
    const atproto = triggerDataSamples().atproto_event?.atproto_event as Record<string, unknown>;
    expect(bad({ AtProtoEvent: { ...atproto, record: {} } }).message).toMatchInlineSnapshot(
      `"AtProtoEvent: give either 'record' (JSON) or 'record_data' (string), not both"`,
    );
    expect(bad(null).message).toMatchInlineSnapshot(
      `"trigger data: expected an object with one key, one of evm_contract_event, cosmos_contract_event, block_interval, cron, atproto_event, hypercore_append, raw, found null"`,
    );
  });

  test("the model can be written by hand (types are usable by trigger sources)", () => {
    const data: TriggerData = { type: "block_interval", chain: "evm:1", block_height: 5n };
    expect(triggerDataToJson(data)).toEqual({
      BlockInterval: { chain: "evm:1", block_height: 5 },
    });
  });
});
