import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine, type EngineOptions, type ExecRequest } from "../../src/engine/engine.js";
import { silentLogger } from "../../src/internal/logger.js";

/** An engine on a temporary data directory, removed by `close`. */
export async function startEngine(options: Partial<EngineOptions> = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), "wavs-engine-"));
  const engine = new Engine({ dataDir, logger: silentLogger(), poolSize: 2, ...options });
  return {
    engine,
    dataDir,
    async register(path: string) {
      return engine.register(readFileSync(path));
    },
    async close() {
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const SERVICE_ID = "ab".repeat(32);

/** An exec request for `run` with raw input bytes and no permissions, overridable. */
export function rawRunRequest(
  digest: string,
  input: Uint8Array | string,
  overrides: Partial<ExecRequest> = {},
): ExecRequest {
  const bytes = typeof input === "string" ? new TextEncoder().encode(input) : input;
  return {
    digest,
    fn: "run",
    args: [
      {
        config: { serviceId: SERVICE_ID, workflowId: "default", trigger: { tag: "manual" } },
        data: { tag: "raw", val: bytes },
      },
    ],
    serviceId: SERVICE_ID,
    workflowId: "default",
    service: {},
    workflow: {},
    config: {},
    envKeys: [],
    permissions: {
      http: { kind: "none" },
      fileSystem: false,
      rawSockets: false,
      dnsResolution: false,
    },
    ...overrides,
  };
}
