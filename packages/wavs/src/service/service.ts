/** The service definition: workflows (trigger, component, submit), status and manager. */
import { z } from "zod";
import { ComponentSchema, componentToJson } from "./component.js";
import { type JsonObject, objectFromEntries } from "./json.js";
import { orderedMap, strictRecord, stringEnum } from "./schema-helpers.js";
import { ServiceManagerSchema, serviceManagerToJson } from "./service-manager.js";
import { SubmitSchema, submitToJson } from "./submit.js";
import { TriggerSchema, triggerToJson } from "./trigger.js";
import { parseOrThrow } from "./validation-error.js";
import { WorkflowIdSchema } from "./workflow-id.js";

/** `{trigger, component, submit}`. */
export const WorkflowSchema = strictRecord({
  trigger: TriggerSchema,
  component: ComponentSchema,
  submit: SubmitSchema,
});

/** One workflow of a service. */
export type Workflow = z.output<typeof WorkflowSchema>;

/** `"active"` or `"paused"`. */
export const ServiceStatusSchema = stringEnum(["active", "paused"]);

/** Whether a service fires its triggers. */
export type ServiceStatus = z.output<typeof ServiceStatusSchema>;

/** A whole service definition. `workflows` is a Map in JSON key order. */
export const ServiceSchema = strictRecord({
  name: z.string(),
  workflows: orderedMap(WorkflowIdSchema, WorkflowSchema),
  status: ServiceStatusSchema,
  manager: ServiceManagerSchema,
});

/** A service definition. */
export type Service = z.output<typeof ServiceSchema>;

const SERVICE_HINT =
  "Fix the field at that path (details.problems lists every problem); the format is described in the service definition docs.";

/** Parse and validate service JSON; throws WAVS_ERR_SERVICE_INVALID naming the bad field. */
export function parseService(json: unknown): Service {
  return parseOrThrow(ServiceSchema, json, "WAVS_ERR_SERVICE_INVALID", {
    subject: "service",
    hint: SERVICE_HINT,
  });
}

/** Parse and validate a service manager (`{"evm": {chain, address}}`); throws WAVS_ERR_SERVICE_INVALID. */
export function parseServiceManager(json: unknown) {
  return parseOrThrow(ServiceManagerSchema, json, "WAVS_ERR_SERVICE_INVALID", {
    subject: "service manager",
    hint: 'Write the manager as {"evm": {"chain": "evm:31337", "address": "0x..."}}.',
  });
}

/** Parse and validate a trigger (`"manual"`, `{"cron": {...}}`, ...); throws WAVS_ERR_SERVICE_INVALID. */
export function parseTrigger(json: unknown) {
  return parseOrThrow(TriggerSchema, json, "WAVS_ERR_SERVICE_INVALID", {
    subject: "trigger",
    hint: SERVICE_HINT,
  });
}

/** JSON of a workflow. */
export function workflowToJson(workflow: Workflow): JsonObject {
  return {
    trigger: triggerToJson(workflow.trigger),
    component: componentToJson(workflow.component),
    submit: submitToJson(workflow.submit),
  };
}

/** JSON of a service; `JSON.stringify` of it reproduces the parsed JSON (in canonical key order). */
export function serviceToJson(service: Service): JsonObject {
  return {
    name: service.name,
    workflows: objectFromEntries(
      [...service.workflows].map(([id, workflow]) => [id, workflowToJson(workflow)] as const),
    ),
    status: service.status,
    manager: serviceManagerToJson(service.manager),
  };
}
