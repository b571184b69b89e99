/** Reading and atomically writing the service JSON file that `wavs service` builds step by step. */
import { randomBytes } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { WavsError } from "../internal/index.js";

/** A service JSON document as stored in the file; it may still lack parts (a component). */
export type ServiceDocument = Record<string, unknown>;

/** Whether a value is a plain JSON object. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Read and JSON-parse the service file; a clear error when it is missing or not an object. */
export function readServiceFile(path: string): ServiceDocument {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `${path}: cannot read the service file`, {
      hint: "create it with `wavs service --file <path> init --name <name>`",
      cause: err,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new WavsError(
      "WAVS_ERR_SERVICE_INVALID",
      `${path}: not valid JSON (${(err as Error).message})`,
      { hint: "fix the file by hand or start again with `wavs service init`" },
    );
  }
  if (!isObject(json)) {
    throw new WavsError("WAVS_ERR_SERVICE_INVALID", `${path}: expected a JSON object`, {
      hint: "a service file is one object: {name, workflows, status, manager}",
    });
  }
  return json;
}

/** Write the document through a temporary file and a rename, so a crash never leaves half a file. */
export function writeServiceFile(path: string, doc: ServiceDocument): void {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(doc, null, 2)}\n`);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new WavsError("WAVS_ERR_INPUT_INVALID", `${path}: cannot write the service file`, {
      cause: err,
    });
  }
}
