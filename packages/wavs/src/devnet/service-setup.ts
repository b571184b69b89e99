/**
 * What `wavs dev` registers once its nodes run: each service on every node (components
 * prepared once and shared), and every operator's signing key with each service manager.
 * Idempotent: what is already registered is left as it is.
 */
import {
  type Anvil,
  registerOperator,
  rotateSigningKey,
  waitForSuccess,
  wavsServiceManagerAbi,
} from "@wavs-ts/contracts";
import { type Address, getAddress, type Hex, zeroAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  type DevService,
  devServiceUri,
  listServiceIds,
  type NodeEndpoint,
  registerService,
  requestSigner,
  storeService,
  uploadComponent,
} from "../builder/index.js";
import { serviceId } from "../ids/index.js";
import type { Progress } from "../internal/index.js";
import { type DevCosmos, prepareDevCosmosOperators } from "./dev-cosmos.js";
import { type DevComponents, type DevServiceContracts, devServiceJson } from "./dev-services.js";
import type { DevnetLayout } from "./layout.js";
import { devQuorumSize } from "./limits.js";
import { copyPrepared, operatorPreparedDir, sharedPreparedDir } from "./prepared-cache.js";

/**
 * Upload the components to every node, store each service JSON on the first node (its dev
 * service URI), point the manager at it, and register the service on every node that lacks it.
 */
export async function registerServices(ctx: {
  anvil: Anvil;
  layout: DevnetLayout;
  chain: string;
  nodes: NodeEndpoint[];
  components: DevComponents;
  contracts: Map<string, DevServiceContracts>;
  /** The dev Cosmos chain's trigger contract and handler, for the services run there. */
  cosmos?: { chain: string; trigger: string; handler: string } | undefined;
  progress: Progress;
}): Promise<DevService[]> {
  const { anvil, chain, nodes, components, progress, layout } = ctx;
  progress.update("uploading components to the nodes");
  const files = [components.aggregator, ...components.services.map((s) => s.wasm)];
  const digests = new Map<string, string>();
  const upload = async (node: NodeEndpoint) => {
    for (const file of files) digests.set(file, await uploadComponent(node, file));
  };
  // the first operator prepares them once; the others get its prepared copies
  await upload(nodes[0]!);
  const prepared = operatorPreparedDir(layout.operatorHome(0));
  copyPrepared(prepared, sharedPreparedDir(), [...digests.values()]);
  for (let i = 1; i < nodes.length; i++) {
    copyPrepared(prepared, operatorPreparedDir(layout.operatorHome(i)), [...digests.values()]);
  }
  await Promise.all(nodes.slice(1).map(upload));
  const owner = anvil.clients(0);
  const client = anvil.publicClient();
  const services: DevService[] = [];
  for (const svc of components.services) {
    const contracts = ctx.contracts.get(svc.name)!;
    const componentDigest = digests.get(svc.wasm)!;
    const json = devServiceJson({
      name: svc.name,
      chain,
      contracts,
      componentDigest,
      aggregatorDigest: digests.get(components.aggregator)!,
      cosmosTrigger:
        svc.cosmos && ctx.cosmos
          ? { chain: ctx.cosmos.chain, address: ctx.cosmos.trigger }
          : undefined,
      cosmosHandler:
        svc.cosmos && ctx.cosmos
          ? { chain: ctx.cosmos.chain, address: ctx.cosmos.handler }
          : undefined,
    });
    const uri = devServiceUri(nodes[0]!, await storeService(nodes[0]!, json));
    const current = await client.readContract({
      address: contracts.serviceManager,
      abi: wavsServiceManagerAbi,
      functionName: "getServiceURI",
    });
    if (current !== uri) {
      await waitForSuccess(
        owner,
        await owner.walletClient.writeContract({
          address: contracts.serviceManager,
          abi: wavsServiceManagerAbi,
          functionName: "setServiceURI",
          args: [uri],
          account: owner.walletClient.account,
          chain: owner.walletClient.chain,
        }),
      );
    }
    const id = serviceId({ type: "evm", chain, address: contracts.serviceManager });
    services.push({
      name: svc.name,
      service_id: id,
      service_manager: contracts.serviceManager,
      trigger: contracts.trigger,
      submit: contracts.submit,
      component: componentDigest,
      ...(svc.cosmos && ctx.cosmos
        ? { trigger_chain: ctx.cosmos.chain, cosmos_handler: ctx.cosmos.handler }
        : {}),
    });
  }
  progress.update("registering the services on the nodes");
  await Promise.all(
    nodes.map(async (node) => {
      const have = new Set(await listServiceIds(node));
      for (const svc of services) {
        if (have.has(svc.service_id)) continue;
        await registerService(node, { chain, address: svc.service_manager });
      }
    }),
  );
  progress.done(`services registered: ${services.map((s) => s.name).join(", ")}`);
  return services;
}

