/** Workflow ids: 3 to 36 characters of `[a-z0-9_-]`. */
import { checkedString } from "./schema-helpers.js";
import { describeValue } from "./validation-error.js";

/** A workflow id, unique within its service. */
export type WorkflowId = string;

/** The workflow id used when a service has a single workflow. */
export const DEFAULT_WORKFLOW_ID: WorkflowId = "default";

const WORKFLOW_ID_RE = /^[a-z0-9_-]{3,36}$/;

/** Whether `value` is a valid workflow id. */
export function isWorkflowId(value: unknown): value is WorkflowId {
  return typeof value === "string" && WORKFLOW_ID_RE.test(value);
}

/** Why `id` is not a workflow id, or undefined when it is one. */
export function workflowIdProblem(id: string): string | undefined {
  return WORKFLOW_ID_RE.test(id)
    ? undefined
    : `${describeValue(id)} is not a valid workflow id (3 to 36 characters of a-z, 0-9, _ and -)`;
}

/** Schema of a workflow id string. */
export const WorkflowIdSchema = checkedString(
  workflowIdProblem,
  "3 to 36 characters of a-z, 0-9, _ and -",
);
