/**
 * Config layers and how they combine: wavs.toml `[default]`, then `[wavs]` or `[cli]`, then
 * environment variables, then flags. Later layers win field by field; the `chains` table is
 * merged chain by chain and key by key, so a section can change one endpoint of one chain, and
 * the `aggregator` table key by key.
 */
import { configProblem } from "./config-error.js";
import { flagName, type Origin, OriginMap } from "./origin.js";
import { CONFIG_FIELDS, type ConfigField, FIELD_KINDS, type FieldKind } from "./schema.js";

/** Top-level values set by one source. */
export interface Layer {
  origin: Origin;
  values: Record<string, unknown>;
}

/** Whether a value is a table (a plain object, not a list or a date). */
export function isTable(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

// Objects without a prototype, so keys such as `__proto__` or `constructor` are plain data.
function emptyTable(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

function mergeTable(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  path: string[],
  depth: number,
  origin: Origin,
  origins: OriginMap,
): void {
  for (const [key, value] of Object.entries(source)) {
    const here = [...path, key];
    origins.set(here, origin);
    const existing = target[key];
    // Namespaces (depth 1) and chains (depth 2) are merged; a chain's own values replace.
    if (depth < 3 && isTable(value) && isTable(existing)) {
      mergeTable(existing, value, here, depth + 1, origin, origins);
    } else if (depth < 3 && isTable(value)) {
      const copy = emptyTable();
      mergeTable(copy, value, here, depth + 1, origin, origins);
      target[key] = copy;
    } else {
      target[key] = value;
    }
  }
}

/** Merge layers (lowest first) into one raw object, recording where each value came from. */
export function mergeLayers(layers: readonly Layer[]): {
  raw: Record<string, unknown>;
  origins: OriginMap;
} {
  const raw = emptyTable();
  const origins = new OriginMap();
  for (const { origin, values } of layers) {
    for (const [field, value] of Object.entries(values)) {
      if (value === undefined) continue;
      origins.set([field], origin);
      const existing = raw[field];
      if ((field === "chains" || field === "aggregator") && isTable(value)) {
        const target = isTable(existing) ? existing : emptyTable();
        // chains: namespaces and chains merge; aggregator: its own keys (depth 3: values replace)
        mergeTable(target, value, [field], field === "chains" ? 1 : 3, origin, origins);
        raw[field] = target;
      } else {
        raw[field] = value;
      }
    }
  }
  return { raw, origins };
}

const NUMBER_RE = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;
const TRUE = ["true", "1", "yes", "on"];
const FALSE = ["false", "0", "no", "off"];

/**
 * The value of a field given as text (env var or flag). Text that does not fit the kind is
 * kept as text, so the schema reports it as found: `expected a number, found "eighty"`.
 */
export function valueFromText(kind: FieldKind, text: string, origin: Origin): unknown {
  const trimmed = text.trim();
  switch (kind) {
    case "string":
      return text;
    case "number":
      return NUMBER_RE.test(trimmed) ? Number(trimmed) : text;
    case "u64":
      return /^\d+$/.test(trimmed) ? BigInt(trimmed) : text;
    case "boolean": {
      const lower = trimmed.toLowerCase();
      return TRUE.includes(lower) ? true : FALSE.includes(lower) ? false : text;
    }
    case "list":
      return trimmed
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
    case "json": {
      if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return trimmed;
      try {
        return JSON.parse(trimmed) as unknown;
      } catch {
        // JSON.parse messages quote the input, which may hold endpoint keys: say less.
        throw configProblem(origin, [], "is not valid JSON (expected a JSON table)");
      }
    }
  }
}

/**
 * Layers from environment variables, one per variable so problems name it: `WAVS_<FIELD>` for
 * every field, and for the CLI also `WAVS_CLI_<FIELD>` (the reference's CLI prefix), which
 * wins. Empty values count as unset.
 */
export function envLayers(
  env: Readonly<Record<string, string | undefined>>,
  section: string,
): Layer[] {
  const prefixes = section === "cli" ? ["WAVS_", "WAVS_CLI_"] : ["WAVS_"];
  const layers: Layer[] = [];
  for (const prefix of prefixes) {
    for (const field of CONFIG_FIELDS) {
      const name = `${prefix}${field.toUpperCase()}`;
      const text = env[name];
      if (text === undefined || text.trim() === "") continue;
      const origin: Origin = { kind: "env", name };
      layers.push({ origin, values: { [field]: valueFromText(FIELD_KINDS[field], text, origin) } });
    }
  }
  return layers;
}

/** The field a flag key names: `maxBodySizeMb`, `max_body_size_mb` or `max-body-size-mb`. */
export function fieldOfFlag(key: string): ConfigField | undefined {
  const snake = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replaceAll("-", "_");
  return (CONFIG_FIELDS as readonly string[]).includes(snake) ? (snake as ConfigField) : undefined;
}

/**
 * Layers from flags, one per flag. Keys that are not config fields are skipped: the CLI passes
 * all its options (`--component`, `--input`, ...), and undefined means the flag was not given.
 */
export function flagLayers(flags: Readonly<Record<string, unknown>>): Layer[] {
  const layers: Layer[] = [];
  for (const [key, given] of Object.entries(flags)) {
    const field = fieldOfFlag(key);
    if (field === undefined || given === undefined) continue;
    const origin: Origin = { kind: "flag", name: flagName(field) };
    const value =
      typeof given === "string" ? valueFromText(FIELD_KINDS[field], given, origin) : given;
    layers.push({ origin, values: { [field]: value } });
  }
  return layers;
}
