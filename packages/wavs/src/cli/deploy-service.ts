import type { Command } from "commander";
import { builderContext, chainOf, contractAddress, nodeEndpoint } from "../builder/context.js";
import { cliAccount } from "../builder/evm-chain.js";
import { setServiceUri } from "../builder/example-contracts.js";
import { devServiceUri, registerService, storeService } from "../builder/node-client.js";
import { readServiceFile } from "../builder/service-file.js";
import { WavsError } from "../internal/errors.js";
import { parseService } from "../service/index.js";
import { printJson } from "./output.js";

interface DeployFlags {
  serviceUri?: string;
  serviceFile?: string;
  setUri?: boolean;
  manager?: string;
  chain?: string;
  wavsEndpoint?: string;
  home?: string;
  json?: boolean;
}

/** `wavs deploy-service`: optionally set the manager's service URI, then register with the node. */
export function registerDeployService(program: Command): void {
  program
    .command("deploy-service")
    .description("set the manager's service URI (--set-uri) and register the service with a node")
    .option("--service-uri <uri>", "where the service JSON is served")
    .option(
      "--service-file <service.json>",
      "store this JSON on the node (POST /dev/services) and use its URI",
    )
    .option("--set-uri", "send setServiceURI(uri) to the manager first (uses the CLI credential)")
    .option("--manager <0x..>", "service manager (default: the service file's, or `wavs dev`'s)")
    .option("--chain <key>", "chain of the manager (default: the service file's, or `wavs dev`'s)")
    .option("--wavs-endpoint <url>", "node URL (default: wavs_endpoint of the [cli] config)")
    .option("--home <dir>", "directory holding wavs.toml (chains, credential, token)")
    .option("--json", "print one JSON object on stdout")
    .action(async (flags: DeployFlags) => {
      if ((flags.serviceUri === undefined) === (flags.serviceFile === undefined)) {
        throw new WavsError(
          "WAVS_ERR_INPUT_INVALID",
          "pass exactly one of --service-uri and --service-file",
        );
      }
      const ctx = builderContext(flags.home);
      const node = nodeEndpoint(ctx, flags.wavsEndpoint);
      let uri = flags.serviceUri;
      let fileManager: { chain: string; address: string } | undefined;
      if (flags.serviceFile !== undefined) {
        const service = parseService(readServiceFile(flags.serviceFile));
        fileManager = { chain: service.manager.chain, address: service.manager.address };
        uri = devServiceUri(node, await storeService(node, readServiceFile(flags.serviceFile)));
      }
      const manager = contractAddress(
        flags.manager ?? fileManager?.address,
        ctx.devState?.service_manager,
        "--manager",
        "service manager",
      );
      const endpoint = chainOf(ctx, flags.chain ?? fileManager?.chain);
      let txHash: string | undefined;
      if (flags.setUri && uri !== undefined) {
        const account = cliAccount(ctx.loaded.config, endpoint);
        txHash = await setServiceUri({ rpcUrl: endpoint.rpcUrl, account, manager, uri });
      }
      await registerService(node, { chain: endpoint.chain, address: manager });
      if (flags.json) {
        printJson({
          service_uri: uri,
          manager,
          chain: endpoint.chain,
          ...(txHash ? { set_uri_tx: txHash } : {}),
        });
      } else {
        if (txHash) process.stdout.write(`service URI set to ${uri} (tx ${txHash})\n`);
        process.stdout.write(
          `service ${manager} on ${endpoint.chain} registered with ${node.url}\n`,
        );
      }
    });
}
