/**
 * Where each config value came from (a wavs.toml section, an env var, a flag), so a problem
 * can name the exact place to fix: `wavs.toml [wavs] port`, `WAVS_PORT`, `--port`.
 */
import { basename } from "node:path";

/** The source of one value. */
export type Origin =
  | { kind: "file"; file: string; section: string }
  | { kind: "env"; name: string }
  | { kind: "flag"; name: string };

/** The origin of every value set by a layer, by path; lookups find the nearest recorded parent. */
export class OriginMap {
  private readonly byPath = new Map<string, Origin>();

  /** Record that `origin` set the value at `path`. */
  set(path: readonly PropertyKey[], origin: Origin): void {
    this.byPath.set(key(path), origin);
  }

  /** The origin of the value at `path`, or of its nearest parent that has one. */
  get(path: readonly PropertyKey[]): Origin | undefined {
    for (let n = path.length; n > 0; n--) {
      const found = this.byPath.get(key(path.slice(0, n)));
      if (found) return found;
    }
    return undefined;
  }
}

function key(path: readonly PropertyKey[]): string {
  return path.map(String).join("\u0000");
}

/** Render a path below some point: `ws_endpoints[0]`, `local.listen_port`. */
export function formatSubPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else {
      const name = String(segment);
      const shown = /^[A-Za-z0-9_-]+$/.test(name) ? name : JSON.stringify(name);
      out += out === "" ? shown : `.${shown}`;
    }
  }
  return out;
}

/** The flag spelling of a field: `max_body_size_mb` -> `--max-body-size-mb`. */
export function flagName(field: string): string {
  return `--${field.replaceAll("_", "-")}`;
}

/**
 * Where a value at `path` is, in the words of its origin:
 * `wavs.toml [wavs] port`, `wavs.toml [default.chains.evm.31337] ws_endpoints[0]`,
 * `WAVS_P2P local.listen_port`, `--port`.
 */
export function describeLocation(origin: Origin | undefined, path: readonly PropertyKey[]): string {
  if (origin === undefined) return formatSubPath(path) || "config";
  if (origin.kind === "file") {
    const name = basename(origin.file);
    // Chains live in their own TOML tables, so name the table as the user wrote it.
    if (path[0] === "chains") {
      const depth = Math.min(path.length, 3);
      const table = formatSubPath([origin.section, ...path.slice(0, depth)]);
      const rest = formatSubPath(path.slice(depth));
      return `${name} [${table}]${rest === "" ? "" : ` ${rest}`}`;
    }
    const rest = formatSubPath(path);
    return `${name} [${origin.section}]${rest === "" ? "" : ` ${rest}`}`;
  }
  // An env var or flag sets a whole top-level field; show what lies below it, if anything.
  const rest = formatSubPath(path.slice(1));
  return `${origin.name}${rest === "" ? "" : ` ${rest}`}`;
}
