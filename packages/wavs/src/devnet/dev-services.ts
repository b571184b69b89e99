/**
 * The services a dev network runs: the echo and square examples, or the builder's own
 * component (`--component`). Each gets its own manager, trigger and submit contracts; its
 * workflow runs on the example trigger contract's NewTrigger event and submits through the
 * aggregator-simple component to SimpleSubmit, with the 2-of-3 (by weight) quorum of the manager.
 * With `--cosmos`, a `<name>-cosmos` twin of the last one runs on the Cosmos trigger contract's
 * `new-message` event instead, its results landing on the dev Cosmos chain's handler.
 */
import { existsSync } from "node:fs";
import { basename, extname, join, resolve } from "node:path";
import { buildComponent, buildFixture } from "@wavs-ts/sdk";
import type { Address } from "viem";
import { WavsError } from "../internal/index.js";

/** keccak256("NewTrigger(bytes)"), the example trigger contract's event. */
export const NEW_TRIGGER_TOPIC =
  "0x86eacd23610d81706516de1ed0476c87772fdf939c7c771fbbd7f0230d619e68";

/** A service to run: its name and its operator component (.wasm path). */
export interface DevServiceComponent {
  name: string;
  wasm: string;
  /** Where it came from, for humans. */
  source: string;
  /** Triggered by the dev Cosmos chain's trigger contract instead of the EVM one. */
  cosmos?: boolean;
}

/** The components of a dev network, built (or taken from the build cache). */
export interface DevComponents {
  services: DevServiceComponent[];
  aggregator: string;
}

/** Build the operator components (examples, or `component`) and the aggregator component. */
export async function devComponents(options: {
  component?: string | undefined;
  outDir: string;
  onProgress?: (msg: string) => void;
  /** Add a `<name>-cosmos` service triggered on the dev Cosmos chain (square for the examples). */
  cosmos?: boolean | undefined;
}): Promise<DevComponents> {
  const aggregator = buildFixture("aggregator-simple");
  const withCosmos = (services: DevServiceComponent[]) => {
    const base = services[services.length - 1] as DevServiceComponent;
    return options.cosmos
      ? [...services, { ...base, name: `${base.name}-cosmos`, cosmos: true }]
      : services;
  };
  if (options.component === undefined) {
    const [echo, square] = await Promise.all([buildFixture("echo"), buildFixture("square")]);
    return {
      services: withCosmos([
        { name: "echo", wasm: echo, source: "examples/components/echo" },
        { name: "square", wasm: square, source: "examples/components/square" },
      ]),
      aggregator: await aggregator,
    };
  }
  const file = resolve(options.component);
  if (!existsSync(file)) {
    throw new WavsError(
      "WAVS_ERR_INPUT_INVALID",
      `--component ${options.component}: no such file`,
      {
        hint: "pass a built component (.wasm) or its TypeScript/JavaScript entry (.ts, .js)",
      },
    );
  }
  const ext = extname(file);
  const name = serviceName(
    basename(file, ext) === "index" ? basename(resolve(file, "..")) : basename(file, ext),
  );
  let wasm = file;
  if (ext !== ".wasm") {
    if (![".ts", ".js", ".mts", ".mjs"].includes(ext)) {
      throw new WavsError(
        "WAVS_ERR_INPUT_INVALID",
        `--component ${options.component}: expected a .wasm component or a .ts/.js entry, found ${ext || "no extension"}`,
      );
    }
    wasm = join(options.outDir, `${name}.wasm`);
    await buildComponent({
      entry: file,
      out: wasm,
      world: "operator",
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }
  return {
    services: withCosmos([{ name, wasm, source: options.component }]),
    aggregator: await aggregator,
  };
}

/** A service name from a file name: lowercase letters, digits and dashes. */
function serviceName(stem: string): string {
  const name = stem
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return name === "" ? "custom" : name;
}

/** The contracts of one dev service. */
export interface DevServiceContracts {
  serviceManager: Address;
  trigger: Address;
  submit: Address;
}

/** A component of a service JSON: uploaded bytes named by digest, no permissions or limits. */
export function componentJson(digest: string, config: Record<string, string> = {}) {
  return {
    source: { digest },
    permissions: {},
    fuel_limit: null,
    time_limit_seconds: null,
    config,
    env_keys: [],
  };
}

/** The service JSON of a dev service (WAVS schema). */
export function devServiceJson(options: {
  name: string;
  chain: string;
  contracts: DevServiceContracts;
  componentDigest: string;
  aggregatorDigest: string;
  /** Trigger on this Cosmos contract's `new-message` event instead. */
  cosmosTrigger?: { chain: string; address: string } | undefined;
  /** Land results on this Cosmos handler instead of the EVM one. */
  cosmosHandler?: { chain: string; address: string } | undefined;
}): unknown {
  const { chain, contracts, cosmosTrigger, cosmosHandler } = options;
  return {
    name: options.name,
    workflows: {
      default: {
        trigger: cosmosTrigger
          ? { cosmos_contract_event: { ...cosmosTrigger, event_type: "new-message" } }
          : {
              evm_contract_event: {
                address: contracts.trigger,
                chain,
                event_hash: NEW_TRIGGER_TOPIC,
              },
            },
        component: componentJson(options.componentDigest),
        submit: {
          aggregator: {
            component: componentJson(
              options.aggregatorDigest,
              cosmosHandler
                ? { chain: cosmosHandler.chain, service_handler: cosmosHandler.address }
                : { chain, service_handler: contracts.submit },
            ),
            signature_kind: { algorithm: "secp256k1", prefix: "eip191" },
          },
        },
      },
    },
    status: "active",
    manager: { evm: { chain, address: contracts.serviceManager } },
  };
}
