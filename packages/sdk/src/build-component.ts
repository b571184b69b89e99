import { createHash, randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import {
  copyFile,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  utimes,
  writeFile,
} from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { WavsError } from "@wavs-ts/errors";
import type { BuildOptions, Message, Plugin } from "esbuild";
import {
  assembleWitDir,
  WASI_WIT_VERSION,
  WORLD_IDS,
  type WorldName,
  witSourceDir,
} from "./wit-dir.js";

/** Features of the componentize-js engine (StarlingMonkey) that can be switched off. */
export type EngineFeature = "stdio" | "random" | "clocks" | "http" | "fetch-event";

/** Options of {@link buildComponent}. */
export interface BuildComponentOptions {
  /** The component's entry module, TypeScript or JavaScript. */
  entry: string;
  /** Where to write the component (.wasm). */
  out: string;
  /** The world the component targets. Default: operator. */
  world?: WorldName;
  /** Progress lines for humans (bundling, cache hit, componentizing, done). */
  onProgress?: (msg: string) => void;
  /** Directory of built components by cache key. Default: `$WAVS_COMPONENT_CACHE` or `<repo>/.cache/components`. */
  cacheDir?: string;
  /** Skip the cache lookup (the result is still stored). */
  force?: boolean;
  /**
   * Engine features to leave out. Default: `["fetch-event"]`, since neither WAVS world exports
   * `wasi:http/incoming-handler`; `http` stays on so `fetch()` works.
   */
  disableFeatures?: EngineFeature[];
  /**
   * Turn anything the exported functions throw (an Error, a string) into the `err` string of
   * their result. Default true; when false a thrown Error traps the component.
   */
  wrapErrors?: boolean;
}

/** What {@link buildComponent} produced. */
export interface BuildComponentResult {
  /** sha256 of the component bytes, lowercase hex without prefix (the WAVS component digest). */
  digest: string;
  /** Size of the component in bytes. */
  bytes: number;
  /** True when the component came from the cache and componentize-js did not run. */
  cached: boolean;
}

/** Details attached to a {@link ComponentBuildError}. */
export type ComponentBuildErrorDetails = {
  entry?: string;
  file?: string;
  line?: number;
  column?: number;
  world?: WorldName;
  missingExports?: string[];
  bundlePath?: string;
};

/**
 * Raised when a component cannot be built (`WAVS_ERR_COMPONENT_BUILD`): the message names the
 * file, the hint what to do, the details where.
 */
export class ComponentBuildError extends WavsError {
  override readonly name = "ComponentBuildError";
  declare readonly details: ComponentBuildErrorDetails;

  constructor(
    message: string,
    options: { hint?: string; details?: ComponentBuildErrorDetails; cause?: unknown } = {},
  ) {
    super("WAVS_ERR_COMPONENT_BUILD", message, { ...options, details: options.details ?? {} });
  }
}

/** The JS export names each world requires (jco camelCases the WIT names). */
export const WORLD_EXPORTS: Record<WorldName, readonly string[]> = {
  operator: ["run"],
  aggregator: ["processInput", "handleTimerCallback", "handleSubmitCallback"],
};

const EXPORT_HINTS: Record<WorldName, string> = {
  operator: "export function run(action: TriggerAction): WasmResponse[]",
  aggregator:
    "export function processInput(input: AggregatorInput): AggregatorAction[], " +
    "handleTimerCallback(input: AggregatorInput): AggregatorAction[] and " +
    "handleSubmitCallback(input: AggregatorInput, txResult: TxResult): void",
};

const DEFAULT_DISABLED: EngineFeature[] = ["fetch-event"];

/** Build a WAVS component from a TypeScript or JavaScript entry: esbuild bundle, then componentize-js. */
export async function buildComponent(opts: BuildComponentOptions): Promise<BuildComponentResult> {
  const world = opts.world ?? "operator";
  const entry = resolve(opts.entry);
  const out = resolve(opts.out);
  const progress = opts.onProgress ?? (() => {});
  const disabled = [...new Set(opts.disableFeatures ?? DEFAULT_DISABLED)].sort();
  if (!(world in WORLD_IDS)) {
    throw new ComponentBuildError(`unknown world "${String(world)}" for ${entry}`, {
      hint: "use --world operator or --world aggregator",
      details: { entry },
    });
  }
  if (!existsSync(entry) || !statSync(entry).isFile()) {
    throw new ComponentBuildError(`component entry ${entry} does not exist`, {
      hint: "pass the path of the component's index.ts or index.js",
      details: { entry, world },
    });
  }

  progress(`bundling ${displayPath(entry)} (${world} world)`);
  const js = await bundle(entry, world, opts.wrapErrors ?? true);
  const cacheDir = resolve(opts.cacheDir ?? defaultCacheDir());
  const key = cacheKey(js, world, disabled);
  const cached = join(cacheDir, `${key}.wasm`);

  if (!opts.force && existsSync(cached)) {
    progress(`cache hit ${key.slice(0, 12)} for ${displayPath(entry)}`);
    // Mark the entry as used so pruning keeps it.
    await utimes(cached, new Date(), new Date()).catch(() => {});
    return await deliver(cached, out, true);
  }

  await mkdir(cacheDir, { recursive: true });
  // Builds take ~15 s; a per-key lock keeps parallel test files and CI jobs from repeating one.
  const release = await acquireLock(join(cacheDir, `${key}.lock`), progress, entry);
  try {
    if (!opts.force && existsSync(cached)) {
      progress(`cache hit ${key.slice(0, 12)} for ${displayPath(entry)} (built concurrently)`);
      return await deliver(cached, out, true);
    }
    const started = Date.now();
    progress(`componentizing ${displayPath(entry)} against ${WORLD_IDS[world]}`);
    const wasm = await componentizeBundle(js, entry, world, disabled);
    await writeAtomic(cached, wasm);
    await pruneCache(cacheDir);
    const result = await deliver(cached, out, false);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    progress(`built ${displayPath(out)} (${formatSize(wasm.length)}) in ${secs} s`);
    return result;
  } finally {
    await release();
  }
}

async function bundle(entry: string, world: WorldName, wrapErrors: boolean): Promise<string> {
  const esbuild = await import("esbuild");
  const common: BuildOptions = {
    bundle: true,
    write: false,
    outfile: "component.js",
    format: "esm",
    platform: "neutral",
    target: "es2022",
    mainFields: ["module", "main"],
    metafile: true,
    logLevel: "silent",
    legalComments: "none",
  };
  let result: Awaited<ReturnType<typeof esbuild.build>>;
  try {
    result = await esbuild.build({
      ...common,
      entryPoints: [entry],
      plugins: [componentImports()],
    });
  } catch (err) {
    throw bundleError(err, entry, world);
  }
  const output = result.outputFiles?.[0];
  if (output === undefined)
    throw new ComponentBuildError(`esbuild produced no output for ${entry}`);
  const exported = new Set(Object.values(result.metafile?.outputs ?? {}).flatMap((o) => o.exports));
  checkExports(entry, world, exported);
  if (!wrapErrors) return output.text;

  // Second pass: re-export the world's functions through a wrapper that turns anything thrown
  // into the err string. Without it componentize-js traps on a thrown Error ("expected a
  // string, received [object]") instead of returning err.
  const userModule = output.text;
  try {
    const wrapped = await esbuild.build({
      ...common,
      stdin: { contents: errorWrapperSource(world), loader: "js", resolveDir: dirname(entry) },
      plugins: [
        {
          name: "wavs-user-module",
          setup(build) {
            build.onResolve({ filter: /^wavs-user:entry$/ }, () => ({
              path: "entry",
              namespace: "wavs-user",
            }));
            build.onLoad({ filter: /.*/, namespace: "wavs-user" }, () => ({
              contents: userModule,
              loader: "js",
            }));
          },
        },
        componentImports(),
      ],
    });
    const text = wrapped.outputFiles?.[0]?.text;
    if (text === undefined) throw new Error("esbuild produced no output");
    return text;
  } catch (err) {
    throw bundleError(err, entry, world);
  }
}

/** The generated entry that wraps the user's exports (kept small: it is bundled into every component). */
function errorWrapperSource(world: WorldName): string {
  const names = WORLD_EXPORTS[world];
  return [
    'import * as user from "wavs-user:entry";',
    "const own = Object.prototype.hasOwnProperty;",
    "function toErr(e) {",
    '  if (typeof e === "string") return e;',
    '  if (e !== null && typeof e === "object" && own.call(e, "payload")) {',
    "    const p = e.payload;",
    '    if (typeof p === "string") return p;',
    // An import's err value, e.g. a keyvalue error { tag: "other", val: "..." }.
    '    if (p !== null && typeof p === "object" && typeof p.tag === "string")',
    '      return p.val === undefined ? p.tag : p.tag + ": " + String(p.val);',
    "    return String(p);",
    "  }",
    // Duck-typed, not instanceof: errors raised by componentize-js' bindings come from another realm.
    '  if (e !== null && typeof e === "object" && typeof e.message === "string") {',
    '    const name = typeof e.name === "string" ? e.name : "Error";',
    "    const msg = e.message || name;",
    '    return name === "Error" ? msg : name + ": " + msg;',
    "  }",
    '  try { return String(e); } catch { return "component threw a value that cannot be printed"; }',
    "}",
    "function wrap(f) {",
    "  return function (...args) {",
    "    let r;",
    "    try { r = f.apply(this, args); } catch (e) { throw toErr(e); }",
    '    if (r !== null && typeof r === "object" && typeof r.then === "function")',
    "      return r.then(undefined, (e) => { throw toErr(e); });",
    "    return r;",
    "  };",
    "}",
    ...names.map((n) => `export const ${n} = wrap(user.${n});`),
    "",
  ].join("\n");
}

function bundleError(err: unknown, entry: string, world: WorldName): ComponentBuildError {
  const errors = (err as { errors?: Message[] }).errors ?? [];
  const first = errors[0];
  if (first === undefined) {
    return new ComponentBuildError(`bundling ${entry} failed: ${(err as Error).message}`, {
      details: { entry, world },
      cause: err,
    });
  }
  const loc = first.location;
  return new ComponentBuildError(
    `cannot bundle component ${entry}:\n${errors.map((m) => `  ${formatMessage(m)}`).join("\n")}`,
    {
      hint: "fix the error at the location above and build again",
      details: {
        entry,
        world,
        ...(loc ? { file: resolve(loc.file), line: loc.line, column: loc.column + 1 } : {}),
      },
      cause: err,
    },
  );
}

function checkExports(entry: string, world: WorldName, exported: Set<string>): void {
  const missing = WORLD_EXPORTS[world].filter((name) => !exported.has(name));
  if (missing.length === 0) return;
  let hint = EXPORT_HINTS[world];
  if (world === "operator" && exported.has("processInput"))
    hint += "; this looks like an aggregator component: build it with --world aggregator";
  if (world === "aggregator" && exported.has("run"))
    hint += "; this looks like an operator component: build it with --world operator";
  throw new ComponentBuildError(
    `component ${entry} does not export ${missing.join(", ")}, required by the ${world} world (${WORLD_IDS[world]})`,
    { hint, details: { entry, world, missingExports: missing } },
  );
}

function formatMessage(m: Message): string {
  const loc = m.location;
  if (!loc) return m.text;
  return `${resolve(loc.file)}:${loc.line}:${loc.column + 1}: ${m.text}${loc.lineText ? `\n      ${loc.lineText.trim()}` : ""}`;
}

/**
 * Keeps every import that names a WIT interface external (componentize-js binds them), pins
 * standard WASI 0.2.x imports to the version in our WIT (StarlingMonkey matches specifiers
 * exactly), and points `@wavs-ts/sdk` at the guest helpers so node-only code never gets bundled.
 */
function componentImports(): Plugin {
  const guestEntry = guestSourceEntry();
  return {
    name: "wavs-component-imports",
    setup(build) {
      build.onResolve({ filter: /^(host$|wasi:|wavs:)/ }, (args) => ({
        path: normaliseWitImport(args.path),
        external: true,
      }));
      build.onResolve({ filter: /^@wavs-ts\/sdk(\/guest)?$/ }, () => ({ path: guestEntry }));
    },
  };
}

/**
 * Rewrite `wasi:pkg/iface` and `wasi:pkg/iface@0.2.x` to the WASI version our WIT declares, and an
 * unversioned `wasi:keyvalue/iface` to the 0.2.0-draft2 the worlds import.
 */
export function normaliseWitImport(spec: string): string {
  const kv = /^wasi:keyvalue\/([a-z][a-z0-9-]*)$/.exec(spec);
  if (kv !== null) return `${spec}@0.2.0-draft2`;
  const m = /^wasi:([a-z][a-z0-9-]*)\/([a-z][a-z0-9-]*)(?:@0\.2\.\d+)?$/.exec(spec);
  if (m === null || m[1] === "keyvalue") return spec;
  return `wasi:${m[1]}/${m[2]}@${WASI_WIT_VERSION}`;
}

function guestSourceEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // From dist/ the TypeScript sources sit in ../src; esbuild bundles them directly.
  const candidates = [
    join(here, "guest", "index.ts"),
    join(here, "..", "src", "guest", "index.ts"),
  ];
  const found = candidates.find((p) => existsSync(p));
  return found ?? join(here, "guest", "index.js");
}

