/** Shared test data: a digest, addresses, the spec's example service and trigger data samples. */
import { WavsError } from "@wavs-ts/errors";
import type { JsonObject } from "../../src/service/json.js";

export const DIGEST_A = "a".repeat(64);
export const DIGEST_B = "0123456789abcdef".repeat(4);
export const EVM_ADDRESS = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
export const EVENT_HASH = "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68";
/** A cosmjs test vector: decodes to 0d82b1e7c96dbfa42462fe612932e6bff111d51b. */
export const COSMOS_ADDRESS = "cosmos1pkptre7fdkl6gfrzlesjjvhxhlc3r4gmmk8rs6";

/** The example of the service spec, placeholders filled in. */
export function specExampleJson(): JsonObject {
  return {
    name: "demo",
    workflows: {
      default: {
        trigger: {
          evm_contract_event: { address: EVM_ADDRESS, chain: "evm:31337", event_hash: EVENT_HASH },
        },
        component: {
          source: { digest: DIGEST_A },
          permissions: { allowed_http_hosts: "none", file_system: false },
          fuel_limit: null,
          time_limit_seconds: 30,
          config: {},
          env_keys: [],
        },
        submit: {
          aggregator: {
            component: {
              source: { digest: DIGEST_B },
              permissions: {},
              fuel_limit: null,
              time_limit_seconds: null,
              config: {
                chain: "evm:31337",
                service_handler: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
              },
              env_keys: [],
            },
            signature_kind: { algorithm: "secp256k1", prefix: "eip191" },
          },
        },
      },
    },
    status: "active",
    manager: { evm: { chain: "evm:31337", address: EVM_ADDRESS } },
  };
}

/** A minimal component JSON. */
export function componentJson(overrides: JsonObject = {}): JsonObject {
  return {
    source: { digest: DIGEST_A },
    permissions: {},
    fuel_limit: null,
    time_limit_seconds: null,
    config: {},
    env_keys: [],
    ...overrides,
  };
}

/** A one-workflow service JSON with the given workflow parts. */
export function serviceJsonWith(parts: {
  trigger?: JsonObject["x"];
  component?: JsonObject;
  submit?: JsonObject["x"];
  id?: string;
}): JsonObject {
  return {
    name: "t",
    workflows: {
      [parts.id ?? "default"]: {
        trigger: parts.trigger ?? "manual",
        component: parts.component ?? componentJson(),
        submit: parts.submit ?? "none",
      },
    },
    status: "active",
    manager: { evm: { chain: "evm:31337", address: EVM_ADDRESS } },
  };
}

/** The WavsError thrown by `fn`, reduced to what tests pin. */
export function thrown(fn: () => unknown): { code: string; message: string; path: unknown } {
  try {
    fn();
  } catch (err) {
    if (err instanceof WavsError) {
      return { code: err.code, message: err.message, path: err.details?.path };
    }
    throw err;
  }
  throw new Error("expected a WavsError, nothing was thrown");
}

const TOPIC0 = EVENT_HASH;
const TX_HASH = `0x${"11".repeat(32)}`;
const BLOCK_HASH = `0x${"22".repeat(32)}`;

/** One trigger data JSON per variant, snake_case, bytes as hex. */
export function triggerDataSamples(): Record<string, JsonObject> {
  return {
    evm_contract_event: {
      evm_contract_event: {
        chain: "evm:31337",
        log: {
          address: EVM_ADDRESS.toLowerCase(),
          data: { topics: [TOPIC0, `0x${"00".repeat(31)}01`], data: "0xdeadbeef" },
          tx_hash: TX_HASH,
          block_number: 12,
          log_index: 3,
          block_hash: BLOCK_HASH,
          block_timestamp: 1_700_000_000,
          tx_index: 0,
        },
      },
    },
    cosmos_contract_event: {
      cosmos_contract_event: {
        contract_address: COSMOS_ADDRESS,
        chain: "cosmos:wasmd-1",
        event: {
          type: "wasm-new-trigger",
          attributes: [
            { key: "_contract_address", value: COSMOS_ADDRESS },
            { key: "trigger_id", value: "7" },
          ],
        },
        event_index: 2,
        block_height: 100,
      },
    },
    block_interval: { block_interval: { chain: "evm:31337", block_height: 42 } },
    cron: { cron: { trigger_time: 1_700_000_000_000_000_000n.toString() } },
    atproto_event: {
      atproto_event: {
        sequence: 123456,
        timestamp: 1_700_000_000_000_000,
        repo: "did:plc:abc123",
        collection: "app.bsky.feed.post",
        rkey: "3k2a",
        action: "create",
        cid: "bafytestcid",
        record_data: '{"text":"hello"}',
        rev: "rev-1",
        op_index: 0,
      },
    },
    hypercore_append: {
      hypercore_append: { feed_key: "ab".repeat(32), index: 9, data: "0x6869" },
    },
    raw: { raw: "0x6869" },
  };
}

