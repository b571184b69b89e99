/**
 * The Cosmos side of `wavs dev --cosmos`: a local wasmd chain kept in `.wavs-dev/wasmd` (a
 * later start resumes it), with the example CosmWasm contracts deployed by its faucet: the
 * trigger contract (`new-message` events) and a service manager. Contracts of an earlier run
 * that still answer are kept.
 */
import { cosmwasmCode } from "@wavs-ts/contracts";
import type { DevState } from "../builder/index.js";
import type { Progress } from "../internal/index.js";
import { ensureWasmd } from "./wasmd-binary.js";
import { connectFaucet, startWasmd, type WasmdChain } from "./wasmd-chain.js";

/** The chain id of the dev network's Cosmos chain. */
export const DEV_COSMOS_CHAIN_ID = "wasmd-1";

/** A running dev Cosmos chain and its contracts. */
export interface DevCosmos {
  chain: WasmdChain;
  /** Chain key, `cosmos:wasmd-1`. */
  key: string;
  trigger: string;
  serviceManager: string;
}

/** Start (or resume) the dev Cosmos chain and make sure its contracts are there. */
export async function startDevCosmos(options: {
  home: string;
  /** CometBFT RPC, P2P, gRPC and REST ports. */
  ports: readonly number[];
  previous: DevState["cosmos"] | undefined;
  progress: Progress;
}): Promise<DevCosmos> {
  const { progress } = options;
  await ensureWasmd(progress);
  progress.update("starting the Cosmos chain (wasmd)");
  const [rpc, p2p, grpc, api] = options.ports as [number, number, number, number];
  const chain = await startWasmd({
    chainId: DEV_COSMOS_CHAIN_ID,
    ports: { rpc, p2p, grpc, api },
    blockMs: 500,
    home: options.home,
  });
  try {
    const wallet = await connectFaucet(chain);
    try {
      const answers = async (contract: string | undefined, query: Record<string, unknown>) =>
        contract !== undefined &&
        (await wallet.query(contract, query).then(
          () => true,
          () => false,
        ));
      const previous = options.previous;
      let trigger = previous?.trigger;
      let serviceManager = previous?.service_manager;
      if (!(await answers(trigger, { count: {} }))) {
        progress.update("deploying the Cosmos trigger contract");
        trigger = await wallet.deploy(cosmwasmCode("trigger"), {}, "wavs example trigger");
      }
      if (!(await answers(serviceManager, { wavs_service_uri: {} }))) {
        progress.update("deploying the Cosmos service manager");
        serviceManager = await wallet.deploy(
          cosmwasmCode("service_manager"),
          {},
          "wavs example service manager",
        );
      }
      progress.done(`Cosmos chain cosmos:${chain.chainId} on ${chain.rpcUrl} (wasmd)`);
      return {
        chain,
        key: `cosmos:${chain.chainId}`,
        trigger: trigger as string,
        serviceManager: serviceManager as string,
      };
    } finally {
      wallet.disconnect();
    }
  } catch (err) {
    await chain.stop();
    throw err;
  }
}
