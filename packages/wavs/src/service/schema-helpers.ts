/**
 * Small zod builders shared by the service and trigger-data schemas, so every rule reports
 * problems the same way: where, what was found, what was expected.
 */
import { z } from "zod";
import { isJsonObject } from "./json.js";
import { describeValue, expectedFound } from "./validation-error.js";

type Ctx = z.core.$RefinementCtx;

/** Report a problem on the value being checked, with what was expected for `details`. */
export function addProblem(ctx: Ctx, input: unknown, message: string, expected?: string): void {
  ctx.addIssue({
    code: "custom",
    message,
    input,
    ...(expected === undefined ? {} : { params: { expected } }),
  });
}

/** A string checked by `problem`, which returns a message when the string is not acceptable. */
export function checkedString(problem: (s: string) => string | undefined, expected: string) {
  return z.string().superRefine((s, ctx) => {
    const message = problem(s);
    if (message !== undefined) addProblem(ctx, s, message, expected);
  });
}

/** One of a fixed set of strings, with `'x' is not one of a, b, c` when it is not. */
export function stringEnum<const T extends readonly [string, ...string[]]>(values: T) {
  const list = values.join(", ");
  return z.unknown().transform((input, ctx): T[number] => {
    if (typeof input === "string" && (values as readonly string[]).includes(input)) return input;
    addProblem(
      ctx,
      input,
      input === undefined
        ? `missing (expected one of ${list})`
        : `${describeValue(input)} is not one of ${list}`,
      `one of ${list}`,
    );
    return z.NEVER;
  });
}

/** An object with exactly these fields; an unknown field is an error naming the known ones. */
export function strictRecord<S extends z.ZodRawShape>(shape: S) {
  const names = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== "unrecognized_keys") return undefined;
      const keys = issue.keys.map((k) => `'${k}'`).join(", ");
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${keys} (expected ${names})`;
    },
  });
}

/**
 * A JSON object read into a Map, keeping key order. We use a Map rather than an object because
 * zod's record drops a `__proto__` key and because lookups by user-given ids (`constructor`,
 * `toString`) must never reach Object.prototype.
 */
export function orderedMap<K extends z.ZodType<string, string>, V extends z.ZodType>(
  key: K,
  value: V,
) {
  return z.preprocess(
    (input) => (isJsonObject(input) ? new Map(Object.entries(input)) : input),
    z.map(key, value),
  );
}

type VariantSchemas = { readonly [tag: string]: z.ZodType<object, unknown> | null };

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** The parsed form of a tagged enum: the variant name as `type`, then the variant's fields. */
export type TaggedOutput<V extends VariantSchemas> = {
  [K in keyof V & string]: V[K] extends z.ZodType
    ? Simplify<{ type: K } & z.output<V[K]>>
    : { type: K };
}[keyof V & string];

/** Options for `taggedEnum`. */
export interface TaggedEnumOptions {
  /** Other names accepted for a variant (e.g. PascalCase), mapping to its canonical name. */
  aliases?: Readonly<Record<string, string>>;
  /** Appended to the unknown-variant message, e.g. to mention accepted aliases. */
  note?: string;
}

/**
 * A serde-style externally tagged enum: a variant with data is `{"name": data}`, a variant
 * without data is the bare string `"name"`. `variants` maps each name to the schema of its
 * data (which must parse to an object whose fields are spread next to `type`) or to null for
 * a variant without data. The declaration order is the order listed in messages.
 */
export function taggedEnum<const V extends VariantSchemas>(
  variants: V,
  options: TaggedEnumOptions = {},
) {
  const names = Object.keys(variants);
  const list = names.join(", ");
  const note = options.note === undefined ? "" : ` ${options.note}`;
  const canonicalName = (tag: string): string | undefined => {
    const aliased =
      options.aliases && Object.hasOwn(options.aliases, tag) ? options.aliases[tag] : tag;
    return aliased !== undefined && Object.hasOwn(variants, aliased) ? aliased : undefined;
  };
  const unitNames = names.filter((n) => variants[n] === null);
  const shape =
    unitNames.length === 0
      ? `an object with one key, one of ${list}`
      : `${unitNames.map((n) => `"${n}"`).join(" or ")} or an object with one key, one of ${list}`;

  return z.unknown().transform((input, ctx): TaggedOutput<V> => {
    let tag: string;
    let bare: boolean;
    let payload: unknown;
    if (typeof input === "string") {
      tag = input;
      bare = true;
    } else if (isJsonObject(input)) {
      const keys = Object.keys(input);
      if (keys.length !== 1 || keys[0] === undefined) {
        const found = keys.length === 0 ? "an empty object" : `keys ${keys.join(", ")}`;
        addProblem(ctx, input, `expected exactly one of ${list}, found ${found}`, shape);
        return z.NEVER;
      }
      tag = keys[0];
      bare = false;
      payload = input[tag];
    } else {
      addProblem(ctx, input, expectedFound(input, shape), shape);
      return z.NEVER;
    }

    const name = canonicalName(tag);
    if (name === undefined) {
      addProblem(ctx, input, `'${tag}' is not one of ${list}${note}`, `one of ${list}`);
      return z.NEVER;
    }
    const schema = variants[name];
    if (schema === null || schema === undefined) {
      if (!bare) {
        addProblem(ctx, input, `'${tag}' takes no value: write "${tag}"`, `"${tag}"`);
        return z.NEVER;
      }
      return { type: name } as TaggedOutput<V>;
    }
    if (bare) {
      addProblem(ctx, input, `'${tag}' needs a value: write {"${tag}": ...}`, `{"${tag}": ...}`);
      return z.NEVER;
    }
    const parsed = schema.safeParse(payload, { reportInput: true });
    if (!parsed.success) {
      for (const issue of parsed.error.issues)
        ctx.addIssue({ ...issue, path: [tag, ...issue.path] });
      return z.NEVER;
    }
    return { type: name, ...parsed.data } as TaggedOutput<V>;
  });
}
