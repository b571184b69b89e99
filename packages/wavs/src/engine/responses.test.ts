import { describe, expect, it } from "vitest";
import { validateAggregatorActions } from "./responses.js";

const submit = (tag: "evm" | "cosmos", chain: string, address: unknown) => ({
  tag: "submit",
  val: { tag, val: { chain, address, gasPrice: undefined } },
});
const evmAddress = { rawBytes: new Uint8Array(20).fill(1) };
const cosmosAddress = { bech32Addr: "wasm1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq", prefixLen: 4 };

describe("validateAggregatorActions", () => {
  it("takes submits to either chain family and timers", () => {
    expect(
      validateAggregatorActions([
        submit("evm", "evm:31337", evmAddress),
        submit("cosmos", "cosmos:wasmd-1", cosmosAddress),
        { tag: "timer", val: { delay: { secs: 5n } } },
      ]),
    ).toEqual([
      {
        kind: "submit",
        chainType: "evm",
        chain: "evm:31337",
        address: evmAddress.rawBytes,
        gasPrice: undefined,
      },
      {
        kind: "submit",
        chainType: "cosmos",
        chain: "cosmos:wasmd-1",
        address: cosmosAddress,
        gasPrice: undefined,
      },
      { kind: "timer", delaySecs: 5n },
    ]);
  });

  it("refuses a submit whose chain key is of the other family, or without an address", () => {
    const cases: [unknown, RegExp][] = [
      [submit("cosmos", "evm:31337", cosmosAddress), /submit\(cosmos\) names evm:31337/],
      [submit("evm", "cosmos:wasmd-1", evmAddress), /submit\(evm\) names the Cosmos chain/],
      [submit("cosmos", "cosmos:wasmd-1", { bech32Addr: "" }), /without a bech32 address/],
      [submit("evm", "evm:1", { rawBytes: new Uint8Array(19) }), /not 20 bytes/],
    ];
    for (const [action, message] of cases) {
      expect(() => validateAggregatorActions([action])).toThrow(message);
    }
  });
});
