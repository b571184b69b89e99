/**
 * `wavs service validate`: the schema and cron checks, the chains used being configured, and
 * (with checkChain) that trigger and manager contracts exist and the manager answers, on EVM
 * and Cosmos chains alike.
 */

import { wavsServiceManagerAbi } from "@wavs-ts/contracts";
import type { Address } from "viem";
import { chainConfig, type LoadedConfig } from "../config/index.js";
import type { Service, ValidationProblem } from "../service/index.js";
import { parseService } from "../service/index.js";
import { ContractQueryError, createCosmosRpc } from "../triggers/index.js";
import type { DevState } from "./dev-state.js";
import { chainEndpoint, publicClientFor } from "./evm-chain.js";
import { checkServiceDocument } from "./service-check.js";
import type { ServiceDocument } from "./service-file.js";

/** What `validate` found: errors make the service unusable, warnings are worth a look. */
export interface ValidationReport {
  valid: boolean;
  errors: ValidationProblem[];
  warnings: ValidationProblem[];
}

/** Options of `validateServiceDocument`. */
export interface ValidateOptions {
  /** The CLI config (chains); `file` undefined means no wavs.toml was found. */
  loaded: LoadedConfig;
  devState?: DevState | undefined;
  /** Read the chain: contract code at trigger and manager addresses, manager's getServiceURI. */
  checkChain?: boolean;
}

/** Every chain key the service uses, with the path that uses it. */
function chainsUsed(service: Service): { path: string; chain: string }[] {
  const out = [{ path: `manager.${service.manager.type}.chain`, chain: service.manager.chain }];
  for (const [id, workflow] of service.workflows) {
    const t = workflow.trigger;
    if (
      t.type === "evm_contract_event" ||
      t.type === "cosmos_contract_event" ||
      t.type === "block_interval"
    ) {
      out.push({ path: `workflows.${id}.trigger.${t.type}.chain`, chain: t.chain });
    }
  }
  return out;
}

/** A contract to look for on chain. */
interface UsedContract {
  path: string;
  chain: string;
  address: string;
  manager: boolean;
}

/** Contracts to look for on chain: trigger contracts and the manager, EVM and Cosmos. */
function contractsUsed(service: Service): UsedContract[] {
  const out: UsedContract[] = [
    {
      path: `manager.${service.manager.type}.address`,
      chain: service.manager.chain,
      address: service.manager.address,
      manager: true,
    },
  ];
  for (const [id, workflow] of service.workflows) {
    const t = workflow.trigger;
    if (t.type === "evm_contract_event" || t.type === "cosmos_contract_event") {
      out.push({
        path: `workflows.${id}.trigger.${t.type}.address`,
        chain: t.chain,
        address: t.address,
        manager: false,
      });
    }
  }
  return out;
}

/** Validate a service document; never throws for a bad service (the report says what is wrong). */
export async function validateServiceDocument(
  doc: ServiceDocument,
  options: ValidateOptions,
): Promise<ValidationReport> {
  const { problems, pending } = checkServiceDocument(doc);
  const errors = [...problems, ...pending];
  const warnings: ValidationProblem[] = [];
  if (errors.length > 0) return { valid: false, errors, warnings };
  const service = parseService(doc);
  const { config, file } = options.loaded;
  const dev = options.devState;
  for (const { path, chain } of chainsUsed(service)) {
    if (chainConfig(config, chain) !== undefined) continue;
    if (dev?.chain === chain || dev?.cosmos?.chain === chain) continue;
    if (file !== undefined) {
      errors.push({
        path,
        message: `chain '${chain}' is not configured in ${file} (expected a [default.chains.${chain.replace(":", ".")}] table)`,
      });
    } else if (dev) {
      errors.push({
        path,
        message: `chain '${chain}' is not the \`wavs dev\` network's chain (${dev.chain}), and no wavs.toml configures it`,
      });
    }
  }
  if (file === undefined && !dev) {
    warnings.push({
      path: "",
      message: "no wavs.toml found (pass --home): chains were not checked against a config",
    });
  }
  if (options.checkChain) {
    for (const c of contractsUsed(service)) {
      const problem = await contractProblem(c, options);
      if (problem) errors.push({ path: c.path, message: problem });
    }
  }
  return { valid: errors.length === 0, errors, warnings };
}

async function contractProblem(
  c: UsedContract,
  options: ValidateOptions,
): Promise<string | undefined> {
  if (c.chain.startsWith("cosmos:")) return cosmosContractProblem(c, options);
  let client: ReturnType<typeof publicClientFor>;
  try {
    client = publicClientFor(
      chainEndpoint(c.chain, options.loaded.config, options.devState).rpcUrl,
    );
  } catch (err) {
    return `cannot check on chain: ${(err as Error).message}`;
  }
  try {
    const code = await client.getCode({ address: c.address as Address });
    if (code === undefined || code === "0x") {
      return `no contract at ${c.address} on ${c.chain} (expected deployed ${c.manager ? "service manager" : "trigger contract"} code)`;
    }
    if (c.manager) {
      await client.readContract({
        address: c.address as Address,
        abi: wavsServiceManagerAbi,
        functionName: "getServiceURI",
      });
    }
    return undefined;
  } catch (err) {
    const message = (err as { shortMessage?: string }).shortMessage ?? (err as Error).message;
    return c.manager
      ? `the contract at ${c.address} on ${c.chain} does not answer getServiceURI() (${message})`
      : `cannot read ${c.chain}: ${message}`;
  }
}

/** The same checks on a Cosmos chain: a contract at the address; the manager's wavs_service_uri. */
async function cosmosContractProblem(
  c: UsedContract,
  options: ValidateOptions,
): Promise<string | undefined> {
  const configured = chainConfig(options.loaded.config, c.chain as `cosmos:${string}`);
  const dev = options.devState?.cosmos;
  const rpcUrl = configured?.rpc_endpoint ?? (dev?.chain === c.chain ? dev.rpc_url : undefined);
  if (rpcUrl === undefined) {
    return `cannot check on chain: ${c.chain} has no rpc_endpoint in wavs.toml and no \`wavs dev --cosmos\` chain runs on it`;
  }
  const rpc = createCosmosRpc({
    chain: c.chain,
    endpoints: [rpcUrl],
    maxAttempts: 2,
    requestTimeoutMs: 10_000,
    webSocket: false,
  });
  try {
    if ((await rpc.getContractInfo(c.address)) === undefined) {
      return `no contract at ${c.address} on ${c.chain} (expected a deployed ${c.manager ? "service manager" : "trigger contract"})`;
    }
    if (c.manager) await rpc.queryContractSmart(c.address, { wavs_service_uri: {} });
    return undefined;
  } catch (err) {
    return err instanceof ContractQueryError
      ? `the contract at ${c.address} on ${c.chain} does not answer {"wavs_service_uri": {}} (${err.log})`
      : `cannot read ${c.chain}: ${(err as Error).message}`;
  } finally {
    rpc.close();
  }
}
