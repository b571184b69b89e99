// A minimal component runner for the SDK's own tests: jco transpile, preview2-shim for WASI, and
// small in-memory fakes of `host` and wasi:keyvalue. It is no sandbox (the real engine lives in
// packages/wavs); it only proves that built components behave.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { transpile } from "@bytecodealliance/jco";
import * as shim from "@bytecodealliance/preview2-shim";

export interface LoadedComponent {
  exports: Record<string, (...args: unknown[]) => unknown>;
  logs: Array<{ level: string; message: string }>;
  close(): Promise<void>;
}

function unsupported(): never {
  throw new Error("wasi:keyvalue is not provided by the SDK test runner");
}

/** Transpile and instantiate a component with fake host imports and the given config. */
export async function loadComponent(
  wasmPath: string,
  config: Record<string, string> = {},
): Promise<LoadedComponent> {
  const dir = await mkdtemp(join(tmpdir(), "wavs-sdk-run-"));
  const { files } = await transpile(await readFile(wasmPath), {
    name: "component",
    instantiation: "async",
    noTypescript: true,
  });
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), bytes);
  }
  const logs: Array<{ level: string; message: string }> = [];
  const imports: Record<string, unknown> = {
    host: {
      getEvmChainConfig: () => undefined,
      getCosmosChainConfig: () => undefined,
      configVar: (k: string) => config[k],
      log: (level: { tag: string }, message: string) => logs.push({ level: level.tag, message }),
      getService: () => {
        throw new Error("not provided by the SDK test runner");
      },
      getWorkflow: () => {
        throw new Error("not provided by the SDK test runner");
      },
      getEventId: () => new Uint8Array(20).fill(0xee),
    },
    // Only the resource classes: jco checks they exist at instantiation.
    "wasi:keyvalue/store": { Bucket: class Bucket {}, open: unsupported },
    "wasi:keyvalue/atomics": { Cas: class Cas {}, increment: unsupported, swap: unsupported },
    "wasi:keyvalue/batch": { getMany: unsupported, setMany: unsupported, deleteMany: unsupported },
    // the worlds import wasi:tls; no test component uses it
    "wasi:tls/types": {
      ClientConnection: class ClientConnection {},
      ClientHandshake: class ClientHandshake {},
      FutureClientStreams: class FutureClientStreams {},
    },
  };
  // preview2-shim groups interfaces by package: shim.cli.terminalInput -> wasi:cli/terminal-input.
  for (const [pkg, ifaces] of Object.entries(shim as Record<string, Record<string, unknown>>)) {
    for (const [name, impl] of Object.entries(ifaces)) {
      if (name.startsWith("_") || typeof impl !== "object") continue;
      imports[`wasi:${pkg}/${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`] = impl;
    }
  }
  const mod = (await import(pathToFileURL(join(dir, "component.js")).href)) as {
    instantiate(
      getCoreModule: (path: string) => Promise<WebAssembly.Module>,
      imports: Record<string, unknown>,
    ): Promise<Record<string, (...args: unknown[]) => unknown>>;
  };
  const exports = await mod.instantiate(
    async (p) => compileWasm(await readFile(join(dir, p))),
    imports,
  );
  return { exports, logs, close: () => rm(dir, { recursive: true, force: true }) };
}

/** A trigger action carrying raw bytes. */
export function rawAction(data: Uint8Array): unknown {
  return {
    config: { serviceId: "0".repeat(64), workflowId: "default", trigger: { tag: "manual" } },
    data: { tag: "raw", val: data },
  };
}

/** WebAssembly.compile, which @types/node does not declare. */
function compileWasm(bytes: Uint8Array): Promise<WebAssembly.Module> {
  type Compile = { compile(b: Uint8Array): Promise<WebAssembly.Module> };
  return (WebAssembly as unknown as Compile).compile(bytes);
}
