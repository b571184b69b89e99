/**
 * Loading the config once, in one place: `.env`, then wavs.toml (`[default]` then `[wavs]` or
 * `[cli]`), then `WAVS_*` environment variables, then flags; flag > env > file > default.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { parse as parseToml, TomlError } from "smol-toml";
import { WavsError } from "../internal/index.js";
import { configError, configProblems } from "./config-error.js";
import { didYouMean } from "./did-you-mean.js";
import { readDotenvFile } from "./dotenv.js";
import { envLayers, flagLayers, isTable, type Layer, mergeLayers } from "./layers.js";
import type { OriginMap } from "./origin.js";
import { AggregatorConfigSchema, type WavsConfig, WavsConfigSchema } from "./schema.js";

/** The config file name. */
export const CONFIG_FILE_NAME = "wavs.toml";

/** Sections of wavs.toml a process reads: shared `[default]`, then its own. */
export type ConfigSection = "wavs" | "cli";

// `[aggregator]` belongs to the reference's separate aggregator process, which may share the
// file; it is accepted and not read.
const SECTIONS = ["default", "wavs", "cli", "aggregator"];

/** Options for `loadConfig`. */
export interface LoadConfigOptions {
  /** `--home`: directory searched first for wavs.toml and .env; else WAVS_HOME. */
  home?: string | undefined;
  /** Directory searched second; default the process's current directory. */
  cwd?: string | undefined;
  /** Environment; default process.env. Never modified: .env values are merged into a copy. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Parsed CLI options (camelCase or snake_case); keys that are not config fields are ignored. */
  flags?: Record<string, unknown> | undefined;
  /** Which section overrides `[default]`: `wavs` for the node, `cli` for the CLI. */
  section: ConfigSection;
}

/** The result of `loadConfig`. */
export interface LoadedConfig {
  config: WavsConfig;
  /** The wavs.toml that was read, or undefined when none was found (defaults apply). */
  file: string | undefined;
  /** The environment with .env values added (set variables win); components' WAVS_ENV_* come from it. */
  env: Record<string, string>;
}

function expandHome(path: string, userHome: string): string {
  if (path === "~") return userHome;
  if (path.startsWith("~/")) return join(userHome, path.slice(2));
  return path;
}

/** Where wavs.toml is looked for, in order (the first that exists wins). */
export function configSearchPaths(options: {
  home?: string | undefined;
  cwd: string;
  userHome: string;
  env: Readonly<Record<string, string | undefined>>;
}): string[] {
  const dirs: string[] = [];
  if (options.home !== undefined) dirs.push(options.home);
  dirs.push(options.cwd, join(options.userHome, ".wavs"));
  const xdg = options.env.XDG_CONFIG_HOME;
  if (xdg !== undefined && xdg !== "") dirs.push(join(xdg, "wavs"));
  dirs.push(join(options.userHome, ".config", "wavs"), "/etc/wavs");
  return [...new Set(dirs.map((d) => join(d, CONFIG_FILE_NAME)))];
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function readToml(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "an I/O error";
    throw new WavsError("WAVS_ERR_CONFIG_INVALID", `${file}: cannot be read (${code})`, {
      details: { file },
      hint: "Check the file's permissions, or point --home / WAVS_HOME elsewhere.",
      cause: err,
    });
  }
  try {
    return parseToml(text, { integersAsBigInt: "asNeeded" });
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    // Only the first line of the message: the rest quotes the file, which may hold secrets.
    const reason = (err.message.split("\n")[0] ?? "").replace(/^Invalid TOML document: /, "");
    throw new WavsError(
      "WAVS_ERR_CONFIG_INVALID",
      `${basename(file)} line ${err.line}, column ${err.column}: ${reason}`,
      {
        details: { file, line: err.line, column: err.column },
        hint: `Fix the TOML syntax in ${file}.`,
      },
    );
  }
}

