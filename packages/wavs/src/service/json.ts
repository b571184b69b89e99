/** A JSON value as produced by JSON.parse and accepted by JSON.stringify. */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** A JSON object. */
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Whether a value is a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Build an object from entries without the `__proto__` trap: a plain assignment of the key
 * `__proto__` would change the prototype instead of adding a property, silently losing it.
 */
export function objectFromEntries<V>(entries: Iterable<readonly [string, V]>): Record<string, V> {
  const out: Record<string, V> = {};
  for (const [key, value] of entries) {
    Object.defineProperty(out, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/** Nesting deeper than this is refused before parsing: a service JSON needs about ten levels. */
export const MAX_JSON_DEPTH = 64;

/**
 * How deep the arrays and objects of JSON text nest, stopping as soon as `limit` is passed
 * (returns `limit + 1` then). One linear pass over the characters, strings skipped: a hostile
 * document of millions of nested `[` is refused in milliseconds, before JSON.parse would build
 * millions of arrays on the event loop.
 */
export function jsonNestingDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) {
        deepest = depth;
        if (deepest > limit) return deepest;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}
