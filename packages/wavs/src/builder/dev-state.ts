/**
 * The state file `wavs dev` writes at `<home>/.wavs-dev/state.json`: where the local network
 * runs. Builder commands use it as the default for contract addresses, chain, RPC and node URL;
 * the top-level contracts are those of the first (default) service.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { WavsError } from "../internal/index.js";

const HEX_ADDRESS = z.string().regex(/^0x[0-9a-fA-F]{40}$/);

/** One example service of the dev network. */
const DevServiceSchema = z.object({
  name: z.string(),
  service_id: z.string(),
  service_manager: HEX_ADDRESS,
  trigger: HEX_ADDRESS,
  submit: HEX_ADDRESS,
  component: z.string(),
  /** The chain of the service's trigger when it is not `chain` (a Cosmos-triggered service). */
  trigger_chain: z.string().optional(),
  /** Where its results land when that is a Cosmos handler (bech32, on the dev Cosmos chain). */
  cosmos_handler: z.string().optional(),
});

/** The dev network's Cosmos chain (`wavs dev --cosmos`). */
const DevCosmosSchema = z.object({
  chain: z.string(),
  rpc_url: z.string(),
  /** The example trigger contract (bech32). */
  trigger: z.string(),
  /** The example CosmWasm service manager (bech32). */
  service_manager: z.string(),
  /** The example CosmWasm handler, validating with that manager (bech32). */
  handler: z.string().optional(),
  /** The local chain's faucet: funded at genesis, a test-only key (the file is mode 0600). */
  faucet_mnemonic: z.string(),
});

/** Schema of `<home>/.wavs-dev/state.json`. */
export const DevStateSchema = z.object({
  chain: z.string(),
  rpc_url: z.string(),
  service_manager: HEX_ADDRESS,
  trigger: HEX_ADDRESS,
  submit: HEX_ADDRESS,
  nodes: z
    .array(
      z.object({
        url: z.string(),
        p2p_port: z.number().int().optional(),
        log: z.string().optional(),
      }),
    )
    .default(() => []),
  services: z.array(DevServiceSchema).default(() => []),
  /** Bearer token of the dev nodes' mutating routes (the file is mode 0600). */
  token: z.string().optional(),
  cosmos: DevCosmosSchema.optional(),
});

/** One service of the dev network, as recorded in its state file. */
export type DevService = z.output<typeof DevServiceSchema>;

/** What a running `wavs dev` network offers. */
export type DevState = z.output<typeof DevStateSchema>;

/** The directory `wavs dev` keeps everything in, under a home directory. */
export function devDir(home: string): string {
  return join(home, ".wavs-dev");
}

/** Path of the dev state file under a home directory. */
export function devStatePath(home: string): string {
  return join(devDir(home), "state.json");
}

/** The dev state under `home` (default: WAVS_HOME, else the current directory), or undefined. */
export function readDevState(home?: string): DevState | undefined {
  const path = devStatePath(home ?? process.env.WAVS_HOME ?? process.cwd());
  if (!existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new WavsError("WAVS_ERR_CONFIG_INVALID", `${path}: not valid JSON`, {
      hint: "restart `wavs dev` (or `wavs dev --reset`) to rewrite it",
      cause: err,
    });
  }
  const parsed = DevStateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WavsError(
      "WAVS_ERR_CONFIG_INVALID",
      `${path}: ${issue?.path.join(".") ?? ""}: ${issue?.message ?? "invalid"}`,
      { hint: "restart `wavs dev` (or `wavs dev --reset`) to rewrite it" },
    );
  }
  return parsed.data;
}
