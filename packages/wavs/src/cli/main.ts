import { Command, CommanderError } from "commander";
import { WavsError } from "../internal/index.js";
import { registerComponentBuild } from "./component-build.js";
import { registerDeployService } from "./deploy-service.js";
import { registerDev } from "./dev.js";
import { registerExec, registerExecAggregator } from "./exec.js";
import { registerNode, wavsVersion } from "./node.js";
import { reportError } from "./output.js";
import { registerResult } from "./result.js";
import { registerService } from "./service.js";
import { registerTrigger } from "./trigger.js";
import { registerUploadComponent } from "./upload-component.js";

/** Build the `wavs` command tree; in `json` mode usage errors are left to the caller to print. */
export function buildProgram(options: { json?: boolean } = {}): Command {
  const program = new Command("wavs")
    .description("WAVS-TS: operator node, component engine and builder tools")
    .version(wavsVersion(), "-V, --version", "print the version")
    .exitOverride();
  if (options.json) {
    // --json promises one JSON object on stdout, also for a usage error: main prints it
    program.configureOutput({ outputError: () => {} });
  } else {
    program.showHelpAfterError();
  }
  registerNode(program);
  registerExec(program);
  registerExecAggregator(program);
  registerComponentBuild(program);
  registerService(program);
  registerUploadComponent(program);
  registerDeployService(program);
  registerTrigger(program);
  registerResult(program);
  registerDev(program);
  return program;
}

/** Entry point of the `wavs` binary; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = 0;
  const json = argv.includes("--json");
  try {
    await buildProgram({ json }).parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      if (!json) return 1;
      const message = err.message.replace(/^error: /, "");
      return reportError(
        new WavsError("WAVS_ERR_INPUT_INVALID", message, { hint: "see wavs <command> --help" }),
        true,
      );
    }
    return reportError(err, json);
  }
}
