import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { ServiceRunContext } from "../engine/index.js";
import { serviceId as serviceIdOf } from "../ids/index.js";
import { WavsError } from "../internal/index.js";
import { defaultExecService, parseService, type Service } from "../service/index.js";
import { parseJsonArg } from "./input-arg.js";

/** Where a local run takes its service, workflow and component settings from. */
export type LocalServiceContext = ServiceRunContext;

/** Flags shared by `wavs exec` and `wavs exec-aggregator`. */
export interface LocalContextFlags {
  servicePath?: string | undefined;
  workflowId?: string | undefined;
  config: Record<string, string>;
  timeLimitSeconds?: number | undefined;
  fuelLimit?: bigint | undefined;
  hostEnv: Record<string, string | undefined>;
}

/** sha256 of a file's bytes, lowercase hex. */
export function fileDigest(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * Build the service context of a local run: the given service JSON and workflow (settings,
 * permissions, manager as `get-service` reports them), or a default service with every
 * permission and all WAVS_ENV* variables passed through, as the reference's exec does.
 */
export function localServiceContext(
  digest: string,
  flags: LocalContextFlags,
  pick: "workflow" | "aggregator",
): LocalServiceContext {
  let service: Service;
  let workflowId = flags.workflowId;
  if (flags.servicePath) {
    service = parseService(parseJsonArg(`@${flags.servicePath}`, "--service"));
    const ids = [...service.workflows.keys()];
    workflowId ??= ids[0];
    if (!workflowId || !service.workflows.has(workflowId)) {
      throw new WavsError(
        "WAVS_ERR_INPUT_INVALID",
        workflowId === undefined
          ? `--service ${flags.servicePath}: the service has no workflows`
          : `--workflow ${workflowId}: no such workflow in ${flags.servicePath}`,
        {
          details: { workflows: ids },
          hint: `choose one of ${ids.join(", ") || "(none: the service has no workflows)"}`,
        },
      );
    }
  } else {
    if (workflowId !== undefined) {
      // without a service there is only the default workflow; ignoring the flag would hide a typo
      throw new WavsError("WAVS_ERR_INPUT_INVALID", `--workflow ${workflowId} needs --service`, {
        hint: "pass --service <service.json> to pick one of its workflows, or drop --workflow",
      });
    }
    const envKeys = Object.keys(flags.hostEnv).filter((k) => k.startsWith("WAVS_ENV"));
    service = defaultExecService(digest, {
      config: flags.config,
      timeLimitSeconds: flags.timeLimitSeconds,
      fuelLimit: flags.fuelLimit,
      envKeys,
    });
    workflowId = "default";
  }
  const workflow = service.workflows.get(workflowId)!;
  let component = workflow.component;
  if (pick === "aggregator") {
    if (workflow.submit.type === "aggregator") component = workflow.submit.component;
    else if (flags.servicePath) {
      throw new WavsError(
        "WAVS_ERR_INPUT_INVALID",
        `workflow ${workflowId} submits nothing (submit: none)`,
        {
          hint: "choose a workflow whose submit is an aggregator",
        },
      );
    }
  }
  // flags override the service's component settings for this run
  component = {
    ...component,
    config: new Map([...component.config, ...Object.entries(flags.config)]),
    time_limit_seconds: flags.timeLimitSeconds ?? component.time_limit_seconds,
    fuel_limit: flags.fuelLimit ?? component.fuel_limit,
  };
  // ... and get-service / get-workflow report the settings the component really runs with
  const effective =
    pick === "aggregator" && workflow.submit.type === "aggregator"
      ? { ...workflow, submit: { ...workflow.submit, component } }
      : { ...workflow, component };
  service = { ...service, workflows: new Map(service.workflows).set(workflowId, effective) };
  return { service, workflowId, serviceId: serviceIdOf(service.manager), component };
}

/** Read a component file with a clear error. */
export function readComponentFile(path: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `--component: cannot read ${path}`, {
      hint: "pass the path of a .wasm component",
      cause: err,
    });
  }
}
