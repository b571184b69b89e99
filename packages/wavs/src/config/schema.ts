/**
 * The one schema of wavs.toml, environment variables and flags: every node and CLI field with
 * its default, and the chain tables. Loading (sections, env, flags) lives in `load.ts`.
 */
import { availableParallelism } from "node:os";
import { z } from "zod";
import { LOG_LEVELS, type LogLevel } from "../internal/index.js";
import { CHAIN_ID_RE, taggedEnum } from "../service/index.js";
import { describeFound } from "./describe.js";
import {
  credential,
  integer,
  mnemonic,
  nonEmptyString,
  nonNegativeNumber,
  port,
  positiveNumber,
  token,
  u64,
  url,
} from "./schema-builders.js";

/** Default data directory; `loadConfig` expands `~`. */
export const DEFAULT_DATA_DIR = "~/.wavs/data";
/** Default IPFS gateway (the reference's). */
export const DEFAULT_IPFS_GATEWAY = "https://gateway.pinata.cloud/ipfs/";
/** Default node address the CLI talks to. */
export const DEFAULT_WAVS_ENDPOINT = "http://127.0.0.1:8000";

const HTTP = ["http", "https"] as const;
const WS = ["ws", "wss"] as const;

const LEVEL_ALIASES: Readonly<Record<string, LogLevel>> = { off: "silent", warning: "warn" };

function toLogLevel(name: string): LogLevel | undefined {
  const lower = name.toLowerCase();
  if ((LOG_LEVELS as readonly string[]).includes(lower)) return lower as LogLevel;
  return Object.hasOwn(LEVEL_ALIASES, lower) ? LEVEL_ALIASES[lower] : undefined;
}

/**
 * A log level. The reference takes tracing directives (`["info", "wavs=debug"]` or
 * `"info, wavs=debug"`); we accept that form too: the level is the most verbose of the bare
 * level and any `wavs...=level` directive. Directives for other targets name Rust crates and
 * are ignored.
 */
export const LogLevelSchema = z.unknown().transform((value, ctx): LogLevel => {
  const list = LOG_LEVELS.join(", ");
  const parts = typeof value === "string" ? [value] : value;
  if (!Array.isArray(parts) || !parts.every((p): p is string => typeof p === "string")) {
    ctx.addIssue({
      code: "custom",
      message: `expected one of ${list}, found ${describeFound(value)}`,
    });
    return z.NEVER;
  }
  const directives = parts
    .flatMap((p) => p.split(","))
    .map((d) => d.trim())
    .filter((d) => d !== "");
  let chosen: LogLevel | undefined;
  for (const directive of directives) {
    const eq = directive.indexOf("=");
    const target = eq < 0 ? undefined : directive.slice(0, eq).trim();
    const name = eq < 0 ? directive : directive.slice(eq + 1).trim();
    const level = toLogLevel(name);
    if (level === undefined) {
      ctx.addIssue({ code: "custom", message: `${describeFound(name)} is not one of ${list}` });
      return z.NEVER;
    }
    if (target !== undefined && !target.startsWith("wavs")) continue;
    // LOG_LEVELS runs from least to most verbose (silent last): keep the more verbose one.
    const rank = (l: LogLevel) => (l === "silent" ? -1 : LOG_LEVELS.indexOf(l));
    if (chosen === undefined || rank(level) > rank(chosen)) chosen = level;
  }
  return chosen ?? "info";
});

/** A chain table key: the id part of a chain key (`31337` in `[default.chains.evm.31337]`). */
export const ChainIdKeySchema = z.string().superRefine((id, ctx) => {
  if (!CHAIN_ID_RE.test(id)) {
    ctx.addIssue({
      code: "custom",
      message: `${describeFound(id)} is not a chain id (1 to 32 characters of a-z, A-Z, 0-9, _ and -)`,
    });
  }
});

/** `[default.chains.evm.<id>]`: an EVM chain; chain key `evm:<id>`, chain id `<id>`. */
export const EvmChainConfigSchema = z
  .strictObject({
    ws_endpoints: z.array(url(WS)).default(() => []),
    http_endpoint: url(HTTP).optional(),
    confirmations: integer(0).default(0),
    poll_interval_ms: integer(1).default(1000),
    max_log_range: integer(1).default(1000),
    // blocks whose logs bloom holds no watched address or event are not asked for logs
    logs_bloom: z.boolean().default(true),
  })
  .superRefine((chain, ctx) => {
    if (chain.ws_endpoints.length === 0 && chain.http_endpoint === undefined) {
      ctx.addIssue({ code: "custom", message: "needs ws_endpoints or http_endpoint (or both)" });
    }
  });
