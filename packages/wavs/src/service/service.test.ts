import { describe, expect, test } from "vitest";
import {
  COSMOS_ADDRESS,
  componentJson,
  DIGEST_A,
  EVENT_HASH,
  EVM_ADDRESS,
  serviceJsonWith,
  serviceVariantSamples,
  specExampleJson,
  thrown,
} from "../../test/helpers/service-fixtures.js";
import { U64_MAX } from "./integers.js";
import type { JsonObject } from "./json.js";
import { parseService, parseServiceManager, parseTrigger, serviceToJson } from "./service.js";

/** parse -> serialise -> JSON text; equal to JSON.stringify(input) when the round trip is exact. */
function roundTrip(json: unknown): string {
  return JSON.stringify(serviceToJson(parseService(json)));
}

const WORKFLOW_TEXT = JSON.stringify((serviceJsonWith({}).workflows as JsonObject).default);

describe("parseService / serviceToJson", () => {
  test("the spec example round-trips byte for byte", () => {
    const json = specExampleJson();
    expect(roundTrip(json)).toBe(JSON.stringify(json));
    // And from pretty-printed text, as a file would hold it.
    const text = JSON.stringify(json, null, 2);
    expect(JSON.stringify(serviceToJson(parseService(JSON.parse(text))), null, 2)).toBe(text);
  });

  test("the spec example parses to the model", () => {
    const service = parseService(specExampleJson());
    expect(service.name).toBe("demo");
    expect(service.status).toBe("active");
    expect(service.manager).toEqual({ type: "evm", chain: "evm:31337", address: EVM_ADDRESS });
    expect([...service.workflows.keys()]).toEqual(["default"]);
    const workflow = service.workflows.get("default");
    expect(workflow?.trigger).toEqual({
      type: "evm_contract_event",
      address: EVM_ADDRESS,
      chain: "evm:31337",
      event_hash: EVENT_HASH,
    });
    expect(workflow?.component).toEqual({
      source: { type: "digest", digest: DIGEST_A },
      permissions: { allowed_http_hosts: { type: "none" }, file_system: false },
      fuel_limit: null,
      time_limit_seconds: 30,
      config: new Map(),
      env_keys: [],
    });
    expect(workflow?.submit.type).toBe("aggregator");
    if (workflow?.submit.type === "aggregator") {
      expect(workflow.submit.signature_kind).toEqual({ algorithm: "secp256k1", prefix: "eip191" });
      expect([...workflow.submit.component.config]).toEqual([
        ["chain", "evm:31337"],
        ["service_handler", "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512"],
      ]);
    }
  });

  test.each(serviceVariantSamples())("%s round-trips byte for byte", (_label, json) => {
    expect(roundTrip(json)).toBe(JSON.stringify(json));
  });

  test("u64 fields are exact bigints; written as numbers when safe", () => {
    const service = parseService(
      serviceJsonWith({
        trigger: {
          block_interval: {
            chain: "evm:1",
            n_blocks: 1,
            start_block: "9007199254740993",
            end_block: "9007199254740994",
          },
        },
        component: componentJson({ fuel_limit: "100" }),
      }),
    );
    const workflow = service.workflows.get("default");
    expect(workflow?.trigger).toMatchObject({
      start_block: 9007199254740993n,
      end_block: 9007199254740994n,
    });
    expect(workflow?.component.fuel_limit).toBe(100n);
    const out = serviceToJson(service);
    expect(JSON.stringify(out)).toContain('"start_block":"9007199254740993"');
    expect(JSON.stringify(out)).toContain('"fuel_limit":100');
    const max = parseService(
      serviceJsonWith({ component: componentJson({ fuel_limit: "18446744073709551615" }) }),
    );
    expect(max.workflows.get("default")?.component.fuel_limit).toBe(U64_MAX);
  });

  test("workflow ids that name Object.prototype members are ordinary keys", () => {
    const json = JSON.parse(
      `{"name":"x","workflows":{"__proto__":${WORKFLOW_TEXT}},"status":"active","manager":{"evm":{"chain":"evm:1","address":"${EVM_ADDRESS}"}}}`,
    );
    const service = parseService(json);
    expect([...service.workflows.keys()]).toEqual(["__proto__"]);
    expect(service.workflows.get("constructor")).toBeUndefined();
    expect(Object.keys(serviceToJson(service).workflows as object)).toEqual(["__proto__"]);
  });

  test("parseServiceManager and parseTrigger parse the pieces on their own", () => {
    expect(parseServiceManager({ cosmos: { chain: "cosmos:x", address: COSMOS_ADDRESS } })).toEqual(
      {
        type: "cosmos",
        chain: "cosmos:x",
        address: COSMOS_ADDRESS,
      },
    );
    expect(parseTrigger("manual")).toEqual({ type: "manual" });
    expect(thrown(() => parseServiceManager({ solana: {} })).message).toMatchInlineSnapshot(
      `"service manager: 'solana' is not one of evm, cosmos"`,
    );
  });
});