/** The `[default]` and section layers of a parsed wavs.toml, after checking its sections. */
function fileLayers(file: string, doc: Record<string, unknown>, section: ConfigSection): Layer[] {
  const name = basename(file);
  for (const [key, value] of Object.entries(doc)) {
    if (SECTIONS.includes(key) && isTable(value)) continue;
    const fail = (message: string, hint: string) =>
      new WavsError("WAVS_ERR_CONFIG_INVALID", `${name}: ${message}`, {
        details: { file, key },
        hint,
      });
    if (SECTIONS.includes(key)) {
      throw fail(`[${key}] must be a table`, `Write [${key}] on its own line, then its keys.`);
    }
    if (isTable(value)) {
      const suggestion = didYouMean(key, SECTIONS);
      throw fail(
        `unknown section [${key}]${suggestion === undefined ? "" : ` (did you mean [${suggestion}]?)`}`,
        "Sections are [default] (shared), [wavs] (the node) and [cli].",
      );
    }
    throw fail(
      `key ${JSON.stringify(key)} is outside any section`,
      "Move it under [default] (shared by node and CLI) or [wavs] (node only).",
    );
  }
  // the reference aggregator's section is not read: our aggregator keys there would be lost
  const foreign = doc.aggregator;
  const misplaced = isTable(foreign)
    ? Object.keys(foreign).find((key) => Object.hasOwn(AggregatorConfigSchema.shape, key))
    : undefined;
  if (misplaced !== undefined) {
    throw new WavsError(
      "WAVS_ERR_CONFIG_INVALID",
      `${name}: ${misplaced} in [aggregator] is not read ([aggregator] is the reference aggregator's own section)`,
      {
        details: { file, key: `aggregator.${misplaced}` },
        hint: `Move it to [wavs.aggregator] (or [default.aggregator]).`,
      },
    );
  }
  const layers: Layer[] = [];
  for (const s of ["default", section]) {
    const values = doc[s];
    if (isTable(values)) layers.push({ origin: { kind: "file", file, section: s }, values });
  }
  return layers;
}

/** Parse merged layers into the typed config, or throw one error listing every problem. */
function parseLayers(raw: Record<string, unknown>, origins: OriginMap): WavsConfig {
  const result = WavsConfigSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw configError(configProblems(result.error, origins));
  return result.data;
}

/** Read `.env` files (home first, then cwd) under the given environment, which always wins. */
function withDotenv(
  env: Readonly<Record<string, string | undefined>>,
  dirs: readonly string[],
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) merged[key] = value;
  for (const dir of new Set(dirs)) {
    const values = readDotenvFile(join(dir, ".env"));
    if (values === undefined) continue;
    for (const [key, value] of Object.entries(values)) {
      if (!Object.hasOwn(merged, key)) merged[key] = value;
    }
  }
  return merged;
}

/**
 * Load the effective config: `.env` (home, then cwd; never overriding set variables),
 * wavs.toml from the first search path that has one, `WAVS_<FIELD>` variables and flags.
 * Throws WAVS_ERR_CONFIG_INVALID naming the file and section, variable or flag at fault.
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const cwd = resolve(options.cwd ?? process.cwd());
  const baseEnv = options.env ?? process.env;
  const userHome = baseEnv.HOME !== undefined && baseEnv.HOME !== "" ? baseEnv.HOME : homedir();
  const flags = options.flags ?? {};
  const toDir = (dir: string) => resolve(cwd, expandHome(dir, userHome));

  const flagHome = typeof flags.home === "string" ? flags.home : undefined;
  let home = options.home ?? flagHome ?? nonEmpty(baseEnv.WAVS_HOME);
  let env = withDotenv(baseEnv, home === undefined ? [cwd] : [toDir(home), cwd]);
  // WAVS_HOME may itself come from the cwd's .env; then that home's .env is read too.
  if (home === undefined && nonEmpty(env.WAVS_HOME) !== undefined) {
    home = env.WAVS_HOME;
    env = withDotenv(env, [toDir(env.WAVS_HOME as string)]);
  }
  const homeDir = home === undefined ? undefined : toDir(home);

  const file = configSearchPaths({ home: homeDir, cwd, userHome, env }).find(isFile);
  const layers: Layer[] = [
    ...(file === undefined ? [] : fileLayers(file, readToml(file), options.section)),
    ...envLayers(env, options.section),
    ...flagLayers(flags),
  ];
  const { raw, origins } = mergeLayers(layers);
  const config = parseLayers(raw, origins);

  // A relative data path in wavs.toml is relative to that file; from env or flag, to the cwd.
  const dataOrigin = origins.get(["data"]);
  const base = dataOrigin?.kind === "file" ? dirname(dataOrigin.file) : cwd;
  const data = expandHome(config.data, userHome);
  config.data = isAbsolute(data) ? data : resolve(base, data);
  return { config, file, env };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === "" ? undefined : value;
}