/** One EVM chain's settings. */
export type EvmChainConfig = z.output<typeof EvmChainConfigSchema>;

/** `[default.chains.cosmos.<id>]`: a Cosmos chain; chain key `cosmos:<id>`. */
export const CosmosChainConfigSchema = z
  .strictObject({
    chain_id: nonEmptyString().optional(),
    bech32_prefix: z.string().regex(/^[a-z0-9]{1,83}$/, {
      error: (issue) =>
        `expected a lower-case bech32 prefix such as "wasm", found ${describeFound(issue.input)}`,
    }),
    rpc_endpoint: url(HTTP).optional(),
    grpc_endpoint: url(HTTP).optional(),
    grpc_web_endpoint: url(HTTP).optional(),
    gas_price: nonNegativeNumber(),
    gas_denom: nonEmptyString(),
    faucet_endpoint: url(HTTP).optional(),
    // Ours: more CometBFT RPC endpoints, tried in order after rpc_endpoint (failover).
    rpc_fallback_endpoints: z.array(url(HTTP)).default(() => []),
    // Ours: polling period while the /websocket subscription is down, and the largest height
    // range one catch-up step reads.
    poll_interval_ms: integer(1).default(1000),
    max_block_range: integer(1).default(100),
  })
  .superRefine((chain, ctx) => {
    if (!chain.rpc_endpoint && !chain.grpc_endpoint && !chain.grpc_web_endpoint) {
      ctx.addIssue({
        code: "custom",
        message: "needs at least one of rpc_endpoint, grpc_endpoint, grpc_web_endpoint",
      });
    }
  });
/** One Cosmos chain's settings. */
export type CosmosChainConfig = z.output<typeof CosmosChainConfigSchema>;

/** The `chains` table: `evm` and `cosmos` chains by the id part of their chain key. */
export const ChainsConfigSchema = z.strictObject({
  evm: z.record(ChainIdKeySchema, EvmChainConfigSchema).default(() => ({})),
  cosmos: z.record(ChainIdKeySchema, CosmosChainConfigSchema).default(() => ({})),
});

const multiaddr = z.string().superRefine((s, ctx) => {
  if (!s.startsWith("/")) {
    ctx.addIssue({
      code: "custom",
      message: `expected a multiaddr such as /ip4/203.0.113.5/tcp/9000/p2p/<peer id>, found ${describeFound(s)}`,
    });
  }
});

/** The data of each p2p mode that has any (also used to suggest names for unknown keys). */
export const P2P_MODES = {
  disabled: null,
  local: z.strictObject({ listen_port: port() }),
  remote: z.strictObject({
    listen_port: port(),
    bootstrap_nodes: z.array(multiaddr).default(() => []),
  }),
} as const;

/** `p2p`: `"disabled"`, `{local = {listen_port}}` (mDNS) or `{remote = {listen_port, bootstrap_nodes}}`. */
export const P2pConfigSchema = taggedEnum(P2P_MODES);

/**
 * `aggregator`: tuning of aggregation (designated submitter, component runs, quorum re-checks)
 * and of the transaction manager. Every key has a default; a section or an env var sets only
 * the keys it names (merged key by key, like `chains`). Not the reference's `[aggregator]`
 * section, which belongs to its separate aggregator process and is not read.
 */
export const AggregatorConfigSchema = z.strictObject({
  grace_period_ms: integer(0).default(15_000),
  settle_ms: integer(0).default(1_000),
  operator_memory_ms: integer(1).default(3_600_000),
  gather_ms: integer(0, 60_000).default(500),
  concurrency: integer(1, 1024).default(16),
  reuse_identical_inputs: z.boolean().default(true),
  recheck_ms: integer(1).default(2_000),
  max_rechecks: integer(0, 64).default(8),
  ttl_ms: integer(1).default(48 * 3_600_000),
  tx_poll_ms: integer(10).default(250),
  tx_max_in_flight: integer(1, 10_000).default(64),
  tx_stuck_after_ms: integer(1).default(30_000),
  tx_fee_bump_percent: integer(10, 1000).default(25),
  tx_gas_margin_percent: integer(0, 1000).default(25),
});
/** Aggregation settings, every default applied. */
export type AggregatorConfig = z.output<typeof AggregatorConfigSchema>;

