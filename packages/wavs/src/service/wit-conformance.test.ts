import { describe, expect, test } from "vitest";
import { camel, loadWitDefs, WAVS_WIT, witMismatches } from "../../test/helpers/wit-conformance.js";

// The checker guards every *-to-wit test, so it must itself be able to say no.
describe("WIT conformance checker", () => {
  test("reads the records and variants of the project's WIT", () => {
    expect(WAVS_WIT.get("trigger-action")).toEqual({
      kind: "record",
      fields: [
        ["config", "trigger-config"],
        ["data", "trigger-data"],
      ],
    });
    expect(WAVS_WIT.get("allowed-host-permission")).toEqual({
      kind: "variant",
      cases: [
        ["all", undefined],
        ["only", "list<string>"],
        ["none", undefined],
      ],
    });
    expect(loadWitDefs(["types/types.wit"]).get("cosmos-address")).toEqual({
      kind: "record",
      fields: [
        ["bech32-addr", "string"],
        ["prefix-len", "u32"],
      ],
    });
  });

  test("camelCases names like jco", () => {
    expect(camel("grpc-web-endpoint")).toBe("grpcWebEndpoint");
    expect(camel("bech32-addr")).toBe("bech32Addr");
  });

  test("accepts a conforming value and reports each kind of mismatch", () => {
    const ok = { bech32Addr: "cosmos1x", prefixLen: 6 };
    expect(witMismatches(WAVS_WIT, "cosmos-address", ok)).toEqual([]);
    expect(witMismatches(WAVS_WIT, "cosmos-address", { bech32_addr: "x", prefixLen: 6 })).toEqual([
      "$: unexpected field bech32_addr in record cosmos-address",
      "$.bech32Addr: expected string",
    ]);
    expect(witMismatches(WAVS_WIT, "timestamp", { nanos: 5 })).toEqual([
      "$.nanos: expected bigint (u64)",
    ]);
    expect(witMismatches(WAVS_WIT, "submit", "none")).toEqual([
      "$: expected object for variant submit",
    ]);
    expect(witMismatches(WAVS_WIT, "submit", { tag: "none", val: undefined })).toEqual([
      "$: case none takes no val",
    ]);
    expect(witMismatches(WAVS_WIT, "trigger-data", { tag: "raw", val: [1, 2] })).toEqual([
      "$.val: expected Uint8Array",
    ]);
    expect(
      witMismatches(WAVS_WIT, "evm-chain-config", {
        chainId: "1",
        wsEndpoints: [],
        httpEndpoint: null,
      }),
    ).toEqual(["$.httpEndpoint: null where option expects undefined"]);
  });
});
