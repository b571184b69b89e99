import type { Command } from "commander";
import {
  builderContext,
  chainOf,
  cliAccount,
  contractAddress,
  devServiceUri,
  type NodeEndpoint,
  readServiceFile,
  registerService,
  setServiceUri,
  storeService,
} from "../builder/index.js";
import { redactUrl } from "../config/index.js";
import { serviceId } from "../ids/index.js";
import { WavsError } from "../internal/index.js";
import { parseService, type Service, serviceToJson } from "../service/index.js";
import { printJson } from "./output.js";
import { targetNodes } from "./upload-component.js";

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

/** What happened on one node. */
type NodeOutcome = "registered" | "already registered" | "updated" | "update pending";

/** How long a registered node may take to pick up a new service URI (ServiceURIUpdated). */
const UPDATE_WAIT_MS = 60_000;

/** The service JSON in one canonical form, to compare definitions. */
function canonical(json: unknown): string {
  return JSON.stringify(serviceToJson(parseService(json)));
}

/** The definition a node runs for a manager (GET /services/{chain}/{address}), canonical; undefined when none. */
async function runningDefinition(
  node: NodeEndpoint,
  chain: string,
  manager: string,
): Promise<string | undefined> {
  const url = `${node.url.replace(/\/+$/, "")}/services/${chain}/${manager}`;
  let res: Response;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new WavsError(
      "WAVS_ERR_NODE_UNREACHABLE",
      `cannot reach the node at ${redactUrl(node.url)}`,
      { cause: err },
    );
  }
  if (res.status === 404) return undefined;
  if (!res.ok) {
    throw new WavsError(
      "WAVS_ERR_NODE_UNREACHABLE",
      `GET /services/${chain}/${manager} answered ${res.status}`,
    );
  }
  return canonical(await res.json());
}

/** Wait until a node runs `expected` (it fetches a new URI when it sees ServiceURIUpdated). */
async function waitForDefinition(
  node: NodeEndpoint,
  chain: string,
  manager: string,
  expected: string,
): Promise<void> {
  const deadline = Date.now() + UPDATE_WAIT_MS;
  while ((await runningDefinition(node, chain, manager)) !== expected) {
    if (Date.now() > deadline) {
      throw new WavsError(
        "WAVS_ERR_NODE_UNREACHABLE",
        `${redactUrl(node.url)} still runs the previous definition of the service ${UPDATE_WAIT_MS / 1000} s after the new service URI was set`,
        {
          hint: "a node fetches the new definition when it sees ServiceURIUpdated; its log says why it could not ('live service update failed'), e.g. a component it does not have (wavs upload-component)",
        },
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The service JSON at a URI the CLI can read itself (http/https), canonical; undefined otherwise. */
async function definitionAt(uri: string): Promise<string | undefined> {
  if (!/^https?:\/\//.test(uri)) return undefined;
  try {
    const res = await fetch(uri);
    return res.ok ? canonical(await res.json()) : undefined;
  } catch {
    return undefined;
  }
}

/** `wavs deploy-service`: optionally set the manager's service URI, then register with the node(s). */
export function registerDeployService(program: Command): void {
  program
    .command("deploy-service")
    .description(
      "set the manager's service URI (--set-uri) and register the service with a node (every node of a `wavs dev` network)",
    )
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
      if (flags.serviceUri !== undefined && flags.serviceFile !== undefined) {
        throw new WavsError(
          "WAVS_ERR_INPUT_INVALID",
          "pass at most one of --service-uri and --service-file",
        );
      }
      if (flags.setUri && flags.serviceUri === undefined && flags.serviceFile === undefined) {
        throw new WavsError(
          "WAVS_ERR_INPUT_INVALID",
          "--set-uri needs the URI to set: pass --service-uri or --service-file",
        );
      }
      const ctx = builderContext(flags.home);
      const nodes = targetNodes(ctx, flags.wavsEndpoint);
      const first = nodes[0]!;
      let uri = flags.serviceUri;
      let fileService: Service | undefined;
      let expected: string | undefined;
      if (flags.serviceFile !== undefined) {
        const doc = readServiceFile(flags.serviceFile);
        fileService = parseService(doc);
        expected = canonical(doc);
        uri = devServiceUri(first, await storeService(first, doc));
      }
      const manager = contractAddress(
        flags.manager ?? fileService?.manager.address,
        ctx.devState?.service_manager,
        "--manager",
        "service manager",
      );
      const chain = flags.chain ?? fileService?.manager.chain ?? ctx.devState?.chain;
      if (chain === undefined) {
        throw new WavsError(
          "WAVS_ERR_INPUT_INVALID",
          "--chain <key> is required (no service file and no `wavs dev` network to take it from)",
          { hint: "e.g. --chain evm:31337" },
        );
      }
      let txHash: string | undefined;
      if (flags.setUri && uri !== undefined) {
        const endpoint = chainOf(ctx, chain);
        const account = cliAccount(ctx.loaded.config, endpoint);
        txHash = await setServiceUri({ rpcUrl: endpoint.rpcUrl, account, manager, uri });
        expected ??= await definitionAt(uri);
      }
      const outcomes = await Promise.all(
        nodes.map(async (node): Promise<NodeOutcome> => {
          try {
            await registerService(node, { chain, address: manager });
            return "registered";
          } catch (err) {
            if (!(err instanceof WavsError && err.code === "WAVS_ERR_SERVICE_ALREADY_REGISTERED")) {
              throw err;
            }
          }
          // registered before: a new URI reaches it through ServiceURIUpdated
          if (!flags.setUri) return "already registered";
          if (expected === undefined) return "update pending";
          await waitForDefinition(node, chain, manager, expected);
          return "updated";
        }),
      );
      const id = serviceId({ type: "evm", chain, address: manager });
      if (flags.json) {
        printJson({
          service_id: id,
          service_uri: uri,
          manager,
          chain,
          ...(txHash ? { set_uri_tx: txHash } : {}),
          nodes: nodes.map((n, i) => ({ url: n.url, status: outcomes[i] })),
        });
        return;
      }
      if (txHash) process.stdout.write(`service URI set to ${uri} (tx ${txHash})\n`);
      process.stdout.write(`service ${id} (manager ${manager} on ${chain})\n`);
      for (const [i, node] of nodes.entries()) {
        const outcome = outcomes[i];
        process.stdout.write(
          `  ${node.url}: ${outcome === "update pending" ? "registered before; it picks up the new URI when it sees ServiceURIUpdated" : outcome}\n`,
        );
      }
    });
}