function componentizeVersion(): string {
  // its package.json is not exported, so find it on the resolution paths by hand
  const name = "@bytecodealliance/componentize-js";
  const dirs = createRequire(import.meta.url).resolve.paths(name) ?? [];
  const file = dirs.map((d) => join(d, name, "package.json")).find((f) => existsSync(f));
  if (!file) throw new ComponentBuildError(`${name} is not installed; run npm ci`);
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

let witDigest: string | undefined;

function witSourcesDigest(): string {
  if (witDigest !== undefined) return witDigest;
  const h = createHash("sha256");
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(`${relative(witSourceDir(), p)}\0`).update(readFileSync(p));
    }
  };
  walk(witSourceDir());
  h.update(`wasi@${WASI_WIT_VERSION}`);
  witDigest = h.digest("hex");
  return witDigest;
}

function cacheKey(js: string, world: WorldName, disabled: string[]): string {
  return createHash("sha256")
    .update(`wavs-component-v1\0${world}\0${componentizeVersion()}\0${witSourcesDigest()}\0`)
    .update(`${disabled.join(",")}\0`)
    .update(js)
    .digest("hex");
}

async function componentizeBundle(
  js: string,
  entry: string,
  world: WorldName,
  disabled: EngineFeature[],
): Promise<Uint8Array> {
  const work = await mkdtemp(join(tmpdir(), "wavs-component-"));
  const sourcePath = join(work, "component.js");
  await writeFile(sourcePath, js);
  const witPath = assembleWitDir(world, join(work, "wit"));
  let keep = false;
  try {
    const { componentize } = await import("@bytecodealliance/componentize-js");
    const { component } = await componentize({
      sourcePath,
      witPath,
      worldName: WORLD_IDS[world],
      disableFeatures: disabled,
    });
    return component;
  } catch (err) {
    keep = true;
    // The engine's wasm backtrace (anonymous function indexes) tells a component author nothing.
    const msg = ((err as Error).message ?? String(err))
      .split("\n")
      .filter((l) => !/^\s*\d+: 0x[0-9a-f]+ - <unknown>!<wasm function \d+>\s*$/.test(l))
      .join("\n");
    throw new ComponentBuildError(
      `componentize-js failed for ${entry} (${world} world):\n${indent(msg.trim())}`,
      {
        hint:
          `line numbers above refer to the bundled module kept at ${sourcePath}; ` +
          "top-level code runs at build time, so move work that needs host calls into the exported functions",
        details: { entry, world, bundlePath: sourcePath },
        cause: err,
      },
    );
  } finally {
    if (!keep) await rm(work, { recursive: true, force: true });
    else await rm(join(work, "wit"), { recursive: true, force: true });
  }
}

