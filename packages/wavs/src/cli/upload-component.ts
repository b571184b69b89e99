import type { Command } from "commander";
import { builderContext, nodeEndpoint } from "../builder/context.js";
import { uploadComponent } from "../builder/node-client.js";
import { printJson } from "./output.js";

/** `wavs upload-component <file>`: POST the wasm to the node's /dev/components, print the digest. */
export function registerUploadComponent(program: Command): void {
  program
    .command("upload-component")
    .description("upload a component to a node (POST /dev/components); prints its digest")
    .argument("<file>", "component .wasm file")
    .option("--wavs-endpoint <url>", "node URL (default: wavs_endpoint of the [cli] config)")
    .option("--home <dir>", "directory holding wavs.toml")
    .option("--json", "print one JSON object on stdout")
    .action(
      async (file: string, flags: { wavsEndpoint?: string; home?: string; json?: boolean }) => {
        const ctx = builderContext(flags.home);
        const digest = await uploadComponent(nodeEndpoint(ctx, flags.wavsEndpoint), file);
        if (flags.json) printJson({ digest });
        else process.stdout.write(`${digest}\n`);
      },
    );
}
