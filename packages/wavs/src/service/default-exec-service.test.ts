import { describe, expect, test } from "vitest";
import { DIGEST_A, thrown } from "../../test/helpers/service-fixtures.js";
import { WAVS_WIT, witMismatches } from "../../test/helpers/wit-conformance.js";
import { serviceId } from "../ids/service-id.js";
import { serviceToWit } from "../wit/service-to-wit.js";
import { defaultExecService } from "./default-exec-service.js";
import { parseService, serviceToJson } from "./service.js";

describe("defaultExecService", () => {
  test("is the documented service, as JSON", () => {
    expect(serviceToJson(defaultExecService(DIGEST_A))).toStrictEqual({
      name: "exec",
      workflows: {
        default: {
          trigger: "manual",
          component: {
            source: { digest: DIGEST_A },
            permissions: {
              allowed_http_hosts: "all",
              file_system: true,
              raw_sockets: true,
              dns_resolution: true,
            },
            fuel_limit: null,
            time_limit_seconds: null,
            config: {},
            env_keys: [],
          },
          submit: "none",
        },
      },
      status: "active",
      manager: {
        evm: { chain: "evm:31337", address: "0x0000000000000000000000000000000000000000" },
      },
    });
  });

  test("is valid: its JSON parses back to the same service, and its WIT conforms", () => {
    const service = defaultExecService(DIGEST_A, {
      config: { a: "1" },
      fuelLimit: 10n,
      timeLimitSeconds: 5,
      envKeys: ["WAVS_ENV_K"],
    });
    expect(parseService(serviceToJson(service))).toStrictEqual(service);
    expect(witMismatches(WAVS_WIT, "service", serviceToWit(service))).toEqual([]);
    const component = service.workflows.get("default")?.component;
    expect([
      component?.fuel_limit,
      component?.time_limit_seconds,
      [...(component?.config ?? [])],
    ]).toEqual([10n, 5, [["a", "1"]]]);
    expect(serviceId(service.manager)).toBe(
      "807ff0222b1ed4636e9575cfcf12596e086b686bdb896fe7813252b33c64d618",
    );
  });

  test("refuses a malformed digest", () => {
    expect(thrown(() => defaultExecService("0xabc")).message).toMatchInlineSnapshot(
      `"component digest: '0xabc' is not a sha256 digest (expected 64 lowercase hex characters)"`,
    );
  });
});
