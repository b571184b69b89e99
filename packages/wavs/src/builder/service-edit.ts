/**
 * The edits of `wavs service`: each changes the service document in place. They do not
 * validate; `applyEdit` (service-builder.ts) checks the whole result before it is written.
 */
import { WavsError } from "../internal/index.js";
import { isObject, type ServiceDocument } from "./service-file.js";
import { newWorkflowId } from "./workflow-id.js";

/** A JSON object inside the document. */
type JsonRecord = Record<string, unknown>;

/** A new service document: name, no workflows, active, the manager when given. */
export function initService(
  name: string,
  manager?: { chain: string; address: string },
): ServiceDocument {
  const doc: ServiceDocument = { name, workflows: {}, status: "active" };
  if (manager) setManager(doc, manager.chain, manager.address);
  return doc;
}

function workflows(doc: ServiceDocument): JsonRecord {
  if (!isObject(doc.workflows)) doc.workflows = {};
  return doc.workflows as JsonRecord;
}

/** The workflow with that id; an error listing the existing ids when there is none. */
export function workflowOf(doc: ServiceDocument, id: string): JsonRecord {
  const all = workflows(doc);
  const workflow = Object.hasOwn(all, id) ? all[id] : undefined;
  if (!isObject(workflow)) {
    const ids = Object.keys(all);
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `workflows.${id}: no such workflow`, {
      hint:
        ids.length === 0
          ? "add one with `wavs service workflow add`"
          : `existing workflows: ${ids.join(", ")}`,
    });
  }
  return workflow;
}

/** Add a workflow (manual trigger, no submit, component to be set); returns its id. */
export function addWorkflow(doc: ServiceDocument, requestedId?: string): string {
  const all = workflows(doc);
  const id = newWorkflowId(new Set(Object.keys(all)), requestedId);
  all[id] = { trigger: "manual", submit: "none" };
  return id;
}

/** Remove a workflow. */
export function deleteWorkflow(doc: ServiceDocument, id: string): void {
  workflowOf(doc, id);
  delete workflows(doc)[id];
}

/** Replace a workflow's trigger with this trigger JSON. */
export function setTrigger(doc: ServiceDocument, id: string, trigger: unknown): void {
  workflowOf(doc, id).trigger = trigger;
}

/** The workflow's component, created with defaults (no source yet) when absent. */
export function componentOf(doc: ServiceDocument, id: string): JsonRecord {
  const workflow = workflowOf(doc, id);
  if (!isObject(workflow.component)) {
    workflow.component = {
      permissions: {},
      fuel_limit: null,
      time_limit_seconds: null,
      config: {},
      env_keys: [],
    };
  }
  return workflow.component as JsonRecord;
}

/** Set the component's source (`{"digest": ...}` or `{"download": {...}}`), keeping the rest. */
export function setComponentSource(doc: ServiceDocument, id: string, source: unknown): void {
  const component = componentOf(doc, id);
  // source goes first so the file reads like the reference's output
  const rest = Object.fromEntries(Object.entries(component).filter(([k]) => k !== "source"));
  const workflow = workflowOf(doc, id);
  workflow.component = { source, ...rest };
}

/** Set one field of the component (permissions, config, env_keys, limits). */
export function setComponentField(
  doc: ServiceDocument,
  id: string,
  field: "permissions" | "config" | "env_keys" | "time_limit_seconds" | "fuel_limit",
  value: unknown,
): void {
  componentOf(doc, id)[field] = value;
}

/** Set `submit` to `"none"`. */
export function setSubmitNone(doc: ServiceDocument, id: string): void {
  workflowOf(doc, id).submit = "none";
}

/** Set `submit` to an aggregator component with that digest and config. */
export function setSubmitAggregator(
  doc: ServiceDocument,
  id: string,
  options: { digest: string; config: Record<string, string>; prefix: "eip191" | null },
): void {
  workflowOf(doc, id).submit = {
    aggregator: {
      component: {
        source: { digest: options.digest },
        permissions: {},
        fuel_limit: null,
        time_limit_seconds: null,
        config: options.config,
        env_keys: [],
      },
      signature_kind: { algorithm: "secp256k1", prefix: options.prefix },
    },
  };
}

/** Set the service manager: `{"cosmos": ...}` for a `cosmos:` chain key, else `{"evm": ...}`. */
export function setManager(doc: ServiceDocument, chain: string, address: string): void {
  // the chain key's namespace says which kind of manager it is
  doc.manager = { [chain.startsWith("cosmos:") ? "cosmos" : "evm"]: { chain, address } };
}

/** Set the status (`active` or `paused`; the schema check rejects anything else). */
export function setStatus(doc: ServiceDocument, status: string): void {
  doc.status = status;
}
