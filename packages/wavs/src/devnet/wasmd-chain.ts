/**
 * A local wasmd chain on loopback: one validator, a funded faucet account, blocks every
 * `blockMs` (200 ms by default), CometBFT RPC, gRPC and the REST API on ports of the caller's
 * choosing, in a home directory of its own. `stop()` ends the process (always: the tests call
 * it in `afterAll`, `wavs dev` on exit) and removes the home unless it was given.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type CosmosWallet, connectCosmosWallet } from "../chain/index.js";
import { WavsError } from "../internal/index.js";
import { ensureWasmd, wasmdCacheDir, wasmdEnv } from "./wasmd-binary.js";

/** The faucet's wallet on a local chain (fees are free there). */
export function connectFaucet(chain: WasmdChain): Promise<CosmosWallet> {
  return connectCosmosWallet({
    rpcUrl: chain.rpcUrl,
    mnemonic: chain.faucet.mnemonic,
    prefix: WASMD_PREFIX,
    gasPrice: `0${WASMD_DENOM}`,
  });
}

/** The staking and fee denomination of the local chain. */
export const WASMD_DENOM = "ustake";
/** The bech32 prefix of wasmd's accounts. */
export const WASMD_PREFIX = "wasm";

/** A started chain. */
export interface WasmdChain {
  chainId: string;
  /** CometBFT RPC, `http://127.0.0.1:<port>`. */
  rpcUrl: string;
  /** gRPC, `127.0.0.1:<port>`. */
  grpcAddress: string;
  /** The faucet: funded at genesis, its 24-word mnemonic (test chain only). */
  faucet: { address: string; mnemonic: string };
  home: string;
  /** The wasmd process id. */
  pid: number;
  /** Run a `wasmd` command against this chain's home (keys, queries, transactions). */
  cli(args: readonly string[]): Promise<string>;
  /** End the process; remove the home unless it was given. */
  stop(): Promise<void>;
}

/** Options of `startWasmd`. */
export interface WasmdOptions {
  chainId?: string;
  ports: { rpc: number; p2p: number; grpc: number; api: number };
  /** Target time between blocks. */
  blockMs?: number;
  /**
   * Keep the chain here (kept on stop; a later start on it resumes the same chain); a
   * temporary directory otherwise.
   */
  home?: string;
  /** The faucet's mnemonic; a new one otherwise. */
  faucetMnemonic?: string;
}

/** Initialise and start a local wasmd chain; resolves once it has produced a block. */
export async function startWasmd(options: WasmdOptions): Promise<WasmdChain> {
  const binary = await ensureWasmd();
  const env = wasmdEnv(wasmdCacheDir());
  const chainId = options.chainId ?? "wasmd-1";
  const home = options.home ?? mkdtempSync(join(tmpdir(), "wavs-wasmd-"));
  const cli = async (args: readonly string[], input?: string) => {
    const child = execFile(binary, [...args, "--home", home], { env, maxBuffer: 64 * 1024 * 1024 });
    if (input !== undefined) child.stdin?.end(input);
    return new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout?.on("data", (c: Buffer) => {
        out += c.toString();
      });
      child.stderr?.on("data", (c: Buffer) => {
        err += c.toString();
      });
      child.on("exit", (code) =>
        code === 0
          ? resolve(out.length > 0 ? out : err)
          : reject(
              // `keys` commands print mnemonics on stdout: only stderr goes into their errors
              new Error(
                `wasmd ${args.slice(0, 3).join(" ")}: ${args[0] === "keys" ? err : err || out}`.slice(
                  0,
                  4000,
                ),
              ),
            ),
      );
    });
  };
  const keyring = ["--keyring-backend", "test"];
  const mnemonicFile = join(home, "faucet-mnemonic");
  // a kept home that was initialised before resumes its chain (same contracts, same faucet)
  const resume = options.home !== undefined && existsSync(join(home, "config", "genesis.json"));
  let child: ChildProcess | undefined;
  try {
    let faucet: { address: string; mnemonic: string };
    if (resume) {
      const mnemonic = readFileSync(mnemonicFile, "utf8").trim();
      const shown = JSON.parse(
        await cli(["keys", "show", "faucet", ...keyring, "--output", "json"]),
      ) as { address: string };
      faucet = { address: shown.address, mnemonic };
    } else {
      faucet = await initialise(cli, chainId, keyring, options.faucetMnemonic);
      writeFileSync(mnemonicFile, `${faucet.mnemonic}\n`, { mode: 0o600 });
    }
    configure(home, options);
    child = spawn(binary, ["start", "--home", home], { env, stdio: ["ignore", "ignore", "pipe"] });
    let log = "";
    child.stderr?.on("data", (c: Buffer) => {
      log = (log + c.toString()).slice(-8000);
    });
    const rpcUrl = `http://127.0.0.1:${options.ports.rpc}`;
    await waitForBlock(rpcUrl, child, () => log);
    const running = child;
    return {
      chainId,
      rpcUrl,
      grpcAddress: `127.0.0.1:${options.ports.grpc}`,
      faucet,
      home,
      pid: running.pid ?? 0,
      cli: (args) => cli([...args]),
      async stop() {
        await stopProcess(running);
        if (options.home === undefined) rmSync(home, { recursive: true, force: true });
      },
    };
  } catch (err) {
    if (child) await stopProcess(child);
    if (options.home === undefined) rmSync(home, { recursive: true, force: true });
    throw new WavsError("WAVS_ERR_DEV_NETWORK", `the local wasmd chain did not start`, {
      details: { error: String((err as Error).message ?? err).slice(0, 4000) },
      hint: "Check that the ports are free; the chain's log is in the error.",
      cause: err,
    });
  }
}

