import { decodeAbiParameters, encodeAbiParameters, toHex } from "viem";
import { describe, expect, it } from "vitest";
import { normaliseWitImport } from "./bundle-entry.js";
import {
  abiDecodeBytes,
  abiEncodeBytes,
  bytesToHex,
  decodeDataWithId,
  decodeNewTriggerEvent,
  decodeTriggerInfo,
  encodeDataWithId,
  hexToBytes,
  jsonPayload,
  textPayload,
  triggerBytes,
} from "./guest/index.js";
import type { TriggerAction } from "./types.js";

const TRIGGER_INFO = {
  type: "tuple",
  components: [
    { name: "triggerId", type: "uint64" },
    { name: "creator", type: "address" },
    { name: "data", type: "bytes" },
  ],
} as const;
const DATA_WITH_ID = {
  type: "tuple",
  components: [
    { name: "triggerId", type: "uint64" },
    { name: "data", type: "bytes" },
  ],
} as const;

describe("hex helpers", () => {
  it("round-trips with and without prefix", () => {
    expect(bytesToHex(new Uint8Array([0, 1, 0xab, 0xff]))).toBe("0x0001abff");
    expect(bytesToHex(new Uint8Array([0xab]), false)).toBe("ab");
    expect(hexToBytes("0x0001ABff")).toEqual(new Uint8Array([0, 1, 0xab, 0xff]));
    expect(hexToBytes("")).toEqual(new Uint8Array());
  });

  it("rejects odd length and bad digits", () => {
    expect(() => hexToBytes("0xabc")).toThrow(/odd length/);
    expect(() => hexToBytes("zz")).toThrow(/invalid hex/);
  });
});

describe("abi helpers agree with viem", () => {
  const data = new TextEncoder().encode('{"x":12}');
  const creator = "0x00000000000000000000000000000000deadbeef";

  it("decodes the NewTrigger(bytes) log data of the example trigger contract", () => {
    const info = encodeAbiParameters(
      [TRIGGER_INFO],
      [{ triggerId: 42n, creator, data: toHex(data) }],
    );
    const logData = encodeAbiParameters([{ type: "bytes" }], [info]);
    const decoded = decodeNewTriggerEvent(hexToBytes(logData));
    expect(decoded).toEqual({ triggerId: 42n, creator, data });
  });

  it("decodes TriggerInfo in the bare parameter form too", () => {
    const bare = encodeAbiParameters(TRIGGER_INFO.components, [32n, creator, toHex(data)]);
    expect(decodeTriggerInfo(hexToBytes(bare))).toEqual({ triggerId: 32n, creator, data });
  });

  it("encodes DataWithId exactly as abi.encode does", () => {
    for (const len of [0, 9, 32, 33, 100]) {
      const payload = new Uint8Array(len).map((_, i) => i * 7);
      const ours = bytesToHex(encodeDataWithId({ triggerId: 7n, data: payload }));
      const theirs = encodeAbiParameters([DATA_WITH_ID], [{ triggerId: 7n, data: toHex(payload) }]);
      expect(ours).toBe(theirs);
      expect(decodeAbiParameters([DATA_WITH_ID], theirs)[0].data).toBe(toHex(payload));
      expect(decodeDataWithId(hexToBytes(theirs))).toEqual({ triggerId: 7n, data: payload });
    }
  });

  it("encodes and decodes abi.encode(bytes)", () => {
    const ours = bytesToHex(abiEncodeBytes(data));
    expect(ours).toBe(encodeAbiParameters([{ type: "bytes" }], [toHex(data)]));
    expect(abiDecodeBytes(hexToBytes(ours))).toEqual(data);
  });

  it("rejects truncated or out-of-range input with a clear error", () => {
    const info = encodeAbiParameters(
      [TRIGGER_INFO],
      [{ triggerId: 1n, creator, data: toHex(data) }],
    );
    const logData = hexToBytes(encodeAbiParameters([{ type: "bytes" }], [info]));
    expect(() => decodeNewTriggerEvent(logData.slice(0, 100))).toThrow(/ABI/);
    expect(() => encodeDataWithId({ triggerId: 1n << 64n, data })).toThrow(/uint64/);
    expect(() => decodeNewTriggerEvent(new Uint8Array())).toThrow(/too short/);
  });
});

describe("payload helpers", () => {
  it("builds responses", () => {
    expect(textPayload("hi")).toEqual({
      payload: new TextEncoder().encode("hi"),
      ordering: undefined,
      eventIdSalt: undefined,
    });
    const r = jsonPayload({ n: 5n }, { ordering: 2n });
    expect(new TextDecoder().decode(r.payload)).toBe('{"n":"5"}');
    expect(r.ordering).toBe(2n);
  });

  it("finds the bytes a trigger carries", () => {
    const base = { serviceId: "s", workflowId: "w", trigger: { tag: "manual" as const } };
    const raw: TriggerAction = { config: base, data: { tag: "raw", val: new Uint8Array([1]) } };
    expect(triggerBytes(raw)).toEqual(new Uint8Array([1]));
    const cron: TriggerAction = {
      config: base,
      data: { tag: "cron", val: { triggerTime: { nanos: 1n } } },
    };
    expect(triggerBytes(cron)).toBeUndefined();
  });
});

describe("normaliseWitImport", () => {
  it("pins WASI 0.2.x imports to the WIT's version and leaves the rest alone", () => {
    expect(normaliseWitImport("wasi:clocks/monotonic-clock")).toBe(
      "wasi:clocks/monotonic-clock@0.2.12",
    );
    expect(normaliseWitImport("wasi:io/poll@0.2.0")).toBe("wasi:io/poll@0.2.12");
    expect(normaliseWitImport("wasi:keyvalue/store@0.2.0-draft2")).toBe(
      "wasi:keyvalue/store@0.2.0-draft2",
    );
    expect(normaliseWitImport("wasi:keyvalue/atomics")).toBe("wasi:keyvalue/atomics@0.2.0-draft2");
    expect(normaliseWitImport("host")).toBe("host");
    expect(normaliseWitImport("wasi:http/types@0.3.0")).toBe("wasi:http/types@0.3.0");
  });
});
