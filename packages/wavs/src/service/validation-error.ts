/**
 * Turning zod issues into one clear WavsError: every problem says where (a JSON path such as
 * `workflows.w1.trigger`), what was found and what was expected.
 */
import type { z } from "zod";
import type { ErrorCode } from "../internal/index.js";
import { WavsError } from "../internal/index.js";

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

const EXPECTED_TYPE: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "true or false",
  object: "an object",
  map: "an object",
  array: "an array",
  tuple: "an array",
  null: "null",
};

/** "missing (expected X)" or "expected X, found Y": the one wording of a wrong value. */
export function expectedFound(input: unknown, expected: string): string {
  return input === undefined
    ? `missing (expected ${expected})`
    : `expected ${expected}, found ${describeValue(input)}`;
}

/** The message for one issue, written by us for zod's built-in issue kinds. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    return expectedFound(issue.input, EXPECTED_TYPE[issue.expected] ?? issue.expected);
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
  const first = problems[0] ?? { path: "", message: "is invalid" };
  const where = first.path === "" ? options.subject : first.path;
  const more =
    problems.length > 1
      ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})`
      : "";
  const firstIssue = error.issues[0];
  return new WavsError(code, `${where}: ${first.message}${more}`, {
    details: {
      path: first.path,
      ...(firstIssue && "input" in firstIssue ? { found: describeValue(firstIssue.input) } : {}),
      ...(firstIssue?.code === "custom" && typeof firstIssue.params?.expected === "string"
        ? { expected: firstIssue.params.expected }
        : {}),
      ...(firstIssue?.code === "invalid_type"
        ? { expected: EXPECTED_TYPE[firstIssue.expected] ?? firstIssue.expected }
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
