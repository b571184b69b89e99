import { Command, CommanderError } from "commander";
import { registerComponentBuild } from "./component-build.js";
import { registerExec, registerExecAggregator } from "./exec.js";
import { reportError } from "./output.js";

/** Build the `wavs` command tree. */
export function buildProgram(): Command {
  const program = new Command("wavs")
    .description("WAVS-TS: operator node, component engine and builder tools")
    .exitOverride()
    .showHelpAfterError();
  registerExec(program);
  registerExecAggregator(program);
  registerComponentBuild(program);
  return program;
}

/** Entry point of the `wavs` binary; resolves with the exit code. */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = 0;
  try {
    await buildProgram().parseAsync(argv);
    return Number(process.exitCode ?? 0);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 1;
    return reportError(err, argv.includes("--json"));
  }
}
