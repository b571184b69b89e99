/**
 * The `wasmd` binary of the local Cosmos chain, built from the Go module proxy and cached.
 * `go install ...@version` refuses wasmd (its go.mod has `replace` lines), so the module's own
 * source is copied out of the module cache and built in place, where its replaces apply. CGO
 * links `libwasmvm`, a prebuilt shared library shipped inside the wasmvm module; it is copied
 * beside the binary and found through LD_LIBRARY_PATH (see `wasmdEnv`). The first build
 * downloads a few hundred modules and compiles for several minutes; later calls find the
 * cached binary at once. Concurrent callers (parallel test files) wait for one build.
 */
import { execFile, spawn } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type Progress, WavsError } from "../internal/index.js";
import { withFileLock } from "./file-lock.js";

const run = promisify(execFile);

/** The wasmd release the local chain runs (CosmWasm 3, wasmvm 3). */
export const WASMD_VERSION = "v0.70.3";

/** Where built binaries are kept: `$XDG_CACHE_HOME/wavs-ts/wasmd/<version>`. */
export function wasmdCacheDir(version = WASMD_VERSION): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), ".cache");
  return join(cache, "wavs-ts", "wasmd", version);
}

/** The environment a cached wasmd runs with: its libwasmvm found beside it. */
export function wasmdEnv(dir = wasmdCacheDir()): NodeJS.ProcessEnv {
  const prior = process.env.LD_LIBRARY_PATH;
  return { ...process.env, LD_LIBRARY_PATH: prior ? `${dir}:${prior}` : dir };
}

/** The path of a cached wasmd binary, building it first when missing. */
export async function ensureWasmd(progress?: Progress, version = WASMD_VERSION): Promise<string> {
  const dir = wasmdCacheDir(version);
  const binary = join(dir, "wasmd");
  if (existsSync(join(dir, "ok"))) return binary;
  mkdirSync(dir, { recursive: true });
  await withFileLock(join(dir, "..", `${version}.lock`), async () => {
    if (existsSync(join(dir, "ok"))) return;
    await build(dir, version, progress);
  });
  return binary;
}

async function build(dir: string, version: string, progress?: Progress): Promise<void> {
  const go = await goPath();
  const work = `${dir}.build-${process.pid}`;
  rmSync(work, { recursive: true, force: true });
  try {
    progress?.update(`wasmd ${version}: downloading the module`);
    const { stdout } = await run(
      go,
      ["mod", "download", "-json", `github.com/CosmWasm/wasmd@${version}`],
      {
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    const source = JSON.parse(stdout) as { Dir?: string; Error?: string };
    if (!source.Dir) throw new Error(source.Error ?? "go mod download gave no directory");
    // the module cache is read-only: build in a writable copy
    cpSync(source.Dir, join(work, "src"), { recursive: true });
    await run("chmod", ["-R", "u+w", join(work, "src")]);
    progress?.update(`wasmd ${version}: building (several minutes the first time)`);
    await goBuild(go, join(work, "src"), join(work, "wasmd"), progress, version);
    const lib = await wasmvmLibrary(go, join(work, "src"));
    mkdirSync(dir, { recursive: true });
    renameSync(join(work, "wasmd"), join(dir, "wasmd"));
    cpSync(lib, join(dir, "libwasmvm.x86_64.so"));
    writeFileSync(join(dir, "ok"), `${version}\n`);
    progress?.done(`wasmd ${version} built: ${join(dir, "wasmd")}`);
  } catch (err) {
    throw new WavsError("WAVS_ERR_DEV_NETWORK", `building wasmd ${version} failed`, {
      details: { version, error: String((err as Error).message ?? err).slice(0, 2000) },
      hint: "wasmd is built with Go from the module proxy; check that `go` runs and GOPROXY is reachable.",
      cause: err,
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `go build ./cmd/wasmd`, with a line of progress per minute (it prints nothing meanwhile). */
function goBuild(
  go: string,
  src: string,
  out: string,
  progress: Progress | undefined,
  version: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(go, ["build", "-o", out, "./cmd/wasmd"], {
      cwd: src,
      env: { ...process.env, CGO_ENABLED: "1", GOFLAGS: "-mod=mod" },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8000);
    });
    const tick = setInterval(() => {
      const minutes = Math.round((Date.now() - started) / 60_000);
      progress?.update(`wasmd ${version}: building, ${minutes} min so far`);
    }, 60_000);
    child.on("error", reject);
    child.on("exit", (code) => {
      clearInterval(tick);
      if (code === 0) resolve();
      else reject(new Error(`go build exited with ${code}: ${stderr}`));
    });
  });
}

/** The prebuilt libwasmvm of the wasmvm module wasmd requires. */
async function wasmvmLibrary(go: string, src: string): Promise<string> {
  const { stdout } = await run(go, ["list", "-m", "-json", "github.com/CosmWasm/wasmvm/v3"], {
    cwd: src,
  });
  const dir = (JSON.parse(stdout) as { Dir?: string }).Dir;
  const apiDir = dir && join(dir, "internal", "api");
  const lib = apiDir && readdirSync(apiDir).find((f) => f === "libwasmvm.x86_64.so");
  if (!apiDir || !lib) throw new Error(`no libwasmvm.x86_64.so in the wasmvm module (${dir})`);
  return join(apiDir, lib);
}

async function goPath(): Promise<string> {
  for (const candidate of ["go", "/usr/local/go/bin/go"]) {
    try {
      await run(candidate, ["version"]);
      return candidate;
    } catch {
      // next
    }
  }
  throw new Error("Go is not installed (looked for `go` on PATH and /usr/local/go/bin/go)");
}
