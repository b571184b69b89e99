import { createHash } from "node:crypto";
import { ripemd160 as viemRipemd160 } from "viem";
import { describe, expect, test } from "vitest";
import { thrown, triggerDataSamples } from "../../test/helpers/service-fixtures.js";
import { bytesToHex } from "../service/hex.js";
import { parseTriggerDataJson, type TriggerData } from "../service/trigger-data.js";
import { eventId, eventIdForTriggerData, ripemd160 } from "./event-id.js";

// ServiceId of {"evm": {"chain": "evm:31337", "address": "0x5FbDB2315678afecb367f032d93F642f64180aa3"}}.
const SERVICE_ID = "76d41ff256803de151fce2ed99d145cf985af50e6def0809072e9f68932f5d11";
const OTHER_SERVICE_ID = "807ff0222b1ed4636e9575cfcf12596e086b686bdb896fe7813252b33c64d618";
const idHex = (id: Uint8Array) => bytesToHex(id, false);

function evmSample(): Extract<TriggerData, { type: "evm_contract_event" }> {
  const data = parseTriggerDataJson(triggerDataSamples().evm_contract_event);
  if (data.type !== "evm_contract_event") throw new Error("unreachable");
  return data;
}

describe("RIPEMD-160", () => {
  test("matches the published test vector and viem's implementation", () => {
    const abc = new TextEncoder().encode("abc");
    expect(idHex(ripemd160(abc))).toBe("8eb208f7e05d987a9b044a8e98c6b087f15a0bfc");
    const input = Uint8Array.from({ length: 200 }, (_, i) => i);
    expect(ripemd160(input)).toEqual(viemRipemd160(input, "bytes"));
  });
});

describe("eventId", () => {
  // Golden vectors computed independently (Python hashlib) from the definition in signing.md.
  test("golden vectors", () => {
    const salt = new TextEncoder().encode("my-salt");
    expect(idHex(eventId(SERVICE_ID, "default", salt))).toBe(
      "346cc630eb22490cbbca9bbfc6897ccd03451fd5",
    );
    expect(idHex(eventId(SERVICE_ID, "default", new Uint8Array()))).toBe(
      "86f1f7d941debb63bc202791dc66e0cad51260b3",
    );
    expect(
      idHex(
        eventIdForTriggerData(SERVICE_ID, "default", {
          type: "raw",
          data: Uint8Array.of(104, 105),
        }),
      ),
    ).toBe("465b65c63652e113ed9c8925d8bee5764a38594b");
  });

  test("is RIPEMD-160 of service id bytes, workflow id and salt, 20 bytes long", () => {
    const salt = Uint8Array.of(1, 2, 3);
    const expected = createHash("ripemd160")
      .update(Buffer.from(SERVICE_ID, "hex"))
      .update("wf-1")
      .update(salt)
      .digest("hex");
    const id = eventId(SERVICE_ID, "wf-1", salt);
    expect(id).toHaveLength(20);
    expect(idHex(id)).toBe(expected);
  });

  test("same trigger, same id, for every variant (as every operator must agree)", () => {
    for (const json of Object.values(triggerDataSamples())) {
      const a = eventIdForTriggerData(SERVICE_ID, "default", parseTriggerDataJson(json));
      const b = eventIdForTriggerData(
        SERVICE_ID,
        "default",
        parseTriggerDataJson(structuredClone(json)),
      );
      expect(a).toEqual(b);
    }
  });

  test("different triggers get different ids", () => {
    const base = evmSample();
    const id = (data: TriggerData, service = SERVICE_ID, workflow = "default") =>
      idHex(eventIdForTriggerData(service, workflow, data));
    const variants = [
      id(base),
      id({ ...base, log: { ...base.log, log_index: base.log.log_index + 1n } }),
      // The same log re-included under another block hash (a reorg).
      id({ ...base, log: { ...base.log, block_hash: new Uint8Array(32).fill(0x33) } }),
      id({ ...base, log: { ...base.log, tx_hash: new Uint8Array(32).fill(0x44) } }),
      id({ ...base, chain: "evm:1" }),
      id(base, OTHER_SERVICE_ID),
      id(base, SERVICE_ID, "other"),
      id({ type: "cron", trigger_time: 1_700_000_000_000_000_000n }),
      id({ type: "cron", trigger_time: 1_700_000_001_000_000_000n }),
      id({ type: "block_interval", chain: "evm:31337", block_height: 42n }),
      id({ type: "block_interval", chain: "evm:31337", block_height: 43n }),
      id({ type: "raw", data: new Uint8Array() }),
      id({ type: "raw", data: Uint8Array.of(0) }),
    ];
    expect(new Set(variants).size).toBe(variants.length);
  });

  test("a component's salt replaces the trigger data", () => {
    const salt = Uint8Array.of(9, 9);
    expect(eventId(SERVICE_ID, "default", salt)).not.toEqual(
      eventIdForTriggerData(SERVICE_ID, "default", evmSample()),
    );
    expect(eventId(SERVICE_ID, "default", salt)).toEqual(
      eventId(SERVICE_ID, "default", Uint8Array.of(9, 9)),
    );
  });

  test("a malformed service id is refused", () => {
    expect(thrown(() => eventId("abc", "default", new Uint8Array()))).toMatchInlineSnapshot(`
      {
        "code": "WAVS_ERR_INPUT_INVALID",
        "message": "'abc' is not a service id (expected 64 hex characters)",
        "path": undefined,
      }
    `);
  });
});
