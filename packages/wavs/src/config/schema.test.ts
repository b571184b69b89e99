import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { DEFAULT_DATA_DIR, FIELD_KINDS, WavsConfigSchema } from "./schema.js";

function parse(input: unknown) {
  return WavsConfigSchema.parse(input);
}

function issuesOf(input: unknown): string[] {
  const result = WavsConfigSchema.safeParse(input, { reportInput: true });
  if (result.success) throw new Error("expected the parse to fail");
  return result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("WavsConfigSchema", () => {
  it("fills every default from an empty table", () => {
    expect(parse({})).toEqual({
      port: 8000,
      host: "127.0.0.1",
      log_level: "info",
      data: DEFAULT_DATA_DIR,
      dev_endpoints_enabled: false,
      max_body_size_mb: 15,
      cors_allowed_origins: [],
      ipfs_gateway: "https://gateway.pinata.cloud/ipfs/",
      max_memory_mb: 512,
      registration_timeout_ms: 120_000,
      engine_pool_size: Math.min(4, availableParallelism()),
      p2p: { type: "disabled" },
      aggregator: {
        grace_period_ms: 15_000,
        settle_ms: 1_000,
        operator_memory_ms: 3_600_000,
        gather_ms: 500,
        concurrency: 16,
        reuse_identical_inputs: true,
        recheck_ms: 2_000,
        max_rechecks: 8,
        ttl_ms: 172_800_000,
        tx_poll_ms: 250,
        tx_max_in_flight: 64,
        tx_stuck_after_ms: 30_000,
        tx_fee_bump_percent: 25,
        tx_gas_margin_percent: 25,
      },
      prometheus_push_interval_ms: 15_000,
      dashboard_peers: [],
      chains: { evm: {}, cosmos: {} },
      wavs_endpoint: "http://127.0.0.1:8000",
      json: false,
    });
  });

  it("checks the aggregator table's keys and ranges", () => {
    expect(parse({ aggregator: { settle_ms: 0 } }).aggregator.settle_ms).toBe(0);
    expect(
      issuesOf({ aggregator: { grace_period_ms: -1, tx_fee_bump_percent: 5, concurrency: 1.5 } }),
    ).toMatchInlineSnapshot(`
      [
        "aggregator.grace_period_ms: expected an integer of at least 0, found -1",
        "aggregator.concurrency: expected an integer from 1 to 1024, found 1.5",
        "aggregator.tx_fee_bump_percent: expected an integer from 10 to 1000, found 5",
      ]
    `);
  });

  it("has a text kind for every field", () => {
    expect(Object.keys(FIELD_KINDS).sort()).toEqual(Object.keys(WavsConfigSchema.shape).sort());
  });

  it("parses chain tables keyed by the id part of the chain key", () => {
    const config = parse({
      chains: {
        evm: { "31337": { ws_endpoints: ["ws://localhost:8545"], confirmations: 2 } },
        cosmos: {
          "wasmd-1": {
            bech32_prefix: "wasm",
            rpc_endpoint: "http://localhost:26657",
            gas_price: 0.025,
            gas_denom: "ustake",
          },
        },
      },
    });
    expect(config.chains.evm["31337"]).toEqual({
      ws_endpoints: ["ws://localhost:8545"],
      confirmations: 2,
      poll_interval_ms: 1000,
      max_log_range: 1000,
      logs_bloom: true,
    });
    expect(config.chains.cosmos["wasmd-1"]).toEqual({
      bech32_prefix: "wasm",
      rpc_endpoint: "http://localhost:26657",
      gas_price: 0.025,
      gas_denom: "ustake",
      rpc_fallback_endpoints: [],
      poll_interval_ms: 1000,
      max_block_range: 100,
    });
  });

  it("never lets a __proto__ chain id change a prototype", () => {
    const chains = JSON.parse('{"evm": {"__proto__": {"http_endpoint": "http://x"}}}') as unknown;
    const config = parse({ chains });
    expect(Object.keys(config.chains.evm)).toEqual([]);
    expect((config.chains.evm as Record<string, unknown>).http_endpoint).toBeUndefined();
    expect(({} as Record<string, unknown>).http_endpoint).toBeUndefined();
  });

  it("reads p2p modes as a tagged value", () => {
    expect(parse({ p2p: "disabled" }).p2p).toEqual({ type: "disabled" });
    expect(parse({ p2p: { local: { listen_port: 9000 } } }).p2p).toEqual({
      type: "local",
      listen_port: 9000,
    });
    expect(parse({ p2p: { remote: { listen_port: 9000 } } }).p2p).toEqual({
      type: "remote",
      listen_port: 9000,
      bootstrap_nodes: [],
    });
    expect(issuesOf({ p2p: "mdns" })).toMatchInlineSnapshot(`
      [
        "p2p: 'mdns' is not one of disabled, local, remote",
      ]
    `);
    expect(
      issuesOf({ p2p: { remote: { listen_port: 1, bootstrap_nodes: ["1.2.3.4"] } } }),
    ).toMatchInlineSnapshot(`
        [
          "p2p.remote.bootstrap_nodes.0: expected a multiaddr such as /ip4/203.0.113.5/tcp/9000/p2p/<peer id>, found "1.2.3.4"",
        ]
      `);
  });

  it("reads log levels, including the reference's tracing directives", () => {
    expect(parse({ log_level: "DEBUG" }).log_level).toBe("debug");
    expect(parse({ log_level: ["info", "wavs=debug"] }).log_level).toBe("debug");
    expect(parse({ log_level: "warn, hyper=trace" }).log_level).toBe("warn");
    expect(parse({ log_level: "off" }).log_level).toBe("silent");
    expect(issuesOf({ log_level: 3 })).toMatchInlineSnapshot(`
      [
        "log_level: expected one of fatal, error, warn, info, debug, trace, silent, found 3",
      ]
    `);
  });

  it("checks ranges and URL schemes", () => {
    expect(
      issuesOf({
        port: 1.5,
        engine_pool_size: 0,
        max_body_size_mb: -1,
        max_wasm_fuel: 0,
        ipfs_gateway: "ipfs://x",
        prometheus: "localhost:9090",
      }),
    ).toMatchInlineSnapshot(`
      [
        "port: expected an integer from 0 to 65535, found 1.5",
        "max_body_size_mb: expected a number above 0, found -1",
        "ipfs_gateway: expected a URL starting with http:// or https://, found "ipfs://x"",
        "max_wasm_fuel: expected an integer from 1 to 18446744073709551615, found 0",
        "engine_pool_size: expected an integer from 1 to 1024, found 0",
        "prometheus: expected a URL starting with http:// or https://, found "localhost:9090"",
      ]
    `);
  });

  it("checks the telemetry and dashboard keys, and reads the reference's jaeger key as the trace endpoint", () => {
    expect(
      issuesOf({
        otlp_endpoint: "grpc://collector:4317",
        prometheus_push_interval_ms: 10,
        dashboard_peers: ["http://127.0.0.1:8001", "127.0.0.1:8002"],
      }),
    ).toMatchInlineSnapshot(`
      [
        "prometheus_push_interval_ms: expected an integer of at least 100, found 10",
        "otlp_endpoint: expected a URL starting with http:// or https://, found "grpc://collector:4317"",
        "dashboard_peers.1: expected a URL starting with http:// or https://, found "127.0.0.1:8002"",
      ]
    `);
    const parsed = WavsConfigSchema.parse({ jaeger: "http://jaeger:4318" });
    expect(parsed.jaeger).toBe("http://jaeger:4318");
    expect(parsed.dashboard_peers).toEqual([]);
    expect(parsed.prometheus_push_interval_ms).toBe(15_000);
  });
});
