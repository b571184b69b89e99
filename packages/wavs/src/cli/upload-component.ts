import type { Command } from "commander";
import {
  type BuilderContext,
  builderContext,
  type NodeEndpoint,
  nodeEndpoint,
  uploadComponent,
} from "../builder/index.js";
import { WavsError } from "../internal/index.js";
import { printJson } from "./output.js";

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, "") === b.replace(/\/+$/, "");
}

/**
 * The nodes a builder command acts on: every node of the `wavs dev` network when the endpoint
 * is one of them (a service runs on all of them, so each needs its components and its
 * registration), else just the endpoint.
 */
export function targetNodes(ctx: BuilderContext, flag: string | undefined): NodeEndpoint[] {
  const node = nodeEndpoint(ctx, flag);
  const dev = ctx.devState;
  if (!dev?.nodes.some((n) => sameUrl(n.url, node.url))) return [node];
  return dev.nodes.map((n) => ({ url: n.url, token: node.token }));
}

/** `wavs upload-component <file>`: POST the wasm to the node's /dev/components, print the digest. */
export function registerUploadComponent(program: Command): void {
  program
    .command("upload-component")
    .description(
      "upload a component to a node (POST /dev/components; every node of a `wavs dev` network); prints its digest",
    )
    .argument("<file>", "component .wasm file")
    .option("--wavs-endpoint <url>", "node URL (default: wavs_endpoint of the [cli] config)")
    .option("--home <dir>", "directory holding wavs.toml")
    .option("--json", "print one JSON object on stdout")
    .action(
      async (file: string, flags: { wavsEndpoint?: string; home?: string; json?: boolean }) => {
        const ctx = builderContext(flags.home);
        const nodes = targetNodes(ctx, flags.wavsEndpoint);
        const digests = await Promise.all(nodes.map((node) => uploadComponent(node, file)));
        const digest = digests[0]!;
        if (digests.some((d) => d !== digest)) {
          throw new WavsError(
            "WAVS_ERR_NODE_UNREACHABLE",
            `the nodes answered different digests for ${file}: ${[...new Set(digests)].join(", ")}`,
          );
        }
        if (flags.json) {
          printJson({ digest, nodes: nodes.map((n) => n.url) });
          return;
        }
        // stdout is the digest alone, so `DIGEST=$(wavs upload-component x.wasm)` works
        process.stdout.write(`${digest}\n`);
        if (nodes.length > 1) {
          process.stderr.write(`uploaded to the ${nodes.length} nodes of the dev network\n`);
        }
      },
    );
}
