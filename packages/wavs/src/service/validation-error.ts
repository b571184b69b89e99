/**
 * Turning zod issues of JSON input into one clear WavsError: every problem says where (a JSON
 * path such as `workflows.w1.trigger`), what was found and what was expected. The wording and
 * the error are the shared formatter's (internal/validation-problems.ts); this module gives it
 * JSON's words and zod's paths.
 */
import type { z } from "zod";
import type { ErrorCode, Vocabulary } from "../internal/index.js";
import {
  expectedFound as expectedFoundIn,
  expectedType,
  problemsError,
  type WavsError,
} from "../internal/index.js";

/** One problem found while validating JSON. */
export interface ValidationProblem {
  /** Dotted JSON path, e.g. `workflows.w1.component.env_keys[0]`; empty for the root. */
  path: string;
  message: string;
}

const MAX_SHOWN_STRING = 80;

/** Short human description of a JSON value for messages: `'cronn'`, `42`, `an array`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (typeof value === "string") {
    const shown =
      value.length > MAX_SHOWN_STRING ? `${value.slice(0, MAX_SHOWN_STRING)}...` : value;
    // Quote plainly when printable so the message reads like the examples in the docs.
    return /^[\x20-\x7e]*$/.test(shown) && !shown.includes("'")
      ? `'${shown}'`
      : JSON.stringify(shown);
  }
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (Array.isArray(value)) return value.length === 0 ? "an empty array" : "an array";
  if (value instanceof Uint8Array) return "bytes";
  if (typeof value === "object") return "an object";
  return typeof value;
}

/** Render a zod path as `a.b[0].c`; keys that are not identifiers are quoted: `config["a.b"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const key = String(segment);
      if (/^[A-Za-z0-9_-]+$/.test(key)) out += out === "" ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** How JSON input is named in messages. */
export const JSON_WORDS: Vocabulary = {
  describe: describeValue,
  types: {
    string: "a string",
    number: "a number",
    int: "an integer",
    boolean: "true or false",
    object: "an object",
    map: "an object",
    array: "an array",
    tuple: "an array",
    null: "null",
  },
};

/** "missing (expected X)" or "expected X, found Y", in JSON's words. */
export function expectedFound(input: unknown, expected: string): string {
  return expectedFoundIn(input, expected, describeValue);
}

/** The message for one issue, written by us for zod's built-in issue kinds. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    return expectedFound(issue.input, expectedType(JSON_WORDS, issue.expected));
  }
  // Custom issues and unknown-key issues carry messages written where the rule is defined.
  return issue.message;
}

/** Every problem of a failed parse, in the order zod found them. */
export function problemsOf(error: z.ZodError): ValidationProblem[] {
  return error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issueMessage(issue),
  }));
}

/** Options for `validationError`. */
export interface ValidationErrorOptions {
  /** What was being parsed, used when the problem is at the root: `service`, `trigger data`. */
  subject: string;
  hint: string;
}

/** One WavsError for a failed parse: the first problem in the message, all of them in details. */
export function validationError(
  code: ErrorCode,
  error: z.ZodError,
  options: ValidationErrorOptions,
): WavsError {
  const problems = problemsOf(error);
  const located =
    problems.length === 0
      ? [{ where: options.subject, message: "is invalid" }]
      : problems.map((p) => ({
          where: p.path === "" ? options.subject : p.path,
          message: p.message,
        }));
  const firstIssue = error.issues[0];
  return problemsError(code, located, {
    details: {
      path: problems[0]?.path ?? "",
      ...(firstIssue && "input" in firstIssue ? { found: describeValue(firstIssue.input) } : {}),
      ...(firstIssue?.code === "custom" && typeof firstIssue.params?.expected === "string"
        ? { expected: firstIssue.params.expected }
        : {}),
      ...(firstIssue?.code === "invalid_type"
        ? { expected: expectedType(JSON_WORDS, firstIssue.expected) }
        : {}),
      problems,
    },
    hint: options.hint,
  });
}

/** Parse `json` with `schema`, throwing `validationError` on failure. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  json: unknown,
  code: ErrorCode,
  options: ValidationErrorOptions,
): z.output<S> {
  const result = schema.safeParse(json, { reportInput: true });
  if (!result.success) throw validationError(code, result.error, options);
  return result.data;
}
