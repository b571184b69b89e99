/**
 * The wavs.toml of a dev operator. Rewritten on every start (ports and the RPC may change), but
 * its signing mnemonic is generated once and kept, so the operator's signing keys, which are
 * registered on-chain, stay the same across restarts.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hex } from "viem";
import { english, generateMnemonic } from "viem/accounts";

/** What one operator's config is made of. */
export interface OperatorConfig {
  home: string;
  rpcUrl: string;
  chainId: number;
  /** Private key the operator sends result transactions with (a funded dev account). */
  aggregatorKey: Hex;
  /** Bearer token of the node's mutating routes. */
  token: string;
  p2pPort: number;
  /** P2P ports of the other operators; none means P2P is off (a single operator). */
  peerP2pPorts: readonly number[];
  logLevel: string;
  /** Engine worker threads: the operators share one machine, so each gets its share of it. */
  enginePoolSize: number;
  /**
   * The other operators' API URLs: each node's dashboard shows the whole network, and each
   * node lets the others' pages read it (CORS).
   */
  peerUrls: readonly string[];
  /** The dev Cosmos chain, when there is one. */
  cosmos?: { chainId: string; rpcUrl: string } | undefined;
}

/** The operator's signing mnemonic: read from its home, or generated and saved (mode 0600). */
export function operatorMnemonic(home: string): string {
  const file = join(home, "signing-mnemonic");
  if (existsSync(file)) {
    const words = readFileSync(file, "utf8").trim();
    if (words.split(/\s+/).length >= 12) return words;
  }
  mkdirSync(home, { recursive: true });
  const mnemonic = generateMnemonic(english);
  writeFileSync(file, `${mnemonic}\n`, { mode: 0o600 });
  return mnemonic;
}

/** Write `<home>/wavs.toml` (mode 0600: it holds the mnemonic and the key). */
export function writeOperatorConfig(c: OperatorConfig): void {
  mkdirSync(c.home, { recursive: true });
  const bootstrap = c.peerP2pPorts.map((p) => `"/ip4/127.0.0.1/tcp/${p}"`).join(", ");
  const p2p =
    c.peerP2pPorts.length === 0
      ? `"disabled"`
      : `{ remote = { listen_port = ${c.p2pPort}, bootstrap_nodes = [${bootstrap}] } }`;
  const path = join(c.home, "wavs.toml");
  writeFileSync(
    path,
    `# Written by \`wavs dev\` on every start; edits are overwritten.
[default]
data = ${JSON.stringify(join(c.home, "data"))}
signing_mnemonic = ${JSON.stringify(operatorMnemonic(c.home))}
aggregator_evm_credential = ${JSON.stringify(c.aggregatorKey)}
${c.cosmos ? `aggregator_cosmos_credential = ${JSON.stringify(c.aggregatorKey)}\n` : ""}dev_endpoints_enabled = true
bearer_token = ${JSON.stringify(c.token)}
log_level = ${JSON.stringify(c.logLevel)}
engine_pool_size = ${c.enginePoolSize}
dashboard_peers = ${JSON.stringify(c.peerUrls)}
cors_allowed_origins = ${JSON.stringify(c.peerUrls)}
p2p = ${p2p}

[default.chains.evm.${c.chainId}]
ws_endpoints = [${JSON.stringify(c.rpcUrl.replace(/^http/, "ws"))}]
http_endpoint = ${JSON.stringify(c.rpcUrl)}
${
  c.cosmos
    ? `
[default.chains.cosmos.${c.cosmos.chainId}]
bech32_prefix = "wasm"
rpc_endpoint = ${JSON.stringify(c.cosmos.rpcUrl)}
gas_price = 0.0
gas_denom = "ustake"
poll_interval_ms = 250
`
    : ""
}`,
    { mode: 0o600 },
  );
  chmodSync(path, 0o600);
}
