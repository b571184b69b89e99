/**
 * Test helper: checks that a JS value has exactly the shape jco gives a WIT type, reading the
 * type definitions from the project's own .wit files, so a misspelt field, a missing case
 * payload or a number where a bigint belongs fails the test.
 */
import { readFileSync } from "node:fs";

type WitDef =
  | { kind: "record"; fields: [string, string][] }
  | { kind: "variant"; cases: [string, string | undefined][] }
  | { kind: "alias"; type: string };

const WIT_DIR = new URL("../../../sdk/wit/", import.meta.url);

/** Parse records, variants and type aliases of the given .wit files (relative to sdk/wit). */
export function loadWitDefs(files: readonly string[]): Map<string, WitDef> {
  const defs = new Map<string, WitDef>();
  for (const file of files) {
    const source = readFileSync(new URL(file, WIT_DIR), "utf8")
      .split("\n")
      .map((line) => line.replace(/\/\/.*$/, ""))
      .join("\n");
    for (const m of source.matchAll(/\b(record|variant)\s+([a-z0-9-]+)\s*\{([^}]*)\}/g)) {
      const [, kind, name = "", body = ""] = m;
      const items = splitTopLevel(body);
      if (kind === "record") {
        defs.set(name, {
          kind: "record",
          fields: items.map((item) => {
            const colon = item.indexOf(":");
            return [item.slice(0, colon).trim(), item.slice(colon + 1).trim()];
          }),
        });
      } else {
        defs.set(name, {
          kind: "variant",
          cases: items.map((item) => {
            const open = item.indexOf("(");
            return open < 0
              ? [item.trim(), undefined]
              : [item.slice(0, open).trim(), item.slice(open + 1, item.lastIndexOf(")")).trim()];
          }),
        });
      }
    }
    for (const m of source.matchAll(/\btype\s+([a-z0-9-]+)\s*=\s*([^;]+);/g)) {
      defs.set(m[1] ?? "", { kind: "alias", type: (m[2] ?? "").trim() });
    }
  }
  return defs;
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = "";
  for (const ch of s) {
    if (ch === "<" || ch === "(") depth++;
    if (ch === ">" || ch === ")") depth--;
    if (ch === "," && depth === 0) {
      out.push(current);
      current = "";
    } else current += ch;
  }
  out.push(current);
  return out.map((x) => x.trim()).filter((x) => x !== "");
}

/** jco's field name for a WIT name: `bech32-addr` -> `bech32Addr`. */
export function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

const INT_RANGES: Record<string, [bigint, bigint]> = {
  u64: [0n, (1n << 64n) - 1n],
  s64: [-(1n << 63n), (1n << 63n) - 1n],
};

/** Every mismatch between `value` and WIT type `type`, as `path: problem` strings. */
export function witMismatches(
  defs: Map<string, WitDef>,
  type: string,
  value: unknown,
  path = "$",
): string[] {
  const t = type.trim();
  const generic = /^(list|option|tuple)<(.*)>$/.exec(t);
  if (generic) {
    const [, kind, inner = ""] = generic;
    if (kind === "option") {
      if (value === undefined) return [];
      if (value === null) return [`${path}: null where option expects undefined`];
      return witMismatches(defs, inner, value, path);
    }
    if (kind === "list" && inner === "u8") {
      return value instanceof Uint8Array ? [] : [`${path}: expected Uint8Array`];
    }
    if (!Array.isArray(value)) return [`${path}: expected array for ${t}`];
    if (kind === "list")
      return value.flatMap((v, i) => witMismatches(defs, inner, v, `${path}[${i}]`));
    const parts = splitTopLevel(inner);
    if (value.length !== parts.length) return [`${path}: expected ${parts.length}-tuple`];
    return parts.flatMap((p, i) => witMismatches(defs, p, value[i], `${path}[${i}]`));
  }
  switch (t) {
    case "string":
      return typeof value === "string" ? [] : [`${path}: expected string`];
    case "bool":
      return typeof value === "boolean" ? [] : [`${path}: expected boolean`];
    case "f32":
      return typeof value === "number" ? [] : [`${path}: expected number (f32)`];
    case "u8":
    case "u32":
      return typeof value === "number" && Number.isInteger(value) && value >= 0
        ? []
        : [`${path}: expected integer number (${t})`];
    case "u64":
    case "s64": {
      const [min, max] = INT_RANGES[t] ?? [0n, 0n];
      return typeof value === "bigint" && value >= min && value <= max
        ? []
        : [`${path}: expected bigint (${t})`];
    }
  }
  const def = defs.get(t);
  if (def === undefined) return [`${path}: unknown WIT type ${t}`];
  if (def.kind === "alias") return witMismatches(defs, def.type, value, path);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return [`${path}: expected object for ${def.kind} ${t}`];
  }
  const obj = value as Record<string, unknown>;
  if (def.kind === "record") {
    const expected = def.fields.map(([name]) => camel(name));
    const extra = Object.keys(obj).filter((k) => !expected.includes(k));
    return [
      ...extra.map((k) => `${path}: unexpected field ${k} in record ${t}`),
      ...def.fields.flatMap(([name, fieldType]) =>
        witMismatches(defs, fieldType, obj[camel(name)], `${path}.${camel(name)}`),
      ),
    ];
  }
  const wanted = def.cases.find(([name]) => name === obj.tag);
  if (wanted === undefined) return [`${path}: tag ${String(obj.tag)} is not a case of ${t}`];
  const [caseName, payload] = wanted;
  const keys = Object.keys(obj).sort();
  if (payload === undefined) {
    return keys.join() === "tag" ? [] : [`${path}: case ${caseName} takes no val`];
  }
  if (keys.join() !== "tag,val") return [`${path}: case ${caseName} needs exactly tag and val`];
  return witMismatches(defs, payload, obj.val, `${path}.val`);
}

/** The definitions of wavs:types and wavs:operator. */
export const WAVS_WIT = loadWitDefs(["types/types.wit", "operator/operator.wit"]);
