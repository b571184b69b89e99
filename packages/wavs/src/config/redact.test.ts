import { describe, expect, it } from "vitest";
import { TEST_MNEMONIC } from "../../test/helpers/test-config.js";
import { redactConfig } from "./redact.js";
import { REDACTED, redactUrl, redactUrlsInText } from "./redact-url.js";
import { WavsConfigSchema } from "./schema.js";

describe("redactUrl", () => {
  it("removes user and password, secret query parameters and key-like path segments", () => {
    expect(redactUrl("https://user:pass@rpc.example.com/x")).toBe(
      "https://[redacted]@rpc.example.com/x",
    );
    expect(redactUrl("wss://token@rpc.example.com")).toBe("wss://[redacted]@rpc.example.com");
    expect(redactUrl("https://rpc.example.com/?apikey=abc&chain=1&api_key=d&token=e")).toBe(
      "https://rpc.example.com/?apikey=[redacted]&chain=1&api_key=[redacted]&token=[redacted]",
    );
    expect(redactUrl("wss://mainnet.infura.io/ws/v3/0123456789abcdef0123456789abcdef")).toBe(
      "wss://mainnet.infura.io/ws/v3/[redacted]",
    );
  });

  it("leaves URLs without credentials and non-URLs exactly as written", () => {
    expect(redactUrl("http://localhost:8545")).toBe("http://localhost:8545");
    expect(redactUrl("https://gateway.pinata.cloud/ipfs/")).toBe(
      "https://gateway.pinata.cloud/ipfs/",
    );
    expect(redactUrl("not a url")).toBe("not a url");
    expect(redactUrl("/ip4/1.2.3.4/tcp/9000")).toBe("/ip4/1.2.3.4/tcp/9000");
  });

  it("redacts URLs inside text", () => {
    expect(redactUrlsInText('found "https://a:b@x.example/?key=1" and ws://y')).toBe(
      'found "https://[redacted]@x.example/?key=[redacted]" and ws://y',
    );
  });
});

describe("redactConfig", () => {
  const config = WavsConfigSchema.parse({
    signing_mnemonic: TEST_MNEMONIC,
    aggregator_evm_credential: `0x${"11".repeat(32)}`,
    aggregator_cosmos_credential: `0x${"22".repeat(32)}`,
    bearer_token: "s3cret-token",
    max_wasm_fuel: 18446744073709551615n,
    max_execution_seconds: 30,
    // its default depends on the machine's cores
    engine_pool_size: 4,
    jaeger: "http://jaeger:4317",
    prometheus: "https://admin:hunter2@prom.example.com",
    chains: {
      evm: {
        "1": {
          ws_endpoints: ["wss://eth.example.com/v2/abcdefghijklmnop0123456789"],
          http_endpoint: "https://eth.example.com/?apikey=k3y",
        },
      },
    },
  });

  it("replaces every secret and every URL credential, and is JSON-safe", () => {
    const redacted = redactConfig(config);
    const text = JSON.stringify(redacted);
    for (const secret of [
      TEST_MNEMONIC,
      "11".repeat(32),
      "22".repeat(32),
      "s3cret-token",
      "hunter2",
      "k3y",
      "abcdefghijklmnop0123456789",
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(redacted).toMatchInlineSnapshot(`
      {
        "aggregator": {
          "concurrency": 16,
          "gather_ms": 500,
          "grace_period_ms": 15000,
          "max_rechecks": 8,
          "operator_memory_ms": 3600000,
          "recheck_ms": 2000,
          "reuse_identical_inputs": true,
          "settle_ms": 1000,
          "ttl_ms": 172800000,
          "tx_fee_bump_percent": 25,
          "tx_gas_margin_percent": 25,
          "tx_max_in_flight": 64,
          "tx_poll_ms": 250,
          "tx_stuck_after_ms": 30000,
        },
        "aggregator_cosmos_credential": "[redacted]",
        "aggregator_evm_credential": "[redacted]",
        "bearer_token": "[redacted]",
        "chains": {
          "cosmos": {},
          "evm": {
            "1": {
              "confirmations": 0,
              "http_endpoint": "https://eth.example.com/?apikey=[redacted]",
              "logs_bloom": true,
              "max_log_range": 1000,
              "poll_interval_ms": 1000,
              "ws_endpoints": [
                "wss://eth.example.com/v2/[redacted]",
              ],
            },
          },
        },
        "cors_allowed_origins": [],
        "dashboard_peers": [],
        "data": "~/.wavs/data",
        "dev_endpoints_enabled": false,
        "engine_pool_size": 4,
        "host": "127.0.0.1",
        "ipfs_gateway": "https://gateway.pinata.cloud/ipfs/",
        "jaeger": "http://jaeger:4317",
        "json": false,
        "log_level": "info",
        "max_body_size_mb": 15,
        "max_execution_seconds": 30,
        "max_memory_mb": 512,
        "max_wasm_fuel": "18446744073709551615",
        "p2p": {
          "type": "disabled",
        },
        "port": 8000,
        "prometheus": "https://[redacted]@prom.example.com",
        "prometheus_push_interval_ms": 15000,
        "registration_timeout_ms": 120000,
        "signing_mnemonic": "[redacted]",
        "wavs_endpoint": "http://127.0.0.1:8000",
      }
    `);
  });

  it("leaves unset secrets out and does not change the config", () => {
    const plain = WavsConfigSchema.parse({});
    const redacted = redactConfig(plain);
    expect(redacted).not.toHaveProperty("signing_mnemonic");
    expect(redacted).not.toHaveProperty("bearer_token");
    expect(config.bearer_token).toBe("s3cret-token");
    expect(REDACTED).toBe("[redacted]");
  });
});
