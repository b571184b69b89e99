import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine, type EngineOptions } from "../../src/engine/engine.js";
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

export {
  ANONYMOUS_SERVICE_ID as SERVICE_ID,
  rawRunRequest,
} from "../../src/engine/raw-run-request.js";