async function deliver(
  cached: string,
  out: string,
  wasCached: boolean,
): Promise<BuildComponentResult> {
  const bytes = await readFile(cached);
  const digest = createHash("sha256").update(bytes).digest("hex");
  if (resolve(cached) !== out) {
    await mkdir(dirname(out), { recursive: true });
    // Copy then rename, so a reader of `out` (another test file) never sees half a file.
    const tmp = `${out}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    await copyFile(cached, tmp);
    await rename(tmp, out);
  }
  return { digest, bytes: bytes.length, cached: wasCached };
}

async function writeAtomic(path: string, data: Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, path);
}

const CACHE_MAX_AGE_MS = 14 * 24 * 3600_000;
const LOCK_STALE_MS = 10 * 60_000;

/**
 * Drop cached components unused for two weeks (each is ~17 MB and every source edit adds one),
 * and leftovers of killed builds: temporary files and locks of processes that are gone.
 */
async function pruneCache(cacheDir: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(cacheDir).catch(() => [] as string[])) {
    const p = join(cacheDir, name);
    if (/^[0-9a-f]{64}\.wasm$/.test(name)) {
      const info = await stat(p).catch(() => undefined);
      if (info && now - info.mtimeMs > CACHE_MAX_AGE_MS) await rm(p, { force: true });
    } else if (name.endsWith(".tmp")) {
      const info = await stat(p).catch(() => undefined);
      if (info && now - info.mtimeMs > LOCK_STALE_MS) await rm(p, { force: true });
    } else if (name.endsWith(".lock") && (await lockIsStale(p))) {
      await rm(p, { force: true });
    }
  }
}

async function acquireLock(
  path: string,
  progress: (msg: string) => void,
  entry: string,
): Promise<() => Promise<void>> {
  let announced = false;
  for (;;) {
    try {
      const fh = await open(path, "wx");
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return async () => {
        await rm(path, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    if (await lockIsStale(path)) {
      await rm(path, { force: true });
      continue;
    }
    if (!announced) {
      progress(`waiting for another build of ${displayPath(entry)} to finish`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function lockIsStale(path: string): Promise<boolean> {
  try {
    const [content, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
    if (Date.now() - info.mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number.parseInt(content, 10);
    if (!Number.isInteger(pid) || pid <= 0) return Date.now() - info.mtimeMs > 5_000;
    if (pid === process.pid) return false;
    try {
      process.kill(pid, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
  } catch {
    // The holder removed it between our attempts; try again at once.
    return false;
  }
}

/** The repository root (nearest ancestor with a workspaces package.json or .git), else cwd. */
export function findProjectRoot(from: string = process.cwd()): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, ".git"))) return dir;
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { workspaces?: unknown }).workspaces)
          return dir;
      } catch {
        // An unreadable package.json is not a root marker.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return resolve(from);
    dir = parent;
  }
}

/** Default cache directory for built components. */
export function defaultCacheDir(): string {
  return process.env.WAVS_COMPONENT_CACHE ?? join(findProjectRoot(), ".cache", "components");
}

function displayPath(p: string): string {
  const rel = relative(process.cwd(), p);
  return rel.startsWith("..") ? p : rel;
}

function formatSize(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${(n / 1024).toFixed(1)} KB`;
}

function indent(s: string): string {
  return s
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}
