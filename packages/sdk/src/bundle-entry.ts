/**
 * Bundling a component entry with esbuild: one ESM module for componentize-js, the world's
 * exports checked (and wrapped so a thrown error becomes the result's `err`), WIT-named
 * imports kept as imports, `@wavs-ts/sdk` resolved to the guest helpers.
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildOptions, Message, Plugin } from "esbuild";
import { ComponentBuildError } from "./component-build-error.js";
import { WASI_WIT_VERSION, WORLD_IDS, type WorldName } from "./wit-dir.js";

/** The JS export names each world requires (jco camelCases the WIT names). */
export const WORLD_EXPORTS: Record<WorldName, readonly string[]> = {
  operator: ["run"],
  aggregator: ["processInput", "handleTimerCallback", "handleSubmitCallback"],
};

export const EXPORT_HINTS: Record<WorldName, string> = {
  operator: "export function run(action: TriggerAction): WasmResponse[]",
  aggregator:
    "export function processInput(input: AggregatorInput): AggregatorAction[], " +
    "handleTimerCallback(input: AggregatorInput): AggregatorAction[] and " +
    "handleSubmitCallback(input: AggregatorInput, txResult: TxResult): void",
};

export async function bundle(
  entry: string,
  world: WorldName,
  wrapErrors: boolean,
): Promise<string> {
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
export function errorWrapperSource(world: WorldName): string {
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

export function bundleError(err: unknown, entry: string, world: WorldName): ComponentBuildError {
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

export function checkExports(entry: string, world: WorldName, exported: Set<string>): void {
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

export function formatMessage(m: Message): string {
  const loc = m.location;
  if (!loc) return m.text;
  return `${resolve(loc.file)}:${loc.line}:${loc.column + 1}: ${m.text}${loc.lineText ? `\n      ${loc.lineText.trim()}` : ""}`;
}

/**
 * Keeps every import that names a WIT interface external (componentize-js binds them), pins
 * standard WASI 0.2.x imports to the version in our WIT (StarlingMonkey matches specifiers
 * exactly), and points `@wavs-ts/sdk` at the guest helpers so node-only code never gets bundled.
 */
export function componentImports(): Plugin {
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

export function guestSourceEntry(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // From dist/ the TypeScript sources sit in ../src; esbuild bundles them directly.
  const candidates = [
    join(here, "guest", "index.ts"),
    join(here, "..", "src", "guest", "index.ts"),
  ];
  const found = candidates.find((p) => existsSync(p));
  return found ?? join(here, "guest", "index.js");
}
