import { WavsError } from "@wavs-ts/errors";
import { Command, CommanderError } from "commander";
import { COMMANDS, commandOf } from "./commands.js";
import { reportError } from "./output.js";
import { wavsVersion } from "./version.js";

/**
 * Build the `wavs` command tree; in `json` mode usage errors are left to the caller to print.
 * With `only`, just that command is loaded and the others stand in by their summaries (see
 * commands.ts); without it, every command is loaded.
 */
export async function buildProgram(
  options: { json?: boolean; only?: string | undefined } = {},
): Promise<Command> {
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
  const loadAll = !("only" in options);
  for (const entry of COMMANDS) {
    if (loadAll || entry.name === options.only) (await entry.load())(program);
    else program.command(entry.name).description(entry.summary);
  }
  return program;
}

/**
 * Entry point of the `wavs` binary (bin/wavs.js imports it, or its bundle, at run time);
 * resolves with the exit code.
 * @public
 */
export async function main(argv: string[]): Promise<number> {
  process.exitCode = 0;
  const json = argv.includes("--json");
  try {
    await (await buildProgram({ json, only: commandOf(argv) })).parseAsync(argv);
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