/** One service JSON per variant of every enum in the service schema, labelled. */
export function serviceVariantSamples(): [string, JsonObject][] {
  const workflowText = JSON.stringify((serviceJsonWith({}).workflows as JsonObject).default);
  return [
    [
      "trigger evm_contract_event",
      serviceJsonWith({
        trigger: {
          evm_contract_event: {
            address: EVM_ADDRESS.toLowerCase(),
            chain: "evm:1",
            event_hash: EVENT_HASH.toUpperCase().replace("0X", "0x"),
          },
        },
      }),
    ],
    [
      "trigger cosmos_contract_event",
      serviceJsonWith({
        trigger: {
          cosmos_contract_event: {
            address: COSMOS_ADDRESS,
            chain: "cosmos:wasmd-1",
            event_type: "new-trigger",
          },
        },
      }),
    ],
    [
      "trigger block_interval, bounds null",
      serviceJsonWith({
        trigger: {
          block_interval: { chain: "evm:31337", n_blocks: 10, start_block: null, end_block: null },
        },
      }),
    ],
    [
      "trigger block_interval, bounds set",
      serviceJsonWith({
        trigger: {
          block_interval: {
            chain: "evm:31337",
            n_blocks: 4294967295,
            start_block: 5,
            end_block: 5,
          },
        },
      }),
    ],
    [
      "trigger block_interval, bounds absent",
      serviceJsonWith({ trigger: { block_interval: { chain: "evm:31337", n_blocks: 1 } } }),
    ],
    [
      "trigger cron, times null",
      serviceJsonWith({
        trigger: { cron: { schedule: "*/5 * * * * *", start_time: null, end_time: null } },
      }),
    ],
    [
      "trigger cron, times set (beyond 2^53 as strings)",
      serviceJsonWith({
        trigger: {
          cron: {
            schedule: "0 0 * * * * 2030",
            start_time: 1_700_000_000_000,
            end_time: "1800000000000000001",
          },
        },
      }),
    ],
    [
      "trigger atproto_event",
      serviceJsonWith({
        trigger: {
          atproto_event: {
            collection: "app.bsky.feed.*",
            repo_did: "did:plc:abc123",
            action: "create",
          },
        },
      }),
    ],
    [
      "trigger atproto_event, filters null",
      serviceJsonWith({
        trigger: {
          atproto_event: { collection: "app.bsky.feed.post", repo_did: null, action: null },
        },
      }),
    ],
    [
      "trigger hypercore_append",
      serviceJsonWith({ trigger: { hypercore_append: { feed_key: "ab".repeat(32) } } }),
    ],
    ["trigger manual", serviceJsonWith({ trigger: "manual" })],
    [
      "source download",
      serviceJsonWith({
        component: componentJson({
          source: { download: { uri: "https://example.com/c.wasm", digest: DIGEST_A } },
        }),
      }),
    ],
    [
      "source download ipfs",
      serviceJsonWith({
        component: componentJson({
          source: {
            download: {
              uri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/c.wasm",
              digest: DIGEST_A,
            },
          },
        }),
      }),
    ],
    [
      "source registry, all fields",
      serviceJsonWith({
        component: componentJson({
          source: {
            registry: {
              digest: DIGEST_A,
              domain: "ghcr.io",
              version: "1.2.3-rc.1",
              package: "wavs:echo-data",
            },
          },
        }),
      }),
    ],
    [
      "source registry, nulls",
      serviceJsonWith({
        component: componentJson({
          source: {
            registry: { digest: DIGEST_A, domain: null, version: null, package: "ns:name" },
          },
        }),
      }),
    ],
    [
      "permissions all",
      serviceJsonWith({
        component: componentJson({
          permissions: {
            allowed_http_hosts: "all",
            file_system: true,
            raw_sockets: true,
            dns_resolution: true,
          },
        }),
      }),
    ],
    [
      "permissions only",
      serviceJsonWith({
        component: componentJson({
          permissions: { allowed_http_hosts: { only: ["api.example.com", "localhost:8545"] } },
        }),
      }),
    ],
    [
      "permissions only, empty list",
      serviceJsonWith({
        component: componentJson({ permissions: { allowed_http_hosts: { only: [] } } }),
      }),
    ],
    [
      "limits set, fuel beyond 2^53",
      serviceJsonWith({
        component: componentJson({ fuel_limit: "18446744073709551615", time_limit_seconds: 0 }),
      }),
    ],
    [
      "limits absent",
      serviceJsonWith({
        component: { source: { digest: DIGEST_A }, permissions: {}, config: {}, env_keys: [] },
      }),
    ],
    [
      "config and env keys",
      serviceJsonWith({
        component: componentJson({
          config: { b: "2", a: "1", "a.b": "", "": "empty key" },
          env_keys: ["WAVS_ENV_API_KEY", "WAVS_ENV"],
        }),
      }),
    ],
    [
      "submit aggregator, no prefix",
      serviceJsonWith({
        submit: {
          aggregator: {
            component: componentJson(),
            signature_kind: { algorithm: "secp256k1", prefix: null },
          },
        },
      }),
    ],
    [
      "submit aggregator, prefix absent",
      serviceJsonWith({
        submit: {
          aggregator: { component: componentJson(), signature_kind: { algorithm: "secp256k1" } },
        },
      }),
    ],
    [
      "manager cosmos, status paused",
      {
        ...serviceJsonWith({}),
        status: "paused",
        manager: { cosmos: { chain: "cosmos:wasmd-1", address: COSMOS_ADDRESS } },
      },
    ],
    [
      "no workflows",
      {
        name: "",
        workflows: {},
        status: "active",
        manager: { evm: { chain: "evm:1", address: EVM_ADDRESS } },
      },
    ],
    [
      "tricky workflow ids",
      {
        ...serviceJsonWith({}),
        workflows: JSON.parse(`{"__proto__": ${workflowText}, "constructor": ${workflowText}}`),
      },
    ],
  ];
}
