// A real anvil (from the @foundry-rs/anvil npm package) for tests, benchmarks and `wavs dev`.
// Every instance is killed when its owner stops it, and in any case when this process exits.

import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { WavsError } from "@wavs-ts/errors";
import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type Hex,
  http,
  type LocalAccount,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { ContractClients } from "./deploy.js";

/** Options of `startAnvil`. */
export interface AnvilOptions {
  /** Chain id; anvil's default is 31337. */
  chainId?: number;
  /** Port on 127.0.0.1; default 0 (a free port picked by the OS). */
  port?: number;
  /**
   * A state file: loaded at start when it exists, and written on exit and every
   * `stateIntervalSeconds` (so a chain survives restarts, as `wavs dev` needs).
   */
  stateFile?: string;
  /** Seconds between state dumps when `stateFile` is set (default 2). */
  stateIntervalSeconds?: number;
  /** Seconds between blocks; default: mine one block per transaction. */
  blockTime?: number;
  /** Number of funded dev accounts (default 10). */
  accounts?: number;
  /** Mnemonic for the dev accounts (default: anvil's well-known test mnemonic). */
  mnemonic?: string;
  /** EVM hardfork, e.g. "prague". */
  hardfork?: string;
  /** Extra command-line arguments. */
  args?: readonly string[];
  /** Milliseconds to wait for anvil to answer (default 30 s). */
  startTimeoutMs?: number;
  /** Path to the anvil binary; default: $ANVIL_BIN, then the one shipped by @foundry-rs/anvil. */
  binary?: string;
  /** Environment of the anvil process; default: this process's. */
  env?: Record<string, string | undefined>;
}

/** A running anvil. */
export interface Anvil {
  readonly rpcUrl: string;
  readonly port: number;
  readonly chainId: number;
  readonly chain: Chain;
  readonly pid: number;
  /** Private keys of the funded dev accounts, as anvil printed them. */
  readonly privateKeys: readonly Hex[];
  /** Sends a raw JSON-RPC request. */
  request<T = unknown>(method: string, params?: readonly unknown[]): Promise<T>;
  /** The latest block number. */
  blockNumber(): Promise<bigint>;
  /** Mines `blocks` blocks (default 1). */
  mine(blocks?: number): Promise<void>;
  /** Takes a state snapshot; returns its id for `revert`. */
  snapshot(): Promise<Hex>;
  /** Reverts to a snapshot (which is consumed); throws if the id is unknown. */
  revert(id: Hex): Promise<void>;
  /**
   * Replaces the last `depth` blocks with new ones (same height, new hashes); the
   * transactions of the replaced blocks are dropped.
   */
  reorg(depth: number): Promise<void>;
  /** A public client for this chain. */
  publicClient(): PublicClient;
  /** A wallet client sending from a dev account (by index) or a given account. */
  walletClient(account?: number | LocalAccount): WalletClient<Transport, Chain, Account>;
  /** Public and wallet clients for the deploy/admin helpers, sending from `account`. */
  clients(account?: number | LocalAccount): ContractClients;
  /** Stops anvil and waits for it to exit. */
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
let cleanupInstalled = false;

// Kills every anvil still running. Synchronous, because "exit" handlers cannot await.
function killAll(): void {
  for (const child of running) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  running.clear();
}

function installCleanup(): void {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on("exit", killAll);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    const handler = () => {
      killAll();
      process.off(signal, handler);
      // Only re-raise when nobody else handles the signal, so the default behaviour (exit)
      // stays the same as without this helper, and an app's own shutdown logic still runs.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, handler);
  }
}

/** Path of the anvil binary shipped by @foundry-rs/anvil for this platform. */
export function anvilBinaryPath(): string {
  const fromEnv = process.env.ANVIL_BIN;
  if (fromEnv) return fromEnv;
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  const name = process.platform === "win32" ? "anvil.exe" : "anvil";
  const require = createRequire(import.meta.url);
  // The platform package (an optional dependency of @foundry-rs/anvil) holds the binary.
  try {
    const candidate = require.resolve(`@foundry-rs/anvil-${process.platform}-${arch}/bin/${name}`);
    if (existsSync(candidate)) return candidate;
  } catch {
    // not installed: fall back to where the package's postinstall downloads it
  }
  const wrapper = require.resolve("@foundry-rs/anvil/package.json");
  const fallback = join(dirname(wrapper), "..", "dist", name);
  if (existsSync(fallback)) return fallback;
  throw new WavsError(
    "WAVS_ERR_DEV_NETWORK",
    `anvil binary not found: install @foundry-rs/anvil-${process.platform}-${arch} or set ANVIL_BIN`,
  );
}

/** Starts anvil on a free 127.0.0.1 port and resolves once it answers JSON-RPC. */
export async function startAnvil(options: AnvilOptions = {}): Promise<Anvil> {
  installCleanup();
  // Port 0 lets the OS pick a free port atomically; anvil prints the one it bound.
  const args = ["--host", "127.0.0.1", "--port", String(options.port ?? 0)];
  if (options.stateFile !== undefined) {
    args.push(
      "--state",
      options.stateFile,
      "--state-interval",
      String(options.stateIntervalSeconds ?? 2),
    );
  }
  if (options.chainId !== undefined) args.push("--chain-id", String(options.chainId));
  if (options.blockTime !== undefined) args.push("--block-time", String(options.blockTime));
  if (options.accounts !== undefined) args.push("--accounts", String(options.accounts));
  if (options.mnemonic !== undefined) args.push("--mnemonic", options.mnemonic);
  if (options.hardfork !== undefined) args.push("--hardfork", options.hardfork);
  if (options.args) args.push(...options.args);
  // Past ~2,000 blocks anvil writes each older block's state to ~/.foundry/anvil/tmp (~0.2 to
  // 1 MB a block) and leaves it there when it exits, whatever the signal: tests, benchmarks
  // and long dev networks filled this machine's disk with 63 GB of them. States are kept in
  // memory for the recent blocks and dropped beyond, unless the caller asks otherwise.
  if (!args.some((a) => a === "--max-persisted-states" || a.startsWith("--prune-history")))
    args.push("--max-persisted-states", "0");

  const child = spawn(options.binary ?? anvilBinaryPath(), args, {
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.env ? { env: options.env } : {}),
  });
  running.add(child);
  // A binary that cannot be spawned emits "error" and possibly never "exit".
  const exited = new Promise<void>((resolve) => {
    const done = () => {
      running.delete(child);
      resolve();
    };
    child.once("exit", done);
    child.once("error", done);
  });

