import { buildComponent } from "@wavs-ts/sdk";
import type { Command } from "commander";
import { createProgress, WavsError } from "../internal/index.js";
import { printJson, reportError } from "./output.js";

/** `wavs component build`: build a TypeScript component with componentize-js. */
export function registerComponentBuild(program: Command): void {
  const component = program.command("component").description("build WAVS components");
  component
    .command("build <entry>")
    .description(
      "build a TypeScript (or JavaScript) component for the operator or aggregator world",
    )
    .requiredOption("-o, --out <file>", "output .wasm file")
    .option("--world <world>", "operator | aggregator", "operator")
    .option("--force", "rebuild even when the cache has it")
    .option("--json", "print {digest, bytes, cached} as JSON")
    .action(
      async (
        entry: string,
        flags: { out: string; world: string; force?: boolean; json?: boolean },
      ) => {
        const json = flags.json === true;
        const progress = createProgress(json ? undefined : process.stderr);
        try {
          if (flags.world !== "operator" && flags.world !== "aggregator") {
            throw new WavsError(
              "WAVS_ERR_INPUT_INVALID",
              `--world ${flags.world}: expected operator or aggregator`,
            );
          }
          const result = await buildComponent({
            entry,
            out: flags.out,
            world: flags.world,
            force: flags.force === true,
            onProgress: (msg) => progress.update(msg),
          });
          progress.done(`built ${flags.out}`);
          if (json) printJson(result);
          else
            process.stdout.write(
              `${flags.out}\n  digest: ${result.digest}\n  size: ${result.bytes} bytes${result.cached ? " (cached)" : ""}\n`,
            );
        } catch (err) {
          progress.done();
          process.exitCode = reportError(err, json);
        }
      },
    );
}
