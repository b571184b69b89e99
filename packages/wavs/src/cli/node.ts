import type { Command } from "commander";
import { loadConfig } from "../config/index.js";
import {
  createLogger,
  errorMessage,
  type LogLevel,
  missingMallocEnv,
  NODE_MALLOC_ENV,
  WavsError,
} from "../internal/index.js";
import { reportError } from "./output.js";
import { wavsVersion } from "./version.js";

/** How long a shutdown may take before the process exits anyway. */
const SHUTDOWN_DEADLINE_MS = 30_000;

/** `wavs node`: run the operator node until SIGINT or SIGTERM. */
export function registerNode(program: Command): void {
  program
    .command("node")
    .description("run the operator node")
    .option("--home <dir>", "directory holding wavs.toml")
    .option("--host <host>", "HTTP listen address")
    .option("--port <port>", "HTTP port")
    .option("--data <dir>", "data directory (database, components, files)")
    .option("--log-level <level>", "fatal | error | warn | info | debug | trace")
    .option("--dev-endpoints-enabled", "serve the /dev routes")
    .action(async (flags: Record<string, unknown>) => {
      let config: ReturnType<typeof loadConfig>["config"];
      let env: Record<string, string>;
      try {
        const { home, ...rest } = flags;
        const loaded = loadConfig({
          section: "wavs",
          ...(typeof home === "string" ? { home } : {}),
          flags: Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)),
        });
        config = loaded.config;
        env = loaded.env;
      } catch (err) {
        // a config error is the operator's to fix: exit 1, a supervisor should not loop on it
        process.exitCode = reportError(err, false);
        return;
      }
      // recent lines are kept for GET /dev/logs (after redaction, like stderr's)
      const { LogBuffer } = await import("../internal/index.js");
      const logs = new LogBuffer();
      const logger = createLogger({ level: config.log_level as LogLevel, buffer: logs });
      // loaded here, not at the top: the other commands start faster without the node
      const { createWavsNode } = await import("../node/index.js");
      const node = createWavsNode({ config, logger, logs, version: wavsVersion(), hostEnv: env });
      let address: Awaited<ReturnType<typeof node.start>>;
      try {
        address = await node.start();
      } catch (err) {
        logger.fatal({ err: errorMessage(err) }, "node failed to start");
        await node.stop().catch(() => undefined);
        process.exitCode = err instanceof WavsError && !err.retryable ? 1 : 2;
        return;
      }
      logger.info({ url: address.url, data: config.data }, "wavs node listening");
      const missing = missingMallocEnv(process.env);
      if (missing.length > 0) {
        logger.info(
          { unset: missing },
          `memory: set ${missing.map((k) => `${k}=${NODE_MALLOC_ENV[k]}`).join(" ")} in the node's environment to keep ~100 MB less resident (docs/operator-guide.md)`,
        );
      }
      await new Promise<void>((resolve) => {
        const shutdown = (signal: string) => {
          logger.info({ signal }, "shutting down");
          const timer = setTimeout(() => {
            logger.error("shutdown deadline passed; exiting");
            process.exit(2);
          }, SHUTDOWN_DEADLINE_MS);
          timer.unref();
          node.stop().then(resolve, (err: unknown) => {
            logger.error({ err: String(err) }, "shutdown failed");
            process.exitCode = 2;
            resolve();
          });
        };
        process.once("SIGINT", () => shutdown("SIGINT"));
        process.once("SIGTERM", () => shutdown("SIGTERM"));
      });
    });
}