  // Keep only the beginning (banner with keys and port) and a bounded tail for error
  // messages; the pipes must still be drained or anvil blocks once they fill up.
  let banner = "";
  let tail = "";
  const onOutput = (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    if (banner.length < 64_000) banner += text;
    tail = (tail + text).slice(-4_000);
  };
  child.stdout!.on("data", onOutput);
  child.stderr!.on("data", onOutput);

  const timeoutMs = options.startTimeoutMs ?? 30_000;
  let port: number;
  try {
    port = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new WavsError(
              "WAVS_ERR_DEV_NETWORK",
              `anvil did not start within ${timeoutMs} ms:\n${tail}`,
            ),
          ),
        timeoutMs,
      );
      const check = () => {
        const match = /Listening on 127\.0\.0\.1:(\d+)/.exec(banner);
        if (match) {
          clearTimeout(timer);
          child.stdout!.off("data", check);
          resolve(Number(match[1]));
        }
      };
      child.stdout!.on("data", check);
      child.once("error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.once("exit", (code, signal) => {
        clearTimeout(timer);
        reject(
          new WavsError(
            "WAVS_ERR_DEV_NETWORK",
            `anvil exited (code ${code}, signal ${signal}) before starting:\n${tail}`,
          ),
        );
      });
    });
  } catch (error) {
    child.kill("SIGKILL");
    await exited;
    throw error;
  }

  const rpcUrl = `http://127.0.0.1:${port}`;
  let nextId = 1;
  const request = async <T>(method: string, params: readonly unknown[] = []): Promise<T> => {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
    });
    const body = (await response.json()) as { result?: T; error?: { message: string } };
    if (body.error) throw new WavsError("WAVS_ERR_CHAIN_RPC", `${method}: ${body.error.message}`);
    return body.result as T;
  };

  // "Listening" is printed just before the server accepts; poll until it really answers.
  const deadline = Date.now() + timeoutMs;
  let chainIdHex: Hex | undefined;
  while (chainIdHex === undefined) {
    try {
      chainIdHex = await request<Hex>("eth_chainId");
    } catch (error) {
      if (Date.now() > deadline || child.exitCode !== null) {
        child.kill("SIGKILL");
        await exited;
        throw new WavsError(
          "WAVS_ERR_DEV_NETWORK",
          `anvil at ${rpcUrl} does not answer: ${String(error)}\n${tail}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const chainId = Number(chainIdHex);
  const chain: Chain = defineChain({
    id: chainId,
    name: "anvil",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const keysSection = banner.split("Private Keys")[1]?.split("Wallet")[0] ?? "";
  const privateKeys = [...keysSection.matchAll(/\(\d+\) (0x[0-9a-fA-F]{64})/g)].map(
    (match) => match[1] as Hex,
  );

  // Short polling: anvil mines instantly, and viem's default (4 s) would dominate test time.
  const transport = http(rpcUrl);
  const pollingInterval = 50;
  let stopped: Promise<void> | undefined;
  const publicClient = (): PublicClient =>
    createPublicClient({ chain, transport, pollingInterval });
  const walletClient = (account: number | LocalAccount = 0) => {
    const resolved: Account =
      typeof account === "number"
        ? privateKeyToAccount(privateKeyAt(privateKeys, account))
        : account;
    return createWalletClient({ account: resolved, chain, transport, pollingInterval });
  };

  return {
    rpcUrl,
    port,
    chainId,
    chain,
    pid: child.pid!,
    privateKeys,
    request,
    async blockNumber() {
      return BigInt(await request<Hex>("eth_blockNumber"));
    },
    async mine(blocks = 1) {
      await request("anvil_mine", [`0x${blocks.toString(16)}`]);
    },
    snapshot() {
      return request<Hex>("evm_snapshot");
    },
    async revert(id) {
      const ok = await request<boolean>("evm_revert", [id]);
      if (!ok) throw new WavsError("WAVS_ERR_INPUT_INVALID", `evm_revert: unknown snapshot ${id}`);
    },
    async reorg(depth) {
      await request("anvil_reorg", [depth, []]);
    },
    publicClient,
    walletClient,
    clients(account) {
      return { publicClient: publicClient(), walletClient: walletClient(account) };
    },
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill("SIGTERM");
          const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
          await exited;
          clearTimeout(timer);
        }
        running.delete(child);
      })();
      return stopped;
    },
  };
}

function privateKeyAt(keys: readonly Hex[], index: number): Hex {
  const key = keys[index];
  if (!key)
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `anvil has no dev account ${index} (it has ${keys.length})`,
    );
  return key;
}
