import { describe, expect, test } from "vitest";
import { WAVS_WIT, witMismatches } from "../../test/helpers/wit-conformance.js";
import { cosmosChainConfigToWit, evmChainConfigToWit } from "./chain-config-to-wit.js";

describe("chain configs to WIT", () => {
  test("EVM: camelCase fields, missing http endpoint as undefined", () => {
    const full = evmChainConfigToWit({
      chain_id: "31337",
      ws_endpoints: ["ws://127.0.0.1:8545"],
      http_endpoint: "http://127.0.0.1:8545",
    });
    expect(full).toStrictEqual({
      chainId: "31337",
      wsEndpoints: ["ws://127.0.0.1:8545"],
      httpEndpoint: "http://127.0.0.1:8545",
    });
    const bare = evmChainConfigToWit({ chain_id: "1", http_endpoint: null });
    expect(bare).toStrictEqual({ chainId: "1", wsEndpoints: [], httpEndpoint: undefined });
    expect(witMismatches(WAVS_WIT, "evm-chain-config", full)).toEqual([]);
    expect(witMismatches(WAVS_WIT, "evm-chain-config", bare)).toEqual([]);
  });

  test("Cosmos: every field, optional endpoints as undefined", () => {
    const wit = cosmosChainConfigToWit({
      chain_id: "wasmd-1",
      rpc_endpoint: "http://127.0.0.1:26657",
      grpc_endpoint: null,
      gas_price: 0.025,
      gas_denom: "ucosm",
      bech32_prefix: "wasm",
    });
    expect(wit).toStrictEqual({
      chainId: "wasmd-1",
      rpcEndpoint: "http://127.0.0.1:26657",
      grpcEndpoint: undefined,
      grpcWebEndpoint: undefined,
      gasPrice: 0.025,
      gasDenom: "ucosm",
      bech32Prefix: "wasm",
    });
    expect(witMismatches(WAVS_WIT, "cosmos-chain-config", wit)).toEqual([]);
  });
});