describe("parseService errors", () => {
  const withTrigger = (trigger: unknown) =>
    thrown(() => parseService(serviceJsonWith({ trigger: trigger as JsonObject, id: "w1_" })));
  const withComponent = (component: JsonObject) =>
    thrown(() => parseService(serviceJsonWith({ component })));

  test("an unknown trigger name lists the known ones", () => {
    expect(withTrigger({ cronn: { schedule: "* * * * * *" } })).toMatchInlineSnapshot(`
      {
        "code": "WAVS_ERR_SERVICE_INVALID",
        "message": "workflows.w1_.trigger: 'cronn' is not one of evm_contract_event, cosmos_contract_event, block_interval, cron, atproto_event, hypercore_append, manual",
        "path": "workflows.w1_.trigger",
      }
    `);
    expect(withTrigger("cronn").message).toMatchInlineSnapshot(
      `"workflows.w1_.trigger: 'cronn' is not one of evm_contract_event, cosmos_contract_event, block_interval, cron, atproto_event, hypercore_append, manual"`,
    );
  });

  test("error code, details and hint", () => {
    let error: unknown;
    try {
      parseService({ ...specExampleJson(), status: "running" });
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({
      code: "WAVS_ERR_SERVICE_INVALID",
      message: "status: 'running' is not one of active, paused",
      details: {
        path: "status",
        found: "'running'",
        expected: "one of active, paused",
        problems: [{ path: "status", message: "'running' is not one of active, paused" }],
      },
    });
    expect((error as { hint?: string }).hint).toMatch(/details\.problems/);
  });

  test("trigger shape mistakes", () => {
    expect(withTrigger("cron").message).toMatchInlineSnapshot(
      `"workflows.w1_.trigger: 'cron' needs a value: write {"cron": ...}"`,
    );
    expect(withTrigger({ manual: {} }).message).toMatchInlineSnapshot(
      `"workflows.w1_.trigger: 'manual' takes no value: write "manual""`,
    );
    expect(withTrigger({ cron: {}, manual: null }).message).toMatchInlineSnapshot(
      `"workflows.w1_.trigger: expected exactly one of evm_contract_event, cosmos_contract_event, block_interval, cron, atproto_event, hypercore_append, manual, found keys cron, manual"`,
    );
    expect(withTrigger(7).message).toMatchInlineSnapshot(
      `"workflows.w1_.trigger: expected "manual" or an object with one key, one of evm_contract_event, cosmos_contract_event, block_interval, cron, atproto_event, hypercore_append, manual, found 7"`,
    );
    const noTrigger = JSON.parse(
      `{"component": ${JSON.stringify(componentJson())}, "submit": "none"}`,
    );
    expect(
      thrown(() => parseService({ ...serviceJsonWith({}), workflows: { abc: noTrigger } })).message,
    ).toMatchInlineSnapshot(
      `"workflows.abc.trigger: missing (expected "manual" or an object with one key, one of evm_contract_event, cosmos_contract_event, block_interval, cron, atproto_event, hypercore_append, manual)"`,
    );
  });

  test("trigger field rules", () => {
    expect(
      withTrigger({
        evm_contract_event: { address: "0x1234", chain: "evm:1", event_hash: EVENT_HASH },
      }).message,
    ).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.evm_contract_event.address: '0x1234' is not an EVM address (expected 0x followed by 40 hex characters)"`,
    );
    expect(
      withTrigger({
        evm_contract_event: { address: EVM_ADDRESS, chain: "evm:1", event_hash: "0x1234" },
      }).message,
    ).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.evm_contract_event.event_hash: '0x1234' is not a 32-byte hash (expected 0x followed by 64 hex characters)"`,
    );
    expect(
      withTrigger({
        evm_contract_event: { address: EVM_ADDRESS, chain: "evm", event_hash: EVENT_HASH },
      }).message,
    ).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.evm_contract_event.chain: 'evm' is not a chain key (expected namespace:id, e.g. evm:31337)"`,
    );
    expect(
      withTrigger({
        cosmos_contract_event: { address: "cosmos1abc", chain: "cosmos:x", event_type: "t" },
      }).message,
    ).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.cosmos_contract_event.address: 'cosmos1abc' is not a bech32 address: it is too short to hold a checksum"`,
    );
    expect(
      withTrigger({ block_interval: { chain: "evm:1", n_blocks: 0 } }).message,
    ).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.block_interval.n_blocks: expected an integer from 1 to 4294967295, found 0"`,
    );
    expect(
      withTrigger({ block_interval: { chain: "evm:1", n_blocks: 1, start_block: 0 } }).message,
    ).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.block_interval.start_block: expected an integer from 1 to 18446744073709551615, found 0"`,
    );
    expect(
      withTrigger({
        block_interval: { chain: "evm:1", n_blocks: 2, start_block: 10, end_block: 9 },
      }).message,
    ).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.block_interval.end_block: end_block (9) is before start_block (10)"`,
    );
    expect(withTrigger({ cron: { schedule: "*/5 * * * *" } }).message).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.cron.schedule: '*/5 * * * *' has 5 fields (expected 6 or 7, seconds first, e.g. '*/5 * * * * *')"`,
    );
    expect(
      withTrigger({ cron: { schedule: "* * * * * *", start_time: -1 } }).message,
    ).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.cron.start_time: expected a non-negative integer (u64), found -1"`,
    );
    expect(
      withTrigger({ cron: { schedule: "* * * * * *", start_time: 10, end_time: 9 } }).message,
    ).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.cron.end_time: end_time (9) is before start_time (10)"`,
    );
    expect(
      withTrigger({ atproto_event: { collection: "app.bsky.feed.post", action: "upsert" } })
        .message,
    ).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.atproto_event.action: 'upsert' is not one of create, update, delete"`,
    );
    expect(
      withTrigger({ atproto_event: { collection: "app bsky" } }).message,
    ).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.atproto_event.collection: 'app bsky' is not a collection NSID (e.g. app.bsky.feed.post or app.bsky.feed.*)"`,
    );
    expect(withTrigger({ hypercore_append: { feed_key: "xyz" } }).message).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.hypercore_append.feed_key: 'xyz' is not a hex feed key"`,
    );
    expect(withTrigger({ hypercore_append: {} }).message).toMatchInlineSnapshot(
      `"workflows.w1_.trigger.hypercore_append.feed_key: missing (expected a string)"`,
    );
  });

  test("component rules", () => {
    const { config: _config, ...noConfig } = componentJson();
    expect(withComponent(noConfig)).toMatchInlineSnapshot(`
      {
        "code": "WAVS_ERR_SERVICE_INVALID",
        "message": "workflows.default.component.config: missing (expected an object)",
        "path": "workflows.default.component.config",
      }
    `);
    const { env_keys: _envKeys, ...noEnvKeys } = componentJson();
    expect(withComponent(noEnvKeys).message).toMatchInlineSnapshot(
      `"workflows.default.component.env_keys: missing (expected an array)"`,
    );
    expect(
      withComponent(componentJson({ env_keys: ["WAVS_ENV_OK", "API_KEY"] })).message,
    ).toMatchInlineSnapshot(
      `"workflows.default.component.env_keys[1]: 'API_KEY' must start with WAVS_ENV"`,
    );
    expect(withComponent(componentJson({ config: { port: 8080 } })).message).toMatchInlineSnapshot(
      `"workflows.default.component.config.port: expected a string, found 8080"`,
    );
    expect(withComponent(componentJson({ fuel_limt: 5 })).message).toMatchInlineSnapshot(
      `"workflows.default.component: unknown field 'fuel_limt' (expected source, permissions, fuel_limit, time_limit_seconds, config, env_keys)"`,
    );
    expect(withComponent(componentJson({ fuel_limit: -1 })).message).toMatchInlineSnapshot(
      `"workflows.default.component.fuel_limit: expected a non-negative integer (u64), found -1"`,
    );
    expect(
      withComponent(componentJson({ fuel_limit: "18446744073709551616" })).message,
    ).toMatchInlineSnapshot(
      `"workflows.default.component.fuel_limit: expected a non-negative integer (u64), found '18446744073709551616'"`,
    );
    expect(withComponent(componentJson({ time_limit_seconds: 1.5 })).message).toMatchInlineSnapshot(
      `"workflows.default.component.time_limit_seconds: expected an integer from 0 to 9007199254740991, found 1.5"`,
    );
    expect(
      withComponent(componentJson({ source: { digest: DIGEST_A.toUpperCase() } })).message,
    ).toMatchInlineSnapshot(
      `"workflows.default.component.source.digest: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' must be lowercase hex"`,
    );
    expect(
      withComponent(
        componentJson({ source: { download: { uri: "ftp://x/c.wasm", digest: DIGEST_A } } }),
      ).message,
    ).toMatchInlineSnapshot(
      `"workflows.default.component.source.download.uri: 'ftp://x/c.wasm' has scheme 'ftp' (expected http, https or ipfs)"`,
    );
    expect(
      withComponent(componentJson({ source: { registry: { digest: DIGEST_A, package: "echo" } } }))
        .message,
    ).toMatchInlineSnapshot(
      `"workflows.default.component.source.registry.package: 'echo' is not a package name (namespace:name)"`,
    );
    expect(
      withComponent(
        componentJson({
          source: { registry: { digest: DIGEST_A, version: "1.2", package: "a:b" } },
        }),
      ).message,
    ).toMatchInlineSnapshot(
      `"workflows.default.component.source.registry.version: '1.2' is not a version (x.y.z)"`,
    );
    expect(
      withComponent(componentJson({ permissions: { allowed_http_hosts: "some" } })).message,
    ).toMatchInlineSnapshot(
      `"workflows.default.component.permissions.allowed_http_hosts: 'some' is not one of all, only, none"`,
    );
    expect(
      withComponent(
        componentJson({
          permissions: { allowed_http_hosts: { only: ["https://api.example.com"] } },
        }),
      ).message,
    ).toMatchInlineSnapshot(
      `"workflows.default.component.permissions.allowed_http_hosts.only[0]: 'https://api.example.com' is not a host (expected 'host' or 'host:port', without scheme or path)"`,
    );
    expect(
      withComponent(componentJson({ permissions: { file_system: "yes" } })).message,
    ).toMatchInlineSnapshot(
      `"workflows.default.component.permissions.file_system: expected true or false, found 'yes'"`,
    );
    expect(
      withComponent(componentJson({ permissions: { network: true } })).message,
    ).toMatchInlineSnapshot(
      `"workflows.default.component.permissions: unknown field 'network' (expected allowed_http_hosts, file_system, raw_sockets, dns_resolution)"`,
    );
  });

  test("submit, manager, workflows and the root", () => {
    const bad = (json: unknown) => thrown(() => parseService(json)).message;
    expect(
      bad(
        serviceJsonWith({
          submit: {
            aggregator: {
              component: componentJson(),
              signature_kind: { algorithm: "ed25519", prefix: null },
            },
          },
        }),
      ),
    ).toMatchInlineSnapshot(
      `"workflows.default.submit.aggregator.signature_kind.algorithm: 'ed25519' is not one of secp256k1"`,
    );
    expect(
      bad(serviceJsonWith({ submit: { aggregator: { component: componentJson() } } })),
    ).toMatchInlineSnapshot(
      `"workflows.default.submit.aggregator.signature_kind: missing (expected an object)"`,
    );
    expect(bad(serviceJsonWith({ submit: "aggregator" }))).toMatchInlineSnapshot(
      `"workflows.default.submit: 'aggregator' needs a value: write {"aggregator": ...}"`,
    );
    expect(
      bad({ ...serviceJsonWith({}), manager: { evm: { chain: "evm:1", address: "0xabc" } } }),
    ).toMatchInlineSnapshot(
      `"manager.evm.address: '0xabc' is not an EVM address (expected 0x followed by 40 hex characters)"`,
    );
    expect(
      bad({
        ...serviceJsonWith({}),
        manager: { cosmos: { chain: "cosmos:1", address: EVM_ADDRESS } },
      }),
    ).toMatchInlineSnapshot(
      `"manager.cosmos.address: '0x5FbDB2315678afecb367f032d93F642f64180aa3' is not a bech32 address: it mixes upper and lower case"`,
    );
    expect(bad({ ...serviceJsonWith({}), workflows: [] })).toMatchInlineSnapshot(
      `"workflows: expected an object, found an empty array"`,
    );
    expect(bad(serviceJsonWith({ id: "Bad Id" }))).toMatchInlineSnapshot(
      `"workflows["Bad Id"]: 'Bad Id' is not a valid workflow id (3 to 36 characters of a-z, 0-9, _ and -)"`,
    );
    expect(bad({ ...serviceJsonWith({}), extra: true })).toMatchInlineSnapshot(
      `"service: unknown field 'extra' (expected name, workflows, status, manager)"`,
    );
    expect(bad(null)).toMatchInlineSnapshot(`"service: expected an object, found null"`);
    expect(bad("service.json")).toMatchInlineSnapshot(
      `"service: expected an object, found 'service.json'"`,
    );
  });

  test("several problems: the first in the message, every one in details", () => {
    let details: Record<string, unknown> | undefined;
    try {
      parseService({ name: 5, workflows: {}, status: "on" });
    } catch (err) {
      details = (err as { details?: Record<string, unknown> }).details;
    }
    expect(details?.problems).toMatchInlineSnapshot(`
      [
        {
          "message": "expected a string, found 5",
          "path": "name",
        },
        {
          "message": "'on' is not one of active, paused",
          "path": "status",
        },
        {
          "message": "missing (expected an object with one key, one of evm, cosmos)",
          "path": "manager",
        },
      ]
    `);
  });
});
