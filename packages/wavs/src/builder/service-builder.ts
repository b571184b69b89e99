/** One step of `wavs service`: read the file, apply an edit, check the result, write it atomically. */
import { problemsError } from "../internal/index.js";
import type { ValidationProblem } from "../service/index.js";
import { parseService, serviceToJson } from "../service/index.js";
import { checkServiceDocument } from "./service-check.js";
import { readServiceFile, type ServiceDocument, writeServiceFile } from "./service-file.js";

/** The document after a step, and the parts still to be set. */
export interface EditResult {
  doc: ServiceDocument;
  pending: ValidationProblem[];
}

/** Throw WAVS_ERR_SERVICE_INVALID for the first problem, listing all of them in details. */
export function throwProblems(problems: ValidationProblem[], hint?: string): never {
  throw problemsError(
    "WAVS_ERR_SERVICE_INVALID",
    problems.map((p) => ({ where: p.path === "" ? "service" : p.path, message: p.message })),
    {
      details: { path: problems[0]?.path ?? "", problems },
      hint: hint ?? "the file was left unchanged; fix the value and run the command again",
    },
  );
}

/**
 * Check `doc` and write it to `path` unless it has problems. A complete document is written
 * in canonical form (serviceToJson of parseService), so the file is exactly what a node reads.
 */
export function checkAndWrite(path: string, doc: ServiceDocument): EditResult {
  const { problems, pending } = checkServiceDocument(doc);
  if (problems.length > 0) throwProblems(problems);
  const out = pending.length === 0 ? serviceToJson(parseService(doc)) : doc;
  writeServiceFile(path, out);
  return { doc: out, pending };
}

/** Apply `edit` to the service file at `path` (read, change, check, write atomically). */
export function editServiceFile(path: string, edit: (doc: ServiceDocument) => void): EditResult {
  const doc = readServiceFile(path);
  edit(doc);
  return checkAndWrite(path, doc);
}