/** A new chain: genesis with a validator and a funded faucet; resolves with the faucet. */
async function initialise(
  cli: (args: readonly string[], input?: string) => Promise<string>,
  chainId: string,
  keyring: readonly string[],
  faucetMnemonic: string | undefined,
): Promise<{ address: string; mnemonic: string }> {
  await cli(["init", "wavs-local", "--chain-id", chainId, "--default-denom", WASMD_DENOM]);
  await cli(["keys", "add", "validator", ...keyring, "--output", "json"]);
  const faucetKey = JSON.parse(
    faucetMnemonic === undefined
      ? await cli(["keys", "add", "faucet", ...keyring, "--output", "json"])
      : await cli(
          ["keys", "add", "faucet", "--recover", ...keyring, "--output", "json"],
          `${faucetMnemonic}\n`,
        ),
  ) as { address: string; mnemonic?: string };
  const funds = `1000000000000000${WASMD_DENOM}`;
  await cli(["genesis", "add-genesis-account", "validator", funds, ...keyring]);
  await cli(["genesis", "add-genesis-account", "faucet", funds, ...keyring]);
  await cli([
    "genesis",
    "gentx",
    "validator",
    `1000000000${WASMD_DENOM}`,
    "--chain-id",
    chainId,
    ...keyring,
  ]);
  await cli(["genesis", "collect-gentxs"]);
  return { address: faucetKey.address, mnemonic: faucetMnemonic ?? faucetKey.mnemonic ?? "" };
}

/**
 * Loopback ports, fast blocks, no fee floor, the profiler off. Written on every start, so a
 * resumed chain takes the ports of this run.
 */
function configure(home: string, options: WasmdOptions): void {
  const { ports } = options;
  const blockMs = options.blockMs ?? 200;
  const config = join(home, "config", "config.toml");
  writeFileSync(
    config,
    setKeys(readFileSync(config, "utf8"), [
      ["rpc", "laddr", `"tcp://127.0.0.1:${ports.rpc}"`],
      ["rpc", "pprof_laddr", `""`],
      ["p2p", "laddr", `"tcp://127.0.0.1:${ports.p2p}"`],
      ["p2p", "allow_duplicate_ip", "true"],
      ["consensus", "timeout_commit", `"${blockMs}ms"`],
      ["consensus", "timeout_propose", `"${Math.max(blockMs, 500)}ms"`],
    ]),
  );
  const app = join(home, "config", "app.toml");
  writeFileSync(
    app,
    setKeys(readFileSync(app, "utf8"), [
      ["", "minimum-gas-prices", `"0${WASMD_DENOM}"`],
      ["grpc", "address", `"127.0.0.1:${ports.grpc}"`],
      ["api", "address", `"tcp://127.0.0.1:${ports.api}"`],
    ]),
  );
}

/**
 * Set `key = value` in a TOML section ("" for the keys before the first header), failing
 * loudly when the key is not there (a wasmd whose config layout changed).
 */
function setKeys(text: string, entries: readonly [string, string, string][]): string {
  const lines = text.split("\n");
  for (const [section, key, value] of entries) {
    let current = "";
    let done = false;
    for (let i = 0; i < lines.length && !done; i++) {
      const line = lines[i] as string;
      const header = /^\[([^\]]+)\]\s*$/.exec(line);
      if (header) current = header[1] as string;
      else if (current === section && line.startsWith(`${key} = `)) {
        lines[i] = `${key} = ${value}`;
        done = true;
      }
    }
    if (!done) throw new Error(`wasmd config: no '${key}' in [${section || "top level"}]`);
  }
  return lines.join("\n");
}

/** Wait until the chain's RPC reports a block, or the process ended. */
async function waitForBlock(rpcUrl: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wasmd exited with ${child.exitCode}: ${log()}`);
    try {
      const res = await fetch(`${rpcUrl}/status`);
      const body = (await res.json()) as {
        result?: { sync_info?: { latest_block_height?: string } };
      };
      if (Number(body.result?.sync_info?.latest_block_height ?? 0) >= 1) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no block within 60 s: ${log()}`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}
