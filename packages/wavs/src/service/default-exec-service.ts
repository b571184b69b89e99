/** The service `wavs exec` runs a component in when no --service is given. */
import { WavsError } from "../internal/index.js";
import type { Component } from "./component.js";
import { digestProblem } from "./digest.js";
import type { Service } from "./service.js";
import { DEFAULT_WORKFLOW_ID } from "./workflow-id.js";

/** Overrides for the exec component, from `--config`, `--fuel-limit`, `--time-limit`. */
export interface ExecServiceOptions {
  config?: ReadonlyMap<string, string> | Readonly<Record<string, string>> | undefined;
  fuelLimit?: bigint | undefined;
  timeLimitSeconds?: number | undefined;
  envKeys?: readonly string[] | undefined;
}

/** Manager address of the exec service: nothing is deployed, so the zero address. */
export const EXEC_MANAGER_ADDRESS = "0x0000000000000000000000000000000000000000";

/**
 * A service named "exec" with one workflow "default": manual trigger, the component with every
 * permission (a local run is the developer's own machine), submit none, EVM manager on
 * evm:31337 at the zero address.
 */
export function defaultExecService(
  componentDigest: string,
  options: ExecServiceOptions = {},
): Service {
  const problem = digestProblem(componentDigest);
  if (problem !== undefined) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `component digest: ${problem}`, {
      details: { found: componentDigest, expected: "64 lowercase hex characters" },
    });
  }
  const config =
    options.config instanceof Map
      ? new Map(options.config)
      : new Map(Object.entries(options.config ?? {}));
  const component: Component = {
    source: { type: "digest", digest: componentDigest },
    permissions: {
      allowed_http_hosts: { type: "all" },
      file_system: true,
      raw_sockets: true,
      dns_resolution: true,
    },
    fuel_limit: options.fuelLimit ?? null,
    time_limit_seconds: options.timeLimitSeconds ?? null,
    config,
    env_keys: [...(options.envKeys ?? [])],
  };
  return {
    name: "exec",
    workflows: new Map([
      [DEFAULT_WORKFLOW_ID, { trigger: { type: "manual" }, component, submit: { type: "none" } }],
    ]),
    status: "active",
    manager: { type: "evm", chain: "evm:31337", address: EXEC_MANAGER_ADDRESS },
  };
}
