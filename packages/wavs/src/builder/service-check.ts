/**
 * Checking a service document: the schema (parseService's rules), the cron schedules, and the
 * parts a builder has not set yet. Every problem names its JSON path and what was expected.
 */
import { Cron } from "croner";
import { problemsOf, ServiceSchema, type ValidationProblem } from "../service/index.js";
import { isObject, type ServiceDocument } from "./service-file.js";

/** The outcome of checking a document: errors, and parts still to be set (not errors mid-build). */
export interface DocumentCheck {
  problems: ValidationProblem[];
  pending: ValidationProblem[];
}

// Stand-ins used only while checking a partly built document, never written to the file.
const PLACEHOLDER_DIGEST = "0".repeat(64);
const PLACEHOLDER_MANAGER = {
  evm: { chain: "evm:1", address: "0x0000000000000000000000000000000000000000" },
};

/** Why a cron schedule does not parse (croner, seconds first), or undefined. */
export function cronParseProblem(schedule: string): string | undefined {
  try {
    new Cron(schedule, { paused: true });
    return undefined;
  } catch (err) {
    return `'${schedule}' does not parse as a cron schedule: ${(err as Error).message} (expected 6 or 7 fields, seconds first, e.g. '*/5 * * * * *')`;
  }
}

/** Check a document; missing manager/components are `pending`, everything else wrong is a problem. */
export function checkServiceDocument(doc: ServiceDocument): DocumentCheck {
  const pending: ValidationProblem[] = [];
  const copy = structuredClone(doc);
  if (copy.manager === undefined) {
    pending.push({
      path: "manager",
      message:
        "not set yet (set it with `wavs service manager set-evm --chain <key> --address 0x...`)",
    });
    copy.manager = PLACEHOLDER_MANAGER;
  }
  if (isObject(copy.workflows)) {
    for (const [id, workflow] of Object.entries(copy.workflows)) {
      if (!isObject(workflow)) continue;
      const hint = `set it with \`wavs service workflow component --id ${id} set-source-digest --digest <hex>\``;
      if (workflow.component === undefined) {
        pending.push({ path: `workflows.${id}.component`, message: `not set yet (${hint})` });
        workflow.component = {
          source: { digest: PLACEHOLDER_DIGEST },
          permissions: {},
          config: {},
          env_keys: [],
        };
      } else if (isObject(workflow.component) && workflow.component.source === undefined) {
        pending.push({
          path: `workflows.${id}.component.source`,
          message: `not set yet (${hint})`,
        });
        workflow.component.source = { digest: PLACEHOLDER_DIGEST };
      }
    }
  }
  const result = ServiceSchema.safeParse(copy, { reportInput: true });
  const problems = result.success ? [] : problemsOf(result.error);
  if (result.success) {
    for (const [id, workflow] of result.data.workflows) {
      if (workflow.trigger.type !== "cron") continue;
      const why = cronParseProblem(workflow.trigger.schedule);
      if (why) problems.push({ path: `workflows.${id}.trigger.cron.schedule`, message: why });
    }
  }
  return { problems, pending };
}
