/**
 * The Cosmos side of `wavs dev --cosmos`: a local wasmd chain kept in `.wavs-dev/wasmd` (a
 * later start resumes it), with the example CosmWasm contracts deployed by its faucet: the
 * trigger contract (`new-message` events), a service manager (the dev quorum) and a handler
 * validating with it, where the square-cosmos service's results land. Contracts of an earlier
 * run that still answer are kept. The faucet also funds the operators' Cosmos sending
 * accounts and registers their signing keys with the manager.
 */
import { cosmwasmCode } from "@wavs-ts/contracts";
import type { DevState } from "../builder/index.js";
import type { Progress } from "../internal/index.js";
import { cosmosAddress, cosmosKey } from "../signing/index.js";
import { createCosmosRpc } from "../triggers/index.js";
import { DEV_QUORUM } from "./limits.js";
import { ensureWasmd } from "./wasmd-binary.js";
import {
  connectFaucet,
  startWasmd,
  WASMD_DENOM,
  WASMD_PREFIX,
  type WasmdChain,
} from "./wasmd-chain.js";

/** The chain id of the dev network's Cosmos chain. */
export const DEV_COSMOS_CHAIN_ID = "wasmd-1";

/** A running dev Cosmos chain and its contracts. */
export interface DevCosmos {
  chain: WasmdChain;
  /** Chain key, `cosmos:wasmd-1`. */
  key: string;
  trigger: string;
  serviceManager: string;
  /** The handler results of Cosmos services land on (validates with `serviceManager`). */
  handler: string;
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
      let handler = previous?.handler;
      if (!(await answers(trigger, { count: {} }))) {
        progress.update("deploying the Cosmos trigger contract");
        trigger = await wallet.deploy(cosmwasmCode("trigger"), {}, "wavs example trigger");
      }
      if (!(await answers(serviceManager, { wavs_service_uri: {} }))) {
        progress.update("deploying the Cosmos service manager");
        serviceManager = await wallet.deploy(
          cosmwasmCode("service_manager"),
          {
            quorum_numerator: String(DEV_QUORUM.numerator),
            quorum_denominator: String(DEV_QUORUM.denominator),
          },
          "wavs example service manager",
        );
        handler = undefined;
      }
      if (!(await answers(handler, { wavs_service_manager: {} }))) {
        progress.update("deploying the Cosmos service handler");
        handler = await wallet.deploy(
          cosmwasmCode("handler"),
          { service_manager: serviceManager },
          "wavs example service handler",
        );
      }
      progress.done(`Cosmos chain cosmos:${chain.chainId} on ${chain.rpcUrl} (wasmd)`);
      return {
        chain,
        key: `cosmos:${chain.chainId}`,
        trigger: trigger as string,
        serviceManager: serviceManager as string,
        handler: handler as string,
      };
    } finally {
      wallet.disconnect();
    }
  } catch (err) {
    await chain.stop();
    throw err;
  }
}

/**
 * Fund each operator's Cosmos sending account (the same key as its EVM one) so that it exists
 * on the chain, and register the operators' signing keys with the manager (weight 1 each); then
 * wait for a block on top, since `wavs_validate` reads weights at the height before the latest.
 */
export async function prepareDevCosmosOperators(
  cosmos: DevCosmos,
  operators: readonly { operator: string; signingKey: string; credential: string }[],
  progress: Progress,
): Promise<void> {
  progress.update("funding the operators' Cosmos accounts and registering their keys");
  const wallet = await connectFaucet(cosmos.chain);
  const rpc = createCosmosRpc({
    chain: cosmos.key,
    endpoints: [cosmos.chain.rpcUrl],
    webSocket: false,
  });
  try {
    for (const op of operators) {
      await wallet.send(
        cosmosAddress(cosmosKey(op.credential), WASMD_PREFIX),
        "1000000000",
        WASMD_DENOM,
      );
    }
    const current = await Promise.all(
      operators.map((op) =>
        wallet.query(cosmos.serviceManager, {
          wavs_latest_operator_for_signing_key: { signing_key_addr: op.signingKey },
        }),
      ),
    );
    const missing = operators.filter(
      (op, i) => String(current[i] ?? "").toLowerCase() !== op.operator.toLowerCase(),
    );
    if (missing.length > 0) {
      const tx = await wallet.execute(
        cosmos.serviceManager,
        missing.map((op) => ({
          set_signing_key: { operator: op.operator, signing_key: op.signingKey, weight: "1" },
        })),
      );
      while ((await rpc.getLatestHeight()) <= BigInt(tx.height) + 1n) {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    progress.done(
      `Cosmos: ${operators.length} operator account(s) funded, signing keys registered with ${cosmos.serviceManager}`,
    );
  } finally {
    rpc.close();
    wallet.disconnect();
  }
}
