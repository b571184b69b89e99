/**
 * Turning config problems into one WavsError (WAVS_ERR_CONFIG_INVALID) that says where
 * (file and section, env var or flag), what was found and what was expected. Values of
 * secret fields are never quoted, and credentials in URLs are removed from quoted values.
 */
import type { z } from "zod";
import {
  expectedFound,
  expectedType,
  type LocatedProblem,
  problemsMessage,
  type Vocabulary,
  WavsError,
} from "../internal/index.js";
import { describeFound, describeSecret } from "./describe.js";
import { didYouMean } from "./did-you-mean.js";
import { describeLocation, type Origin, type OriginMap } from "./origin.js";
import { isSecretField, P2P_MODES, P2pConfigSchema, WavsConfigSchema } from "./schema.js";

/** Where the docs of every field are. */
export const CONFIG_DOCS = "docs/configuration.md";

/** One problem, located: `where` names the file and key, variable or flag; both safe to show. */
export interface ConfigProblem extends LocatedProblem {
  origin: Origin | undefined;
  path: PropertyKey[];
}

/** How config input is named in messages (TOML's words; secrets only by their kind). */
const CONFIG_WORDS: Vocabulary = {
  describe: describeFound,
  types: {
    string: "a string",
    number: "a number",
    int: "an integer",
    bigint: "an integer",
    boolean: "true or false",
    object: "a table",
    record: "a table",
    map: "a table",
    array: "a list",
  },
};

type Def = { type: string; shape?: Record<string, z.ZodType>; [k: string]: unknown };

function defOf(schema: unknown): Def | undefined {
  return (schema as { _zod?: { def?: Def } } | undefined)?._zod?.def;
}

/** Names accepted in the table at `path`, found by walking the schema (for suggestions). */
export function knownKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: unknown = WavsConfigSchema;
  for (const segment of [...path, undefined]) {
    // Unwrap defaults, optionals and pipes until we reach a table, a record or a list.
    for (let def = defOf(schema); def; def = defOf(schema)) {
      if (schema === P2pConfigSchema) {
        if (segment === undefined) return Object.keys(P2P_MODES);
        const mode = String(segment);
        schema = Object.hasOwn(P2P_MODES, mode)
          ? P2P_MODES[mode as keyof typeof P2P_MODES]
          : undefined;
        break;
      }
      if (def.type === "default" || def.type === "optional" || def.type === "nullable") {
        schema = def.innerType;
      } else if (def.type === "pipe") {
        schema = def.in;
      } else {
        if (segment === undefined) return def.type === "object" ? Object.keys(def.shape ?? {}) : [];
        const name = String(segment);
        if (def.type === "object")
          schema = def.shape && Object.hasOwn(def.shape, name) ? def.shape[name] : undefined;
        else if (def.type === "record") schema = def.valueType;
        else if (def.type === "array") schema = def.element;
        else return [];
        break;
      }
    }
    if (schema === undefined) return [];
  }
  return [];
}

function quoteKey(key: string): string {
  return JSON.stringify(key);
}

function messageOf(issue: z.core.$ZodIssue): string {
  const secret = typeof issue.path[0] === "string" && isSecretField(issue.path[0]);
  if (issue.code === "invalid_type") {
    const expected = expectedType(CONFIG_WORDS, issue.expected);
    return expectedFound(issue.input, expected, secret ? describeSecret : CONFIG_WORDS.describe);
  }
  if (issue.code === "invalid_key") {
    return issue.issues[0]?.message ?? `${describeFound(issue.input)} is not a valid key`;
  }
  return issue.message;
}

/** Every problem of a failed parse, unknown keys first (they often explain the rest). */
export function configProblems(error: z.ZodError, origins: OriginMap): ConfigProblem[] {
  const unknown: ConfigProblem[] = [];
  const others: ConfigProblem[] = [];
  for (const issue of error.issues) {
    if (issue.code === "unrecognized_keys") {
      const known = knownKeysAt(issue.path);
      for (const key of issue.keys) {
        const origin = origins.get([...issue.path, key]);
        const suggestion = didYouMean(key, known);
        // Suggest the likely intended key; when there is none and the choice is small, list it.
        const hint =
          suggestion !== undefined
            ? ` (did you mean ${quoteKey(suggestion)}?)`
            : known.length > 0 && known.length <= 6
              ? ` (expected ${known.join(", ")})`
              : "";
        const where = describeLocation(origin, issue.path);
        unknown.push({
          origin,
          path: [...issue.path, key],
          where,
          message: `unknown key ${quoteKey(key)}${hint}`,
        });
      }
      continue;
    }
    const origin = origins.get(issue.path);
    others.push({
      origin,
      path: [...issue.path],
      where: describeLocation(origin, issue.path),
      message: messageOf(issue),
    });
  }
  return [...unknown, ...others];
}

/** What to do about a problem from `origin`. */
export function hintFor(origin: Origin | undefined): string {
  if (origin?.kind === "file")
    return `Fix it in ${origin.file}; every field is described in ${CONFIG_DOCS}.`;
  if (origin?.kind === "env") {
    return `Fix or unset the environment variable ${origin.name} (it may come from a .env file); every field is described in ${CONFIG_DOCS}.`;
  }
  if (origin?.kind === "flag")
    return `Fix the ${origin.name} option; every field is described in ${CONFIG_DOCS}.`;
  return `Every field is described in ${CONFIG_DOCS}.`;
}

function sourceOf(origin: Origin | undefined): Record<string, string> {
  if (origin?.kind === "file") return { file: origin.file, section: origin.section };
  if (origin?.kind === "env") return { env: origin.name };
  if (origin?.kind === "flag") return { flag: origin.name };
  return {};
}

/** One WavsError for a list of problems: the first in the message, all of them in details. */
export function configError(problems: readonly ConfigProblem[]): WavsError {
  const first = problems[0];
  return new WavsError("WAVS_ERR_CONFIG_INVALID", problemsMessage(problems, "invalid config"), {
    details: {
      ...sourceOf(first?.origin),
      problems: problems.map((p) => `${p.where}: ${p.message}`),
    },
    hint: hintFor(first?.origin),
  });
}

/** A single config problem at a known origin, as a WavsError. */
export function configProblem(
  origin: Origin | undefined,
  path: readonly PropertyKey[],
  message: string,
): WavsError {
  return configError([{ origin, path: [...path], where: describeLocation(origin, path), message }]);
}
