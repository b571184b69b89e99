/**
 * Reaching an EVM chain from the CLI: which RPC URL serves a chain key, and which account
 * sends the CLI's transactions. The credential is never printed.
 */
import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { chainConfig, redactUrl, type WavsConfig } from "../config/index.js";
import { WavsError } from "../internal/index.js";
import { aggregatorAccount } from "../signing/index.js";
import type { DevState } from "./dev-state.js";

/** Anvil's well-known dev mnemonic: public, funded only on a local dev chain. */
const ANVIL_DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** Where a chain is reached and whether that came from the `wavs dev` state. */
export interface ChainEndpoint {
  chain: string;
  rpcUrl: string;
  fromDevState: boolean;
}

/** The HTTP RPC URL of an EVM chain key: wavs.toml first, then the `wavs dev` state. */
export function chainEndpoint(
  chain: string,
  config: WavsConfig,
  devState: DevState | undefined,
): ChainEndpoint {
  if (!chain.startsWith("evm:")) {
    throw new WavsError(
      "WAVS_ERR_CHAIN_UNKNOWN",
      `${chain}: only EVM chains (evm:<id>) are supported here`,
    );
  }
  const configured = chainConfig(config, chain);
  if (configured && "http_endpoint" in configured && configured.http_endpoint !== undefined) {
    return { chain, rpcUrl: configured.http_endpoint, fromDevState: false };
  }
  if (devState && devState.chain === chain) {
    return { chain, rpcUrl: devState.rpc_url, fromDevState: true };
  }
  throw new WavsError(
    "WAVS_ERR_CHAIN_UNKNOWN",
    configured
      ? `${chain}: wavs.toml has no http_endpoint for this chain`
      : `${chain}: not configured in wavs.toml and no \`wavs dev\` network runs on it`,
    {
      hint: `add [default.chains.evm.${chain.slice(4)}] with http_endpoint = "http://..." to wavs.toml (or pass --home)`,
    },
  );
}

/** A read-only client for the chain. */
export function publicClientFor(rpcUrl: string): PublicClient {
  return createPublicClient({ transport: http(rpcUrl, { retryCount: 1 }) });
}

/**
 * The account sending the CLI's transactions: `aggregator_evm_credential` of the `[cli]`
 * config (or WAVS_AGGREGATOR_EVM_CREDENTIAL); on the `wavs dev` chain, anvil's dev account.
 */
export function cliAccount(config: WavsConfig, endpoint: ChainEndpoint): Account {
  const account = aggregatorAccount(config.aggregator_evm_credential);
  if (account) return account;
  if (endpoint.fromDevState) return mnemonicToAccount(ANVIL_DEV_MNEMONIC, { addressIndex: 0 });
  throw new WavsError(
    "WAVS_ERR_CLI_NO_CREDENTIAL",
    `no credential to send a transaction on ${endpoint.chain}`,
    {
      hint: "set aggregator_evm_credential (a 0x private key or a mnemonic) in the [cli] section of wavs.toml, or the WAVS_AGGREGATOR_EVM_CREDENTIAL environment variable",
    },
  );
}

/** A wallet client sending from `account` on the chain behind `rpcUrl`. */
export async function walletClientFor(
  rpcUrl: string,
  account: Account,
): Promise<WalletClient<Transport, Chain, Account>> {
  const publicClient = publicClientFor(rpcUrl);
  const id = await rpcCall(() => publicClient.getChainId(), rpcUrl);
  const chain = defineChain({
    id,
    name: `evm:${id}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  return createWalletClient({ account, chain, transport: http(rpcUrl, { retryCount: 1 }) });
}

/** Run an RPC call, turning a transport failure into WAVS_ERR_CHAIN_RPC naming the endpoint. */
export async function rpcCall<T>(call: () => Promise<T>, rpcUrl: string): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof WavsError) throw err;
    const message = (err as { shortMessage?: string }).shortMessage ?? (err as Error).message;
    throw new WavsError(
      "WAVS_ERR_CHAIN_RPC",
      `chain call to ${redactUrl(rpcUrl)} failed: ${message}`,
      {
        hint: "is the chain running and the RPC URL right?",
        cause: err,
      },
    );
  }
}
