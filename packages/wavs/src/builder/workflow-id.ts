/** Choosing the id of a new workflow: `default` when free, else a short random id. */
import { randomBytes } from "node:crypto";
import { WavsError } from "../internal/index.js";
import { DEFAULT_WORKFLOW_ID, isWorkflowId } from "../service/index.js";

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

/** A random id of 8 characters of [a-z0-9] (within the 3-36 [a-z0-9_-] rule). */
function randomWorkflowId(): string {
  return [...randomBytes(8)].map((b) => ALPHABET[b % ALPHABET.length]).join("");
}

/** The id for a new workflow: the one asked for (checked), `default` if free, else a random one. */
export function newWorkflowId(existing: ReadonlySet<string>, requested?: string): string {
  if (requested !== undefined) {
    if (!isWorkflowId(requested)) {
      throw new WavsError(
        "WAVS_ERR_INPUT_INVALID",
        `--id: ${JSON.stringify(requested)} is not a workflow id (expected 3 to 36 characters of a-z, 0-9, _ and -)`,
      );
    }
    if (existing.has(requested)) {
      throw new WavsError("WAVS_ERR_INPUT_INVALID", `workflows.${requested}: already exists`, {
        hint: "pick another --id, or delete it first with `wavs service workflow delete --id`",
      });
    }
    return requested;
  }
  if (!existing.has(DEFAULT_WORKFLOW_ID)) return DEFAULT_WORKFLOW_ID;
  for (;;) {
    const id = randomWorkflowId();
    if (!existing.has(id)) return id;
  }
}
