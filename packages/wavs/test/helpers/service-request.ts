import type { ExecPermissions, ExecRequest } from "../../src/engine/engine.js";
import { NO_PERMISSIONS } from "../../src/engine/raw-run-request.js";
import { encodeTriggerDataForEventId, serviceId as serviceIdOf } from "../../src/ids/index.js";
import { defaultExecService, type TriggerData } from "../../src/service/index.js";
import { serviceToWit, triggerActionToWit, workflowToWit } from "../../src/wit/index.js";

/**
 * A `run` request as the node would make it: a real service model (the exec default service,
 * manager at `managerAddress`), the trigger action of `data`, and the event id salt.
 */
export function serviceRunRequest(
  digest: string,
  options: {
    data?: TriggerData;
    config?: Record<string, string>;
    permissions?: Partial<ExecPermissions>;
    envKeys?: string[];
    managerAddress?: string;
    timeLimitSeconds?: number;
  } = {},
): ExecRequest & { serviceIdHex: string; data: TriggerData } {
  const service = defaultExecService(digest, { config: options.config ?? {} });
  if (options.managerAddress && service.manager.type === "evm") {
    service.manager = { ...service.manager, address: options.managerAddress as `0x${string}` };
  }
  const sid = serviceIdOf(service.manager);
  const workflow = service.workflows.get("default")!;
  const data: TriggerData = options.data ?? { type: "raw", data: new TextEncoder().encode("hi") };
  return {
    digest,
    fn: "run",
    args: [
      triggerActionToWit({
        serviceId: sid,
        workflowId: "default",
        trigger: workflow.trigger,
        data,
      }),
    ],
    serviceId: sid,
    workflowId: "default",
    service: serviceToWit(service),
    workflow: workflowToWit(workflow),
    config: options.config ?? {},
    envKeys: options.envKeys ?? [],
    permissions: { ...NO_PERMISSIONS, ...options.permissions },
    timeLimitSeconds: options.timeLimitSeconds,
    defaultEventIdSalt: encodeTriggerDataForEventId(data),
    serviceIdHex: sid,
    data,
  };
}

/** The text of the first response payload of a successful run. */
export function firstPayloadText(value: unknown): string {
  const first = (value as { payload: Uint8Array }[])[0];
  if (!first) throw new Error("no response");
  return new TextDecoder().decode(first.payload);
}
