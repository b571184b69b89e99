/** What builder commands share: the CLI config, the `wavs dev` state, the node and the chain. */
import type { Address } from "viem";
import { DEFAULT_WAVS_ENDPOINT, type LoadedConfig, loadConfig } from "../config/index.js";
import { WavsError } from "../internal/index.js";
import { isEvmAddress } from "../service/index.js";
import { type DevService, type DevState, readDevState } from "./dev-state.js";
import { type ChainEndpoint, chainEndpoint } from "./evm-chain.js";
import type { NodeEndpoint } from "./node-client.js";

/** The loaded CLI config and the dev state (when a `wavs dev` network wrote one). */
export interface BuilderContext {
  loaded: LoadedConfig;
  devState: DevState | undefined;
}

/** Load the `[cli]` config and the dev state under `home`. */
export function builderContext(home: string | undefined): BuilderContext {
  return { loaded: loadConfig({ section: "cli", home }), devState: readDevState(home) };
}

/** The node: --wavs-endpoint, else a configured wavs_endpoint, else the first dev node, else the default. */
export function nodeEndpoint(ctx: BuilderContext, flag: string | undefined): NodeEndpoint {
  const configured = ctx.loaded.config.wavs_endpoint;
  const devNode = ctx.devState?.nodes[0]?.url;
  const url = flag ?? (configured !== DEFAULT_WAVS_ENDPOINT ? configured : (devNode ?? configured));
  // a dev node's token comes from the dev state unless the config names one
  const devToken = ctx.devState?.nodes.some((n) => n.url === url) ? ctx.devState.token : undefined;
  return { url, token: ctx.loaded.config.bearer_token ?? devToken };
}

/** The chain: --chain, else the dev state's chain; then its RPC URL. */
export function chainOf(ctx: BuilderContext, flag: string | undefined): ChainEndpoint {
  const chain = flag ?? ctx.devState?.chain;
  if (chain === undefined) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      "--chain <key> is required (no `wavs dev` network found)",
      {
        hint: "e.g. --chain evm:31337, with that chain in wavs.toml (--home)",
      },
    );
  }
  return chainEndpoint(chain, ctx.loaded.config, ctx.devState);
}

/** A contract address: the flag, else the dev state's, else a clear error naming the flag. */
export function contractAddress(
  flag: string | undefined,
  fromDev: Address | string | undefined,
  name: string,
  what: string,
): Address {
  const value = flag ?? fromDev;
  if (value === undefined) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `${name} <0x..> is required: no \`wavs dev\` network found to take the ${what} address from`,
      {
        hint: `pass ${name}, or start \`wavs dev\` (its <home>/.wavs-dev/state.json provides it)`,
      },
    );
  }
  if (!isEvmAddress(value)) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `${name}: expected a 0x address of 20 bytes, found ${JSON.stringify(value)}`,
    );
  }
  return value as Address;
}

/**
 * The contracts of a `wavs dev` service: the one named by --service, else the default (first)
 * one; undefined without a dev network.
 */
export function devServiceContracts(
  ctx: BuilderContext,
  name: string | undefined,
): Pick<DevService, "trigger" | "submit" | "service_manager"> | undefined {
  const dev = ctx.devState;
  if (name === undefined) return dev;
  const found = dev?.services.find((s) => s.name === name);
  if (!found) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      dev
        ? `--service ${name}: the dev network has no such service`
        : `--service ${name}: no \`wavs dev\` network found`,
      {
        hint: dev
          ? `its services: ${dev.services.map((s) => s.name).join(", ")}`
          : "start `wavs dev` in this directory, or pass --home",
      },
    );
  }
  return found;
}

/**
 * The example contract a command talks to and its chain, from --contract / --service / --chain,
 * defaulting to the `wavs dev` network's.
 */
export function exampleContractTarget(
  ctx: BuilderContext,
  flags: {
    contract?: string | undefined;
    service?: string | undefined;
    chain?: string | undefined;
  },
  kind: "trigger" | "submit",
): { contract: Address; endpoint: ChainEndpoint } {
  const contract = contractAddress(
    flags.contract,
    devServiceContracts(ctx, flags.service)?.[kind],
    "--contract",
    kind === "trigger" ? "trigger contract" : "submit (handler)",
  );
  return { contract, endpoint: chainOf(ctx, flags.chain) };
}