/** The operator identity of node `i` (a dev account; it needs no funds). */
function operatorAddress(anvil: Anvil, count: number, i: number): Address {
  return privateKeyToAccount(anvil.privateKeys[1 + count + i] as Hex).address;
}

/** Register (or rotate to) each node's signing key on every service manager, weight 1. */
export async function registerSigningKeys(ctx: {
  anvil: Anvil;
  chain: string;
  nodes: NodeEndpoint[];
  services: DevService[];
  progress: Progress;
}): Promise<void> {
  const { anvil, chain, nodes, services, progress } = ctx;
  progress.update("registering the operators' signing keys");
  const owner = anvil.clients(0);
  const client = anvil.publicClient();
  const wanted = await Promise.all(
    services.flatMap((svc) =>
      nodes.map(async (node, i) => {
        const manager = svc.service_manager as Address;
        const operator = operatorAddress(anvil, nodes.length, i);
        const [signingKey, current] = await Promise.all([
          requestSigner(node, { chain, address: manager }),
          client.readContract({
            address: manager,
            abi: wavsServiceManagerAbi,
            functionName: "getOperatorSigningKey",
            args: [operator],
          }),
        ]);
        return { manager, operator, signingKey, current };
      }),
    ),
  );
  // sent one after the other (one sender, its nonces in order), awaited together
  const sent: Hex[] = [];
  for (const { manager, operator, signingKey, current } of wanted) {
    if (getAddress(current) === getAddress(signingKey)) continue;
    sent.push(
      current === zeroAddress
        ? await registerOperator(owner, manager, { operator, signingKey, weight: 1n })
        : await rotateSigningKey(owner, manager, operator, signingKey),
    );
  }
  await Promise.all(sent.map((hash) => waitForSuccess(owner, hash)));
  // validate() reads weights at the block before the current one, and anvil mines only on
  // transactions: without a block on top, a result whose trigger is not an anvil transaction
  // (a Cosmos event, a cron tick) would be checked against the weights before registration
  if (sent.length > 0) await anvil.mine(1);
  const needed = devQuorumSize(nodes.length);
  progress.done(
    `signing keys registered: ${nodes.length} operator(s), weight 1 each, quorum ${needed} of ${nodes.length}`,
  );
}

/**
 * The service that lands on the dev Cosmos chain (square-cosmos): each operator's Cosmos
 * account (its EVM sending key) funded, and its signing key for that service registered with
 * the Cosmos manager the handler validates with.
 */
export async function registerCosmosOperators(ctx: {
  anvil: Anvil;
  chain: string;
  nodes: NodeEndpoint[];
  services: DevService[];
  cosmos: DevCosmos;
  progress: Progress;
}): Promise<void> {
  const { anvil, chain, nodes } = ctx;
  const onCosmos = ctx.services.find((s) => s.cosmos_handler !== undefined);
  if (!onCosmos) return;
  const manager = onCosmos.service_manager as Address;
  const signers = await Promise.all(
    nodes.map((node) => requestSigner(node, { chain, address: manager })),
  );
  await prepareDevCosmosOperators(
    ctx.cosmos,
    nodes.map((_, i) => ({
      operator: operatorAddress(anvil, nodes.length, i),
      signingKey: signers[i]!,
      // the same key sends on both chain families
      credential: anvil.privateKeys[1 + i]!,
    })),
    ctx.progress,
  );
}
