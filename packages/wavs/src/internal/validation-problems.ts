/**
 * The one formatter of validation problems, used for config (wavs.toml, env, flags), service and
 * trigger JSON, and HTTP requests: every problem says where, what was found and what was
 * expected, and a failed validation becomes one WavsError with the first problem in its
 * message and all of them in its details. What differs between sources is only the words
 * (JSON says "an object" and 'quotes', TOML "a table" and "quotes"), passed in as a vocabulary.
 */
import type { ErrorCode } from "@wavs-ts/errors";
import { WavsError } from "@wavs-ts/errors";

/** How values and expected types are named for one kind of input. */
export interface Vocabulary {
  /** A short description of a found value: `'cronn'`, `42`, `an array`. */
  describe(value: unknown): string;
  /** Names of expected types by zod/JSON-schema type name: `object` -> `an object`. */
  types: Readonly<Record<string, string>>;
}

/** One located problem: `where` is what the message names (a path, a file and key, a flag). */
export interface LocatedProblem {
  where: string;
  message: string;
}

/** "missing (expected X)" or "expected X, found Y": the one wording of a wrong value. */
export function expectedFound(
  input: unknown,
  expected: string,
  describe: (value: unknown) => string,
): string {
  return input === undefined
    ? `missing (expected ${expected})`
    : `expected ${expected}, found ${describe(input)}`;
}

/** The name of an expected type in `words`, or the type name itself. */
export function expectedType(words: Vocabulary, type: string): string {
  return words.types[type] ?? type;
}

/** `where: message` of the first problem, then how many more there are. */
export function problemsMessage(problems: readonly LocatedProblem[], empty: string): string {
  const first = problems[0];
  const count = problems.length - 1;
  const more = count > 0 ? ` (and ${count} more problem${count > 1 ? "s" : ""})` : "";
  return `${first === undefined ? empty : `${first.where}: ${first.message}`}${more}`;
}

/** One WavsError for a failed validation: the first problem in the message, details as given. */
export function problemsError(
  code: ErrorCode,
  problems: readonly LocatedProblem[],
  options: { hint: string | undefined; details: Record<string, unknown>; cause?: unknown },
): WavsError {
  return new WavsError(code, problemsMessage(problems, "is invalid"), options);
}
