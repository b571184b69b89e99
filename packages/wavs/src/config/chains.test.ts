import { describe, expect, it } from "vitest";
import { chainConfig, cosmosChainKeys, evmChainKeys, toWitChainConfigs } from "./chains.js";
import { WavsConfigSchema } from "./schema.js";

const config = WavsConfigSchema.parse({
  chains: {
    evm: {
      "31337": { ws_endpoints: ["ws://localhost:8545"], http_endpoint: "http://localhost:8545" },
      "1": { http_endpoint: "https://eth.example.com" },
    },
    cosmos: {
      "wasmd-1": {
        bech32_prefix: "wasm",
        rpc_endpoint: "http://localhost:26657",
        gas_price: 0.025,
        gas_denom: "ustake",
      },
      neutron: {
        chain_id: "pion-1",
        bech32_prefix: "neutron",
        grpc_endpoint: "http://grpc.example.com:9090",
        gas_price: 0.0053,
        gas_denom: "untrn",
      },
    },
  },
});

describe("chain lookups", () => {
  it("lists chain keys", () => {
    expect(evmChainKeys(config)).toEqual(["evm:1", "evm:31337"]);
    expect(cosmosChainKeys(config)).toEqual(["cosmos:wasmd-1", "cosmos:neutron"]);
  });

  it("finds the entry of a chain key, and nothing for unknown or malformed keys", () => {
    expect(chainConfig(config, "evm:31337")?.ws_endpoints).toEqual(["ws://localhost:8545"]);
    expect(chainConfig(config, "cosmos:wasmd-1")?.gas_denom).toBe("ustake");
    expect(chainConfig(config, "evm:2")).toBeUndefined();
    expect(chainConfig(config, "evm:constructor")).toBeUndefined();
    expect(chainConfig(config, "solana:main")).toBeUndefined();
    expect(chainConfig(config, "31337")).toBeUndefined();
  });

  it("builds the WIT chain configs, chain id from the key unless chain_id is set", () => {
    expect(toWitChainConfigs(config)).toEqual({
      evm: {
        "evm:1": { chainId: "1", wsEndpoints: [], httpEndpoint: "https://eth.example.com" },
        "evm:31337": {
          chainId: "31337",
          wsEndpoints: ["ws://localhost:8545"],
          httpEndpoint: "http://localhost:8545",
        },
      },
      cosmos: {
        "cosmos:wasmd-1": {
          chainId: "wasmd-1",
          rpcEndpoint: "http://localhost:26657",
          grpcEndpoint: undefined,
          grpcWebEndpoint: undefined,
          gasPrice: 0.025,
          gasDenom: "ustake",
          bech32Prefix: "wasm",
        },
        "cosmos:neutron": {
          chainId: "pion-1",
          rpcEndpoint: undefined,
          grpcEndpoint: "http://grpc.example.com:9090",
          grpcWebEndpoint: undefined,
          gasPrice: 0.0053,
          gasDenom: "untrn",
          bech32Prefix: "neutron",
        },
      },
    });
    const wit = toWitChainConfigs(config);
    expect(Object.hasOwn(wit.evm["evm:1"] ?? {}, "httpEndpoint")).toBe(true);
    expect(Object.hasOwn(wit.cosmos["cosmos:wasmd-1"] ?? {}, "grpcEndpoint")).toBe(true);
  });
});