/** The whole config: node fields, CLI fields and chains. Unknown keys are errors. */
export const WavsConfigSchema = z.strictObject({
  port: port().default(8000),
  host: nonEmptyString().default("127.0.0.1"),
  log_level: LogLevelSchema.default("info"),
  data: nonEmptyString().default(DEFAULT_DATA_DIR),
  signing_mnemonic: mnemonic().optional(),
  aggregator_evm_credential: credential().optional(),
  // ours: the account that sends result transactions on Cosmos chains (mnemonic or 0x key)
  aggregator_cosmos_credential: credential().optional(),
  bearer_token: token().optional(),
  dev_endpoints_enabled: z.boolean().default(false),
  max_body_size_mb: positiveNumber().default(15),
  cors_allowed_origins: z.array(z.string()).default(() => []),
  ipfs_gateway: url(HTTP).default(DEFAULT_IPFS_GATEWAY),
  max_wasm_fuel: u64(1n).optional(),
  max_execution_seconds: integer(1).optional(),
  max_memory_mb: integer(1).default(512),
  registration_timeout_ms: integer(1).default(120_000),
  // the machine's cores, at most 4: more workers than cores only add instances and contention
  engine_pool_size: integer(1, 1024).default(() => Math.min(4, availableParallelism())),
  p2p: P2pConfigSchema.default(() => ({ type: "disabled" as const })),
  aggregator: AggregatorConfigSchema.default(() => AggregatorConfigSchema.parse({})),
  // Pushgateway base URL: metrics are pushed there every prometheus_push_interval_ms
  prometheus: url(HTTP).optional(),
  prometheus_push_interval_ms: integer(100).default(15_000),
  // OTLP/HTTP collector base URL for traces (`/v1/traces` is appended); `jaeger` is the
  // reference's name for the same thing and still read when this is unset
  otlp_endpoint: url(HTTP).optional(),
  jaeger: url(HTTP).optional(),
  // HTTP API URLs of other operators this node's dashboard shows beside its own
  dashboard_peers: z.array(url(HTTP)).default(() => []),
  chains: ChainsConfigSchema.default(() => ({ evm: {}, cosmos: {} })),
  wavs_endpoint: url(HTTP).default(DEFAULT_WAVS_ENDPOINT),
  json: z.boolean().default(false),
});

/** The effective configuration, fully typed and with every default applied. */
export type WavsConfig = z.output<typeof WavsConfigSchema>;

/** A top-level config field name. */
export type ConfigField = keyof typeof WavsConfigSchema.shape;

/** How the text of an env var or flag is turned into a value for a field. */
export type FieldKind = "string" | "number" | "u64" | "boolean" | "list" | "json";

/**
 * The kind of each top-level field, for reading text (env vars, flags). Typed against the
 * schema so a new field cannot be forgotten here.
 */
export const FIELD_KINDS: { readonly [F in ConfigField]: FieldKind } = {
  port: "number",
  host: "string",
  log_level: "string",
  data: "string",
  signing_mnemonic: "string",
  aggregator_evm_credential: "string",
  aggregator_cosmos_credential: "string",
  bearer_token: "string",
  dev_endpoints_enabled: "boolean",
  max_body_size_mb: "number",
  cors_allowed_origins: "list",
  ipfs_gateway: "string",
  max_wasm_fuel: "u64",
  max_execution_seconds: "number",
  max_memory_mb: "number",
  registration_timeout_ms: "number",
  engine_pool_size: "number",
  p2p: "json",
  aggregator: "json",
  prometheus: "string",
  prometheus_push_interval_ms: "number",
  otlp_endpoint: "string",
  jaeger: "string",
  dashboard_peers: "list",
  chains: "json",
  wavs_endpoint: "string",
  json: "boolean",
};

/** Every top-level field name, in schema order. */
export const CONFIG_FIELDS = Object.keys(FIELD_KINDS) as ConfigField[];

/** Fields whose values are secrets: never shown, logged or returned. */
export const SECRET_FIELDS = [
  "signing_mnemonic",
  "aggregator_evm_credential",
  "aggregator_cosmos_credential",
  "bearer_token",
] as const;

/** Whether a top-level field holds a secret. */
export function isSecretField(field: string): boolean {
  return (SECRET_FIELDS as readonly string[]).includes(field);
}
