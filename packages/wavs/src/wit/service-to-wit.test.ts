import { describe, expect, test } from "vitest";
import {
  COSMOS_ADDRESS,
  componentJson,
  DIGEST_A,
  DIGEST_B,
  EVENT_HASH,
  EVM_ADDRESS,
  serviceJsonWith,
  serviceVariantSamples,
  specExampleJson,
} from "../../test/helpers/service-fixtures.js";
import { WAVS_WIT, witMismatches } from "../../test/helpers/wit-conformance.js";
import { hexToBytes } from "../service/hex.js";
import { parseService } from "../service/service.js";
import {
  serviceAndWorkflowIdToWit,
  serviceToWit,
  triggerToWit,
  workflowAndWorkflowIdToWit,
  workflowToWit,
} from "./service-to-wit.js";

const workflowOf = (json: Parameters<typeof parseService>[0]) => {
  const workflow = parseService(json).workflows.get("default");
  if (workflow === undefined) throw new Error("no default workflow");
  return workflow;
};

describe("serviceToWit", () => {
  test("the spec example, field by field", () => {
    const wit = serviceToWit(parseService(specExampleJson()));
    const handler = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
    expect(wit).toStrictEqual({
      name: "demo",
      workflows: [
        [
          "default",
          {
            trigger: {
              tag: "evm-contract-event",
              val: {
                address: { rawBytes: hexToBytes(EVM_ADDRESS) },
                chain: "evm:31337",
                eventHash: hexToBytes(EVENT_HASH),
              },
            },
            component: {
              source: { tag: "digest", val: DIGEST_A },
              permissions: {
                allowedHttpHosts: { tag: "none" },
                fileSystem: false,
                rawSockets: false,
                dnsResolution: false,
              },
              fuelLimit: undefined,
              timeLimitSeconds: 30n,
              config: [],
              envKeys: [],
            },
            submit: {
              tag: "aggregator",
              val: {
                component: {
                  source: { tag: "digest", val: DIGEST_B },
                  permissions: {
                    allowedHttpHosts: { tag: "none" },
                    fileSystem: false,
                    rawSockets: false,
                    dnsResolution: false,
                  },
                  fuelLimit: undefined,
                  timeLimitSeconds: undefined,
                  config: [
                    ["chain", "evm:31337"],
                    ["service_handler", handler],
                  ],
                  envKeys: [],
                },
                signatureKind: { algorithm: { tag: "secp256k1" }, prefix: { tag: "eip191" } },
              },
            },
          },
        ],
      ],
      status: { tag: "active" },
      manager: {
        tag: "evm",
        val: { chain: "evm:31337", address: { rawBytes: hexToBytes(EVM_ADDRESS) } },
      },
    });
    expect(witMismatches(WAVS_WIT, "service", wit)).toEqual([]);
  });

  test.each(serviceVariantSamples())("%s conforms to the WIT service record", (_label, json) => {
    expect(witMismatches(WAVS_WIT, "service", serviceToWit(parseService(json)))).toEqual([]);
  });

  test("triggers: each case, kebab-case tags, options as undefined, u64 as bigint", () => {
    const trigger = (t: unknown) =>
      triggerToWit(workflowOf(serviceJsonWith({ trigger: t as never })).trigger);
    expect(trigger("manual")).toStrictEqual({ tag: "manual" });
    expect(
      trigger({
        cosmos_contract_event: { address: COSMOS_ADDRESS, chain: "cosmos:x", event_type: "t" },
      }),
    ).toStrictEqual({
      tag: "cosmos-contract-event",
      val: {
        address: { bech32Addr: COSMOS_ADDRESS, prefixLen: 6 },
        chain: "cosmos:x",
        eventType: "t",
      },
    });
    expect(
      trigger({
        block_interval: {
          chain: "evm:1",
          n_blocks: 3,
          start_block: "9007199254740993",
          end_block: null,
        },
      }),
    ).toStrictEqual({
      tag: "block-interval",
      val: { chain: "evm:1", nBlocks: 3, startBlock: 9007199254740993n, endBlock: undefined },
    });
    expect(
      trigger({ cron: { schedule: "0 * * * * *", start_time: 5, end_time: null } }),
    ).toStrictEqual({
      tag: "cron",
      val: { schedule: "0 * * * * *", startTime: { nanos: 5n }, endTime: undefined },
    });
    expect(trigger({ atproto_event: { collection: "app.bsky.feed.post" } })).toStrictEqual({
      tag: "atproto-event",
      val: { collection: "app.bsky.feed.post", repoDid: undefined, action: undefined },
    });
    expect(trigger({ hypercore_append: { feed_key: "abcd" } })).toStrictEqual({
      tag: "hypercore-append",
      val: { feedKey: "abcd" },
    });
  });

  test("components: sources, permissions, limits and config", () => {
    const component = (c: Record<string, unknown>) =>
      workflowToWit(workflowOf(serviceJsonWith({ component: componentJson(c as never) })))
        .component;
    expect(
      component({
        source: {
          registry: { digest: DIGEST_A, domain: null, version: "1.0.0", package: "ns:pkg" },
        },
      }).source,
    ).toStrictEqual({
      tag: "registry",
      val: { digest: DIGEST_A, domain: undefined, version: "1.0.0", pkg: "ns:pkg" },
    });
    expect(
      component({ source: { download: { uri: "https://x/c.wasm", digest: DIGEST_A } } }).source,
    ).toStrictEqual({
      tag: "download",
      val: { uri: "https://x/c.wasm", digest: DIGEST_A },
    });
    expect(
      component({
        permissions: { allowed_http_hosts: { only: ["a.com", "b.com:8080"] }, raw_sockets: true },
      }).permissions,
    ).toStrictEqual({
      allowedHttpHosts: { tag: "only", val: ["a.com", "b.com:8080"] },
      fileSystem: false,
      rawSockets: true,
      dnsResolution: false,
    });
    const limits = component({
      fuel_limit: "18446744073709551615",
      time_limit_seconds: 7,
      config: { z: "1", a: "2" },
      env_keys: ["WAVS_ENV_X"],
    });
    expect([
      limits.fuelLimit,
      limits.timeLimitSeconds,
      limits.config,
      limits.envKeys,
    ]).toStrictEqual([
      2n ** 64n - 1n,
      7n,
      [
        ["z", "1"],
        ["a", "2"],
      ],
      ["WAVS_ENV_X"],
    ]);
  });

  test("submit: none, and an absent or null prefix as none", () => {
    expect(workflowToWit(workflowOf(serviceJsonWith({}))).submit).toStrictEqual({ tag: "none" });
    for (const prefix of [null, undefined]) {
      const submit = workflowToWit(
        workflowOf(
          serviceJsonWith({
            submit: {
              aggregator: {
                component: componentJson(),
                signature_kind:
                  prefix === null ? { algorithm: "secp256k1", prefix } : { algorithm: "secp256k1" },
              },
            },
          }),
        ),
      ).submit;
      expect(submit.tag === "aggregator" && submit.val.signatureKind).toStrictEqual({
        algorithm: { tag: "secp256k1" },
        prefix: undefined,
      });
    }
  });

  test("cosmos manager and paused status", () => {
    const wit = serviceToWit(
      parseService({
        ...serviceJsonWith({}),
        status: "paused",
        manager: { cosmos: { chain: "cosmos:wasmd-1", address: COSMOS_ADDRESS } },
      }),
    );
    expect(wit.status).toStrictEqual({ tag: "paused" });
    expect(wit.manager).toStrictEqual({
      tag: "cosmos",
      val: { chain: "cosmos:wasmd-1", address: { bech32Addr: COSMOS_ADDRESS, prefixLen: 6 } },
    });
  });

  test("what host get-service and get-workflow return", () => {
    const service = parseService(specExampleJson());
    const withId = serviceAndWorkflowIdToWit(service, "default");
    expect(withId.workflowId).toBe("default");
    expect(witMismatches(WAVS_WIT, "service-and-workflow-id", withId)).toEqual([]);
    const workflow = service.workflows.get("default");
    if (workflow === undefined) throw new Error("unreachable");
    expect(
      witMismatches(
        WAVS_WIT,
        "workflow-and-workflow-id",
        workflowAndWorkflowIdToWit(workflow, "default"),
      ),
    ).toEqual([]);
  });
});
